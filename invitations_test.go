package authentik

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	invitePK   = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
	inviteFlow = "5e6f7a8b-9cad-4ebf-8012-3c4d5e6f7a8b"
	// An invitation as authentik 2026.8 serializes it (InvitationSerializer).
	inviteJSON = `{"pk":"` + invitePK + `","name":"contractor-eng","expires":"2026-12-07T12:00:00Z","fixed_data":{"email":"alex@example.com","groups":["eng"]},` +
		`"created_by":{"pk":7,"username":"akadmin","name":"authentik Default Admin","is_active":true,"last_login":"2026-11-30T09:15:00.123456Z","email":"admin@example.com","attributes":{"settings":{"locale":"en"}},"uid":"9f86d081884c7d65"},` +
		`"single_use":true,"flow":"` + inviteFlow + `","flow_obj":{"pk":"` + inviteFlow + `","policybindingmodel_ptr_id":"` + inviteFlow + `","name":"Invitation Enrollment Flow","slug":"invitation-enrollment","title":"Welcome","designation":"enrollment","background":"","background_url":"/static/dist/assets/images/flow_background.jpg","background_themed_urls":{"light":"/media/light.jpg","dark":null},"stages":["9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"],"policies":[],"cache_count":2,"policy_engine_mode":"any","compatibility_mode":false,"export_url":"/api/v3/flows/instances/invitation-enrollment/export/","layout":"stacked","denied_action":"message_continue","authentication":"require_unauthenticated"}}`
	// One bound to no flow, never expiring, from a server before 2025.12
	// (background instead of background_url does not apply: flow_obj is null).
	inviteOpenJSON = `{"pk":"3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f","name":"open","expires":null,"fixed_data":{},"created_by":{"pk":1,"username":"akadmin","name":"","is_active":true,"last_login":null,"email":"","attributes":{},"uid":"x"},"single_use":false,"flow":null,"flow_obj":null}`
)

var wantInvite = Invitation{
	PK: invitePK, Name: "contractor-eng", Expires: Ptr(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)),
	FixedData: map[string]any{"email": "alex@example.com", "groups": []any{"eng"}},
	CreatedBy: PartialUser{PK: 7, Username: "akadmin", Name: "authentik Default Admin", IsActive: true,
		LastLogin: Ptr(time.Date(2026, 11, 30, 9, 15, 0, 123456000, time.UTC)), Email: "admin@example.com",
		Attributes: map[string]any{"settings": map[string]any{"locale": "en"}}, UID: "9f86d081884c7d65"},
	SingleUse: true, Flow: inviteFlow,
	FlowObj: &Flow{FlowSet: FlowSet{PK: inviteFlow, PolicyBindingModelPtrID: inviteFlow, Name: "Invitation Enrollment Flow",
		Slug: "invitation-enrollment", Title: "Welcome", Designation: FlowDesignationEnrollment,
		Background: "/static/dist/assets/images/flow_background.jpg", PolicyEngineMode: PolicyEngineModeAny,
		ExportURL: "/api/v3/flows/instances/invitation-enrollment/export/", Layout: FlowLayoutStacked,
		DeniedAction: DeniedActionMessageContinue},
		Stages: []string{"9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"}, Policies: []string{}, CacheCount: 2,
		Authentication: FlowAuthenticationRequireUnauthenticated, BackgroundThemedURLs: &ThemedURLs{Light: "/media/light.jpg"}},
}

var wantOpenInvite = Invitation{PK: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", Name: "open", FixedData: map[string]any{},
	CreatedBy: PartialUser{PK: 1, Username: "akadmin", IsActive: true, Attributes: map[string]any{}, UID: "x"}}

