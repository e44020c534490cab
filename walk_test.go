package authentik

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// pagedServer answers a list endpoint from an in-memory slice of pages, checking
// on every request that the filters in want are present.
type pagedServer struct {
	t     *testing.T
	pages map[int][]byte // page number -> body
	keep  string         // a query fragment every request must carry
	log   requestLog
}

func (s *pagedServer) responder() httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		s.log.add(r)
		checkHeaders(s.t, r)
		if s.keep != "" && !strings.Contains(r.URL.RawQuery, s.keep) {
			s.t.Errorf("query %q lost the filters %q", r.URL.RawQuery, s.keep)
		}
		n := 1
		if p := r.URL.Query().Get("page"); p != "" {
			n, _ = strconv.Atoi(p)
		}
		body, ok := s.pages[n]
		if !ok {
			return httpmock.NewStringResponse(404, `{"detail": "Invalid page."}`), nil
		}
		resp := httpmock.NewBytesResponse(200, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// emailPages splits n generated stages into pages of size, as authentik does.
func emailPages(t *testing.T, n, size int) (map[int][]byte, []EmailStage) {
	var all []EmailStage
	for i := range n {
		s := testEmailStage(fmt.Sprintf("00000000-0000-4000-8000-%012d", i), fmt.Sprintf("stage-%04d", i), flowRecovery)
		all = append(all, s)
	}
	total := (n + size - 1) / size
	if total == 0 {
		total = 1
	}
	pages := map[int][]byte{}
	for p := 1; p <= total; p++ {
		lo, hi := (p-1)*size, min(p*size, n)
		pages[p] = pageJSON(t, all[lo:hi], p, total, n, size)
	}
	return pages, all
}

func collect[T any](seq func(func(T, error) bool)) ([]T, []error) {
	var items []T
	var errs []error
	for item, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, item)
	}
	return items, errs
}

// TestAllWalksEveryPage: every item of many pages in order, filters on every
// page, for each prefetch depth.
func TestAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	for _, prefetch := range []int{0, 1, 3, 8} {
		t.Run(fmt.Sprintf("prefetch %d", prefetch), func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithPrefetch(prefetch))
			pages, want := emailPages(t, 23, 3)
			srv := &pagedServer{t: t, pages: pages, keep: "page_size=3&search=stage&use_tls=false"}
			mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
			opts := &EmailStageListOptions{ListOptions: ListOptions{PageSize: 3, Search: "stage"}, UseTLS: Ptr(false)}
			before := *opts
			got, errs := collect(c.EmailStages.All(context.Background(), opts))
			if len(errs) != 0 {
				t.Fatal(errs)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %d items, want %d in order", len(got), len(want))
			}
			if srv.log.len() != 8 {
				t.Errorf("%d requests, want 8 (one a page)", srv.log.len())
			}
			if prefetch == 0 {
				wantQ := []string{"page_size=3&search=stage&use_tls=false"}
				for p := 2; p <= 8; p++ {
					wantQ = append(wantQ, fmt.Sprintf("page=%d&page_size=3&search=stage&use_tls=false", p))
				}
				if q := srv.log.queries(); !reflect.DeepEqual(q, wantQ) {
					t.Errorf("queries = %q\nwant %q", q, wantQ)
				}
			}
			if !reflect.DeepEqual(before, *opts) {
				t.Errorf("options were modified")
			}
		})
	}
}

// TestAllInvitationStages walks the invitation endpoint with the same walker.
func TestAllInvitationStages(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	srv := &pagedServer{t: t, pages: map[int][]byte{
		1: pageJSON(t, wantInvitation2026[:2], 1, 3, 5, 2),
		2: pageJSON(t, wantInvitation2026[2:4], 2, 3, 5, 2),
		3: pageJSON(t, wantInvitation2026[4:], 3, 3, 5, 2),
	}, keep: "no_flows=false"}
	mt.RegisterResponder("GET", testAPI+"stages/invitation/stages/", srv.responder())
	got, errs := collect(c.InvitationStages.All(context.Background(), &InvitationStageListOptions{NoFlows: Ptr(false)}))
	if len(errs) != 0 || !reflect.DeepEqual(got, wantInvitation2026) {
		t.Fatalf("got %v, %v", got, errs)
	}
}

