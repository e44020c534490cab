package authentiktest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/authentik-go/authentik"
)

// writeStep is one SDK call of the write scenario, the exact request it must
// send, and the answer authentik gives (which the httpmock backend replays and
// the fake must produce by itself).
type writeStep struct {
	name         string
	call         func(c *authentik.Client, pk string) (any, error)
	method, path string // path relative to /api/v3/, "{pk}" for the stage created first
	body         string
	status       int
	answer       string
	wantErr      error
}

const opsPK = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"

var opsStage = `{"pk":"` + opsPK + `","name":"ops-mail","component":"ak-stage-email-form","verbose_name":"Email Stage","verbose_name_plural":"Email Stages","meta_model_name":"authentik_stages_email.emailstage","flow_set":[],"use_global_settings":false,"host":"%s","port":587,"username":"","use_tls":true,"use_ssl":false,"timeout":10,"from_address":"system@authentik.local","token_expiry":"minutes=30","subject":"%s","template":"email/password_reset.html","activate_user_on_success":false,"recovery_max_attempts":5,"recovery_cache_timeout":"minutes=5"}`

func opsAnswer(host, subject string) string { return fmt.Sprintf(opsStage, host, subject) }

var writeScenario = []writeStep{
	{"create", func(c *authentik.Client, _ string) (any, error) {
		return c.EmailStages.Create(context.Background(), &authentik.EmailStageRequest{Name: authentik.Ptr("ops-mail"),
			Host: authentik.Ptr("smtp.example.com"), Port: authentik.Ptr(587), UseTLS: authentik.Ptr(true), Password: authentik.Ptr("fake-pw")})
	}, "POST", "stages/email/", `{"name":"ops-mail","host":"smtp.example.com","port":587,"password":"fake-pw","use_tls":true}`,
		201, opsAnswer("smtp.example.com", "authentik"), nil},
	{"create again: the name is taken", func(c *authentik.Client, _ string) (any, error) {
		return c.EmailStages.Create(context.Background(), &authentik.EmailStageRequest{Name: authentik.Ptr("ops-mail")})
	}, "POST", "stages/email/", `{"name":"ops-mail"}`, 400, `{"name":["stage with this name already exists."]}`, authentik.ErrValidation},
	{"patch the subject", func(c *authentik.Client, pk string) (any, error) {
		return c.EmailStages.Patch(context.Background(), pk, &authentik.EmailStageRequest{Subject: authentik.Ptr("Reset")})
	}, "PATCH", "stages/email/{pk}/", `{"subject":"Reset"}`, 200, opsAnswer("smtp.example.com", "Reset"), nil},
	{"update the host, the rest kept", func(c *authentik.Client, pk string) (any, error) {
		return c.EmailStages.Update(context.Background(), pk, &authentik.EmailStageRequest{Name: authentik.Ptr("ops-mail"), Host: authentik.Ptr("mx.example.com")})
	}, "PUT", "stages/email/{pk}/", `{"name":"ops-mail","host":"mx.example.com"}`, 200, opsAnswer("mx.example.com", "Reset"), nil},
	{"a bad address", func(c *authentik.Client, pk string) (any, error) {
		return c.EmailStages.Patch(context.Background(), pk, &authentik.EmailStageRequest{FromAddress: authentik.Ptr("nobody")})
	}, "PATCH", "stages/email/{pk}/", `{"from_address":"nobody"}`, 400, `{"from_address":["Enter a valid email address."]}`, authentik.ErrValidation},
	{"used by nothing", func(c *authentik.Client, pk string) (any, error) {
		return c.EmailStages.UsedBy(context.Background(), pk)
	}, "GET", "stages/email/{pk}/used_by/", "", 200, `[]`, nil},
	{"templates", func(c *authentik.Client, _ string) (any, error) {
		return c.EmailStages.Templates(context.Background())
	}, "GET", "stages/email/templates/", "", 200, `[{"name":"email/password_reset.html","description":"Password Reset","component":"","model_name":"","requires_enterprise":false,"deprecated":false},{"name":"email/account_confirmation.html","description":"Account Confirmation","component":"","model_name":"","requires_enterprise":false,"deprecated":false},{"name":"email/email_otp.html","description":"Email OTP","component":"","model_name":"","requires_enterprise":false,"deprecated":false},{"name":"email/event_notification.html","description":"Event Notification","component":"","model_name":"","requires_enterprise":false,"deprecated":false},{"name":"email/invitation.html","description":"Invitation","component":"","model_name":"","requires_enterprise":false,"deprecated":false}]`, nil},
	{"delete", func(c *authentik.Client, pk string) (any, error) {
		return nil, c.EmailStages.Delete(context.Background(), pk)
	}, "DELETE", "stages/email/{pk}/", "", 204, "", nil},
	{"gone", func(c *authentik.Client, pk string) (any, error) {
		return c.EmailStages.Get(context.Background(), pk)
	}, "GET", "stages/email/{pk}/", "", 404, `{"detail":"No EmailStage matches the given query."}`, authentik.ErrNotFound},
	{"an invitation stage", func(c *authentik.Client, _ string) (any, error) {
		return c.InvitationStages.Create(context.Background(), &authentik.InvitationStageRequest{Name: authentik.Ptr("ops-invite")})
	}, "POST", "stages/invitation/stages/", `{"name":"ops-invite"}`, 201,
		`{"pk":"` + opsPK + `","name":"ops-invite","component":"ak-stage-invitation-form","verbose_name":"Invitation Stage","verbose_name_plural":"Invitation Stages","meta_model_name":"authentik_stages_invitation.invitationstage","flow_set":[],"continue_flow_without_invitation":false}`, nil},
}

