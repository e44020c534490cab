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
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// core is the one request path that every service shares: URL building, headers,
// retries, status handling, decoding and the redaction of what came off the
// network live here and nowhere else.
type core struct {
	base             string // "<scheme>://<host>[/<sub-path>]/api/v3/"
	userAgent        string
	maxResponseBytes int64
	prefetch         int
	logger           *redactingLogger // nil: silent
	http             *retryablehttp.Client
	redactor         *redactor // the token, to remove it from anything a server sends back
	tokenFromEnv     bool      // errors about the token point at AUTHENTIK_TOKEN
}

// errorBodyCap bounds how much of an error response is kept in APIError.Body.
const errorBodyCap = 64 << 10

func newCore(base, token string, cfg clientConfig) *core {
	u, _ := url.Parse(base) // parseBaseURL has produced a valid URL
	red := newRedactor(token)
	inner := http.Client{}
	if cfg.httpClient != nil {
		inner = *cfg.httpClient // a copy: the caller's client is left as it was
	}
	if inner.Transport == nil {
		inner.Transport = sharedTransport(cfg.prefetch)
	}
	auth := &authTransport{base: inner.Transport, scheme: u.Scheme, host: u.Host, header: "Bearer " + token}
	if cfg.timeout > 0 && (inner.Timeout == 0 || cfg.timeout < inner.Timeout) {
		auth.timeout = cfg.timeout // a caller's shorter Client.Timeout stays in force
	}
	inner.Transport = auth
	inner.CheckRedirect = sameOriginRedirects(u, inner.CheckRedirect, red)
	var logger *redactingLogger
	if cfg.logger != nil {
		logger = &redactingLogger{l: cfg.logger, r: red}
	}
	rc := &retryablehttp.Client{
		HTTPClient:     &inner,
		RetryWaitMin:   cfg.retryWaitMin,
		RetryWaitMax:   cfg.retryWaitMax,
		RetryMax:       cfg.retryMax,
		CheckRetry:     checkRetry,
		RequestLogHook: countTry,
		Backoff:        jitteredBackoff,
		// Hand back the last response, so the final error keeps its status and body.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	if logger != nil {
		// Only a non-nil logger: a typed nil in this interface field would panic
		// on first use, and retryablehttp.NewClient's default writes to stderr.
		rc.Logger = logger
	}
	return &core{
		base:             base,
		userAgent:        cfg.userAgent,
		maxResponseBytes: cfg.maxResponseBytes,
		prefetch:         cfg.prefetch,
		logger:           logger,
		http:             rc,
		redactor:         red,
		tokenFromEnv:     cfg.tokenFromEnv,
	}
}

// errTooLarge marks a body over the size cap; it is never retried.
var errTooLarge = errors.New("response body too large")

// request is one call to the API.
type request struct {
	method string
	path   string // relative to the base URL, "stages/email/"
	query  url.Values
	// body, when not nil, is sent as JSON, encoded once (retries resend the
	// same bytes).
	body any
	// secrets are values of the body that must never reach an error or a log
	// record (a password), redacted like the token.
	secrets []string
	// advice says how to find out what a POST did when its answer is lost
	// (ErrUnknownOutcome); "" is the default: look the name up.
	advice string
	// valueCost is how many bytes one JSON value of the answer may decode into
	// (slice growth included); 0 means defaultValueCost. See checkShape.
	valueCost int
	// raw marks a caller's path (Do, List, All) rather than one the SDK built.
	raw bool
	// since is the release that added the route, when an older supported
	// release lacks it: a 404 for the route says so.
	since string
	// check, when set, runs after a successful decode; its error makes the
	// answer a *DecodeError (the body decoded but is not what was asked for).
	check func() error
}

// Response is what the SDK keeps of an answer besides its decoded body.
type Response struct {
	StatusCode int         // the HTTP status code
	Header     http.Header // the response's headers
}

