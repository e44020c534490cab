package authentik

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBaseURLForms: every accepted form of the base URL sends requests to
// <base>/api/v3/stages/email/ with one slash between parts.
func TestBaseURLForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, want string
		opts       []Option
	}{
		{"https://authentik.example.com", "https://authentik.example.com/api/v3/", nil},
		{"https://authentik.example.com/", "https://authentik.example.com/api/v3/", nil},
		{"https://authentik.example.com/api/v3", "https://authentik.example.com/api/v3/", nil},
		{"https://authentik.example.com/api/v3/", "https://authentik.example.com/api/v3/", nil},
		{"https://authentik.example.com/authentik", "https://authentik.example.com/authentik/api/v3/", nil},
		{"https://authentik.example.com/authentik/", "https://authentik.example.com/authentik/api/v3/", nil},
		{"https://authentik.example.com/authentik/api/v3/", "https://authentik.example.com/authentik/api/v3/", nil},
		{"https://authentik.example.com//authentik//", "https://authentik.example.com/authentik/api/v3/", nil},
		{"https://authentik.example.com/api/v3//", "https://authentik.example.com/api/v3/", nil},
		{"  https://authentik.example.com:9443  ", "https://authentik.example.com:9443/api/v3/", nil},
		{"HTTPS://authentik.example.com", "https://authentik.example.com/api/v3/", nil},
		{"http://localhost:9000", "http://localhost:9000/api/v3/", nil},
		{"http://127.0.0.1:9000/", "http://127.0.0.1:9000/api/v3/", nil},
		{"http://[::1]:9000", "http://[::1]:9000/api/v3/", nil},
		{"http://authentik.internal", "http://authentik.internal/api/v3/", []Option{WithInsecureHTTP()}},
	}
	for _, tt := range tests {
		got, err := NewClient(tt.base, testToken, tt.opts...)
		if err != nil {
			t.Errorf("NewClient(%q): %v", tt.base, err)
			continue
		}
		if got.core.base != tt.want {
			t.Errorf("NewClient(%q) base = %q, want %q", tt.base, got.core.base, tt.want)
		}
	}
}

// TestNewClientBadInput: each bad input is an error that says what is wrong,
// never a panic, and never quotes the token.
func TestNewClientBadInput(t *testing.T) {
	t.Parallel()
	const canary = "canary-secret-7f3a9"
	tests := []struct {
		name    string
		base    string
		token   string
		opts    []Option
		wantErr string
	}{
		{"empty url", "", canary, nil, "base URL is empty"},
		{"blank url", "   ", canary, nil, "base URL is empty"},
		{"unparsable url", "https://exa mple.com/%zz", canary, nil, "does not parse"},
		{"no scheme", "authentik.example.com", canary, nil, "has no scheme"},
		{"host and port without scheme", "localhost:9000", canary, nil, "has no scheme; write it as https://localhost:9000"},
		{"escaped dot segment", "https://authentik.example.com/%2e%2e/", canary, nil, `".." path segment`},
		{"ftp scheme", "ftp://authentik.example.com", canary, nil, `scheme "ftp"`},
		{"no host", "https://", canary, nil, "has no host"},
		{"query", "https://authentik.example.com/?x=1", canary, nil, "has a query"},
		{"empty query", "https://authentik.example.com/?", canary, nil, "has a query"},
		{"fragment", "https://authentik.example.com/#top", canary, nil, "has a fragment"},
		{"credentials", "https://user:pw@authentik.example.com", canary, nil, "credentials"},
		{"dot segment", "https://authentik.example.com/a/../b", canary, nil, `".." path segment`},
		{"cleartext to remote host", "http://authentik.example.com", canary, nil, "clear text"},
		{"empty token", "https://authentik.example.com", "", nil, "token is empty"},
		{"blank token", "https://authentik.example.com", " \n", nil, "token is empty"},
		{"token with control char", "https://authentik.example.com", canary + "\x00x", nil, "control character"},
		{"token with newline inside", "https://authentik.example.com", canary + "\nx", nil, "control character"},
		{"token not utf-8", "https://authentik.example.com", canary + "\xff", nil, "UTF-8"},
		{"nil http client", "https://authentik.example.com", canary, []Option{WithHTTPClient(nil)}, "WithHTTPClient"},
		{"negative retries", "https://authentik.example.com", canary, []Option{WithRetryMax(-1)}, "WithRetryMax"},
		{"negative wait", "https://authentik.example.com", canary, []Option{WithRetryWait(-time.Second, time.Second)}, "WithRetryWait"},
		{"max below min", "https://authentik.example.com", canary, []Option{WithRetryWait(time.Minute, time.Second)}, "less than min"},
		{"empty user agent", "https://authentik.example.com", canary, []Option{WithUserAgent("")}, "WithUserAgent"},
		{"user agent with newline", "https://authentik.example.com", canary, []Option{WithUserAgent("a\r\nX-Evil: 1")}, "control character"},
		{"negative prefetch", "https://authentik.example.com", canary, []Option{WithPrefetch(-1)}, "WithPrefetch"},
		{"negative timeout", "https://authentik.example.com", canary, []Option{WithTimeout(-time.Second)}, "WithTimeout"},
		{"zero max response", "https://authentik.example.com", canary, []Option{WithMaxResponseBytes(0)}, "WithMaxResponseBytes"},
		{"nil option", "https://authentik.example.com", canary, []Option{nil}, "option 0 is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.base, tt.token, tt.opts...)
			if err == nil || c != nil {
				t.Fatalf("NewClient = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %q, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), canary) {
				t.Errorf("err %q contains the token", err)
			}
		})
	}
}

