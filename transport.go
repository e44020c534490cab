package authentik

import (
	"math/bits"
	"net/http"
	"sync"
)

// Clients made without WithHTTPClient share transports: a transport owns a pool
// of idle connections (and two goroutines for each), so one per client would
// leave them piling up while clients are created and dropped (measured: 50
// clients at prefetch 8, about 400 idle connections and 1,200 goroutines for
// 90 s). Deep prefetching needs more idle connections per host than
// http.DefaultTransport keeps (2): without them most prefetched requests open a
// new connection (1.12x slower at prefetch 8 on loopback, bench/HISTORY.md). So
// the pool size is rounded up to a power of two and each size has one shared
// clone of http.DefaultTransport: a handful of transports for the whole process.
var sharedTransports struct {
	sync.Mutex
	bySize map[int]*http.Transport
}

// sharedTransport is the transport for a client that prefetches this deep.
func sharedTransport(prefetch int) http.RoundTripper {
	dt, ok := http.DefaultTransport.(*http.Transport)
	need := prefetch + 1
	if !ok || need <= max(dt.MaxIdleConnsPerHost, http.DefaultMaxIdleConnsPerHost) {
		return http.DefaultTransport
	}
	size := need
	if size < 1<<20 {
		size = 1 << bits.Len(uint(need-1)) // the next power of two
	}
	sharedTransports.Lock()
	defer sharedTransports.Unlock()
	if tr := sharedTransports.bySize[size]; tr != nil {
		return tr
	}
	if sharedTransports.bySize == nil {
		sharedTransports.bySize = make(map[int]*http.Transport)
	}
	tr := dt.Clone()
	tr.MaxIdleConnsPerHost = size
	sharedTransports.bySize[size] = tr
	return tr
}
