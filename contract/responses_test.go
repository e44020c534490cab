package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

const (
	emailList      = "/api/v3/stages/email/"
	invitationList = "/api/v3/stages/invitation/stages/"
	jsonHeader     = "application/json"
)

func header() http.Header { return http.Header{"Content-Type": {jsonHeader}} }

// TestFixturesMatchSchema: every fixture file of the SDK's tests is a valid
// response of its operation. Fixtures recorded from older servers are listed by
// name and validated against that generation's differences (OlderGeneration).
func TestFixturesMatchSchema(t *testing.T) {
	current := map[string]string{
		"email_stages_2026_page1.json": emailList,
		"email_stages_2026_page2.json": emailList,
		"invitation_stages_2026.json":  invitationList,
	}
	older := map[string]string{
		"email_stages_2025.json":            emailList,                                           // integer token_expiry, "background", no autocomplete
		"invitation_stages_2025.json":       invitationList,                                      // "background", no autocomplete
		"email_stage_2025_10_retrieve.json": emailList + "5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b/", // captured from 2025.10.1
	}
	for gen, fixtures := range map[bool]map[string]string{false: current, true: older} {
		v := validator(t, gen)
		for name, uri := range fixtures {
			body := sdkFixture(t, name)
			if name == "email_stage_2025_10_retrieve.json" {
				// The reporter redacted the UUIDs; put UUIDs back
				// so that everything else is held to the schema's formats.
				body = bytes.ReplaceAll(body, []byte(`"XXXXXXXX"`), []byte(`"5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b"`))
				body = bytes.ReplaceAll(body, []byte(`"YYYYYYYYYY"`), []byte(`"5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b"`))
			}
			if err := v.Response(getRequest(t, uri), 200, header(), body); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	// The older fixtures really are older: the current schema refuses them.
	v := validator(t, false)
	for name, uri := range older {
		if name == "email_stage_2025_10_retrieve.json" {
			continue // its pk is redacted; refused for that alone
		}
		if err := v.Response(getRequest(t, uri), 200, header(), sdkFixture(t, name)); err == nil {
			t.Errorf("%s passes the 2026.2 schema; it is not an older-generation fixture", name)
		}
	}
}

// TestErrorBodiesMatchSchema: authentik's 403 and DRF's 400 bodies, as the SDK's
// tests and the fake use them, are the schema's GenericError and ValidationError.
func TestErrorBodiesMatchSchema(t *testing.T) {
	v := validator(t, false)
	for _, tt := range []struct {
		status int
		body   string
	}{
		{403, `{"detail": "Token invalid/expired"}`},
		{403, `{"detail": "Authentication credentials were not provided."}`},
		{403, `{"detail": "Unsupported authentication type"}`},
		{403, `{"detail": "You do not have permission to perform this action."}`},
		{400, `{"port": ["Enter a number."]}`},
		{400, `{"stage_uuid": ["Enter a valid UUID."]}`},
	} {
		if err := v.Response(getRequest(t, emailList), tt.status, header(), []byte(tt.body)); err != nil {
			t.Errorf("%d %s: %v", tt.status, tt.body, err)
		}
	}
	// Not toothless: a 403 without detail, and a page without pagination, fail.
	for _, tt := range []struct {
		status int
		body   string
	}{
		{403, `{"code": "x"}`},
		{200, `{"results": [], "autocomplete": {}}`},
		{200, `{"pagination": {"next": 0}, "results": [], "autocomplete": {}}`},
	} {
		if err := v.Response(getRequest(t, emailList), tt.status, header(), []byte(tt.body)); err == nil {
			t.Errorf("%d %s: accepted", tt.status, tt.body)
		}
	}
}

// TestFakeResponsesMatchSchema: the fake's answers to every filter with valid,
// edge and invalid values, alone and combined, with good and bad credentials,
// are valid 200, 400 and 403 responses of the schema (its 404s are not in the schema).
func TestFakeResponsesMatchSchema(t *testing.T) {
	fake, proxy := fakeBehindProxy(t)
	values := map[string][]string{
		"bool":   {"true", "false", "1", "0", "TRUE", "True", "maybe", ""},
		"int":    {"25", "0", "-1", "25.5", "1e2", "abc", "NaN", ""},
		"string": {"default-recovery-email", "smtp.example.com", "minutes=30", "nope", " padded ", ""},
		"uuid":   {"9cadbecf-d0e1-42f3-8456-7a8b9cadbecf", "{9cadbecf-d0e1-42f3-8456-7a8b9cadbecf}", "not-a-uuid", ""},
		"page":   {"1", "2", "last", "0", "99", "x", ""},
		"size":   {"1", "3", "100", "500", "0", "-3", "abc", ""},
		"order":  {"name", "-name", "port,-pk", "nope", "-continue_flow_without_invitation", ""},
		"search": {"recovery", "DEMO stage", `"email stage"`, "nothing", ""},
	}
	params := map[string]map[string]string{
		emailList: {"activate_user_on_success": "bool", "from_address": "string", "host": "string", "name": "string",
			"port": "int", "subject": "string", "template": "string", "timeout": "int", "token_expiry": "string",
			"use_global_settings": "bool", "use_ssl": "bool", "use_tls": "bool", "username": "string",
			"ordering": "order", "page": "page", "page_size": "size", "search": "search"},
		invitationList: {"continue_flow_without_invitation": "bool", "name": "string", "no_flows": "bool",
			"stage_uuid": "uuid", "ordering": "order", "page": "page", "page_size": "size", "search": "search"},
	}
	client := &http.Client{}
	do := func(uri, auth string) int {
		req, err := http.NewRequest(http.MethodGet, proxy.URL+uri, nil)
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	seen := map[int]int{}
	bearer := "Bearer " + fake.Token
	for path, ps := range params {
		for name, kind := range ps {
			for _, v := range values[kind] {
				seen[do(fmt.Sprintf("%s?%s=%s", path, name, urlEscape(v)), bearer)]++
			}
		}
		// Combined: every filter at once, first with values that parse, then with bad ones.
		var good, bad []string
		for name, kind := range ps {
			good = append(good, name+"="+urlEscape(values[kind][0]))
			bad = append(bad, name+"="+urlEscape(values[kind][len(values[kind])-3]))
		}
		seen[do(path+"?"+strings.Join(good, "&"), bearer)]++
		seen[do(path+"?"+strings.Join(bad, "&"), bearer)]++
		for _, auth := range []string{"", "Basic dXNlcjpwYXNz", "Bearer wrong-token", "Token " + fake.Token} {
			seen[do(path, auth)]++
		}
		seen[do(path+"00000000-0000-4000-8000-000000000001/", bearer)]++
		seen[do(path+"9cadbecf-d0e1-42f3-8456-7a8b9cadbecf/", bearer)]++
	}
	seen[do(emailList+"7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d/", bearer)]++
	for _, status := range []int{200, 400, 403, 404} {
		if seen[status] == 0 {
			t.Errorf("no %d response was exercised: %v", status, seen)
		}
	}
	t.Logf("responses by status: %v", seen)
	for _, v := range proxy.ResponseViolations() {
		t.Error(v) // the bad requests themselves are expected to break the schema; the answers must not
	}
	if len(proxy.RequestViolations()) == 0 {
		t.Error("no request broke the schema: the bad values were not sent")
	}
}

// urlEscape escapes a query value.
func urlEscape(s string) string {
	r := strings.NewReplacer("%", "%25", " ", "%20", "&", "%26", "+", "%2B", "#", "%23", `"`, "%22", "{", "%7B", "}", "%7D")
	return r.Replace(s)
}
