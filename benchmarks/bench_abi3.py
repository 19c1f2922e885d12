"""What abi3 costs per call: the same module built against the stable ABI and version-specific, timed in one process.

    python benchmarks/bench_abi3.py [--quick]

examples/abi3_pkg/src/abi3demo/core.zig is copied twice into a temporary folder: ``specific_core.zig`` as it is
and ``abi3_core.zig`` with ``const zigimport_build = .{ .abi3 = true };`` (docs/wheels.md, "abi3").  A fresh
interpreter with ``ZIG_RELEASEMODE=ReleaseFast`` and the run's own zigimport cache imports (so compiles) both
and times each call on both modules in interleaved blocks (the order alternates every repeat; each block runs
>= 40 ms, 20 ms with --quick).  The table gives the time per call of each (median over repeats, timeit's loop
included) and the ratio abi3 / version-specific (the median of the per-repeat ratios).  Reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import tables  # beside this script: the result table every benchmark prints

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SOURCE = REPO / "examples" / "abi3_pkg" / "src" / "abi3demo" / "core.zig"

# (label, statement); `m` is the module, `v`, `w` Vec instances, `lst` a list of 10 ints, `arr` array('d') of 1000
CASES = [
    ("positional `add(1, 2)`", "m.add(1, 2)"),
    ("keyword `add(1, b=2)`", "m.add(1, b=2)"),
    ("keyword struct `clamp(0.5, hi=2.0)`", "m.clamp(0.5, hi=2.0)"),
    ("method `v.scaled(2.0)`", "v.scaled(2.0)"),
    ("property get `v.length`", "v.length"),
    ("field get `v.x`", "v.x"),
    ("`v == w` (`__eq__`)", "v == w"),
    ("construct `Vec(1.0, 2.0)`", "m.Vec(1.0, 2.0)"),
    ("list of 10 ints `sum_list(lst)`", "m.sum_list(lst)"),
    ("buffer `total(arr)` (1000 float64)", "m.total(arr)"),
]

CHILD = r"""
import array, json, statistics, sys, timeit
import zigimport
import specific_core, abi3_core
assert specific_core.__spec__.origin != abi3_core.__spec__.origin
cases, block, repeats = json.loads(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
def env(m):
    return {"m": m, "v": m.Vec(3.0, 4.0), "w": m.Vec(3.0, 4.0), "lst": list(range(10)), "arr": array.array("d", range(1000))}
out = {}
for label, stmt in cases:
    timers = {name: timeit.Timer(stmt, globals=env(m)) for name, m in (("specific", specific_core), ("abi3", abi3_core))}
    n, _ = timers["specific"].autorange()
    while timers["specific"].timeit(n) < block:
        n *= 2
    per = {"specific": [], "abi3": []}
    for r in range(repeats):
        order = ("specific", "abi3") if r % 2 == 0 else ("abi3", "specific")
        for name in order:
            per[name].append(timers[name].timeit(n) / n)
    ratios = [a / s for a, s in zip(per["abi3"], per["specific"])]
    out[label] = {"specific": statistics.median(per["specific"]), "abi3": statistics.median(per["abi3"]),
                  "ratio": statistics.median(ratios)}
print(json.dumps(out))
"""


def main() -> None:
    """Build both modules in a fresh interpreter, time them, print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="shorter blocks and fewer repeats")
    args = ap.parse_args()
    text = SOURCE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].startswith("//!"):
        head += 1  # the declaration goes after the module doc comment
    abi3_text = "".join(lines[:head]) + "const zigimport_build = .{ .abi3 = true };\n" + "".join(lines[head:])
    with tempfile.TemporaryDirectory(prefix="bench_abi3-") as tmp:
        folder = Path(tmp)
        (folder / "specific_core.zig").write_text(text, encoding="utf-8")
        (folder / "abi3_core.zig").write_text(abi3_text, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_"))}
        env.update(ZIG_RELEASEMODE="ReleaseFast", ZIGIMPORT_CACHE_DIR=str(folder / "cache"), ZIGIMPORT_QUIET="1",
                   PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        block, repeats = (0.02, 7) if args.quick else (0.04, 15)
        proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(CASES), str(block), str(repeats)], cwd=folder,
                              env=env, capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            raise SystemExit(f"the timing process failed:\n{proc.stderr}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"CPython {sys.version_info[0]}.{sys.version_info[1]}, ReleaseFast; abi3 minimum 3.11; "
          f"ns per call, median of {repeats} repeats")
    tables.print_markdown(
        ["call", "version-specific", "abi3", "abi3 / specific"],
        [[label, f"{r['specific'] * 1e9:.1f}", f"{r['abi3'] * 1e9:.1f}", f"{r['ratio']:.2f}x"] for label, r in result.items()],
    )


if __name__ == "__main__":
    main()
