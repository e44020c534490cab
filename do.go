package authentik

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"
)

// Do sends one request to any authentik endpoint with the client's token,
// retries (by method: a POST only when it certainly did not arrive), limits
// and errors. path is relative to /api/v3/ ("flows/instances/"); a leading
// "/", a scheme, a query or a ".." segment is an error. query is nil,
// url.Values (or a map[string][]string), or a struct with `url` tags
// (go-querystring). body, when not nil,
// is sent as JSON. v, when not nil, receives the decoded 2xx JSON body; a 204
// or an empty body leaves it alone.
func (c *Client) Do(ctx context.Context, method, path string, query, body, v any) (*Response, error) {
	if c == nil || c.core == nil {
		return nil, errNoCore
	}
	r, err := rawRequest(method, path, query)
	if err != nil {
		return nil, err
	}
	r.body = body
	resp, err := c.core.do(ctx, r, v)
	if resp != nil {
		resp.Header = redactHeader(resp.Header, c.core.redactor)
	}
	return resp, err
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
func rawResource[T any](path string) resource[T, T] {
	return resource[T, T]{path: path, public: func(w *T) T { return *w }, pk: func(*T) string { return "" }}
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
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == ".." || seg == "." {
			return request{}, inputErrorf("path", "path %q has a %q segment", path, seg)
		}
	}
	var values url.Values
	switch x := q.(type) {
	case nil:
	case url.Values:
		values = x
	case map[string][]string:
		values = url.Values(x)
	default:
		values, err = query.Values(q)
		if err != nil {
			return request{}, inputErrorf("query", "encoding the query: %v", err)
		}
	}
	return request{method: strings.ToUpper(method), path: u.EscapedPath(), query: values}, nil
}
