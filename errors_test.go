package authentik

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// TestAPIErrors: every status outside 2xx becomes an *APIError with method, URL,
// status, detail and body, matching its sentinel. The bodies are authentik's.
func TestAPIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		body       string
		wantDetail string
		wantCode   string
		wantIs     error
		wantNot    []error
		wantMsg    string
	}{
		{"400 bad filter", 400, `{"port": ["A valid integer is required."]}`, "", "", nil,
			[]error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited}, "port: A valid integer is required."},
		{"401", 401, `{"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}`,
			"Authentication credentials were not provided.", "not_authenticated", ErrUnauthorized, []error{ErrForbidden}, "401 Unauthorized"},
		{"403 invalid token", 403, `{"detail": "Token invalid/expired"}`, "Token invalid/expired", "", ErrUnauthorized,
			[]error{ErrForbidden, ErrNotFound}, "Token invalid/expired"},
		{"403 no credentials", 403, `{"detail": "Authentication credentials were not provided."}`,
			"Authentication credentials were not provided.", "", ErrUnauthorized, []error{ErrForbidden}, "the server rejected the API token)"},
		{"403 wrong scheme", 403, `{"detail": "Unsupported authentication type"}`, "Unsupported authentication type", "",
			ErrUnauthorized, []error{ErrForbidden}, "Unsupported authentication type"},
		{"403 by code", 403, `{"detail": "Incorrect authentication credentials.", "code": "authentication_failed"}`,
			"Incorrect authentication credentials.", "authentication_failed", ErrUnauthorized, []error{ErrForbidden}, "403 Forbidden"},
		{"403 missing permission", 403, `{"detail": "You do not have permission to perform this action."}`,
			"You do not have permission to perform this action.", "", ErrForbidden, []error{ErrUnauthorized}, "You do not have permission"},
		{"404", 404, `{"detail": "Not found."}`, "Not found.", "", ErrNotFound, []error{ErrForbidden, ErrUnauthorized}, "404 Not Found: Not found."},
		{"404 invalid page", 404, `{"detail": "Invalid page."}`, "Invalid page.", "", ErrNotFound, nil, "Invalid page."},
		{"500 html", 500, "<html><body><h1>Server Error (500)</h1></body></html>", "", "", nil,
			[]error{ErrNotFound, ErrRateLimited}, "Server Error (500)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithRetryMax(0))
			mt.RegisterResponder("GET", testAPI+"stages/email/", respond(t, nil, tt.status, []byte(tt.body)))
			_, err := c.EmailStages.List(context.Background(), &EmailStageListOptions{Name: "x"})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Method != "GET" || apiErr.URL != testAPI+"stages/email/?name=x" ||
				apiErr.Detail != tt.wantDetail || apiErr.Code != tt.wantCode || string(apiErr.Body) != tt.body {
				t.Errorf("APIError = %+v", apiErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(err, %v) = false", tt.wantIs)
			}
			for _, not := range tt.wantNot {
				if errors.Is(err, not) {
					t.Errorf("errors.Is(err, %v) = true", not)
				}
			}
			msg := err.Error()
			for _, want := range []string{"GET", testAPI + "stages/email/?name=x", http.StatusText(tt.status), tt.wantMsg} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
}

// TestDecodeErrors: a 2xx body that is not the expected JSON is a *DecodeError
// naming method, URL, status and content type, with a hint about the base URL.
func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body, wantMsg string
		wantHint                         bool // the base-URL hint: only for a body that is not JSON
	}{
		{"html login page", "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>authentik</title></head></html>", "expected a JSON body", true},
		{"malformed json", "application/json", `{"pagination": {"next": 0,}`, "not valid JSON at byte 27: invalid character '}'", false},
		{"truncated json", "application/json", `{"pagination": {"next": 0, "previous": 0}, "results": [{"pk": "a"`, "unexpected end of JSON input", false},
		{"no content type, JSON", "", `{}`, `no "pagination" object`, false},
		{"no content type, HTML", "", `<html><body>Sign in</body></html>`, "expected a JSON body", true},
		{"wrong shape", "application/json", `[1, 2, 3]`, "the body: want an object, got an array", false},
		{"wrong field type", "application/json", `{"pagination":{"next":0},"results":[{"pk":"a"},{"name":3}]}`, "results[1].name: want a string, got a number", false},
		{"wrong nested type", "application/json", `{"pagination":{"next":0},"results":[{"flow_set":[{"slug":true}]}]}`, "results[0].flow_set[0].slug: want a string, got true or false", false},
		{"detail with 200", "application/json", `{"detail":"Not authenticated"}`, `no "pagination" object`, false},
		{"results without pagination", "application/json", `{"results":[]}`, `no "pagination" object`, false},
		{"pagination without results", "application/json", `{"pagination":{"next":0}}`, `no "results" array`, false},
		{"null results", "application/json", `{"pagination":{"next":0},"results":null}`, `no "results" array`, false},
		{"pagination not a number", "application/json", `{"pagination":{"next":"x"},"results":[]}`, `pagination`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			mt.RegisterResponder("GET", testAPI+"stages/invitation/stages/", func(r *http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(200, tt.body)
				if tt.contentType != "" {
					resp.Header.Set("Content-Type", tt.contentType)
				}
				return resp, nil
			})
			_, err := c.InvitationStages.List(context.Background(), nil)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want *DecodeError", err, err)
			}
			if de.Method != "GET" || de.URL != testAPI+"stages/invitation/stages/" || de.StatusCode != 200 || de.ContentType != tt.contentType {
				t.Errorf("DecodeError = %+v", de)
			}
			msg := err.Error()
			for _, want := range []string{"GET", testAPI + "stages/invitation/stages/", "200", tt.wantMsg} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if strings.Contains(msg, "base URL") != tt.wantHint {
				t.Errorf("message %q: base-URL hint present = %v, want %v", msg, !tt.wantHint, tt.wantHint)
			}
			for _, internal := range []string{"wire", "Fields", "Go struct", "Go value"} {
				if strings.Contains(msg, internal) {
					t.Errorf("message %q names the SDK's internals (%q)", msg, internal)
				}
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Errorf("%d requests, want 1 (a complete 2xx body is not retried)", n)
			}
		})
	}
}

