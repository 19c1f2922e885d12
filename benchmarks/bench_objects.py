"""Building and reading a 100,000-item dict from Zig (py.Dict, std maps) against the Python way,
measured in the same run.

    python benchmarks/bench_objects.py [--quick] [--keep]

For each release mode (ReleaseFast, ReleaseSafe) in a fresh interpreter with that ``ZIG_RELEASEMODE``
and the run's own temporary zigimport cache, imports (so compiles) benchmarks/objects_bench.zig and
times with ``timeit`` (all reported, no targets):

 1. ``dict_from_lists(keys, values)`` (py.List items, py.Dict.set) vs ``dict(zip(keys, values))``,
    same int keys and values;
 2. ``squares(n)`` (keys and values made from Zig integers) vs ``{i: i * i for i in range(n)}``;
 3. ``string_map(n)`` (a ``std.array_hash_map.String(u64)`` with keys "k0".. formatted in Zig, returned
    as a dict) vs ``{f'k{i}': i for i in range(n)}`` (which formats its keys too);
 4. ``sum_values(d)`` (``d.items()`` and ``as(i64)``) vs ``sum(d.values())``.

Ratio = zig time / baseline time (below 1: Zig is faster), the median of per-repeat ratios of
interleaved blocks (see bench_calls.py, whose helpers this script uses).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_calls import Row, Samples, cli, fmt_time, interleaved, print_table, ratios, run_child, timer  # noqa: E402

ZIG_MODULE = "objects_bench"
MODES = ("ReleaseFast", "ReleaseSafe")
N = 100_000

# sample key -> (zigimport statement, baseline statement, what the baseline is)
MEASUREMENTS = {
    "from_lists": ("z.dict_from_lists(keys, values)", "dict(zip(keys, values))", "`dict(zip(keys, values))`"),
    "squares": ("z.squares(n)", "{i: i * i for i in range(n)}", "`{i: i * i for i in range(n)}`"),
    "string_map": ("z.string_map(n)", "{f'k{i}': i for i in range(n)}", "`{f'k{i}': i for i in range(n)}`"),
    "sum_values": ("z.sum_values(d)", "sum(d.values())", "`sum(d.values())`"),
}


def mode_rows(mode: str, s: Samples) -> list[Row]:
    rows: list[Row] = []
    for key, (zig_stmt, _, baseline) in MEASUREMENTS.items():
        r = ratios(s, f"{key}_zig", f"{key}_py")
        rows.append((f"`{zig_stmt.removeprefix('z.')}` vs {baseline} ({N:,} items)", mode, fmt_time(s[f"{key}_zig"]),
                     fmt_time(s[f"{key}_py"]) + " Python", f"{r:.3f}×", "report only"))
    return rows


def report(quick: bool, keep: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="zigimport-bench-"))
    rows: list[Row] = []
    repeats = 0
    try:
        for mode in MODES:
            print(f"measuring {mode} ...", file=sys.stderr, flush=True)
            result = run_child(__file__, mode, work, work / "cache", quick)
            rows += mode_rows(mode, result["samples"])
            repeats = result["repeats"]
            if keep:
                print(f"{mode}: {result['artifact']}", file=sys.stderr)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, {repeats} interleaved repeats per measurement; "
          "times per statement: median (min); ratio: zig / baseline, median of per-repeat ratios\n")
    print_table(rows)


def child_main(_c_dir: Path, quick: bool) -> None:
    """Import the module, check it computes what the baselines do, time everything, print one JSON line."""
    import importlib

    import zigimport  # noqa: F401  (installs the import hook)

    z: Any = importlib.import_module(ZIG_MODULE)
    keys, values = list(range(N)), [i * 3 for i in range(N)]
    d = dict(zip(keys, values))
    assert z.dict_from_lists(keys, values) == d
    assert z.squares(N) == {i: i * i for i in range(N)}
    assert z.string_map(N) == {f"k{i}": i for i in range(N)}
    assert z.sum_values(d) == sum(d.values())
    namespace = {"z": z, "keys": keys, "values": values, "d": d, "n": N}

    repeats, block = (5, 0.05) if quick else (15, 0.1)
    samples: Samples = {}
    for key, (zig_stmt, py_stmt, _) in MEASUREMENTS.items():
        samples |= interleaved({f"{key}_zig": timer(zig_stmt, **namespace), f"{key}_py": timer(py_stmt, **namespace)},
                               repeats, block)
    print(json.dumps({"samples": samples, "repeats": repeats, "artifact": z.__spec__.loader.artifact}))


def main() -> None:
    cli(__doc__, child_main, report)


if __name__ == "__main__":
    main()
