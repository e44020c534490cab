package authentik

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"
)

// Do sends one request to any authentik endpoint with the client's token,
// retries (by method: a POST only when it certainly did not arrive), limits
// and errors. path is relative to /api/v3/ ("flows/instances/"); a leading
// "/", a scheme, a query, a backslash or a ".." segment is an error. query is
// nil, url.Values (or a map[string][]string), or a struct with `url` tags
// (go-querystring). body, when not nil, is sent as JSON: an io.Reader, []byte
// or json.RawMessage is the caller's JSON, sent as those bytes (refused before
// sending when it is not valid JSON); anything else is marshalled. A request
// type's write-only values (EmailStageRequest.Password) are kept out of errors
// and logs as the typed calls keep them. v, when not nil, must be a non-nil
// pointer (checked before sending); it receives the decoded 2xx JSON body, and
// a 204 or an empty body leaves it alone.
func (c *Client) Do(ctx context.Context, method, path string, query, body, v any) (*Response, error) {
	if c == nil || c.core == nil {
		return nil, errNoCore
	}
	if v != nil {
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer || rv.IsNil() {
			return nil, inputErrorf("v", "v is a %T; pass a non-nil pointer to decode into, or nil to ignore the answer", v)
		}
		switch rv.Elem().Kind() {
		case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
			return nil, inputErrorf("v", "v is a %T, which JSON cannot decode into", v)
		}
	}
	r, err := rawRequest(method, path, query)
	if err != nil {
		return nil, err
	}
	if r.body, err = callerBody(body); err != nil {
		return nil, err
	}
	r.secrets = secretsOf(body)
	resp, err := c.core.do(ctx, r, v) // its Response's headers redacted there
	if resp.StatusCode == 0 {
		return nil, err // no answer
	}
	return &resp, err
}

// rawJSON is a body that is already JSON: sent as these bytes.
type rawJSON []byte

// callerBody is what Do sends for body: the caller's own JSON (an io.Reader,
// []byte or json.RawMessage) as its bytes once checked, anything else as it is,
// for json.Marshal.
func callerBody(body any) (any, error) {
	var b []byte
	switch x := body.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		b = x
	case []byte:
		b = x
	case io.Reader:
		read, err := readAll(x)
		if err != nil {
			return nil, inputErrorf("body", "reading the body (%T): %v", x, err)
		}
		b = read
	default:
		return body, nil
	}
	if !json.Valid(b) {
		// Not quoted: the body may hold a secret.
		return nil, inputErrorf("body", "body (%T, %d bytes) is not valid JSON; Do sends an io.Reader, []byte or json.RawMessage as it is", body, len(b))
	}
	return rawJSON(b), nil
}

// readAll reads a caller's reader; a typed nil or a reader that panics is an
// error, not a crash.
func readAll(r io.Reader) (b []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("it panicked: %v", p)
		}
	}()
	return io.ReadAll(r)
}

// secretsOf is the write-only values of a request type (EmailStageRequest's
// password) given to Do as a value or behind any number of pointers; nil for
// any other body.
func secretsOf(body any) []string {
	type secretive interface{ secrets() []string }
	rv := reflect.ValueOf(body)
	for rv.IsValid() && rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
		return nil
	}
	if rv.Kind() != reflect.Pointer {
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		rv = p
	}
	if s, ok := rv.Interface().(secretive); ok {
		return s.secrets()
	}
	return nil
}

// List is the SDK's List for any paginated endpoint: one page at path, with T
// the caller's type for the results.
func List[T any](ctx context.Context, c *Client, path string, query any) (*Page[T], error) {
	if c == nil || c.core == nil {
		return nil, errNoCore
	}
	r, err := rawRequest("GET", path, query)
	if err != nil {
		return nil, err
	}
	return getPage(ctx, c.core, rawResource[T](r.path), r.query, 0)
}

// All is the SDK's All for any paginated endpoint: every item of every page,
// from the query's page (or the first), with the same guarantees as the
// services' All (one error at its place, no loop, break stops it).
func All[T any](ctx context.Context, c *Client, path string, query any) iter.Seq2[T, error] {
	var zero T
	if c == nil || c.core == nil {
		return func(yield func(T, error) bool) { yield(zero, errNoCore) }
	}
	r, err := rawRequest("GET", path, query)
	if err != nil {
		return func(yield func(T, error) bool) { yield(zero, err) }
	}
	return all(ctx, c.core, rawResource[T](r.path), rawQuery(r.query))
}

// rawResource is a collection the SDK has no model of: the caller's type is
// both wire and public type.
func rawResource[T any](path string) resource[T] {
	return resource[T]{path: path, pk: func(*T) string { return "" }, raw: true}
}

// rawQuery is an encoded query as the walker's options.
type rawQuery url.Values

func (q rawQuery) validate() error { return nil }

func (q rawQuery) startPage() int {
	n, err := strconv.Atoi(url.Values(q).Get("page"))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// encodeQuery hands an already encoded query on.
func (q rawQuery) values() url.Values { return url.Values(q) }

// rawRequest checks a caller's path and encodes its query.
func rawRequest(method, path string, q any) (request, error) {
	if method == "" || strings.ContainsAny(method, " \t\r\n/") {
		return request{}, inputErrorf("method", "method %q is not an HTTP method", method)
	}
	u, err := url.Parse(path)
	switch {
	case path == "":
		return request{}, inputErrorf("path", "the path is empty; give it relative to /api/v3/, e.g. flows/instances/")
	case err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//"):
		return request{}, inputErrorf("path", "path %q must be relative to /api/v3/ (like flows/instances/), without a scheme, host or leading /", path)
	case u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(path, "?#"):
		return request{}, inputErrorf("path", "path %q has a query or fragment; pass the query as the query argument", path)
	}
	if strings.Contains(u.Path, `\`) {
		// A proxy that reads "\" as "/" would take ..\ out of /api/v3/.
		return request{}, inputErrorf("path", "path %q has a backslash; separate segments with /", path)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == ".." || seg == "." {
			return request{}, inputErrorf("path", "path %q has a %q segment", path, seg)
		}
	}
	var values url.Values
	switch x := q.(type) {
	case nil:
	case url.Values:
		values = cloneValues(x) // read once: the caller may change its map during a walk
	case map[string][]string:
		values = cloneValues(x)
	default:
		values, err = query.Values(q)
		if err != nil {
			return request{}, inputErrorf("query", "encoding the query: %v", err)
		}
	}
	return request{method: strings.ToUpper(method), path: u.EscapedPath(), query: values, raw: true}, nil
}

// cloneValues is a deep copy of a query.
func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, vs := range q {
		out[k] = slices.Clone(vs)
	}
	return out
}