// TestWriteScenarioOnBothBackends runs the scenario against httpmock (which
// checks every request exactly and replays authentik's answers) and against the
// fake: the SDK must return the same results from both, pks aside.
func TestWriteScenarioOnBothBackends(t *testing.T) {
	t.Parallel()
	results := map[string][]any{}
	for _, name := range []string{"httpmock", "fake"} {
		var c *authentik.Client
		if name == "fake" {
			s := Start(t, WithToken(testToken))
			c = s.Client()
		} else {
			mt := httpmock.NewMockTransport()
			step := 0
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				want := writeScenario[step]
				step++
				body := ""
				if r.Body != nil {
					b, _ := io.ReadAll(r.Body)
					body = string(b)
				}
				if path := "/api/v3/" + strings.ReplaceAll(want.path, "{pk}", opsPK); r.Method != want.method || r.URL.Path != path || r.URL.RawQuery != "" || body != want.body {
					t.Errorf("%s: sent %s %s?%s %s\nwant %s %s %s", want.name, r.Method, r.URL.Path, r.URL.RawQuery, body, want.method, path, want.body)
				}
				if r.Header.Get("Authorization") != "Bearer "+testToken || (body != "") != (r.Header.Get("Content-Type") == "application/json") {
					t.Errorf("%s: headers %v", want.name, r.Header)
				}
				resp := httpmock.NewStringResponse(want.status, want.answer)
				if want.answer != "" {
					resp.Header.Set("Content-Type", "application/json")
				}
				return resp, nil
			})
			var err error
			c, err = authentik.NewClient("https://authentik.example.com", testToken, authentik.WithHTTPClient(&http.Client{Transport: mt}))
			if err != nil {
				t.Fatal(err)
			}
		}
		pk := ""
		for _, st := range writeScenario {
			got, err := st.call(c, pk)
			if st.wantErr != nil {
				if !errors.Is(err, st.wantErr) {
					t.Fatalf("%s: %s: err = %v, want %v", name, st.name, err, st.wantErr)
				}
				var apiErr *authentik.APIError
				errors.As(err, &apiErr)
				got = apiErr.Fields
			} else if err != nil {
				t.Fatalf("%s: %s: %v", name, st.name, err)
			}
			if s, ok := got.(*authentik.EmailStage); ok {
				if pk == "" {
					pk = s.PK
				}
				cp := *s
				cp.PK = ""
				got = cp
			}
			if s, ok := got.(*authentik.InvitationStage); ok {
				cp := *s
				cp.PK = ""
				got = cp
			}
			results[name] = append(results[name], got)
		}
	}
	for i, st := range writeScenario {
		if a, b := results["httpmock"][i], results["fake"][i]; !reflect.DeepEqual(a, b) {
			t.Errorf("%s: httpmock %+v\nfake     %+v", st.name, a, b)
		}
	}
}

// TestDoAndGenericWalkersOnTheFake: Client.Do, List[T] and All[T] against the
// fake's flows, with a caller's type, and Do's errors as the services' are.
func TestDoAndGenericWalkersOnTheFake(t *testing.T) {
	t.Parallel()
	s := Start(t, WithDemoData(), WithPageSizes(2, 2))
	c := s.Client()
	ctx := context.Background()
	type flow struct {
		PK          string `json:"pk"`
		Slug        string `json:"slug"`
		Designation string `json:"designation"`
	}
	var f flow
	resp, err := c.Do(ctx, "GET", "flows/instances/default-recovery-flow/", nil, nil, &f)
	if err != nil || resp.StatusCode != 200 || f.Slug != "default-recovery-flow" || f.Designation != "recovery" {
		t.Fatalf("Do: %+v %+v %v", resp, f, err)
	}
	if _, err := c.Do(ctx, "GET", "flows/instances/nope/", nil, nil, &f); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("Do unknown: %v", err)
	}
	if _, err := c.Do(ctx, "POST", "flows/instances/", nil, map[string]string{"slug": "x"}, nil); err == nil {
		t.Errorf("Do POST on a read-only collection: no error")
	}
	page, err := authentik.List[flow](ctx, c, "flows/instances/", url.Values{"designation": {"enrollment"}})
	if err != nil || len(page.Results) != 2 || page.Pagination.TotalPages != 3 {
		t.Fatalf("List: %+v %v", page, err)
	}
	var slugs []string
	for f, err := range authentik.All[flow](ctx, c, "flows/instances/", url.Values{"designation": {"enrollment"}}) {
		if err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, f.Slug)
	}
	if len(slugs) != 6 || slugs[0] != "default-enrollment-flow" {
		t.Errorf("All: %v", slugs)
	}
	var walked []string
	for _, r := range s.RequestLog() {
		if r.Path == "/api/v3/flows/instances/" && r.Method == "GET" {
			walked = append(walked, r.Query.Encode())
		}
	}
	if want := []string{"designation=enrollment", "designation=enrollment", "designation=enrollment&page=2", "designation=enrollment&page=3"}; !reflect.DeepEqual(walked, want) {
		t.Errorf("requests %v, want %v", walked, want)
	}
}
