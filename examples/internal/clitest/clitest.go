// Package clitest is the test harness the examples share: a way to call an
// example's run function with an environment of its own and check what every
// example keeps to, helpers to point a program at package authentiktest's fake
// authentik and to read back what it was asked, stages to load into that fake,
// and the expected output spelled out independently of the programs' own code.
// Only tests use it: the examples themselves import nothing but the standard
// library, the SDK and authentiktest, so that each can be copied alone.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

// The paths of the two collections the examples list, as a real authentik
// (and so authentiktest's RequestLog) has them.
const (
	EmailPath      = "/api/v3/stages/email/"
	InvitationPath = "/api/v3/stages/invitation/stages/"
)

// Env is the environment that points a program at s with its token. Tests
// change or delete entries to check how a program handles its environment.
func Env(s *authentiktest.Server) map[string]string {
	return map[string]string{authentik.EnvURL: s.URL, authentik.EnvToken: s.Token}
}

// Requests is every request s has received, in order, as Get writes one (with
// the body, if any, after a space), so that a test compares them all at once:
// method, path, query and order.
func Requests(s *authentiktest.Server) []string {
	var out []string
	for _, r := range s.RequestLog() {
		line := r.Method + " " + r.Path
		if q := r.Query.Encode(); q != "" {
			line += "?" + q
		}
		if len(r.Body) > 0 {
			line += " " + string(r.Body)
		}
		out = append(out, line)
	}
	return out
}

// Get is a GET of path for each of queries (in url.Values.Encode's form: keys
// sorted, values escaped; "" for none), as Requests shows them:
// Get(EmailPath, "", "page=2") is "GET /api/v3/stages/email/" and
// "GET /api/v3/stages/email/?page=2".
func Get(path string, queries ...string) []string {
	out := make([]string, len(queries))
	for i, q := range queries {
		out[i] = "GET " + path
		if q != "" {
			out[i] += "?" + q
		}
	}
	return out
}

// OnPage matches the requests for page n of the list at path, for
// authentiktest's FailWhen. Page 1 is also the request with no page parameter,
// which is how a program asks for the first page.
func OnPage(path string, n int) func(authentiktest.Request) bool {
	return func(r authentiktest.Request) bool {
		page := r.Query.Get("page")
		return r.Path == path && (page == fmt.Sprint(n) || (n == 1 && page == ""))
	}
}

// Every matches every request, for authentiktest's FailWhen.
func Every(authentiktest.Request) bool { return true }

// RunFunc is the signature of every example's run function.
type RunFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// Result is what one run of a program did.
type Result struct {
	Code   int    // the exit status run returned
	Stdout string // everything written to stdout
	Stderr string // everything written to stderr
}

// Run calls run with args, with AUTHENTIK_URL, AUTHENTIK_TOKEN and
// AUTHENTIK_INSECURE set as env says (a missing key is unset) for the length of
// the test, and checks what must hold for every run of every example: the
// token appears in neither output, and a failure (status 1) is one line on
// stderr starting with "<prog>: ", after FakeStderr when the program used the
// built-in fake. Usage errors (status 2) print the flag package's usage, so
// callers check stderr themselves for the other statuses. Tests that call Run
// cannot be parallel: the environment is the process's.
func Run(t *testing.T, run RunFunc, prog string, env map[string]string, args ...string) Result {
	t.Helper()
	for _, key := range []string{authentik.EnvURL, authentik.EnvToken, authentik.EnvInsecure} {
		t.Setenv(key, env[key]) // and restored after the test
		if _, ok := env[key]; !ok {
			os.Unsetenv(key)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	res := Result{Code: code, Stdout: stdout.String(), Stderr: stderr.String()}
	if tok := env[authentik.EnvToken]; tok != "" {
		if strings.Contains(res.Stdout, tok) || strings.Contains(res.Stderr, tok) {
			t.Errorf("%s %q printed the token:\nstdout: %s\nstderr: %s", prog, args, res.Stdout, res.Stderr)
		}
	}
	errLine := strings.TrimPrefix(res.Stderr, FakeStderr)
	if code == 1 && (strings.Count(errLine, "\n") != 1 || !strings.HasSuffix(errLine, "\n") || !strings.HasPrefix(errLine, prog+": ")) {
		t.Errorf("%s %q: stderr is not the one line %q: %q", prog, args, prog+": <error>", res.Stderr)
	}
	return res
}

// Succeeded fails the test unless the run exited 0 with nothing on stderr.
func (r Result) Succeeded(t testing.TB) {
	t.Helper()
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.Code, r.Stderr)
	}
}

