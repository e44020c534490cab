package authentik

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// This file holds the decoding that differs from encoding/json's defaults, each
// for a server generation users still run (see ../shared/authentik/PROVENANCE.md).

// UnmarshalJSON decodes an email stage from any server generation: before 2025.4
// token_expiry was an integer number of minutes, decoded as "minutes=<n>".
func (s *EmailStage) UnmarshalJSON(data []byte) error {
	type plain EmailStage // no methods, so no recursion
	aux := struct {
		*plain
		TokenExpiry json.RawMessage `json:"token_expiry"` // shadows plain's field
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
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

// legacyMinutes decodes a duration that is a string, or a number of minutes from
// an older server.
func legacyMinutes(raw json.RawMessage) (string, error) {
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

// UnmarshalJSON decodes a flow from any server generation: authentik 2025.12
// renamed "background" to "background_url"; either fills Background, and
// background_url wins when both are present.
func (f *FlowSet) UnmarshalJSON(data []byte) error {
	type plain FlowSet
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
		return fmt.Errorf("pagination: %w", err)
	}
	fields := []struct {
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
		return 0, fmt.Errorf("%s is not a whole number", num)
	}
	return int(f), nil
}
