package authentik

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestEmailStageFilters sends every filter alone and all together, and checks
// the exact path, query and headers: false and 0 are sent, nil and "" are not.
func TestEmailStageFilters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts *EmailStageListOptions
		want string
	}{
		{"nil options", nil, ""},
		{"empty options", &EmailStageListOptions{}, ""},
		{"ordering", &EmailStageListOptions{ListOptions: ListOptions{Ordering: "-name"}}, "ordering=-name"},
		{"page", &EmailStageListOptions{ListOptions: ListOptions{Page: 3}}, "page=3"},
		{"page_size", &EmailStageListOptions{ListOptions: ListOptions{PageSize: 100}}, "page_size=100"},
		{"search", &EmailStageListOptions{ListOptions: ListOptions{Search: "recovery email"}}, "search=recovery+email"},
		{"activate_user_on_success true", &EmailStageListOptions{ActivateUserOnSuccess: Ptr(true)}, "activate_user_on_success=true"},
		{"activate_user_on_success false", &EmailStageListOptions{ActivateUserOnSuccess: Ptr(false)}, "activate_user_on_success=false"},
		{"from_address", &EmailStageListOptions{FromAddress: "system@authentik.local"}, "from_address=system%40authentik.local"},
		{"host", &EmailStageListOptions{Host: "localhost"}, "host=localhost"},
		{"name", &EmailStageListOptions{Name: "default-recovery-email"}, "name=default-recovery-email"},
		{"port", &EmailStageListOptions{Port: Ptr(25)}, "port=25"},
		{"port 0", &EmailStageListOptions{Port: Ptr(0)}, "port=0"},
		{"subject", &EmailStageListOptions{Subject: "authentik sign-in link"}, "subject=authentik+sign-in+link"},
		{"template", &EmailStageListOptions{Template: "email/password_reset.html"}, "template=email%2Fpassword_reset.html"},
		{"timeout", &EmailStageListOptions{Timeout: Ptr(10)}, "timeout=10"},
		{"timeout 0", &EmailStageListOptions{Timeout: Ptr(0)}, "timeout=0"},
		{"token_expiry", &EmailStageListOptions{TokenExpiry: "minutes=30"}, "token_expiry=minutes%3D30"},
		{"use_global_settings", &EmailStageListOptions{UseGlobalSettings: Ptr(true)}, "use_global_settings=true"},
		{"use_global_settings false", &EmailStageListOptions{UseGlobalSettings: Ptr(false)}, "use_global_settings=false"},
		{"use_ssl", &EmailStageListOptions{UseSSL: Ptr(false)}, "use_ssl=false"},
		{"use_tls", &EmailStageListOptions{UseTLS: Ptr(false)}, "use_tls=false"},
		{"use_tls true", &EmailStageListOptions{UseTLS: Ptr(true)}, "use_tls=true"},
		{"username", &EmailStageListOptions{Username: "mailer"}, "username=mailer"},
		{"all together", &EmailStageListOptions{
			ListOptions:           ListOptions{Ordering: "name", Page: 2, PageSize: 50, Search: "email"},
			ActivateUserOnSuccess: Ptr(true), FromAddress: "a@b.c", Host: "smtp", Name: "n", Port: Ptr(587),
			Subject: "s", Template: "t.html", Timeout: Ptr(30), TokenExpiry: "hours=1", UseGlobalSettings: Ptr(false),
			UseSSL: Ptr(false), UseTLS: Ptr(true), Username: "u",
		}, "activate_user_on_success=true&from_address=a%40b.c&host=smtp&name=n&ordering=name&page=2&page_size=50&port=587" +
			"&search=email&subject=s&template=t.html&timeout=30&token_expiry=hours%3D1&use_global_settings=false&use_ssl=false&use_tls=true&username=u"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			var log requestLog
			mt.RegisterResponder("GET", testAPI+"stages/email/", respond(t, &log, 200, readFixture(t, "email_stages_2026_page2.json")))
			var before EmailStageListOptions
			if tt.opts != nil {
				before = *tt.opts
			}
			if _, err := c.EmailStages.List(context.Background(), tt.opts); err != nil {
				t.Fatal(err)
			}
			checkOneRequest(t, &log, "/api/v3/stages/email/", tt.want)
			if tt.opts != nil && !reflect.DeepEqual(before, *tt.opts) {
				t.Errorf("options were modified: %+v", *tt.opts)
			}
		})
	}
}