// TestAllBreakStopsRequests: a break makes no further request, and the same
// iterator ranged again starts over from the first page.
func TestAllBreakStopsRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithPrefetch(0))
	pages, want := emailPages(t, 10, 2)
	srv := &pagedServer{t: t, pages: pages}
	mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
	seq := c.EmailStages.All(context.Background(), nil)
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("%d requests before ranging, want 0", n)
	}
	for range 2 {
		var got []EmailStage
		for s, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
			if len(got) == 3 {
				break
			}
		}
		if !reflect.DeepEqual(got, want[:3]) {
			t.Errorf("got %v", got)
		}
	}
	if q := srv.log.queries(); !reflect.DeepEqual(q, []string{"", "page=2", "", "page=2"}) {
		t.Errorf("queries = %q, want two walks of pages 1 and 2", q)
	}
}

// TestAllBreakWithPrefetch: with prefetching, pages already requested may
// complete, but the loop returns only once they have, and nothing is requested
// after it ends. The responder is slow, so requests are in flight at the break.
func TestAllBreakWithPrefetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithPrefetch(2))
	pages, _ := emailPages(t, 20, 2)
	srv := &pagedServer{t: t, pages: pages}
	var inFlight atomic.Int32
	mt.RegisterResponder("GET", testAPI+"stages/email/", func(r *http.Request) (*http.Response, error) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		if r.URL.Query().Get("page") != "" {
			select { // a prefetched page: slow, and cut short by the walk's cancel
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
		}
		return srv.responder()(r)
	})
	for _, err := range c.EmailStages.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if n := inFlight.Load(); n != 0 {
		t.Errorf("%d requests still in flight after the loop ended", n)
	}
	after := mt.GetTotalCallCount()
	if after > 3 {
		t.Errorf("%d requests for one item with prefetch 2, want at most 3", after)
	}
	time.Sleep(50 * time.Millisecond) // anything left running would request more now
	if n := mt.GetTotalCallCount(); n != after {
		t.Errorf("requests went on after the loop ended: %d then %d", after, n)
	}
}

