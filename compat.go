package authentik

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// This file holds the decoding that differs from encoding/json's defaults, each
// for a server generation users still run (see ../shared/authentik/PROVENANCE.md):
// before 2025.4 token_expiry was an integer number of minutes; before 2025.12 a
// flow's background image was "background", not "background_url".
//
// Pages are decoded into wire types that carry no UnmarshalJSON of their own:
// an UnmarshalJSON on each item makes encoding/json scan every item's bytes two
// more times (once to find its end, once to validate it again), which measured
// 2.4x slower on a 100-item page (bench/HISTORY.md). Only token_expiry, a short
// value, has a decode hook inside an item (Pagination has one, once a page). The public types' UnmarshalJSON methods decode
// through the same wire types, for callers who decode stages themselves.

// Field sets without methods, so that embedding them adds no UnmarshalJSON.
type (
	flowSetFields         FlowSet
	emailStageFields      EmailStage
	invitationStageFields InvitationStage
)

// wireFlowSet is a flow as any generation sends it.
type wireFlowSet struct {
	flowSetFields         // background_url lands in Background
	OldBackground *string `json:"background"` // before 2025.12
}

func (w *wireFlowSet) public() FlowSet {
	f := FlowSet(w.flowSetFields)
	if f.Background == "" && w.OldBackground != nil {
		f.Background = *w.OldBackground
	}
	return f
}

func publicFlows(wire []wireFlowSet) []FlowSet {
	if wire == nil {
		return nil
	}
	out := make([]FlowSet, len(wire))
	for i := range wire {
		out[i] = wire[i].public()
	}
	return out
}

// wireFlows is the inverse of publicFlows, so that decoding into a value that
// already holds flows keeps them when the JSON has no flow_set, as encoding/json does.
func wireFlows(set []FlowSet) []wireFlowSet {
	if set == nil {
		return nil
	}
	wire := make([]wireFlowSet, len(set))
	for i, f := range set {
		wire[i] = wireFlowSet{flowSetFields: flowSetFields(f)}
	}
	return wire
}

// wireEmailStage is an email stage as any generation sends it. Its own fields
// shadow the embedded ones with the same JSON names (encoding/json picks the
// shallower field).
type wireEmailStage struct {
	emailStageFields
	FlowSet     []wireFlowSet `json:"flow_set"`
	TokenExpiry minutesOrText `json:"token_expiry"`
}

func (w *wireEmailStage) public() EmailStage {
	s := EmailStage(w.emailStageFields)
	s.FlowSet = publicFlows(w.FlowSet)
	s.TokenExpiry = string(w.TokenExpiry)
	return s
}

// wireInvitationStage is an invitation stage as any generation sends it.
type wireInvitationStage struct {
	invitationStageFields
	FlowSet []wireFlowSet `json:"flow_set"`
}

func (w *wireInvitationStage) public() InvitationStage {
	s := InvitationStage(w.invitationStageFields)
	s.FlowSet = publicFlows(w.FlowSet)
	return s
}

// minutesOrText is token_expiry: a duration string, or from servers before
// 2025.4 an integer number of minutes, kept as "minutes=<n>".
type minutesOrText string

// UnmarshalJSON accepts a string, or a number kept as "minutes=<n>".
func (m *minutesOrText) UnmarshalJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil
	case raw[0] == '"':
		// encoding/json has validated the value: without escapes or invalid
		// UTF-8 its text is the string (saves a decode per stage).
		if inner := raw[1 : len(raw)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			*m = minutesOrText(inner)
			return nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		*m = minutesOrText(s)
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		*m = minutesOrText("minutes=" + string(raw))
	default:
		return fmt.Errorf("token_expiry: want a duration string or a number of minutes, got %s", jsonValueKind(jsonKindOf(raw)))
	}
	return nil
}