// TestInvitationStageFilters is TestEmailStageFilters for invitation stages.
func TestInvitationStageFilters(t *testing.T) {
	t.Parallel()
	const uuid = "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"
	tests := []struct {
		name string
		opts *InvitationStageListOptions
		want string
	}{
		{"nil options", nil, ""},
		{"empty options", &InvitationStageListOptions{}, ""},
		{"ordering", &InvitationStageListOptions{ListOptions: ListOptions{Ordering: "pk"}}, "ordering=pk"},
		{"page", &InvitationStageListOptions{ListOptions: ListOptions{Page: 1}}, "page=1"},
		{"page_size", &InvitationStageListOptions{ListOptions: ListOptions{PageSize: 5}}, "page_size=5"},
		{"search", &InvitationStageListOptions{ListOptions: ListOptions{Search: "Internal"}}, "search=Internal"},
		{"continue_flow_without_invitation", &InvitationStageListOptions{ContinueFlowWithoutInvitation: Ptr(true)}, "continue_flow_without_invitation=true"},
		{"continue_flow_without_invitation false", &InvitationStageListOptions{ContinueFlowWithoutInvitation: Ptr(false)}, "continue_flow_without_invitation=false"},
		{"name", &InvitationStageListOptions{Name: "internal-admin-invitation"}, "name=internal-admin-invitation"},
		{"no_flows", &InvitationStageListOptions{NoFlows: Ptr(true)}, "no_flows=true"},
		{"no_flows false", &InvitationStageListOptions{NoFlows: Ptr(false)}, "no_flows=false"},
		{"stage_uuid", &InvitationStageListOptions{StageUUID: uuid}, "stage_uuid=" + uuid},
		{"stage_uuid upper case", &InvitationStageListOptions{StageUUID: "9CADBECF-D0E1-42F3-8456-7A8B9CADBECF"}, "stage_uuid=9CADBECF-D0E1-42F3-8456-7A8B9CADBECF"},
		{"all together", &InvitationStageListOptions{
			ListOptions:                   ListOptions{Ordering: "-name", Page: 4, PageSize: 10, Search: "flow"},
			ContinueFlowWithoutInvitation: Ptr(false), Name: "invitation-stage", NoFlows: Ptr(false), StageUUID: uuid,
		}, "continue_flow_without_invitation=false&name=invitation-stage&no_flows=false&ordering=-name&page=4&page_size=10&search=flow&stage_uuid=" + uuid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			var log requestLog
			mt.RegisterResponder("GET", testAPI+"stages/invitation/stages/", respond(t, &log, 200, readFixture(t, "invitation_stages_2026.json")))
			var before InvitationStageListOptions
			if tt.opts != nil {
				before = *tt.opts
			}
			if _, err := c.InvitationStages.List(context.Background(), tt.opts); err != nil {
				t.Fatal(err)
			}
			checkOneRequest(t, &log, "/api/v3/stages/invitation/stages/", tt.want)
			if tt.opts != nil && !reflect.DeepEqual(before, *tt.opts) {
				t.Errorf("options were modified: %+v", *tt.opts)
			}
		})
	}
}

func checkOneRequest(t *testing.T, log *requestLog, path, query string) {
	t.Helper()
	if log.len() != 1 {
		t.Fatalf("%d requests, want 1", log.len())
	}
	r := log.reqs[0]
	if r.Method != "GET" || r.URL.Scheme != "https" || r.URL.Host != "authentik.example.com" || r.URL.Path != path {
		t.Errorf("request %s %s, want GET https://authentik.example.com%s", r.Method, r.URL, path)
	}
	if r.URL.RawQuery != query {
		t.Errorf("query = %q, want %q", r.URL.RawQuery, query)
	}
}

