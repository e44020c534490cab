package authentiktest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
)

// send is get with a body and a content type.
func send(t *testing.T, s *Server, method, path, contentType, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, b}
}

// TestWriteRules pins every write rule with its exact answer: DRF's messages
// (rest_framework/fields.py), authentik's validators (timedelta_string_validator
// in authentik/lib/utils/time.py, validate_template in authentik/stages/email/
// api.py), Stage.name's uniqueness (authentik/flows/models.py), and
// ORJSONParser's and DRF's answers to bodies that are not objects.
func TestWriteRules(t *testing.T) {
	t.Parallel()
	const (
		email = "/api/v3/stages/email/"
		inv   = "/api/v3/stages/invitation/stages/"
		json_ = "application/json"
		one   = "00000000-0000-4000-8000-000000000001/"
	)
	tests := []struct {
		name, method, path, contentType, body string
		status                                int
		want                                  string // the exact body, or "" to skip
	}{
		{"create without name", "POST", email, json_, `{"host":"h"}`, 400, `{"name":["This field is required."]}`},
		{"create with a blank name", "POST", email, json_, `{"name":"  "}`, 400, `{"name":["This field may not be blank."]}`},
		{"create with a null name", "POST", email, json_, `{"name":null}`, 400, `{"name":["This field may not be null."]}`},
		{"name not a string", "POST", email, json_, `{"name":true}`, 400, `{"name":["Not a valid string."]}`},
		{"name taken by an email stage", "POST", email, json_, `{"name":"Magic Link"}`, 400, `{"name":["stage with this name already exists."]}`},
		{"name taken by an invitation stage", "POST", email, json_, `{"name":"flowless"}`, 400, `{"name":["stage with this name already exists."]}`},
		{"invitation stage name taken by an email stage", "POST", inv, json_, `{"name":"alpha-email"}`, 400, `{"name":["stage with this name already exists."]}`},
		{"bad email", "POST", email, json_, `{"name":"n1","from_address":"not-an-address"}`, 400, `{"from_address":["Enter a valid email address."]}`},
		{"bad token_expiry", "POST", email, json_, `{"name":"n1","token_expiry":"hours=3,minutes=17"}`, 400, `{"token_expiry":["hours=3,minutes=17 is not in the correct format of 'hours=3;minutes=1'."]}`},
		{"bad recovery_cache_timeout", "POST", email, json_, `{"name":"n1","recovery_cache_timeout":"60"}`, 400, `{"recovery_cache_timeout":["60 is not in the correct format of 'hours=3;minutes=1'."]}`},
		{"bad template", "POST", email, json_, `{"name":"n1","template":"x.html"}`, 400, `{"template":["Invalid template 'x.html' specified."]}`},
		{"port not a number", "POST", email, json_, `{"name":"n1","port":"abc"}`, 400, `{"port":["A valid integer is required."]}`},
		{"port too large", "POST", email, json_, `{"name":"n1","port":2147483648}`, 400, `{"port":["Ensure this value is less than or equal to 2147483647."]}`},
		{"recovery_max_attempts negative", "POST", email, json_, `{"name":"n1","recovery_max_attempts":-1}`, 400, `{"recovery_max_attempts":["Ensure this value is greater than or equal to 0."]}`},
		{"bool not a bool", "POST", email, json_, `{"name":"n1","use_tls":"maybe"}`, 400, `{"use_tls":["Must be a valid boolean."]}`},
		{"several errors", "POST", email, json_, `{"port":"x","use_ssl":2}`, 400, `{"name":["This field is required."],"port":["A valid integer is required."],"use_ssl":["Must be a valid boolean."]}`},
		{"body not an object", "POST", email, json_, `["x"]`, 400, `{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}`},
		{"body null", "POST", email, json_, `null`, 400, `{"non_field_errors":["No data provided"]}`},
		{"body not json", "POST", email, json_, `{bad`, 400, ""},
		{"not json at all", "POST", email, "text/plain", `name=x`, 415, `{"detail":"Unsupported media type \"text/plain\" in request."}`},
		{"empty body: no name", "POST", email, "", ``, 400, `{"name":["This field is required."]}`},
		{"put without name", "PUT", email + one, json_, `{"host":"h"}`, 400, `{"name":["This field is required."]}`},
		{"put unknown", "PUT", email + "00000000-0000-4000-8000-000000000099/", json_, `{"name":"x"}`, 404, `{"detail":"No EmailStage matches the given query."}`},
		{"patch to a taken name", "PATCH", email + one, json_, `{"name":"zeta"}`, 400, `{"name":["stage with this name already exists."]}`},
		{"delete unknown", "DELETE", email + "00000000-0000-4000-8000-000000000099/", "", ``, 404, `{"detail":"No EmailStage matches the given query."}`},
		{"delete not a uuid", "DELETE", email + "abc/", "", ``, 404, `{"detail":"Not found."}`},
		{"post to an object refused", "POST", email + one, json_, `{}`, 405, `{"detail":"Method \"POST\" not allowed."}`},
		{"templates", "GET", email + "templates/", "", ``, 200, `[{"component":"","deprecated":false,"description":"Password Reset","model_name":"","name":"email/password_reset.html","requires_enterprise":false},{"component":"","deprecated":false,"description":"Account Confirmation","model_name":"","name":"email/account_confirmation.html","requires_enterprise":false},{"component":"","deprecated":false,"description":"Email OTP","model_name":"","name":"email/email_otp.html","requires_enterprise":false},{"component":"","deprecated":false,"description":"Event Notification","model_name":"","name":"email/event_notification.html","requires_enterprise":false},{"component":"","deprecated":false,"description":"Invitation","model_name":"","name":"email/invitation.html","requires_enterprise":false}]`},
		{"used_by of a bound stage", "GET", email + one + "used_by/", "", ``, 200, `[{"action":"cascade_many","app":"authentik_flows","model_name":"flow","name":"Flow Default recovery flow (default-recovery-flow)","pk":"2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"},{"action":"cascade","app":"authentik_flows","model_name":"flowstagebinding","name":"Flow-stage binding #10 to 2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d","pk":"` + bindingPK("00000000-0000-4000-8000-000000000001", "2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d") + `"}]`},
		{"used_by of an unbound stage", "GET", email + "00000000-0000-4000-8000-000000000002/used_by/", "", ``, 200, `[]`},
		{"used_by unknown", "GET", email + "00000000-0000-4000-8000-000000000099/used_by/", "", ``, 404, `{"detail":"No EmailStage matches the given query."}`},
		{"flow by slug", "GET", "/api/v3/flows/instances/default-recovery-flow/", "", ``, 200, ""},
		{"a flow needs its required fields", "POST", "/api/v3/flows/instances/", json_, `{}`, 400, `{"designation":["This field is required."],"name":["This field is required."],"slug":["This field is required."],"title":["This field is required."]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := ruleServer(t)
			r := send(t, s, tt.method, tt.path, tt.contentType, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.want != "" && string(r.body) != tt.want {
				t.Errorf("body %s\nwant %s", r.body, tt.want)
			}
			if tt.status == 400 && tt.want == "" && !bytes.HasPrefix(r.body, []byte(`{"detail":"JSON parse error - `)) {
				t.Errorf("body %s", r.body)
			}
		})
	}
}

