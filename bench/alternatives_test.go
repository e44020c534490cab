package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/authentik-go/authentik"
)

// Two cheaper ways to decode what compat.go decodes, measured against the SDK's
// current methods in BenchmarkDecodeAlternatives and checked to decode the same
// stages in TestDecodeAlternativesAgree. They are proposals for the library
// (see ../BENCHMARKS.md); the bench module only measures them.
//
// Why the current methods are slow: EmailStage.UnmarshalJSON and
// FlowSet.UnmarshalJSON each call json.Unmarshal again on their own bytes.
// encoding/json first skips an Unmarshaler's value to find its end, then the
// inner json.Unmarshal validates it (checkValid) and decodes it: an item's bytes
// are scanned 4 times instead of 2, its flow's 6 times.

// plainStage and plainFlow have the SDK's fields and no methods.
type (
	plainStage authentik.EmailStage
	plainFlow  authentik.FlowSet
)

// flowWire is a flow with its two background keys seen apart, and no method:
// background_url wins, then background (before 2025.12), as FlowSet.UnmarshalJSON does.
type flowWire struct {
	plainFlow
	URL    *string `json:"background_url"` // shadows plainFlow.Background
	Legacy *string `json:"background"`
}

func (w *flowWire) flow() authentik.FlowSet {
	f := authentik.FlowSet(w.plainFlow)
	switch {
	case w.URL != nil:
		f.Background = *w.URL
	case w.Legacy != nil:
		f.Background = *w.Legacy
	}
	return f
}

func flows(ws []flowWire) []authentik.FlowSet {
	if ws == nil {
		return nil
	}
	fs := make([]authentik.FlowSet, len(ws))
	for i := range ws {
		fs[i] = ws[i].flow()
	}
	return fs
}

// legacyMinutes is compat.go's legacyMinutes, with a fast path for a string
// that has no escape: its bytes are the value (what encoding/json does too).
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

// altMethodStage is proposal A1: EmailStage.UnmarshalJSON as today (embedding
// the method-free type), but with the flows decoded in the same pass instead of
// by FlowSet's method (a drop-in change to compat.go; FlowSet.UnmarshalJSON stays
// for whoever decodes a FlowSet alone).
type altMethodStage authentik.EmailStage

