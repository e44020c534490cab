#!/usr/bin/env python3
"""Per-round ratios of sec/op, SDK side over its floor, from one interleaved run
(each round's go test runs every side once, floor right before SDK in B1).
Usage: python3 ratios.py bench.txt"""
import re, statistics, sys
pairs = [  # (label, benchmark prefix, floor impl, sdk impl)
    ("B1 sequential, 0 ms", "BenchmarkWalk/latency=0ms/", "floor", "sdk-prefetch0"),
    ("B1 sequential, 10 ms", "BenchmarkWalk/latency=10ms/", "floor", "sdk-prefetch0"),
    ("B1 prefetch 8, 0 ms", "BenchmarkWalk/latency=0ms/", "floor-prefetch8", "sdk-prefetch8"),
    ("B1 prefetch 8, 10 ms", "BenchmarkWalk/latency=10ms/", "floor-prefetch8", "sdk-prefetch8"),
    ("B2 decode", "BenchmarkDecode/", "json-unmarshal-mirror", "sdk-list"),
    ("B4 create+patch+delete", "BenchmarkWrite/", "floor", "sdk"),
]
rounds, cur = [], None
for line in open(sys.argv[1]):
    if line.startswith("# round"):
        cur = {}
        rounds.append(cur)
        continue
    m = re.match(r"(Benchmark\S+?)-\d+\s+\d+\s+(\d+(?:\.\d+)?) ns/op", line)
    if m and cur is not None:
        cur[m.group(1)] = float(m.group(2))
print(f"{'pair':26} {'rounds':>6} {'median':>7} {'min':>6} {'max':>6}  per round")
for label, prefix, floor, sdk in pairs:
    rs = [r[prefix + "impl=" + sdk] / r[prefix + "impl=" + floor] for r in rounds
          if prefix + "impl=" + sdk in r and prefix + "impl=" + floor in r]
    print(f"{label:26} {len(rs):6} {statistics.median(rs):7.3f} {min(rs):6.3f} {max(rs):6.3f}  " +
          " ".join(f"{x:.3f}" for x in rs))
