#!/usr/bin/env bash
# Instructions per op of each side of B1 (0 ms), B2 and B4, under callgrind, with
# the GC off and one P: each benchmark is run at two -test.benchtime counts and
# (I(N2) - I(N1)) / (N2 - N1) is one op's instructions (the fixed costs of the
# process, the server's setup and testing's first b.N=1 run cancel out). Each
# -test.bench regexp names one benchmark, every level anchored.
#
# Needs GODEBUG=asyncpreemptoff=1 (set below) under callgrind; BENCH_NO_GOLEAK=1
# leaves out goleak's check at exit, whose retries vary between runs.
#
# Usage (from bench/ of the tree to measure): bash results-issue19/callgrind.sh OUTDIR
set -euo pipefail
out=${1:?outdir}
mkdir -p "$out"
go test -c -o "$out/bench.test" .
run() { # name regexp n
  local f="$out/callgrind.$1.$3"
  # asyncpreemptoff: callgrind asserts on the runtime's preemption signal (SIGURG).
  BENCH_NO_GOLEAK=1 GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$f" \
    "$out/bench.test" -test.run '^$' -test.bench "$2" -test.benchtime "$3x" -test.benchmem \
    >"$f.stdout" 2>"$f.stderr"
  local ir
  ir=$(grep -m1 '^summary:' "$f" | awk '{print $2}')
  echo "$1 N=$3 Ir=$ir"
}
per_op() { # name regexp n1 n2
  local a b
  a=$(run "$1" "$2" "$3" | sed 's/.*Ir=//')
  b=$(run "$1" "$2" "$4" | sed 's/.*Ir=//')
  echo "$1 N1=$3 Ir=$a N2=$4 Ir=$b per-op=$(( (b - a) / ($4 - $3) ))"
}
per_op b2-floor '^BenchmarkDecode$/^impl=json-unmarshal-mirror$' 50 250
per_op b2-sdk '^BenchmarkDecode$/^impl=sdk-list$' 50 250
per_op b4-floor '^BenchmarkWrite$/^impl=floor$' 50 250
per_op b4-sdk '^BenchmarkWrite$/^impl=sdk$' 50 250
# One B1 op is 200 pages (about 17 s under callgrind): 2 and 6 ops.
per_op b1-0ms-floor '^BenchmarkWalk$/^latency=0ms$/^impl=floor$' 2 6
per_op b1-0ms-sdk '^BenchmarkWalk$/^latency=0ms$/^impl=sdk-prefetch0$' 2 6