// TestTokenTrimmed: whitespace and a trailing newline from a file are trimmed.
func TestTokenTrimmed(t *testing.T) {
	t.Parallel()
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(readFixture(t, "email_stages_2026_page2.json"))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, "  "+testToken+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
}

// TestNewClientFromEnv reads AUTHENTIK_URL, AUTHENTIK_TOKEN and AUTHENTIK_INSECURE.
func TestNewClientFromEnv(t *testing.T) {
	tests := []struct {
		name, url, token, insecure string
		wantErr, wantBase          string
	}{
		{"https", "https://authentik.example.com", testToken, "", "", "https://authentik.example.com/api/v3/"},
		{"insecure true", "http://authentik.lan", testToken, "true", "", "http://authentik.lan/api/v3/"},
		{"insecure 1", "http://authentik.lan", testToken, "1", "", "http://authentik.lan/api/v3/"},
		{"insecure false", "http://authentik.lan", testToken, "false", "clear text", ""},
		{"insecure garbage", "http://authentik.lan", testToken, "yes please", "AUTHENTIK_INSECURE", ""},
		{"no url", "", testToken, "", "AUTHENTIK_URL is not set", ""},
		{"no token", "https://authentik.example.com", "", "", "AUTHENTIK_TOKEN is not set", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvURL, tt.url)
			t.Setenv(EnvToken, tt.token)
			t.Setenv(EnvInsecure, tt.insecure)
			c, err := NewClientFromEnv()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.core.base != tt.wantBase {
				t.Errorf("base = %q", c.core.base)
			}
		})
	}
}

// TestUserAgentOption replaces the default User-Agent.
func TestUserAgentOption(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithUserAgent("audit-bot/2.0"))
	var ua string
	mt.RegisterResponder("GET", testAPI+"stages/email/", func(r *http.Request) (*http.Response, error) {
		ua = r.Header.Get("User-Agent")
		return statusResponder(200, string(readFixture(t, "email_stages_2026_page2.json")))(r)
	})
	if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if ua != "audit-bot/2.0" {
		t.Errorf("User-Agent = %q", ua)
	}
}

// TestWithHTTPClientNotModified: the caller's *http.Client is left as it was.
func TestWithHTTPClientNotModified(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: time.Minute}
	if _, err := NewClient(testBase, testToken, WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil || hc.Timeout != time.Minute {
		t.Errorf("client modified: %+v", hc)
	}
}

// TestTokenNeverPrinted: a canary token appears in no printed Client or service,
// no error and no log record, across successes, retries and failures.
func TestTokenNeverPrinted(t *testing.T) {
	t.Parallel()
	const canary = "canary-9d1c7e2b-token"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Header.Get("Authorization") != "Bearer "+canary {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("name") {
		case "retry":
			w.WriteHeader(503)
			_, _ = w.Write([]byte(`{"detail": "down"}`))
		case "forbidden":
			w.WriteHeader(403)
			_, _ = w.Write([]byte(`{"detail": "Token invalid/expired"}`))
		case "html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>login</html>"))
		case "echo": // a hostile or careless server reflecting the request headers
			w.WriteHeader(400)
			_, _ = fmt.Fprintf(w, `{"detail": "bad header %s", "code": "%s"}`, r.Header.Get("Authorization"), r.Header.Get("Authorization"))
		case "echo-html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = fmt.Fprintf(w, "<html>%s</html>", r.Header.Get("Authorization"))
		default:
			_, _ = w.Write(readFixture(t, "email_stages_2026_page2.json"))
		}
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, canary, WithLogger(logger), WithRetryMax(1), WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, name := range []string{"", "retry", "forbidden", "html", "echo", "echo-html"} {
		_, err := c.EmailStages.List(context.Background(), &EmailStageListOptions{Name: name})
		if name != "" && err == nil {
			t.Fatalf("%s: no error", name)
		}
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	for _, v := range []any{c, *c, c.EmailStages, c.InvitationStages, *c.EmailStages} {
		texts = append(texts, fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v))
	}
	texts = append(texts, logs.String())
	for _, s := range texts {
		if strings.Contains(s, canary) {
			t.Errorf("token leaked in %q", s)
		}
	}
	if !strings.Contains(logs.String(), "performing request") || !strings.Contains(logs.String(), "retrying request") {
		t.Errorf("logger got no request records:\n%s", logs.String())
	}
	if calls != 7 { // one each, and a retry for the 503
		t.Errorf("%d requests, want 7", calls)
	}
	// Transport failures too: a server that is gone, and a context that ends.
	srv.Close()
	_, err = c.EmailStages.List(context.Background(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err2 := c.InvitationStages.List(ctx, nil)
	for _, e := range []error{err, err2} {
		if e == nil {
			t.Fatal("no error")
		}
		for _, s := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), logs.String()} {
			if strings.Contains(s, canary) {
				t.Errorf("token leaked in %q", s)
			}
		}
	}
}

