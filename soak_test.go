package authentik

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The soak test: many walks of a 30-page collection through a loopback server
// that, per request and from a seeded random source, answers 429 with an
// hour-long Retry-After, 500/502/503/504, resets the connection, cuts a 200 body
// short mid-JSON, or stalls past the client's per-request timeout. Every walk
// must yield every item exactly once, in order, or end with one clear error;
// the requests must stay within the retry budget. Decisions hash (seed, walk,
// page, attempt), so a seed replays the same faults whatever the scheduling.
// AUTHENTIK_SOAK_SEED picks another seed.

type faultKind int

const (
	faultNone faultKind = iota
	fault429
	fault500
	fault502
	fault503
	fault504
	faultReset
	faultTruncate
	faultStall
	faultKinds
)

var faultNames = [...]string{"none", "429", "500", "502", "503", "504", "reset", "truncated", "stall"}

// faultWeights out of 1000: about 12% of requests fail.
var faultWeights = [...]int{880, 20, 15, 15, 15, 15, 15, 15, 10}

type soakServer struct {
	seed     int64
	pages    [][]byte
	mu       sync.Mutex
	attempts map[[2]int]int // (walk, page) -> requests so far
	resets   map[[2]int]int // (walk, page) -> connections reset
	faults   [faultKinds]atomic.Int64
	requests atomic.Int64
}

func (s *soakServer) decide(walk, page, attempt int) faultKind {
	h := fnv.New64a()
	var b [32]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(s.seed))
	binary.LittleEndian.PutUint64(b[8:], uint64(walk))
	binary.LittleEndian.PutUint64(b[16:], uint64(page))
	binary.LittleEndian.PutUint64(b[24:], uint64(attempt))
	_, _ = h.Write(b[:])
	n := rand.New(rand.NewSource(int64(h.Sum64()))).Intn(1000)
	for k, w := range faultWeights {
		if n < w {
			return faultKind(k)
		}
		n -= w
	}
	return faultNone
}

