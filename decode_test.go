package authentik

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestListDecodesEveryField decodes realistic pages of both server generations
// through List and compares every field of every item and of the pagination.
func TestListDecodesEveryField(t *testing.T) {
	t.Parallel()
	type decoded struct {
		pagination Pagination
		items      any
	}
	tests := []struct {
		name    string
		path    string
		fixture string
		list    func(*Client) (decoded, error)
		want    decoded
	}{
		{
			name: "email 2026.2 page 1", path: "stages/email/", fixture: "email_stages_2026_page1.json",
			list: func(c *Client) (decoded, error) {
				p, err := c.EmailStages.List(context.Background(), nil)
				if err != nil {
					return decoded{}, err
				}
				return decoded{p.Pagination, p.Results}, nil
			},
			want: decoded{Pagination{Next: 2, Previous: 0, Count: 3, Current: 1, TotalPages: 2, StartIndex: 1, EndIndex: 2}, wantEmail2026[:2]},
		},
		{
			name: "email 2026.2 page 2", path: "stages/email/", fixture: "email_stages_2026_page2.json",
			list: func(c *Client) (decoded, error) {
				p, err := c.EmailStages.List(context.Background(), nil)
				if err != nil {
					return decoded{}, err
				}
				return decoded{p.Pagination, p.Results}, nil
			},
			want: decoded{Pagination{Next: 0, Previous: 1, Count: 3, Current: 2, TotalPages: 2, StartIndex: 3, EndIndex: 3}, wantEmail2026[2:]},
		},
		{
			name: "email before 2025.4", path: "stages/email/", fixture: "email_stages_2025.json",
			list: func(c *Client) (decoded, error) {
				p, err := c.EmailStages.List(context.Background(), nil)
				if err != nil {
					return decoded{}, err
				}
				return decoded{p.Pagination, p.Results}, nil
			},
			want: decoded{Pagination{Count: 2, Current: 1, TotalPages: 1, StartIndex: 1, EndIndex: 2}, wantEmail2025},
		},
		{
			name: "invitation 2026.2", path: "stages/invitation/stages/", fixture: "invitation_stages_2026.json",
			list: func(c *Client) (decoded, error) {
				p, err := c.InvitationStages.List(context.Background(), nil)
				if err != nil {
					return decoded{}, err
				}
				return decoded{p.Pagination, p.Results}, nil
			},
			want: decoded{Pagination{Count: 5, Current: 1, TotalPages: 1, StartIndex: 1, EndIndex: 5}, wantInvitation2026},
		},
		{
			name: "invitation before 2025.12", path: "stages/invitation/stages/", fixture: "invitation_stages_2025.json",
			list: func(c *Client) (decoded, error) {
				p, err := c.InvitationStages.List(context.Background(), nil)
				if err != nil {
					return decoded{}, err
				}
				return decoded{p.Pagination, p.Results}, nil
			},
			want: decoded{Pagination{Count: 2, Current: 1, TotalPages: 1, StartIndex: 1, EndIndex: 2}, wantInvitation2025},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			var log requestLog
			mt.RegisterResponder("GET", testAPI+tt.path, respond(t, &log, 200, readFixture(t, tt.fixture)))
			got, err := tt.list(c)
			if err != nil {
				t.Fatal(err)
			}
			if got.pagination != tt.want.pagination {
				t.Errorf("pagination = %+v, want %+v", got.pagination, tt.want.pagination)
			}
			if !reflect.DeepEqual(got.items, tt.want.items) {
				t.Errorf("results differ:\n got %+v\nwant %+v", got.items, tt.want.items)
			}
			if q := log.queries(); len(q) != 1 || q[0] != "" {
				t.Errorf("queries = %q, want one empty query", q)
			}
		})
	}
}

// decodeAnswer decodes an answer as the client does: an older release's body
// upgraded (quirks.go), then straight into v.
func decodeAnswer(b []byte, v any) error {
	var c core
	return c.decode(b, v, 0, nil)
}

