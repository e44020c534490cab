package authentik

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
)

// writeCall records one request a write sent.
type writeCall struct {
	method, path, query, contentType string
	body                             []byte
}

// recordWrite answers status with body and records the request.
func recordWrite(t *testing.T, mu *sync.Mutex, calls *[]writeCall, status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		checkHeaders(t, r)
		var b []byte
		if r.Body != nil {
			b, _ = io.ReadAll(r.Body)
		}
		mu.Lock()
		*calls = append(*calls, writeCall{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), b})
		mu.Unlock()
		resp := httpmock.NewStringResponse(status, body)
		if body != "" {
			resp.Header.Set("Content-Type", "application/json")
		}
		return resp, nil
	}
}

const (
	writePK     = "5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b"
	emailAnswer = `{"pk":"` + writePK + `","name":"mail","component":"ak-stage-email-form","verbose_name":"Email Stage","verbose_name_plural":"Email Stages","meta_model_name":"authentik_stages_email.emailstage","flow_set":[],"use_global_settings":false,"host":"smtp.example.com","port":587,"username":"mailer","use_tls":true,"use_ssl":false,"timeout":10,"from_address":"auth@example.com","token_expiry":"minutes=30","subject":"authentik","template":"email/password_reset.html","activate_user_on_success":false,"recovery_max_attempts":5,"recovery_cache_timeout":"minutes=5"}`
	invPK       = "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"
	invBody     = `{"pk":"` + invPK + `","name":"invite","component":"ak-stage-invitation-form","verbose_name":"Invitation Stage","verbose_name_plural":"Invitation Stages","meta_model_name":"authentik_stages_invitation.invitationstage","flow_set":[],"continue_flow_without_invitation":true}`
)

var writeStage = EmailStage{PK: writePK, Name: "mail", Component: "ak-stage-email-form", VerboseName: "Email Stage",
	VerboseNamePlural: "Email Stages", MetaModelName: "authentik_stages_email.emailstage", FlowSet: []FlowSet{},
	Host: "smtp.example.com", Port: 587, Username: "mailer", UseTLS: true, Timeout: 10, FromAddress: "auth@example.com",
	TokenExpiry: "minutes=30", Subject: "authentik", Template: "email/password_reset.html", RecoveryMaxAttempts: 5,
	RecoveryCacheTimeout: "minutes=5"}

var writeInvitationStage = InvitationStage{PK: invPK, Name: "invite", Component: "ak-stage-invitation-form",
	VerboseName: "Invitation Stage", VerboseNamePlural: "Invitation Stages",
	MetaModelName: "authentik_stages_invitation.invitationstage", FlowSet: []FlowSet{}, ContinueFlowWithoutInvitation: true}

