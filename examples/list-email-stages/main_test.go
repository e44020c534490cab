package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
)

const prog = "list-email-stages"

// start serves the two email stages of the fixtures, pageSize to a page when
// no page size is asked for (0: the server's default, 20). The server lists
// them by name: the magic link's stage, then the recovery stage.
func start(t *testing.T, pageSize int) *authentiktest.Server {
	s := authentiktest.Start(t, authentiktest.WithPageSizes(pageSize, 0))
	s.AddEmailStages(clitest.RecoveryEmail, clitest.MagicLinkEmail)
	return s
}

// get is a GET of the email stages for each query, as clitest.Requests shows it.
func get(queries ...string) []string { return clitest.Get(clitest.EmailPath, queries...) }

// The table of the two fixtures, spelled out.
const (
	header   = "NAME                                     PK                                    SMTP                  FROM ADDRESS            FLOWS"
	magic    = "default-authentication-email-magic-link  e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6  global settings       system@authentik.local  default-authentication-flow"
	recovery = "default-recovery-email                   4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  smtp.example.com:587  authentik@example.com   default-recovery-flow"
)

// TestQuery checks that each flag sends exactly its filter: tri-state flags
// send false and 0 when given them and nothing when not given, empty strings
// are not sent.
func TestQuery(t *testing.T) {
	several := clitest.PageNote(1, 2, 2) // page size 1, two stages
	tests := []struct {
		name string
		args []string
		want string
		note string
	}{
		{"no flags send nothing", nil, "", several},
		{"false and numbers are sent", []string{"-use-tls=false", "-port", "25", "-name", "x"}, "name=x&port=25&use_tls=false", ""},
		{"a bare boolean flag is true", []string{"-use-tls"}, "use_tls=true", ""},
		{"explicit true", []string{"-use-ssl=true", "-use-global-settings=1"}, "use_global_settings=true&use_ssl=true", ""},
		{"zero is a filter", []string{"-port=0"}, "port=0", ""},
		{"empty strings are not sent", []string{"-name=", "-host", ""}, "", several},
		{"page 0 is not sent", []string{"-page", "0", "-page-size", "0"}, "", several},
		{"paging, ordering, search", []string{"-page", "2", "-page-size", "1", "-ordering", "-name", "-search", "default"},
			"ordering=-name&page=2&page_size=1&search=default", clitest.PageNote(2, 2, 2)},
		{"every filter", []string{"-name", "default-recovery-email", "-host", "smtp.example.com", "-port", "587",
			"-use-global-settings=false", "-use-ssl=false", "-use-tls"},
			"host=smtp.example.com&name=default-recovery-email&port=587&use_global_settings=false&use_ssl=false&use_tls=true", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, 1)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			res.SucceededNoting(t, tt.note)
			if got, want := clitest.Requests(s), get(tt.want); !reflect.DeepEqual(got, want) {
				t.Errorf("requests %q, want %q", got, want)
			}
		})
	}
}