// TestAllErrors: the first error is yielded once, as (zero, err), and ends the walk.
func TestAllErrors(t *testing.T) {
	t.Parallel()
	pages, want := emailPages(t, 6, 2)
	tests := []struct {
		name      string
		pages     map[int][]byte
		opts      *EmailStageListOptions
		wantItems []EmailStage
		wantErr   string
		wantIs    error
	}{
		{
			name:      "error on page 2",
			pages:     map[int][]byte{1: pages[1]},
			wantItems: want[:2],
			wantErr:   "404",
		},
		{
			name: "next does not move forward",
			pages: map[int][]byte{
				1: pages[1],
				2: []byte(`{"pagination":{"next":2,"previous":1,"count":6,"current":2,"total_pages":3,"start_index":3,"end_index":4},"results":[]}`),
			},
			wantItems: want[:2],
			wantErr:   "page 2 says the next page is 2, not 3",
			wantIs:    ErrBadPagination,
		},
		{
			name: "next points back",
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":1,"previous":0,"count":6,"current":1,"total_pages":3,"start_index":1,"end_index":2},"results":[]}`),
			},
			wantErr: "page 1 says the next page is 1, not 2",
			wantIs:  ErrBadPagination,
		},
		{
			name: "next skips a page",
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":3,"previous":0,"count":6,"current":1,"total_pages":3,"start_index":1,"end_index":2},"results":[{"pk":"a"},{"pk":"b"}]}`),
			},
			wantErr: "page 1 says the next page is 3, not 2",
			wantIs:  ErrBadPagination,
		},
		{
			name: "next past total_pages",
			pages: map[int][]byte{
				1: pages[1], 2: pages[2],
				3: []byte(`{"pagination":{"next":4,"previous":2,"count":6,"current":3,"total_pages":3,"start_index":5,"end_index":6},"results":[{"pk":"e"},{"pk":"f"}]}`),
			},
			wantItems: want[:4],
			wantErr:   "page 3 says the next page is 4, but there are 3 pages",
			wantIs:    ErrBadPagination,
		},
		{
			name: "next near MaxInt",
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":9223372036854775807,"previous":0,"count":9223372036854775807,"current":1,"total_pages":9223372036854775807,"start_index":1,"end_index":2},"results":[{"pk":"a"},{"pk":"b"}]}`),
			},
			wantErr: "page 1 says the next page is 9223372036854775807, not 2",
			wantIs:  ErrBadPagination,
		},
		{
			name: "last page before total_pages",
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":0,"previous":0,"count":6,"current":1,"total_pages":3,"start_index":1,"end_index":2},"results":[{"pk":"a"},{"pk":"b"}]}`),
			},
			wantErr: "page 1 of 3 says there is no next page",
			wantIs:  ErrBadPagination,
		},
		{
			name: "another page than asked for",
			pages: map[int][]byte{
				1: pages[1],
				2: pages[3],
			},
			wantItems: want[:2],
			wantErr:   "page 2 was asked for, the server answered with page 3",
			wantIs:    ErrBadPagination,
		},
		{
			name: "results do not match the indices",
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":2,"previous":0,"count":6,"current":1,"total_pages":3,"start_index":1,"end_index":2},"results":[{"pk":"a"},{"pk":"b"},{"pk":"c"}]}`),
			},
			wantErr: "page 1 holds 3 results, but says they are 1 to 2",
			wantIs:  ErrBadPagination,
		},
		{
			name: "more results than the count",
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":2},"results":[{"pk":"a"},{"pk":"b"}]}`),
			},
			wantErr: "page 1 holds 2 results, more than the count of 1",
			wantIs:  ErrBadPagination,
		},
		{
			name: "a next page after the last result",
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":2,"previous":0,"count":2,"current":1,"start_index":1,"end_index":2},"results":[{"pk":"a"},{"pk":"b"}]}`),
			},
			wantErr: "page 1 ends at result 2 of 2 but says there is a next page",
			wantIs:  ErrBadPagination,
		},
		{
			name: "more results than page_size",
			opts: &EmailStageListOptions{ListOptions: ListOptions{PageSize: 1}},
			pages: map[int][]byte{
				1: []byte(`{"pagination":{"next":0,"previous":0,"count":2,"current":1,"total_pages":1,"start_index":1,"end_index":2},"results":[{"pk":"a"},{"pk":"b"}]}`),
			},
			wantErr: "page 1 holds 2 results, more than the page_size of 1 asked for",
			wantIs:  ErrBadPagination,
		},
		{
			name:    "no pagination",
			pages:   map[int][]byte{1: []byte(`{"results":[{"pk":"a"}]}`)},
			wantErr: `no "pagination" object`,
		},
		{
			name:    "no results",
			pages:   map[int][]byte{1: []byte(`{"detail":"Not authenticated"}`)},
			wantErr: `no "pagination" object`,
		},
		{
			name:    "malformed page",
			pages:   map[int][]byte{1: []byte(`{"pagination":`)},
			wantErr: "unexpected end of JSON input",
		},
	}
	for _, tt := range tests {
		for _, prefetch := range []int{0, 4} {
			t.Run(fmt.Sprintf("%s prefetch %d", tt.name, prefetch), func(t *testing.T) {
				t.Parallel()
				c, mt := newMockClient(t, WithPrefetch(prefetch), WithRetryMax(0))
				srv := &pagedServer{t: t, pages: tt.pages}
				mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
				var items []EmailStage
				var errs []error
				for s, err := range c.EmailStages.All(context.Background(), tt.opts) {
					if err != nil {
						if !reflect.DeepEqual(s, EmailStage{}) {
							t.Errorf("error yielded with a non-zero item %+v", s)
						}
						errs = append(errs, err)
						continue // the walk must end by itself
					}
					items = append(items, s)
				}
				if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.wantErr) {
					t.Fatalf("errors = %v, want one containing %q", errs, tt.wantErr)
				}
				if tt.wantIs != nil && !errors.Is(errs[0], tt.wantIs) {
					t.Errorf("errors.Is(%v, %v) = false", errs[0], tt.wantIs)
				}
				if !reflect.DeepEqual(items, tt.wantItems) {
					t.Errorf("items = %d, want %d", len(items), len(tt.wantItems))
				}
			})
		}
	}
}

