package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/authentik-go/authentik"
)

// Ways to decode what compat.go decodes, measured in BenchmarkDecodeAlternatives
// and checked to decode the same stages in TestDecodeAlternativesAgree.
//
// The earlier report (results-earlier/before-wire-decode.txt) measured these as
// proposals against the library's methods of the time, and recommended alt-wire.
// Commit 8102d05 adopted it: List decodes pages into method-free wire types (a
// hook only on token_expiry) and copies them into the public types, and the
// public UnmarshalJSON methods decode through the same wire types. The old
// methods are frozen below (old-methods) so that the change stays measurable in
// one run; the bench module only measures.
//
// Why the old methods were slow: EmailStage.UnmarshalJSON and
// FlowSet.UnmarshalJSON each called json.Unmarshal again on their own bytes.
// encoding/json first skips an Unmarshaler's value to find its end, then the
// inner json.Unmarshal validates it (checkValid) and decodes it: an item's bytes
// were scanned 4 times instead of 2, its flow's 6 times. The public
// EmailStage.UnmarshalJSON of today still costs the first two (it is still one
// Unmarshaler per item); List's wire path costs neither.

// oldFlow and oldStage carry compat.go's methods as they were before 8102d05
// (git show ae9d144:compat.go). The one change: oldStage shadows flow_set with
// []oldFlow and copies it, because authentik.FlowSet's own method is the new one
// now. Since 8102d05 a flow whose background_url is "" takes its background; the
// old rule kept the "" (see TestDecodeAlternativesAgree).
type oldFlow authentik.FlowSet

func (f *oldFlow) UnmarshalJSON(data []byte) error {
	type plain authentik.FlowSet
	aux := struct {
		*plain
		BackgroundURL *string `json:"background_url"`
		Background    *string `json:"background"` // before 2025.12
	}{plain: (*plain)(f)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	switch {
	case aux.BackgroundURL != nil:
		f.Background = *aux.BackgroundURL
	case aux.Background != nil:
		f.Background = *aux.Background
	}
	return nil
}

type oldStage authentik.EmailStage

func (s *oldStage) UnmarshalJSON(data []byte) error {
	type plain authentik.EmailStage
	aux := struct {
		*plain
		FlowSet     []oldFlow       `json:"flow_set"`     // shadows plain's field
		TokenExpiry json.RawMessage `json:"token_expiry"` // shadows plain's field
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	if aux.FlowSet != nil {
		s.FlowSet = make([]authentik.FlowSet, len(aux.FlowSet))
		for i := range aux.FlowSet {
			s.FlowSet[i] = authentik.FlowSet(aux.FlowSet[i])
		}
	}
	if aux.TokenExpiry == nil {
		return nil
	}
	v, err := oldLegacyMinutes(aux.TokenExpiry)
	if err != nil {
		return fmt.Errorf("email stage %q: token_expiry: %w", s.PK, err)
	}
	s.TokenExpiry = v
	return nil
}

// oldLegacyMinutes is compat.go's legacyMinutes before 8102d05.
func oldLegacyMinutes(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return "minutes=" + string(raw), nil
	}
	return "", fmt.Errorf("want a duration string or a number of minutes, got %.40s", raw)
}

type oldPage struct {
	Pagination authentik.Pagination `json:"pagination"`
	Results    []oldStage           `json:"results"`
}

// decodeOld is json.Unmarshal into the public types as it ran before 8102d05.
func decodeOld(body []byte) (*authentik.Page[authentik.EmailStage], error) {
	var p oldPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	out := &authentik.Page[authentik.EmailStage]{Pagination: p.Pagination}
	if p.Results != nil {
		out.Results = make([]authentik.EmailStage, len(p.Results))
		for i := range p.Results {
			out.Results[i] = authentik.EmailStage(p.Results[i])
		}
	}
	return out, nil
}

// legacyMinutes decodes token_expiry as compat.go does, with a fast path for a
// string that has no escape: its bytes are the value (what encoding/json does too).
func legacyMinutes(raw []byte) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", nil
	case raw[0] == '"':
		if in := raw[1 : len(raw)-1]; bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
			return string(in), nil
		}
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return "minutes=" + string(raw), nil
	}
	return "", fmt.Errorf("want a duration string or a number of minutes, got %.40s", raw)
}