// TestInvitationsList: every filter is sent as it should be (expires as RFC
// 3339), and every field decodes, null flow and expiry included.
func TestInvitationsList(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	log := &requestLog{}
	body := `{"pagination":{"next":0,"previous":0,"count":2,"current":1,"total_pages":1,"start_index":1,"end_index":2},"results":[` + inviteJSON + `,` + inviteOpenJSON + `],"autocomplete":{}}`
	mt.RegisterResponder("GET", testAPI+"stages/invitation/invitations/", respond(t, log, 200, []byte(body)))
	exp := time.Date(2026, 12, 7, 13, 0, 0, 0, time.FixedZone("CET", 3600))
	page, err := c.Invitations.List(context.Background(), &InvitationListOptions{ListOptions: ListOptions{Ordering: "-expires", PageSize: 50},
		CreatedByUsername: "akadmin", Expires: &exp, FlowSlug: "invitation-enrollment", Name: "contractor-eng"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := log.queries()[0], "created_by__username=akadmin&expires=2026-12-07T13%3A00%3A00%2B01%3A00&flow__slug=invitation-enrollment&name=contractor-eng&ordering=-expires&page_size=50"; got != want {
		t.Errorf("query %s\nwant  %s", got, want)
	}
	if !reflect.DeepEqual(page.Results, []Invitation{wantInvite, wantOpenInvite}) {
		t.Errorf("got  %+v\nwant %+v", page.Results, []Invitation{wantInvite, wantOpenInvite})
	}
	if !reflect.DeepEqual(page.Results[0].FlowObj, wantInvite.FlowObj) {
		t.Errorf("flow_obj %+v", page.Results[0].FlowObj)
	}
}

// TestInvitationWrites: each write sends exactly its body, with null
// semantics: nil sends nothing, Ptr(time.Time{}) and Ptr("") send null.
func TestInvitationWrites(t *testing.T) {
	t.Parallel()
	exp := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	ctx := context.Background()
	tests := []struct {
		name, method, path, body string
		status                   int
		answer                   string
		call                     func(*Client) (any, error)
	}{
		{"create with everything", "POST", "/api/v3/stages/invitation/invitations/",
			`{"expires":"2026-12-07T12:00:00Z","fixed_data":{"email":"alex@example.com"},"flow":"` + inviteFlow + `","name":"contractor-eng","single_use":true}`,
			201, inviteJSON, func(c *Client) (any, error) {
				return c.Invitations.Create(ctx, &InvitationRequest{Name: Ptr("contractor-eng"), Expires: &exp,
					FixedData: map[string]any{"email": "alex@example.com"}, SingleUse: Ptr(true), Flow: Ptr(inviteFlow)})
			}},
		{"create, nils not sent", "POST", "/api/v3/stages/invitation/invitations/", `{"name":"open"}`, 201, inviteOpenJSON,
			func(c *Client) (any, error) { return c.Invitations.Create(ctx, &InvitationRequest{Name: Ptr("open")}) }},
		{"patch to null", "PATCH", "/api/v3/stages/invitation/invitations/" + wantOpenInvite.PK + "/", `{"expires":null,"flow":null}`, 200, inviteOpenJSON,
			func(c *Client) (any, error) {
				return c.Invitations.Patch(ctx, wantOpenInvite.PK, &InvitationRequest{Expires: Ptr(time.Time{}), Flow: Ptr("")})
			}},
		{"update", "PUT", "/api/v3/stages/invitation/invitations/" + invitePK + "/", `{"name":"contractor-eng","single_use":false}`, 200, inviteJSON,
			func(c *Client) (any, error) {
				return c.Invitations.Update(ctx, invitePK, &InvitationRequest{Name: Ptr("contractor-eng"), SingleUse: Ptr(false)})
			}},
		{"delete", "DELETE", "/api/v3/stages/invitation/invitations/" + invitePK + "/", "", 204, "",
			func(c *Client) (any, error) { return nil, c.Invitations.Delete(ctx, invitePK) }},
		{"used_by", "GET", "/api/v3/stages/invitation/invitations/" + invitePK + "/used_by/", "", 200, `[]`,
			func(c *Client) (any, error) { return c.Invitations.UsedBy(ctx, invitePK) }},
		{"send email", "POST", "/api/v3/stages/invitation/invitations/" + invitePK + "/send_email/",
			`{"bcc_addresses":["audit@example.com"],"cc_addresses":["lead@example.com"],"email_addresses":["alex@example.com"],"template":"email/invitation.html"}`, 204, "",
			func(c *Client) (any, error) {
				return nil, c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"alex@example.com"},
					CC: []string{"lead@example.com"}, BCC: []string{"audit@example.com"}, Template: "email/invitation.html"})
			}},
		{"send email, server's template", "POST", "/api/v3/stages/invitation/invitations/" + invitePK + "/send_email/",
			`{"email_addresses":["alex@example.com"]}`, 204, "",
			func(c *Client) (any, error) {
				return nil, c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"alex@example.com"}})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			call, got := callOnce(t, tt.status, tt.answer, tt.call)
			if call.method != tt.method || call.path != tt.path || string(call.body) != tt.body {
				t.Fatalf("sent %+v\nwant %s %s %s", call, tt.method, tt.path, tt.body)
			}
			switch v := got.(type) {
			case *Invitation:
				want := wantInvite
				if tt.answer == inviteOpenJSON {
					want = wantOpenInvite
				}
				if !reflect.DeepEqual(*v, want) {
					t.Errorf("got %+v", *v)
				}
			case []UsedBy:
				if len(v) != 0 || v == nil {
					t.Errorf("used_by %v", v)
				}
			}
		})
	}
}

