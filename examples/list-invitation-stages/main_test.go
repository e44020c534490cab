package main

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
)

const prog = "list-invitation-stages"

// twoPages serves three invitation stages, two to a page, so that the walk has
// a next page to follow. The server lists them by name: the admin stage, the
// external one, then the unbound one.
func twoPages(t *testing.T) *authentiktest.Server {
	s := authentiktest.Start(t, authentiktest.WithPageSizes(2, 0))
	s.AddInvitationStages(clitest.ExternalInvitation, clitest.AdminInvitation, clitest.UnboundInvitation)
	return s
}

// get is a GET of the invitation stages for each query, as clitest.Requests shows it.
func get(queries ...string) []string { return clitest.Get(clitest.InvitationPath, queries...) }

// TestQuery checks that each flag sends exactly its filter, on every page.
func TestQuery(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no flags send nothing", nil, []string{"", "page=2"}},
		{"false is sent", []string{"-no-flows=false"}, []string{"no_flows=false"}},
		{"a bare boolean flag is true", []string{"-continue-flow-without-invitation"}, []string{"continue_flow_without_invitation=true"}},
		{"empty strings are not sent", []string{"-name=", "-stage-uuid", ""}, []string{"", "page=2"}},
		{"page size", []string{"-page-size", "3"}, []string{"page_size=3"}},
		{"every filter", []string{
			"-continue-flow-without-invitation=false", "-name", "internal-admin-invitation", "-no-flows=0",
			"-stage-uuid", "f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25",
		}, []string{"continue_flow_without_invitation=false&name=internal-admin-invitation&no_flows=false&stage_uuid=f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := twoPages(t)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			res.Succeeded(t)
			if got, want := clitest.Requests(s), get(tt.want...); !reflect.DeepEqual(got, want) {
				t.Errorf("requests %q, want %q", got, want)
			}
		})
	}
}