// altFlatStage is proposal A2 of the earlier report: EmailStage.UnmarshalJSON
// decoding into the flat, method-free wire types of alt-wire, then copying. It
// is the design of today's public EmailStage.UnmarshalJSON, except that the
// library's wire types embed the public fields instead of listing them; it still
// pays for being an Unmarshaler: the item is skipped, validated and decoded by a
// nested json.Unmarshal.
type altFlatStage authentik.EmailStage

func (s *altFlatStage) UnmarshalJSON(data []byte) error {
	var w wireStage
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = altFlatStage(w.stage())
	return nil
}

type altFlatPage struct {
	Pagination authentik.Pagination `json:"pagination"`
	Results    []altFlatStage       `json:"results"`
}

func decodeAltFlat(body []byte) (*authentik.Page[authentik.EmailStage], error) {
	var p altFlatPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	out := &authentik.Page[authentik.EmailStage]{Pagination: p.Pagination}
	if p.Results != nil {
		out.Results = make([]authentik.EmailStage, len(p.Results))
		for i := range p.Results {
			out.Results[i] = authentik.EmailStage(p.Results[i])
		}
	}
	return out, nil
}

// tokenExpiry is a token_expiry that decodes itself: the only field-level hook
// of alt-wire (the library's is minutesOrText). encoding/json hands it the
// literal it has already scanned.
type tokenExpiry struct {
	v   string
	set bool
}

func (e *tokenExpiry) UnmarshalJSON(data []byte) error {
	v, err := legacyMinutes(data)
	e.v, e.set = v, true
	return err
}

// wireStage is proposal B of the earlier report (alt-wire): pages decoded into
// method-free wire types (a hook only on the small token_expiry field) and
// copied into EmailStage. The library adopted the design in 8102d05 with one
// difference: its wire types embed method-free copies of the public types,
// where these list their fields flat. encoding/json costs a little more per
// field of an embedded struct (it records the error context with
// reflect.Type.Field for each one).
type wireStage struct {
	PK                    string      `json:"pk"`
	Name                  string      `json:"name"`
	Component             string      `json:"component"`
	VerboseName           string      `json:"verbose_name"`
	VerboseNamePlural     string      `json:"verbose_name_plural"`
	MetaModelName         string      `json:"meta_model_name"`
	FlowSet               []wireFlow  `json:"flow_set"`
	UseGlobalSettings     bool        `json:"use_global_settings"`
	Host                  string      `json:"host"`
	Port                  int         `json:"port"`
	Username              string      `json:"username"`
	UseTLS                bool        `json:"use_tls"`
	UseSSL                bool        `json:"use_ssl"`
	Timeout               int         `json:"timeout"`
	FromAddress           string      `json:"from_address"`
	TokenExpiry           tokenExpiry `json:"token_expiry"`
	Subject               string      `json:"subject"`
	Template              string      `json:"template"`
	ActivateUserOnSuccess bool        `json:"activate_user_on_success"`
	RecoveryMaxAttempts   int         `json:"recovery_max_attempts"`
	RecoveryCacheTimeout  string      `json:"recovery_cache_timeout"`
}

// wireFlow is a flow of any generation. The rule is the library's since
// 8102d05: background_url fills Background, and when that leaves it empty,
// background (before 2025.12) does.
type wireFlow struct {
	PK                      string                     `json:"pk"`
	PolicyBindingModelPtrID string                     `json:"policybindingmodel_ptr_id"`
	Name                    string                     `json:"name"`
	Slug                    string                     `json:"slug"`
	Title                   string                     `json:"title"`
	Designation             authentik.FlowDesignation  `json:"designation"`
	Background              string                     `json:"background_url"`
	Legacy                  *string                    `json:"background"` // before 2025.12
	PolicyEngineMode        authentik.PolicyEngineMode `json:"policy_engine_mode"`
	CompatibilityMode       bool                       `json:"compatibility_mode"`
	ExportURL               string                     `json:"export_url"`
	Layout                  authentik.FlowLayout       `json:"layout"`
	DeniedAction            authentik.DeniedAction     `json:"denied_action"`
}

