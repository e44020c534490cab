#!/usr/bin/env bash
# Runs the benchmarks of ../BENCHMARKS.md (B1 walk, B2 decode, B3 heap, B4 writes) and prints
# the benchstat tables that file quotes. Usage, from anywhere:
#
#   bash bench/run.sh              # 6 rounds, raw output in bench/results.txt
#   ROUNDS=10 bash bench/run.sh
#   TABLES_ONLY=1 bash bench/run.sh # no rounds: the tables of the existing results.txt
#   TABLES_ONLY=1 OUT=results-earlier/before-wire-decode.txt bash bench/run.sh
#   BENCH='^Benchmark(Walk|Decode|Write)$' OUT=results-issue19/bench.txt bash bench/run.sh
#
# Each round is one `go test -bench ... -count 1` that runs every side once, so
# the sides are interleaved: a burst of load from another process on a shared
# machine hits all of them alike instead of one side's consecutive runs (which
# is what -count 6 in one go test would do). benchstat pools the rounds.
#
# It takes about 5 minutes on 2 cores (about 9 before commit 8102d05 made
# decoding cheaper): at 10 ms of latency one sequential walk is about 2.4 s. benchstat is installed at a pinned version into a temporary
# GOBIN; it is a tool, not a dependency of the module.
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-6}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da # golang.org/x/perf
OUT=${OUT:-results.txt}
BENCH=${BENCH:-'^Benchmark(Walk|Decode|DecodeAlternatives|ListBodySize|WalkHeap|Write)$'}

gobin=$(mktemp -d)
trap 'rm -rf "$gobin"' EXIT
GOBIN=$gobin GOFLAGS= go install "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION"
benchstat=$gobin/benchstat

if [ -z "${TABLES_ONLY:-}" ]; then
  : >"$OUT"
  for round in $(seq "$ROUNDS"); do
    echo "== round $round of $ROUNDS, load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)" >&2
    # Which library was measured (benchstat ignores this line: it has no colon).
    rev=$(git -C .. rev-parse --short HEAD 2>/dev/null || echo unknown)
    changed=$( (git -C .. status --porcelain -- . ':(exclude)bench' 2>/dev/null || true) | wc -l)
    echo "# round $round: library at commit $rev, $changed changed files outside bench/" >>"$OUT"
    go test -run '^$' -bench "$BENCH" -count 1 -timeout 60m | tee -a "$OUT"
  done
fi

table() { # title, benchstat arguments...
  echo
  echo "### $1"
  shift
  "$benchstat" "$@" "$OUT"
}
# Issue 19: each SDK side against its floor (the first column is the base).
table "B1: sequential walk, floor (floorWalk) vs All with WithPrefetch(0)" \
  -filter '.name:Walk /impl:(floor OR sdk-prefetch0)' -col /impl
table "B1: prefetch 8, floor (floorWalkPrefetch, 8 workers) vs All with WithPrefetch(8)" \
  -filter '.name:Walk /impl:(floor-prefetch8 OR sdk-prefetch8)' -col /impl
table "B2: decode one 100-item page, floor (json.Unmarshal into the mirror types) vs List" \
  -filter '.name:Decode /impl:(json-unmarshal-mirror OR sdk-list)' -col /impl
table "B4: create + patch + delete, floor (floorWrite) vs the SDK" -filter '.name:Write' -col /impl
# Context.
table "B1: every side (base: the sequential floor)" -filter '.name:Walk' -col /impl
table "B1: prefetch depth (base: sequential, WithPrefetch(0))" \
  -filter '.name:Walk /impl:(sdk-prefetch0 OR sdk-prefetch1 OR sdk-prefetch8)' -col /impl
table "B2: every side (base: the floor)" -filter '.name:Decode' -col /impl
if grep -q '^BenchmarkDecodeAlternatives' "$OUT"; then
  table "B2 alternatives (the decoding before and after 8102d05, and the proposals)" \
    -filter '.name:DecodeAlternatives' -col /impl
fi
if grep -q '^BenchmarkListBodySize' "$OUT"; then
  table "Read path: B2's page vs the same page padded (equal since 8102d05)" \
    -filter '.name:ListBodySize' -col /impl
fi
if grep -q '^BenchmarkWalkHeap' "$OUT"; then
  table "B3: peak heap of a walk" -filter '.name:WalkHeap' -col /items
fi