// TestWriteLifecycle: create fills the model's defaults and hides the
// password; PUT keeps what it does not send; PATCH changes only what it sends;
// delete removes; the snapshots and the request log follow.
func TestWriteLifecycle(t *testing.T) {
	t.Parallel()
	s := ruleServer(t)
	r := send(t, s, "POST", "/api/v3/stages/email/", "application/json", `{"name":" new-stage ","password":"fake-pw-1","port":"587","use_tls":"yes"}`)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created map[string]any
	_ = json.Unmarshal(r.body, &created)
	pk, _ := created["pk"].(string)
	want := map[string]any{"pk": pk, "name": "new-stage", "component": "ak-stage-email-form", "verbose_name": "Email Stage",
		"verbose_name_plural": "Email Stages", "meta_model_name": "authentik_stages_email.emailstage", "flow_set": []any{},
		"use_global_settings": false, "host": "localhost", "port": 587.0, "username": "", "use_tls": true, "use_ssl": false,
		"timeout": 10.0, "from_address": "system@authentik.local", "token_expiry": "minutes=30", "subject": "authentik",
		"template": "email/password_reset.html", "activate_user_on_success": false, "recovery_max_attempts": 5.0,
		"recovery_cache_timeout": "minutes=5"}
	if !reflect.DeepEqual(created, want) {
		t.Errorf("created %v\nwant    %v", created, want)
	}
	item := "/api/v3/stages/email/" + pk + "/"
	if r := send(t, s, "PUT", item, "application/json", `{"name":"new-stage","subject":"Hello"}`); r.status != 200 ||
		!strings.Contains(string(r.body), `"port":587`) || !strings.Contains(string(r.body), `"subject":"Hello"`) {
		t.Errorf("put: %d %s", r.status, r.body)
	}
	if r := send(t, s, "PATCH", item, "application/json", `{"host":"smtp.example.com"}`); r.status != 200 ||
		!strings.Contains(string(r.body), `"host":"smtp.example.com"`) || !strings.Contains(string(r.body), `"subject":"Hello"`) {
		t.Errorf("patch: %d %s", r.status, r.body)
	}
	var found *authentik.EmailStage
	for _, st := range s.EmailStages() {
		if st.PK == pk {
			found = &st
		}
	}
	if found == nil || found.Host != "smtp.example.com" || found.Subject != "Hello" || found.Port != 587 {
		t.Errorf("snapshot: %+v", found)
	}
	if r := send(t, s, "DELETE", item, "", ""); r.status != 204 || len(r.body) != 0 {
		t.Errorf("delete: %d %q", r.status, r.body)
	}
	if r := send(t, s, "GET", item, "", ""); r.status != 404 {
		t.Errorf("after delete: %d", r.status)
	}
	for _, st := range s.EmailStages() {
		if st.PK == pk {
			t.Errorf("still in the snapshot")
		}
	}
	log := s.RequestLog()
	if len(log) != 5 || log[0].Method != "POST" || log[0].Path != "/api/v3/stages/email/" || !strings.Contains(string(log[0].Body), "fake-pw-1") ||
		log[4].Method != "GET" {
		t.Errorf("request log: %+v", log)
	}
}