// TestBadListOptions: invalid options are refused before any request, naming the field.
func TestBadListOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		call    func(*Client) error
		wantErr string
	}{
		{"email negative page", func(c *Client) error {
			_, err := c.EmailStages.List(context.Background(), &EmailStageListOptions{ListOptions: ListOptions{Page: -1}})
			return err
		}, "EmailStageListOptions.Page"},
		{"email negative page size", func(c *Client) error {
			_, err := c.EmailStages.List(context.Background(), &EmailStageListOptions{ListOptions: ListOptions{PageSize: -5}})
			return err
		}, "EmailStageListOptions.PageSize"},
		{"invitation negative page", func(c *Client) error {
			_, err := c.InvitationStages.List(context.Background(), &InvitationStageListOptions{ListOptions: ListOptions{Page: -2}})
			return err
		}, "InvitationStageListOptions.Page"},
		{"invitation negative page size", func(c *Client) error {
			_, err := c.InvitationStages.List(context.Background(), &InvitationStageListOptions{ListOptions: ListOptions{PageSize: -1}})
			return err
		}, "InvitationStageListOptions.PageSize"},
		{"get pk not a uuid", func(c *Client) error {
			_, err := c.EmailStages.Get(context.Background(), "not-a-uuid")
			return err
		}, "pk"},
		{"stage_uuid not a uuid", func(c *Client) error {
			_, err := c.InvitationStages.List(context.Background(), &InvitationStageListOptions{StageUUID: "not-a-uuid"})
			return err
		}, "StageUUID"},
		{"stage_uuid with a query", func(c *Client) error {
			_, err := c.InvitationStages.List(context.Background(), &InvitationStageListOptions{StageUUID: "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf&x=1"})
			return err
		}, "StageUUID"},
		{"email All negative page", func(c *Client) error {
			for _, err := range c.EmailStages.All(context.Background(), &EmailStageListOptions{ListOptions: ListOptions{Page: -1}}) {
				return err
			}
			return nil
		}, "EmailStageListOptions.Page"},
		{"invitation All bad uuid", func(c *Client) error {
			for _, err := range c.InvitationStages.All(context.Background(), &InvitationStageListOptions{StageUUID: "x"}) {
				return err
			}
			return nil
		}, "StageUUID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			err := tt.call(c)
			if err == nil || !contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one naming %s", err, tt.wantErr)
			}
			var in *InputError
			if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &in) || !strings.HasSuffix(in.Field, tt.wantErr) {
				t.Errorf("err %v: want an *InputError for %s matching ErrInvalidInput", err, tt.wantErr)
			}
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests made, want none", n)
			}
		})
	}
}

// TestHyphenlessUUIDs: 32 hex digits without hyphens, which authentik's UUID
// fields accept, are accepted too: a pk is sent in the canonical form, a
// StageUUID filter as given.
func TestHyphenlessUUIDs(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	log := &requestLog{}
	mt.RegisterResponder("GET", testAPI+"stages/invitation/stages/9cadbecf-d0e1-42f3-8456-7a8b9cadbecf/",
		respond(t, log, 200, []byte(`{"pk":"9cadbecf-d0e1-42f3-8456-7a8b9cadbecf","name":"x","flow_set":[]}`)))
	mt.RegisterResponder("GET", testAPI+"stages/invitation/stages/", respond(t, log, 200, pageJSON(t, []InvitationStage{}, 1, 1, 0, 20)))
	if s, err := c.InvitationStages.Get(context.Background(), "9CADBECFD0E142F384567A8B9CADBECF"); err != nil || s.Name != "x" {
		t.Fatalf("Get: %+v %v", s, err)
	}
	if _, err := c.InvitationStages.List(context.Background(), &InvitationStageListOptions{StageUUID: "9cadbecfd0e142f384567a8b9cadbecf"}); err != nil {
		t.Fatal(err)
	}
	if q := log.queries(); len(q) != 2 || q[1] != "stage_uuid=9cadbecfd0e142f384567a8b9cadbecf" {
		t.Errorf("queries %v", q)
	}
}
