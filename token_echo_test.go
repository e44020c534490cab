package authentik

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
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
func leaked(s string) (string, bool) { return leakedRun(leakToken, s) }

// leakedRun reports the first 8-byte run of secret found in s, read as it is,
// with JSON escapes, percent-escapes, form encoding ('+' for a space) or HTML
// character references resolved, and with HTML references resolved after
// each of the others (HTML-escaped text inside JSON or a URL), once or twice.
func leakedRun(secret, s string) (string, bool) {
	views := []string{s}
	if u, err := url.PathUnescape(s); err == nil {
		views = append(views, u)
	}
	if u, err := url.QueryUnescape(s); err == nil {
		views = append(views, u)
	}
	var unq string
	if json.Unmarshal([]byte(`"`+strings.ReplaceAll(s, `"`, `\"`)+`"`), &unq) == nil {
		views = append(views, unq)
	}
	for _, v := range views {
		views = append(views, html.UnescapeString(v), html.UnescapeString(html.UnescapeString(v)))
	}
	for _, v := range views {
		for i := 0; i+8 <= len(secret); i++ {
			if strings.Contains(v, secret[i:i+8]) {
				return secret[i : i+8], true
			}
		}
	}
	return "", false
}

// htmlRefs writes every rune of s as an HTML character reference, decimal and
// hex in turn, the way an escape-everything HTML encoder does.
func htmlRefs(s string) string {
	var b strings.Builder
	for i, c := range []rune(s) {
		fmt.Fprintf(&b, []string{"&#%d;", "&#x%x;"}[i%2], c)
	}
	return b.String()
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
		case "html-refs":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(400)
			fmt.Fprintf(w, "<p>Invalid token <code>%s</code></p>", htmlRefs(auth))
		case "html-refs-in-json":
			b, _ := json.Marshal(map[string]string{"detail": "bad " + htmlRefs(tok)}) // & as \u0026
			w.WriteHeader(400)
			w.Write(b)
		case "html-refs-in-redirect":
			http.Redirect(w, r, other.URL+"/?t="+url.QueryEscape(htmlRefs(tok)), http.StatusFound)
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
		"in-content-type", "html-echo", "redirect-elsewhere", "redirect-raw", "redirect-then-reset", "bad-status-line", "retry-after-echo",
		"html-refs", "html-refs-in-json", "html-refs-in-redirect"}
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

// leakPassword is a fake passphrase whose every 8-byte run holds a space or a
// byte HTML escapers rewrite (<>&"'), so that only an echo read back through
// form decoding or HTML references shows it; and a '+', which must still
// match itself.
const leakPassword = `fake <pass> & "so" 'odd' + 42 ok`

// TestPasswordNeverLeaks: a server that echoes a request's password back
// form-encoded or HTML-escaped (Go, Python, Django and PHP style; every rune
// as a reference; inside JSON or a URL; escaped twice; cut short by the body
// cap; in a header; in a redirect) gets no run of 8 or more of its bytes into any
// error's text, %+v, %#v, its fields, or any log record.
func TestPasswordNeverLeaks(t *testing.T) {
	t.Parallel()
	const pw = leakPassword
	pyEscape := strings.NewReplacer("&#34;", "&quot;", "&#39;", "&#x27;")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Name, Password string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Password != pw {
			t.Errorf("the server got %+v, %v", req, err)
		}
		form, esc := url.QueryEscape(req.Password), html.EscapeString(req.Password)
		page := func(body string) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(400)
			fmt.Fprintf(w, "<html><body><p>Rejected: %s</p></body></html>", body)
		}
		switch req.Name {
		case "form-body":
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(400)
			fmt.Fprint(w, url.Values{"error": {"too weak"}, "password": {req.Password}}.Encode())
		case "form-in-json":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"detail":"password=%s","code":"%s","password":["%s is too weak"]}`, form, form, form)
		case "form-in-header":
			w.Header().Set("X-Echo", "password="+form)
			w.WriteHeader(400)
			fmt.Fprint(w, `{"detail":"see X-Echo"}`)
		case "form-cut-by-cap":
			w.WriteHeader(400)
			fmt.Fprint(w, strings.Repeat("x", errorBodyCap-20)+"password="+form)
		case "form-in-redirect":
			w.Header().Set("Location", "https://evil.example.com/?password="+form)
			w.WriteHeader(http.StatusTemporaryRedirect)
		case "html-go":
			page(esc)
		case "html-python":
			page(pyEscape.Replace(esc))
		case "html-django-php":
			page(strings.NewReplacer("&#34;", "&quot;", "&#39;", "&#039;").Replace(esc))
		case "html-refs":
			page(htmlRefs(req.Password))
		case "html-in-json":
			b, _ := json.Marshal(map[string]any{"detail": esc, "password": []string{pyEscape.Replace(esc) + " is too weak"}}) // & as \u0026
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			w.Write(b)
		case "html-in-form":
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(400)
			fmt.Fprint(w, url.Values{"password": {esc}}.Encode())
		case "html-twice": // a template that escapes already-escaped text
			page(html.EscapeString(esc))
		case "html-cut-by-cap":
			page(strings.Repeat("x", errorBodyCap-60) + esc)
		}
	}))
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := NewClient(srv.URL, leakToken, WithLogger(logger), WithRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"form-body", "form-in-json", "form-in-header", "form-cut-by-cap", "form-in-redirect",
		"html-go", "html-python", "html-django-php", "html-refs", "html-in-json", "html-in-form", "html-twice", "html-cut-by-cap"} {
		_, err := c.EmailStages.Create(context.Background(), &EmailStageRequest{Name: Ptr(name), Password: Ptr(pw)})
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
			texts = append(texts, string(apiErr.Body), apiErr.Detail, apiErr.Code, fmt.Sprint(apiErr.Fields), fmt.Sprint(apiErr.Header))
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			texts = append(texts, ue.Error(), ue.URL)
		}
		for _, s := range texts {
			if run, ok := leakedRun(pw, s); ok {
				t.Errorf("%s: the password's run %q leaked in %q", name, run, s)
			}
		}
	}
	if run, ok := leakedRun(pw, logs.String()); ok {
		t.Errorf("the password's run %q leaked in the logs:\n%s", run, logs.String())
	}
}

// TestEscapedEchoInHTML: a non-JSON 2xx body echoing the token as \u escapes
// is redacted before it is quoted.
func TestEscapedEchoInHTML(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	var esc strings.Builder
	for _, r := range testToken {
		fmt.Fprintf(&esc, `\u%04x`, r)
	}
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		resp, _ := statusResponder(200, "x "+esc.String())(r)
		resp.Header.Set("Content-Type", "text/html")
		return resp, nil
	})
	_, err := c.EmailStages.List(context.Background(), nil)
	if err == nil || strings.Contains(err.Error(), `\\u0066`) || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("err = %v", err)
	}
}
