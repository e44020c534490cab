package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/examples/internal/cli/clitest"
)

const prog = "walk-all"

var (
	// Both collections span two pages, so each walk must follow pagination.next.
	emailPages      = [][]string{{clitest.RecoveryEmail}, {clitest.MagicLinkEmail}}
	invitationPages = [][]string{{clitest.ExternalInvitation, clitest.InternalInvitation}, {clitest.AdminInvitation}}
)

func serve(t *testing.T, email, invitation [][]string) *clitest.Server {
	s := clitest.NewServer(t)
	s.Serve(clitest.EmailPath, email...)
	s.Serve(clitest.InvitationPath, invitation...)
	return s
}

// TestWalk checks the table, the summary and every query of both walks.
func TestWalk(t *testing.T) {
	header := "KIND        NAME                                       PK                                    FLOWS"
	rows := []string{
		"email       default-recovery-email                     4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  default-recovery-flow",
		"email       default-authentication-email-magic-link    e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6  default-authentication-flow",
		"invitation  invitation-enrollment-invitation-external  3c6d9e12-4b7a-4f08-8d21-a5e0c3b7f946  invitation-enrollment-flow-external",
		"invitation  invitation-enrollment-invitation-internal  a1f5c8d3-9e2b-4a64-b07c-5d8e1f2a3b94  invitation-enrollment-flow-internal",
		"invitation  internal-admin-invitation                  f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25  internal-admin-invitation",
	}
	both := clitest.Lines(append(append([]string{header}, rows...), "2 email stages, 3 invitation stages")...)
	tests := []struct {
		name                  string
		email, invitation     [][]string // nil: emailPages, invitationPages
		args                  []string
		wantStdout            string
		wantEmail, wantInvite []string // queries
	}{
		{name: "both by default", wantStdout: both,
			wantEmail: []string{"", "page=2"}, wantInvite: []string{"", "page=2"}},
		{name: "both by name", args: []string{"-resource", "both"}, wantStdout: both,
			wantEmail: []string{"", "page=2"}, wantInvite: []string{"", "page=2"}},
		{name: "list options apply to both walks", args: []string{"-page-size", "2", "-search", "in", "-ordering", "-name"},
			wantStdout: both,
			wantEmail:  []string{"ordering=-name&page_size=2&search=in", "ordering=-name&page=2&page_size=2&search=in"},
			wantInvite: []string{"ordering=-name&page_size=2&search=in", "ordering=-name&page=2&page_size=2&search=in"}},
		{name: "email only", args: []string{"-resource=email"},
			wantStdout: clitest.Lines(
				"KIND   NAME                                     PK                                    FLOWS",
				"email  default-recovery-email                   4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  default-recovery-flow",
				"email  default-authentication-email-magic-link  e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6  default-authentication-flow",
				"2 email stages"),
			wantEmail: []string{"", "page=2"}},
		{name: "invitation only", args: []string{"-resource", "invitation"},
			wantStdout: clitest.Lines(header, rows[2], rows[3], rows[4], "3 invitation stages"),
			wantInvite: []string{"", "page=2"}},
		{name: "one of each", email: [][]string{{clitest.RecoveryEmail}}, invitation: [][]string{{clitest.UnboundInvitation}},
			wantStdout: clitest.Lines(
				"KIND        NAME                    PK                                    FLOWS",
				"email       default-recovery-email  4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  default-recovery-flow",
				"invitation  invitation-stage        6e4a2c8f-d0b1-4973-a5e6-3f9c7b1d0e42  -",
				"1 email stage, 1 invitation stage"),
			wantEmail: []string{""}, wantInvite: []string{""}},
		{name: "none at all", email: [][]string{{}}, invitation: [][]string{{}},
			wantStdout: clitest.Lines("KIND  NAME  PK  FLOWS", "0 email stages, 0 invitation stages"),
			wantEmail:  []string{""}, wantInvite: []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email, invitation := tt.email, tt.invitation
			if email == nil {
				email, invitation = emailPages, invitationPages
			}
			s := serve(t, email, invitation)
			res := clitest.Run(t, run, prog, s.Env(), tt.args...)
			res.Succeeded(t)
			if res.Stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, tt.wantStdout)
			}
			if got := s.Queries(clitest.EmailPath); !reflect.DeepEqual(got, tt.wantEmail) {
				t.Errorf("email queries %q, want %q", got, tt.wantEmail)
			}
			if got := s.Queries(clitest.InvitationPath); !reflect.DeepEqual(got, tt.wantInvite) {
				t.Errorf("invitation queries %q, want %q", got, tt.wantInvite)
			}
		})
	}
}

