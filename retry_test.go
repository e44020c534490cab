package authentik

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func statusResponder(status int, body string, header ...string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

// TestRetryTransientThenSuccess: 502, 503, 504, 429, a reset connection and a
// body cut short are retried; the 200 that follows is decoded.
func TestRetryTransientThenSuccess(t *testing.T) {
	t.Parallel()
	ok := readFixture(t, "email_stages_2026_page2.json")
	truncated := func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, "")
		resp.Body = io.NopCloser(io.MultiReader(strings.NewReader(`{"pagination": {"next"`), errReader{io.ErrUnexpectedEOF}))
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
	tests := []struct {
		name  string
		first httpmock.Responder
	}{
		{"502", statusResponder(502, "bad gateway")},
		{"503", statusResponder(503, `{"detail": "unavailable"}`)},
		{"504", statusResponder(504, "gateway timeout")},
		{"429", statusResponder(429, `{"detail": "Request was throttled."}`, "Retry-After", "0")},
		{"connection reset", httpmock.NewErrorResponder(errors.New("connection reset by peer"))},
		{"body cut short", truncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			mt.RegisterResponder("GET", testAPI+"stages/email/", tt.first.Then(tt.first).Then(respond(t, nil, 200, ok)))
			p, err := c.EmailStages.List(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Results) != 1 || p.Results[0].Name != "default-recovery-email" {
				t.Errorf("results = %+v", p.Results)
			}
			if n := mt.GetTotalCallCount(); n != 3 {
				t.Errorf("%d requests, want 3", n)
			}
		})
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestNoRetry: 501 and 4xx other than 429 are answered at once.
func TestNoRetry(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 501} {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", testAPI+"stages/email/", statusResponder(status, `{"detail": "no"}`))
		if _, err := c.EmailStages.List(context.Background(), nil); err == nil {
			t.Fatalf("%d: no error", status)
		}
		if n := mt.GetTotalCallCount(); n != 1 {
			t.Errorf("%d: %d requests, want 1", status, n)
		}
	}
}

// TestRetryAfterIsCapped: Retry-After: 3600 with a small wait max does not stall.
// The context's deadline only guards against a hang; the assertion is that the
// retry happened and succeeded well before it.
func TestRetryAfterIsCapped(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetryWait(time.Millisecond, 20*time.Millisecond))
	mt.RegisterResponder("GET", testAPI+"stages/email/",
		statusResponder(429, `{"detail": "Request was throttled."}`, "Retry-After", "3600").
			Then(respond(t, nil, 200, readFixture(t, "email_stages_2026_page2.json"))))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	if _, err := c.EmailStages.List(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// Not a speed claim: an uncapped wait would take the hour (or the minute of
	// the context); a capped one takes 20 ms. Ten seconds separates them on any machine.
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the retry waited %s: Retry-After was not capped", elapsed)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestBackoff pins the wait: exponential from min with jitter in the upper half
// of each step (never below min), Retry-After honoured on 429 and 503 whatever
// its size, and never more than max.
func TestBackoff(t *testing.T) {
	withRetryAfter := func(status int, v string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {v}}}
	}
	const s = time.Second
	tests := []struct {
		name     string
		attempt  int
		resp     *http.Response
		low, max time.Duration
	}{
		{"first", 0, nil, s, 2 * s},
		{"second", 1, nil, 2 * s, 4 * s},
		{"third", 2, nil, 4 * s, 8 * s},
		{"capped exponential", 10, nil, 15 * s, 30 * s},
		{"attempt past 63", 200, nil, 15 * s, 30 * s},
		{"retry-after seconds", 0, withRetryAfter(429, "7"), 7 * s, 7 * s},
		{"retry-after zero", 3, withRetryAfter(429, "0"), 0, 0},
		{"retry-after on 503", 0, withRetryAfter(503, "2"), 2 * s, 2 * s},
		{"retry-after an hour", 0, withRetryAfter(429, "3600"), 30 * s, 30 * s},
		{"retry-after that overflows a Duration", 0, withRetryAfter(429, "9223372037"), 30 * s, 30 * s},
		{"retry-after past uint64", 0, withRetryAfter(429, "99999999999999999999999"), 30 * s, 30 * s},
		{"retry-after a date far ahead", 0, withRetryAfter(429, time.Now().Add(48*time.Hour).UTC().Format(http.TimeFormat)), 30 * s, 30 * s},
		{"retry-after a date past", 0, withRetryAfter(503, time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)), 0, 0},
		{"retry-after negative", 1, withRetryAfter(429, "-5"), 2 * s, 4 * s},
		{"retry-after garbage", 1, withRetryAfter(429, "soon"), 2 * s, 4 * s},
		{"retry-after on 500 ignored", 0, withRetryAfter(500, "20"), s, 2 * s},
	}
	for _, tt := range tests {
		for range 200 {
			if got := jitteredBackoff(s, 30*s, tt.attempt, tt.resp); got < tt.low || got > tt.max {
				t.Fatalf("%s: wait %s, want within [%s, %s]", tt.name, got, tt.low, tt.max)
			}
		}
	}
	// Zero and equal bounds.
	if got := jitteredBackoff(0, 0, 3, nil); got != 0 {
		t.Errorf("bounds 0,0: wait %s", got)
	}
	if got := jitteredBackoff(time.Millisecond, time.Millisecond, 3, nil); got != time.Millisecond {
		t.Errorf("bounds 1ms,1ms: wait %s", got)
	}
}