// TestWrites: every write operation of both services sends exactly the method,
// path, headers and body it should, and decodes every field of the answer.
func TestWrites(t *testing.T) {
	t.Parallel()
	full := &EmailStageRequest{Name: Ptr("mail"), UseGlobalSettings: Ptr(false), Host: Ptr("smtp.example.com"), Port: Ptr(587),
		Username: Ptr("mailer"), Password: Ptr("fake-password-123"), UseTLS: Ptr(true), UseSSL: Ptr(false), Timeout: Ptr(10),
		FromAddress: Ptr("auth@example.com"), TokenExpiry: Ptr("minutes=30"), Subject: Ptr("authentik"),
		Template: Ptr("email/password_reset.html"), ActivateUserOnSuccess: Ptr(false), RecoveryMaxAttempts: Ptr(5),
		RecoveryCacheTimeout: Ptr("minutes=5")}
	fullJSON := `{"name":"mail","use_global_settings":false,"host":"smtp.example.com","port":587,"username":"mailer","password":"fake-password-123","use_tls":true,"use_ssl":false,"timeout":10,"from_address":"auth@example.com","token_expiry":"minutes=30","subject":"authentik","template":"email/password_reset.html","activate_user_on_success":false,"recovery_max_attempts":5,"recovery_cache_timeout":"minutes=5"}`
	tests := []struct {
		name               string
		call               func(*Client) (any, error)
		method, path, body string
		status             int
		answer             string
		want               any
	}{
		{"email create", func(c *Client) (any, error) { return c.EmailStages.Create(context.Background(), full) },
			"POST", "/api/v3/stages/email/", fullJSON, 201, emailAnswer, &writeStage},
		{"email update", func(c *Client) (any, error) {
			return c.EmailStages.Update(context.Background(), writePK, &EmailStageRequest{Name: Ptr("mail"), Port: Ptr(0)})
		}, "PUT", "/api/v3/stages/email/" + writePK + "/", `{"name":"mail","port":0}`, 200, emailAnswer, &writeStage},
		{"email patch", func(c *Client) (any, error) {
			return c.EmailStages.Patch(context.Background(), writePK, &EmailStageRequest{UseTLS: Ptr(false), Subject: Ptr("")})
		}, "PATCH", "/api/v3/stages/email/" + writePK + "/", `{"use_tls":false,"subject":""}`, 200, emailAnswer, &writeStage},
		{"email delete", func(c *Client) (any, error) { return nil, c.EmailStages.Delete(context.Background(), writePK) },
			"DELETE", "/api/v3/stages/email/" + writePK + "/", "", 204, "", nil},
		{"email used_by", func(c *Client) (any, error) { return c.EmailStages.UsedBy(context.Background(), writePK) },
			"GET", "/api/v3/stages/email/" + writePK + "/used_by/", "", 200,
			`[{"app":"authentik_flows","model_name":"flowstagebinding","pk":"7b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","name":"Flow-stage binding #10 to default-recovery-flow","action":"cascade"}]`,
			[]UsedBy{{App: "authentik_flows", ModelName: "flowstagebinding", PK: "7b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", Name: "Flow-stage binding #10 to default-recovery-flow", Action: UsedByActionCascade}}},
		{"email used_by empty", func(c *Client) (any, error) { return c.EmailStages.UsedBy(context.Background(), writePK) },
			"GET", "/api/v3/stages/email/" + writePK + "/used_by/", "", 200, `[]`, []UsedBy{}},
		{"email templates", func(c *Client) (any, error) { return c.EmailStages.Templates(context.Background()) },
			"GET", "/api/v3/stages/email/templates/", "", 200,
			`[{"name":"email/password_reset.html","description":"Password Reset","component":"","model_name":""},{"name":"email/account_confirmation.html","description":"Account Confirmation","component":"","model_name":""}]`,
			[]EmailTemplate{{Name: "email/password_reset.html", Description: "Password Reset"}, {Name: "email/account_confirmation.html", Description: "Account Confirmation"}}},
		{"invitation stage create", func(c *Client) (any, error) {
			return c.InvitationStages.Create(context.Background(), &InvitationStageRequest{Name: Ptr("invite"), ContinueFlowWithoutInvitation: Ptr(true)})
		}, "POST", "/api/v3/stages/invitation/stages/", `{"name":"invite","continue_flow_without_invitation":true}`, 201, invBody, &writeInvitationStage},
		{"invitation stage update", func(c *Client) (any, error) {
			return c.InvitationStages.Update(context.Background(), invPK, &InvitationStageRequest{Name: Ptr("invite")})
		}, "PUT", "/api/v3/stages/invitation/stages/" + invPK + "/", `{"name":"invite"}`, 200, invBody, &writeInvitationStage},
		{"invitation stage patch", func(c *Client) (any, error) {
			return c.InvitationStages.Patch(context.Background(), invPK, &InvitationStageRequest{ContinueFlowWithoutInvitation: Ptr(false)})
		}, "PATCH", "/api/v3/stages/invitation/stages/" + invPK + "/", `{"continue_flow_without_invitation":false}`, 200, invBody, &writeInvitationStage},
		{"invitation stage delete", func(c *Client) (any, error) { return nil, c.InvitationStages.Delete(context.Background(), invPK) },
			"DELETE", "/api/v3/stages/invitation/stages/" + invPK + "/", "", 204, "", nil},
		{"invitation stage used_by", func(c *Client) (any, error) { return c.InvitationStages.UsedBy(context.Background(), invPK) },
			"GET", "/api/v3/stages/invitation/stages/" + invPK + "/used_by/", "", 200, `[]`, []UsedBy{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			call, got := callOnce(t, tt.status, tt.answer, tt.call)
			if call.method != tt.method || call.path != tt.path || call.query != "" {
				t.Errorf("sent %s %s?%s, want %s %s", call.method, call.path, call.query, tt.method, tt.path)
			}
			if string(call.body) != tt.body {
				t.Errorf("body %s\nwant %s", call.body, tt.body)
			}
			if wantCT := map[bool]string{true: "application/json", false: ""}[tt.body != ""]; call.contentType != wantCT {
				t.Errorf("Content-Type %q, want %q", call.contentType, wantCT)
			}
			if tt.want == nil {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestWriteInputChecks: what the SDK can know is wrong is refused before any
// request, naming the field.
func TestWriteInputChecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(*Client) error
		field string
	}{
		{"create without name", func(c *Client) error {
			_, err := c.EmailStages.Create(ctx, &EmailStageRequest{Host: Ptr("h")})
			return err
		}, "EmailStageRequest.Name"},
		{"update without name", func(c *Client) error {
			_, err := c.EmailStages.Update(ctx, writePK, &EmailStageRequest{Host: Ptr("h")})
			return err
		}, "EmailStageRequest.Name"},
		{"blank name", func(c *Client) error {
			_, err := c.EmailStages.Create(ctx, &EmailStageRequest{Name: Ptr("  ")})
			return err
		}, "EmailStageRequest.Name"},
		{"patch blank name", func(c *Client) error {
			_, err := c.EmailStages.Patch(ctx, writePK, &EmailStageRequest{Name: Ptr("")})
			return err
		}, "EmailStageRequest.Name"},
		{"nil request", func(c *Client) error { _, err := c.EmailStages.Create(ctx, nil); return err }, "req"},
		{"bad token_expiry", func(c *Client) error {
			_, err := c.EmailStages.Create(ctx, &EmailStageRequest{Name: Ptr("x"), TokenExpiry: Ptr("hours=3,minutes=17")})
			return err
		}, "EmailStageRequest.TokenExpiry"},
		{"bad recovery_cache_timeout", func(c *Client) error {
			_, err := c.EmailStages.Patch(ctx, writePK, &EmailStageRequest{RecoveryCacheTimeout: Ptr("soon")})
			return err
		}, "EmailStageRequest.RecoveryCacheTimeout"},
		{"port out of range", func(c *Client) error {
			_, err := c.EmailStages.Create(ctx, &EmailStageRequest{Name: Ptr("x"), Port: Ptr(1 << 31)})
			return err
		}, "EmailStageRequest.Port"},
		{"negative recovery attempts", func(c *Client) error {
			_, err := c.EmailStages.Patch(ctx, writePK, &EmailStageRequest{RecoveryMaxAttempts: Ptr(-1)})
			return err
		}, "EmailStageRequest.RecoveryMaxAttempts"},
		{"update pk not a uuid", func(c *Client) error {
			_, err := c.EmailStages.Update(ctx, "42", &EmailStageRequest{Name: Ptr("x")})
			return err
		}, "pk"},
		{"patch pk not a uuid", func(c *Client) error { _, err := c.EmailStages.Patch(ctx, "", &EmailStageRequest{}); return err }, "pk"},
		{"delete pk not a uuid", func(c *Client) error { return c.EmailStages.Delete(ctx, "../x") }, "pk"},
		{"used_by pk not a uuid", func(c *Client) error { _, err := c.EmailStages.UsedBy(ctx, "x"); return err }, "pk"},
		{"invitation stage create without name", func(c *Client) error {
			_, err := c.InvitationStages.Create(ctx, &InvitationStageRequest{ContinueFlowWithoutInvitation: Ptr(true)})
			return err
		}, "InvitationStageRequest.Name"},
		{"invitation stage nil", func(c *Client) error { _, err := c.InvitationStages.Patch(ctx, invPK, nil); return err }, "req"},
		{"invitation stage delete pk", func(c *Client) error { return c.InvitationStages.Delete(ctx, "nope") }, "pk"},
	}
	for _, tt := range tests {
		wantRefused(t, tt.name, tt.call, tt.field)
	}
}

// wantRefused runs call on a fresh mock client and checks that it was refused
// before sending, with an *InputError naming field.
func wantRefused(t *testing.T, name string, call func(*Client) error, field string) {
	t.Helper()
	c, mt := newMockClient(t)
	err := call(c)
	var in *InputError
	if !errors.As(err, &in) || in.Field != field || !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), field) {
		t.Errorf("%s: err = %v, want an *InputError for %s", name, err, field)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%s: %d requests sent", name, n)
	}
}

// TestPasswordNeverShown: the password is in no printed request, no error and
// no log record, even when the server echoes the request body back.
func TestPasswordNeverShown(t *testing.T) {
	t.Parallel()
	const pw = "canary-pw-51f0c9d3e7" // no common word: any 8-byte run of it is redacted
	req := &EmailStageRequest{Name: Ptr("mail"), Password: Ptr(pw), Port: Ptr(25)}
	for _, s := range []string{fmt.Sprint(req), fmt.Sprintf("%v", *req), fmt.Sprintf("%+v", req), fmt.Sprintf("%#v", req), fmt.Sprintf("%#v", *req), fmt.Sprintln(req)} {
		if strings.Contains(s, pw) {
			t.Errorf("password printed: %s", s)
		}
		if !strings.Contains(s, `Name:"mail"`) || !strings.Contains(s, "Port:25") || !strings.Contains(s, "[REDACTED]") {
			t.Errorf("request printed as %s", s)
		}
	}
	// log/slog: its JSON handler writes a struct's fields itself unless the
	// type is a LogValuer; the text handler prints it with %+v.
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		slog.New(h).Info("x", "req", req, "value", *req)
	}
	if got := logs.String(); strings.Contains(got, pw) || strings.Count(got, "[REDACTED]") != 4 || strings.Count(got, `Port:25`) != 4 {
		t.Errorf("slog wrote %s", got)
	}
	for _, v := range []slog.LogValuer{InvitationStageRequest{Name: Ptr("i")}, InvitationRequest{Name: Ptr("i")}} {
		if got := v.LogValue().String(); got != fmt.Sprint(v) || !strings.Contains(got, `Name:"i"`) {
			t.Errorf("%T: LogValue %q, String %q", v, got, fmt.Sprint(v))
		}
	}
	c, mt := newMockClient(t, WithRetryMax(0))
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		resp := httpmock.NewStringResponse(400, fmt.Sprintf(`{"password":["%v is too weak"],"non_field_errors":["echo: %s"]}`, m["password"], strings.ReplaceAll(string(b), `"`, `\"`)))
		resp.Header.Set("Content-Type", "application/json")
		resp.Header.Set("X-Echo", pw)
		return resp, nil
	})
	_, err := c.EmailStages.Create(context.Background(), req)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrValidation) {
		t.Fatalf("err = %v", err)
	}
	texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), string(apiErr.Body), fmt.Sprint(apiErr.Fields), fmt.Sprint(apiErr.Header)}
	for _, s := range texts {
		if strings.Contains(s, pw) {
			t.Errorf("password leaked: %s", s)
		}
	}
	if got := apiErr.Fields["password"]; len(got) != 1 || !strings.Contains(got[0], "is too weak") {
		t.Errorf("Fields = %v", apiErr.Fields)
	}
}

