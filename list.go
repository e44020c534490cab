package authentik

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/url"
	"strconv"
	"unsafe"
)

// resource names a collection and how its wire type W becomes the public T.
type resource[T, W any] struct {
	path   string
	public func(*W) T
	pk     func(*T) string // the object's primary key, to check a Get answered what was asked
}

// valueCost is what one JSON value of this resource's answers may decode into:
// the wire and public structs (see checkShape), at least defaultValueCost.
func (r resource[T, W]) valueCost() int {
	var t T
	var w W
	return max(defaultValueCost, int(2*unsafe.Sizeof(w)+unsafe.Sizeof(t)))
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
	return getPage(ctx, c, r, q, 0)
}

// getPage fetches one page, decoded through the wire type (see compat.go), and
// checks that its pagination agrees with itself and, during a walk, with the
// request: page is the page the walk asked for (0: List, which takes the page
// the server says it sent).
func getPage[T, W any](ctx context.Context, c *core, r resource[T, W], q url.Values, page int) (*Page[T], error) {
	var wp wirePage[W]
	req := request{method: "GET", path: r.path, query: q, valueCost: r.valueCost()}
	if err := c.do(ctx, req, &wp); err != nil {
		return nil, err
	}
	pageSize, _ := strconv.Atoi(q.Get("page_size"))
	if err := checkPage(wp.Pagination, len(wp.Results), page, pageSize); err != nil {
		return nil, fmt.Errorf("authentik: GET %s: %w: %s", c.url(req), ErrBadPagination, err)
	}
	return publicPage(&wp, r.public), nil
}

// checkPage is what one page must satisfy, as authentik's paginator fills it
// (authentik/api/pagination.py on Django's Paginator): current is the page asked
// for (asked > 0: a walk); next is current+1 or 0, and 0 only on the last page;
// the results are as many as start_index to end_index says, never more than
// count or the requested page_size. A page that breaks one would make a walk
// skip pages, repeat them or never end. A 0 in count, current, total_pages or
// the indices of a page with results is read as "not said" (authentik never
// sends it; schema-driven mock servers such as Prism send all zeros).
func checkPage(p *Pagination, n, asked, pageSize int) error {
	cur := asked
	switch {
	case asked > 0 && p.Current != 0 && p.Current != asked:
		return fmt.Errorf("page %d was asked for, the server answered with page %d", asked, p.Current)
	case asked == 0:
		cur = max(p.Current, 1)
	}
	if p.Next != 0 {
		if cur == math.MaxInt || p.Next != cur+1 {
			return fmt.Errorf("page %d says the next page is %d, not %d", cur, p.Next, cur+1)
		}
		if p.TotalPages != 0 && p.Next > p.TotalPages {
			return fmt.Errorf("page %d says the next page is %d, but there are %d pages", cur, p.Next, p.TotalPages)
		}
		if n > 0 && p.EndIndex != 0 && p.Count != 0 && p.EndIndex >= p.Count {
			return fmt.Errorf("page %d ends at result %d of %d but says there is a next page", cur, p.EndIndex, p.Count)
		}
	}
	if p.Next == 0 && p.TotalPages != 0 && cur < p.TotalPages {
		return fmt.Errorf("page %d of %d says there is no next page", cur, p.TotalPages)
	}
	if p.TotalPages != 0 && cur > p.TotalPages && n > 0 {
		return fmt.Errorf("page %d has results, but there are %d pages", cur, p.TotalPages)
	}
	if p.Count != 0 {
		if n > p.Count {
			return fmt.Errorf("page %d holds %d results, more than the count of %d", cur, n, p.Count)
		}
		if p.TotalPages > p.Count {
			return fmt.Errorf("%d pages for a count of %d", p.TotalPages, p.Count)
		}
	}
	if n > 0 && p.StartIndex != 0 && p.EndIndex != 0 {
		if p.StartIndex < 1 || p.EndIndex-p.StartIndex != n-1 {
			return fmt.Errorf("page %d holds %d results, but says they are %d to %d", cur, n, p.StartIndex, p.EndIndex)
		}
		if p.Count != 0 && p.EndIndex > p.Count {
			return fmt.Errorf("page %d ends at result %d, past the count of %d", cur, p.EndIndex, p.Count)
		}
	}
	if pageSize > 0 && n > pageSize {
		return fmt.Errorf("page %d holds %d results, more than the page_size of %d asked for", cur, n, pageSize)
	}
	return nil
}

// publicPage converts a decoded wire page to the public page.
func publicPage[T, W any](wp *wirePage[W], public func(*W) T) *Page[T] {
	p := &Page[T]{}
	if wp.Pagination != nil {
		p.Pagination = *wp.Pagination
	}
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
	start := opts.startPage()
	return walk(ctx, start, c.prefetch, func(ctx context.Context, page int) (*Page[T], error) {
		pq := q
		if page != 0 {
			pq = make(url.Values, len(q)+1)
			for k, v := range q {
				pq[k] = v
			}
			pq.Set("page", strconv.Itoa(page))
		} else {
			page = max(start, 1)
		}
		return getPage(ctx, c, r, pq, page)
	})
}