// TestSilentByDefault: without WithLogger nothing is written to the default logger.
func TestSilentByDefault(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	c, mt := newMockClient(t, WithLogger(nil))
	mt.RegisterResponder("GET", testAPI+"stages/email/", statusResponder(503, `{}`).Then(statusResponder(200, string(readFixture(t, "email_stages_2026_page2.json")))))
	if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("logged without a logger: %s", buf.String())
	}
}

// TestRedirectDropsToken: a redirect to another host is followed without the token.
func TestRedirectDropsToken(t *testing.T) {
	t.Parallel()
	var otherAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherAuth = append(otherAuth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(readFixture(t, "email_stages_2026_page2.json"))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("first hop Authorization = %q", r.Header.Get("Authorization"))
		}
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer api.Close()
	// Both listen on 127.0.0.1 but on different ports: different origins.
	c, err := NewClient(api.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(otherAuth) != 1 || otherAuth[0] != "" {
		t.Errorf("the other host saw Authorization %q", otherAuth)
	}
}

// TestAuthTransportLeavesRequest: the token is added to a clone, never to the
// caller's request.
func TestAuthTransportLeavesRequest(t *testing.T) {
	var seen string
	tr := &authTransport{base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = r.Header.Get("Authorization")
		return nil, errors.New("stop")
	}), scheme: "https", host: "authentik.example.com", header: "Bearer x"}
	req, _ := http.NewRequest("GET", "https://authentik.example.com/api/v3/", nil)
	_, _ = tr.RoundTrip(req)
	if seen != "Bearer x" || req.Header.Get("Authorization") != "" {
		t.Errorf("seen %q, caller's request has %q", seen, req.Header.Get("Authorization"))
	}
	req, _ = http.NewRequest("GET", "http://authentik.example.com/api/v3/", nil) // scheme downgrade
	_, _ = tr.RoundTrip(req)
	if seen != "" {
		t.Errorf("token sent over http: %q", seen)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTimeoutBoundsEachTry: WithTimeout ends a stalled try, which is retried.
func TestTimeoutBoundsEachTry(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(readFixture(t, "email_stages_2026_page2.json"))
	}))
	defer srv.Close()
	defer close(release)
	c, err := NewClient(srv.URL, testToken, WithTimeout(50*time.Millisecond), WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestPrefetchConnectionPool: deep prefetching gets a pool with room for every
// request in flight; the default shares http.DefaultTransport; a caller's
// client is used as given.
func TestPrefetchConnectionPool(t *testing.T) {
	base := func(c *Client) http.RoundTripper {
		return c.core.http.HTTPClient.Transport.(*authTransport).base
	}
	c, err := NewClient(testBase, testToken)
	if err != nil {
		t.Fatal(err)
	}
	if base(c) != http.DefaultTransport {
		t.Errorf("default prefetch: transport %T, want http.DefaultTransport", base(c))
	}
	c, err = NewClient(testBase, testToken, WithPrefetch(8))
	if err != nil {
		t.Fatal(err)
	}
	if tr, ok := base(c).(*http.Transport); !ok || tr == http.DefaultTransport || tr.MaxIdleConnsPerHost != 9 {
		t.Errorf("prefetch 8: transport %+v, want a clone with 9 idle connections per host", base(c))
	}
	own := &http.Transport{}
	c, err = NewClient(testBase, testToken, WithPrefetch(8), WithHTTPClient(&http.Client{Transport: own}))
	if err != nil {
		t.Fatal(err)
	}
	if base(c) != own {
		t.Errorf("own client: transport replaced")
	}
}

// TestZeroValueClient: a Client or service not made by NewClient answers with an
// error that says so, never a panic.
func TestZeroValueClient(t *testing.T) {
	var c Client // nil services
	ctx := context.Background()
	if _, err := c.InvitationStages.List(ctx, nil); err == nil || !strings.Contains(err.Error(), "NewClient") {
		t.Errorf("nil service: %v", err)
	}
	c.EmailStages, c.InvitationStages = &EmailStagesService{}, &InvitationStagesService{}
	_, err1 := c.EmailStages.List(ctx, nil)
	_, err2 := c.InvitationStages.Get(ctx, "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf")
	var err3 error
	for _, err := range c.EmailStages.All(ctx, nil) {
		err3 = err
	}
	for _, err := range []error{err1, err2, err3} {
		if err == nil || !strings.Contains(err.Error(), "NewClient") {
			t.Errorf("err = %v, want one that says to use NewClient", err)
		}
	}
}
