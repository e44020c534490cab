package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
)

// sink keeps the consumers' work observable.
var sink int

// handwrittenWalk is B1's baseline, the issue's: what a careful caller writes
// without the SDK. One GET per page with the bearer token, the body read whole
// and decoded with json.Unmarshal into the SDK's own Page type, pagination.next
// followed until it is 0. each is called for every stage, in order. Decoding
// into the public types runs EmailStage.UnmarshalJSON once per item, which costs
// more than the SDK's own List path since 8102d05 (see BenchmarkDecode), so this
// is a baseline, not a floor.
func handwrittenWalk(ctx context.Context, hc *http.Client, base string, each func(authentik.EmailStage)) error {
	return handwrittenWalkRead(ctx, hc, base, readAll, each)
}

// readAll is the plain way: io.ReadAll.
func readAll(resp *http.Response) ([]byte, error) { return io.ReadAll(resp.Body) }

// readSized reads a body into one buffer of its Content-Length when it is
// known: the tighter hand-written baseline (io.ReadAll grows its buffer from 512
// bytes, doubling, so a 114 KB body costs about twice its size in allocations).
func readSized(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n > 0 {
		buf := make([]byte, n)
		_, err := io.ReadFull(resp.Body, buf)
		return buf, err
	}
	return io.ReadAll(resp.Body)
}

// handwrittenWalkRead is handwrittenWalk reading bodies with read.
func handwrittenWalkRead(ctx context.Context, hc *http.Client, base string, read func(*http.Response) ([]byte, error), each func(authentik.EmailStage)) error {
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
		body, err := read(resp)
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
//	impl=handwritten                    net/http, io.ReadAll, json.Unmarshal, sequential:
//	                                    the baseline the issue names
//	impl=handwritten-sized              the same reading each body into one buffer
//	                                    of its Content-Length: a tighter baseline
//	impl=sdk-prefetch0                  All, WithPrefetch(0): strictly sequential
//	impl=sdk-prefetch1                  All, WithPrefetch(1): the SDK's default depth
//	impl=sdk-prefetch8                  All, WithPrefetch(8)
//	impl=sdk-prefetch8-nohttpclient     All, WithPrefetch(8), no WithHTTPClient:
//	                                    the SDK's own transport, a clone of
//	                                    http.DefaultTransport keeping 9 idle
//	                                    conns per host
//	impl=sdk-prefetch8-defaulttransport All, WithPrefetch(8), WithHTTPClient on
//	                                    http.DefaultTransport itself: 2 idle conns
//	                                    per host. Before 8102d05 this was what the
//	                                    SDK used without WithHTTPClient; now it is
//	                                    what a caller's own client on the default
//	                                    transport gets
//
// The other sides use their own clone of http.DefaultTransport with
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
			run := func(b *testing.B, walk func(ctx context.Context, each func(authentik.EmailStage)) error) {
				ctx := context.Background()
				requests, conns := srv.requests.Load(), srv.conns.Load()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					n := 0
					err := walk(ctx, func(s authentik.EmailStage) {
						n++
						sink += len(s.PK)
					})
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

			b.Run("impl=handwritten", func(b *testing.B) {
				tr := tunedTransport()
				defer tr.CloseIdleConnections()
				hc := &http.Client{Transport: tr}
				run(b, func(ctx context.Context, each func(authentik.EmailStage)) error {
					return handwrittenWalk(ctx, hc, srv.url, each)
				})
			})
			b.Run("impl=handwritten-sized", func(b *testing.B) {
				tr := tunedTransport()
				defer tr.CloseIdleConnections()
				hc := &http.Client{Transport: tr}
				run(b, func(ctx context.Context, each func(authentik.EmailStage)) error {
					return handwrittenWalkRead(ctx, hc, srv.url, readSized, each)
				})
			})
			for _, prefetch := range []int{0, 1, 8} {
				b.Run(fmt.Sprintf("impl=sdk-prefetch%d", prefetch), func(b *testing.B) {
					tr := tunedTransport()
					defer tr.CloseIdleConnections()
					c := sdkClient(b, srv.url, prefetch, tr)
					run(b, func(ctx context.Context, each func(authentik.EmailStage)) error {
						return sdkWalk(ctx, c, each)
					})
				})
			}
			// The SDK's own transport cannot be reached to close its idle
			// connections; they are closed with srv, at the end of this latency.
			b.Run("impl=sdk-prefetch8-nohttpclient", func(b *testing.B) {
				c := sdkClient(b, srv.url, 8, nil)
				run(b, func(ctx context.Context, each func(authentik.EmailStage)) error {
					return sdkWalk(ctx, c, each)
				})
			})
			b.Run("impl=sdk-prefetch8-defaulttransport", func(b *testing.B) {
				defer closeDefaultIdle()
				c := sdkClient(b, srv.url, 8, http.DefaultTransport)
				run(b, func(ctx context.Context, each func(authentik.EmailStage)) error {
					return sdkWalk(ctx, c, each)
				})
			})
		})
	}
}

// TestWalkSidesAgree: the hand-written loop and the SDK at every depth and on
// every transport (tuned, the SDK's own, http.DefaultTransport) yield the same
// stages in the same order, so B1 compares equal work.
func TestWalkSidesAgree(t *testing.T) {
	const pages = 7
	srv := newPageServer(t, pages, pages, 0)
	ctx := context.Background()
	collect := func(walk func(ctx context.Context, each func(authentik.EmailStage)) error) []authentik.EmailStage {
		t.Helper()
		var got []authentik.EmailStage
		if err := walk(ctx, func(s authentik.EmailStage) { got = append(got, s) }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	tr := tunedTransport()
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	want := collect(func(ctx context.Context, each func(authentik.EmailStage)) error {
		return handwrittenWalk(ctx, hc, srv.url, each)
	})
	if len(want) != pages*pageSize {
		t.Fatalf("hand-written walk: %d stages, want %d", len(want), pages*pageSize)
	}
	if len(want[0].FlowSet) != 1 || want[0].FlowSet[0].Background == "" || want[0].TokenExpiry == "" {
		t.Fatalf("the fixture is not the realistic shape: %+v", want[0])
	}
	sized := collect(func(ctx context.Context, each func(authentik.EmailStage)) error {
		return handwrittenWalkRead(ctx, hc, srv.url, readSized, each)
	})
	if !reflect.DeepEqual(sized, want) {
		t.Error("the sized hand-written walk differs from the plain one")
	}
	for _, prefetch := range []int{0, 1, 8} {
		for _, side := range []struct {
			name string
			rt   http.RoundTripper
		}{{"tuned", tr}, {"no WithHTTPClient", nil}, {"http.DefaultTransport", http.DefaultTransport}} {
			c := sdkClient(t, srv.url, prefetch, side.rt)
			got := collect(func(ctx context.Context, each func(authentik.EmailStage)) error {
				return sdkWalk(ctx, c, each)
			})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("prefetch %d, transport %s: the SDK's walk differs from the hand-written one (%d vs %d stages)", prefetch, side.name, len(got), len(want))
			}
		}
	}
	closeDefaultIdle()
}