// do sends r and decodes a 2xx JSON body into v (nil: nothing to decode; a 204
// or an empty body leaves v alone). The Response is a value (most callers
// drop it); its StatusCode is 0 when no answer came. Retries follow the method's policy
// (retry.go); a POST whose answer was lost is an error matching
// ErrUnknownOutcome, and a DELETE retried after a lost answer that then finds
// nothing has succeeded.
func (c *core) do(ctx context.Context, r request, v any) (Response, error) {
	u := c.url(r)
	state := &callState{method: r.method, advice: r.advice, base: c.redactor, secrets: r.secrets}
	if err := ctx.Err(); err != nil {
		return Response{}, fmt.Errorf("authentik: %s %s: %w", r.method, u, err)
	}
	var payload []byte
	if raw, ok := r.body.(rawJSON); ok {
		payload = raw
	} else if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return Response{}, &redactedError{msg: fmt.Sprintf("authentik: %s %s: encoding the request body: %s", r.method, u, state.redactor().text(err.Error())), err: err}
		}
		payload = b
	}
	state.start = time.Now()
	if len(r.secrets) > 0 && c.logger != nil {
		// retryablehttp's records carry no context: while this request runs,
		// the logger redacts its secrets too.
		red := state.redactor()
		c.logger.active.add(red)
		defer c.logger.active.remove(red)
	}
	// No payload is no body at all: a nil []byte would become an empty
	// body of unknown length, which net/http probes for a GET or DELETE
	// with a goroutine and a timer on every try (transfer.go,
	// probeRequestBody).
	var rawBody any
	if payload != nil {
		rawBody = payload
	}
	req, err := retryablehttp.NewRequestWithContext(withCallState(ctx, state), r.method, u, rawBody)
	if err != nil {
		return Response{}, fmt.Errorf("authentik: %s %s: %w", r.method, u, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		// retryablehttp sets GetBody, with which net/http itself resends
		// the body on a fresh connection when it knows nothing was written
		// (a keep-alive connection found closed), safe for every method.
		req.Header.Set("Content-Type", "application/json")
	}

	// The body is read inside the retry loop, so a body cut short is a transport
	// fault that the method's policy may retry like a reset connection.
	// What it read is kept in state, which the handler shares, rather than
	// in variables of its own that would each move to the heap.
	req.SetResponseHandler(func(resp *http.Response) error {
		state.body, state.read = nil, false
		b, err := c.readBody(resp)
		if err != nil {
			return err
		}
		state.body, state.read = b, true
		return nil
	})

	resp, err := c.http.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return Response{}, c.unknownOutcome(state, resp, c.transportError(ctx, state, u, resp, err))
	}
	body := state.body
	if !state.read {
		// Retries ran out on a 429 or 5xx, whose body the handler never saw;
		// readBody never fails for those.
		body, _ = c.readBody(resp)
	}
	out := Response{StatusCode: resp.StatusCode, Header: resp.Header}
	if r.raw {
		// Client.Do hands the headers to the caller: without the token or
		// the request's secrets, as everything else off the network.
		out.Header = redactHeader(resp.Header, state.redactor())
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if resp.StatusCode == http.StatusNotFound && r.method == http.MethodDelete && state.maybeApplied {
			// An earlier try of this DELETE may have been applied before its
			// answer was lost: the object is gone, as asked.
			return out, nil
		}
		e := c.apiError(r.method, u, resp, body, state.redactor())
		e.tries, e.took, e.rawPath, e.since = state.tries, time.Since(state.start), r.raw, r.since
		return out, c.unknownOutcome(state, resp, e)
	}
	empty := len(bytes.TrimSpace(body)) == 0
	// No Content-Type at all (httpmock's NewStringResponder sends none): a
	// body that starts like JSON is read as JSON; anything else, and any other
	// declared type (an HTML login page), is refused, also for a write whose
	// answer the caller does not read (v nil): it is not known to be applied.
	write := r.method != http.MethodGet && r.method != http.MethodHead
	if ct := resp.Header.Get("Content-Type"); !empty && (v != nil || write) && !isJSON(ct) && !(ct == "" && looksLikeJSON(body)) {
		// Redacted before quoting: %q doubles the backslashes of a \u-escaped echo.
		return out, c.unknownOutcome(state, resp, c.decodeError(r.method, u, resp, fmt.Errorf("expected a JSON body, got %q", bodySample(state.redactor().bytes(body))), true, state.redactor()))
	}
	if v == nil {
		return out, nil
	}
	if empty {
		// A 204 or an empty body leaves v alone (Client.Do); the SDK's own
		// calls expect an object, and an empty answer is not one.
		if _, page := v.(interface{ checkDecoded() error }); !page && r.check == nil {
			return out, nil
		}
		return out, c.unknownOutcome(state, resp, c.decodeError(r.method, u, resp, errors.New("the body is empty"), false, state.redactor()))
	}
	if err := c.decode(body, v, r.valueCost, r.check); err != nil {
		return out, c.unknownOutcome(state, resp, c.decodeError(r.method, u, resp, err, false, state.redactor()))
	}
	n := len(body)
	if !r.raw && reusableInto(v) {
		// Decoded into copies: nothing refers to the bytes any more. Not
		// for Client.Do: a caller's value may hold, behind an interface,
		// a pointer to a type of its own, which encoding/json decodes
		// into and which reusableInto cannot see.
		state.body = nil
		releaseBody(body)
	}
	if c.logger != nil {
		c.logger.l.DebugContext(ctx, "authentik: response", "method", r.method, "url", u, "status", resp.StatusCode, "bytes", n)
	}
	return out, nil
}

