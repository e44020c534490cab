// Package clitest is the test harness the examples share: a fake authentik
// that serves pages of stages and records every query, realistic fixtures, and
// a way to call an example's run function and check the contract every example
// keeps. It is a package of its own, used only by tests, so that the fixtures
// and this recording server stay out of the example binaries. (The binaries do
// hold package authentiktest's fake, which they start when AUTHENTIK_URL is not
// set; tests of that run with an empty environment.)
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/examples/internal/cli"
)

// Token is the only API token the fake server accepts.
const Token = "fake-token-for-tests"

// The paths of the two collections, as a real authentik serves them.
const (
	EmailPath      = "/api/v3/stages/email/"
	InvitationPath = "/api/v3/stages/invitation/stages/"
)

// Server is a fake authentik serving the stage collections it was given, page
// by page, with authentik's pagination envelope. It fails the test on a request
// it does not expect: a wrong token, a method other than GET, an unknown path.
type Server struct {
	// URL is the server's base URL (http://127.0.0.1:<port>), for AUTHENTIK_URL.
	URL string

	t  testing.TB
	mu sync.Mutex
	// pages, failures and queries are keyed by path.
	pages    map[string][][]json.RawMessage
	failures map[string]failure
	queries  map[string][]string
}

type failure struct {
	status int
	body   string
	page   int // 0: every page
}

// NewServer starts a fake server on 127.0.0.1 that is closed when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		t:        t,
		pages:    make(map[string][][]json.RawMessage),
		failures: make(map[string]failure),
		queries:  make(map[string][]string),
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Serve makes path answer with pages: page i+1 holds pages[i], each item a
// stage's JSON. Without a page parameter the first page is served.
func (s *Server) Serve(path string, pages ...[]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ps [][]json.RawMessage
	for _, items := range pages {
		var p []json.RawMessage
		for _, item := range items {
			if !json.Valid([]byte(item)) {
				s.t.Fatalf("clitest: the fixture for %s is not valid JSON: %.60s", path, item)
			}
			p = append(p, json.RawMessage(item))
		}
		ps = append(ps, p)
	}
	s.pages[path] = ps
}

// Fail makes path answer page (0: every page) with status and the JSON body,
// as authentik answers an error.
func (s *Server) Fail(path string, page, status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[path] = failure{status: status, body: body, page: page}
}

// Queries is the raw query string of every request to path so far, in order.
func (s *Server) Queries(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries[path]...)
}

// Env is the environment that points a program at s with the right token. Tests
// change or delete entries to check how a program handles its environment.
func (s *Server) Env() map[string]string {
	return map[string]string{authentik.EnvURL: s.URL, authentik.EnvToken: Token}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries[r.URL.Path] = append(s.queries[r.URL.Path], r.URL.RawQuery)

	if r.Method != http.MethodGet {
		s.t.Errorf("clitest: %s %s: the examples only send GET", r.Method, r.URL)
		writeJSON(w, http.StatusMethodNotAllowed, `{"detail":"Method \"`+r.Method+`\" not allowed."}`)
		return
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+Token {
		// Not quoting got: it may hold a token, and test logs are public.
		s.t.Errorf("clitest: %s: the Authorization header is not \"Bearer %s\"", r.URL, Token)
		writeJSON(w, http.StatusForbidden, `{"detail":"Token invalid/expired"}`)
		return
	}
	pages, ok := s.pages[r.URL.Path]
	f, failing := s.failures[r.URL.Path]
	if !ok && !failing {
		s.t.Errorf("clitest: GET %s: no collection is served there", r.URL)
		writeJSON(w, http.StatusNotFound, `{"detail":"Not found."}`)
		return
	}
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || (n > len(pages) && !(failing && f.page == n)) {
			writeJSON(w, http.StatusNotFound, `{"detail":"Invalid page."}`)
			return
		}
		page = n
	}
	if failing && (f.page == 0 || f.page == page) {
		writeJSON(w, f.status, f.body)
		return
	}
	writeJSON(w, http.StatusOK, envelope(pages, page))
}

// envelope is page (from 1) of pages as authentik's paginator sends it
// (authentik/api/pagination.py): next and previous are page numbers, 0 at the
// ends, and start_index/end_index are 1-based positions, 0 when empty.
func envelope(pages [][]json.RawMessage, page int) string {
	count, start := 0, 0
	for i, p := range pages {
		if i < page-1 {
			start += len(p)
		}
		count += len(p)
	}
	var results []json.RawMessage
	if page <= len(pages) {
		results = pages[page-1]
	}
	startIndex, endIndex := 0, 0
	if len(results) > 0 {
		startIndex, endIndex = start+1, start+len(results)
	}
	next, previous := 0, 0
	if page < len(pages) {
		next = page + 1
	}
	if page > 1 {
		previous = page - 1
	}
	body, err := json.Marshal(map[string]any{
		"pagination": map[string]int{
			"next": next, "previous": previous, "count": count, "current": page,
			"total_pages": max(len(pages), 1), "start_index": startIndex, "end_index": endIndex,
		},
		"results":      append([]json.RawMessage{}, results...), // [] rather than null when empty
		"autocomplete": map[string]any{},
	})
	if err != nil {
		panic(err) // the raw messages were validated in Serve
	}
	return string(body)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// RunFunc is the signature of every example's run function.
type RunFunc func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int

// Result is what one run of a program did.
type Result struct {
	Code   int    // the exit status run returned
	Stdout string // everything written to stdout
	Stderr string // everything written to stderr
}

// Run calls run with args and env (a missing key reads as unset) and checks what
// must hold for every run of every example: the token appears in neither
// output, and a failure (status 1) is exactly one line on stderr starting with
// "<prog>: ", after cli.FakeNotice when the program used the built-in fake.
// Usage errors (status 2) and -h print the flag package's usage, so callers
// check stderr themselves for the other statuses.
func Run(t testing.TB, run RunFunc, prog string, env map[string]string, args ...string) Result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(key string) string { return env[key] }
	code := run(context.Background(), args, getenv, &stdout, &stderr)
	res := Result{Code: code, Stdout: stdout.String(), Stderr: stderr.String()}
	if tok := env[authentik.EnvToken]; tok != "" {
		if strings.Contains(res.Stdout, tok) || strings.Contains(res.Stderr, tok) {
			t.Errorf("%s %q printed the token:\nstdout: %s\nstderr: %s", prog, args, res.Stdout, res.Stderr)
		}
	}
	errLine := strings.TrimPrefix(res.Stderr, cli.FakeNotice+"\n")
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

// Decode decodes one fixture into T, as the SDK decodes it from the server.
func Decode[T any](t testing.TB, fixture string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(fixture), &v); err != nil {
		t.Fatalf("decoding a fixture: %v", err)
	}
	return v
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
const FakeStderr = cli.FakeNotice + "\n"