// TestAllEmptyPageWithNext: an empty page whose next is set does not end the walk.
func TestAllEmptyPageWithNext(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	want := wantEmail2026
	srv := &pagedServer{t: t, pages: map[int][]byte{
		1: pageJSON(t, want[:1], 1, 3, 3, 1),
		// Authentik counts, then slices: an item deleted in between leaves page 2 empty.
		2: []byte(`{"pagination":{"next":3,"previous":1,"count":3,"current":2,"total_pages":3,"start_index":0,"end_index":0},"results":[]}`),
		3: pageJSON(t, want[1:2], 3, 3, 3, 1),
	}}
	mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
	got, errs := collect(c.EmailStages.All(context.Background(), nil))
	if len(errs) != 0 || !reflect.DeepEqual(got, want[:2]) {
		t.Fatalf("got %v, %v", got, errs)
	}
}

// TestAllStartsAtOptsPage walks from opts.Page onwards.
func TestAllStartsAtOptsPage(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithPrefetch(0))
	pages, want := emailPages(t, 9, 3)
	srv := &pagedServer{t: t, pages: pages}
	mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
	got, errs := collect(c.EmailStages.All(context.Background(), &EmailStageListOptions{ListOptions: ListOptions{Page: 2}}))
	if len(errs) != 0 || !reflect.DeepEqual(got, want[3:]) {
		t.Fatalf("got %d items, %v", len(got), errs)
	}
	if q := srv.log.queries(); !reflect.DeepEqual(q, []string{"page=2", "page=3"}) {
		t.Errorf("queries = %q", q)
	}
}

// TestAllTotalChangesMidWalk: the walker follows next when the server's total
// changes under a prefetching walk (pages guessed from total_pages are dropped).
func TestAllTotalChangesMidWalk(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		pages map[int][]byte
		want  []EmailStage
	}{
		{"shrinks", map[int][]byte{
			1: pageJSON(t, wantEmail2026[:1], 1, 3, 3, 1),
			2: pageJSON(t, wantEmail2026[1:2], 2, 2, 2, 1), // page 3 vanished
			3: []byte(`{"pagination":{"next":0}, "results":[{"name":"must not be yielded"}]}`),
		}, wantEmail2026[:2]},
		{"grows", map[int][]byte{
			1: pageJSON(t, wantEmail2026[:1], 1, 2, 2, 1),
			2: pageJSON(t, wantEmail2026[1:2], 2, 3, 3, 1), // a page was added
			3: pageJSON(t, wantEmail2026[2:3], 3, 3, 3, 1),
		}, wantEmail2026},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithPrefetch(8))
			srv := &pagedServer{t: t, pages: tt.pages}
			mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
			got, errs := collect(c.EmailStages.All(context.Background(), nil))
			if len(errs) != 0 || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v", got, errs)
			}
		})
	}
}

// TestAllContextCancelled: a cancelled context ends the walk with its error.
func TestAllContextCancelled(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	pages, _ := emailPages(t, 10, 2)
	srv := &pagedServer{t: t, pages: pages}
	mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n int
	var last error
	for _, err := range c.EmailStages.All(ctx, nil) {
		if err != nil {
			last = err
			continue
		}
		n++
		if n == 2 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("last error = %v, want context.Canceled", last)
	}
	if n < 2 || n > 4 {
		t.Errorf("%d items before the walk ended", n)
	}
}

// TestAllConcurrentWalks: one client used by many goroutines (run with -race).
func TestAllConcurrentWalks(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithPrefetch(2))
	pages, want := emailPages(t, 15, 4)
	srv := &pagedServer{t: t, pages: pages}
	mt.RegisterResponder("GET", testAPI+"stages/email/", srv.responder())
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, errs := collect(c.EmailStages.All(context.Background(), nil))
			if len(errs) != 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("concurrent walk: %d items, %v", len(got), errs)
			}
		}()
	}
	wg.Wait()
	if n := srv.log.len(); n != 16*4 {
		t.Errorf("%d requests, want %d", n, 16*4)
	}
}

// TestAllFromPageLast: a raw query's page=last is the server's to resolve.
func TestAllFromPageLast(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(respond(t, nil, 200, pageJSON(t, []map[string]string{{"slug": "c"}}, 3, 3, 5, 2)))
	var got []string
	for f, err := range All[struct{ Slug string }](context.Background(), c, "flows/instances/", url.Values{"page": {"last"}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f.Slug)
	}
	if len(got) != 1 || got[0] != "c" {
		t.Errorf("walked %v", got)
	}
}
