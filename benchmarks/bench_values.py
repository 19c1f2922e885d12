"""Per-call cost of the conversions in docs/values.md, each against a Python baseline doing the same
work, measured in the same run (one ReleaseFast build, one interpreter).

    python benchmarks/bench_values.py [--quick]

Imports (so compiles) benchmarks/values_bench.zig into a temporary zigimport cache and times, with
``timeit`` in interleaved blocks (see bench_calls.py, whose helpers this uses):

 1. ``dt_fields(d)``: a datetime's 7 fields into Zig and a tuple back, vs Python reading the 7 attributes;
 2. ``dt_id(d)``: a naive datetime in and a new one out, vs ``datetime(d.year, ..., d.microsecond)``;
 3. ``ndim_of(t)``, ``t = a.T`` a transposed 1000x1000 float64 array: taking the N-d view (buffer
    export, format and stride checks, release), vs ``memoryview(t).ndim``;
    ``sum2(t)``: a Zig loop over it in index order (strided), vs ``numpy.sum(t)``;
 4. ``next_color(Color.red)``: an enum member in and out, vs a Python dict lookup;
 5. ``cmul(a, b)``: two complex in, one out, vs a Python function returning ``a * b``;
 6. ``path_len(p)`` on a pathlib.Path, vs ``len(os.fsencode(p))``;
 7. ``set_sum(s)`` on a set of 100 ints, vs ``sum(s)``.

Ratios are time zig / time baseline (below 1: zigimport is faster), the median of per-repeat ratios.
All are reported only: no targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_calls import fmt_time, interleaved, print_table, ratios, timer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter blocks")
    quick = parser.parse_args().quick
    work = Path(tempfile.mkdtemp(prefix="zigimport-bench-values-"))
    os.environ["ZIGIMPORT_CACHE_DIR"] = str(work)
    os.environ["ZIG_RELEASEMODE"] = "ReleaseFast"
    try:
        run(quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(quick: bool) -> None:
    import importlib

    import numpy as np

    import zigimport  # noqa: F401  (installs the import hook)

    z: Any = importlib.import_module("values_bench")
    d = dt.datetime(2024, 5, 17, 13, 45, 59, 123456)
    a = np.random.default_rng(0).random((1000, 1000))
    s = set(range(100))
    p = pathlib.Path("/usr/local/lib/python3/site-packages/something.py")
    nxt = {z.Color.red: z.Color.green, z.Color.green: z.Color.blue, z.Color.blue: z.Color.red}

    def py_fields(d: dt.datetime) -> tuple[int, ...]:
        return (d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond)

    def py_id(d: dt.datetime) -> dt.datetime:
        return dt.datetime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond)

    def py_mul(x: complex, y: complex) -> complex:
        return x * y

    assert z.dt_fields(d) == py_fields(d) and z.dt_id(d) == py_id(d) and abs(z.sum2(a.T) - a.sum()) < 1e-6
    assert z.cmul(1 + 2j, 3j) == py_mul(1 + 2j, 3j) and z.path_len(p) == len(os.fsencode(p)) and z.set_sum(s) == sum(s)
    repeats, block = (7, 0.02) if quick else (21, 0.04)
    cases = [  # (label, zig timer, baseline timer, baseline name)
        ("`dt_fields(d)`", timer("f(d)", f=z.dt_fields, d=d), timer("f(d)", f=py_fields, d=d), "Python: 7 attributes"),
        ("`dt_id(d)`", timer("f(d)", f=z.dt_id, d=d), timer("f(d)", f=py_id, d=d), "Python: datetime(d.year, ...)"),
        ("`ndim_of(a.T)` (taking the view)", timer("f(t)", f=z.ndim_of, t=a.T), timer("memoryview(t).ndim", t=a.T), "memoryview(t).ndim"),
        ("`sum2(a.T)` 1000x1000 strided", timer("f(t)", f=z.sum2, t=a.T), timer("f(t)", f=np.sum, t=a.T), "numpy.sum(a.T)"),
        ("`next_color(Color.red)`", timer("f(c)", f=z.next_color, c=z.Color.red), timer("m[c]", m=nxt, c=z.Color.red), "Python: dict lookup"),
        ("`cmul(a, b)`", timer("f(x, y)", f=z.cmul, x=1 + 2j, y=3 - 1j), timer("f(x, y)", f=py_mul, x=1 + 2j, y=3 - 1j), "Python: a * b in a def"),
        ("`path_len(p)` pathlib.Path", timer("f(p)", f=z.path_len, p=p), timer("len(fsencode(p))", fsencode=os.fsencode, p=p), "len(os.fsencode(p))"),
        ("`set_sum(s)` 100 ints", timer("f(s)", f=z.set_sum, s=s), timer("f(s)", f=sum, s=s), "sum(s)"),
    ]
    rows = []
    for label, zig, base, base_name in cases:
        samples = interleaved({"zig": zig, "base": base}, repeats, block)
        rows.append((label, "ReleaseFast", fmt_time(samples["zig"]), f"{fmt_time(samples['base'])} {base_name}",
                     f"{ratios(samples, 'zig', 'base'):.3f}×", "report only"))
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, {repeats} interleaved repeats; "
          "times per call: median (min); ratio: zig time / baseline time, median of per-repeat ratios\n")
    print_table(rows)


if __name__ == "__main__":
    main()
