// Package bench measures the authentik SDK's list walk, decoding and writes
// against hand-written net/http + encoding/json code doing the same work. It is a
// nested module so that its benchmarks never slow the library's own test run;
// everything lives in _test files. See ../BENCHMARKS.md for the commands and the
// results.
//
// Since issue 19 each benchmark's ratio is taken against a floor: the least a
// careful hand-written caller does for the same requests (floor_test.go),
// decoding into method-free mirror types with the SDK's fields
// (server_test.go). Tests check that each floor and its SDK side send the same
// requests and get the same stages.
//
//   - BenchmarkWalk (B1): 200 pages of 100 email stages from a loopback server,
//     with 0 and 10 ms of injected latency per request: the SDK's All at prefetch
//     0, 1 and 8; floors: floorWalk (sequential, each body read into one buffer
//     of Content-Length + 512 bytes) for prefetch 0, floorWalkPrefetch (8
//     workers, in order) for prefetch 8.
//   - BenchmarkDecode (B2): one 100-item page: the SDK's List over an in-memory
//     transport against the floor, json.Unmarshal of the same bytes into the
//     mirror types. BenchmarkDecodeAlternatives compares the decoding before and
//     after commit 8102d05 (wire types) with the proposals it came from.
//   - TestWalkHeapIsFlat and BenchmarkWalkHeap (B3): the peak heap of walks of
//     10k and 100k items.
//   - BenchmarkWrite (B4): create + patch + delete of an email stage against a
//     loopback server: EmailStages.Create, Patch and Delete against floorWrite.
package bench