// TestProblemJSONIsJSON: +json media types decode.
func TestProblemJSONIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, "application/problem+json": true,
		"APPLICATION/JSON": true, "text/html": false, "text/json": false, "": false, "application/jsonx": false,
	} {
		if got := isJSON(ct); got != want {
			t.Errorf("isJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}

// TestErrorBodyCapped: an error body is kept up to 64 KiB, never more.
func TestErrorBodyCapped(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetryMax(0))
	mt.RegisterResponder("GET", testAPI+"stages/email/", httpmock.NewStringResponder(500, strings.Repeat("x", 1<<20)))
	_, err := c.EmailStages.List(context.Background(), nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || len(apiErr.Body) != 64<<10 {
		t.Fatalf("err = %v", err)
	}
	if len(err.Error()) > 1000 {
		t.Errorf("message is %d bytes long", len(err.Error()))
	}
}

// TestResponseTooLarge: a body over WithMaxResponseBytes is an error, not retried.
func TestResponseTooLarge(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithMaxResponseBytes(1024))
	body := pageJSON(t, wantEmail2026, 1, 1, 3, 20)
	mt.RegisterResponder("GET", testAPI+"stages/email/", respond(t, nil, 200, body))
	_, err := c.EmailStages.List(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "larger than 1024 bytes") {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestResponseCapBoundaries: the cap is the cap whatever its value, even the
// error-body size or the largest int64.
func TestResponseCapBoundaries(t *testing.T) {
	t.Parallel()
	page := pageJSON(t, wantEmail2026, 1, 1, 3, 20)
	big := append(append([]byte(nil), page[:len(page)-2]...), []byte(`, "padding": "`+strings.Repeat("x", 70000)+`"}`)...)
	for _, tt := range []struct {
		name    string
		max     int64
		body    []byte
		wantErr string
	}{
		{"largest int64", math.MaxInt64, page, ""},
		{"the error-body size, exceeded", 64 << 10, big, "larger than 65536 bytes"},
		{"exactly the body", int64(len(page)), page, ""},
		{"one byte short", int64(len(page) - 1), page, "larger than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMockClient(t, WithMaxResponseBytes(tt.max))
			mt.RegisterResponder("GET", testAPI+"stages/email/", respond(t, nil, 200, tt.body))
			p, err := c.EmailStages.List(context.Background(), nil)
			switch {
			case tt.wantErr == "" && (err != nil || len(p.Results) != 3):
				t.Fatalf("List = %v, %v", p, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestErrorBodyCutShort: a non-2xx answer keeps its status even when its body
// is cut short: the status is the answer, the body only explains it.
func TestErrorBodyCutShort(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status   int
		is       error
		requests int
	}{
		{404, ErrNotFound, 1},
		{403, ErrUnauthorized, 1},
		{429, ErrRateLimited, 3}, // retried for its status, with RetryMax 2
	} {
		c, mt := newMockClient(t, WithRetryMax(2))
		mt.RegisterResponder("GET", testAPI+"stages/email/", func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(tt.status, "")
			resp.Body = io.NopCloser(io.MultiReader(strings.NewReader(`{"detail": "Token invalid/expired"}`), errReader{io.ErrUnexpectedEOF}))
			return resp, nil
		})
		_, err := c.EmailStages.List(context.Background(), nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || !errors.Is(err, tt.is) {
			t.Errorf("%d: err = %v", tt.status, err)
		}
		if n := mt.GetTotalCallCount(); n != tt.requests {
			t.Errorf("%d: %d requests, want %d", tt.status, n, tt.requests)
		}
	}
}

// TestGetChecksThePK: a 200 to Get that is not the object asked for (no pk,
// another pk, a list, a detail message) is a *DecodeError, not a stage.
func TestGetChecksThePK(t *testing.T) {
	t.Parallel()
	const pk = "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"
	tests := []struct{ name, body, wantMsg string }{
		{"empty object", `{}`, "the body has no pk"},
		{"detail", `{"detail":"Not authenticated"}`, "the body has no pk"},
		{"another pk", `{"pk":"00000000-0000-4000-8000-000000000001","name":"other"}`, "is the object 00000000-0000-4000-8000-000000000001, not " + pk},
		{"a list", `{"pagination":{"next":0},"results":[{"pk":"` + pk + `"}]}`, "the body has no pk"},
	}
	for _, tt := range tests {
		for _, get := range []func(*Client) error{
			func(c *Client) error { _, err := c.EmailStages.Get(context.Background(), pk); return err },
			func(c *Client) error { _, err := c.InvitationStages.Get(context.Background(), pk); return err },
		} {
			c, mt := newMockClient(t)
			mt.RegisterNoResponder(respond(t, nil, 200, []byte(tt.body)))
			err := get(c)
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("%s: err = %v, want a *DecodeError saying %q", tt.name, err, tt.wantMsg)
			}
		}
	}
	// The pk compares as a UUID: case does not matter.
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(respond(t, nil, 200, []byte(`{"pk":"`+strings.ToUpper(pk)+`","name":"x"}`)))
	if _, err := c.EmailStages.Get(context.Background(), pk); err != nil {
		t.Errorf("upper-case pk: %v", err)
	}
}

// TestNotFoundHintsAtTheBaseURL: a 404 that is not authentik's JSON (a proxy's
// or another server's page, because the base URL points elsewhere) still
// matches ErrNotFound, and says to check the base URL (for Do, the path too);
// authentik's own 404 for a missing object has no hint.
func TestNotFoundHintsAtTheBaseURL(t *testing.T) {
	t.Parallel()
	const hint = "this 404 is not authentik's JSON: is the base URL the address of your authentik server"
	const rawHint = "this 404 is not authentik's JSON: check the path, relative to /api/v3/, and the base URL"
	ctx := context.Background()
	for _, tt := range []struct {
		name, body, ct, want string
		raw                  bool
	}{
		{"HTML page", "<html><body>Not Found</body></html>", "text/html", hint, false},
		{"plain text", "404 page not found", "text/plain", hint, false},
		{"empty", "", "", hint, false},
		{"JSON without detail", `{"message":"no route"}`, "application/json", hint, false},
		{"Do, HTML page", "<html>Not Found</html>", "text/html", rawHint, true},
		{"authentik's own", `{"detail":"No EmailStage matches the given query."}`, "application/json", "", false},
	} {
		c, mt := newMockClient(t)
		mt.RegisterNoResponder(statusResponder(404, tt.body, "Content-Type", tt.ct))
		var err error
		if tt.raw {
			_, err = c.Do(ctx, "GET", "stages/emails/", nil, nil, nil)
			if _, listErr := List[map[string]any](ctx, c, "stages/emails/", nil); listErr == nil || !strings.Contains(listErr.Error(), tt.want) {
				t.Errorf("%s: List[T]: %v", tt.name, listErr)
			}
		} else {
			_, err = c.EmailStages.Get(ctx, writePK)
		}
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", tt.name, err)
			continue
		}
		if got := err.Error(); (tt.want == "" && strings.Contains(got, "404 is not")) || !strings.Contains(got, tt.want) {
			t.Errorf("%s: err = %q, want %q", tt.name, got, tt.want)
		}
	}
}
