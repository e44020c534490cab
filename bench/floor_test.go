package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/authentik-go/authentik"
)

// Issue 19's floors: the least a careful hand-written net/http + encoding/json
// caller does for the same work as the SDK, sending the same requests (the same
// URLs, headers and bodies; TestWalkSidesAgree and TestWriteSidesAgree compare
// what the server receives) and decoding the answers into the mirror types of
// server_test.go (the SDK's fields and tags, no methods). Each floor checks the
// status code and nothing else.

// sdkUserAgent is the SDK's default User-Agent (version.go), which the floors
// send too.
const sdkUserAgent = "authentik-go/" + authentik.Version + " (+github.com/authentik-go/authentik)"

// floorHeaders sets what the SDK sends on every request (its authTransport adds
// the Authorization header); Content-Type when there is a body.
func floorHeaders(req *http.Request, hasBody bool) {
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", sdkUserAgent)
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
}

// readFloor reads a body as the SDK's readBody does (../core.go): when the
// Content-Length is known, into one buffer of Content-Length + 512 bytes
// (bytes.MinRead, room for the read that sees EOF), allocated once; io.ReadAll
// instead starts at 512 bytes and grows, copying, to about twice the body.
func readFloor(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n < 0 {
		return io.ReadAll(resp.Body)
	}
	buf := make([]byte, 0, n+bytes.MinRead)
	for {
		if len(buf) == cap(buf) { // longer than announced: grow
			buf = append(buf, 0)[:len(buf)]
		}
		m, err := resp.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// pageURL is the URL the SDK's All asks for page n (n == 1: the first request of
// a walk without a start page, which names no page; url.Values.Encode sorts
// page before page_size).
func pageURL(base string, n int) string {
	if n == 1 {
		return base + listPath + "?page_size=" + strconv.Itoa(pageSize)
	}
	return base + listPath + "?page=" + strconv.Itoa(n) + "&page_size=" + strconv.Itoa(pageSize)
}

// floorGetPage fetches page n: GET, the body read as readFloor does,
// json.Unmarshal into the mirror page.
func floorGetPage(ctx context.Context, hc *http.Client, base string, n int) (*mirrorPage, error) {
	u := pageURL(base, n)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	floorHeaders(req, false)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := readFloor(resp)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, body)
	}
	var p mirrorPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	return &p, nil
}

// floorWalk is B1's floor for the sequential walk: one page after the other,
// following pagination.next until it is 0.
func floorWalk(ctx context.Context, hc *http.Client, base string, each func(*mirrorEmailStage)) error {
	for n := 1; ; {
		p, err := floorGetPage(ctx, hc, base, n)
		if err != nil {
			return err
		}
		for i := range p.Results {
			each(&p.Results[i])
		}
		if p.Pagination.Next == 0 {
			return nil
		}
		n = p.Pagination.Next
	}
}

// floorWalkPrefetch is B1's floor for WithPrefetch(workers): page 1 first (it
// says how many pages there are, as it tells the SDK's walker), then workers
// goroutines fetch pages 2..total_pages concurrently while the caller consumes
// them in order. At most workers pages are fetched or in flight and not yet
// taken by the consumer (the SDK's bound: a page taken frees a slot before its
// items are consumed). An error ends the walk and cancels what is in flight; no
// goroutine outlives it.
func floorWalkPrefetch(ctx context.Context, hc *http.Client, base string, workers int, each func(*mirrorEmailStage)) error {
	first, err := floorGetPage(ctx, hc, base, 1)
	if err != nil {
		return err
	}
	total := first.Pagination.TotalPages
	type result struct {
		p   *mirrorPage
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	results := make([]chan result, total+1) // results[n]: page n's, buffered: a worker never waits
	for n := 2; n <= total; n++ {
		results[n] = make(chan result, 1)
	}
	jobs := make(chan int)
	slots := make(chan struct{}, workers)
	wg.Add(1 + workers)
	go func() { // hands out pages as slots free up
		defer wg.Done()
		defer close(jobs)
		for n := 2; n <= total; n++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- n:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			defer wg.Done()
			for n := range jobs {
				p, err := floorGetPage(ctx, hc, base, n)
				results[n] <- result{p, err}
			}
		}()
	}
	for i := range first.Results {
		each(&first.Results[i])
	}
	for n := 2; n <= total; n++ {
		r := <-results[n]
		<-slots
		if r.err != nil {
			return r.err
		}
		for i := range r.p.Results {
			each(&r.p.Results[i])
		}
	}
	return nil
}