func (w *wireFlow) flow() authentik.FlowSet {
	f := authentik.FlowSet{
		PK: w.PK, PolicyBindingModelPtrID: w.PolicyBindingModelPtrID, Name: w.Name, Slug: w.Slug,
		Title: w.Title, Designation: w.Designation, Background: w.Background, PolicyEngineMode: w.PolicyEngineMode,
		CompatibilityMode: w.CompatibilityMode, ExportURL: w.ExportURL, Layout: w.Layout, DeniedAction: w.DeniedAction,
	}
	if f.Background == "" && w.Legacy != nil {
		f.Background = *w.Legacy
	}
	return f
}

func (w *wireStage) stage() authentik.EmailStage {
	s := authentik.EmailStage{
		PK: w.PK, Name: w.Name, Component: w.Component, VerboseName: w.VerboseName,
		VerboseNamePlural: w.VerboseNamePlural, MetaModelName: w.MetaModelName,
		UseGlobalSettings: w.UseGlobalSettings, Host: w.Host, Port: w.Port, Username: w.Username,
		UseTLS: w.UseTLS, UseSSL: w.UseSSL, Timeout: w.Timeout, FromAddress: w.FromAddress,
		TokenExpiry: w.TokenExpiry.v, Subject: w.Subject, Template: w.Template,
		ActivateUserOnSuccess: w.ActivateUserOnSuccess, RecoveryMaxAttempts: w.RecoveryMaxAttempts,
		RecoveryCacheTimeout: w.RecoveryCacheTimeout,
	}
	if w.FlowSet != nil {
		s.FlowSet = make([]authentik.FlowSet, len(w.FlowSet))
		for i := range w.FlowSet {
			s.FlowSet[i] = w.FlowSet[i].flow()
		}
	}
	return s
}

// decodeWire decodes a page through the flat wire types.
func decodeWire(body []byte) (*authentik.Page[authentik.EmailStage], error) {
	return decodeThrough[wireStage](body)
}

// wireItem is a wire type that converts to the public stage.
type wireItem[W any] interface {
	*W
	stage() authentik.EmailStage
}