// TestRetriesByMethod: GET, PUT, PATCH and DELETE are retried like reads; a
// POST only when it certainly did not reach the server (the connection could
// not be made, or a 429). Any other POST failure is not retried and matches
// ErrUnknownOutcome, with the answer (if any) still reachable.
func TestRetriesByMethod(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dialErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	fail := func(status int) httpmock.Responder { return statusResponder(status, `{"detail":"x"}`) }
	errResp := func(err error) httpmock.Responder { return httpmock.NewErrorResponder(err) }
	created := statusResponder(201, emailAnswer)
	post := func(c *Client) error {
		_, err := c.EmailStages.Create(ctx, &EmailStageRequest{Name: Ptr("mail")})
		return err
	}
	put := func(c *Client) error {
		_, err := c.EmailStages.Update(ctx, writePK, &EmailStageRequest{Name: Ptr("mail")})
		return err
	}
	patch := func(c *Client) error {
		_, err := c.EmailStages.Patch(ctx, writePK, &EmailStageRequest{Port: Ptr(25)})
		return err
	}
	del := func(c *Client) error { return c.EmailStages.Delete(ctx, writePK) }
	ok200 := statusResponder(200, emailAnswer)
	tests := []struct {
		name      string
		call      func(*Client) error
		first     httpmock.Responder
		then      httpmock.Responder
		wantCalls int
		wantIs    []error // nil: success
		wantNot   []error
	}{
		{"POST 503 not retried", post, fail(503), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 502 not retried", post, fail(502), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 504 not retried", post, fail(504), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST reset not retried", post, errResp(reset), created, 1, []error{ErrUnknownOutcome}, []error{ErrUnavailable}},
		{"POST 500 is the server's answer", post, fail(500), created, 1, []error{}, []error{ErrUnknownOutcome, ErrValidation, ErrUnavailable}},
		{"POST 400 is a validation error", post, statusResponder(400, `{"name":["stage with this name already exists."]}`), created, 1,
			[]error{ErrValidation}, []error{ErrUnknownOutcome}},
		{"POST 429 retried", post, fail(429), created, 2, nil, nil},
		{"POST dial error retried", post, errResp(dialErr), created, 2, nil, nil},
		{"POST 201 cut short", post, truncatedResponder(201, emailAnswer), created, 1, []error{ErrUnknownOutcome}, []error{ErrUnavailable}},
		{"PUT 503 retried", put, fail(503), ok200, 2, nil, nil},
		{"PUT reset retried", put, errResp(reset), ok200, 2, nil, nil},
		{"PATCH 502 retried", patch, fail(502), ok200, 2, nil, nil},
		{"PATCH 200 cut short retried", patch, truncatedResponder(200, emailAnswer), ok200, 2, nil, nil},
		{"DELETE 504 retried", del, fail(504), statusResponder(204, ""), 2, nil, nil},
		{"DELETE retried after a lost answer, then 404: deleted", del, errResp(reset), fail(404), 2, nil, nil},
		{"DELETE 404 at once is not found", del, fail(404), statusResponder(204, ""), 1, []error{ErrNotFound}, nil},
		{"DELETE after a dial error, then 404: not found", del, errResp(dialErr), fail(404), 2, []error{ErrNotFound}, nil},
		{"DELETE after a 429, then 404: not found", del, fail(429), fail(404), 2, []error{ErrNotFound}, nil},
		{"DELETE after a 503, then 404: deleted", del, fail(503), fail(404), 2, nil, nil},
		// A 2xx to a write whose body the SDK cannot read: applied, answer lost.
		{"POST 201 empty", post, statusResponder(201, ""), created, 1, []error{ErrUnknownOutcome}, []error{ErrUnavailable}},
		{"POST 201 {}", post, statusResponder(201, `{}`), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 201 null", post, statusResponder(201, `null`), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 201 HTML", post, statusResponder(201, `<html>ok</html>`, "Content-Type", "text/html"), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 201 JSON cut inside a whole message", post, statusResponder(201, emailAnswer[:len(emailAnswer)/2]), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 201 another object", post, statusResponder(201, strings.Replace(emailAnswer, writePK, "", 1)), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 201 refused by the memory guard", post, statusResponder(201, `{"pk":"`+writePK+`","flow_set":[`+strings.Repeat(`{},`, 200000)+`{}]}`),
			created, 1, []error{ErrUnknownOutcome, ErrResponseTooLarge}, nil},
		{"PATCH 200 {}", patch, statusResponder(200, `{}`), ok200, 1, []error{ErrUnknownOutcome}, nil},
		{"PUT 200 HTML", put, statusResponder(200, `<html>ok</html>`, "Content-Type", "text/html"), ok200, 1, []error{ErrUnknownOutcome}, nil},
		// Proxies' "the origin took it and did not answer".
		{"POST 520 not retried", post, fail(520), created, 1, []error{ErrUnknownOutcome}, []error{ErrUnavailable}},
		{"POST 521 not retried", post, fail(521), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 522 not retried", post, fail(522), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 523 not retried", post, fail(523), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 524 not retried", post, fail(524), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 525 not retried", post, fail(525), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 526 not retried", post, fail(526), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 527 not retried", post, fail(527), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 598 not retried", post, fail(598), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 599 not retried", post, fail(599), created, 1, []error{ErrUnknownOutcome}, nil},
		{"POST 528 is the server's answer", post, fail(528), created, 1, []error{}, []error{ErrUnknownOutcome, ErrUnavailable}},
		{"DELETE 200 HTML", del, statusResponder(200, `<html>login</html>`, "Content-Type", "text/html"), statusResponder(204, ""), 1,
			[]error{ErrUnknownOutcome}, []error{ErrUnavailable}},
		{"POST 201 over the byte cap", post, statusResponder(201, `{"pk":"`+writePK+`","name":"`+strings.Repeat("x", 2<<20)+`"}`), created, 1,
			[]error{ErrUnknownOutcome, ErrResponseTooLarge}, []error{ErrUnavailable}},
		// After every retry: ErrUnavailable.
		{"PUT 503 every time", put, fail(503), fail(503), 3, []error{ErrUnavailable}, []error{ErrUnknownOutcome}},
		{"PUT reset every time", put, errResp(reset), errResp(reset), 3, []error{ErrUnavailable}, []error{ErrUnknownOutcome}},
		{"POST dial error every time", post, errResp(dialErr), errResp(dialErr), 3, []error{ErrUnavailable}, []error{ErrUnknownOutcome}},
		{"PUT 501 is not unavailable", put, fail(501), ok200, 1, []error{}, []error{ErrUnavailable, ErrUnknownOutcome}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithRetryMax(2), WithMaxResponseBytes(1<<20))
			mt.RegisterNoResponder(tt.first.Then(tt.then))
			err := tt.call(c)
			if n := mt.GetTotalCallCount(); n != tt.wantCalls {
				t.Errorf("%d requests, want %d", n, tt.wantCalls)
			}
			if tt.wantIs == nil && err != nil {
				t.Fatalf("err = %v, want success", err)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("err = %v, want it to match %v", err, target)
				}
			}
			for _, target := range tt.wantNot {
				if errors.Is(err, target) {
					t.Errorf("err = %v matches %v", err, target)
				}
			}
			advice := "look the object up by its name"
			switch {
			case strings.HasPrefix(tt.name, "DELETE"):
				advice = "get the object to see whether it still exists"
			case !strings.HasPrefix(tt.name, "POST"):
				advice = "get the object to see what it holds now"
			}
			if errors.Is(err, ErrUnknownOutcome) && !strings.Contains(err.Error(), advice) {
				t.Errorf("unknown outcome without advice: %v", err)
			}
			var decodeErr *DecodeError
			if errors.Is(err, ErrUnknownOutcome) && strings.Contains(tt.name, " 20") &&
				(!errors.As(err, &decodeErr) || decodeErr.StatusCode < 200 || decodeErr.StatusCode > 299) {
				t.Errorf("the 2xx status is not kept: %v", err)
			}
			if wantTries := fmt.Sprintf("(after %d tries over ", tt.wantCalls); tt.wantCalls > 1 && err != nil &&
				!strings.Contains(err.Error(), wantTries) {
				t.Errorf("err = %v, want it to say %q", err, wantTries)
			}
			var apiErr *APIError
			if errors.Is(err, ErrUnknownOutcome) && strings.Contains(tt.name, "50") && (!errors.As(err, &apiErr) || apiErr.Method != "POST") {
				t.Errorf("the proxy's answer is not reachable: %v", err)
			}
		})
	}
}

