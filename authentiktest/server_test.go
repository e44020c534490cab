package authentiktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/authentik-go/authentik"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testToken = "fake-token-for-tests"

// ruleServer holds a small, fixed data set: enough to pin every rule, with a
// default page size of 2 and a maximum of 3 so that paging shows on five stages.
func ruleServer(t *testing.T) *Server {
	t.Helper()
	s := NewServer(WithToken(testToken), WithPageSizes(2, 3))
	t.Cleanup(s.Close)
	recovery := authentik.FlowSet{Name: "Default recovery flow", Slug: "default-recovery-flow", Title: "Reset your password",
		Designation: authentik.FlowDesignationRecovery, PK: "2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"}
	enroll := authentik.FlowSet{Name: "Default enrollment Flow", Slug: "default-enrollment-flow", Title: "Welcome to authentik!",
		Designation: authentik.FlowDesignationEnrollment, PK: "1f0e6d7c-2b3a-4c5d-8e9f-0a1b2c3d4e5f"}
	s.AddEmailStages(
		authentik.EmailStage{PK: "00000000-0000-4000-8000-000000000001", Name: "default-recovery-email", Port: 25, Timeout: 10,
			UseTLS: false, TokenExpiry: "minutes=30", FlowSet: []authentik.FlowSet{recovery}},
		authentik.EmailStage{PK: "00000000-0000-4000-8000-000000000002", Name: "Magic Link", Port: 587, Timeout: 30,
			UseTLS: true, TokenExpiry: "hours=1"},
		authentik.EmailStage{PK: "00000000-0000-4000-8000-000000000003", Name: "alpha-email", Port: 465, Timeout: 10,
			UseSSL: true, TokenExpiry: "minutes=30"},
		authentik.EmailStage{PK: "00000000-0000-4000-8000-000000000004", Name: "recovery email backup", Port: 25, Timeout: 5,
			TokenExpiry: "minutes=30"},
		authentik.EmailStage{PK: "00000000-0000-4000-8000-000000000005", Name: "zeta", Port: 2525, Timeout: 10,
			TokenExpiry: "days=1"},
	)
	s.AddInvitationStages(
		authentik.InvitationStage{PK: "10000000-0000-4000-8000-000000000001", Name: "bound-twice", FlowSet: []authentik.FlowSet{recovery, enroll}},
		authentik.InvitationStage{PK: "10000000-0000-4000-8000-000000000002", Name: "flowless", ContinueFlowWithoutInvitation: true},
		authentik.InvitationStage{PK: "10000000-0000-4000-8000-000000000003", Name: "bound-once", FlowSet: []authentik.FlowSet{enroll}},
	)
	return s
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, s *Server, method, path, auth string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// listOf summarises a list response: its pagination exactly, and result names in order.
type listOf struct {
	Pagination   authentik.Pagination
	Names        []string
	Autocomplete map[string]any
}

func decodeList(t *testing.T, b []byte) listOf {
	t.Helper()
	var env struct {
		Pagination   authentik.Pagination `json:"pagination"`
		Results      []struct{ Name string }
		Autocomplete map[string]any `json:"autocomplete"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	l := listOf{Pagination: env.Pagination, Names: []string{}, Autocomplete: env.Autocomplete}
	for _, r := range env.Results {
		l.Names = append(l.Names, r.Name)
	}
	return l
}

func page(next, prev, count, cur, total, start, end int) authentik.Pagination {
	return authentik.Pagination{Next: next, Previous: prev, Count: count, Current: cur, TotalPages: total, StartIndex: start, EndIndex: end}
}

// TestRules pins each rule of the fake: a request, and the exact response. The
// comment on each group says where in authentik, DRF or django-filter it comes from.
func TestRules(t *testing.T) {
	t.Parallel()
	s := ruleServer(t)
	bearer := "Bearer " + testToken
	const email, inv = "/api/v3/stages/email/", "/api/v3/stages/invitation/stages/"
	all := []string{"Magic Link", "alpha-email", "default-recovery-email", "recovery email backup", "zeta"}
	tests := []struct {
		name, method, path, auth string
		status                   int
		body                     string  // exact JSON body, for errors
		list                     *listOf // for 200 lists
	}{
		// authentik/api/authentication.py, turned into 403 by DRF (no WWW-Authenticate).
		{"no header", "GET", email, "", 403, `{"detail":"Authentication credentials were not provided."}`, nil},
		{"scheme without token", "GET", email, "Bearer", 403, `{"detail":"Authentication credentials were not provided."}`, nil},
		{"basic auth", "GET", email, "Basic dXNlcjpwYXNz", 403, `{"detail":"Unsupported authentication type"}`, nil},
		{"token scheme", "GET", email, "Token " + testToken, 403, `{"detail":"Unsupported authentication type"}`, nil},
		{"wrong token", "GET", email, "Bearer not-the-token", 403, `{"detail":"Token invalid/expired"}`, nil},
		{"scheme in lower case", "GET", email, "bearer " + testToken, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), all[:2], map[string]any{}}},
		{"auth before a bad filter", "GET", email + "?port=x", "", 403, `{"detail":"Authentication credentials were not provided."}`, nil},

		// Django URL resolution and CommonMiddleware; DRF's MethodNotAllowed after authentication.
		{"unknown path", "GET", "/api/v3/stages/nope/", bearer, 404, `{"detail":"Not found."}`, nil},
		{"put on the collection refused", "PUT", email, bearer, 405, `{"detail":"Method \"PUT\" not allowed."}`, nil},

		// authentik's paginator (authentik/api/pagination.py) over DRF and Django.
		{"default page size", "GET", email, bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), all[:2], map[string]any{}}},
		{"page 2", "GET", email + "?page=2", bearer, 200, "", &listOf{page(3, 1, 5, 2, 3, 3, 4), all[2:4], map[string]any{}}},
		{"last page", "GET", email + "?page=3", bearer, 200, "", &listOf{page(0, 2, 5, 3, 3, 5, 5), all[4:], map[string]any{}}},
		{"page=last", "GET", email + "?page=last", bearer, 200, "", &listOf{page(0, 2, 5, 3, 3, 5, 5), all[4:], map[string]any{}}},
		{"empty page is 1", "GET", email + "?page=", bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), all[:2], map[string]any{}}},
		{"page with python int syntax", "GET", email + "?page=%2B2", bearer, 200, "", &listOf{page(3, 1, 5, 2, 3, 3, 4), all[2:4], map[string]any{}}},
		{"repeated page: the last wins", "GET", email + "?page=1&page=3", bearer, 200, "", &listOf{page(0, 2, 5, 3, 3, 5, 5), all[4:], map[string]any{}}},
		{"page 0", "GET", email + "?page=0", bearer, 404, `{"detail":"Invalid page."}`, nil},
		{"negative page", "GET", email + "?page=-1", bearer, 404, `{"detail":"Invalid page."}`, nil},
		{"page past the end", "GET", email + "?page=4", bearer, 404, `{"detail":"Invalid page."}`, nil},
		{"page not a number", "GET", email + "?page=abc", bearer, 404, `{"detail":"Invalid page."}`, nil},
		{"page as float", "GET", email + "?page=1.0", bearer, 404, `{"detail":"Invalid page."}`, nil},
		{"page_size", "GET", email + "?page_size=3", bearer, 200, "", &listOf{page(2, 0, 5, 1, 2, 1, 3), all[:3], map[string]any{}}},
		{"page_size capped", "GET", email + "?page_size=50", bearer, 200, "", &listOf{page(2, 0, 5, 1, 2, 1, 3), all[:3], map[string]any{}}},
		{"page_size 1", "GET", email + "?page_size=1&page=5", bearer, 200, "", &listOf{page(0, 4, 5, 5, 5, 5, 5), all[4:], map[string]any{}}},
		{"page_size not a number: PAGE_SIZE, capped", "GET", email + "?page_size=abc", bearer, 200, "", &listOf{page(2, 0, 5, 1, 2, 1, 3), all[:3], map[string]any{}}},
		{"page_size 0: PAGE_SIZE, capped", "GET", email + "?page_size=0", bearer, 200, "", &listOf{page(2, 0, 5, 1, 2, 1, 3), all[:3], map[string]any{}}},
		{"page_size negative: PAGE_SIZE, capped", "GET", email + "?page_size=-3", bearer, 200, "", &listOf{page(2, 0, 5, 1, 2, 1, 3), all[:3], map[string]any{}}},
		{"empty result", "GET", email + "?name=nobody", bearer, 200, "", &listOf{page(0, 0, 0, 1, 1, 0, 0), []string{}, map[string]any{}}},
		{"empty result page 2", "GET", email + "?name=nobody&page=2", bearer, 404, `{"detail":"Invalid page."}`, nil},

		// django-filter exact matches (EmailStageViewSet.filterset_fields).
		{"name", "GET", email + "?name=zeta", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"zeta"}, map[string]any{}}},
		{"name is stripped", "GET", email + "?name=%20zeta%20", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"zeta"}, map[string]any{}}},
		{"name is case-sensitive", "GET", email + "?name=ZETA", bearer, 200, "", &listOf{page(0, 0, 0, 1, 1, 0, 0), []string{}, map[string]any{}}},
		{"empty name: no filter", "GET", email + "?name=", bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), all[:2], map[string]any{}}},
		{"token_expiry", "GET", email + "?token_expiry=minutes%3D30&page_size=3", bearer, 200, "", &listOf{page(0, 0, 3, 1, 1, 1, 3), []string{"alpha-email", "default-recovery-email", "recovery email backup"}, map[string]any{}}},
		{"port", "GET", email + "?port=25", bearer, 200, "", &listOf{page(0, 0, 2, 1, 1, 1, 2), []string{"default-recovery-email", "recovery email backup"}, map[string]any{}}},
		{"port as decimal", "GET", email + "?port=25.0", bearer, 200, "", &listOf{page(0, 0, 2, 1, 1, 1, 2), []string{"default-recovery-email", "recovery email backup"}, map[string]any{}}},
		{"port truncated like int(Decimal)", "GET", email + "?port=25.9", bearer, 200, "", &listOf{page(0, 0, 2, 1, 1, 1, 2), []string{"default-recovery-email", "recovery email backup"}, map[string]any{}}},
		{"port 0", "GET", email + "?port=0", bearer, 200, "", &listOf{page(0, 0, 0, 1, 1, 0, 0), []string{}, map[string]any{}}},
		{"empty port: no filter", "GET", email + "?port=", bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), all[:2], map[string]any{}}},
		{"port not a number", "GET", email + "?port=abc", bearer, 400, `{"port":["Enter a number."]}`, nil},
		{"port NaN", "GET", email + "?port=NaN", bearer, 400, `{"port":["Enter a number."]}`, nil},
		{"port and timeout not numbers", "GET", email + "?port=x&timeout=y", bearer, 400, `{"port":["Enter a number."],"timeout":["Enter a number."]}`, nil},
		{"timeout too large", "GET", email + "?timeout=1e51", bearer, 400, `{"timeout":["Ensure this value is less than or equal to 1e+50."]}`, nil},
		{"bad filter before bad page", "GET", email + "?port=x&page=99", bearer, 400, `{"port":["Enter a number."]}`, nil},
		// BooleanWidget (django_filters.rest_framework): true/false/1/0, any case.
		{"use_tls true", "GET", email + "?use_tls=true", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"Magic Link"}, map[string]any{}}},
		{"use_tls TRUE", "GET", email + "?use_tls=TRUE", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"Magic Link"}, map[string]any{}}},
		{"use_tls 1", "GET", email + "?use_tls=1", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"Magic Link"}, map[string]any{}}},
		{"use_ssl 0", "GET", email + "?use_ssl=0&page_size=3", bearer, 200, "", &listOf{page(2, 0, 4, 1, 2, 1, 3), []string{"Magic Link", "default-recovery-email", "recovery email backup"}, map[string]any{}}},
		{"use_tls maybe: no filter", "GET", email + "?use_tls=maybe", bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), all[:2], map[string]any{}}},

		// DRF SearchFilter, search_fields = ["name"]: every term, icontains.
		{"search", "GET", email + "?search=RECOVERY", bearer, 200, "", &listOf{page(0, 0, 2, 1, 1, 1, 2), []string{"default-recovery-email", "recovery email backup"}, map[string]any{}}},
		{"search terms all match", "GET", email + "?search=backup+recovery", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"recovery email backup"}, map[string]any{}}},
		{"search commas split", "GET", email + "?search=email,alpha", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"alpha-email"}, map[string]any{}}},
		{"search quoted phrase", "GET", email + "?search=%22email+backup%22", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"recovery email backup"}, map[string]any{}}},
		{"search nothing", "GET", email + "?search=nothing-matches", bearer, 200, "", &listOf{page(0, 0, 0, 1, 1, 0, 0), []string{}, map[string]any{}}},

		// DRF OrderingFilter; the viewset's ordering = ["name"] by default.
		{"ordering -name", "GET", email + "?ordering=-name", bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), []string{"zeta", "recovery email backup"}, map[string]any{}}},
		{"ordering by two fields", "GET", email + "?ordering=port,-name&page_size=3", bearer, 200, "", &listOf{page(2, 0, 5, 1, 2, 1, 3), []string{"recovery email backup", "default-recovery-email", "alpha-email"}, map[string]any{}}},
		{"ordering unknown field ignored", "GET", email + "?ordering=-nope,timeout&page_size=3", bearer, 200, "", &listOf{page(2, 0, 5, 1, 2, 1, 3), []string{"recovery email backup", "default-recovery-email", "alpha-email"}, map[string]any{}}},
		{"ordering only unknown: name", "GET", email + "?ordering=component", bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), all[:2], map[string]any{}}},
		{"ordering by pk", "GET", email + "?ordering=-pk", bearer, 200, "", &listOf{page(2, 0, 5, 1, 3, 1, 2), []string{"zeta", "recovery email backup"}, map[string]any{}}},

		// InvitationStageFilter: a plain django-filter FilterSet (NullBooleanSelect).
		{"no_flows true", "GET", inv + "?no_flows=true", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"flowless"}, map[string]any{}}},
		{"no_flows True", "GET", inv + "?no_flows=True", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"flowless"}, map[string]any{}}},
		{"no_flows false: one row per flow", "GET", inv + "?no_flows=false&page_size=3", bearer, 200, "", &listOf{page(0, 0, 3, 1, 1, 1, 3), []string{"bound-once", "bound-twice", "bound-twice"}, map[string]any{}}},
		{"no_flows 1: no filter", "GET", inv + "?no_flows=1&page_size=3", bearer, 200, "", &listOf{page(0, 0, 3, 1, 1, 1, 3), []string{"bound-once", "bound-twice", "flowless"}, map[string]any{}}},
		{"continue_flow_without_invitation", "GET", inv + "?continue_flow_without_invitation=true", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"flowless"}, map[string]any{}}},
		{"continue_flow_without_invitation TRUE: no filter", "GET", inv + "?continue_flow_without_invitation=TRUE&page_size=3", bearer, 200, "", &listOf{page(0, 0, 3, 1, 1, 1, 3), []string{"bound-once", "bound-twice", "flowless"}, map[string]any{}}},
		{"stage_uuid", "GET", inv + "?stage_uuid=10000000-0000-4000-8000-000000000003", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"bound-once"}, map[string]any{}}},
		{"stage_uuid in braces", "GET", inv + "?stage_uuid=%7B10000000000040008000000000000003%7D", bearer, 200, "", &listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"bound-once"}, map[string]any{}}},
		{"stage_uuid not a uuid", "GET", inv + "?stage_uuid=not-a-uuid", bearer, 400, `{"stage_uuid":["Enter a valid UUID."]}`, nil},

		// ModelViewSet.retrieve: get_object with DRF's get_object_or_404.
		{"retrieve unknown uuid", "GET", email + "00000000-0000-4000-8000-000000000099/", bearer, 404, `{"detail":"No EmailStage matches the given query."}`, nil},
		{"retrieve not a uuid", "GET", email + "abc/", bearer, 404, `{"detail":"Not found."}`, nil},
		{"retrieve filtered away", "GET", inv + "10000000-0000-4000-8000-000000000002/?no_flows=false", bearer, 404, `{"detail":"No InvitationStage matches the given query."}`, nil},
		{"retrieve with a bad filter", "GET", inv + "10000000-0000-4000-8000-000000000002/?stage_uuid=x", bearer, 400, `{"stage_uuid":["Enter a valid UUID."]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, s, tt.method, tt.path, tt.auth)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.list == nil {
				if string(r.body) != tt.body {
					t.Errorf("body %s\nwant %s", r.body, tt.body)
				}
				return
			}
			if got := decodeList(t, r.body); !reflect.DeepEqual(got, *tt.list) {
				t.Errorf("got  %+v\nwant %+v", got, *tt.list)
			}
		})
	}
}

