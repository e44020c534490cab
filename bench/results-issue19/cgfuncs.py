#!/usr/bin/env python3
"""Inclusive instructions per op, (I(N2) - I(N1)) / (N2 - N1), of the functions
whose names match the given regexps, for the floor and the SDK side. Inclusive
costs are only meaningful for functions that do not block (a goroutine switch
charges the callee with other goroutines' work): the SDK's checks, encoders and
decoders, not Client.Do.
Usage: python3 cgfuncs.py DIR NAME N1 N2 REGEXP..."""
import re, subprocess, sys
d, name, n1, n2, pats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
def funcs(side, n):
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", "--auto=no",
                          f"{d}/callgrind.{name}-{side}.{n}"], capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?:(\S.*?)(?: \[.*\])?$", line)
        if m:
            fn = m.group(2).strip()
            if "'" in fn:  # a recursive entry: counted in its outermost one
                continue
            res[fn] = res.get(fn, 0) + int(m.group(1).replace(",", ""))
    return res
data = {s: (funcs(s, n1), funcs(s, n2)) for s in ("floor", "sdk")}
print(f"{name}: inclusive instructions per op")
print(f"{'floor':>10} {'sdk':>10}  function")
seen = set()
for p in pats:
    for f in sorted(set(data["floor"][1]) | set(data["sdk"][1])):
        if f in seen or not re.search(p, f):
            continue
        seen.add(f)
        v = {s: (data[s][1].get(f, 0) - data[s][0].get(f, 0)) / (n2 - n1) for s in data}
        print(f"{v['floor']:10.0f} {v['sdk']:10.0f}  {f}")
