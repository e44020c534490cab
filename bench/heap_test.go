package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/authentik-go/authentik"
)

// B3: walking more items must not take more memory. The SDK's walk holds at most
// the current page and the pages fetched ahead; if it accumulated items or page
// bodies, the peak heap of a 100k-item walk would be about ten times a 10k one's.

// heapPoolPages is how many different result arrays the B3 servers cycle
// through: small, so the server's own share of the heap (about 1 MB, the same
// for both walks) does not hide the client's.
const heapPoolPages = 10

// maxPeakRatio is the bound of TestWalkHeapIsFlat: peak(100k) <= 1.5 x peak(10k).
const maxPeakRatio = 1.5

// heapSizes are the two walks, in items; the race detector's slowdown shrinks
// them tenfold (raceEnabled is set by build tag in race_test.go).
func heapSizes() (small, large int) {
	if raceEnabled {
		return 1_000, 10_000
	}
	return 10_000, 100_000
}

// heapWalk walks every stage c serves with the SDK's All (default options:
// prefetch 1, http.DefaultTransport) and returns the largest HeapAlloc seen,
// sampled in the loop body after every page (every 100 items), starting from
// a collected heap. retain keeps every stage, as a leaky walk would; it exists to
// show that the measure catches accumulation.
func heapWalk(tb testing.TB, c *authentik.Client, want int, retain bool) (peak uint64) {
	tb.Helper()
	b, _ := tb.(*testing.B)
	if b != nil {
		b.StopTimer()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	peak = ms.HeapAlloc
	if b != nil {
		b.StartTimer()
	}
	var kept []authentik.EmailStage
	n := 0
	for s, err := range c.EmailStages.All(context.Background(), listOpts) {
		if err != nil {
			tb.Fatal(err)
		}
		n++
		sink += len(s.PK)
		if retain {
			kept = append(kept, s)
		}
		if n%pageSize == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	runtime.KeepAlive(kept)
	if n != want {
		tb.Fatalf("walked %d stages, want %d", n, want)
	}
	return peak
}

// heapClients starts one server per walk size, both before any measurement and
// sharing one pool of results, so the heap outside the client is the same
// during both walks.
func heapClients(tb testing.TB, sizes ...int) []*authentik.Client {
	tb.Helper()
	pool := resultPool(heapPoolPages)
	var clients []*authentik.Client
	for _, items := range sizes {
		srv := newPageServerFrom(tb, items/pageSize, pool, 0)
		c, err := authentik.NewClient(srv.url, benchToken) // the defaults: prefetch 1
		if err != nil {
			tb.Fatal(err)
		}
		clients = append(clients, c)
	}
	return clients
}

// peakRatio measures one walk of each size and returns both peaks.
func peakRatio(tb testing.TB, clients []*authentik.Client, small, large int, retain bool) (ps, pl uint64) {
	return heapWalk(tb, clients[0], small, retain), heapWalk(tb, clients[1], large, retain)
}

func mib(b uint64) string { return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20)) }

// TestWalkHeapIsFlat is B3's assertion: the peak heap of a 100k-item walk is at
// most 1.5x that of a 10k-item walk. A peak sampled after every page includes
// garbage not yet collected, so one pair of walks can be unlucky: the test
// measures up to three pairs and fails only if every pair breaks the bound. A
// walk that kept its items breaks it by far every time (see
// TestWalkHeapMeasureCatchesRetention).
func TestWalkHeapIsFlat(t *testing.T) {
	small, large := heapSizes()
	clients := heapClients(t, small, large)
	defer closeDefaultIdle()
	for attempt := 1; attempt <= 3; attempt++ {
		ps, pl := peakRatio(t, clients, small, large, false)
		ratio := float64(pl) / float64(ps)
		t.Logf("attempt %d: peak heap: %d items %s, %d items %s, ratio %.2f (bound %.1f)",
			attempt, small, mib(ps), large, mib(pl), ratio, maxPeakRatio)
		if ratio <= maxPeakRatio {
			return
		}
	}
	t.Errorf("the peak heap grows with the walk's length: more than %.1fx in three attempts", maxPeakRatio)
}

// TestWalkHeapMeasureCatchesRetention is the control of TestWalkHeapIsFlat: the
// same measure, on a walk whose loop keeps every stage, must see the growth.
func TestWalkHeapMeasureCatchesRetention(t *testing.T) {
	if testing.Short() {
		t.Skip("the control walk keeps every item")
	}
	small, large := heapSizes()
	clients := heapClients(t, small, large)
	defer closeDefaultIdle()
	ps, pl := peakRatio(t, clients, small, large, true)
	ratio := float64(pl) / float64(ps)
	t.Logf("retaining walk: peak heap: %d items %s, %d items %s, ratio %.2f", small, mib(ps), large, mib(pl), ratio)
	if ratio <= maxPeakRatio {
		t.Errorf("the measure did not catch a walk that keeps every item: ratio %.2f <= %.1f", ratio, maxPeakRatio)
	}
}

// BenchmarkWalkHeap is B3 as a benchmark: one op is one walk with the SDK's
// defaults, and peak-heap-bytes the largest HeapAlloc sampled after any page of
// any op of the run.
func BenchmarkWalkHeap(b *testing.B) {
	small, large := heapSizes()
	clients := heapClients(b, small, large)
	defer closeDefaultIdle()
	for i, items := range []int{small, large} {
		b.Run(fmt.Sprintf("items=%dk", items/1000), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			for j := 0; j < b.N; j++ {
				peak = max(peak, heapWalk(b, clients[i], items, false))
			}
			b.ReportMetric(float64(peak), "peak-heap-bytes")
		})
	}
}