// TestJSON checks that -json prints every stage of every page as one JSON line,
// email stages first, and no summary.
func TestJSON(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantEmail []string // fixtures, in order
		wantInvit []string
	}{
		{"both", []string{"-json"},
			[]string{clitest.RecoveryEmail, clitest.MagicLinkEmail},
			[]string{clitest.ExternalInvitation, clitest.InternalInvitation, clitest.AdminInvitation}},
		{"invitation only", []string{"-json", "-resource", "invitation"},
			nil,
			[]string{clitest.ExternalInvitation, clitest.InternalInvitation, clitest.AdminInvitation}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, emailPages, invitationPages)
			res := clitest.Run(t, run, prog, s.Env(), tt.args...)
			res.Succeeded(t)
			lines := strings.SplitAfter(res.Stdout, "\n")
			if last := lines[len(lines)-1]; last != "" {
				t.Fatalf("output does not end with a newline: %q", last)
			}
			lines = lines[:len(lines)-1]
			if len(lines) != len(tt.wantEmail)+len(tt.wantInvit) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(tt.wantEmail)+len(tt.wantInvit), res.Stdout)
			}
			// Each line decodes to the stage the SDK decoded from the server.
			for i, fixture := range tt.wantEmail {
				got := clitest.DecodeLines[authentik.EmailStage](t, lines[i])
				if want := clitest.Decode[authentik.EmailStage](t, fixture); !reflect.DeepEqual(got, []authentik.EmailStage{want}) {
					t.Errorf("line %d: %+v\nwant %+v", i+1, got, want)
				}
			}
			for i, fixture := range tt.wantInvit {
				n := len(tt.wantEmail) + i
				got := clitest.DecodeLines[authentik.InvitationStage](t, lines[n])
				if want := clitest.Decode[authentik.InvitationStage](t, fixture); !reflect.DeepEqual(got, []authentik.InvitationStage{want}) {
					t.Errorf("line %d: %+v\nwant %+v", n+1, got, want)
				}
			}
		})
	}
}

// TestFailure checks that a failed walk exits 1 with one line on stderr, keeps
// the rows that arrived before it and prints no summary.
func TestFailure(t *testing.T) {
	tests := []struct {
		name       string
		failPath   string
		failPage   int
		args       []string
		wantStderr []string
		wantStdout string
		wantEmail  int // requests
		wantInvite int
	}{
		{
			name:     "the second invitation page fails",
			failPath: clitest.InvitationPath, failPage: 2,
			wantStderr: []string{"walk-all: authentik: GET http://127.0.0.1:", "/api/v3/stages/invitation/stages/?page=2: 403 Forbidden: Token invalid/expired"},
			wantStdout: clitest.Lines(
				"KIND        NAME                                       PK                                    FLOWS",
				"email       default-recovery-email                     4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  default-recovery-flow",
				"email       default-authentication-email-magic-link    e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6  default-authentication-flow",
				"invitation  invitation-enrollment-invitation-external  3c6d9e12-4b7a-4f08-8d21-a5e0c3b7f946  invitation-enrollment-flow-external",
				"invitation  invitation-enrollment-invitation-internal  a1f5c8d3-9e2b-4a64-b07c-5d8e1f2a3b94  invitation-enrollment-flow-internal"),
			wantEmail: 2, wantInvite: 2,
		},
		{
			name:     "the first email page fails",
			failPath: clitest.EmailPath, failPage: 1,
			wantStderr: []string{"/api/v3/stages/email/: 403 Forbidden"},
			wantEmail:  1,
		},
		{
			name:     "JSON lines stop at the failure too",
			failPath: clitest.EmailPath, failPage: 2, args: []string{"-json"},
			wantStderr: []string{"/api/v3/stages/email/?page=2: 403 Forbidden"},
			wantStdout: jsonLine(t, clitest.Decode[authentik.EmailStage](t, clitest.RecoveryEmail)),
			wantEmail:  2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, emailPages, invitationPages)
			if tt.failPath != "" {
				s.Fail(tt.failPath, tt.failPage, 403, `{"detail":"Token invalid/expired"}`)
			}
			res := clitest.Run(t, run, prog, s.Env(), tt.args...)
			res.Failed(t, tt.wantStderr...)
			if res.Stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, tt.wantStdout)
			}
			if got := len(s.Queries(clitest.EmailPath)); got != tt.wantEmail {
				t.Errorf("%d email requests, want %d", got, tt.wantEmail)
			}
			if got := len(s.Queries(clitest.InvitationPath)); got != tt.wantInvite {
				t.Errorf("%d invitation requests, want %d", got, tt.wantInvite)
			}
		})
	}
}