// TestFailWhen: only the matching requests fail, n times, with the given body.
func TestFailWhen(t *testing.T) {
	t.Parallel()
	s := ruleServer(t)
	s.FailWhen(func(r Request) bool { return r.Query.Get("page") == "2" }, 1, 502, "")
	s.FailWhen(func(r Request) bool { return r.Method == "POST" }, 2, 400, `{"name":["nope"]}`)
	if r := send(t, s, "GET", "/api/v3/stages/email/", "", ""); r.status != 200 {
		t.Errorf("page 1: %d", r.status)
	}
	if r := send(t, s, "GET", "/api/v3/stages/email/?page=2", "", ""); r.status != 502 || string(r.body) != `{"detail":"Bad Gateway"}` {
		t.Errorf("page 2: %d %s", r.status, r.body)
	}
	if r := send(t, s, "GET", "/api/v3/stages/email/?page=2", "", ""); r.status != 200 {
		t.Errorf("page 2 again: %d", r.status)
	}
	for i := 0; i < 3; i++ {
		r := send(t, s, "POST", "/api/v3/stages/email/", "application/json", `{"name":"fw"}`)
		if want := map[bool]int{true: 400, false: 201}[i < 2]; r.status != want {
			t.Errorf("post %d: %d %s", i, r.status, r.body)
		}
	}
}

// TestFailWhenMatcherMayCallTheServer: a matcher is the test's own code and
// may read the server (RequestLog, Requests, the snapshots) without
// deadlocking it; under concurrent requests a fault of n=3 still answers
// exactly 3 of them. A regression fails at the deadline instead of hanging
// (the hung server is then left open: Close would wait for it).
func TestFailWhenMatcherMayCallTheServer(t *testing.T) {
	t.Parallel()
	s := NewServer(WithToken(testToken))
	s.FailWhen(func(r Request) bool {
		return len(s.RequestLog()) > 0 && s.Requests() > 0 && len(s.EmailStages()) == 0 && len(s.Invitations()) == 0
	}, 3, 503, "")
	const n = 20
	statuses := make(chan int, n)
	for i := 0; i < n; i++ {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v3/stages/email/", nil)
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	count := map[int]int{}
	deadline := time.After(10 * time.Second)
	for i := 0; i < n; i++ {
		select {
		case st := <-statuses:
			count[st]++
		case <-deadline:
			t.Fatalf("after 10s only %d of %d requests answered (%v): a FailWhen matcher that calls the server deadlocks it", i, n, count)
		}
	}
	s.Close()
	if want := map[int]int{503: 3, 200: n - 3}; !reflect.DeepEqual(count, want) {
		t.Errorf("statuses %v, want %v", count, want)
	}
	if got := len(s.RequestLog()); got != n {
		t.Errorf("RequestLog holds %d, want %d", got, n)
	}
}
