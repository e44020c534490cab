#!/usr/bin/env bash
# Cold-build timing, interleaved. Output: Go benchmark lines (ns/op = wall time of one go build ./...).
# Run bench/results-issue18/setup.sh first. method=seeded: fresh GOCACHE holding a copy of a std-only cache;
# method=empty: fresh empty GOCACHE (std compiled too; base = net/http+encoding/json only).
set -euo pipefail
cd /tmp/ct
ROUNDS=${ROUNDS:-5}
OUT=${OUT:-/work/main/bench/results-issue18/compile-time.txt}
echo "goos: linux"; echo "goarch: amd64"; echo "pkg: coldbuild"
one() { # name method dir
  local c; c=$(mktemp -d /tmp/ct/gc.XXXX)
  if [ "$2" = seeded ]; then cp -a /tmp/ct/stdcache/. "$c"/; fi
  sync
  local t0 t1; t0=$(date +%s%N)
  (cd "$3" && GOCACHE=$c go build ./...)
  t1=$(date +%s%N)
  rm -rf "$c"
  printf 'BenchmarkColdBuild/method=%s/pkg=%s \t1\t%d ns/op\n' "$2" "$1" $((t1 - t0))
}
for r in $(seq "$ROUNDS"); do
  echo "# round $r load $(cut -d' ' -f1-3 /proc/loadavg)"
  if (( r % 2 )); then o="sdk cg"; o3="base sdk cg"; else o="cg sdk"; o3="cg sdk base"; fi
  for p in $o; do one $p seeded $p; done
  for p in $o3; do one $p empty $p; done
done