// TestInvitationInputChecks: refused before sending, naming the field; what
// authentik accepts (an expiry in the past, a name with spaces around it) is not.
func TestInvitationInputChecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(*Client) error
		field string
	}{
		{"name with a space", func(c *Client) error {
			_, err := c.Invitations.Create(ctx, &InvitationRequest{Name: Ptr("a b")})
			return err
		}, "InvitationRequest.Name"},
		{"name with a dot", func(c *Client) error {
			_, err := c.Invitations.Create(ctx, &InvitationRequest{Name: Ptr("a.b")})
			return err
		}, "InvitationRequest.Name"},
		{"no name", func(c *Client) error {
			_, err := c.Invitations.Create(ctx, &InvitationRequest{SingleUse: Ptr(true)})
			return err
		}, "InvitationRequest.Name"},
		{"flow not a uuid", func(c *Client) error {
			_, err := c.Invitations.Create(ctx, &InvitationRequest{Name: Ptr("x"), Flow: Ptr("invitation-enrollment")})
			return err
		}, "InvitationRequest.Flow"},
		{"no recipient", func(c *Client) error { return c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{}) }, "InvitationEmail.To"},
		{"nil email", func(c *Client) error { return c.Invitations.SendEmail(ctx, invitePK, nil) }, "InvitationEmail.To"},
		{"bad address", func(c *Client) error {
			return c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"alex"}})
		}, "InvitationEmail.To"},
		{"display name", func(c *Client) error {
			return c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"a@example.com"}, CC: []string{"Alex <alex@example.com>"}})
		}, "InvitationEmail.CC"},
		{"angle address without a name", func(c *Client) error {
			return c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"<alex@example.com>"}})
		}, "InvitationEmail.To"},
		{"comment", func(c *Client) error {
			return c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"a@example.com"}, BCC: []string{"alex@example.com (Alex)"}})
		}, "InvitationEmail.BCC"},
		{"group", func(c *Client) error {
			return c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"team:a@example.com;"}})
		}, "InvitationEmail.To"},
		{"two addresses in one", func(c *Client) error {
			return c.Invitations.SendEmail(ctx, invitePK, &InvitationEmail{To: []string{"a@example.com, b@example.com"}})
		}, "InvitationEmail.To"},
		{"send pk", func(c *Client) error {
			return c.Invitations.SendEmail(ctx, "x", &InvitationEmail{To: []string{"a@example.com"}})
		}, "pk"},
	}
	for _, tt := range tests {
		wantRefused(t, tt.name, tt.call, tt.field)
	}
	// Accepted, as authentik's serializer accepts them.
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(201, inviteOpenJSON))
	past := time.Now().Add(-time.Hour)
	// Python's str.strip also strips \x1c-\x1f, which strings.TrimSpace keeps.
	for _, req := range []*InvitationRequest{{Name: Ptr("old"), Expires: &past}, {Name: Ptr(" spaced ")}, {Name: Ptr("\x1fsep\x1c")}} {
		if _, err := c.Invitations.Create(ctx, req); err != nil {
			t.Errorf("%v: %v", req, err)
		}
	}
	var mu sync.Mutex
	var calls []writeCall
	mt.RegisterNoResponder(recordWrite(t, &mu, &calls, 204, ""))
	// Sent as checked: without the whitespace around them.
	for _, tt := range []struct{ addr, sent string }{
		{`"alex smith"@example.com`, `"\"alex smith\"@example.com"`}, {`"a\"b"@example.com`, `"\"a\\\"b\"@example.com"`},
		{"alex+tag@example.com", `"alex+tag@example.com"`}, {"a@[127.0.0.1]", `"a@[127.0.0.1]"`},
		{" alex@example.com ", `"alex@example.com"`}, {"ok@example.com\r\n", `"ok@example.com"`}, {"ok@example.com\t", `"ok@example.com"`},
		{"\u00a0ok@example.com\u00a0", `"ok@example.com"`}, {"ok@example.com\u2028", `"ok@example.com"`},
	} {
		calls = nil
		email := &InvitationEmail{To: []string{tt.addr}, CC: []string{tt.addr + " "}, BCC: []string{"\n" + tt.addr}}
		if err := c.Invitations.SendEmail(ctx, invitePK, email); err != nil {
			t.Errorf("%q: %v", tt.addr, err)
			continue
		}
		want := `{"bcc_addresses":[` + tt.sent + `],"cc_addresses":[` + tt.sent + `],"email_addresses":[` + tt.sent + `]}`
		if len(calls) != 1 || string(calls[0].body) != want {
			t.Errorf("%q: sent %s, want %s", tt.addr, calls[0].body, want)
		}
		if email.To[0] != tt.addr {
			t.Errorf("the caller's InvitationEmail was changed: %q", email.To[0])
		}
	}
}