// TestTable checks the table exactly, for one page, for -all (which follows
// pagination.next) and for an empty result.
func TestTable(t *testing.T) {
	tests := []struct {
		name         string
		pageSize     int // the server's default; 0: 20
		args         []string
		wantStdout   string
		wantRequests []string
		wantNote     string
	}{
		{"one page of two", 0, nil, clitest.Lines(header, magic, recovery), get(""), ""},
		// Without -all only the first page, even when there are more.
		{"one page of several", 1, nil, clitest.Lines(
			"NAME                                     PK                                    SMTP             FROM ADDRESS            FLOWS",
			"default-authentication-email-magic-link  e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6  global settings  system@authentik.local  default-authentication-flow"),
			get(""), clitest.PageNote(1, 2, 2)},
		{"all pages", 1, []string{"-all"}, clitest.Lines(header, magic, recovery), get("", "page=2"), ""},
		{"all pages from page 2", 1, []string{"-all", "-page=2", "-use-ssl=false"},
			clitest.Lines("NAME                    PK                                    SMTP                  FROM ADDRESS           FLOWS",
				"default-recovery-email  4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31  smtp.example.com:587  authentik@example.com  default-recovery-flow"),
			get("page=2&use_ssl=false"), ""},
		{"in the order asked for", 0, []string{"-ordering", "-name"}, clitest.Lines(header, recovery, magic), get("ordering=-name"), ""},
		{"nothing found", 0, []string{"-name", "nope"}, clitest.Lines("NAME  PK  SMTP  FROM ADDRESS  FLOWS"), get("name=nope"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, tt.pageSize)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			res.SucceededNoting(t, tt.wantNote)
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
	tests := []struct {
		name string
		args []string
		want int // how many of the server's stages, in its order
		note string
	}{
		{"one page", []string{"-json"}, 1, clitest.PageNote(1, 2, 2)},
		{"all pages", []string{"-json", "-all"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, 1)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			res.SucceededNoting(t, tt.note)
			want := s.EmailStages()[:tt.want]
			if n := strings.Count(res.Stdout, "\n"); n != len(want) {
				t.Errorf("%d lines, want %d:\n%s", n, len(want), res.Stdout)
			}
			if got := clitest.DecodeLines[authentik.EmailStage](t, res.Stdout); !reflect.DeepEqual(got, want) {
				t.Errorf("decoded %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestFailure checks failures: exit status 1, one line on stderr (clitest.Run
// checks it, and that the token is never printed), and no table.
func TestFailure(t *testing.T) {
	tests := []struct {
		name         string
		env          func(s *authentiktest.Server) map[string]string
		fail         func(s *authentiktest.Server)
		args         []string
		wantStderr   []string // substrings of the one line
		wantRequests []string
	}{
		{
			name: "token rejected",
			env: func(s *authentiktest.Server) map[string]string {
				env := clitest.Env(s)
				env[authentik.EnvToken] = "not-" + s.Token
				return env
			},
			wantStderr:   []string{"list-email-stages: authentik: GET http://127.0.0.1:", "/api/v3/stages/email/: 403 Forbidden: Token invalid/expired", "check AUTHENTIK_TOKEN"},
			wantRequests: get(""),
		},
		{
			name: "a server echoing the token",
			fail: func(s *authentiktest.Server) {
				s.FailWhen(clitest.Every, 1, 400, `{"detail":"Malformed header: Bearer `+s.Token+` retry"}`)
			},
			wantStderr:   []string{"400 Bad Request: Malformed header: Bearer [REDACTED] retry"},
			wantRequests: get(""),
		},
		{
			name: "a later page fails",
			fail: func(s *authentiktest.Server) {
				s.FailWhen(clitest.OnPage(clitest.EmailPath, 2), 1, 404, `{"detail":"Invalid page."}`)
			},
			args:         []string{"-all"},
			wantStderr:   []string{"page=2", "404 Not Found: Invalid page."},
			wantRequests: get("", "page=2"),
		},
		{
			name: "a field error from the server",
			fail: func(s *authentiktest.Server) {
				s.FailWhen(clitest.Every, 1, 400, `{"port":["A valid integer is required."]}`)
			},
			wantStderr:   []string{"400 Bad Request: port: A valid integer is required."},
			wantRequests: get(""),
		},
		{
			name:       "a negative page size is refused before sending",
			args:       []string{"-page-size", "-5"},
			wantStderr: []string{"EmailStageListOptions.PageSize is -5"},
		},
		{
			name: "AUTHENTIK_TOKEN unset",
			env: func(s *authentiktest.Server) map[string]string {
				return map[string]string{authentik.EnvURL: s.URL}
			},
			wantStderr: []string{"AUTHENTIK_TOKEN is not set"},
		},
		{
			name: "a blank AUTHENTIK_URL is not the fake",
			env: func(s *authentiktest.Server) map[string]string {
				return map[string]string{authentik.EnvURL: " ", authentik.EnvToken: s.Token}
			},
			wantStderr: []string{"AUTHENTIK_URL is not set"},
		},
		{
			name: "plain http to another host",
			env: func(s *authentiktest.Server) map[string]string {
				return map[string]string{authentik.EnvURL: "http://authentik.example.com", authentik.EnvToken: s.Token}
			},
			wantStderr: []string{"http://", "AUTHENTIK_INSECURE=true"},
		},
		{
			name: "AUTHENTIK_INSECURE not a boolean",
			env: func(s *authentiktest.Server) map[string]string {
				env := clitest.Env(s)
				env[authentik.EnvInsecure] = "yes please"
				return env
			},
			wantStderr: []string{`AUTHENTIK_INSECURE="yes please" is not a boolean`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, 1)
			env := clitest.Env(s)
			if tt.env != nil {
				env = tt.env(s)
			}
			if tt.fail != nil {
				tt.fail(s)
			}
			res := clitest.Run(t, run, prog, env, tt.args...)
			res.Failed(t, tt.wantStderr...)
			if strings.Contains(res.Stderr, s.Token) {
				t.Errorf("stderr %q holds the server's token", res.Stderr)
			}
			if res.Stdout != "" {
				t.Errorf("stdout:\n%s\nwant nothing", res.Stdout)
			}
			if got := clitest.Requests(s); !reflect.DeepEqual(got, tt.wantRequests) {
				t.Errorf("requests %q, want %q", got, tt.wantRequests)
			}
		})
	}
}

// TestUsage checks that bad flags exit with status 2 (-h with 0) before any
// request, with the flag package's message and usage.
func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
		code int
	}{
		{"not a boolean", []string{"-use-tls=maybe"}, `invalid boolean value "maybe" for -use-tls`, 2},
		{"not a number", []string{"-port", "abc"}, `invalid value "abc" for flag -port`, 2},
		{"boolean value after a space", []string{"-use-tls", "false"}, `unexpected argument "false" (write -flag=false)`, 2},
		{"unknown flag", []string{"-use-starttls"}, "flag provided but not defined: -use-starttls", 2},
		{"help", []string{"-h"}, "Usage of list-email-stages:\n  -all\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, 1)
			res := clitest.Run(t, run, prog, clitest.Env(s), tt.args...)
			if res.Code != tt.code {
				t.Errorf("exit %d, want %d", res.Code, tt.code)
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

// TestBuiltInFake runs the program as a fresh clone would, with nothing set:
// it uses the built-in fake authentik and its demo data, says so in one line on
// stderr, and prints what that server holds. The expected rows are those of a
// second fake with the same demo data, in its order (by name).
func TestBuiltInFake(t *testing.T) {
	demo := authentiktest.Start(t, authentiktest.WithDemoData()).EmailStages()
	table := func(stages ...authentik.EmailStage) string {
		rows := [][]string{{"NAME", "PK", "SMTP", "FROM ADDRESS", "FLOWS"}}
		for _, s := range stages {
			rows = append(rows, []string{s.Name, s.PK, clitest.SMTP(s), s.FromAddress, clitest.Flows(s.FlowSet)})
		}
		return clitest.Table(rows...)
	}
	if len(demo) != 45 || demo[2].Name != "default-recovery-email" {
		t.Fatalf("%d demo stages, the third %q; want 45 and default-recovery-email", len(demo), demo[2].Name)
	}
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantStdout string
		wantNote   string
	}{
		{"the first page", nil, nil, table(demo[:20]...), clitest.PageNote(1, 3, 45)},
		{"a token alone does not need a URL", map[string]string{authentik.EnvToken: "a-token-for-another-server"}, nil, table(demo[:20]...), clitest.PageNote(1, 3, 45)},
		{"the third page", nil, []string{"-page", "3"}, table(demo[40:]...), clitest.PageNote(3, 3, 45)},
		{"all pages", nil, []string{"-all"}, table(demo...), ""},
		{"all pages, three at a time", nil, []string{"-all", "-page-size", "3"}, table(demo...), ""},
		// The README's audit: the one stage that does not use the global
		// settings, the flow it sends mail in, and through which server.
		{"own SMTP settings", nil, []string{"-use-global-settings=false"}, clitest.Lines(
			"NAME                    PK                                    SMTP                  FROM ADDRESS           FLOWS",
			"default-recovery-email  7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d  smtp.example.com:587  authentik@example.com  default-recovery-flow"), ""},
		{"STARTTLS on 587", nil, []string{"-use-tls", "-port", "587", "-all"}, table(demo[2]), ""},
		{"search and ordering", nil, []string{"-search", "DEFAULT", "-ordering", "-name"}, table(demo[2], demo[1], demo[0]), ""},
		{"nothing found", nil, []string{"-name", "nope"}, table(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := clitest.Run(t, run, prog, tt.env, tt.args...)
			if res.Code != 0 || res.Stderr != clitest.FakeStderr+tt.wantNote {
				t.Fatalf("exit %d, stderr %q; want 0, %q", res.Code, res.Stderr, clitest.FakeStderr+tt.wantNote)
			}
			if res.Stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, tt.wantStdout)
			}
		})
	}
}

// TestBuiltInFakeJSON checks -json against the fake: every demo stage, in order,
// one JSON line each, with what the table does not show.
func TestBuiltInFakeJSON(t *testing.T) {
	res := clitest.Run(t, run, prog, nil, "-json", "-all")
	if res.Code != 0 || res.Stderr != clitest.FakeStderr {
		t.Fatalf("exit %d, stderr %q", res.Code, res.Stderr)
	}
	got := clitest.DecodeLines[authentik.EmailStage](t, res.Stdout)
	if want := authentiktest.Start(t, authentiktest.WithDemoData()).EmailStages(); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %d stages, want the %d demo stages:\n%+v\nwant %+v", len(got), len(want), got, want)
	}
	if len(got) < 3 {
		t.Fatalf("%d stages", len(got))
	}
	if r := got[2]; r.Name != "default-recovery-email" || len(r.FlowSet) != 1 || r.FlowSet[0].Slug != "default-recovery-flow" ||
		r.FlowSet[0].Designation != authentik.FlowDesignationRecovery || r.UseGlobalSettings || r.Host != "smtp.example.com" ||
		r.Port != 587 || !r.UseTLS || r.UseSSL || r.Username != "authentik@example.com" || r.FromAddress != "authentik@example.com" {
		t.Errorf("default-recovery-email: %+v", r)
	}
}
