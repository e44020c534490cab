package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
)

// sink keeps the consumers' work observable.
var sink int

// handwrittenWalk is the baseline issue 5 named: what a caller writes without
// the SDK and without care for allocations. One GET per page with the bearer
// token, the body read with io.ReadAll and decoded with json.Unmarshal into the
// SDK's own Page type, pagination.next followed until it is 0. each is called
// for every stage, in order. It is not a floor: io.ReadAll grows its buffer from
// 512 bytes, doubling and copying, to about twice a 114 KB body; floorWalk
// (floor_test.go) is the floor.
func handwrittenWalk(ctx context.Context, hc *http.Client, base string, each func(authentik.EmailStage)) error {
	for page := 1; ; {
		u := base + listPath + "?page=" + strconv.Itoa(page) + "&page_size=" + strconv.Itoa(pageSize)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+benchToken)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s: %s", u, resp.Status, body)
		}
		var p authentik.Page[authentik.EmailStage]
		if err := json.Unmarshal(body, &p); err != nil {
			return fmt.Errorf("GET %s: %w", u, err)
		}
		for _, s := range p.Results {
			each(s)
		}
		if p.Pagination.Next == 0 {
			return nil
		}
		page = p.Pagination.Next
	}
}

// sdkClient is the client every SDK side uses: prefetch n, and the transport tr
// through WithHTTPClient. With tr nil there is no WithHTTPClient, so the SDK
// picks its own transport: http.DefaultTransport, or, when prefetch+1 is more
// than its 2 idle connections per host, a clone of it that keeps prefetch+1
// (core.go newCore, since 8102d05).
func sdkClient(tb testing.TB, base string, prefetch int, tr http.RoundTripper) *authentik.Client {
	tb.Helper()
	opts := []authentik.Option{authentik.WithPrefetch(prefetch)}
	if tr != nil {
		opts = append(opts, authentik.WithHTTPClient(&http.Client{Transport: tr}))
	}
	c, err := authentik.NewClient(base, benchToken, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// listOpts asks for 100 items a page, as the hand-written loop does.
var listOpts = &authentik.EmailStageListOptions{ListOptions: authentik.ListOptions{PageSize: pageSize}}

// sdkWalk walks every stage with the SDK's All.
func sdkWalk(ctx context.Context, c *authentik.Client, each func(authentik.EmailStage)) error {
	for s, err := range c.EmailStages.All(ctx, listOpts) {
		if err != nil {
			return err
		}
		each(s)
	}
	return nil
}

// BenchmarkWalk is B1: one op walks 200 pages of 100 stages (20,000 items).
//
//	impl=floor                          issue 19's floor for the sequential walk
//	                                    (floorWalk): net/http, each body read into
//	                                    one buffer of Content-Length + 512 bytes,
//	                                    json.Unmarshal into the mirror types
//	impl=sdk-prefetch0                  All, WithPrefetch(0): strictly sequential
//	impl=floor-prefetch8                issue 19's floor for WithPrefetch(8)
//	                                    (floorWalkPrefetch): the same requests, 8
//	                                    workers, at most 8 pages ahead, in order
//	impl=sdk-prefetch8                  All, WithPrefetch(8)
//	impl=handwritten                    net/http, io.ReadAll, json.Unmarshal into
//	                                    the public types, sequential: the baseline
//	                                    issue 5 named (not a floor: io.ReadAll grows
//	                                    its buffer to about twice the body)
//	impl=sdk-prefetch1                  All, WithPrefetch(1): the SDK's default depth
//	impl=sdk-prefetch8-nohttpclient     All, WithPrefetch(8), no WithHTTPClient:
//	                                    the SDK's own transport, a clone of
//	                                    http.DefaultTransport keeping 16 idle
//	                                    conns per host
//	impl=sdk-prefetch8-defaulttransport All, WithPrefetch(8), WithHTTPClient on
//	                                    http.DefaultTransport itself: 2 idle conns
//	                                    per host, what a caller's own client on the
//	                                    default transport gets
//
// Each floor runs right before its SDK side, so that both see the same load. The
// other sides use their own clone of http.DefaultTransport with
// MaxIdleConnsPerHost 16 (tunedTransport), so they differ only in the code above
// the transport. requests/op and conns/op (connections accepted) are counted by
// the server.
//
// At 10 ms a sequential op takes about 2 s, so the default -benchtime runs one op
// per count there; see ../BENCHMARKS.md.
func BenchmarkWalk(b *testing.B) {
	const pages = 200
	want := pages * pageSize
	for _, latency := range []time.Duration{0, 10 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%dms", latency.Milliseconds()), func(b *testing.B) {
			srv := newPageServer(b, pages, pages, latency)
			run := func(b *testing.B, walk walkFunc) {
				ctx := context.Background()
				requests, conns := srv.requests.Load(), srv.conns.Load()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					n, err := walk(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if n != want {
						b.Fatalf("walked %d stages, want %d", n, want)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(srv.requests.Load()-requests)/float64(b.N), "requests/op")
				b.ReportMetric(float64(srv.conns.Load()-conns)/float64(b.N), "conns/op")
			}
			tuned := func(b *testing.B, walk func(hc *http.Client) walkFunc) {
				tr := tunedTransport()
				defer tr.CloseIdleConnections()
				run(b, walk(&http.Client{Transport: tr}))
			}
			sdk := func(prefetch int) func(b *testing.B) {
				return func(b *testing.B) {
					tr := tunedTransport()
					defer tr.CloseIdleConnections()
					run(b, sdkSide(sdkClient(b, srv.url, prefetch, tr)))
				}
			}

			b.Run("impl=floor", func(b *testing.B) {
				tuned(b, func(hc *http.Client) walkFunc { return floorSide(hc, srv.url, 0) })
			})
			b.Run("impl=sdk-prefetch0", sdk(0))
			b.Run("impl=floor-prefetch8", func(b *testing.B) {
				tuned(b, func(hc *http.Client) walkFunc { return floorSide(hc, srv.url, 8) })
			})
			b.Run("impl=sdk-prefetch8", sdk(8))
			b.Run("impl=handwritten", func(b *testing.B) {
				tuned(b, func(hc *http.Client) walkFunc { return handwrittenSide(hc, srv.url) })
			})
			b.Run("impl=sdk-prefetch1", sdk(1))
			// The SDK's own transport cannot be reached to close its idle
			// connections; they are closed with srv, at the end of this latency.
			b.Run("impl=sdk-prefetch8-nohttpclient", func(b *testing.B) {
				run(b, sdkSide(sdkClient(b, srv.url, 8, nil)))
			})
			b.Run("impl=sdk-prefetch8-defaulttransport", func(b *testing.B) {
				defer closeDefaultIdle()
				run(b, sdkSide(sdkClient(b, srv.url, 8, http.DefaultTransport)))
			})
		})
	}
}

// walkFunc is one side of B1: a whole walk, returning how many stages it saw.
type walkFunc func(ctx context.Context) (int, error)

// The sides of B1. Each consumer reads the pk of every stage, in order.

func sdkSide(c *authentik.Client) walkFunc {
	return func(ctx context.Context) (int, error) {
		n := 0
		err := sdkWalk(ctx, c, func(s authentik.EmailStage) { n++; sink += len(s.PK) })
		return n, err
	}
}

// floorSide is floorWalk (prefetch 0) or floorWalkPrefetch.
func floorSide(hc *http.Client, base string, prefetch int) walkFunc {
	return func(ctx context.Context) (int, error) {
		n := 0
		each := func(s *mirrorEmailStage) { n++; sink += len(s.PK) }
		var err error
		if prefetch == 0 {
			err = floorWalk(ctx, hc, base, each)
		} else {
			err = floorWalkPrefetch(ctx, hc, base, prefetch, each)
		}
		return n, err
	}
}

func handwrittenSide(hc *http.Client, base string) walkFunc {
	return func(ctx context.Context) (int, error) {
		n := 0
		err := handwrittenWalk(ctx, hc, base, func(s authentik.EmailStage) { n++; sink += len(s.PK) })
		return n, err
	}
}

// TestWalkSidesAgree: every side of B1 yields the same stages in the same order
// (the floors' mirror stages re-encoded and decoded into authentik.EmailStage),
// and the sequential floor sends the requests the sequential SDK walk sends
// (the same URLs, in the same order, with the same headers); the prefetching
// floor sends the same set of requests as the prefetching SDK.
func TestWalkSidesAgree(t *testing.T) {
	const pages = 7
	srv := newPageServer(t, pages, pages, 0)
	var mu sync.Mutex
	var seen []string
	srv.record = func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fmt.Sprintf("%s %s %v", r.Method, r.URL.RequestURI(), r.Header))
	}
	requests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = nil
		return out
	}
	ctx := context.Background()
	collect := func(walk func(each func(authentik.EmailStage)) error) []authentik.EmailStage {
		t.Helper()
		var got []authentik.EmailStage
		if err := walk(func(s authentik.EmailStage) { got = append(got, s) }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	collectFloor := func(walk func(each func(*mirrorEmailStage)) error) []authentik.EmailStage {
		t.Helper()
		var got []mirrorEmailStage
		if err := walk(func(s *mirrorEmailStage) { got = append(got, *s) }); err != nil {
			t.Fatal(err)
		}
		return asPublic(t, got)
	}
	tr := tunedTransport()
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}

	want := collect(func(each func(authentik.EmailStage)) error {
		return sdkWalk(ctx, sdkClient(t, srv.url, 0, tr), each)
	})
	sdkRequests := requests()
	if len(want) != pages*pageSize || len(sdkRequests) != pages {
		t.Fatalf("SDK walk: %d stages in %d requests, want %d in %d", len(want), len(sdkRequests), pages*pageSize, pages)
	}
	if len(want[0].FlowSet) != 1 || want[0].FlowSet[0].Background == "" || want[0].TokenExpiry == "" {
		t.Fatalf("the fixture is not the realistic shape: %+v", want[0])
	}

	floor := collectFloor(func(each func(*mirrorEmailStage)) error { return floorWalk(ctx, hc, srv.url, each) })
	if !reflect.DeepEqual(floor, want) {
		t.Error("the floor's walk differs from the SDK's")
	}
	if got := requests(); !reflect.DeepEqual(got, sdkRequests) {
		t.Errorf("the floor sent\n%s\nthe SDK sent\n%s", strings.Join(got, "\n"), strings.Join(sdkRequests, "\n"))
	}

	for _, workers := range []int{1, 3, 8, 20} {
		floor := collectFloor(func(each func(*mirrorEmailStage)) error {
			return floorWalkPrefetch(ctx, hc, srv.url, workers, each)
		})
		if !reflect.DeepEqual(floor, want) {
			t.Errorf("the floor's walk with %d workers differs from the SDK's", workers)
		}
		got := requests()
		sdkPrefetch := collect(func(each func(authentik.EmailStage)) error {
			return sdkWalk(ctx, sdkClient(t, srv.url, workers, tr), each)
		})
		if !reflect.DeepEqual(sdkPrefetch, want) {
			t.Errorf("the SDK's walk with prefetch %d differs from the sequential one", workers)
		}
		sdkGot := requests()
		slices.Sort(got)
		slices.Sort(sdkGot)
		if !reflect.DeepEqual(got, sdkGot) {
			t.Errorf("%d workers: the floor sent\n%s\nthe SDK with prefetch %d sent\n%s", workers, strings.Join(got, "\n"), workers, strings.Join(sdkGot, "\n"))
		}
	}

	hand := collect(func(each func(authentik.EmailStage)) error { return handwrittenWalk(ctx, hc, srv.url, each) })
	if !reflect.DeepEqual(hand, want) {
		t.Error("the hand-written baseline's walk differs from the SDK's")
	}
	requests()
	for _, prefetch := range []int{0, 1, 8} {
		for _, side := range []struct {
			name string
			rt   http.RoundTripper
		}{{"no WithHTTPClient", nil}, {"http.DefaultTransport", http.DefaultTransport}} {
			c := sdkClient(t, srv.url, prefetch, side.rt)
			got := collect(func(each func(authentik.EmailStage)) error { return sdkWalk(ctx, c, each) })
			if !reflect.DeepEqual(got, want) {
				t.Errorf("prefetch %d, transport %s: the SDK's walk differs (%d vs %d stages)", prefetch, side.name, len(got), len(want))
			}
		}
	}
	closeDefaultIdle()
}

// TestFloorPrefetchStopsOnError: the prefetching floor returns the first failed
// page's error after the pages before it, and leaves no goroutine behind
// (TestMain checks).
func TestFloorPrefetchStopsOnError(t *testing.T) {
	const pages, failing = 30, 12
	srv := newPageServer(t, pages, pages, time.Millisecond)
	srv.fail = failing
	tr := tunedTransport()
	defer tr.CloseIdleConnections()
	n := 0
	err := floorWalkPrefetch(context.Background(), &http.Client{Transport: tr}, srv.url, 8, func(*mirrorEmailStage) { n++ })
	if err == nil || !strings.Contains(err.Error(), "page="+strconv.Itoa(failing)+"&") {
		t.Fatalf("err = %v, want page %d's", err, failing)
	}
	if n != (failing-1)*pageSize {
		t.Errorf("yielded %d stages before the error, want %d", n, (failing-1)*pageSize)
	}
}

// asPublic turns mirror stages into the SDK's through JSON, field by field.
func asPublic(t *testing.T, ms []mirrorEmailStage) []authentik.EmailStage {
	t.Helper()
	b, err := json.Marshal(ms)
	if err != nil {
		t.Fatal(err)
	}
	var out []authentik.EmailStage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}
