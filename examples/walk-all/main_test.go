package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
)

const prog = "walk-all"

// serve starts a fake serving one stage to a page (when no page size is
// asked for), so that every walk of more than one stage follows
// pagination.next, loaded by load (nil: the two email stages and three
// invitation stages of the fixtures, listed by name: the magic link's stage,
// the recovery stage; the admin, the external and the internal invitation stage).
func serve(t *testing.T, load func(s *authentiktest.Server)) *authentiktest.Server {
	s := authentiktest.Start(t, authentiktest.WithPageSizes(1, 0))
	if load == nil {
		s.AddEmailStages(clitest.RecoveryEmail, clitest.MagicLinkEmail)
		s.AddInvitationStages(clitest.ExternalInvitation, clitest.InternalInvitation, clitest.AdminInvitation)
		return s
	}
	load(s)
	return s
}

// requests is a GET of the email stages for each of email, then one of the
// invitation stages for each of invitation, as clitest.Requests shows them.
func requests(email, invitation []string) []string {
	return append(clitest.Get(clitest.EmailPath, email...), clitest.Get(clitest.InvitationPath, invitation...)...)
}

// TestWalk checks the table, the summary and every request of both walks.
func TestWalk(t *testing.T) {
	header := "KIND        NAME                                       PK                                    FLOWS"
	rows := []string{
		"email       default-authentication-email-magic-link    e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6  default-authentication-flow",
		"email       default-recovery-email                     4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  default-recovery-flow",
		"invitation  internal-admin-invitation                  f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25  internal-admin-invitation",
		"invitation  invitation-enrollment-invitation-external  3c6d9e12-4b7a-4f08-8d21-a5e0c3b7f946  invitation-enrollment-flow-external",
		"invitation  invitation-enrollment-invitation-internal  a1f5c8d3-9e2b-4a64-b07c-5d8e1f2a3b94  invitation-enrollment-flow-internal",
	}
	tests := []struct {
		name         string
		load         func(s *authentiktest.Server) // nil: the fixtures
		args         []string
		wantStdout   string
		wantRequests []string
	}{
		{name: "one to a page",
			wantStdout:   clitest.Lines(append(append([]string{header}, rows...), "email stages: 2, invitation stages: 3")...),
			wantRequests: requests([]string{"", "page=2"}, []string{"", "page=2", "page=3"})},
		{name: "list options apply to both walks", args: []string{"-page-size", "2", "-search", "in"},
			wantStdout: clitest.Lines(header, rows[0], rows[2], rows[3], rows[4], "email stages: 1, invitation stages: 3"),
			wantRequests: requests([]string{"page_size=2&search=in"},
				[]string{"page_size=2&search=in", "page=2&page_size=2&search=in"})},
		{name: "one of each",
			load: func(s *authentiktest.Server) {
				s.AddEmailStages(clitest.RecoveryEmail)
				s.AddInvitationStages(clitest.UnboundInvitation)
			},
			wantStdout: clitest.Lines(
				"KIND        NAME                    PK                                    FLOWS",
				"email       default-recovery-email  4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  default-recovery-flow",
				"invitation  invitation-stage        6e4a2c8f-d0b1-4973-a5e6-3f9c7b1d0e42  -",
				"email stages: 1, invitation stages: 1"),
			wantRequests: requests([]string{""}, []string{""})},
		{name: "none at all", load: func(*authentiktest.Server) {},
			wantStdout:   clitest.Lines("KIND  NAME  PK  FLOWS", "email stages: 0, invitation stages: 0"),
			wantRequests: requests([]string{""}, []string{""})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, tt.load)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			res.Succeeded(t)
			if res.Stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, tt.wantStdout)
			}
			if got := clitest.Requests(s); !reflect.DeepEqual(got, tt.wantRequests) {
				t.Errorf("requests %q, want %q", got, tt.wantRequests)
			}
		})
	}
}