func (s *altMethodStage) UnmarshalJSON(data []byte) error {
	aux := struct {
		*plainStage
		FlowSet     []flowWire      `json:"flow_set"`     // shadows plainStage.FlowSet
		TokenExpiry json.RawMessage `json:"token_expiry"` // shadows plainStage.TokenExpiry
	}{plainStage: (*plainStage)(s)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	s.FlowSet = flows(aux.FlowSet)
	if aux.TokenExpiry == nil {
		return nil
	}
	v, err := legacyMinutes(aux.TokenExpiry)
	if err != nil {
		return fmt.Errorf("email stage %q: token_expiry: %w", s.PK, err)
	}
	s.TokenExpiry = v
	return nil
}

type altMethodPage struct {
	Pagination authentik.Pagination `json:"pagination"`
	Results    []altMethodStage     `json:"results"`
}

// decodeAltMethod is proposal A1 as the SDK would run it: one json.Unmarshal.
func decodeAltMethod(body []byte) (*authentik.Page[authentik.EmailStage], error) {
	var p altMethodPage
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

// altFlatStage is proposal A2: EmailStage.UnmarshalJSON decoding into the flat,
// method-free wire type of proposal B, then copying (also a drop-in change to
// compat.go). It still pays for being an Unmarshaler: the item is skipped,
// validated and decoded by a nested json.Unmarshal.
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
// of proposal B. encoding/json hands it the literal it has already scanned.
type tokenExpiry struct {
	v   string
	set bool
}

func (e *tokenExpiry) UnmarshalJSON(data []byte) error {
	v, err := legacyMinutes(data)
	e.v, e.set = v, true
	return err
}

// wireStage is proposal B: the SDK's list path decodes pages into method-free
// wire types (a hook only on the small token_expiry field) and copies them into
// EmailStage. EmailStage.UnmarshalJSON stays for callers who decode a stage
// themselves. The wire types list their fields flat, without embedding:
// encoding/json costs more per field of an embedded struct (it builds the
// error context with reflect.Type.Field for each one).
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

type wireFlow struct {
	PK                      string                     `json:"pk"`
	PolicyBindingModelPtrID string                     `json:"policybindingmodel_ptr_id"`
	Name                    string                     `json:"name"`
	Slug                    string                     `json:"slug"`
	Title                   string                     `json:"title"`
	Designation             authentik.FlowDesignation  `json:"designation"`
	URL                     *string                    `json:"background_url"`
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
		Title: w.Title, Designation: w.Designation, PolicyEngineMode: w.PolicyEngineMode,
		CompatibilityMode: w.CompatibilityMode, ExportURL: w.ExportURL, Layout: w.Layout, DeniedAction: w.DeniedAction,
	}
	switch {
	case w.URL != nil:
		f.Background = *w.URL
	case w.Legacy != nil:
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

type wirePage struct {
	Pagination authentik.Pagination `json:"pagination"`
	Results    []wireStage          `json:"results"`
}

func decodeWire(body []byte) (*authentik.Page[authentik.EmailStage], error) {
	var p wirePage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	out := &authentik.Page[authentik.EmailStage]{Pagination: p.Pagination}
	if p.Results != nil {
		out.Results = make([]authentik.EmailStage, len(p.Results))
		for i := range p.Results {
			out.Results[i] = p.Results[i].stage()
		}
	}
	return out, nil
}

// BenchmarkDecodeAlternatives measures the proposals on B2's page:
//
//	impl=json-unmarshal-mirror  the floor: method-free mirror types
//	impl=json-unmarshal         the SDK's types and methods today
//	impl=alt-method-embedded    proposal A1: EmailStage.UnmarshalJSON as today,
//	                            flows decoded in its pass, not by FlowSet's method
//	impl=alt-method-flat        proposal A2: EmailStage.UnmarshalJSON decoding
//	                            into flat method-free wire types, then copying
//	impl=alt-wire               proposal B: no method on the item; the page is
//	                            decoded into the flat wire types, then copied
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
		{"json-unmarshal", func(body []byte) (int, error) {
			var p authentik.Page[authentik.EmailStage]
			err := json.Unmarshal(body, &p)
			return len(p.Results), err
		}},
		{"alt-method-embedded", func(body []byte) (int, error) {
			p, err := decodeAltMethod(body)
			if err != nil {
				return 0, err
			}
			return len(p.Results), nil
		}},
		{"alt-method-flat", func(body []byte) (int, error) {
			p, err := decodeAltFlat(body)
			if err != nil {
				return 0, err
			}
			return len(p.Results), nil
		}},
		{"alt-wire", func(body []byte) (int, error) {
			p, err := decodeWire(body)
			if err != nil {
				return 0, err
			}
			return len(p.Results), nil
		}},
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

// TestDecodeAlternativesAgree: both proposals decode exactly what the SDK's
// methods decode, on B2's page, on the library's fixtures of every server
// generation, and on the edge cases of compat.go.
func TestDecodeAlternativesAgree(t *testing.T) {
	bodies := map[string][]byte{"B2 page": decodePage()}
	for _, name := range []string{"email_stages_2025.json", "email_stages_2026_page1.json", "email_stages_2026_page2.json"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		bodies[name] = b
	}
	const flow = `"pk":"f","name":"n","slug":"s"`
	edge := map[string]string{
		"token_expiry number":     `{"pk":"a","token_expiry":30,"flow_set":[]}`,
		"token_expiry negative":   `{"pk":"a","token_expiry":-5}`,
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
	for name, body := range bodies {
		var want authentik.Page[authentik.EmailStage]
		wantErr := json.Unmarshal(body, &want)
		for alt, decode := range map[string]func([]byte) (*authentik.Page[authentik.EmailStage], error){
			"alt-method-embedded": decodeAltMethod,
			"alt-method-flat":     decodeAltFlat,
			"alt-wire":            decodeWire,
		} {
			got, err := decode(body)
			if (err != nil) != (wantErr != nil) {
				t.Errorf("%s, %s: error %v, the SDK's methods: %v", name, alt, err, wantErr)
				continue
			}
			if err == nil && !reflect.DeepEqual(*got, want) {
				t.Errorf("%s, %s: decoded\n%+v\nthe SDK's methods decoded\n%+v", name, alt, *got, want)
			}
		}
	}
}
