// Package authentik is a typed client for authentik's REST API: it manages email
// stages and invitation stages, lists them with every filter the API has, and
// walks all pages with an iterator.
//
// Create a Client with NewClient (or NewClientFromEnv), then use its services:
//
//	c, err := authentik.NewClient("https://authentik.example.com", token)
//	for stage, err := range c.EmailStages.All(ctx, nil) { ... }
//
// Every request carries a bearer token. Failed requests are retried with
// backoff when that is safe for their method (a POST whose answer was lost is
// ErrUnknownOutcome instead); responses outside 2xx become *APIError values
// that match the package's sentinel errors; the token never appears in an
// error, a log record or a printed Client.
package authentik

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// String describes the client without its token.
func (c *Client) String() string {
	if c == nil || c.core == nil {
		return "authentik.Client(nil)"
	}
	return "authentik.Client(" + c.core.base + ")"
}

// GoString is String, so %#v does not reach the unexported state either.
func (c *Client) GoString() string { return c.String() }

// NewClient returns a client for the authentik server at baseURL, authenticating
// with the API token. baseURL may be the server's address (https://host), with or
// without a trailing slash or /api/v3, or a sub-path install (https://host/authentik).
// The token is the key alone; surrounding whitespace and a "Bearer " prefix
// pasted with it are dropped. NewClient makes no request; it returns an error,
// never panics, for bad input.
func NewClient(baseURL, token string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for i, opt := range opts {
		if opt == nil {
			return nil, inputErrorf("opts", "option %d is nil", i)
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(baseURL, cfg.insecureHTTP)
	if err != nil {
		return nil, err
	}
	token, err = cleanToken(token)
	if err != nil {
		return nil, err
	}
	return newClient(&service{core: newCore(base, token, cfg)}), nil
}

// Environment variables read by NewClientFromEnv.
const (
	EnvURL      = "AUTHENTIK_URL"      // the server's base URL
	EnvToken    = "AUTHENTIK_TOKEN"    // the API token
	EnvInsecure = "AUTHENTIK_INSECURE" // "true" allows http:// to a host that is not loopback
)

// NewClientFromEnv is NewClient configured from AUTHENTIK_URL, AUTHENTIK_TOKEN and
// AUTHENTIK_INSECURE (a boolean such as "true"; it adds WithInsecureHTTP). opts are
// applied after the environment's.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	baseURL := os.Getenv(EnvURL)
	if strings.TrimSpace(baseURL) == "" {
		return nil, inputErrorf(EnvURL, "%s is not set; set it to your server's address, e.g. https://authentik.example.com", EnvURL)
	}
	token := os.Getenv(EnvToken)
	if strings.TrimSpace(token) == "" {
		return nil, inputErrorf(EnvToken, "%s is not set; create an API token in authentik's admin interface (Directory > Tokens)", EnvToken)
	}
	if v := strings.TrimSpace(os.Getenv(EnvInsecure)); v != "" {
		insecure, err := strconv.ParseBool(v)
		if err != nil {
			return nil, inputErrorf(EnvInsecure, "%s=%q is not a boolean; use true or false", EnvInsecure, v)
		}
		if insecure {
			opts = append([]Option{WithInsecureHTTP()}, opts...)
		}
	}
	opts = append([]Option{func(cfg *clientConfig) error { cfg.tokenFromEnv = true; return nil }}, opts...)
	return NewClient(baseURL, token, opts...)
}

// apiPrefix is where authentik serves its API below the install's root.
const apiPrefix = "/api/v3/"

// parseBaseURL normalises every accepted form of the base URL to
// "<scheme>://<host>[/<sub-path>]/api/v3/".
func parseBaseURL(raw string, insecureHTTP bool) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", inputErrorf("baseURL", "the base URL is empty; pass your server's address, e.g. https://authentik.example.com")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", inputErrorf("baseURL", "the base URL %q does not parse: %v", raw, unwrapURLError(err))
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "http":
	case "":
		return "", inputErrorf("baseURL", "the base URL %q has no scheme; write it as https://%s", raw, raw)
	default:
		if !strings.Contains(raw, "://") { // "localhost:9000" parses as scheme "localhost"
			return "", inputErrorf("baseURL", "the base URL %q has no scheme; write it as https://%s (or http:// for a local server)", raw, raw)
		}
		return "", inputErrorf("baseURL", "the base URL %q has scheme %q; use https:// (or http:// for a local server)", raw, u.Scheme)
	}
	scheme := strings.ToLower(u.Scheme)
	if u.Host == "" || u.Hostname() == "" {
		return "", inputErrorf("baseURL", "the base URL %q has no host; write it as https://authentik.example.com", raw)
	}
	if u.User != nil {
		return "", inputErrorf("baseURL", "the base URL holds credentials (user:password@); remove them, the client authenticates with the token")
	}
	if u.RawQuery != "" || u.ForceQuery {
		return "", inputErrorf("baseURL", "the base URL %q has a query; remove everything from '?'", raw)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return "", inputErrorf("baseURL", "the base URL %q has a fragment; remove everything from '#'", raw)
	}
	if scheme == "http" && !insecureHTTP && !isLoopback(u.Hostname()) {
		return "", inputErrorf("baseURL", "the base URL %q uses http:// to %s, which would send the token in clear text; "+
			"use https://, or pass WithInsecureHTTP (AUTHENTIK_INSECURE=true) on a network you trust", raw, u.Hostname())
	}
	path := u.EscapedPath()
	for strings.Contains(path, "//") { // one slash between parts, whatever was typed
		path = strings.ReplaceAll(path, "//", "/")
	}
	path = strings.TrimRight(path, "/")
	path = strings.TrimSuffix(path, strings.TrimSuffix(apiPrefix, "/"))
	for _, seg := range strings.Split(u.Path, "/") { // decoded: %2e%2e is ".." too
		if seg == "." || seg == ".." {
			return "", inputErrorf("baseURL", "the base URL %q has a %q path segment; write the path out", raw, seg)
		}
	}
	// A pasted endpoint or page of the web interface is not an install's
	// root: its requests would all answer 404.
	if i := strings.Index(path+"/", apiPrefix); i >= 0 {
		return "", inputErrorf("baseURL", "the base URL %q points at an endpoint; pass the server's address, %s://%s%s",
			raw, scheme, u.Host, path[:i])
	}
	for _, page := range []string{"/if/admin", "/if/user", "/if/flow"} {
		if i := strings.Index(path+"/", page+"/"); i >= 0 {
			return "", inputErrorf("baseURL", "the base URL %q is a page of authentik's web interface; pass the server's address, %s://%s%s",
				raw, scheme, u.Host, path[:i])
		}
	}
	return scheme + "://" + u.Host + path + apiPrefix, nil
}