// TestFailure checks that a failed walk exits 1 with one line on stderr, keeps
// the rows that arrived before it and prints no summary.
func TestFailure(t *testing.T) {
	tests := []struct {
		name         string
		failPath     string
		failPage     int
		args         []string
		wantStderr   []string
		wantStdout   string
		wantRequests []string
	}{
		{
			name:     "the second invitation page fails",
			failPath: clitest.InvitationPath, failPage: 2,
			wantStderr: []string{"walk-all: authentik: GET http://127.0.0.1:", "/api/v3/stages/invitation/stages/?page=2: 403 Forbidden: Token invalid/expired"},
			wantStdout: clitest.Lines(
				"KIND        NAME                                     PK                                    FLOWS",
				"email       default-authentication-email-magic-link  e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6  default-authentication-flow",
				"email       default-recovery-email                   4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  default-recovery-flow",
				"invitation  internal-admin-invitation                f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25  internal-admin-invitation"),
			wantRequests: requests([]string{"", "page=2"}, []string{"", "page=2"}),
		},
		{
			name:     "the first email page fails",
			failPath: clitest.EmailPath, failPage: 1,
			wantStderr:   []string{"/api/v3/stages/email/: 403 Forbidden"},
			wantStdout:   clitest.Lines("KIND  NAME  PK  FLOWS"),
			wantRequests: requests([]string{""}, nil),
		},
		{
			name:     "a negative page size is refused before sending",
			failPath: clitest.EmailPath, failPage: 1, args: []string{"-page-size", "-1"},
			wantStderr: []string{"EmailStageListOptions.PageSize is -1"},
			wantStdout: clitest.Lines("KIND  NAME  PK  FLOWS"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, nil)
			s.FailWhen(clitest.OnPage(tt.failPath, tt.failPage), 1, 403, `{"detail":"Token invalid/expired"}`)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			res.Failed(t, tt.wantStderr...)
			if res.Stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, tt.wantStdout)
			}
			if got := clitest.Requests(s); !reflect.DeepEqual(got, tt.wantRequests) {
				t.Errorf("requests %q, want %q", got, tt.wantRequests)
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
		{"walk-all has no -page", []string{"-page", "2"}, "flag provided but not defined: -page"},
		{"filters belong to the list examples", []string{"-use-tls"}, "flag provided but not defined: -use-tls"},
		{"page size not a number", []string{"-page-size", "all"}, `invalid value "all" for flag -page-size`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, nil)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			if res.Code != 2 {
				t.Errorf("exit %d, want 2", res.Code)
			}
			if !strings.Contains(res.Stderr, tt.want) {
				t.Errorf("stderr does not contain %q:\n%s", tt.want, res.Stderr)
			}
			if res.Stdout != "" {
				t.Errorf("stdout %q, want nothing", res.Stdout)
			}
			if got := clitest.Requests(s); len(got) != 0 {
				t.Errorf("requests were sent: %q", got)
			}
		})
	}
}

// demoRows is the walk's table rows for the fake's demo data: the stages of a
// second fake with the same demo data, in its order (by name), email first.
func demoRows(t *testing.T) [][]string {
	demo := authentiktest.Start(t, authentiktest.WithDemoData())
	rows := [][]string{{"KIND", "NAME", "PK", "FLOWS"}}
	for _, s := range demo.EmailStages() {
		rows = append(rows, []string{"email", s.Name, s.PK, clitest.Flows(s.FlowSet)})
	}
	for _, s := range demo.InvitationStages() {
		rows = append(rows, []string{"invitation", s.Name, s.PK, clitest.Flows(s.FlowSet)})
	}
	return rows
}

// TestBuiltInFake runs the program as a fresh clone would, with nothing set:
// it walks the built-in fake's demo data, 45 email and 25 invitation stages,
// and says so in one line on stderr.
func TestBuiltInFake(t *testing.T) {
	all := clitest.Table(demoRows(t)...) + "email stages: 45, invitation stages: 25\n"
	tests := []struct {
		name       string
		args       []string
		wantStdout string
	}{
		{"pages of 20", nil, all},
		{"pages of 3", []string{"-page-size", "3"}, all},
		{"one page each", []string{"-page-size", "100"}, all},
		{"search", []string{"-search", "recovery", "-page-size", "1"}, clitest.Lines(
			"KIND   NAME                    PK                                    FLOWS",
			"email  default-recovery-email  7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d  default-recovery-flow",
			"email stages: 1, invitation stages: 0")},
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
			if n := strings.Count(res.Stdout, "\n"); tt.wantStdout == all && n != 72 {
				t.Errorf("%d lines, want 72: the header, 70 stages and the summary", n)
			}
		})
	}
}
