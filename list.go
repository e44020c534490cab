package authentik

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"strconv"
)

// resource names a collection and how its wire type W becomes the public T.
type resource[T, W any] struct {
	path   string
	public func(*W) T
}

// errNoCore is what a Client or service that NewClient did not make answers.
var errNoCore = errors.New("authentik: this client was not created with NewClient (or NewClientFromEnv)")

// listPage is List for any resource: validate, encode, one request.
func listPage[T, W any](ctx context.Context, c *core, r resource[T, W], opts listQuery) (*Page[T], error) {
	if c == nil {
		return nil, errNoCore
	}
	q, err := encodeQuery(opts)
	if err != nil {
		return nil, err
	}
	return getPage(ctx, c, r, q)
}

// getPage fetches one page, decoded through the wire type (see compat.go).
func getPage[T, W any](ctx context.Context, c *core, r resource[T, W], q url.Values) (*Page[T], error) {
	var wp wirePage[W]
	if err := c.get(ctx, r.path, q, &wp); err != nil {
		return nil, err
	}
	return publicPage(&wp, r.public), nil
}

// publicPage converts a decoded wire page to the public page.
func publicPage[T, W any](wp *wirePage[W], public func(*W) T) *Page[T] {
	p := &Page[T]{Pagination: wp.Pagination}
	if wp.Results != nil {
		p.Results = make([]T, len(wp.Results))
		for i := range wp.Results {
			p.Results[i] = public(&wp.Results[i])
		}
	}
	return p
}

// allPages is All for any resource. The options are encoded once, here, so a
// caller who changes them later does not change a walk; each page's request is
// the same query with its page number, on a copy.
func allPages[T, W any](ctx context.Context, c *core, r resource[T, W], opts listQuery) iter.Seq2[T, error] {
	q, err := encodeQuery(opts)
	if c == nil {
		err = errNoCore
	}
	if err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, err)
		}
	}
	return walk(ctx, opts.startPage(), c.prefetch, func(ctx context.Context, page int) (*Page[T], error) {
		pq := q
		if page != 0 {
			pq = make(url.Values, len(q)+1)
			for k, v := range q {
				pq[k] = v
			}
			pq.Set("page", strconv.Itoa(page))
		}
		return getPage(ctx, c, r, pq)
	})
}
