package contract

import (
	"context"
	"testing"

	"github.com/authentik-go/authentik"
)

// TestSDKRequestsMatchSchema sends every request the SDK can build through a
// proxy that validates it against the schema's operation: each filter alone, all
// together, every page of walks, and Get. The fake behind the proxy answers, and
// its documented responses are validated too.
func TestSDKRequestsMatchSchema(t *testing.T) {
	fake, proxy := fakeBehindProxy(t)
	c, err := authentik.NewClient(proxy.URL, fake.Token, authentik.WithRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	list := authentik.ListOptions{Ordering: "-name", Page: 1, PageSize: 5, Search: "demo"}
	email := []authentik.EmailStageListOptions{
		{ListOptions: authentik.ListOptions{Ordering: "port"}},
		{ListOptions: authentik.ListOptions{Page: 2}},
		{ListOptions: authentik.ListOptions{PageSize: 7}},
		{ListOptions: authentik.ListOptions{Search: "recovery"}},
		{ActivateUserOnSuccess: authentik.Ptr(false)},
		{FromAddress: "system@authentik.local"},
		{Host: "smtp.example.com"},
		{Name: "default-recovery-email"},
		{Port: authentik.Ptr(587)},
		{Subject: "authentik sign-in link"},
		{Template: "email/account_confirmation.html"},
		{Timeout: authentik.Ptr(0)},
		{TokenExpiry: "minutes=30"},
		{UseGlobalSettings: authentik.Ptr(true)},
		{UseSSL: authentik.Ptr(false)},
		{UseTLS: authentik.Ptr(true)},
		{Username: "authentik@example.com"},
		{ListOptions: list, ActivateUserOnSuccess: authentik.Ptr(true), FromAddress: "authentik@example.com",
			Host: "smtp.example.com", Name: "demo-email-stage-02", Port: authentik.Ptr(587), Subject: "authentik",
			Template: "email/password_reset.html", Timeout: authentik.Ptr(30), TokenExpiry: "minutes=15",
			UseGlobalSettings: authentik.Ptr(false), UseSSL: authentik.Ptr(false), UseTLS: authentik.Ptr(true),
			Username: "authentik@example.com"},
	}
	for i := range email {
		if _, err := c.EmailStages.List(ctx, &email[i]); err != nil {
			t.Errorf("email options %d: %v", i, err)
		}
	}
	invitation := []authentik.InvitationStageListOptions{
		{ListOptions: authentik.ListOptions{Ordering: "-pk"}},
		{ListOptions: authentik.ListOptions{Page: 2}},
		{ListOptions: authentik.ListOptions{PageSize: 3}},
		{ListOptions: authentik.ListOptions{Search: "internal"}},
		{ContinueFlowWithoutInvitation: authentik.Ptr(true)},
		{Name: "invitation-stage"},
		{NoFlows: authentik.Ptr(false)},
		{StageUUID: "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"},
		{ListOptions: list, ContinueFlowWithoutInvitation: authentik.Ptr(false), Name: "demo-invitation-stage-01",
			NoFlows: authentik.Ptr(true), StageUUID: "f0000000-0000-4000-8000-000000000001"},
	}
	for i := range invitation {
		if _, err := c.InvitationStages.List(ctx, &invitation[i]); err != nil {
			t.Errorf("invitation options %d: %v", i, err)
		}
	}
	n := 0
	for _, err := range c.EmailStages.All(ctx, &authentik.EmailStageListOptions{ListOptions: authentik.ListOptions{PageSize: 7}, UseTLS: authentik.Ptr(false)}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	for _, err := range c.InvitationStages.All(ctx, &authentik.InvitationStageListOptions{ListOptions: authentik.ListOptions{PageSize: 4}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if _, err := c.EmailStages.Get(ctx, "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d"); err != nil {
		t.Error(err)
	}
	if _, err := c.InvitationStages.Get(ctx, "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"); err != nil {
		t.Error(err)
	}
	if n != 44+25 { // every demo email stage but the recovery email (STARTTLS), every invitation stage
		t.Errorf("walked %d stages, want %d", n, 44+25)
	}
	reqs := proxy.Requests()
	if want := len(email) + len(invitation) + 7 + 7 + 2; len(reqs) != want {
		t.Errorf("%d requests validated, want %d", len(reqs), want)
	}
	for _, v := range append(proxy.RequestViolations(), proxy.ResponseViolations()...) {
		t.Error(v)
	}
}

// TestValidatorRejects: the proxy is not toothless; requests the schema forbids
// are reported.
func TestValidatorRejects(t *testing.T) {
	v := validator(t, false)
	for _, uri := range []string{
		"/api/v3/stages/email/?port=abc",
		"/api/v3/stages/email/?use_tls=maybe",
		"/api/v3/stages/email/?page=x",
		"/api/v3/stages/invitation/stages/?stage_uuid=not-a-uuid",
		"/api/v3/stages/email/not-a-uuid/",
		"/api/v3/stages/email",
	} {
		if _, err := v.Request(getRequest(t, uri)); err == nil {
			t.Errorf("%s: accepted", uri)
		}
	}
	r := getRequest(t, "/api/v3/stages/email/")
	r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	if _, err := v.Request(r); err == nil {
		t.Error("Basic auth accepted")
	}
}