// TestSendEmailOldServer: a server before 2026.5 has no send_email route: its
// 405 or 404 says so and names the release; an unknown invitation is a plain
// not found.
func TestSendEmailOldServer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status int
		body   string
		tooOld bool
	}{
		{405, `{"detail":"Method \"POST\" not allowed."}`, true},
		{404, `{"detail":"Not found."}`, true},
		{404, `{"detail":"No Invitation matches the given query."}`, false},
	} {
		c, mt := newMockClient(t)
		mt.RegisterNoResponder(statusResponder(tt.status, tt.body))
		err := c.Invitations.SendEmail(context.Background(), invitePK, &InvitationEmail{To: []string{"a@example.com"}})
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
			t.Fatalf("%d: err = %v", tt.status, err)
		}
		if got := strings.Contains(err.Error(), "too old to send invitation emails: the route came with authentik 2026.5"); got != tt.tooOld {
			t.Errorf("%d %s: %v", tt.status, tt.body, err)
		}
	}
	// authentik's own 400 answers ({"error": ...}) are the error's Detail.
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(http.StatusBadRequest, `{"error":"Invitation has no associated flow"}`))
	err := c.Invitations.SendEmail(context.Background(), invitePK, &InvitationEmail{To: []string{"a@example.com"}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Detail != "Invitation has no associated flow" || !errors.Is(err, ErrValidation) ||
		strings.Count(err.Error(), "no associated flow") != 1 {
		t.Errorf("err = %v", err)
	}
	// A lost answer is not retried and says what to do.
	c, mt = newMockClient(t)
	mt.RegisterNoResponder(statusResponder(http.StatusBadGateway, `{}`))
	err = c.Invitations.SendEmail(context.Background(), invitePK, &InvitationEmail{To: []string{"a@example.com"}})
	if !errors.Is(err, ErrUnknownOutcome) || !strings.Contains(err.Error(), "may or may not have been queued") || mt.GetTotalCallCount() != 1 {
		t.Errorf("err = %v after %d requests", err, mt.GetTotalCallCount())
	}
}

// TestEnrollmentURL: the install root (sub-path kept), the flow's slug, the pk.
func TestEnrollmentURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ base, slug, want string }{
		{"https://authentik.example.com", "", "https://authentik.example.com/if/flow/invitation-enrollment/?itoken=" + invitePK},
		{"https://example.com/authentik/", "", "https://example.com/authentik/if/flow/invitation-enrollment/?itoken=" + invitePK},
		{"https://example.com/authentik/api/v3", "invitation-enrollment", "https://example.com/authentik/if/flow/invitation-enrollment/?itoken=" + invitePK},
	} {
		c, err := NewClient(tt.base, testToken)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Invitations.EnrollmentURL(&wantInvite, tt.slug)
		if err != nil || got != tt.want {
			t.Errorf("%s %q: %q, %v; want %q", tt.base, tt.slug, got, err, tt.want)
		}
	}
	c, _ := NewClient(testBase, testToken)
	if _, err := c.Invitations.EnrollmentURL(&wantOpenInvite, ""); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("no flow: %v", err)
	}
	// Slugs are ^[-a-zA-Z0-9_]+$: "." and ".." would open /if/flow/ or /if/,
	// from the caller or from a server's flow_obj.
	for _, slug := range []string{".", "..", "some flow", "a/b", "%2e%2e", "é"} {
		if u, err := c.Invitations.EnrollmentURL(&wantOpenInvite, slug); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("slug %q: %q %v", slug, u, err)
		}
		hostile := wantInvite
		hostile.FlowObj = &Flow{FlowSet: FlowSet{Slug: slug}}
		if u, err := c.Invitations.EnrollmentURL(&hostile, ""); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("served slug %q: %q %v", slug, u, err)
		}
	}
	// Bound to a flow: another flow's link would be refused by the stage.
	if u, err := c.Invitations.EnrollmentURL(&wantInvite, "other-flow"); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), `bound to flow "invitation-enrollment"`) {
		t.Errorf("another flow: %q %v", u, err)
	}
	// Bound to a flow whose slug is not known (FlowObj missing).
	partial := wantInvite
	partial.FlowObj = nil
	if u, err := c.Invitations.EnrollmentURL(&partial, ""); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "bound to flow "+inviteFlow) {
		t.Errorf("no FlowObj: %q %v", u, err)
	}
	if u, err := c.Invitations.EnrollmentURL(&partial, "invitation-enrollment"); err != nil || u != testBase+"/if/flow/invitation-enrollment/?itoken="+invitePK {
		t.Errorf("no FlowObj, slug given: %q %v", u, err)
	}
}

