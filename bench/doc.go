// Package bench measures the authentik SDK's list walk and decoding against
// hand-written net/http + encoding/json code doing the same work. It is a nested
// module so that its benchmarks never slow the library's own test run; everything
// lives in _test files. See ../BENCHMARKS.md for the commands and the results.
//
//   - BenchmarkWalk (B1): 200 pages of 100 email stages from a loopback server,
//     with 0 and 10 ms of injected latency per request: the SDK's All at prefetch
//     0, 1 and 8 against a hand-written sequential loop (the baseline).
//   - BenchmarkDecode (B2): one 100-item page: the SDK's List over an in-memory
//     transport against the same bytes decoded with plain json.Unmarshal.
//     BenchmarkDecodeAlternatives compares the decoding before and after commit
//     8102d05 (wire types) with the proposals it came from.
//   - TestWalkHeapIsFlat and BenchmarkWalkHeap (B3): the peak heap of walks of
//     10k and 100k items.
package bench