// url is the request's full URL, as errors name it.
func (c *core) url(r request) string {
	if len(r.query) == 0 {
		return c.base + r.path
	}
	return c.base + r.path + "?" + r.query.Encode()
}

// transportError explains a request that got no usable answer. A failure to
// reach the server or to read its answer, after every retry, matches
// ErrUnavailable; every error says how many tries it took when there were more
// than one.
func (c *core) transportError(ctx context.Context, st *callState, u string, resp *http.Response, err error) error {
	e := &retriedError{tries: st.tries, took: time.Since(st.start)}
	e.err, e.unavailable = c.transportCause(ctx, st.method, u, resp, err, st.redactor())
	e.unavailable = e.unavailable && st.retryable
	return e
}

// transportCause is transportError's message, and whether it means the
// server is unavailable (rather than the caller's context ending, or a
// failure that waiting would not heal).
func (c *core) transportCause(ctx context.Context, method, u string, resp *http.Response, err error, red *redactor) (error, bool) {
	var redir *redirectError
	var dns *dnsError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("authentik: %s %s: %w", method, u, ctx.Err()), false
	case errors.Is(err, errTooLarge) && resp != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299:
		// Keeps the status (for a write: the server took it).
		return c.decodeError(method, u, resp, fmt.Errorf("%w: the body is larger than %d bytes (raise the limit with WithMaxResponseBytes)",
			ErrResponseTooLarge, c.maxResponseBytes), false, red), false
	case errors.Is(err, errTooLarge):
		return fmt.Errorf("authentik: %s %s: %w: the body is larger than %d bytes (raise the limit with WithMaxResponseBytes)",
			method, u, ErrResponseTooLarge, c.maxResponseBytes), false
	case errors.As(err, &redir):
		return &redactedError{msg: fmt.Sprintf("authentik: %s %s: %s", method, u, red.text(redir.Error())), err: redir}, false
	case errors.As(err, &dns):
		return fmt.Errorf("authentik: %s %s: %w", method, u, dns), false
	case resp != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299:
		// A 2xx cut short: the error keeps the status, which for a write
		// says the server applied it.
		return c.decodeError(method, u, resp, fmt.Errorf("reading the response body: %w", err), false, red), true
	case resp != nil:
		return &redactedError{msg: fmt.Sprintf("authentik: %s %s: reading the response body: %s", method, u, red.text(err.Error())), err: err}, true
	}
	return &redactedError{msg: fmt.Sprintf("authentik: %s %s: %s", method, u, red.text(unwrapURLError(err).Error())), err: err}, true
}