// TestDecodeCapturedResponse decodes the EmailStage that a real authentik
// 2025.10.1 returned, "background" key and all.
func TestDecodeCapturedResponse(t *testing.T) {
	var s EmailStage
	if err := decodeAnswer(readFixture(t, "email_stage_2025_10_retrieve.json"), &s); err != nil {
		t.Fatal(err)
	}
	want := EmailStage{
		PK: "XXXXXXXX", Name: "recovery-email", Component: "ak-stage-email-form", VerboseName: "Email Stage",
		VerboseNamePlural: "Email Stages", MetaModelName: "authentik_stages_email.emailstage",
		FlowSet: []FlowSet{{
			PK: "XXXXXXXX", PolicyBindingModelPtrID: "YYYYYYYYYY", Name: "Password Recovery", Slug: "password-recovery",
			Title: "Password Recovery", Designation: FlowDesignationRecovery, Background: flowBackground,
			PolicyEngineMode: PolicyEngineModeAny, CompatibilityMode: true,
			ExportURL: "/api/v3/flows/instances/password-recovery/export/", Layout: FlowLayoutStacked,
			DeniedAction: DeniedActionMessageContinue,
		}},
		UseGlobalSettings: true, Host: "localhost", Port: 25, Username: "", UseTLS: false, UseSSL: false, Timeout: 10,
		FromAddress: "system@authentik.local", TokenExpiry: "minutes=30", Subject: "Password Recovery",
		Template: "email/password_reset.html", ActivateUserOnSuccess: true, RecoveryMaxAttempts: 5,
		RecoveryCacheTimeout: "minutes=5",
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
}

// TestDecodeGenerations pins each server difference on its own.
func TestDecodeGenerations(t *testing.T) {
	tests := []struct {
		name string
		json string
		want func(EmailStage) bool
	}{
		{"integer token_expiry", `{"use_global_settings":true,"from_address":"a@example.com","token_expiry":30}`, func(s EmailStage) bool { return s.TokenExpiry == "minutes=30" }},
		{"fractional integer token_expiry", `{"use_global_settings":true,"from_address":"a@example.com","token_expiry":1.5}`, func(s EmailStage) bool { return s.TokenExpiry == "minutes=1.5" }},
		{"string token_expiry", `{"token_expiry":"hours=1;minutes=2"}`, func(s EmailStage) bool { return s.TokenExpiry == "hours=1;minutes=2" }},
		{"null token_expiry", `{"token_expiry":null}`, func(s EmailStage) bool { return s.TokenExpiry == "" }},
		{"background", `{"flow_set":[{"slug":"f","designation":"recovery","background":"/a.jpg"}]}`, func(s EmailStage) bool { return s.FlowSet[0].Background == "/a.jpg" }},
		{"a background that is not a flow's", `{"name":"x","flow_set":[],"fixed_data":{"background":"/a.jpg"}}`, func(s EmailStage) bool { return s.Name == "x" }},
		{"background_url", `{"flow_set":[{"background_url":"/b.jpg"}]}`, func(s EmailStage) bool { return s.FlowSet[0].Background == "/b.jpg" }},
		{"both: background_url wins", `{"flow_set":[{"background_url":"/b.jpg","background":"/a.jpg"}]}`, func(s EmailStage) bool { return s.FlowSet[0].Background == "/b.jpg" }},
		{"new layouts", `{"flow_set":[{"layout":"sidebar_left_frame_background"},{"layout":"sidebar_right_frame_background"}]}`, func(s EmailStage) bool {
			return s.FlowSet[0].Layout == FlowLayoutSidebarLeftFrameBackground && s.FlowSet[1].Layout == FlowLayoutSidebarRightFrameBackground
		}},
		// A newer server may add fields and enum values: they decode without error.
		{"unknown field and enum values", `{"name":"x","a_field_from_the_future":{"x":1},"flow_set":[{"layout":"future_layout","designation":"future","denied_action":"future","policy_engine_mode":"future"}]}`, func(s EmailStage) bool {
			f := s.FlowSet[0]
			return s.Name == "x" && f.Layout == "future_layout" && f.Designation == "future" && f.DeniedAction == "future" && f.PolicyEngineMode == "future"
		}},
		{"recovery fields", `{"recovery_max_attempts":7,"recovery_cache_timeout":"hours=1"}`, func(s EmailStage) bool {
			return s.RecoveryMaxAttempts == 7 && s.RecoveryCacheTimeout == "hours=1"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s EmailStage
			if err := decodeAnswer([]byte(tt.json), &s); err != nil {
				t.Fatal(err)
			}
			if !tt.want(s) {
				t.Errorf("decoded %+v", s)
			}
		})
	}
}

// TestDecodeBadInput: values no server sends are errors, never panics.
func TestDecodeBadInput(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{"token_expiry bool", `{"results":[{"token_expiry":true}]}`, "token_expiry"},
		{"token_expiry object", `{"results":[{"token_expiry":{}}]}`, "token_expiry"},
		{"fractional page number", `{"pagination":{"next":1.5}}`, "pagination.next"},
		{"page number as text", `{"pagination":{"current":"one"}}`, "pagination"},
		{"results not a list", `{"results":{}}`, "cannot unmarshal"},
		{"port as text", `{"results":[{"port":"25"}]}`, "port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Page[EmailStage]
			err := json.Unmarshal([]byte(tt.json), &p)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

// TestPaginationWholeFloats: the schema types pagination as "number"; whole
// numbers written as floats decode.
func TestPaginationWholeFloats(t *testing.T) {
	var p Pagination
	if err := json.Unmarshal([]byte(`{"next":2.0,"previous":0,"count":1e2,"current":1,"total_pages":5,"start_index":21,"end_index":40}`), &p); err != nil {
		t.Fatal(err)
	}
	want := Pagination{Next: 2, Count: 100, Current: 1, TotalPages: 5, StartIndex: 21, EndIndex: 40}
	if p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}
}

// TestFlowSetEncodesCurrentSchema: encoding writes the 2026.2 name, background_url.
func TestFlowSetEncodesCurrentSchema(t *testing.T) {
	b, err := json.Marshal(FlowSet{Background: "/x.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"background_url":"/x.jpg"`) || strings.Contains(string(b), `"background":`) {
		t.Errorf("encoded %s", b)
	}
}

// TestTokenExpiryStrings: token_expiry strings decode exactly as encoding/json
// decodes them (the fast path skips a decode only when that is certain).
func TestTokenExpiryStrings(t *testing.T) {
	for _, raw := range []string{`"minutes=30"`, `"hours=1;minutes=2"`, `"a\u00e9"`, `"é"`, "\"\xff\"", `"x\"y"`, `""`, `"\t"`, `"\\"`} {
		var want string
		if err := json.Unmarshal([]byte(raw), &want); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var s EmailStage
		if err := decodeAnswer([]byte(`{"token_expiry":`+raw+`}`), &s); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		p, err := getPageFromBytes([]byte(`{"results":[{"token_expiry":` + raw + `}]}`))
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if s.TokenExpiry != want || p.Results[0].TokenExpiry != want {
			t.Errorf("%s: decoded %q and %q, want %q", raw, s.TokenExpiry, p.Results[0].TokenExpiry, want)
		}
	}
}

// getPageFromBytes decodes a page the way List does: an older release's
// body upgraded (quirks.go), then straight into the models.
func getPageFromBytes(b []byte) (*Page[EmailStage], error) {
	var c core
	var wp wirePage[EmailStage]
	if err := c.decode(b, &wp, 0, nil); err != nil && wp.Results == nil {
		return nil, err
	}
	return &Page[EmailStage]{Results: wp.Results}, nil
}

// TestQuirksLeaveOtherObjectsAlone: the quirk table rewrites only the objects
// it is about (an email stage's token_expiry, a flow's background), never the
// same key in other data (an invitation's fixed_data from an older release).
func TestQuirksLeaveOtherObjectsAlone(t *testing.T) {
	body := `{"pk":"` + invitePK + `","name":"x","fixed_data":{"token_expiry":30,"background":"/mine.jpg","slug":"s"},"flow_obj":null}`
	var inv Invitation
	if err := decodeAnswer([]byte(body), &inv); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"token_expiry": 30.0, "background": "/mine.jpg", "slug": "s"}
	if !reflect.DeepEqual(inv.FixedData, want) {
		t.Errorf("fixed_data = %#v, want %#v", inv.FixedData, want)
	}
}

// TestQuirkPathRefusesTrailingData: a body with something after its JSON
// value is refused whether or not it needs an older release's rewrite (the
// rewrite reads one value, and would have dropped the rest).
func TestQuirkPathRefusesTrailingData(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"pk":"` + invitePK + `","slug":"s","designation":"authentication","background":"x"}]]]`,
		`{"pk":"` + invitePK + `","slug":"s","designation":"authentication","background_url":"x"}]]]`,
		`{"pk":"` + invitePK + `","slug":"s","designation":"authentication","background":"x"} {}`,
	} {
		var f Flow
		if err := decodeAnswer([]byte(body), &f); err == nil {
			t.Errorf("%s: decoded, want an error", body)
		}
	}
}