// TestRetrieveBody: a retrieve answers the stage alone, every field as the
// schema names it, computed values filled in.
func TestRetrieveBody(t *testing.T) {
	t.Parallel()
	s := ruleServer(t)
	r := get(t, s, "GET", "/api/v3/stages/email/00000000-0000-4000-8000-000000000001/", "Bearer "+testToken)
	want := `{"pk":"00000000-0000-4000-8000-000000000001","name":"default-recovery-email","component":"ak-stage-email-form",` +
		`"verbose_name":"Email Stage","verbose_name_plural":"Email Stages","meta_model_name":"authentik_stages_email.emailstage",` +
		`"flow_set":[{"pk":"2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d","policybindingmodel_ptr_id":"2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",` +
		`"name":"Default recovery flow","slug":"default-recovery-flow","title":"Reset your password","designation":"recovery",` +
		`"background_url":"/static/dist/assets/images/flow_background.jpg","policy_engine_mode":"","compatibility_mode":false,` +
		`"export_url":"/api/v3/flows/instances/default-recovery-flow/export/","layout":"","denied_action":""}],` +
		`"use_global_settings":false,"host":"","port":25,"username":"","use_tls":false,"use_ssl":false,"timeout":10,` +
		`"from_address":"","token_expiry":"minutes=30","subject":"","template":"","activate_user_on_success":false,` +
		`"recovery_max_attempts":0,"recovery_cache_timeout":""}`
	// Every key and value; the order of the keys is the model's.
	var gotV, wantV any
	if r.status != 200 || json.Unmarshal(r.body, &gotV) != nil || json.Unmarshal([]byte(want), &wantV) != nil || !reflect.DeepEqual(gotV, wantV) {
		t.Errorf("status %d body\n%s\nwant\n%s", r.status, r.body, want)
	}
	// A stage with no flows has an empty list, never null (flow_set is a required array).
	r = get(t, s, "GET", "/api/v3/stages/invitation/stages/10000000-0000-4000-8000-000000000002/", "Bearer "+testToken)
	if !strings.Contains(string(r.body), `"flow_set":[]`) {
		t.Errorf("body %s", r.body)
	}
}