// retriedError is a request that got no usable answer: it says how many tries
// it took, and matches ErrUnavailable when the server could not be reached or
// its answer could not be read.
type retriedError struct {
	err         error
	tries       int
	took        time.Duration
	unavailable bool
}

func (e *retriedError) Error() string   { return e.err.Error() + afterTries(e.tries, e.took) }
func (e *retriedError) Unwrap() error   { return e.err }
func (e *retriedError) Is(t error) bool { return t == ErrUnavailable && e.unavailable }

// afterTries is " (after N tries over T)" when a request was tried more than
// once: T runs from the first try to the end of the last.
func afterTries(tries int, took time.Duration) string {
	if tries < 2 {
		return ""
	}
	return fmt.Sprintf(" (after %d tries over %s)", tries, took.Round(time.Millisecond))
}

// apiError builds the *APIError of a non-2xx answer, redacting what the server sent.
func (c *core) apiError(method, u string, resp *http.Response, body []byte, red *redactor) *APIError {
	e := newAPIError(method, u, resp.StatusCode, red.bytes(body))
	e.Detail = red.text(e.Detail)
	e.Code = red.text(e.Code)
	for field, msgs := range e.Fields {
		for i, m := range msgs {
			msgs[i] = red.text(m)
		}
		if clean := red.text(field); clean != field {
			delete(e.Fields, field)
			e.Fields[clean] = msgs
		}
	}
	e.Header = redactHeader(resp.Header, red)
	e.tokenFromEnv = c.tokenFromEnv
	return e
}

// redactHeader is a copy of h with every value redacted.
func redactHeader(h http.Header, red *redactor) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		clean := make([]string, len(vs))
		for i, v := range vs {
			clean[i] = red.text(v)
		}
		out[red.text(k)] = clean
	}
	return out
}

// decodeError builds the *DecodeError of a 2xx answer that could not be read;
// notJSON adds the hint that the base URL may point elsewhere.
func (c *core) decodeError(method, u string, resp *http.Response, err error, notJSON bool, red *redactor) *DecodeError {
	return &DecodeError{Method: method, URL: u, StatusCode: resp.StatusCode,
		ContentType: red.text(resp.Header.Get("Content-Type")),
		Err:         &redactedError{msg: red.text(err.Error()), err: err}, notJSON: notJSON}
}

// redactedError is an error whose text may quote what a server sent (a
// transport error naming a redirect's URL, a JSON error quoting a value). Its
// message is redacted; errors.Is and errors.As still see the original chain, but
// errors.Unwrap stops here so that no unredacted message can be reached by
// walking the chain and printing it.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) GoString() string     { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// As reaches the cause's typed errors (net.Error, *net.DNSError, ...), but
// never a *url.Error, whose URL may be a redirect's Location as the server
// wrote it.
func (e *redactedError) As(target any) bool {
	if _, ok := target.(**url.Error); ok {
		return false
	}
	return errors.As(e.err, target)
}