// decodeThrough decodes a page into wire type W, then converts each item: the
// one loop both wire layouts share, so they differ only in their types.
func decodeThrough[W any, P wireItem[W]](body []byte) (*authentik.Page[authentik.EmailStage], error) {
	var p struct {
		Pagination authentik.Pagination `json:"pagination"`
		Results    []W                  `json:"results"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	out := &authentik.Page[authentik.EmailStage]{Pagination: p.Pagination}
	if p.Results != nil {
		out.Results = make([]authentik.EmailStage, len(p.Results))
		for i := range p.Results {
			out.Results[i] = P(&p.Results[i]).stage()
		}
	}
	return out, nil
}

// The library's wire layout since 8102d05, copied from compat.go so that it can
// be decoded without a request (alt-wire-embedded): method-free copies of the
// public types embedded, with flow_set and token_expiry shadowed. Only the
// layout differs from alt-wire; TestDecodeAlternativesAgree holds both to the
// same results.
type (
	embFlowFields  authentik.FlowSet
	embStageFields authentik.EmailStage
)

type embWireFlow struct {
	embFlowFields         // background_url lands in Background
	OldBackground *string `json:"background"` // before 2025.12
}

type embWireStage struct {
	embStageFields
	FlowSet     []embWireFlow `json:"flow_set"`
	TokenExpiry embMinutes    `json:"token_expiry"`
}

// embMinutes is compat.go's minutesOrText.
type embMinutes string

func (m *embMinutes) UnmarshalJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		*m = embMinutes(s)
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		*m = embMinutes("minutes=" + string(raw))
	default:
		return fmt.Errorf("token_expiry: want a duration string or a number of minutes, got %.40s", raw)
	}
	return nil
}

func (w *embWireStage) stage() authentik.EmailStage {
	s := authentik.EmailStage(w.embStageFields)
	s.FlowSet = nil
	if w.FlowSet != nil {
		s.FlowSet = make([]authentik.FlowSet, len(w.FlowSet))
		for i := range w.FlowSet {
			f := authentik.FlowSet(w.FlowSet[i].embFlowFields)
			if f.Background == "" && w.FlowSet[i].OldBackground != nil {
				f.Background = *w.FlowSet[i].OldBackground
			}
			s.FlowSet[i] = f
		}
	}
	s.TokenExpiry = string(w.TokenExpiry)
	return s
}

// decodeWireEmbedded decodes a page through the library's embedded wire layout.
func decodeWireEmbedded(body []byte) (*authentik.Page[authentik.EmailStage], error) {
	return decodeThrough[embWireStage](body)
}

// decodePublic is json.Unmarshal into the public types: the library's
// UnmarshalJSON methods as they are now.
func decodePublic(body []byte) (*authentik.Page[authentik.EmailStage], error) {
	var p authentik.Page[authentik.EmailStage]
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// BenchmarkDecodeAlternatives decodes B2's page in every way above:
//
//	impl=json-unmarshal-mirror  the floor: method-free mirror types
//	impl=old-methods            json.Unmarshal with the methods of compat.go
//	                            before 8102d05 (frozen here): the "before"
//	impl=json-unmarshal         json.Unmarshal into the public types now: one
//	                            EmailStage.UnmarshalJSON per item, which decodes
//	                            through the library's (embedded) wire types
//	impl=alt-method-flat        the same design with flat wire types (the
//	                            earlier report's proposal A2)
//	impl=alt-wire               no method on the item: the page decoded into flat
//	                            wire types, then copied (proposal B)
//	impl=alt-wire-embedded      the same with the library's wire layout (copied
//	                            from compat.go): what List decodes with since
//	                            8102d05, without the request around it
//
// List itself cannot decode without a request; BenchmarkDecode's sdk-list side
// measures it with its request path.
func BenchmarkDecodeAlternatives(b *testing.B) {
	body := decodePage()
	sides := []struct {
		name   string
		decode func([]byte) (int, error)
	}{
		{"json-unmarshal-mirror", func(body []byte) (int, error) {
			var p mirrorPage
			err := json.Unmarshal(body, &p)
			return len(p.Results), err
		}},
		{"old-methods", pageLen(decodeOld)},
		{"json-unmarshal", pageLen(decodePublic)},
		{"alt-method-flat", pageLen(decodeAltFlat)},
		{"alt-wire", pageLen(decodeWire)},
		{"alt-wire-embedded", pageLen(decodeWireEmbedded)},
	}
	for _, side := range sides {
		b.Run("impl="+side.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				n, err := side.decode(body)
				if err != nil {
					b.Fatal(err)
				}
				if n != pageSize {
					b.Fatalf("decoded %d stages, want %d", n, pageSize)
				}
			}
		})
	}
}

// pageLen adapts a page decoder to BenchmarkDecodeAlternatives' sides.
func pageLen(decode func([]byte) (*authentik.Page[authentik.EmailStage], error)) func([]byte) (int, error) {
	return func(body []byte) (int, error) {
		p, err := decode(body)
		if err != nil {
			return 0, err
		}
		return len(p.Results), nil
	}
}

// oldRuleChanged names the inputs on which the library's rules changed in
// 8102d05, so old-methods decodes them differently by design: a flow whose
// background_url is "" now takes its background.
var oldRuleChanged = map[string]bool{"edge: both, url empty": true}

// quirkTableChanged names the inputs no release sends (background_url and a
// URL in background in one body) on which issue 17's quirk table decides by
// the body, not by each flow: a body with background_url anywhere is from
// 2025.12 or newer, where "background" is the stored value. Every alternative
// decides per flow, so only the SDK is held to the new rule on them.
var quirkTableChanged = map[string]bool{"edge: two flows": true, "edge: url null, background": true, "edge: both, url empty": true}

// TestDecodeAlternativesAgree: every way of decoding decodes exactly what
// json.Unmarshal into the public types does, and so does the SDK's List (its
// wire path, over memTransport), on B2's page, on the library's fixtures of
// every server generation, and on the edge cases of compat.go. old-methods is
// held to the same, except where 8102d05 changed the rules.
func TestDecodeAlternativesAgree(t *testing.T) {
	bodies := map[string][]byte{"B2 page": decodePage()}
	for _, name := range []string{"email_stages_2025.json", "email_stages_2026_page1.json", "email_stages_2026_page2.json"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		bodies[name] = b
	}
	const flow = `"pk":"f","name":"n","slug":"s","designation":"recovery"`
	edge := map[string]string{
		// An email stage has from_address and use_global_settings: the quirk
		// table converts token_expiry only in objects that have both.
		"token_expiry number":     `{"pk":"a","from_address":"a@example.com","use_global_settings":true,"token_expiry":30,"flow_set":[]}`,
		"token_expiry negative":   `{"pk":"a","from_address":"a@example.com","use_global_settings":true,"token_expiry":-5}`,
		"token_expiry null":       `{"pk":"a","token_expiry":null}`,
		"token_expiry absent":     `{"pk":"a"}`,
		"token_expiry escaped":    `{"pk":"a","token_expiry":"minutes=\u0033\u0030"}`,
		"token_expiry bad utf-8":  "{\"pk\":\"a\",\"token_expiry\":\"minutes=\xff\"}",
		"flow_set null":           `{"pk":"a","flow_set":null}`,
		"background only":         `{"pk":"a","flow_set":[{` + flow + `,"background":"/old.jpg"}]}`,
		"background_url only":     `{"pk":"a","flow_set":[{` + flow + `,"background_url":"/new.jpg"}]}`,
		"both, url wins":          `{"pk":"a","flow_set":[{` + flow + `,"background":"/old.jpg","background_url":"/new.jpg"}]}`,
		"both, url empty":         `{"pk":"a","flow_set":[{` + flow + `,"background":"/old.jpg","background_url":""}]}`,
		"url null, background":    `{"pk":"a","flow_set":[{` + flow + `,"background_url":null,"background":"/old.jpg"}]}`,
		"neither":                 `{"pk":"a","flow_set":[{` + flow + `}]}`,
		"two flows":               `{"pk":"a","flow_set":[{` + flow + `,"background":"/1"},{` + flow + `,"background_url":"/2"}]}`,
		"pagination float":        `{"pk":"a"}`, // wrapped below with a float pagination
		"unknown fields":          `{"pk":"a","future":{"x":[1,2]},"flow_set":[{` + flow + `,"future":true}]}`,
		"token_expiry bad object": `{"pk":"a","token_expiry":{}}`,
	}
	for name, item := range edge {
		pag := `{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1}`
		if name == "pagination float" {
			pag = `{"next":0,"previous":0,"count":1.0,"current":1e0,"total_pages":1,"start_index":1,"end_index":1}`
		}
		bodies["edge: "+name] = []byte(`{"pagination":` + pag + `,"results":[` + item + `],"autocomplete":{}}`)
	}
	ctx := context.Background()
	for name, body := range bodies {
		// The reference is the SDK's own decoding (since issue 17 the models
		// are method-free and the decoder applies the quirk table first).
		sdk := sdkClient(t, memBase, 0, memTransport{body})
		want, wantErr := sdk.EmailStages.List(ctx, listOpts)
		for alt, decode := range map[string]func([]byte) (*authentik.Page[authentik.EmailStage], error){
			"old-methods":       decodeOld,
			"alt-method-flat":   decodeAltFlat,
			"alt-wire":          decodeWire,
			"alt-wire-embedded": decodeWireEmbedded,
			"sdk-list": func([]byte) (*authentik.Page[authentik.EmailStage], error) {
				return sdk.EmailStages.List(ctx, listOpts)
			},
		} {
			if (alt == "old-methods" && oldRuleChanged[name]) || (alt != "sdk-list" && quirkTableChanged[name]) {
				continue
			}
			got, err := decode(body)
			if (err != nil) != (wantErr != nil) {
				t.Errorf("%s, %s: error %v, the public types' methods: %v", name, alt, err, wantErr)
				continue
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: decoded\n%+v\nthe public types' methods decoded\n%+v", name, alt, *got, *want)
			}
		}
	}
	// The rule that changed twice: an empty background_url beside a
	// background. Before 8102d05 the empty URL won; then the background; since
	// issue 17 the empty URL again (a release that sends background_url sends
	// "background" as the stored value, not the URL).
	body := bodies["edge: both, url empty"]
	sdk := sdkClient(t, memBase, 0, memTransport{body})
	for alt, decode := range map[string]func([]byte) (*authentik.Page[authentik.EmailStage], error){
		"old-methods": decodeOld,
		"sdk-list": func([]byte) (*authentik.Page[authentik.EmailStage], error) {
			return sdk.EmailStages.List(ctx, listOpts)
		},
	} {
		p, err := decode(body)
		if err != nil {
			t.Fatalf("%s: %v", alt, err)
		}
		got, wantBg := p.Results[0].FlowSet[0].Background, ""
		if got != wantBg {
			t.Errorf("%s on an empty background_url and a background: Background %q, want %q", alt, got, wantBg)
		}
	}
}
