package authentik

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
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
		{"a pasted endpoint", "https://authentik.example.com/api/v3/stages/email/", canary, nil, "points at an endpoint; pass the server's address, https://authentik.example.com"},
		{"a pasted endpoint below a sub-path", "https://example.com/authentik/api/v3/core/users", canary, nil, "pass the server's address, https://example.com/authentik"},
		{"the admin interface", "https://authentik.example.com/if/admin/", canary, nil, "a page of authentik's web interface; pass the server's address, https://authentik.example.com"},
		{"a flow's page", "https://authentik.example.com/if/flow/default-authentication-flow/", canary, nil, "web interface"},
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
			var in *InputError
			if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &in) || in.Field == "" {
				t.Errorf("err %v: want an *InputError naming its field, matching ErrInvalidInput", err)
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
	// A "Bearer " pasted with the key (from curl or a header) is dropped too.
	for _, token := range []string{"  " + testToken + "\n", "Bearer " + testToken, "bearer  " + testToken, " BEARER " + testToken + "\n"} {
		c, err := NewClient(srv.URL, token)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if got != "Bearer "+testToken {
			t.Errorf("%q: Authorization = %q", token, got)
		}
	}
	if _, err := NewClient(srv.URL, "Bearer "); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("a bare Bearer: %v", err)
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

// TestTokenHintOnlyFromEnv: a rejected token points at AUTHENTIK_TOKEN only when
// that is where the token came from.
func TestTokenHintOnlyFromEnv(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"detail": "Token invalid/expired"}`))
	}))
	defer srv.Close()
	direct, err := NewClient(srv.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvURL, srv.URL)
	t.Setenv(EnvToken, testToken)
	t.Setenv(EnvInsecure, "")
	fromEnv, err := NewClientFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		c    *Client
		hint bool
	}{{direct, false}, {fromEnv, true}} {
		_, err := tt.c.EmailStages.List(context.Background(), nil)
		if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "rejected the API token") {
			t.Fatalf("err = %v", err)
		}
		if got := strings.Contains(err.Error(), EnvToken); got != tt.hint {
			t.Errorf("err %q: mentions %s = %v, want %v", err, EnvToken, got, tt.hint)
		}
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

// TestSilentByDefault: without WithLogger nothing is written to the default
// slog logger, nor to the process's stderr, where retryablehttp's own default
// logger (the one retryablehttp.NewClient installs) would write.
func TestSilentByDefault(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	stderr := captureStderr(t, func() {
		for _, opts := range [][]Option{nil, {WithLogger(nil)}} {
			c, mt := newMockClient(t, opts...)
			mt.RegisterResponder("GET", testAPI+"stages/email/", statusResponder(503, `{}`).Then(statusResponder(200, string(readFixture(t, "email_stages_2026_page2.json")))))
			if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			mt.RegisterResponder("GET", testAPI+"stages/invitation/stages/", statusResponder(404, `{"detail":"Not found."}`))
			if _, err := c.InvitationStages.List(context.Background(), nil); err == nil {
				t.Fatal("no error")
			}
		}
	})
	if buf.Len() != 0 {
		t.Errorf("logged to slog.Default without a logger: %s", buf.String())
	}
	if stderr != "" {
		t.Errorf("wrote to stderr without a logger: %s", stderr)
	}
}

// TestRedirects: a redirect within the base URL's origin is followed (with the
// token); one to another origin or to plain http is refused with an error that
// names where it pointed, and the other server is never asked.
func TestRedirects(t *testing.T) {
	t.Parallel()
	var otherCalls atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherCalls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(readFixture(t, "email_stages_2026_page2.json"))
	}))
	defer other.Close()
	var apiAuth []string
	var mu sync.Mutex
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		apiAuth = append(apiAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		switch r.URL.Query().Get("name") {
		case "elsewhere":
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
		case "same-origin":
			http.Redirect(w, r, r.URL.Path+"?name=landed", http.StatusMovedPermanently)
		case "landed":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(readFixture(t, "email_stages_2026_page2.json"))
		default:
			t.Errorf("unexpected request %s", r.URL)
		}
	}))
	defer api.Close()
	// Both listen on 127.0.0.1 but on different ports: different origins.
	c, err := NewClient(api.URL, testToken, WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EmailStages.List(context.Background(), &EmailStageListOptions{Name: "same-origin"}); err != nil {
		t.Fatalf("same-origin redirect: %v", err)
	}
	_, err = c.EmailStages.List(context.Background(), &EmailStageListOptions{Name: "elsewhere"})
	if err == nil || !strings.Contains(err.Error(), "redirected to "+other.URL+"/api/v3/stages/email/") ||
		!strings.Contains(err.Error(), api.URL) || strings.Contains(err.Error(), "AUTHENTIK_TOKEN") {
		t.Errorf("redirect elsewhere: err = %v", err)
	}
	if errors.Is(err, ErrUnauthorized) {
		t.Errorf("a refused redirect blames the token: %v", err)
	}
	if n := otherCalls.Load(); n != 0 {
		t.Errorf("the other origin got %d requests", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(apiAuth) != 3 { // same-origin: 2 hops; elsewhere: 1, not retried
		t.Errorf("%d requests to the API, want 3", len(apiAuth))
	}
	for _, a := range apiAuth {
		if a != "Bearer "+testToken {
			t.Errorf("Authorization = %q", a)
		}
	}
}

// TestRedirectToPlainHTTPRefused: an https base redirected to http (a downgrade,
// even on the same host) is refused rather than answered from there.
func TestRedirectToPlainHTTPRefused(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetryMax(0))
	mt.RegisterResponder("GET", testAPI+"stages/email/", func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusFound, "")
		resp.Header.Set("Location", "http://authentik.example.com/api/v3/stages/email/")
		return resp, nil
	})
	mt.RegisterResponder("GET", "http://authentik.example.com/api/v3/stages/email/", respond(t, nil, 200, readFixture(t, "email_stages_2026_page2.json")))
	_, err := c.EmailStages.List(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "redirected to http://authentik.example.com/api/v3/stages/email/") {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
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
// request in flight, shared by every client of that depth (so clients created
// and dropped do not pile up idle connections); the default shares
// http.DefaultTransport; a caller's client is used as given.
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
	tr, ok := base(c).(*http.Transport)
	if !ok || tr == http.DefaultTransport || tr.MaxIdleConnsPerHost < 9 || tr.MaxIdleConnsPerHost > 16 {
		t.Fatalf("prefetch 8: transport %T, want a clone with 9 to 16 idle connections per host", base(c))
	}
	for _, n := range []int{8, 9, 15} {
		c2, err := NewClient("https://other.example.com", testToken, WithPrefetch(n))
		if err != nil {
			t.Fatal(err)
		}
		if base(c2) != tr {
			t.Errorf("prefetch %d: a transport of its own, want the shared one", n)
		}
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

// TestClientsDoNotPileUpConnections: 50 clients at prefetch 8, each used for a
// walk and dropped, leave no more idle connections than one client's pool.
func TestClientsDoNotPileUpConnections(t *testing.T) {
	var open atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		next := page + 1
		if page == 10 {
			next = 0
		}
		fmt.Fprintf(w, `{"pagination":{"next":%d,"previous":%d,"count":10,"current":%d,"total_pages":10,"start_index":%d,"end_index":%d},"results":[{"pk":"x"}]}`,
			next, page-1, page, page, page)
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	for range 50 {
		c, err := NewClient(srv.URL, testToken, WithPrefetch(8))
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range c.EmailStages.All(context.Background(), nil) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := open.Load(); n > 16 {
		t.Errorf("%d connections still open after 50 clients, want at most one pool (16)", n)
	}
	sharedTransport(8).(*http.Transport).CloseIdleConnections()
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

// TestTimeoutBoundsTheBody: WithTimeout's deadline holds until the body is
// read: a body that stalls after the headers ends the try, the GET is
// retried and finally fails saying which bound it hit, as a timeout
// (net.Error, context.DeadlineExceeded) that matches ErrUnavailable; a POST
// that stalls is an unknown outcome, never retried. A caller's shorter
// http.Client.Timeout stays in force.
func TestTimeoutBoundsTheBody(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		_, _ = w.Write([]byte(`{"pagination":`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, testToken, WithTimeout(50*time.Millisecond), WithRetryMax(1), WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.EmailStages.List(context.Background(), nil)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrUnavailable) ||
		!strings.Contains(err.Error(), "WithTimeout's 50ms") || !strings.Contains(err.Error(), "after 2 tries") {
		t.Errorf("a stalled body: %v", err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d tries, want 2", n)
	}
	calls.Store(0)
	_, err = c.DenyStages.Create(context.Background(), &DenyStageRequest{Name: Ptr("deny")})
	if !errors.Is(err, ErrUnknownOutcome) || calls.Load() != 1 {
		t.Errorf("a stalled POST: %v after %d tries", err, calls.Load())
	}

	calls.Store(0)
	short, err := NewClient(srv.URL, testToken, WithHTTPClient(&http.Client{Timeout: 30 * time.Millisecond}), WithRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := short.EmailStages.List(context.Background(), nil); err == nil || time.Since(start) > 20*time.Second {
		t.Errorf("the caller's 30ms Client.Timeout: %v after %s", err, time.Since(start))
	}
}

// TestIsUUID: the forms authentik's UUID fields take, and nothing else.
func TestIsUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"3fa85f64-5717-4562-b3fc-2c963f66afa6": true, "3FA85F64-5717-4562-B3FC-2C963F66AFA6": true,
		"3fa85f6457174562b3fc2c963f66afa6": true, "3fa85f64-5717-4562-b3fc-2c963f66afa": false,
		"3fa85f64-5717-4562-b3fc-2c963f66afa6 ": false, "3fa85f64_5717-4562-b3fc-2c963f66afa6": false,
		"3fa85f64-5717-4562-b3fc-2c963f66afg6": false, "{3fa85f64-5717-4562-b3fc-2c963f66afa6}": false,
		"3fa85f645-717-4562-b3fc-2c963f66afa6": false, "": false, "3fa85f6457174562b3fc2c963f66afa": false,
		"3fa85f64-5717-4562-b3fc2c963f66afa6-": false, "3fa85f64571745-62b3fc2c963f66afa6": false,
	} {
		if got := isUUID(s); got != want {
			t.Errorf("isUUID(%q) = %v, want %v", s, got, want)
		}
	}
	if got := canonicalUUID("3FA85F6457174562B3FC2C963F66AFA6"); got != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("canonicalUUID: %q", got)
	}
	if got := canonicalUUID("3fa85f64-5717-4562-B3FC-2c963f66afa6"); got != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("canonicalUUID: %q", got)
	}
	// Every byte in every position: a hex digit is accepted, nothing else.
	const valid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	for i := range len(valid) {
		for c := range 256 {
			s := valid[:i] + string([]byte{byte(c)}) + valid[i+1:]
			_, err := strconv.ParseUint(string([]byte{byte(c)}), 16, 8)
			want := s == valid || (valid[i] != '-' && err == nil)
			if got := isUUID(s); got != want {
				t.Fatalf("isUUID(%q) = %v, want %v", s, got, want)
			}
		}
	}
}

// TestTimeoutBoundsRedirects: WithTimeout bounds a try with its redirects, as
// http.Client.Timeout did, not each hop: a chain of slow same-origin redirects
// ends at the bound.
func TestTimeoutBoundsRedirects(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(40 * time.Millisecond)
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if n < 9 {
			http.Redirect(w, r, r.URL.Path+"?n="+strconv.Itoa(n+1), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, testToken, WithTimeout(100*time.Millisecond), WithRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), "GET", "stages/email/", nil, nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "WithTimeout's 100ms") {
		t.Errorf("ten hops of 40ms under WithTimeout(100ms): %v", err)
	}
}
