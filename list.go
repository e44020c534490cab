package authentik

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// listPage is List for any resource: validate, encode, one request.
func listPage[T any](ctx context.Context, c *core, path string, opts listQuery) (*Page[T], error) {
	q, err := encodeQuery(opts)
	if err != nil {
		return nil, err
	}
	return getPage[T](ctx, c, path, q)
}

func getPage[T any](ctx context.Context, c *core, path string, q url.Values) (*Page[T], error) {
	var p Page[T]
	if err := c.get(ctx, path, q, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// allPages is All for any resource. The options are encoded once, here, so a
// caller who changes them later does not change a walk; each page's request is
// the same query with its page number, on a copy.
func allPages[T any](ctx context.Context, c *core, path string, opts listQuery) iter.Seq2[T, error] {
	q, err := encodeQuery(opts)
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
		return getPage[T](ctx, c, path, pq)
	})
}
