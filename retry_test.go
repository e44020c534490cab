package authentik

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
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

// TestCappedBackoff pins the wait: exponential from min, Retry-After honoured on
// 429 and 503, and never more than max.
func TestCappedBackoff(t *testing.T) {
	withRetryAfter := func(status int, v string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {v}}}
	}
	tests := []struct {
		name    string
		attempt int
		resp    *http.Response
		want    time.Duration
	}{
		{"first", 0, nil, time.Second},
		{"third", 2, nil, 4 * time.Second},
		{"capped exponential", 10, nil, 30 * time.Second},
		{"retry-after seconds", 0, withRetryAfter(429, "7"), 7 * time.Second},
		{"retry-after on 503", 0, withRetryAfter(503, "2"), 2 * time.Second},
		{"retry-after an hour", 0, withRetryAfter(429, "3600"), 30 * time.Second},
		{"retry-after a date far ahead", 0, withRetryAfter(429, time.Now().Add(48*time.Hour).UTC().Format(http.TimeFormat)), 30 * time.Second},
		{"retry-after garbage", 1, withRetryAfter(429, "soon"), 2 * time.Second},
	}
	for _, tt := range tests {
		if got := cappedBackoff(time.Second, 30*time.Second, tt.attempt, tt.resp); got != tt.want {
			t.Errorf("%s: wait %s, want %s", tt.name, got, tt.want)
		}
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
