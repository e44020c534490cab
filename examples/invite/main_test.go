package main

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
)

const prog = "invite"

// TestInvite: the flow's slug is resolved, the invitation created with every
// flag, its link printed, and the email asked for.
func TestInvite(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	before := time.Now()
	res := clitest.Run(t, run, prog, clitest.Env(s), "-name", "contractor-alex", "-flow", "invitation-enrollment-flow-internal-engineering",
		"-expires", "7d", "-single-use", "-fixed", "email=alex@example.com", "-fixed", "name=Alex", "-email", "alex@example.com", "-email", "lead@example.com")
	res.Succeeded(t)
	out := regexp.MustCompile(`^created invitation contractor-alex \(([0-9a-f-]{36})\) for flow invitation-enrollment-flow-internal-engineering, expires (\S+)\n` +
		regexp.QuoteMeta(s.URL) + `/if/flow/invitation-enrollment-flow-internal-engineering/\?itoken=([0-9a-f-]{36})\nemailed to alex@example.com, lead@example.com\n$`)
	m := out.FindStringSubmatch(res.Stdout)
	if m == nil || m[1] != m[3] {
		t.Fatalf("stdout %q", res.Stdout)
	}
	if exp, err := time.Parse(time.RFC3339, m[2]); err != nil || exp.Before(before.Add(7*24*time.Hour-time.Second)) || exp.After(time.Now().Add(7*24*time.Hour)) {
		t.Errorf("expires %s", m[2])
	}
	var writes []authentiktest.Request
	for _, r := range s.RequestLog() {
		if r.Method != http.MethodGet {
			writes = append(writes, r)
		} else if r.Path != "/api/v3/flows/instances/invitation-enrollment-flow-internal-engineering/" {
			t.Errorf("unexpected read %s", r.Path)
		}
	}
	if len(writes) != 2 || writes[0].Path != "/api/v3/stages/invitation/invitations/" || writes[1].Path != "/api/v3/stages/invitation/invitations/"+m[1]+"/send_email/" {
		t.Fatalf("writes %+v", writes)
	}
	var created map[string]any
	_ = json.Unmarshal(writes[0].Body, &created)
	delete(created, "expires")
	want := map[string]any{"name": "contractor-alex", "single_use": true, "flow": "7a8b9cad-becf-40d1-8234-5e6f7a8b9cad",
		"fixed_data": map[string]any{"email": "alex@example.com", "name": "Alex"}}
	if !reflect.DeepEqual(created, want) {
		t.Errorf("create body %s", writes[0].Body)
	}
	if string(writes[1].Body) != `{"email_addresses":["alex@example.com","lead@example.com"]}` {
		t.Errorf("send_email body %s", writes[1].Body)
	}
	var stored *authentik.Invitation
	for _, inv := range s.Invitations() {
		if inv.PK == m[1] {
			stored = &inv
		}
	}
	if stored == nil || !stored.SingleUse || stored.FlowObj == nil || stored.FlowObj.Slug != "invitation-enrollment-flow-internal-engineering" {
		t.Errorf("stored %+v", stored)
	}
}

// TestInviteDefaults: no flags at all works on the demo data, never expiring
// when asked, and failures are one clear line.
func TestInviteDefaults(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	res := clitest.Run(t, run, prog, clitest.Env(s), "-expires", "never")
	res.Succeeded(t)
	if !strings.HasPrefix(res.Stdout, "created invitation invitation (") || !strings.Contains(res.Stdout, "for flow invitation-enrollment-flow, never expires\n"+s.URL+"/if/flow/invitation-enrollment-flow/?itoken=") {
		t.Errorf("stdout %q", res.Stdout)
	}
	clitest.Run(t, run, prog, clitest.Env(s), "-flow", "nope").Failed(t, `no flow with slug "nope"`)
	clitest.Run(t, run, prog, clitest.Env(s), "-expires", "soon").Failed(t, `-expires "soon"`)
	clitest.Run(t, run, prog, clitest.Env(s), "-fixed", "novalue").Failed(t, `-fixed "novalue": want key=value`)
	clitest.Run(t, run, prog, clitest.Env(s), "-name", "not a slug").Failed(t, "InvitationRequest.Name")
	n := len(s.Invitations())
	clitest.Run(t, run, prog, clitest.Env(s), "-email", "not-an-address").Failed(t, `-email "not-an-address" is not an email address`)
	if len(s.Invitations()) != n {
		t.Errorf("an invitation was created before the address was refused")
	}
	clitest.Run(t, run, prog, clitest.Env(s), "-email", "Alex <alex@example.com>").Failed(t, `-email "Alex <alex@example.com>" is not an email address`)
	if len(s.Invitations()) != n {
		t.Errorf("an invitation was created before the address was refused")
	}
	// A slug is one path segment: nothing else on the server is reached.
	clitest.Run(t, run, prog, clitest.Env(s), "-flow", "../core/users").Failed(t, `-flow "../core/users" is not a flow's slug`)
	clitest.Run(t, run, prog, clitest.Env(s), "-flow", "").Failed(t, `-flow "" is not a flow's slug`)
}

// TestInviteEmailOnOldServer: a server without send_email (before 2026.5):
// the invitation exists and its link is printed; the error says both.
func TestInviteEmailOnOldServer(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	s.FailWhen(func(r authentiktest.Request) bool { return strings.HasSuffix(r.Path, "/send_email/") }, 1, http.StatusNotFound, `{"detail":"Not found."}`)
	res := clitest.Run(t, run, prog, clitest.Env(s), "-name", "old-server", "-email", "alex@example.com")
	res.Failed(t, "the invitation was created (the link above works), but emailing it failed")
	if !strings.Contains(res.Stderr, "too old to send invitation emails") || !strings.Contains(res.Stdout, "/if/flow/invitation-enrollment-flow/?itoken=") {
		t.Errorf("stdout %q\nstderr %q", res.Stdout, res.Stderr)
	}
	// An answer lost on the way back: the email may have gone out.
	s.FailWhen(func(r authentiktest.Request) bool { return strings.HasSuffix(r.Path, "/send_email/") }, 1, http.StatusBadGateway, "")
	clitest.Run(t, run, prog, clitest.Env(s), "-name", "lost-answer", "-email", "alex@example.com").
		Failed(t, "the invitation was created (the link above works); whether the email went out is unknown")
}