// TestBackoffJitter: 100 callers failing together do not all wait the same:
// their waits spread over the upper half of the step.
func TestBackoffJitter(t *testing.T) {
	seen := map[time.Duration]bool{}
	var lo, hi time.Duration = time.Hour, 0
	for range 100 {
		w := jitteredBackoff(100*time.Millisecond, 10*time.Second, 3, nil) // step 800ms
		seen[w] = true
		lo, hi = min(lo, w), max(hi, w)
	}
	if len(seen) < 50 || hi-lo < 400*time.Millisecond {
		t.Errorf("100 waits: %d distinct, spread %s..%s; want them spread over 800ms..1.6s", len(seen), lo, hi)
	}
}

// TestFirstRetryJittered: the first retry is spread too. With waits 200ms..2s,
// 40 callers failing together used to wait exactly 200ms each.
func TestFirstRetryJittered(t *testing.T) {
	var lo, hi time.Duration = time.Hour, 0
	for range 40 {
		w := jitteredBackoff(200*time.Millisecond, 2*time.Second, 0, nil)
		if w < 200*time.Millisecond || w > 400*time.Millisecond {
			t.Fatalf("first wait %s, want within [200ms, 400ms]", w)
		}
		lo, hi = min(lo, w), max(hi, w)
	}
	if hi-lo < 100*time.Millisecond {
		t.Errorf("40 first waits spread over %s..%s only; want them over 200ms..400ms", lo, hi)
	}
}

// TestRetriesExhausted: the final error keeps the last status and detail.
func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		body   string
		detail string
		is     error
	}{
		{503, `{"detail": "Service Unavailable"}`, "Service Unavailable", nil},
		{429, `{"detail": "Request was throttled. Expected available in 5 seconds."}`, "Request was throttled. Expected available in 5 seconds.", ErrRateLimited},
		{500, `{"detail": "A server error occurred."}`, "A server error occurred.", nil},
	}
	for _, tt := range tests {
		c, mt := newMockClient(t, WithRetryMax(2))
		mt.RegisterResponder("GET", testAPI+"stages/email/", statusResponder(tt.status, tt.body, "Retry-After", "0"))
		_, err := c.EmailStages.List(context.Background(), nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Detail != tt.detail || string(apiErr.Body) != tt.body {
			t.Fatalf("%d: err = %#v", tt.status, err)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%d: errors.Is(%v) = false", tt.status, tt.is)
		}
		if unavailable := tt.status >= 500; errors.Is(err, ErrUnavailable) != unavailable {
			t.Errorf("%d: errors.Is(ErrUnavailable) = %v", tt.status, !unavailable)
		}
		if !strings.Contains(err.Error(), " (after 3 tries over ") {
			t.Errorf("%d: err = %v, want it to say how many tries", tt.status, err)
		}
		if n := mt.GetTotalCallCount(); n != 3 {
			t.Errorf("%d: %d requests, want 3", tt.status, n)
		}
	}
}

