#!/usr/bin/env python3
"""Where the SDK's extra instructions go: per function, (I(N2) - I(N1)) / (N2 - N1)
for the floor and the SDK side, and the difference, from callgrind_annotate of the
four callgrind files callgrind.sh wrote.
Usage: python3 cgdiff.py DIR NAME N1 N2 [inclusive]   (NAME: b2, b4, b1-0ms)"""
import re, subprocess, sys
d, name, n1, n2 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
inclusive = len(sys.argv) > 5
def funcs(side, n):
    out = subprocess.run(["callgrind_annotate", "--inclusive=" + ("yes" if inclusive else "no"),
                          "--threshold=100", "--auto=no", f"{d}/callgrind.{name}-{side}.{n}"],
                         capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(?:\?\?\?|[^:]*):(.*?)(?: \[.*\])?$", line)
        if m:
            fn = re.sub(r"'\d+$", "", m.group(2).strip())
            res[fn] = res.get(fn, 0) + int(m.group(1).replace(",", ""))
    return res
per = {}
for side in ("floor", "sdk"):
    a, b = funcs(side, n1), funcs(side, n2)
    per[side] = {f: (b.get(f, 0) - a.get(f, 0)) / (n2 - n1) for f in set(a) | set(b)}
tot = {s: sum(v for v in per[s].values()) for s in per} if not inclusive else None
fs = set(per["floor"]) | set(per["sdk"])
rows = sorted(((per["sdk"].get(f, 0) - per["floor"].get(f, 0), per["floor"].get(f, 0), per["sdk"].get(f, 0), f) for f in fs), reverse=True)
print(f"{name}: instructions per op by function ({'inclusive' if inclusive else 'self'}), sdk - floor, largest first")
if tot:
    print(f"total self: floor {tot['floor']:.0f}, sdk {tot['sdk']:.0f}, diff {tot['sdk']-tot['floor']:.0f}")
print(f"{'sdk-floor':>10} {'floor':>10} {'sdk':>10}  function")
for diff, fl, sd, f in rows[:45]:
    print(f"{diff:10.0f} {fl:10.0f} {sd:10.0f}  {f}")
print("...")
for diff, fl, sd, f in rows[-8:]:
    print(f"{diff:10.0f} {fl:10.0f} {sd:10.0f}  {f}")
