package authentiktest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
)

// TestInvitationRules pins the invitation collection's rules with exact answers
// (InvitationViewSet and InvitationSerializer, authentik/stages/invitation/
// api.py; DRF's and Django's messages).
func TestInvitationRules(t *testing.T) {
	t.Parallel()
	const inv = "/api/v3/stages/invitation/invitations/"
	const flow = "8b9cadbe-cfd0-41e2-9345-6f7a8b9cadbe"
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string // a substring of the answer ("" to skip)
	}{
		{"name must be a slug", "POST", inv, `{"name":"a b"}`, 400, `{"name":["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."]}`},
		{"name required", "POST", inv, `{"single_use":true}`, 400, `{"name":["This field is required."]}`},
		{"flow not a uuid", "POST", inv, `{"name":"x","flow":"abc"}`, 400, `{"flow":["“abc” is not a valid UUID."]}`},
		{"flow unknown", "POST", inv, `{"name":"x","flow":"00000000-0000-4000-8000-000000000009"}`, 400, `{"flow":["Invalid pk \"00000000-0000-4000-8000-000000000009\" - object does not exist."]}`},
		{"flow a bool", "POST", inv, `{"name":"x","flow":true}`, 400, `{"flow":["Incorrect type. Expected pk value, received bool."]}`},
		{"fixed_data not a dict", "POST", inv, `{"name":"x","fixed_data":[1]}`, 400, `{"fixed_data":["Value must be a dictionary, and not have any duplicate keys."]}`},
		{"expires not a date", "POST", inv, `{"name":"x","expires":"soon"}`, 400, `{"expires":["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}`},
		{"names are not unique", "POST", inv, `{"name":"open-invitation"}`, 201, `"name":"open-invitation"`},
		{"created", "POST", inv, `{"name":"new","expires":"2031-05-01T10:00:00+02:00","flow":"` + flow + `","fixed_data":{"k":"v"},"single_use":true}`, 201,
			`"expires":"2031-05-01T08:00:00Z"`},
		{"flow_obj resolved", "POST", inv, `{"name":"new2","flow":"` + flow + `"}`, 201, `"flow_obj":{`},
		{"created_by is the token's user", "POST", inv, `{"name":"new3"}`, 201, `"created_by":{"attributes":{},"email":"root@localhost","is_active":true,"last_login":null,"name":"authentik Default Admin","pk":1,"uid":"`},
		{"an expired one is created", "POST", inv, `{"name":"old","expires":"2001-01-01T00:00:00Z"}`, 201, ""},
		{"send_email", "POST", inv + "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/send_email/", `{"email_addresses":["a@example.com"]}`, 204, ""},
		{"send_email without addresses", "POST", inv + "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/send_email/", `{"email_addresses":[]}`, 400, `{"error":"No email addresses provided"}`},
		{"send_email without a flow", "POST", inv + "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f/send_email/", `{"email_addresses":["a@example.com"]}`, 400, `{"error":"Invitation has no associated flow"}`},
		{"send_email is a POST", "GET", inv + "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f/send_email/", ``, 405, `{"detail":"Method \"GET\" not allowed."}`},
		{"used_by", "GET", inv + "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f/used_by/", ``, 200, `[]`},
		{"filter by flow slug", "GET", inv + "?flow__slug=invitation-enrollment-flow-external", ``, 200, `"name":"external-partner"`},
		{"filter by creator", "GET", inv + "?created_by__username=nobody", ``, 200, `"results":[]`},
		{"filter by expires", "GET", inv + "?expires=2030-01-01T01:00:00%2B01:00", ``, 200, `"count":2`},
		{"bad expires filter", "GET", inv + "?expires=x", ``, 400, `{"expires":["Enter a valid date/time."]}`},
		// DateTimeField.to_representation: isoformat, six digits of fraction.
		{"microseconds as six digits", "POST", inv, `{"name":"frac","expires":"2031-05-01T10:00:00.5Z"}`, 201, `"expires":"2031-05-01T10:00:00.500000Z"`},
		// SearchFilter casts expires to PostgreSQL's text: "2030-01-01 00:00:00+00".
		{"search expires as the database writes it", "GET", inv + "?search=%222030-01-01+00:00:00%2B00%22", ``, 200, `"count":2`},
		{"search expires not as JSON writes it", "GET", inv + "?search=T00:", ``, 200, `"count":0`},
		// OrderingFilter allows every readable field: fixed_data and created_by
		// too (ties here), instead of falling back to -expires (NULL first).
		{"ordering by fixed_data", "GET", inv + "?ordering=fixed_data", ``, 200, `"results":[{"pk":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"`},
		{"ordering by created_by", "GET", inv + "?ordering=created_by", ``, 200, `"results":[{"pk":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"`},
		{"default ordering", "GET", inv, ``, 200, `"results":[{"pk":"3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"`},
		{"flow by slug", "GET", "/api/v3/flows/instances/invitation-enrollment-flow/", ``, 200, `"pk":"` + flow + `"`},
		{"flows by designation", "GET", "/api/v3/flows/instances/?designation=enrollment&page_size=100", ``, 200, `"count":6`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Start(t, WithToken(testToken), WithDemoData())
			r := send(t, s, tt.method, tt.path, "application/json", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status == 400 || tt.status == 405 {
				if string(r.body) != tt.want {
					t.Errorf("body %s\nwant %s", r.body, tt.want)
				}
			} else if !strings.Contains(string(r.body), tt.want) {
				t.Errorf("body %s\nlacks %s", r.body, tt.want)
			}
		})
	}
}

