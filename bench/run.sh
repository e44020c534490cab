#!/usr/bin/env bash
# Runs the benchmarks of ../BENCHMARKS.md (B1 walk, B2 decode, B3 heap) and prints
# the benchstat tables that file quotes. Usage, from anywhere:
#
#   bash bench/run.sh              # 6 rounds, raw output in bench/results.txt
#   ROUNDS=10 bash bench/run.sh
#
# Each round is one `go test -bench ... -count 1` that runs every side once, so
# the sides are interleaved: a burst of load from another process on a shared
# machine hits all of them alike instead of one side's consecutive runs (which
# is what -count 6 in one go test would do). benchstat pools the rounds.
#
# It takes about 9 minutes on 2 cores: at 10 ms of latency one sequential walk
# is about 2.6 s. benchstat is installed at a pinned version into a temporary
# GOBIN; it is a tool, not a dependency of the module.
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-6}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da # golang.org/x/perf
OUT=${OUT:-results.txt}

gobin=$(mktemp -d)
trap 'rm -rf "$gobin"' EXIT
GOBIN=$gobin GOFLAGS= go install "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION"
benchstat=$gobin/benchstat

: >"$OUT"
for round in $(seq "$ROUNDS"); do
  echo "== round $round of $ROUNDS, load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)" >&2
  go test -run '^$' -bench '^Benchmark(Walk|Decode|DecodeAlternatives|ListBodySize|WalkHeap)$' \
    -count 1 -timeout 60m | tee -a "$OUT"
done

table() { # title, benchstat arguments...
  echo
  echo "### $1"
  shift
  "$benchstat" "$@" "$OUT"
}
table "B1: hand-written floors vs the sequential SDK walk" \
  -filter '.name:Walk /impl:(handwritten OR handwritten-sized OR sdk-prefetch0)' -col /impl
table "B1: prefetch depth (base: sequential, WithPrefetch(0))" \
  -filter '.name:Walk /impl:(sdk-prefetch0 OR sdk-prefetch1 OR sdk-prefetch8)' -col /impl
table "B1: prefetch 8 on a tuned transport vs http.DefaultTransport" \
  -filter '.name:Walk /impl:(sdk-prefetch8 OR sdk-prefetch8-defaulttransport)' -col /impl
table "B2: decode one 100-item page" -filter '.name:Decode' -col /impl
table "B2 alternatives (proposals for compat.go)" -filter '.name:DecodeAlternatives' -col /impl
table "Read path: a body that makes core.readBody reallocate vs one that does not" \
  -filter '.name:ListBodySize' -col /impl
table "B3: peak heap of a walk" -filter '.name:WalkHeap' -col /items
