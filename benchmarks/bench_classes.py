"""Cost of a zigimport ``py.class`` (construction, a method call, field attributes) against a
hand-written C extension type and a pure-Python ``__slots__`` class, measured in the same run.

    python benchmarks/bench_classes.py [--quick] [--keep]

Builds the hand-written C extension benchmarks/c_baseline/counter_type.c (module ``c_counter``: a
static ``PyTypeObject`` with ``PyMemberDef`` ``T_LONGLONG`` members, ``tp_init`` through
``PyArg_ParseTupleAndKeywords`` and a ``METH_NOARGS`` ``bump``) with ``python -m ziglang cc -O2`` into
a temporary directory, then, for each release mode (ReleaseFast, ReleaseSafe, Debug) in a fresh
interpreter with that ``ZIG_RELEASEMODE`` and the run's own temporary zigimport cache, imports (so
compiles) benchmarks/classes_bench.zig and times with ``timeit`` statement strings (no lambda):

 1. ``Counter(start=1).bump()`` (construct with a keyword argument, one method call, dealloc):
    speed vs the Python class as python_time / zig_time (target >= 3.0x), and time vs the C type
    as zig_time / c_time (target <= 1.2x); both in ReleaseFast and ReleaseSafe, Debug is reported only;
 2. ``c.bump()`` on an existing instance: time vs C and vs Python (reported only);
 3. ``c.count`` (attribute get) and ``c.count = 5`` (attribute set): time vs the C member and the
    Python ``__slots__`` slot (reported only).

The Python class is ``class PyCounter: __slots__ = ("count", "step")`` with the same ``__init__`` and
``bump``.  Noise is handled as in bench_calls.py (whose helpers this script imports): the statements
compared are timed in interleaved blocks (the order rotates every repeat), each block runs >= 40 ms
(20 ms with --quick), and a ratio is the median of the per-repeat ratios.  Times are per statement,
timeit's loop included: median over repeats, with the minimum in parentheses.  If a baseline (C or
Python) is much slower in one mode's process than in the others, a "baseline drift" note says so.

``--keep`` keeps the build directory (C baseline and zigimport cache) and prints the binaries' paths,
e.g. for ``objdump -d``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_calls import (  # noqa: E402  (needs HERE on sys.path)
    Row,
    Samples,
    cli,
    fmt_time,
    interleaved,
    measure_and_report,
    ratios,
    timer,
    verdict,
)

C_SOURCE = HERE / "c_baseline" / "counter_type.c"
C_MODULE = "c_counter"
ZIG_MODULE = "classes_bench"
SPEEDUP_VS_PYTHON = 3.0  # Counter(start=1).bump(): python_time / zig_time at least this
TIME_VS_C = 1.2  # Counter(start=1).bump(): zig_time / c_time at most this

# The four measurements: sample-key prefix -> the timeit statement (Counter: the class, c: an instance).
STATEMENTS = {
    "new": "Counter(start=1).bump()",
    "bump": "c.bump()",
    "get": "c.count",
    "set": "c.count = 5",
}
IMPLS = ("zig", "c", "py")


class PyCounter:
    """The pure-Python baseline: the same class, written the fast Python way (``__slots__``)."""

    __slots__ = ("count", "step")

    def __init__(self, start: int = 0, step: int = 1) -> None:
        self.count = start
        self.step = step

    def bump(self) -> int:
        self.count += self.step
        return self.count


# ---- parent: build, run one child per mode, print the table ----


def construct_rows(mode: str, s: Samples) -> list[Row]:
    """`Counter(start=1).bump()`: the two targeted rows."""
    debug = mode == "Debug"
    stmt = f"`{STATEMENTS['new']}`"
    speed, c_speed = ratios(s, "new_py", "new_zig"), ratios(s, "new_py", "new_c")
    r = ratios(s, "new_zig", "new_c")
    return [
        (f"{stmt} speed vs Python `__slots__` class", mode, fmt_time(s["new_zig"]),
         f"{fmt_time(s['new_py'])} Python; C type's speed vs Python {c_speed:.3f}×", f"{speed:.3f}×",
         verdict(speed, None if debug else SPEEDUP_VS_PYTHON, higher_is_better=True)),
        (f"{stmt} time vs C type", mode, fmt_time(s["new_zig"]), fmt_time(s["new_c"]) + " C", f"{r:.3f}×",
         verdict(r, None if debug else TIME_VS_C)),
    ]


def report_rows(mode: str, s: Samples, key: str, what: str) -> list[Row]:
    """Time ratios zig / C and zig / Python for a report-only measurement."""
    stmt = f"`{STATEMENTS[key]}`{what}"
    r_c, r_py = ratios(s, f"{key}_zig", f"{key}_c"), ratios(s, f"{key}_zig", f"{key}_py")
    r_c_py = ratios(s, f"{key}_c", f"{key}_py")
    return [
        (f"{stmt} time vs C", mode, fmt_time(s[f"{key}_zig"]), fmt_time(s[f"{key}_c"]) + " C", f"{r_c:.3f}×",
         "report only"),
        (f"{stmt} time vs Python `__slots__`", mode, fmt_time(s[f"{key}_zig"]),
         f"{fmt_time(s[f'{key}_py'])} Python; C/Python {r_c_py:.3f}×", f"{r_py:.3f}×", "report only"),
    ]


def mode_rows(mode: str, s: Samples) -> list[Row]:
    """The table rows of one release mode."""
    return (construct_rows(mode, s) + report_rows(mode, s, "bump", " (existing instance)")
            + report_rows(mode, s, "get", " (attribute get)") + report_rows(mode, s, "set", " (attribute set)"))


def drift_baselines() -> dict[str, str]:
    """The C and Python baselines, by sample key, for bench_calls.baseline_drift."""
    return {f"{k}_{impl}": f"{'C' if impl == 'c' else 'Python'} {STATEMENTS[k]}" for k in STATEMENTS for impl in ("c", "py")}


def main() -> None:
    cli(__doc__, child_main, lambda quick, keep: measure_and_report(
        __file__, C_SOURCE, C_MODULE, mode_rows, drift_baselines(), quick, keep, "statement"))


# ---- child: one release mode, one interpreter ----


def check_same_behaviour(classes: dict[str, Any]) -> None:
    """The three classes must compute the same thing, or the comparison means nothing."""
    for impl, cls in classes.items():
        c = cls(start=1)
        got = [c.bump(), c.bump(), c.count, c.step]
        c.count = 5
        got += [c.count, cls(start=2, step=3).bump(), cls().bump()]
        assert got == [2, 3, 3, 1, 5, 5, 1], (impl, got)


def child_main(c_dir: Path, quick: bool) -> None:
    """Import both modules, time everything, print one JSON line on stdout."""
    import importlib

    import zigimport  # noqa: F401  (installs the import hook)

    sys.path.insert(0, str(c_dir))  # before benchmarks/, where c_baseline/ is only a source folder
    c_mod: Any = importlib.import_module(C_MODULE)
    z: Any = importlib.import_module(ZIG_MODULE)
    classes = {"zig": z.Counter, "c": c_mod.Counter, "py": PyCounter}
    check_same_behaviour(classes)

    repeats, block = (7, 0.02) if quick else (31, 0.04)
    samples: Samples = {}
    for key, stmt in STATEMENTS.items():
        # A fresh instance per measurement and implementation: `c` for bump/get/set, `Counter` for construction.
        samples |= interleaved({f"{key}_{impl}": timer(stmt, Counter=cls, c=cls(start=1)) for impl, cls in classes.items()},
                               repeats, block)
    print(json.dumps({"samples": samples, "repeats": repeats, "artifact": z.__spec__.loader.artifact}))


if __name__ == "__main__":
    main()