// unwrapURLError drops url.Error's repetition of the input.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// isLoopback reports whether host names this machine: localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cleanToken trims what surrounds a token read from a file or a variable,
// drops a "Bearer " pasted with it (the client adds its own; authentik's keys
// have no spaces, so no real token starts that way), and refuses what cannot
// be sent in a header. Errors never quote the token.
func cleanToken(token string) (string, error) {
	token = strings.TrimSpace(token)
	if f := strings.Fields(token); len(f) > 0 && strings.EqualFold(f[0], "Bearer") {
		token = strings.TrimSpace(token[len("Bearer"):])
	}
	if token == "" {
		return "", inputErrorf("token", "the API token is empty; create one in authentik's admin interface (Directory > Tokens)")
	}
	if i := controlIndex(token); i >= 0 {
		return "", inputErrorf("token", "the API token has a control character at byte %d; copy the token again", i)
	}
	if !utf8.ValidString(token) {
		return "", inputErrorf("token", "the API token is not valid UTF-8; copy the token again")
	}
	return token, nil
}

// controlIndex is the byte offset of the first control character in s, or -1.
func controlIndex(s string) int {
	return strings.IndexFunc(s, unicode.IsControl)
}

// authTransport adds the bearer token to requests for the API's own origin only,
// so a redirect to another host or scheme never carries it. It keeps the token out
// of every struct a user can print. It also bounds each try (WithTimeout) with a
// deadline on the try's context, until its body is closed: what
// http.Client.Timeout does, without the goroutine and timer net/http starts for
// it on every request.
type authTransport struct {
	base    http.RoundTripper
	scheme  string
	host    string
	header  string        // "Bearer <token>"
	timeout time.Duration // per try, body included; 0: none
}

// RoundTrip sends req with the Authorization header when it goes to the API's
// origin, within the try's deadline.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Equal first: the SDK's own requests spell both as t does, and
	// EqualFold costs ten times more.
	own := (req.URL.Scheme == t.scheme || strings.EqualFold(req.URL.Scheme, t.scheme)) &&
		(req.URL.Host == t.host || strings.EqualFold(req.URL.Host, t.host))
	if !own && t.timeout == 0 {
		return t.base.RoundTrip(req)
	}
	ctx, cancel := req.Context(), context.CancelFunc(nil)
	if t.timeout > 0 {
		if d, ok := redirectDeadline(req); ok {
			ctx, cancel = context.WithDeadline(ctx, d) // a redirect stays within its try's deadline
		} else {
			ctx, cancel = context.WithTimeout(ctx, t.timeout)
		}
	}
	// A RoundTripper must not modify the caller's request: a shallow copy
	// with its own header map (the values are shared, never written).
	r := req.WithContext(ctx)
	if own {
		h := make(http.Header, len(req.Header)+1)
		for k, v := range req.Header {
			h[k] = v
		}
		h["Authorization"] = []string{t.header}
		r.Header = h
	}
	resp, err := t.base.RoundTrip(r)
	if cancel == nil {
		return resp, err
	}
	if err != nil {
		cancel()
		return nil, tryTimedOut(ctx, req.Context(), t.timeout, err)
	}
	resp.Body = &deadlineBody{ReadCloser: resp.Body, ctx: ctx, parent: req.Context(), cancel: cancel, timeout: t.timeout}
	return resp, nil
}

// timeoutError is a try that outlasted WithTimeout. Like net/http's
// Client.Timeout error it is a net.Error whose Timeout is true and matches
// context.DeadlineExceeded.
type timeoutError struct {
	timeout time.Duration
	err     error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("%v (the try took longer than WithTimeout's %s)", e.err, e.timeout)
}
func (e *timeoutError) Unwrap() error   { return e.err }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }

// tryTimedOut is err as a timeoutError when the try's own deadline (not the
// caller's context) ended it.
func tryTimedOut(try, caller context.Context, timeout time.Duration, err error) error {
	if try.Err() == context.DeadlineExceeded && caller.Err() == nil {
		return &timeoutError{timeout: timeout, err: err}
	}
	return err
}

// deadlineBody keeps a try's deadline until its body is closed.
type deadlineBody struct {
	io.ReadCloser
	ctx, parent context.Context
	cancel      context.CancelFunc
	timeout     time.Duration
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = tryTimedOut(b.ctx, b.parent, b.timeout, err)
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// redirectDeadline is the deadline of the try a redirected request belongs to:
// that of the hop whose answer redirected it (net/http sets req.Response only
// while following redirects; its Request is this transport's copy).
func redirectDeadline(req *http.Request) (time.Time, bool) {
	if req.Response == nil || req.Response.Request == nil {
		return time.Time{}, false
	}
	return req.Response.Request.Context().Deadline()
}
