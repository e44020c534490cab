package authentik

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

// core is the one request path that every service shares: URL building, headers,
// retries, status handling and decoding live here and nowhere else.
type core struct {
	base             string // "<scheme>://<host>[/<sub-path>]/api/v3/"
	userAgent        string
	maxResponseBytes int64
	prefetch         int
	logger           *slog.Logger // nil: silent
	http             *retryablehttp.Client
	token            string // only to redact it from what a hostile server echoes back
}

// errorBodyCap bounds how much of an error response is kept in APIError.Body.
const errorBodyCap = 64 << 10

func newCore(base, token string, cfg clientConfig) *core {
	u, _ := url.Parse(base) // parseBaseURL has produced a valid URL
	inner := http.Client{}
	if cfg.httpClient != nil {
		inner = *cfg.httpClient // a copy: the caller's client is left as it was
	}
	next := inner.Transport
	if next == nil {
		next = http.DefaultTransport
		// DefaultTransport keeps 2 idle connections per host: with more pages in
		// flight, most requests would open a new connection (and a TLS handshake);
		// measured 1.12x slower at prefetch 8 on loopback (BENCHMARKS.md).
		if dt, ok := next.(*http.Transport); ok && cfg.prefetch+1 > dt.MaxIdleConnsPerHost && cfg.prefetch+1 > http.DefaultMaxIdleConnsPerHost {
			tr := dt.Clone()
			tr.MaxIdleConnsPerHost = cfg.prefetch + 1
			next = tr
		}
	}
	inner.Transport = &authTransport{base: next, scheme: u.Scheme, host: u.Host, header: "Bearer " + token}
	if cfg.timeout > 0 && (inner.Timeout == 0 || cfg.timeout < inner.Timeout) {
		inner.Timeout = cfg.timeout
	}
	rc := &retryablehttp.Client{
		HTTPClient:   &inner,
		RetryWaitMin: cfg.retryWaitMin,
		RetryWaitMax: cfg.retryWaitMax,
		RetryMax:     cfg.retryMax,
		CheckRetry:   checkRetry,
		Backoff:      cappedBackoff,
		// Hand back the last response, so the final error keeps its status and body.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	if cfg.logger != nil {
		// Only a non-nil logger: a typed nil in this interface field would panic on first use.
		rc.Logger = cfg.logger
	}
	return &core{
		base:             base,
		userAgent:        cfg.userAgent,
		maxResponseBytes: cfg.maxResponseBytes,
		prefetch:         cfg.prefetch,
		logger:           cfg.logger,
		http:             rc,
		token:            token,
	}
}

// errTooLarge marks a body over the size cap; it is never retried.
var errTooLarge = errors.New("response body too large")

// get sends GET <base><path>?<query> and decodes a 2xx JSON body into v.
func (c *core) get(ctx context.Context, path string, query url.Values, v any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("authentik: GET %s: %w", u, err)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("authentik: GET %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	// The body is read inside the retry loop, so a body cut short is a transport
	// fault that is retried like a reset connection (every request is a GET).
	var body []byte
	read := false
	req.SetResponseHandler(func(resp *http.Response) error {
		body, read = nil, false
		b, err := c.readBody(resp)
		if err != nil {
			return err
		}
		body, read = b, true
		return nil
	})

	resp, err := c.http.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("authentik: GET %s: %w", u, ctx.Err())
	case errors.Is(err, errTooLarge):
		return fmt.Errorf("authentik: GET %s: the response body is larger than %d bytes (raise it with WithMaxResponseBytes)", u, c.maxResponseBytes)
	case err != nil && resp != nil:
		return fmt.Errorf("authentik: GET %s: reading the response body: %w", u, err)
	case err != nil:
		return fmt.Errorf("authentik: GET %s: %w", u, unwrapURLError(err))
	}
	if !read {
		// Retries ran out on a 429 or 5xx, whose body the handler never saw;
		// readBody never fails for those.
		body, _ = c.readBody(resp)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(http.MethodGet, u, resp.StatusCode, c.redact(body))
	}
	ct := resp.Header.Get("Content-Type")
	if !isJSON(ct) {
		return &DecodeError{Method: http.MethodGet, URL: u, StatusCode: resp.StatusCode, ContentType: ct,
			Err: fmt.Errorf("expected a JSON body, got %q", bodySample(c.redact(body)))}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &DecodeError{Method: http.MethodGet, URL: u, StatusCode: resp.StatusCode, ContentType: ct, Err: err}
	}
	if c.logger != nil {
		c.logger.DebugContext(ctx, "authentik: response", "method", http.MethodGet, "url", u, "status", resp.StatusCode, "bytes", len(body))
	}
	return nil
}

// redact replaces the token in a body that will end up in an error: a proxy or
// a hostile server may echo request headers back.
func (c *core) redact(body []byte) []byte {
	if c.token == "" || !bytes.Contains(body, []byte(c.token)) {
		return body
	}
	return bytes.ReplaceAll(body, []byte(c.token), []byte("[REDACTED]"))
}

// readBody reads a whole body: a 2xx one up to the size cap (errTooLarge past
// it, a read error is a transport fault to retry), any other up to errorBodyCap
// (the rest is discarded, and what could be read is kept even if the read fails:
// it only explains an error whose status is already known).
func (c *core) readBody(resp *http.Response) ([]byte, error) {
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	limit := int64(errorBodyCap)
	if ok {
		limit = min(c.maxResponseBytes, math.MaxInt64-1) // room for the +1 below
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 && resp.ContentLength <= limit {
		// Room for the body and ReadFrom's final probe for EOF, which would
		// otherwise double the buffer (measured: 37% fewer bytes a page). Capped,
		// so a false Content-Length cannot reserve memory before bytes arrive.
		buf.Grow(int(min(resp.ContentLength, 1<<20)) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	switch {
	case err != nil && ok:
		return nil, err
	case n > limit && ok:
		return nil, errTooLarge
	case n > limit:
		return buf.Bytes()[:limit], nil
	}
	return buf.Bytes(), nil
}

// isJSON accepts application/json and the +json types (application/problem+json).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}
