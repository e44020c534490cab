#!/usr/bin/env bash
# Seeded-std cold builds, interleaved, wall and CPU (user+sys of go and its children).
# Run bench/results-issue18/setup.sh first.
set -euo pipefail
cd /tmp/ct
ROUNDS=${ROUNDS:-5}
echo "goos: linux"; echo "goarch: amd64"; echo "pkg: coldbuild-cpu"
for r in $(seq "$ROUNDS"); do
  echo "# round $r load $(cut -d' ' -f1-3 /proc/loadavg)"
  if (( r % 2 )); then o="sdk cg"; else o="cg sdk"; fi
  for p in $o; do
    c=$(mktemp -d /tmp/ct/gc.XXXX); cp -a /tmp/ct/stdcache/. "$c"/; sync
    (cd $p && GOCACHE=$c /usr/bin/time -f '%e %U %S' -o /tmp/ct/t.txt go build ./...)
    rm -rf "$c"
    read -r e u s < /tmp/ct/t.txt
    awk -v p=$p -v e=$e -v u=$u -v s=$s 'BEGIN{printf "BenchmarkColdBuildSeeded/pkg=%s \t1\t%.0f ns/op\t%.0f cpu-ns/op\n", p, e*1e9, (u+s)*1e9}'
  done
done
