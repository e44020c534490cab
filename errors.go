package authentik

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is: by an *APIError according to its
// status, and by the SDK's other errors as each says.
var (
	// ErrUnauthorized matches a response that says the token itself is the problem:
	// a 401, or the 403 that authentik sends for a missing, malformed, unknown or
	// expired token (authentik sends no WWW-Authenticate challenge, so DRF turns its
	// 401 into a 403).
	ErrUnauthorized = errors.New("authentik: unauthorized: the API token is missing, invalid or expired")
	// ErrForbidden matches a 403 for a valid token that lacks the permission.
	ErrForbidden = errors.New("authentik: forbidden: the token's user lacks the permission")
	// ErrNotFound matches a 404.
	ErrNotFound = errors.New("authentik: not found")
	// ErrRateLimited matches a 429 that persisted through every retry.
	ErrRateLimited = errors.New("authentik: rate limited")

	// ErrValidation matches a 400: the server refused the request's content.
	// APIError.Fields holds DRF's field errors.
	ErrValidation = errors.New("authentik: validation failed")
	// ErrUnknownOutcome matches a write that the server may have applied
	// while the SDK cannot read what it did: a 2xx answer to any write whose
	// body is empty, cut short, not JSON, not the object or too large; a POST
	// after a reset or timeout past the connection, or answered 502, 503,
	// 504, 520-527, 598 or 599 by a proxy. The SDK never retries such a POST;
	// the error says how to find out, and the *APIError or *DecodeError
	// inside keeps the status.
	ErrUnknownOutcome = errors.New("authentik: unknown outcome")

	// ErrUnavailable matches a request that could not reach the server, or
	// could not read its answer, or was answered 5xx (501 aside), after every
	// retry: try again later. It never matches a POST answered by the server
	// nor a write whose outcome is unknown (ErrUnknownOutcome), which may have
	// been applied, nor a failure that waiting does not heal (a certificate
	// error). An error that took more than one try says how many, over how long.
	ErrUnavailable = errors.New("authentik: server unavailable")

	// ErrInvalidInput matches an *InputError: a bad argument, option or
	// setting, refused before any request.
	ErrInvalidInput = errors.New("authentik: invalid input")
	// ErrResponseTooLarge matches a response refused for its size: a body over
	// WithMaxResponseBytes, or one whose JSON would decode into far more memory
	// than any authentik response of that kind needs.
	ErrResponseTooLarge = errors.New("authentik: response too large")
	// ErrBadPagination matches a page whose pagination contradicts itself or the
	// walk (a next page that skips or goes back, counts that do not add up); the
	// walk ends there rather than loop or skip pages.
	ErrBadPagination = errors.New("authentik: inconsistent pagination")
)

// InputError is a bad argument, option or setting, found before any request was
// sent. It matches ErrInvalidInput with errors.Is. Its message never quotes the token.
type InputError struct {
	Field  string // what was wrong: "baseURL", "token", "InvitationStageListOptions.StageUUID", "pk", "WithRetryMax", ...
	Reason string // what is wrong with it and how to fix it
}

// Error is "authentik: <reason>".
func (e *InputError) Error() string { return "authentik: " + e.Reason }

// Is reports whether target is ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// inputErrorf builds an *InputError for field.
func inputErrorf(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// APIError is a response outside 2xx. It matches ErrUnauthorized, ErrForbidden,
// ErrNotFound, ErrRateLimited or ErrValidation with errors.Is, according to its status.
type APIError struct {
	StatusCode int    // the HTTP status code
	Method     string // the request method
	URL        string // the request URL
	Detail     string // authentik's "detail" message (or "error", from views that answer themselves), when the body has one
	Code       string // authentik's "code", when the body has one
	Body       []byte // the response body, capped at 64 KiB
	// Header is the response's headers (Retry-After, X-Request-Id, ...).
	Header http.Header
	// Fields is DRF's field errors of a 400, {"name": ["This field is
	// required."]}, with "non_field_errors" under that key; nil when the body
	// has none.
	Fields map[string][]string

	tokenFromEnv bool          // the token came from AUTHENTIK_TOKEN: say so when it is rejected
	tries        int           // how many tries the request took
	took         time.Duration // from the first try to the last answer
	rawPath      bool          // the caller gave the path (Do, List, All), not the SDK
	since        string        // the release that added the route, when older supported ones lack it
}

// Error describes the request, the status and what the server said.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "authentik: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if msg := e.message(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.tokenRejected() {
		b.WriteString(" (the server rejected the API token")
		if e.tokenFromEnv {
			b.WriteString(": check " + EnvToken)
		}
		b.WriteString(")")
	}
	if e.StatusCode == http.StatusNotFound && e.Detail == "" {
		// authentik answers a missing object, and a route it does not have,
		// with DRF's {"detail": ...}; anything else came from another server.
		if e.rawPath {
			b.WriteString(" (this 404 is not authentik's JSON: check the path, relative to /api/v3/, and the base URL)")
		} else {
			b.WriteString(" (this 404 is not authentik's JSON: is the base URL the address of your authentik server, e.g. https://authentik.example.com?)")
		}
	}
	if e.routeMissing() {
		fmt.Fprintf(&b, " (this route came with authentik %s: an older server does not have it; upgrade the server)", e.since)
	}
	b.WriteString(afterTries(e.tries, e.took))
	return b.String()
}