// TestEnrollmentURLErrorsRedacted: an invitation's values came off the
// network; an error quoting them never shows the token.
func TestEnrollmentURLErrorsRedacted(t *testing.T) {
	t.Parallel()
	c, _ := NewClient(testBase, testToken)
	bound := wantInvite
	bound.FlowObj = &Flow{FlowSet: FlowSet{Slug: "flow-" + testToken}}
	noObj := wantInvite
	noObj.FlowObj, noObj.Flow = nil, testToken
	badPK := wantInvite
	badPK.PK = testToken
	for _, tt := range []struct {
		name string
		inv  *Invitation
		slug string
	}{{"bound slug", &bound, "other"}, {"flow without FlowObj", &noObj, ""}, {"pk", &badPK, ""}} {
		_, err := c.Invitations.EnrollmentURL(tt.inv, tt.slug)
		if !errors.Is(err, ErrInvalidInput) || strings.Contains(err.Error(), testToken) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestInvitationOlderGenerations: an invitation from a server before 2025.12,
// whose flow_obj has "background" instead of "background_url" and none of the
// newer fields, decodes with the background kept.
func TestInvitationOlderGenerations(t *testing.T) {
	t.Parallel()
	old := `{"pk":"` + invitePK + `","name":"old-server","expires":null,"fixed_data":{},"created_by":{"pk":3,"username":"admin","name":"Admin","is_active":true,"last_login":null,"email":"a@example.com","attributes":{},"uid":"u"},"single_use":false,"flow":"` + inviteFlow + `",` +
		`"flow_obj":{"pk":"` + inviteFlow + `","policybindingmodel_ptr_id":"` + inviteFlow + `","name":"Enroll","slug":"enroll","title":"Enroll","designation":"enrollment","background":"/static/dist/assets/images/flow_background.jpg","stages":[],"policies":[],"cache_count":0,"policy_engine_mode":"any","compatibility_mode":false,"export_url":"/api/v3/flows/instances/enroll/export/","layout":"stacked","denied_action":"message_continue"}}`
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(200, old))
	inv, err := c.Invitations.Get(context.Background(), invitePK)
	if err != nil {
		t.Fatal(err)
	}
	f := inv.FlowObj
	if f == nil || f.Background != "/static/dist/assets/images/flow_background.jpg" || f.Slug != "enroll" || f.Authentication != "" ||
		f.BackgroundThemedURLs != nil || f.Stages == nil || inv.Expires != nil || inv.CreatedBy.Username != "admin" {
		t.Errorf("decoded %+v, flow %+v", inv, f)
	}
}

// TestExpiresFilterKeepsFraction: authentik matches expires exactly, to the
// microsecond; the filter is sent with its fraction.
func TestExpiresFilterKeepsFraction(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	log := &requestLog{}
	mt.RegisterNoResponder(respond(t, log, 200, pageJSON(t, []Invitation{}, 1, 1, 0, 20)))
	exp := time.Date(2026, 12, 2, 14, 55, 12, 345678000, time.UTC)
	if _, err := c.Invitations.List(context.Background(), &InvitationListOptions{Expires: &exp}); err != nil {
		t.Fatal(err)
	}
	if q := log.queries(); len(q) != 1 || q[0] != "expires=2026-12-02T14%3A55%3A12.345678Z" {
		t.Errorf("query %v", q)
	}
}
