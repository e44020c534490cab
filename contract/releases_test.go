package contract

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/contract/internal/schemacut"
)

// distinctReleases are the releases whose cuts differ, each once (the first
// release of each cut stands for the others).
func distinctReleases(t *testing.T) []Release {
	t.Helper()
	all, err := Releases()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 || all[len(all)-1].Version != Pin() {
		t.Fatalf("testdata/releases/RELEASES must end at the pin %s", Pin())
	}
	var out []Release
	for _, r := range all {
		if len(out) == 0 || out[len(out)-1].Cut != r.Cut {
			out = append(out, r)
		}
	}
	return out
}

// TestReleaseTableInREADME: the README's "Supported authentik versions" table
// is what the release cuts say, between its markers.
func TestReleaseTableInREADME(t *testing.T) {
	all, err := Releases()
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReleaseTable(all)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(Dir(), "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok1 := strings.Cut(string(readme), "<!-- releases -->\n")
	got, _, ok2 := strings.Cut(rest, "<!-- /releases -->")
	if !ok1 || !ok2 || got != want {
		t.Errorf("README's table of releases (between <!-- releases --> and <!-- /releases -->) is:\n%s\nwant:\n%s", got, want)
	}
}

// TestRequestsMatchEveryRelease sends every request the SDK can build, for the
// operations each release has, through a proxy that validates it against that
// release's schema (undeclared query parameters included) with the fake behind.
func TestRequestsMatchEveryRelease(t *testing.T) {
	for _, rel := range distinctReleases(t) {
		t.Run(rel.Version, func(t *testing.T) {
			doc, err := rel.Load()
			if err != nil {
				t.Fatal(err)
			}
			if doc.Components.Schemas["Invitation"] != nil {
				AsServed(doc)
			}
			v, err := NewValidator(doc)
			if err != nil {
				t.Fatal(err)
			}
			fake, proxy := behindProxy(t, v)
			c, err := authentik.NewClient(proxy.URL, fake.Token, authentik.WithRetryMax(0))
			if err != nil {
				t.Fatal(err)
			}
			exerciseSDK(t, c, doc)
			for _, v := range proxy.RequestViolations() {
				t.Errorf("request: %s", v)
			}
			if len(proxy.Requests()) < 20 {
				t.Errorf("only %d requests", len(proxy.Requests()))
			}
		})
	}
}

// exerciseSDK makes every call of the SDK whose operation doc has.
func exerciseSDK(t *testing.T, c *authentik.Client, doc *openapi3.T) {
	t.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	list := authentik.ListOptions{Ordering: "name", Page: 1, PageSize: 5, Search: "e"}
	_, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{ListOptions: list, ActivateUserOnSuccess: authentik.Ptr(false),
		FromAddress: "system@authentik.local", Host: "localhost", Name: "x", Port: authentik.Ptr(25), Subject: "s",
		Template: "email/password_reset.html", Timeout: authentik.Ptr(10), TokenExpiry: "minutes=30",
		UseGlobalSettings: authentik.Ptr(true), UseSSL: authentik.Ptr(false), UseTLS: authentik.Ptr(false), Username: "u"})
	must("email list", err)
	for _, err := range c.EmailStages.All(ctx, &authentik.EmailStageListOptions{ListOptions: authentik.ListOptions{PageSize: 20}}) {
		must("email walk", err)
	}
	_, err = c.InvitationStages.List(ctx, &authentik.InvitationStageListOptions{ListOptions: list, ContinueFlowWithoutInvitation: authentik.Ptr(true),
		Name: "x", NoFlows: authentik.Ptr(false), StageUUID: "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"})
	must("invitation stage list", err)
	_, err = c.EmailStages.Get(ctx, "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d")
	must("email get", err)
	if Has(doc, "POST", "/stages/email/") {
		s, err := c.EmailStages.Create(ctx, &authentik.EmailStageRequest{Name: authentik.Ptr("matrix-mail"), UseGlobalSettings: authentik.Ptr(false),
			Host: authentik.Ptr("smtp.example.com"), Port: authentik.Ptr(587), Username: authentik.Ptr("u"), Password: authentik.Ptr("fake-pw"),
			UseTLS: authentik.Ptr(true), UseSSL: authentik.Ptr(false), Timeout: authentik.Ptr(10), FromAddress: authentik.Ptr("a@example.com"),
			TokenExpiry: authentik.Ptr("minutes=30"), Subject: authentik.Ptr("s"), Template: authentik.Ptr("email/password_reset.html"),
			ActivateUserOnSuccess: authentik.Ptr(true), RecoveryMaxAttempts: authentik.Ptr(5), RecoveryCacheTimeout: authentik.Ptr("minutes=5")})
		if err != nil {
			t.Fatalf("email create: %v", err)
		}
		_, err = c.EmailStages.Patch(ctx, s.PK, &authentik.EmailStageRequest{Subject: authentik.Ptr("t")})
		must("email patch", err)
		_, err = c.EmailStages.Update(ctx, s.PK, &authentik.EmailStageRequest{Name: authentik.Ptr("matrix-mail"), Host: authentik.Ptr("h")})
		must("email update", err)
		_, err = c.EmailStages.UsedBy(ctx, s.PK)
		must("email used_by", err)
		_, err = c.EmailStages.Templates(ctx)
		must("templates", err)
		must("email delete", c.EmailStages.Delete(ctx, s.PK))
		is, err := c.InvitationStages.Create(ctx, &authentik.InvitationStageRequest{Name: authentik.Ptr("matrix-invite"), ContinueFlowWithoutInvitation: authentik.Ptr(true)})
		if err != nil {
			t.Fatalf("invitation stage create: %v", err)
		}
		_, err = c.InvitationStages.Patch(ctx, is.PK, &authentik.InvitationStageRequest{ContinueFlowWithoutInvitation: authentik.Ptr(false)})
		must("invitation stage patch", err)
		must("invitation stage delete", c.InvitationStages.Delete(ctx, is.PK))
	}
	if Has(doc, "GET", "/stages/invitation/invitations/") {
		week := time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Second)
		_, err := c.Invitations.List(ctx, &authentik.InvitationListOptions{ListOptions: list, CreatedByUsername: "akadmin", Expires: &week,
			FlowSlug: "invitation-enrollment-flow", Name: "x"})
		must("invitation list", err)
		inv, err := c.Invitations.Create(ctx, &authentik.InvitationRequest{Name: authentik.Ptr("matrix"), Expires: &week, SingleUse: authentik.Ptr(true),
			FixedData: map[string]any{"email": "a@example.com"}, Flow: authentik.Ptr("8b9cadbe-cfd0-41e2-9345-6f7a8b9cadbe")})
		if err != nil {
			t.Fatalf("invitation create: %v", err)
		}
		_, err = c.Invitations.Patch(ctx, inv.PK, &authentik.InvitationRequest{Expires: authentik.Ptr(time.Time{}), Flow: authentik.Ptr("")})
		must("invitation patch to null", err)
		_, err = c.Invitations.Get(ctx, inv.PK)
		must("invitation get", err)
		if Has(doc, "POST", "/stages/invitation/invitations/{invite_uuid}/send_email/") {
			_, err = c.Invitations.Patch(ctx, inv.PK, &authentik.InvitationRequest{Flow: authentik.Ptr("8b9cadbe-cfd0-41e2-9345-6f7a8b9cadbe")})
			must("invitation patch", err)
			must("send email", c.Invitations.SendEmail(ctx, inv.PK, &authentik.InvitationEmail{To: []string{"a@example.com"}}))
		}
		must("invitation delete", c.Invitations.Delete(ctx, inv.PK))
	}
	if Has(doc, "GET", "/flows/instances/") {
		for _, err := range authentik.All[map[string]any](ctx, c, "flows/instances/", map[string][]string{"designation": {"enrollment"}}) {
			must("flows walk", err)
		}
	}
}