// callOnce runs call on a client whose server answers status with answer, and
// returns the one request it sent (the test fails on an error or another
// number of requests) with what call returned.
func callOnce(t *testing.T, status int, answer string, call func(*Client) (any, error)) (writeCall, any) {
	t.Helper()
	c, mt := newMockClient(t)
	var mu sync.Mutex
	var calls []writeCall
	mt.RegisterNoResponder(recordWrite(t, &mu, &calls, status, answer))
	got, err := call(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 {
		t.Fatalf("%d requests, want 1", len(calls))
	}
	return calls[0], got
}

// truncatedResponder answers status with a body that ends before its
// Content-Length says: the connection dropped mid-answer.
func truncatedResponder(status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, "")
		resp.Body = io.NopCloser(io.MultiReader(strings.NewReader(body[:len(body)/2]), errReader{io.ErrUnexpectedEOF}))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// TestBodilessRequestsHaveNoBody: a GET or DELETE goes out with no body at
// all, not an empty one of unknown length (which net/http probes with a
// goroutine and a timer on every try); a write's body has its length, and
// GetBody gives it again.
func TestBodilessRequestsHaveNoBody(t *testing.T) {
	t.Parallel()
	type sent struct {
		method string
		body   bool
		length int64
		again  string // what GetBody gives, for net/http to send the body again
	}
	var got []sent
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		s := sent{r.Method, r.Body != nil && r.Body != http.NoBody, r.ContentLength, ""}
		if r.GetBody != nil {
			if b, err := r.GetBody(); err == nil {
				again, _ := io.ReadAll(b)
				s.again = string(again)
			}
		}
		got = append(got, s)
		status, body := http.StatusOK, `{"pk":"9d6ad3a5-8b0c-4c61-9a3c-4f8b9f0b1c2d","name":"fake-stage"}`
		if r.Method == http.MethodDelete {
			status, body = http.StatusNoContent, ""
		}
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})}
	c, err := NewClient("https://authentik.example.com", "fake-token", WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const pk = "9d6ad3a5-8b0c-4c61-9a3c-4f8b9f0b1c2d"
	if _, err := c.DenyStages.Get(ctx, pk); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DenyStages.Patch(ctx, pk, &DenyStageRequest{Name: Ptr("fake-stage")}); err != nil {
		t.Fatal(err)
	}
	if err := c.DenyStages.Delete(ctx, pk); err != nil {
		t.Fatal(err)
	}
	body := `{"name":"fake-stage"}`
	want := []sent{{"GET", false, 0, ""}, {"PATCH", true, int64(len(body)), body}, {"DELETE", false, 0, ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sent %+v, want %+v", got, want)
	}
}