// TestRetryMaxZero makes exactly one request.
func TestRetryMaxZero(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetryMax(0))
	mt.RegisterResponder("GET", testAPI+"stages/email/", statusResponder(503, `{"detail": "down"}`))
	_, err := c.EmailStages.List(context.Background(), nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRetryConnectionErrorsExhausted: a connection error that persists is
// returned with the URL, after every retry.
func TestRetryConnectionErrorsExhausted(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetryMax(1))
	mt.RegisterResponder("GET", testAPI+"stages/email/", httpmock.NewErrorResponder(errors.New("connection refused")))
	_, err := c.EmailStages.List(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), testAPI+"stages/email/") {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestServerDown: a server that refuses connections is ErrUnavailable after
// every retry, and the error says how many tries over how long; a read that
// is not retried says nothing of tries.
func TestServerDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: every dial is refused
	c, err := NewClient("http://"+addr, testToken, WithRetryMax(3), WithRetryWait(time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.EmailStages.List(context.Background(), nil)
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrUnknownOutcome) || !regexp.MustCompile(` \(after 4 tries over [0-9.]+m?s\)$`).MatchString(err.Error()) {
		t.Errorf("err = %v", err)
	}
	c, _ = NewClient("http://"+addr, testToken, WithRetryMax(0))
	if _, err := c.EmailStages.List(context.Background(), nil); !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), "tries") {
		t.Errorf("one try: err = %v", err)
	}
	// A certificate the client does not trust: waiting heals nothing.
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	c, _ = NewClient(tlsSrv.URL, testToken, WithRetryWait(time.Millisecond, 2*time.Millisecond))
	if _, err := c.EmailStages.List(context.Background(), nil); err == nil || errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), "tries") {
		t.Errorf("untrusted certificate: err = %v", err)
	}
}

// TestCancelDuringBackoff: cancelling the context ends an hour-long backoff at
// once, with the context's error and no further request.
func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetryWait(time.Hour, time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	mt.RegisterResponder("GET", testAPI+"stages/email/", func(*http.Request) (*http.Response, error) {
		time.AfterFunc(10*time.Millisecond, cancel) // cancel while the client waits to retry
		return httpmock.NewStringResponse(503, `{"detail": "down"}`), nil
	})
	_, err := c.EmailStages.List(ctx, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestCancelledBeforeStart: a context already cancelled makes no request.
func TestCancelledBeforeStart(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mt.RegisterResponder("GET", testAPI+"stages/email/", statusResponder(200, `{}`))
	if _, err := c.EmailStages.List(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests, want 0", n)
	}
}

// TestUnknownHostNotRetried: a host name that does not resolve (a typo in the
// base URL) fails at once, with a hint, instead of being retried for seconds.
// The resolver is faked: tests make no DNS lookups.
func TestUnknownHostNotRetried(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "authentik.exmaple.com", IsNotFound: true}}
	}}
	c, err := NewClient("https://authentik.exmaple.com", testToken, WithHTTPClient(&http.Client{Transport: tr}),
		WithRetryWait(time.Second, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.EmailStages.List(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), `the host "authentik.exmaple.com" does not resolve`) || !strings.Contains(err.Error(), "check the base URL") {
		t.Fatalf("err = %v", err)
	}
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("errors.As(*net.DNSError) = false for %v", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d dials, want 1 (no retries)", n)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("took %s: it waited to retry", d)
	}
	// A temporary DNS failure (no IsNotFound) is still retried.
	dials.Store(0)
	tr2 := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "server misbehaving", Name: "authentik.example.com", IsTemporary: true}}
	}}
	c, _ = NewClient("https://authentik.example.com", testToken, WithHTTPClient(&http.Client{Transport: tr2}),
		WithRetryMax(2), WithRetryWait(time.Millisecond, time.Millisecond))
	if _, err := c.EmailStages.List(context.Background(), nil); err == nil {
		t.Fatal("no error")
	}
	if n := dials.Load(); n != 3 {
		t.Errorf("temporary DNS failure: %d dials, want 3", n)
	}
}

// TestRetryAfterOverflowWaitsTheMax: Retry-After: 9223372037 (seconds past what
// a time.Duration holds) waits the configured maximum, not zero.
func TestRetryAfterOverflowWaitsTheMax(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetryMax(1), WithRetryWait(time.Millisecond, 150*time.Millisecond))
	mt.RegisterResponder("GET", testAPI+"stages/email/", func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(429, `{"detail":"slow down"}`)
		resp.Header.Set("Retry-After", "9223372037")
		return resp, nil
	})
	start := time.Now()
	_, err := c.EmailStages.List(context.Background(), nil)
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d < 140*time.Millisecond {
		t.Errorf("retried after %s, want the 150ms maximum", d)
	}
}

// TestPost429ThenContextEnds: a POST whose every try was refused with 429 is
// not an unknown outcome when the context ends while it waits to retry.
func TestPost429ThenContextEnds(t *testing.T) {
	t.Parallel()
	var tries atomic.Int32
	c, mt := newMockClient(t, WithRetryWait(time.Second, time.Second))
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		tries.Add(1)
		return statusResponder(429, `{"detail":"slow down"}`, "Retry-After", "5")(r)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.EmailStages.Create(ctx, &EmailStageRequest{Name: Ptr("x")})
	if err == nil || errors.Is(err, ErrUnknownOutcome) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v after %d tries", err, tries.Load())
	}
}