// TestInvitationsThroughTheSDK: the SDK's invitation operations against the
// fake: defaults, null semantics, ordering, expiry hiding, EnrollmentURL.
func TestInvitationsThroughTheSDK(t *testing.T) {
	t.Parallel()
	s := Start(t, WithDemoData())
	c := s.Client()
	ctx := context.Background()
	flow, err := c.Invitations.List(ctx, &authentik.InvitationListOptions{FlowSlug: "invitation-enrollment-flow-internal-engineering"})
	if err != nil || len(flow.Results) != 1 || flow.Results[0].Name != "contractor-engineering" {
		t.Fatalf("by flow slug: %+v %v", flow, err)
	}
	week := time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Second)
	inv, err := c.Invitations.Create(ctx, &authentik.InvitationRequest{Name: authentik.Ptr("new-hire"), Expires: &week,
		SingleUse: authentik.Ptr(true), Flow: authentik.Ptr(flow.Results[0].Flow), FixedData: map[string]any{"email": "a@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.CreatedBy.Username != "akadmin" || !inv.Expires.Equal(week) || inv.FlowObj == nil ||
		inv.FlowObj.Slug != "invitation-enrollment-flow-internal-engineering" || inv.FlowObj.Authentication != authentik.FlowAuthenticationNone ||
		!reflect.DeepEqual(inv.FixedData, map[string]any{"email": "a@example.com"}) {
		t.Errorf("created %+v", inv)
	}
	link, err := c.Invitations.EnrollmentURL(inv, "")
	if err != nil || link != s.URL+"/if/flow/invitation-enrollment-flow-internal-engineering/?itoken="+inv.PK {
		t.Errorf("link %q %v", link, err)
	}
	// Ptr(time.Time{}) and Ptr("") clear; nil leaves alone.
	inv, err = c.Invitations.Patch(ctx, inv.PK, &authentik.InvitationRequest{Expires: authentik.Ptr(time.Time{}), Flow: authentik.Ptr("")})
	if err != nil || inv.Expires != nil || inv.Flow != "" || inv.FlowObj != nil || !inv.SingleUse {
		t.Errorf("cleared: %+v %v", inv, err)
	}
	if err := c.Invitations.SendEmail(ctx, inv.PK, &authentik.InvitationEmail{To: []string{"a@example.com"}}); !errors.Is(err, authentik.ErrValidation) {
		t.Errorf("send without a flow: %v", err)
	}
	// An expired invitation is hidden from lists and lookups, as authentik hides it.
	old, err := c.Invitations.Create(ctx, &authentik.InvitationRequest{Name: authentik.Ptr("old"), Expires: authentik.Ptr(time.Now().Add(-time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Invitations.Get(ctx, old.PK); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("expired Get: %v", err)
	}
	var names []string
	for i, err := range c.Invitations.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, i.Name)
	}
	// ordering = ["-expires"]: never-expiring ones (NULL) first, as PostgreSQL sorts DESC.
	if want := []string{"open-invitation", "new-hire", "contractor-engineering", "external-partner"}; !reflect.DeepEqual(names, want) {
		t.Errorf("walk %v, want %v", names, want)
	}
	if n := len(s.Invitations()); n != 5 {
		t.Errorf("snapshot holds %d, want 5 (the expired one too)", n)
	}
	var sent []Request
	for _, r := range s.RequestLog() {
		if strings.HasSuffix(r.Path, "/send_email/") {
			sent = append(sent, r)
		}
	}
	var body map[string]any
	if len(sent) != 1 || json.Unmarshal(sent[0].Body, &body) != nil || !reflect.DeepEqual(body["email_addresses"], []any{"a@example.com"}) {
		t.Errorf("send_email log %+v", sent)
	}
}

// TestAddInvitationsAsStored: AddInvitations stores what the server would:
// the flow's UUID in lower case with its flow_obj, microseconds kept.
func TestAddInvitationsAsStored(t *testing.T) {
	t.Parallel()
	s := Start(t, WithDemoData())
	exp := time.Date(2031, 2, 3, 4, 5, 6, 500000000, time.UTC)
	s.AddInvitations(authentik.Invitation{Name: "upper", Flow: "7A8B9CAD-BECF-40D1-8234-5E6F7A8B9CAD", Expires: &exp})
	for _, inv := range s.Invitations() {
		if inv.Name != "upper" {
			continue
		}
		if inv.Flow != "7a8b9cad-becf-40d1-8234-5e6f7a8b9cad" || inv.FlowObj == nil || inv.FlowObj.Slug != "invitation-enrollment-flow-internal-engineering" ||
			inv.Expires == nil || !inv.Expires.Equal(exp) || inv.CreatedBy.Username != "akadmin" {
			t.Errorf("stored %+v", inv)
		}
		return
	}
	t.Fatal("not stored")
}