// TestSlashRedirect: Django's APPEND_SLASH answers 301 to the same path with a slash.
func TestSlashRedirect(t *testing.T) {
	t.Parallel()
	s := ruleServer(t)
	r := get(t, s, "GET", "/api/v3/stages/email?page=2", "")
	if r.status != 301 || r.header.Get("Location") != "/api/v3/stages/email/?page=2" {
		t.Errorf("status %d, Location %q", r.status, r.header.Get("Location"))
	}
}

// TestFailNext: the next n requests answer the status with Retry-After, then
// the server answers normally; Requests counts them all.
func TestFailNext(t *testing.T) {
	t.Parallel()
	s := ruleServer(t)
	s.FailNext(2, 503, 1500*time.Millisecond)
	for i := 0; i < 2; i++ {
		r := get(t, s, "GET", "/api/v3/stages/email/", "Bearer "+testToken)
		if r.status != 503 || r.header.Get("Retry-After") != "2" || string(r.body) != `{"detail":"Service Unavailable"}` {
			t.Errorf("try %d: %d %q %s", i, r.status, r.header.Get("Retry-After"), r.body)
		}
	}
	s.FailNext(1, 429, 0)
	if r := get(t, s, "GET", "/api/v3/stages/email/", "Bearer "+testToken); r.status != 429 || r.header.Get("Retry-After") != "" {
		t.Errorf("429: %d %q", r.status, r.header.Get("Retry-After"))
	}
	if r := get(t, s, "GET", "/api/v3/stages/email/", "Bearer "+testToken); r.status != 200 {
		t.Errorf("after the faults: %d", r.status)
	}
	if n := s.Requests(); n != 4 {
		t.Errorf("Requests() = %d, want 4", n)
	}
}

