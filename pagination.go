package authentik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"
	"strconv"
	"sync"
)

// Pagination is the paging envelope authentik sends with every list. Next and
// Previous are page numbers, 0 when there is no such page (Next == 0: last page).
// StartIndex and EndIndex are the 1-based positions of the page's first and last
// item in the whole result, 0 when it is empty.
type Pagination struct {
	Next       int `json:"next"`
	Previous   int `json:"previous"`
	Count      int `json:"count"`
	Current    int `json:"current"`
	TotalPages int `json:"total_pages"`
	StartIndex int `json:"start_index"`
	EndIndex   int `json:"end_index"`
}

// Page is one page of a list: its pagination and its results.
type Page[T any] struct {
	Pagination Pagination `json:"pagination"`
	Results    []T        `json:"results"`
}

// wirePage is a page as the server sends it.
type wirePage[W any] struct {
	Pagination *Pagination `json:"pagination"` // nil: the body has none
	Results    []W         `json:"results"`
}

// presize makes room for exactly the n results a pre-scan counted, instead of
// letting encoding/json grow the slice step by step.
func (p *wirePage[W]) presize(n int) { p.Results = make([]W, 0, n) }

// itemType is the type of the results, for the memory guard (checkShape).
func (p *wirePage[W]) itemType() reflect.Type { return reflect.TypeFor[W]() }

// checkDecoded refuses a body that is not a list: a 200 with {"detail": ...}
// from a proxy, or results without pagination, must not pass for an empty or
// final page.
func (p *wirePage[W]) checkDecoded() error {
	switch {
	case p.Pagination == nil:
		return errors.New(`the body has no "pagination" object, so it is not a page of a list`)
	case p.Results == nil:
		return errors.New(`the body has no "results" array, so it is not a page of a list`)
	}
	return nil
}

// maxPagesWithoutTotal bounds a walk whose first page gives no total_pages.
const maxPagesWithoutTotal = 1000

// fetchPage requests one page; page 0 means "as the options say" (the first request).
type fetchPage[T any] func(ctx context.Context, page int) (*Page[T], error)

// pending is a page requested ahead of the caller.
type pending[T any] struct {
	page   int
	cancel context.CancelFunc
	done   chan struct{}
	res    *Page[T]
	err    error
}

// walk is the one page walker behind every All method. It follows pagination.next
// from start (0: the page the options name, else 1) until next is 0, yielding
// items in server order and the first error once. With prefetch > 0 it keeps up
// to that many of the following pages in flight while the caller consumes the
// current one; it only trusts those guesses while each page's next points at the
// page guessed after it, and starts over from next when the server's total changes.
// No goroutine outlives the range loop: on return every request in flight is
// cancelled and waited for.
func walk[T any](ctx context.Context, start, prefetch int, fetch fetchPage[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var wg sync.WaitGroup
		var ahead []*pending[T]
		dropAhead := func() {
			for _, p := range ahead {
				p.cancel()
			}
			ahead = nil
		}
		defer func() {
			dropAhead()
			wg.Wait()
		}()
		launch := func(page int) {
			pctx, cancel := context.WithCancel(ctx)
			p := &pending[T]{page: page, cancel: cancel, done: make(chan struct{})}
			ahead = append(ahead, p)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer cancel()
				p.res, p.err = fetch(pctx, page)
				close(p.done)
			}()
		}

		request, current := start, start
		if current == 0 {
			current = 1
		}
		limit, firstTotal := 0, 0 // the last page this walk may reach, from the first page's total_pages
		for {
			var page *Page[T]
			var err error
			if len(ahead) > 0 {
				p := ahead[0]
				ahead = ahead[1:]
				<-p.done
				page, err = p.res, p.err
			} else {
				page, err = fetch(ctx, request)
			}
			if err != nil {
				yield(zero, err)
				return
			}
			next := page.Pagination.Next
			if next != 0 && next <= current {
				// fetch checks each page (checkPage); this guard keeps the walker
				// itself from looping whatever fetch it is given.
				yield(zero, fmt.Errorf("authentik: %w: page %d says the next page is %d", ErrBadPagination, current, next))
				return
			}
			if limit == 0 {
				// Twice what the server first announced, and then some: a
				// collection that grows that much during one walk is a server
				// inventing pages, and the walk must end. A server that
				// announces no total (authentik always does) gets 1,000 pages.
				firstTotal = page.Pagination.TotalPages
				limit = math.MaxInt
				grow := maxPagesWithoutTotal
				if firstTotal > 0 {
					grow = min(firstTotal, math.MaxInt/4)*2 + 16
				}
				if current < math.MaxInt-grow {
					limit = current + grow
				}
			}
			if next != 0 && limit != 0 && next > limit {
				yield(zero, fmt.Errorf("authentik: %w: page %d says the next page is %d, more than the walk may grow from the %d pages it started with",
					ErrBadPagination, current, next, firstTotal))
				return
			}
			if next != 0 && prefetch > 0 {
				if len(ahead) > 0 && ahead[0].page != next {
					dropAhead() // the server's total changed: the guesses are stale
				}
				last := max(page.Pagination.TotalPages, next)
				for len(ahead) < prefetch {
					p := next + len(ahead)
					if p > last || p < next { // p < next: past MaxInt, wrapped
						break
					}
					launch(p)
				}
			}
			for _, item := range page.Results {
				if !yield(item, nil) {
					return
				}
			}
			if next == 0 {
				return
			}
			request, current = next, next
		}
	}
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

// UnmarshalJSON decodes the pagination object. The schema types its fields as
// "number": whole numbers written as floats (2.0, 1e2) are accepted, fractions are errors.
func (p *Pagination) UnmarshalJSON(data []byte) error {
	var aux struct {
		Next       json.Number `json:"next"`
		Previous   json.Number `json:"previous"`
		Count      json.Number `json:"count"`
		Current    json.Number `json:"current"`
		TotalPages json.Number `json:"total_pages"`
		StartIndex json.Number `json:"start_index"`
		EndIndex   json.Number `json:"end_index"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return fmt.Errorf("pagination: %w", describeJSONError(data, err))
	}
	fields := [...]struct {
		name string
		num  json.Number
		dst  *int
	}{
		{"next", aux.Next, &p.Next},
		{"previous", aux.Previous, &p.Previous},
		{"count", aux.Count, &p.Count},
		{"current", aux.Current, &p.Current},
		{"total_pages", aux.TotalPages, &p.TotalPages},
		{"start_index", aux.StartIndex, &p.StartIndex},
		{"end_index", aux.EndIndex, &p.EndIndex},
	}
	for _, f := range fields {
		if f.num == "" {
			continue
		}
		n, err := wholeNumber(f.num)
		if err != nil {
			return fmt.Errorf("pagination.%s: %w", f.name, err)
		}
		*f.dst = n
	}
	return nil
}

// wholeNumber converts a JSON number that must be a whole number within int's range.
func wholeNumber(num json.Number) (int, error) {
	if n, err := strconv.ParseInt(string(num), 10, strconv.IntSize); err == nil {
		return int(n), nil
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt || f >= math.MaxInt {
		return 0, errors.New("want a whole number")
	}
	return int(f), nil
}