// readBody reads a whole body: a 2xx one up to the size cap (errTooLarge past
// it, a read error is a transport fault to retry), any other up to errorBodyCap
// (the rest is discarded, and what could be read is kept even if the read fails:
// it only explains an error whose status is already known).
func (c *core) readBody(resp *http.Response) ([]byte, error) {
	if resp.Body == http.NoBody {
		return nil, nil // net/http knows there is none (a 204, a HEAD)
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	limit := int64(errorBodyCap)
	if ok {
		limit = min(c.maxResponseBytes, math.MaxInt64-1) // room for the +1 below
	}
	// Room for the body and the read that finds EOF, so that a body whose
	// length is declared is read into one allocation of its size. Capped,
	// so a false Content-Length cannot reserve memory before bytes arrive.
	size := bytes.MinRead
	if resp.ContentLength > 0 && resp.ContentLength <= limit {
		size = int(min(resp.ContentLength, 1<<20)) + 1
	}
	// A loop of its own rather than bytes.Buffer and io.LimitReader: both
	// would be allocated for every answer. It reads limit+1 bytes at most,
	// and grows the slice as append does (doubling).
	b := newBodyBuffer(size) // from the pool of decoded bodies (bodypool.go)
	var err error
	for int64(len(b)) <= limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := b[len(b):min(int64(cap(b)), limit+1)]
		var n int
		n, err = resp.Body.Read(room)
		b = b[:len(b)+n]
		if err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	switch n := int64(len(b)); {
	case err != nil && ok:
		return nil, err
	case n > limit && ok:
		return nil, errTooLarge
	case n > limit:
		return b[:limit], nil
	}
	return b, nil
}

// looksLikeJSON reports whether a body starts like a JSON object or array.
func looksLikeJSON(body []byte) bool {
	b := bytes.TrimLeft(body, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// isJSON accepts application/json and the +json types (application/problem+json).
func isJSON(contentType string) bool {
	if contentType == "application/json" {
		return true // what authentik sends, without parsing
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// redactingLogger hands retryablehttp's records, and the SDK's own, to the
// caller's logger with every value redacted: retryablehttp logs URLs and errors
// whose text may quote what a server sent.
type redactingLogger struct {
	l      *slog.Logger
	r      *redactor
	active activeSecrets // the redactors of requests in flight that carry secrets
}

// activeSecrets is a set of per-request redactors, safe for concurrent use.
type activeSecrets struct {
	mu  sync.Mutex
	set map[*redactor]int
}

func (a *activeSecrets) add(r *redactor) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.set == nil {
		a.set = map[*redactor]int{}
	}
	a.set[r]++
}

func (a *activeSecrets) remove(r *redactor) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.set[r]--; a.set[r] <= 0 {
		delete(a.set, r)
	}
}

// text redacts s with the client's redactor and every active request's.
func (g *redactingLogger) text(s string) string {
	s = g.r.text(s)
	g.active.mu.Lock()
	defer g.active.mu.Unlock()
	for r := range g.active.set {
		s = r.text(s)
	}
	return s
}

func (g *redactingLogger) scrub(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		switch v := v.(type) {
		case string:
			out[i] = g.text(v)
		case error:
			out[i] = g.text(v.Error())
		case fmt.Stringer:
			out[i] = g.text(v.String())
		case int, int64, bool, float64:
			out[i] = v
		default:
			out[i] = g.text(fmt.Sprint(v))
		}
	}
	return out
}

// Error, Info, Debug and Warn make redactingLogger a retryablehttp.LeveledLogger.
func (g *redactingLogger) Error(msg string, kv ...any) { g.l.Error(g.text(msg), g.scrub(kv)...) }

// Info logs at info level; see Error.
func (g *redactingLogger) Info(msg string, kv ...any) { g.l.Info(g.text(msg), g.scrub(kv)...) }

// Debug logs at debug level; see Error.
func (g *redactingLogger) Debug(msg string, kv ...any) { g.l.Debug(g.text(msg), g.scrub(kv)...) }

// Warn logs at warn level; see Error.
func (g *redactingLogger) Warn(msg string, kv ...any) { g.l.Warn(g.text(msg), g.scrub(kv)...) }

// decode is json.Unmarshal behind the memory guard (checkShape), with errors
// that name the JSON path instead of the SDK's internal types.
func (c *core) decode(body []byte, v any, valueCost int, check func() error) error {
	// The memory guard's scan also finds what an older release sends
	// differently: such a body is rewritten first (quirks.go).
	apply, err := checkShape(body, v, valueCost)
	if err != nil {
		return err
	}
	if body, err = upgrade(body, apply); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return describeJSONError(body, err)
	}
	if ch, ok := v.(interface{ checkDecoded() error }); ok {
		if err := ch.checkDecoded(); err != nil {
			return err
		}
	}
	if check != nil {
		return check()
	}
	return nil
}