// TestConcurrentRequests: the server is safe for concurrent requests and adds (-race).
func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	s := ruleServer(t)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if r := get(t, s, "GET", "/api/v3/stages/email/?ordering=-port", "Bearer "+testToken); r.status != 200 {
				t.Errorf("status %d", r.status)
			}
		}()
		go func() {
			defer wg.Done()
			s.AddEmailStages(authentik.EmailStage{Name: "added"})
		}()
	}
	wg.Wait()
	if n := s.Requests(); n != 20 {
		t.Errorf("Requests() = %d", n)
	}
}

// TestCloseLeavesNothing: after Close, no goroutine of the server or of a client
// that used it is left, even with a delayed response pending.
func TestCloseLeavesNothing(t *testing.T) {
	s := NewServer(WithDemoData(), WithLatency(time.Hour))
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequest("GET", s.URL+"/api/v3/stages/email/", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	for s.Requests() == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Close() // must not wait for the hour
	<-done
	http.DefaultClient.CloseIdleConnections()
	goleak.VerifyNone(t)
}

// TestFailNextBadStatus: a status that is not an HTTP status is the calling
// test's mistake, reported where it is made rather than as a dropped connection.
func TestFailNextBadStatus(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, status := range []int{0, 99, 600, -1} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "not an HTTP status") {
					t.Errorf("FailNext(1, %d, 0): recovered %v", status, r)
				}
			}()
			s.FailNext(1, status, 0)
		}()
	}
}