// UnmarshalJSON decodes an email stage from any server generation: before 2025.4
// token_expiry was an integer number of minutes, decoded as "minutes=<n>".
func (s *EmailStage) UnmarshalJSON(data []byte) error {
	w := wireEmailStage{emailStageFields: emailStageFields(*s), FlowSet: wireFlows(s.FlowSet), TokenExpiry: minutesOrText(s.TokenExpiry)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = w.public()
	return nil
}

// UnmarshalJSON decodes an invitation stage from any server generation (see FlowSet).
func (s *InvitationStage) UnmarshalJSON(data []byte) error {
	w := wireInvitationStage{invitationStageFields: invitationStageFields(*s), FlowSet: wireFlows(s.FlowSet)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = w.public()
	return nil
}

// UnmarshalJSON decodes a flow from any server generation: authentik 2025.12
// renamed "background" to "background_url"; either fills Background, and a
// non-empty background_url wins when both are present.
func (f *FlowSet) UnmarshalJSON(data []byte) error {
	w := wireFlowSet{flowSetFields: flowSetFields(*f)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*f = w.public()
	return nil
}

// UnmarshalJSON decodes the pagination object. The schema types its fields as
// "number": whole numbers written as floats (2.0, 1e2) are accepted, fractions are errors.
func (p *Pagination) UnmarshalJSON(data []byte) error {
	var aux struct {
		Next       json.Number `json:"next"`
		Previous   json.Number `json:"previous"`
		Count      json.Number `json:"count"`
		Current    json.Number `json:"current"`
		TotalPages json.Number `json:"total_pages"`
		StartIndex json.Number `json:"start_index"`
		EndIndex   json.Number `json:"end_index"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return fmt.Errorf("pagination: %w", describeJSONError(data, err))
	}
	fields := [...]struct {
		name string
		num  json.Number
		dst  *int
	}{
		{"next", aux.Next, &p.Next},
		{"previous", aux.Previous, &p.Previous},
		{"count", aux.Count, &p.Count},
		{"current", aux.Current, &p.Current},
		{"total_pages", aux.TotalPages, &p.TotalPages},
		{"start_index", aux.StartIndex, &p.StartIndex},
		{"end_index", aux.EndIndex, &p.EndIndex},
	}
	for _, f := range fields {
		if f.num == "" {
			continue
		}
		n, err := wholeNumber(f.num)
		if err != nil {
			return fmt.Errorf("pagination.%s: %w", f.name, err)
		}
		*f.dst = n
	}
	return nil
}

// wholeNumber converts a JSON number that must be a whole number within int's range.
func wholeNumber(num json.Number) (int, error) {
	if n, err := strconv.ParseInt(string(num), 10, strconv.IntSize); err == nil {
		return int(n), nil
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt || f >= math.MaxInt {
		return 0, errors.New("want a whole number")
	}
	return int(f), nil
}

// wireFlow is a full flow as any generation sends it: FlowSet's quirks
// (background before 2025.12) apply to it too.
type wireFlow struct {
	wireFlowSet
	Stages               []string           `json:"stages"`
	Policies             []string           `json:"policies"`
	CacheCount           int                `json:"cache_count"`
	Authentication       FlowAuthentication `json:"authentication"`
	BackgroundThemedURLs *struct {
		Light *string `json:"light"`
		Dark  *string `json:"dark"`
	} `json:"background_themed_urls"`
}

// UnmarshalJSON decodes a flow from any server generation (see FlowSet). The
// embedded FlowSet's own UnmarshalJSON would otherwise decode only its fields.
func (f *Flow) UnmarshalJSON(data []byte) error {
	var w wireFlow
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*f = Flow{FlowSet: w.wireFlowSet.public(), Stages: w.Stages, Policies: w.Policies, CacheCount: w.CacheCount,
		Authentication: w.Authentication}
	if w.OldBackground != nil && w.flowSetFields.Background != "" {
		// A server that sends background_url (2025.12 and newer) sends the
		// stored value as "background"; an older one sends the URL there.
		f.BackgroundFile = *w.OldBackground
	}
	if t := w.BackgroundThemedURLs; t != nil {
		f.BackgroundThemedURLs = &ThemedURLs{Light: deref(t.Light), Dark: deref(t.Dark)}
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
