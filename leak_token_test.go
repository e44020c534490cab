package authentik

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// leakToken has the characters that encoders escape (<, >, &, /, +) so that
// every escaped form of an echo is exercised. Obviously fake.
const leakToken = "fake-LEAK-token-<tag>&/+0123456789abcdef"

// leaked reports the first 8-byte run of the token found in s, read as it is,
// with JSON escapes resolved, and with percent-escapes resolved.
func leaked(s string) (string, bool) {
	views := []string{s}
	if u, err := url.PathUnescape(s); err == nil {
		views = append(views, u)
	}
	var unq string
	if json.Unmarshal([]byte(`"`+strings.ReplaceAll(s, `"`, `\"`)+`"`), &unq) == nil {
		views = append(views, unq)
	}
	for _, v := range views {
		for i := 0; i+8 <= len(leakToken); i++ {
			if strings.Contains(v, leakToken[i:i+8]) {
				return leakToken[i : i+8], true
			}
		}
	}
	return "", false
}

// TestTokenNeverLeaks: a server that echoes the Authorization header back in
// every way it can (JSON-escaped, \/-escaped, fully \u-escaped, cut by the body
// cap, in a JSON value that fails to decode, in the Content-Type, in a
// redirect's Location, in a malformed status line) gets no run of 8 or more of
// the token's bytes into any error's text, %+v, %#v, any error in its chain,
// or any log record.
func TestTokenNeverLeaks(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		tok := strings.TrimPrefix(auth, "Bearer ")
		jsonEsc, _ := json.Marshal(auth) // Go escapes <, > and & as \u003c...
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("name") {
		case "json-escaped":
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"detail": %s, "code": %s}`, jsonEsc, jsonEsc)
		case "slash-escaped":
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"detail": "%s"}`, strings.ReplaceAll(auth, "/", `\/`))
		case "u-escaped":
			var b strings.Builder
			for _, c := range tok {
				fmt.Fprintf(&b, `\u%04x`, c)
			}
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"detail": "%s"}`, b.String())
		case "cut-by-cap":
			w.WriteHeader(500)
			pad := strings.Repeat("x", errorBodyCap-20)
			fmt.Fprintf(w, `{"detail": "%s%s"}`, pad, auth)
		case "in-a-value":
			fmt.Fprintf(w, `{"pagination":{"next":%s},"results":[]}`, jsonEsc)
		case "in-token-expiry":
			fmt.Fprintf(w, `{"pagination":{"next":0},"results":[{"token_expiry":{"x":%s}}]}`, jsonEsc)
		case "in-a-field-name":
			fmt.Fprintf(w, `{"pagination":{"next":0},"results":[{%s:1,"port":"x"}]}`, jsonEsc)
		case "in-content-type":
			w.Header().Set("Content-Type", "text/"+tok)
			fmt.Fprint(w, "<html></html>")
		case "html-echo":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html>%s</html>", auth)
		case "redirect-elsewhere":
			http.Redirect(w, r, other.URL+"/?t="+url.QueryEscape(tok), http.StatusFound)
		case "redirect-raw":
			w.Header().Set("Location", other.URL+"/"+tok)
			w.WriteHeader(http.StatusFound)
		case "redirect-then-reset":
			http.Redirect(w, r, r.URL.Path+"?name=reset&t="+url.QueryEscape(tok), http.StatusFound)
		case "reset":
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		case "bad-status-line":
			hj, _ := w.(http.Hijacker)
			conn, buf, _ := hj.Hijack()
			fmt.Fprintf(buf, "HTTP/1.1 %s OK\r\nContent-Length: 0\r\n\r\n", tok)
			buf.Flush()
			conn.Close()
		case "retry-after-echo":
			w.Header().Set("Retry-After", tok)
			w.WriteHeader(503)
			fmt.Fprintf(w, `{"detail": %s}`, jsonEsc)
		}
	}))
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := NewClient(srv.URL, leakToken, WithLogger(logger), WithRetryMax(1), WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	cases := []string{"json-escaped", "slash-escaped", "u-escaped", "cut-by-cap", "in-a-value", "in-token-expiry", "in-a-field-name",
		"in-content-type", "html-echo", "redirect-elsewhere", "redirect-raw", "redirect-then-reset", "bad-status-line", "retry-after-echo"}
	for _, name := range cases {
		_, err := c.EmailStages.List(context.Background(), &EmailStageListOptions{Name: name})
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%v", err)}
		for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
			texts = append(texts, e.Error(), fmt.Sprintf("%#v", e))
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			texts = append(texts, string(apiErr.Body), apiErr.Detail, apiErr.Code)
		}
		var de *DecodeError
		if errors.As(err, &de) {
			texts = append(texts, de.ContentType, de.Err.Error())
		}
		for _, s := range texts {
			if run, ok := leaked(s); ok {
				t.Errorf("%s: the token's run %q leaked in %q", name, run, s)
			}
		}
	}
	if run, ok := leaked(logs.String()); ok {
		t.Errorf("the token's run %q leaked in the logs:\n%s", run, logs.String())
	}
	if !strings.Contains(logs.String(), "retrying request") {
		t.Errorf("the logger got no retry records:\n%s", logs.String())
	}
}