// TestDecodersAcceptEveryRelease: for every release, an answer generated from
// each response schema the SDK reads (every property filled, as the release
// names it) decodes without error, and what was sent arrives.
func TestDecodersAcceptEveryRelease(t *testing.T) {
	for _, rel := range distinctReleases(t) {
		t.Run(rel.Version, func(t *testing.T) {
			doc, err := rel.Load()
			if err != nil {
				t.Fatal(err)
			}
			routes := map[string]string{} // request path -> answer
			for p, item := range doc.Paths.Map() {
				op := item.Get
				if op == nil {
					continue
				}
				resp := op.Responses.Status(200)
				if resp == nil || resp.Value == nil || resp.Value.Content["application/json"] == nil {
					continue
				}
				b, err := json.Marshal(example(resp.Value.Content["application/json"].Schema, 0))
				if err != nil {
					t.Fatal(err)
				}
				routes[strings.NewReplacer("{stage_uuid}", exampleUUID, "{invite_uuid}", exampleUUID, "{slug}", "x").Replace("/api/v3"+p)] = string(b)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, ok := routes[r.URL.Path]
				if !ok {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			c, err := authentik.NewClient(srv.URL, "fake-token", authentik.WithRetryMax(0))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			page, err := c.EmailStages.List(ctx, nil)
			if err != nil || len(page.Results) != 1 || page.Results[0].Name != "text" || len(page.Results[0].FlowSet) != 1 ||
				page.Results[0].FlowSet[0].Background == "" || page.Results[0].Port != 1 {
				t.Errorf("email list: %+v %v", page, err)
			}
			if s, err := c.EmailStages.Get(ctx, exampleUUID); err != nil || s.PK != exampleUUID || s.TokenExpiry == "" {
				t.Errorf("email get: %+v %v", s, err)
			}
			if p, err := c.InvitationStages.List(ctx, nil); err != nil || len(p.Results) != 1 || !p.Results[0].ContinueFlowWithoutInvitation {
				t.Errorf("invitation stage list: %+v %v", p, err)
			}
			if u, err := c.EmailStages.UsedBy(ctx, exampleUUID); err != nil || len(u) != 1 || u[0].Action == "" {
				t.Errorf("used_by: %+v %v", u, err)
			}
			if tpl, err := c.EmailStages.Templates(ctx); err != nil || len(tpl) != 1 || tpl[0].Name != "text" {
				t.Errorf("templates: %+v %v", tpl, err)
			}
			if _, ok := routes["/api/v3/stages/invitation/invitations/"]; ok {
				p, err := c.Invitations.List(ctx, nil)
				if err != nil || len(p.Results) != 1 || p.Results[0].CreatedBy.Username != "abc" || p.Results[0].Expires == nil ||
					p.Results[0].FlowObj == nil || p.Results[0].FlowObj.Background == "" || p.Results[0].FlowObj.Slug != "abc" {
					t.Errorf("invitation list: %+v %v", p, err)
				}
				if inv, err := c.Invitations.Get(ctx, exampleUUID); err != nil || inv.PK != exampleUUID {
					t.Errorf("invitation get: %+v %v", inv, err)
				}
			}
			var flow authentik.Flow
			if _, err := c.Do(ctx, "GET", "flows/instances/x/", nil, nil, &flow); err != nil || flow.Slug != "abc" || flow.Background == "" {
				t.Errorf("flow: %+v %v", flow, err)
			}
			if _, err := c.InvitationStages.Get(ctx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, authentik.ErrNotFound) {
				t.Errorf("unknown route: %v", err)
			}
		})
	}
}

// TestUndeclaredQueryRefused: the validating proxy refuses a query parameter
// the operation does not declare (kin-openapi alone would let it through).
func TestUndeclaredQueryRefused(t *testing.T) {
	v := validator(t, false)
	for q, ok := range map[string]bool{"?name=x": true, "?bogus=1": false, "?name=x&page_size=2&bogus=1": false} {
		_, err := v.Request(getRequest(t, "/api/v3/stages/email/"+q))
		if (err == nil) != ok {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestCutsHoldTheFlowAPI: every release's cut holds the flow-configuration API
// (paths under each of schemacut.Prefixes, and no other path), and the pinned
// cut has every path the SDK uses (cmd/cutschema refuses a pinned schema
// without one; this catches a cut made with -missing-ok).
func TestCutsHoldTheFlowAPI(t *testing.T) {
	docs := map[string]*openapi3.T{}
	for _, rel := range distinctReleases(t) {
		doc, err := rel.Load()
		if err != nil {
			t.Fatal(err)
		}
		docs[rel.Version] = doc
	}
	pinned, err := LoadSchema()
	if err != nil {
		t.Fatal(err)
	}
	docs["pinned "+Pin()] = pinned
	for name, doc := range docs {
		n := map[string]int{}
	paths:
		for p := range doc.Paths.Map() {
			for _, prefix := range schemacut.Prefixes {
				if strings.HasPrefix(p, prefix) {
					n[prefix]++
					continue paths
				}
			}
			t.Errorf("%s: path %s is under none of %v", name, p, schemacut.Prefixes)
		}
		for _, prefix := range schemacut.Prefixes {
			if n[prefix] == 0 {
				t.Errorf("%s: no path under %s", name, prefix)
			}
		}
	}
	for _, p := range schemacut.SDKPaths {
		if pinned.Paths.Value(p) == nil {
			t.Errorf("the pinned cut has no %s", p)
		}
	}
}