// TestUsage checks that bad flags exit with status 2 before any request.
func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown resource", []string{"-resource", "flows"}, `invalid value "flows" for flag -resource: want one of email, invitation, both`},
		{"walk-all has no -page", []string{"-page", "2"}, "flag provided but not defined: -page"},
		{"filters belong to the list examples", []string{"-use-tls"}, "flag provided but not defined: -use-tls"},
		{"stray argument", []string{"email"}, `unexpected argument "email"`},
		{"negative page size", []string{"-page-size", "-1"}, `invalid value "-1" for flag -page-size`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, emailPages, invitationPages)
			res := clitest.Run(t, run, prog, s.Env(), tt.args...)
			if res.Code != 2 {
				t.Errorf("exit %d, want 2", res.Code)
			}
			if !strings.Contains(res.Stderr, tt.want) {
				t.Errorf("stderr does not contain %q:\n%s", tt.want, res.Stderr)
			}
			if res.Stdout != "" {
				t.Errorf("stdout %q, want nothing", res.Stdout)
			}
			if n := len(s.Queries(clitest.EmailPath)) + len(s.Queries(clitest.InvitationPath)); n != 0 {
				t.Errorf("%d requests were sent", n)
			}
		})
	}
}

// jsonLine is how -json prints v: json.Marshal's output and a newline.
func jsonLine(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// demoRows is the walk's table rows for the fake's demo data, with kinds.
func demoRows(kinds ...string) [][]string {
	rows := [][]string{{"KIND", "NAME", "PK", "FLOWS"}}
	for _, kind := range kinds {
		switch kind {
		case "email":
			for _, s := range clitest.DemoEmailStages() {
				rows = append(rows, []string{"email", s.Name, s.PK, s.Flows})
			}
		case "invitation":
			for _, s := range clitest.DemoInvitationStages() {
				rows = append(rows, []string{"invitation", s.Name, s.PK, s.Flows})
			}
		}
	}
	return rows
}

// TestBuiltInFake runs the program as a fresh clone would, with nothing set:
// it walks the built-in fake's demo data, 45 email and 25 invitation stages,
// and says so in one line on stderr.
func TestBuiltInFake(t *testing.T) {
	both := clitest.Table(demoRows("email", "invitation")...) + "45 email stages, 25 invitation stages\n"
	tests := []struct {
		name       string
		args       []string
		wantStdout string
	}{
		{"pages of 20", nil, both},
		{"pages of 3", []string{"-page-size", "3"}, both},
		{"one page each", []string{"-page-size", "100"}, both},
		{"email only", []string{"-resource", "email", "-page-size", "7"},
			clitest.Table(demoRows("email")...) + "45 email stages\n"},
		{"invitation only", []string{"-resource=invitation"},
			clitest.Table(demoRows("invitation")...) + "25 invitation stages\n"},
		{"search", []string{"-search", "recovery", "-page-size", "1"}, clitest.Lines(
			"KIND   NAME                    PK                                    FLOWS",
			"email  default-recovery-email  7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d  default-recovery-flow",
			"1 email stage, 0 invitation stages")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := clitest.Run(t, run, prog, nil, tt.args...)
			if res.Code != 0 || res.Stderr != clitest.FakeStderr {
				t.Fatalf("exit %d, stderr %q; want 0, %q", res.Code, res.Stderr, clitest.FakeStderr)
			}
			if res.Stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, tt.wantStdout)
			}
			if n := strings.Count(res.Stdout, "\n"); tt.wantStdout == both && n != 72 {
				t.Errorf("%d lines, want 72: the header, 70 stages and the summary", n)
			}
		})
	}
}