func (s *soakServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	walk, _ := strconv.Atoi(strings.TrimPrefix(r.Header.Get("User-Agent"), "soak/"))
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		page, _ = strconv.Atoi(p)
	}
	if page < 1 || page > len(s.pages) {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	s.mu.Lock()
	key := [2]int{walk, page}
	attempt := s.attempts[key]
	s.attempts[key]++
	s.mu.Unlock()

	kind := s.decide(walk, page, attempt)
	s.faults[kind].Add(1)
	if kind == faultReset {
		s.mu.Lock()
		s.resets[key]++
		s.mu.Unlock()
	}
	body := s.pages[page-1]
	switch kind {
	case fault429:
		w.Header().Set("Retry-After", "3600") // must be capped by the retry wait max
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"detail": "Request was throttled. Expected available in 3600 seconds."}`))
	case fault500, fault502, fault503, fault504:
		w.WriteHeader([...]int{fault500: 500, fault502: 502, fault503: 503, fault504: 504}[kind])
		_, _ = w.Write([]byte(`{"detail": "A server error occurred."}`))
	case faultReset:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close with RST, not FIN
			}
			conn.Close()
		}
	case faultTruncate:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		panic(http.ErrAbortHandler) // drop the connection mid-body
	case faultStall:
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

func TestSoak(t *testing.T) {
	const (
		pages    = 30
		pageSize = 10
		walks    = 500
		workers  = 8
	)
	seed := int64(20261122)
	if v := os.Getenv("AUTHENTIK_SOAK_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseInt(v, 10, 64); err != nil {
			t.Fatalf("AUTHENTIK_SOAK_SEED=%q: %v", v, err)
		}
	}
	var all []EmailStage
	srv := &soakServer{seed: seed, attempts: map[[2]int]int{}, resets: map[[2]int]int{}}
	for p := 1; p <= pages; p++ {
		var items []EmailStage
		for i := 0; i < pageSize; i++ {
			n := (p-1)*pageSize + i
			// Small items: the soak is about faults and bookkeeping, not decoding.
			items = append(items, EmailStage{PK: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Name: fmt.Sprintf("soak-%04d", n), FlowSet: []FlowSet{}})
		}
		all = append(all, items...)
		srv.pages = append(srv.pages, pageJSON(t, items, p, pages, pages*pageSize, pageSize))
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	type outcome struct {
		items    int
		err      error
		retryMax int
	}
	outcomes := make([]outcome, walks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				w := int(next.Add(1)) - 1
				if w >= walks {
					return
				}
				retryMax := 4
				if w%50 == 49 {
					retryMax = 0 // some walks without retries, so that the error path is walked too
				}
				c, err := NewClient(ts.URL, testToken, WithUserAgent(fmt.Sprintf("soak/%d", w)),
					WithRetryMax(retryMax), WithRetryWait(time.Millisecond, 4*time.Millisecond),
					WithTimeout(150*time.Millisecond), WithPrefetch([]int{0, 1, 4}[w%3]))
				if err != nil {
					t.Error(err)
					return
				}
				var got []EmailStage
				var errs []error
				for s, err := range c.EmailStages.All(context.Background(), &EmailStageListOptions{ListOptions: ListOptions{PageSize: pageSize}}) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					got = append(got, s)
				}
				switch {
				case len(errs) > 1:
					t.Errorf("seed %d walk %d: %d errors, want at most one: %v", seed, w, len(errs), errs)
				case len(errs) == 0 && !reflect.DeepEqual(got, all):
					t.Errorf("seed %d walk %d: %d items without an error, want all %d in order", seed, w, len(got), len(all))
				case len(errs) == 1 && len(got) > 0 && (len(got) > len(all) || !reflect.DeepEqual(got, all[:len(got)])):
					t.Errorf("seed %d walk %d: items before the error are not a prefix of the collection", seed, w)
				case len(errs) == 1 && !strings.Contains(errs[0].Error(), ts.URL+"/api/v3/stages/email/"):
					t.Errorf("seed %d walk %d: unclear error %q", seed, w, errs[0])
				}
				var err1 error
				if len(errs) > 0 {
					err1 = errs[0]
				}
				outcomes[w] = outcome{items: len(got), err: err1, retryMax: retryMax}
			}
		}()
	}
	wg.Wait()

	// The retry budget: each page a walk asked for costs at most 1+retryMax
	// requests, plus one for each connection reset: net/http itself replays an
	// idempotent request once when a reused keep-alive connection dies before
	// any response byte (Transport's shouldRetryRequest), below the SDK's retries.
	budget, firstTries := 0, 0
	srv.mu.Lock()
	for key, n := range srv.attempts {
		limit := 1 + outcomes[key[0]].retryMax + srv.resets[key]
		budget += limit
		firstTries++
		if n > limit {
			t.Errorf("seed %d walk %d page %d: %d requests, over the budget of %d", seed, key[0], key[1], n, limit)
		}
	}
	srv.mu.Unlock()
	total := int(srv.requests.Load())
	if total > budget {
		t.Errorf("seed %d: %d requests, over the retry budget of %d", seed, total, budget)
	}

	complete, failedBare, failedRetried, bare, items := 0, 0, 0, 0, 0
	for _, o := range outcomes {
		items += o.items
		if o.retryMax == 0 {
			bare++
		}
		switch {
		case o.err == nil:
			complete++
		case o.retryMax == 0:
			failedBare++
		default:
			failedRetried++
		}
	}
	if complete < walks*9/10 {
		t.Errorf("seed %d: only %d of %d walks completed", seed, complete, walks)
	}
	var kinds []string
	for k := faultKind(1); k < faultKinds; k++ {
		kinds = append(kinds, fmt.Sprintf("%s=%d", faultNames[k], srv.faults[k].Load()))
		if srv.faults[k].Load() == 0 {
			t.Errorf("seed %d: no %s fault was injected", seed, faultNames[k])
		}
	}
	t.Logf("soak seed %d: %d walks of %d pages: %d complete; %d of the %d walks run without retries (by design, to walk the error path) "+
		"and %d of the others ended with one clear error", seed, walks, pages, complete, failedBare, bare, failedRetried)
	t.Logf("soak faults injected: %s", strings.Join(kinds, " "))
	t.Logf("soak requests: %d (%d first tries, %d retries), budget %d", total, firstTries, total-firstTries, budget)
	t.Logf("soak items yielded: %d", items)

	soakPagination(t)
}

// soakPagination walks servers whose pagination contradicts itself, each one
// many times at prefetch 0, 1 and 4: every walk must end by itself (the
// context's deadline is only a safety net, and reaching it fails the test)
// with exactly one error matching ErrBadPagination, after a bounded number of
// requests, having yielded no item twice.
func soakPagination(t *testing.T) {
	item := func(n int) string { return fmt.Sprintf(`{"pk":"00000000-0000-4000-8000-%012d","name":"p-%d"}`, n, n) }
	page := func(next, cur, total, count int, n int) string {
		var items []string
		for i := 0; i < n; i++ {
			items = append(items, item((cur-1)*2+i))
		}
		start, end := 0, 0
		if n > 0 {
			start, end = (cur-1)*2+1, (cur-1)*2+n
		}
		return fmt.Sprintf(`{"pagination":{"next":%d,"previous":%d,"count":%d,"current":%d,"total_pages":%d,"start_index":%d,"end_index":%d},"results":[%s]}`,
			next, cur-1, count, cur, total, start, end, strings.Join(items, ","))
	}
	scenarios := []struct {
		name string
		body func(p int) string
	}{
		{"always a next page", func(p int) string { return page(p+1, p, 3, 6, 2) }},
		{"always a next page, no totals", func(p int) string {
			return fmt.Sprintf(`{"pagination":{"next":%d,"current":%d},"results":[%s]}`, p+1, p, item(p))
		}},
		{"a collection that grows by a page per page", func(p int) string { return page(p+1, p, p+1, (p+1)*2, 2) }},
		{"next skips", func(p int) string { return page(p+2, p, 9, 18, 2) }},
		{"next stuck", func(p int) string { return page(p, p, 9, 18, 2) }},
		{"next past the end", func(p int) string { return page(p+1, p, min(p, 3), 6, 2) }},
		{"next near MaxInt", func(p int) string { return page(math.MaxInt, p, math.MaxInt, math.MaxInt, 2) }},
		{"last page too early", func(p int) string {
			if p == 2 {
				return page(0, p, 5, 10, 2)
			}
			return page(p+1, p, 5, 10, 2)
		}},
		{"another page than asked", func(p int) string { return page(p+2, p+1, 9, 18, 2) }},
		{"counts that do not add up", func(p int) string {
			return strings.Replace(page(p+1, p, 9, 18, 2), `"end_index":`, `"end_index":1`, 1)
		}},
	}
	const rounds = 20
	var requests atomic.Int64
	walks, ended := 0, 0
	for _, sc := range scenarios {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			p, err := strconv.Atoi(r.URL.Query().Get("page"))
			if err != nil {
				p = 1
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(sc.body(p)))
		}))
		for round := 0; round < rounds; round++ {
			c, err := NewClient(srv.URL, testToken, WithPrefetch([]int{0, 1, 4}[round%3]), WithRetryMax(0))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			before := requests.Load()
			seen := map[string]bool{}
			var errs []error
			for s, err := range c.EmailStages.All(ctx, nil) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if seen[s.PK] {
					t.Errorf("%s: item %s yielded twice", sc.name, s.PK)
				}
				seen[s.PK] = true
			}
			timedOut := ctx.Err() != nil
			cancel()
			walks++
			n := requests.Load() - before
			switch {
			case len(errs) != 1 || !errors.Is(errs[0], ErrBadPagination):
				t.Errorf("%s (round %d): errors %v, want exactly one matching ErrBadPagination", sc.name, round, errs)
			case timedOut:
				t.Errorf("%s (round %d): the walk ran until its context ended", sc.name, round)
			case n > 1100:
				t.Errorf("%s (round %d): %d requests before the walk ended", sc.name, round, n)
			default:
				ended++
			}
		}
		srv.Close()
	}
	t.Logf("soak pagination: %d scenarios, %d walks, %d ended with one ErrBadPagination, %d requests", len(scenarios), walks, ended, requests.Load())
}
