// Package authentiktest is an in-process fake authentik for tests of code that
// uses package authentik, and for running the examples with no server at all.
//
// It serves every resource the SDK has (every stage type, stages of every type
// at stages/all/, prompts, WebAuthn device types, flows, flow-stage bindings,
// invitations: list, retrieve, create, update, patch, delete, used_by, and the
// email templates, stage types and send_email) on 127.0.0.1, answering like
// authentik 2026.8: bearer authentication refused with 403 and authentik's
// messages, django-filter's exact-match, choice and related-object filters,
// DRF's search and ordering, authentik's paginator envelope, DRF's 400 field
// errors with the schema's types, lengths and choices, the models' defaults and
// authentik's validators, unique stage names (across every type), flow slugs
// and bindings, write-only fields stored but never returned. Objects relate as
// authentik's models say: a binding puts a stage into a flow, so the stage's
// flow_set, the flow's stages and both used_by lists come from the bindings;
// deleting a flow or a stage deletes its bindings, and a deleted flow, stage
// or prompt is cleared from the fields that name it (set to null, or taken off
// a list). Each rule in the code says where in authentik, DRF or
// django-filter it comes from; the collections are generated from the SDK's
// declarations and authentik's schema.
//
// A reference to an object the fake does not serve (a source stage's source,
// an identification stage's sources, an endpoint stage's connector, a
// certificate, a group, a policy) is accepted when it is a UUID and kept as
// given; where authentik nests that object in an answer (connector_obj), the
// fake shows its pk with the other fields empty. WebAuthn device types come
// from authentik's FIDO metadata import: the fake starts with none; give it
// some with Add.
//
// Add and the Add* helpers give the server objects, Objects and the snapshots
// (EmailStages, InvitationStages, Invitations) show what it holds, and
// RequestLog, FailNext and FailWhen let a test see and steer what happened.
//
//	srv := authentiktest.Start(t, authentiktest.WithDemoData())
//	client := srv.Client()
package authentiktest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authentik-go/authentik"
)

// Server is a running fake authentik. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to hand to authentik.NewClient, e.g. http://127.0.0.1:40123.
	URL string
	// Token is the one bearer token the server accepts.
	Token string

	srv      *httptest.Server
	closed   chan struct{} // closed by Close: ends every pending delay
	once     sync.Once
	requests atomic.Int64

	mu            sync.Mutex
	data          map[string][]row // by collection path, in the order added
	log           []Request
	latency       time.Duration
	defaultSize   int
	maxSize       int
	matched       []matchedFault
	failRemaining int
	failStatus    int
	failAfter     time.Duration
}

// Option configures a Server.
type Option func(*Server)

// WithLatency delays every response by d, as a distant server would.
func WithLatency(d time.Duration) Option {
	return func(s *Server) { s.latency = d }
}

// WithToken makes the server accept token instead of a generated one.
func WithToken(token string) Option {
	return func(s *Server) { s.Token = token }
}

// WithPageSizes sets the page size used when a request names none (authentik's
// pagination_default_page_size, 20) and the largest page size a request may ask
// for (pagination_max_page_size, 100). Values below 1 are ignored.
func WithPageSizes(def, max int) Option {
	return func(s *Server) {
		if def > 0 {
			s.defaultSize = def
		}
		if max > 0 {
			s.maxSize = max
		}
	}
}

// NewServer starts a fake authentik on 127.0.0.1 on a free port, like
// httptest.NewServer. Call Close when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		data:        map[string][]row{},
		Token:       "authentiktest-" + randomHex(16),
		closed:      make(chan struct{}),
		defaultSize: 20,
		maxSize:     100,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	if s.maxSize < s.defaultSize {
		s.maxSize = s.defaultSize
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Close stops the server, ends pending delays, and waits for every request in
// flight to finish. It frees the port and leaves no goroutine behind.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closed)
		s.srv.Close()
	})
}

// Client returns a client for this server. Its retries wait 1 to 50 ms instead of
// 1 to 30 s, so tests of failures stay fast; opts are applied after that and may
// override it. It panics if an option is invalid, as a test helper should.
func (s *Server) Client(opts ...authentik.Option) *authentik.Client {
	all := append([]authentik.Option{authentik.WithRetryWait(time.Millisecond, 50*time.Millisecond)}, opts...)
	c, err := authentik.NewClient(s.URL, s.Token, all...)
	if err != nil {
		panic(fmt.Sprintf("authentiktest: Client: %v", err))
	}
	return c
}

// Requests reports how many requests the server has received, whatever it answered.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// FailNext makes the next n requests answer status (with Retry-After when
// retryAfter is positive, rounded up to whole seconds) before anything else is
// checked, as a proxy or an overloaded server would. A status outside 100-599
// is a mistake in the calling test, and FailNext panics saying so.
func (s *Server) FailNext(n, status int, retryAfter time.Duration) {
	if status < 100 || status > 599 {
		panic(fmt.Sprintf("authentiktest: FailNext: status %d is not an HTTP status (100-599)", status))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRemaining, s.failStatus, s.failAfter = n, status, retryAfter
}

// matchedFault is a failure injected with FailWhen.
type matchedFault struct {
	match  func(Request) bool
	left   int
	status int
	body   []byte
}

// FailWhen makes the next n requests that match accepts answer status with
// body (a JSON document; "" answers {"detail": "<status text>"}), before
// anything else is checked, as a proxy or a failing server would: for
// example, only the second page of a list, or only writes. Failures injected
// by several calls are tried in the order they were added. match runs without
// the server's lock, so it may call the server (RequestLog, the snapshots);
// with concurrent requests it must be safe for concurrent use, and still no
// more than n requests fail. A status outside 100-599 panics, as FailNext does.
func (s *Server) FailWhen(match func(Request) bool, n, status int, body string) {
	if status < 100 || status > 599 {
		panic(fmt.Sprintf("authentiktest: FailWhen: status %d is not an HTTP status (100-599)", status))
	}
	if body == "" {
		b, _ := json.Marshal(map[string]string{"detail": http.StatusText(status)})
		body = string(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.matched = append(s.matched, matchedFault{match: match, left: n, status: status, body: []byte(body)})
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms (crypto/rand)
	return hex.EncodeToString(b)
}