// SucceededNoting fails the test unless the run exited 0 with exactly note on
// stderr (a one-page listing's "page 1 of 3 (45 stages); -all for every page").
func (r Result) SucceededNoting(t testing.TB, note string) {
	t.Helper()
	if r.Code != 0 || r.Stderr != note {
		t.Fatalf("exit %d, stderr %q; want 0, %q", r.Code, r.Stderr, note)
	}
}

// PageNote is what a listing of one page of several says on stderr; "" when
// total is 1 (nothing is hidden).
func PageNote(current, total, count int) string {
	if total <= 1 {
		return ""
	}
	return fmt.Sprintf("page %d of %d (%d stages); -all for every page\n", current, total, count)
}

// Failed fails the test unless the run exited 1 with each of parts in its
// stderr (Run has already checked that stderr is one line).
func (r Result) Failed(t testing.TB, parts ...string) {
	t.Helper()
	if r.Code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", r.Code, r.Stderr)
	}
	for _, part := range parts {
		if !strings.Contains(r.Stderr, part) {
			t.Errorf("stderr %q does not contain %q", r.Stderr, part)
		}
	}
}

// DecodeLines decodes stdout as JSON lines, one T per line, failing the test on
// any line that is not one JSON value of that shape.
func DecodeLines[T any](t testing.TB, stdout string) []T {
	t.Helper()
	var items []T
	for i, line := range strings.SplitAfter(stdout, "\n") {
		if line == "" {
			continue // after the final newline
		}
		if !strings.HasSuffix(line, "\n") {
			t.Errorf("line %d is not terminated by a newline: %q", i+1, line)
		}
		var item T
		if err := json.Unmarshal([]byte(line), &item); err != nil {
			t.Errorf("line %d is not a JSON %T: %v: %q", i+1, item, err, line)
			continue
		}
		items = append(items, item)
	}
	return items
}

// Lines joins lines with a newline after each, to write an expected output.
func Lines(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintln(&b, l)
	}
	return b.String()
}

// FakeStderr is all that a program writes on stderr when it succeeds against
// the built-in fake authentik, which it starts when AUTHENTIK_URL is not set.
const FakeStderr = "AUTHENTIK_URL is not set: using a built-in fake authentik with demo data\n"

// Table is rows as the examples print a table, written out independently of
// text/tabwriter: every column but the last padded to its widest cell plus two
// spaces, a newline after each row. Every row must have the same number of cells.
func Table(rows ...[]string) string {
	if len(rows) == 0 {
		return ""
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Flows is the FLOWS cell the examples print for a stage bound to flows,
// written out independently of their own flows functions: the slugs joined by
// commas, or "-" for none.
func Flows(flows []authentik.FlowSet) string {
	if len(flows) == 0 {
		return "-"
	}
	slugs := make([]string, len(flows))
	for i, f := range flows {
		slugs[i] = f.Slug
	}
	return strings.Join(slugs, ",")
}

// SMTP is the SMTP cell list-email-stages prints, written out independently of
// it: "global settings" for a stage that uses them, host:port otherwise.
func SMTP(s authentik.EmailStage) string {
	if s.UseGlobalSettings {
		return "global settings"
	}
	return fmt.Sprintf("%s:%d", s.Host, s.Port)
}