// TestTable checks the table exactly: every page, with and without filters.
func TestTable(t *testing.T) {
	header := "NAME                                       PK                                    CONTINUE WITHOUT INVITATION  FLOWS"
	admin := "internal-admin-invitation                  f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25  false                        internal-admin-invitation"
	external := "invitation-enrollment-invitation-external  3c6d9e12-4b7a-4f08-8d21-a5e0c3b7f946  false                        invitation-enrollment-flow-external"
	unbound := "invitation-stage                           6e4a2c8f-d0b1-4973-a5e6-3f9c7b1d0e42  true                         -"
	tests := []struct {
		name         string
		args         []string
		wantStdout   string
		wantRequests []string
	}{
		{"every page", nil, clitest.Lines(header, admin, external, unbound), get("", "page=2")},
		// A filter, and the page size, are sent again for every page.
		{"a filter, one to a page", []string{"-no-flows=false", "-page-size", "1"}, clitest.Lines(header, admin, external),
			get("no_flows=false&page_size=1", "no_flows=false&page=2&page_size=1")},
		{"bound to no flow", []string{"-no-flows"}, clitest.Lines(
			"NAME              PK                                    CONTINUE WITHOUT INVITATION  FLOWS",
			"invitation-stage  6e4a2c8f-d0b1-4973-a5e6-3f9c7b1d0e42  true                         -"),
			get("no_flows=true")},
		{"nothing found", []string{"-name", "nope"}, clitest.Lines("NAME  PK  CONTINUE WITHOUT INVITATION  FLOWS"), get("name=nope")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := twoPages(t)
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

// TestJSON checks that -json prints each stage as one JSON line, decoding to
// what the server holds, and nothing else.
func TestJSON(t *testing.T) {
	s := twoPages(t)
	res := clitest.Run(t, run, prog, clitest.Env(s), "-json")
	res.Succeeded(t)
	want := s.InvitationStages()
	if n := strings.Count(res.Stdout, "\n"); n != len(want) || n != 3 {
		t.Errorf("%d lines, want %d (3):\n%s", n, len(want), res.Stdout)
	}
	if got := clitest.DecodeLines[authentik.InvitationStage](t, res.Stdout); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant %+v", got, want)
	}
}

// TestFailure checks failures: exit status 1, one line on stderr (clitest.Run
// checks it, and that the token is never printed); the rows that arrived
// before a failed page are still printed.
func TestFailure(t *testing.T) {
	tests := []struct {
		name         string
		token        string // "": the server's
		fail         func(s *authentiktest.Server)
		args         []string
		wantStderr   []string
		wantStdout   string
		wantRequests []string
	}{
		{
			name:         "token rejected",
			token:        "not-the-servers-token",
			wantStderr:   []string{"list-invitation-stages: authentik: GET http://127.0.0.1:", "/api/v3/stages/invitation/stages/: 403 Forbidden: Token invalid/expired"},
			wantStdout:   clitest.Lines("NAME  PK  CONTINUE WITHOUT INVITATION  FLOWS"),
			wantRequests: get(""),
		},
		{
			name:       "a stage UUID that is not a UUID is refused before sending",
			args:       []string{"-stage-uuid", "internal-admin-invitation"},
			wantStderr: []string{`StageUUID "internal-admin-invitation" is not a UUID`},
			wantStdout: clitest.Lines("NAME  PK  CONTINUE WITHOUT INVITATION  FLOWS"),
		},
		{
			name: "the second page fails",
			fail: func(s *authentiktest.Server) {
				s.FailWhen(clitest.OnPage(clitest.InvitationPath, 2), 1, 404, `{"detail":"Invalid page."}`)
			},
			wantStderr: []string{"page=2", "404 Not Found: Invalid page."},
			wantStdout: clitest.Lines(
				"NAME                                       PK                                    CONTINUE WITHOUT INVITATION  FLOWS",
				"internal-admin-invitation                  f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25  false                        internal-admin-invitation",
				"invitation-enrollment-invitation-external  3c6d9e12-4b7a-4f08-8d21-a5e0c3b7f946  false                        invitation-enrollment-flow-external"),
			wantRequests: get("", "page=2"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := twoPages(t)
			env := clitest.Env(s)
			if tt.token != "" {
				env[authentik.EnvToken] = tt.token
			}
			if tt.fail != nil {
				tt.fail(s)
			}
			res := clitest.Run(t, run, prog, env, tt.args...)
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

// TestJSONFailure: JSON lines stop at a failed page too, after the lines of
// the pages before it.
func TestJSONFailure(t *testing.T) {
	s := twoPages(t)
	s.FailWhen(clitest.OnPage(clitest.InvitationPath, 2), 1, 404, `{"detail":"Invalid page."}`)
	res := clitest.Run(t, run, prog, clitest.Env(s), "-json")
	res.Failed(t, "page=2", "404 Not Found: Invalid page.")
	if got, want := clitest.DecodeLines[authentik.InvitationStage](t, res.Stdout), s.InvitationStages()[:2]; !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant %+v", got, want)
	}
}

// TestUsage checks that bad flags exit with status 2 before any request.
func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a boolean", []string{"-no-flows=perhaps"}, `invalid boolean value "perhaps" for -no-flows`},
		{"boolean value after a space", []string{"-no-flows", "true"}, `unexpected argument "true" (write -flag=false)`},
		{"unknown flag", []string{"-use-tls"}, "flag provided but not defined: -use-tls"},
		{"page size not a number", []string{"-page-size", "all"}, `invalid value "all" for flag -page-size`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := twoPages(t)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			if res.Code != 2 {
				t.Errorf("exit %d, want 2", res.Code)
			}
			if !strings.Contains(res.Stderr, tt.want) {
				t.Errorf("stderr does not contain %q:\n%s", tt.want, res.Stderr)
			}
			if got := clitest.Requests(s); len(got) != 0 {
				t.Errorf("requests were sent: %q", got)
			}
		})
	}
}

// TestBuiltInFake runs the program as a fresh clone would, with nothing set:
// it uses the built-in fake authentik and its demo data, says so in one line on
// stderr, and prints what that server holds. The expected rows are those of a
// second fake with the same demo data, in its order (by name): the 20
// generated stages before the 5 of authentik's blueprints.
func TestBuiltInFake(t *testing.T) {
	demo := authentiktest.Start(t, authentiktest.WithDemoData()).InvitationStages()
	table := func(stages ...authentik.InvitationStage) string {
		rows := [][]string{{"NAME", "PK", "CONTINUE WITHOUT INVITATION", "FLOWS"}}
		for _, s := range stages {
			rows = append(rows, []string{s.Name, s.PK, strconv.FormatBool(s.ContinueFlowWithoutInvitation), clitest.Flows(s.FlowSet)})
		}
		return clitest.Table(rows...)
	}
	var continuing, bound, unbound []authentik.InvitationStage
	for _, s := range demo {
		if s.ContinueFlowWithoutInvitation {
			continuing = append(continuing, s)
		}
		if len(s.FlowSet) > 0 {
			bound = append(bound, s)
		} else {
			unbound = append(unbound, s)
		}
	}
	if len(demo) != 25 || len(continuing) != 5 || len(bound) != 5 {
		t.Fatalf("%d demo stages, %d continuing without an invitation, %d bound to a flow; want 25, 5 and 5",
			len(demo), len(continuing), len(bound))
	}
	if demo[0].Name != "demo-invitation-stage-01" || demo[20].Name != "internal-admin-invitation" || demo[24].Name != "invitation-stage" {
		t.Fatalf("the demo stages are not in the order this test expects: %s, %s, %s", demo[0].Name, demo[20].Name, demo[24].Name)
	}
	tests := []struct {
		name       string
		args       []string
		wantStdout string
	}{
		{"every page", nil, table(demo...)},
		{"three at a time", []string{"-page-size", "3"}, table(demo...)},
		{"no flows", []string{"-no-flows=true"}, table(unbound...)},
		{"a bare boolean flag is true", []string{"-no-flows"}, table(unbound...)},
		// The README's command, as a table: the stages that accept invitations in a flow.
		{"bound to a flow", []string{"-no-flows=false"}, clitest.Lines(
			"NAME                                                   PK                                    CONTINUE WITHOUT INVITATION  FLOWS",
			"internal-admin-invitation                              9cadbecf-d0e1-42f3-8456-7a8b9cadbecf  false                        internal-admin-invitation",
			"invitation-enrollment-invitation-external              adbecfd0-e1f2-4304-9567-8b9cadbecfd0  false                        invitation-enrollment-flow-external",
			"invitation-enrollment-invitation-internal              becfd0e1-f203-4415-8678-9cadbecfd0e1  false                        invitation-enrollment-flow-internal",
			"invitation-enrollment-invitation-internal-engineering  cfd0e1f2-0314-4526-9789-adbecfd0e1f2  false                        invitation-enrollment-flow-internal-engineering",
			"invitation-stage                                       d0e1f203-1425-4637-889a-becfd0e1f203  false                        invitation-enrollment-flow")},
		{"continuing without an invitation", []string{"-continue-flow-without-invitation"}, table(continuing...)},
		{"by name", []string{"-name", "invitation-stage"}, table(demo[24])},
		{"by UUID", []string{"-stage-uuid", demo[20].PK}, table(demo[20])},
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
		})
	}
	// The README's command as it is written, with -json: the same five stages.
	res := clitest.Run(t, run, prog, nil, "-no-flows=false", "-json")
	if got := clitest.DecodeLines[authentik.InvitationStage](t, res.Stdout); res.Code != 0 || !reflect.DeepEqual(got, bound) {
		t.Errorf("-no-flows=false -json: exit %d, decoded %+v\nwant %+v", res.Code, got, bound)
	}
}

// TestBuiltInFakeFailure checks that a failure with the fake is still one error
// line, after the notice.
func TestBuiltInFakeFailure(t *testing.T) {
	res := clitest.Run(t, run, prog, nil, "-stage-uuid", "internal-admin-invitation")
	if res.Code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", res.Code, res.Stderr)
	}
	lines := strings.SplitAfter(res.Stderr, "\n")
	if len(lines) != 3 || lines[0] != clitest.FakeStderr ||
		!strings.HasPrefix(lines[1], prog+": ") || !strings.Contains(lines[1], `StageUUID "internal-admin-invitation" is not a UUID`) {
		t.Errorf("stderr %q, want the notice and one error line", res.Stderr)
	}
}