// routeMissing reports a 404 for a route that an older release lacks: not
// DRF's answers for a missing object ("No <model> matches the given query.")
// or page ("Invalid page.").
func (e *APIError) routeMissing() bool {
	return e.since != "" && e.StatusCode == http.StatusNotFound &&
		!strings.HasSuffix(e.Detail, " matches the given query.") && e.Detail != "Invalid page."
}

// message is Detail when there is one; otherwise DRF's field errors, or a short
// sample of a body that is not JSON.
func (e *APIError) message() string {
	if e.Detail != "" {
		return e.Detail
	}
	if fields := fieldErrors(e.Body); fields != "" {
		return fields
	}
	return bodySample(e.Body)
}

// Is reports whether target is the sentinel for this error's status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.tokenRejected()
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden && !e.tokenRejected()
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrValidation:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnavailable:
		// Not a POST: it is never retried, and a 5xx after sending may follow
		// side effects (the SDK cannot say "try later" of it).
		return e.StatusCode >= 500 && e.StatusCode <= 599 && e.StatusCode != http.StatusNotImplemented && e.Method != http.MethodPost
	}
	return false
}

// tokenRejected tells a 403 caused by the token from a 403 for a missing permission.
// The messages are authentik's (authentik/api/authentication.py) and DRF's
// NotAuthenticated; the codes are DRF's for both.
func (e *APIError) tokenRejected() bool {
	if e.StatusCode != http.StatusForbidden {
		return false
	}
	switch e.Code {
	case "not_authenticated", "authentication_failed":
		return true
	}
	switch e.Detail {
	case "Token invalid/expired",
		"Authentication credentials were not provided.",
		"Unsupported authentication type",
		"Malformed header":
		return true
	}
	return false
}

// errorBody is the part of authentik's error bodies the SDK reads: DRF's
// {"detail": ..., "code": ...}, or {"error": ...} from views that answer
// themselves (InvitationViewSet.send_email).
type errorBody struct {
	Detail json.RawMessage `json:"detail"`
	Code   json.RawMessage `json:"code"`
	Error  json.RawMessage `json:"error"`
}

// newAPIError builds the error for a non-2xx response whose body was read.
func newAPIError(method, url string, status int, body []byte) *APIError {
	e := &APIError{StatusCode: status, Method: method, URL: url, Body: body}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.Detail = jsonText(eb.Detail)
		e.Code = jsonText(eb.Code)
		if e.Detail == "" {
			e.Detail = jsonText(eb.Error)
		}
	}
	if status == http.StatusBadRequest {
		e.Fields = fieldMap(body)
	}
	return e
}

// jsonText is a JSON string's value, or "" for anything else.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// fieldMap reads DRF's validation body: each field's list of messages (a single
// string is a list of one). Nested errors (a field of a nested object) are kept
// as their JSON text. nil when the body is not such an object.
func fieldMap(body []byte) map[string][]string {
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil || len(raw) == 0 {
		return nil
	}
	if _, ok := raw["detail"]; ok {
		return nil // {"detail": ...}: one message, not field errors
	}
	fields := make(map[string][]string, len(raw))
	for name, v := range raw {
		msgs, ok := fieldMessages(v)
		if !ok {
			msgs = []string{string(v)}
		}
		fields[name] = msgs
	}
	return fields
}

// fieldMessages is one field's messages: a list of strings, or one string.
func fieldMessages(v json.RawMessage) ([]string, bool) {
	var msgs []string
	if json.Unmarshal(v, &msgs) == nil {
		return msgs, true
	}
	if s := jsonText(v); s != "" {
		return []string{s}, true
	}
	return nil, false
}

// fieldErrors summarises DRF's validation body ({"port": ["A valid integer is required."]})
// as "port: A valid integer is required.", fields in sorted order.
func fieldErrors(body []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil || len(fields) == 0 {
		return ""
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		if msgs, ok := fieldMessages(fields[name]); ok {
			parts = append(parts, name+": "+strings.Join(msgs, " "))
		}
	}
	return strings.Join(parts, "; ")
}

// bodySample is the start of a body, on one line, for an error message.
func bodySample(body []byte) string {
	const max = 200
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// DecodeError is a 2xx response that could not be read as the expected JSON: most
// often an HTML page from a proxy or a login screen, because the base URL does not
// point at authentik's API.
type DecodeError struct {
	Method      string // the request method
	URL         string // the request URL
	StatusCode  int    // the HTTP status code
	ContentType string // the response's Content-Type
	Err         error  // why decoding failed

	notJSON bool // the body is not JSON at all: the base URL may point elsewhere
}

// Error names the request, the status, the content type and what went wrong;
// when the body is not JSON, a hint about the base URL.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("authentik: %s %s: status %d with content type %q: %v", e.Method, e.URL, e.StatusCode, e.ContentType, e.Err)
	if e.notJSON {
		msg += " (is the base URL the address of your authentik server, e.g. https://authentik.example.com?)"
	}
	return msg
}

// Unwrap returns the underlying decoding error.
func (e *DecodeError) Unwrap() error { return e.Err }
