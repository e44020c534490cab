package contract

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
)

// TestWriteRequestsMatchSchema sends every write the SDK can build through a
// proxy that validates it against authentik 2026.8.3's request schemas
// (EmailStageRequest, PatchedEmailStageRequest, InvitationStageRequest, ...):
// each field alone, all of them, every operation, and bodies the server
// refuses. The fake answers behind it, and its 200, 201, 204 and 400 answers
// are validated against the response schemas.
func TestWriteRequestsMatchSchema(t *testing.T) {
	fake, proxy := fakeBehindWriteProxy(t)
	c, err := authentik.NewClient(proxy.URL, fake.Token, authentik.WithRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	each := []authentik.EmailStageRequest{
		{UseGlobalSettings: authentik.Ptr(true)}, {Host: authentik.Ptr("smtp.example.com")}, {Port: authentik.Ptr(587)},
		{Username: authentik.Ptr("")}, {Password: authentik.Ptr("fake-password")}, {UseTLS: authentik.Ptr(true)},
		{UseSSL: authentik.Ptr(false)}, {Timeout: authentik.Ptr(30)}, {FromAddress: authentik.Ptr("auth@example.com")},
		{TokenExpiry: authentik.Ptr("hours=1;minutes=30")}, {Subject: authentik.Ptr("Hello")},
		{Template: authentik.Ptr("email/account_confirmation.html")}, {ActivateUserOnSuccess: authentik.Ptr(true)},
		{RecoveryMaxAttempts: authentik.Ptr(0)}, {RecoveryCacheTimeout: authentik.Ptr("minutes=10")},
	}
	var pks []string
	for i, r := range each {
		r.Name = authentik.Ptr("contract-email-" + string(rune('a'+i)))
		s, err := c.EmailStages.Create(ctx, &r)
		if err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		pks = append(pks, s.PK)
		patch := r
		patch.Name = nil
		if _, err := c.EmailStages.Patch(ctx, s.PK, &patch); err != nil {
			t.Errorf("patch %d: %v", i, err)
		}
		if _, err := c.EmailStages.Update(ctx, s.PK, &r); err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
	all := authentik.EmailStageRequest{Name: authentik.Ptr("contract-email-all"), UseGlobalSettings: authentik.Ptr(false),
		Host: authentik.Ptr("smtp.example.com"), Port: authentik.Ptr(465), Username: authentik.Ptr("mailer"),
		Password: authentik.Ptr("fake-password"), UseTLS: authentik.Ptr(false), UseSSL: authentik.Ptr(true),
		Timeout: authentik.Ptr(10), FromAddress: authentik.Ptr("auth@example.com"), TokenExpiry: authentik.Ptr("minutes=30"),
		Subject: authentik.Ptr("authentik"), Template: authentik.Ptr("email/password_reset.html"),
		ActivateUserOnSuccess: authentik.Ptr(false), RecoveryMaxAttempts: authentik.Ptr(5), RecoveryCacheTimeout: authentik.Ptr("minutes=5")}
	s, err := c.EmailStages.Create(ctx, &all)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EmailStages.UsedBy(ctx, s.PK); err != nil {
		t.Error(err)
	}
	if _, err := c.EmailStages.UsedBy(ctx, "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d"); err != nil { // bound to a flow
		t.Error(err)
	}
	if _, err := c.EmailStages.Templates(ctx); err != nil {
		t.Error(err)
	}
	// Refused by the server, though valid by the schema: the 400 bodies are
	// ValidationErrors.
	for _, bad := range []authentik.EmailStageRequest{
		{Name: authentik.Ptr("contract-email-all")},
		{Name: authentik.Ptr("x2"), Template: authentik.Ptr("nope.html")},
	} {
		if _, err := c.EmailStages.Create(ctx, &bad); !errors.Is(err, authentik.ErrValidation) {
			t.Errorf("create %s: err = %v, want a validation error", *bad.Name, err)
		}
	}
	for _, pk := range append(pks, s.PK) {
		if err := c.EmailStages.Delete(ctx, pk); err != nil {
			t.Error(err)
		}
	}

	inv, err := c.InvitationStages.Create(ctx, &authentik.InvitationStageRequest{Name: authentik.Ptr("contract-invitation"), ContinueFlowWithoutInvitation: authentik.Ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.InvitationStages.Patch(ctx, inv.PK, &authentik.InvitationStageRequest{ContinueFlowWithoutInvitation: authentik.Ptr(false)}); err != nil {
		t.Error(err)
	}
	if _, err := c.InvitationStages.Update(ctx, inv.PK, &authentik.InvitationStageRequest{Name: authentik.Ptr("contract-invitation-2")}); err != nil {
		t.Error(err)
	}
	if _, err := c.InvitationStages.UsedBy(ctx, inv.PK); err != nil {
		t.Error(err)
	}
	if err := c.InvitationStages.Delete(ctx, inv.PK); err != nil {
		t.Error(err)
	}
	// Invitations: every filter, every field, null semantics, send_email.
	week := time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Second)
	flow := "7a8b9cad-becf-40d1-8234-5e6f7a8b9cad"
	if _, err := c.Invitations.List(ctx, &authentik.InvitationListOptions{ListOptions: authentik.ListOptions{Ordering: "-expires", PageSize: 5, Search: "contract"},
		CreatedByUsername: "akadmin", Expires: &week, FlowSlug: "invitation-enrollment-flow", Name: "x"}); err != nil {
		t.Error(err)
	}
	created, err := c.Invitations.Create(ctx, &authentik.InvitationRequest{Name: authentik.Ptr("contract-invite"), Expires: &week,
		FixedData: map[string]any{"email": "a@example.com", "groups": []any{"eng"}}, SingleUse: authentik.Ptr(true), Flow: authentik.Ptr(flow)})
	if err != nil {
		t.Fatal(err)
	}
	for _, patch := range []authentik.InvitationRequest{
		{Expires: authentik.Ptr(time.Time{})}, {Flow: authentik.Ptr("")}, {Flow: authentik.Ptr(flow)}, {SingleUse: authentik.Ptr(false)},
		{FixedData: map[string]any{}}, {Name: authentik.Ptr("contract-invite-2")},
	} {
		if _, err := c.Invitations.Patch(ctx, created.PK, &patch); err != nil {
			t.Errorf("patch %v: %v", patch, err)
		}
	}
	if _, err := c.Invitations.Update(ctx, created.PK, &authentik.InvitationRequest{Name: authentik.Ptr("contract-invite"), Expires: &week}); err != nil {
		t.Error(err)
	}
	if _, err := c.Invitations.Get(ctx, created.PK); err != nil {
		t.Error(err)
	}
	if _, err := c.Invitations.UsedBy(ctx, created.PK); err != nil {
		t.Error(err)
	}
	if err := c.Invitations.SendEmail(ctx, created.PK, &authentik.InvitationEmail{To: []string{"a@example.com"}, CC: []string{"b@example.com"},
		BCC: []string{"c@example.com"}, Template: "email/invitation.html"}); err != nil {
		t.Error(err)
	}
	if _, err := c.Invitations.Create(ctx, &authentik.InvitationRequest{Name: authentik.Ptr("x"), Flow: authentik.Ptr("00000000-0000-4000-8000-000000000009")}); !errors.Is(err, authentik.ErrValidation) {
		t.Errorf("unknown flow: %v", err)
	}
	if err := c.Invitations.Delete(ctx, created.PK); err != nil {
		t.Error(err)
	}
	for inv, err := range c.Invitations.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		_ = inv
	}

	for _, v := range proxy.RequestViolations() {
		t.Errorf("request: %s", v)
	}
	for _, v := range proxy.ResponseViolations() {
		t.Errorf("response: %s", v)
	}
	if n := len(proxy.Requests()); n < 60 {
		t.Errorf("only %d requests went through the proxy", n)
	}
}
