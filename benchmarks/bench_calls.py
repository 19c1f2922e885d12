"""Per-call cost of zigimport's generated wrappers, each against a baseline measured in the same run.

    python benchmarks/bench_calls.py [--quick] [--keep]

Builds the hand-written C extension benchmarks/c_baseline/fastcall.c (module ``c_baseline``) with
``python -m ziglang cc -O2`` into a temporary directory, then, for each release mode (ReleaseFast,
ReleaseSafe, Debug) in a fresh interpreter with that ``ZIG_RELEASEMODE`` and the run's own temporary
zigimport cache, imports (so compiles) benchmarks/calls_bench.zig and times with ``timeit``:

 1. positional calls, each against the C function with the same METH_ flags (target <= 1.05x in
    ReleaseFast and ReleaseSafe; Debug is reported only): ``add(1, 2)`` (``add(a, b)``, whose
    parameters take keywords: METH_FASTCALL | METH_KEYWORDS) vs the C ``add_kw``, and ``add_po(1, 2)``
    (``add_po(a, b, /)``: plain METH_FASTCALL) vs the C ``add``; also ``add`` vs the C ``add`` (the
    difference is CPython's dispatch of the two flag sets, shown by C ``add_kw`` / C ``add``) and vs a
    pure-Python ``def add(a, b): return a + b``;
 2. ``add(1, b=2)`` vs ``add(1, 2)``: a keyword call to a plain-parameter function (target <= 1.5x), with
    the same ratio for the C ``add_kw`` (binding a, b by hand) as a reference, and vs C itself;
    ``clamp(0.5, hi=2.0)`` vs ``clamp(0.5)``: the same for the keyword-struct form;
 3. ``sum_args(1, 2, 3)`` (``*rest`` as ``py.Args``) and ``sum_kwargs(a=1, b=2)`` (``**kw`` as ``py.Kwargs``)
    vs the same in C (reported);
 4. ``mean(a)` on 10,000,000 float64 in a numpy array vs ``numpy.mean(a)``, as speed
    numpy_time / zig_time (target >= 0.9x in ReleaseFast and ReleaseSafe; Debug is reported only);
 5. ``shout(s)`` on a 1 KB ASCII str vs ``s.upper()`` (reported only).

Noise: the functions compared are timed in interleaved blocks (the order rotates every repeat), each
block runs long enough (>= 40 ms, or 20 ms with --quick), and a ratio is the median of the per-repeat
ratios, so a slow patch of time affects both sides of a ratio alike.  Times are per call, timeit's
loop included (what a Python caller pays): median over repeats, with the minimum in parentheses.
The baselines run in every mode's process; if one of them is much slower in one mode than in the
others, a "baseline drift" note under the table says so (the zigimport module slowed its neighbours).

``--keep`` keeps the build directory (C baseline and zigimport cache) and prints the binaries' paths,
e.g. for ``objdump -d``.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any, Callable

import tables  # beside this script: the result table every benchmark prints

HERE = Path(__file__).resolve().parent
C_SOURCE = HERE / "c_baseline" / "fastcall.c"
MODES = ("ReleaseFast", "ReleaseSafe", "Debug")
MEAN_SIZE = 10_000_000
SHOUT_TEXT = ("The quick brown fox jumps over the lazy dog. " * 24)[:1024]

Samples = dict[str, list[float]]  # name -> seconds per call, one value per repeat


# ---- parent: build, run one child per mode, print the table ----


def build_c_extension(source: Path, module: str, out_dir: Path) -> Path:
    """Compile `source` into out_dir/<module><EXT_SUFFIX> with zig cc -O2; return the binary's path."""
    out = out_dir / f"{module}{importlib.machinery.EXTENSION_SUFFIXES[0]}"
    # Linux: libpython's symbols are left undefined and resolve against the interpreter at load time.
    cmd = [sys.executable, "-m", "ziglang", "cc", "-shared", "-fPIC", "-O2", "-I", sysconfig.get_paths()["include"],
           str(source), "-o", str(out)]
    if sys.platform == "darwin":
        cmd[-2:-2] = ["-undefined", "dynamic_lookup"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"compiling the C baseline failed:\n{' '.join(cmd)}\n{done.stderr}")
    return out


def child_env(cache_dir: Path, mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_")) and k != "PYTHONDONTWRITEBYTECODE"}
    # ZIGIMPORT_STUBS=off: write nothing beside the source (no benchmarks/calls_bench.pyi).
    env.update(ZIG_RELEASEMODE=mode, ZIGIMPORT_CACHE_DIR=str(cache_dir), ZIGIMPORT_QUIET="1", ZIGIMPORT_STUBS="off")
    return env


def run_child(script: str, mode: str, c_dir: Path, cache_dir: Path, quick: bool) -> dict[str, Any]:
    """Measure one release mode by running `script --child` in a fresh interpreter; return its samples."""
    cmd = [sys.executable, str(Path(script).resolve()), "--child", "--c-dir", str(c_dir)] + (["--quick"] if quick else [])
    done = subprocess.run(cmd, env=child_env(cache_dir, mode), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {mode} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ratios(samples: Samples, num: str, den: str) -> float:
    """Median of the per-repeat ratios num/den (each repeat timed both sides back to back)."""
    return statistics.median(a / b for a, b in zip(samples[num], samples[den]))


def fmt_time(seconds: list[float]) -> str:
    med, low = statistics.median(seconds), min(seconds)
    if med >= 1e-4:
        return f"{med * 1e3:.2f} ms (min {low * 1e3:.2f})"
    return f"{med * 1e9:.1f} ns (min {low * 1e9:.1f})"


def verdict(value: float, target: float | None, higher_is_better: bool = False) -> str:
    """The target cell: '≤ 1.05×', with ' **missed**' when the value misses it."""
    if target is None:
        return "report only"
    ok = value >= target if higher_is_better else value <= target
    return f"{'≥' if higher_is_better else '≤'} {target:g}×" + ("" if ok else " **missed**")


Row = tuple[str, str, str, str, str, str]


def mode_rows(mode: str, s: Samples) -> list[Row]:
    """The table rows of one release mode."""
    rows: list[Row] = []
    add_target = None if mode == "Debug" else 1.05
    r = ratios(s, "add_zig", "add_kw_c")
    rows.append(("`add(1, 2)` time vs C `add_kw(1, 2)` (FASTCALL\|KEYWORDS)", mode, fmt_time(s["add_zig"]),
                 fmt_time(s["add_kw_c"]) + " C", f"{r:.3f}×", verdict(r, add_target)))
    r = ratios(s, "add_po_zig", "add_c")
    rows.append(("`add_po(1, 2)` time vs C `add(1, 2)` (FASTCALL)", mode, fmt_time(s["add_po_zig"]),
                 fmt_time(s["add_c"]) + " C", f"{r:.3f}×", verdict(r, add_target)))
    r, rc = ratios(s, "add_zig", "add_c"), ratios(s, "add_kw_c", "add_c")
    rows.append(("`add(1, 2)` time vs C `add(1, 2)` (FASTCALL)", mode, fmt_time(s["add_zig"]),
                 f"{fmt_time(s['add_c'])} C; C add_kw / C add: {rc:.3f}×", f"{r:.3f}×", "report only"))
    r = ratios(s, "add_zig", "add_py")
    rows.append(("`add(1, 2)` time vs Python `def`", mode, fmt_time(s["add_zig"]), fmt_time(s["add_py"]) + " Python",
                 f"{r:.3f}×", "report only"))
    rz, rc = ratios(s, "addkw_kw_zig", "addkw_pos_zig"), ratios(s, "addkw_kw_c", "addkw_pos_c")
    rows.append(("`add(1, b=2)` / `add(1, 2)`", mode,
                 f"kw {fmt_time(s['addkw_kw_zig'])}; pos {fmt_time(s['addkw_pos_zig'])}",
                 f"C add_kw: kw {fmt_time(s['addkw_kw_c'])}; pos {fmt_time(s['addkw_pos_c'])}; ratio {rc:.3f}×",
                 f"{rz:.3f}×", verdict(rz, 1.5)))
    r = ratios(s, "addkw_kw_zig", "addkw_kw_c")
    rows.append(("`add(1, b=2)` time vs C", mode, fmt_time(s["addkw_kw_zig"]), fmt_time(s["addkw_kw_c"]) + " C",
                 f"{r:.3f}×", "report only"))
    rz, rc = ratios(s, "clamp_kw_zig", "clamp_pos_zig"), ratios(s, "clamp_kw_c", "clamp_pos_c")
    rows.append(("`clamp(0.5, hi=2.0)` / `clamp(0.5)`", mode,
                 f"kw {fmt_time(s['clamp_kw_zig'])}; pos {fmt_time(s['clamp_pos_zig'])}",
                 f"C: kw {fmt_time(s['clamp_kw_c'])}; pos {fmt_time(s['clamp_pos_c'])}; ratio {rc:.3f}×",
                 f"{rz:.3f}×", verdict(rz, 1.5)))
    r = ratios(s, "clamp_kw_zig", "clamp_kw_c")
    rows.append(("`clamp(0.5, hi=2.0)` time vs C", mode, fmt_time(s["clamp_kw_zig"]), fmt_time(s["clamp_kw_c"]) + " C",
                 f"{r:.3f}×", "report only"))
    r = ratios(s, "total_zig", "total_c")
    rows.append(("`sum_args(1, 2, 3)` (`*args`) time vs C", mode, fmt_time(s["total_zig"]), fmt_time(s["total_c"]) + " C",
                 f"{r:.3f}×", "report only"))
    r = ratios(s, "kw_total_zig", "kw_total_c")
    rows.append(("`sum_kwargs(a=1, b=2)` (`**kwargs`) time vs C", mode, fmt_time(s["kw_total_zig"]),
                 fmt_time(s["kw_total_c"]) + " C", f"{r:.3f}×", "report only"))
    r = ratios(s, "mean_numpy", "mean_zig")  # speed: numpy time / zig time
    # Debug code is not vectorised (or optimised at all): its speed is reported, not held to a target.
    mean_target = None if mode == "Debug" else 0.9
    rows.append((f"`mean(a)` speed vs `numpy.mean` ({MEAN_SIZE:,} float64)", mode, fmt_time(s["mean_zig"]),
                 fmt_time(s["mean_numpy"]) + " numpy", f"{r:.3f}×", verdict(r, mean_target, higher_is_better=True)))
    r = ratios(s, "shout_zig", "shout_upper")
    rows.append(("`shout(s)` time vs `s.upper()` (1 KB ASCII)", mode, fmt_time(s["shout_zig"]),
                 fmt_time(s["shout_upper"]) + " str.upper", f"{r:.3f}×", "report only"))
    return rows


BASELINES = {"add_c": "C add(1, 2)", "add_kw_c": "C add_kw(1, 2)", "addkw_kw_c": "C add_kw(1, b=2)", "total_c": "C total(1, 2, 3)",
             "kw_total_c": "C kw_total(a=1, b=2)", "clamp_pos_c": "C clamp(0.5)", "clamp_kw_c": "C clamp(0.5, hi=2.0)",
             "add_py": "Python add(1, 2)", "mean_numpy": "numpy.mean(a)", "shout_upper": "s.upper()"}


def baseline_drift(by_mode: dict[str, Samples], baselines: dict[str, str], limit: float = 1.3) -> list[str]:
    """Warnings for baselines whose median differs between the modes' processes by more than `limit`x.

    The baselines are the same code in every mode, so a large difference means the zigimport module
    slowed down its neighbours in that process, and the ratios of that mode compare against a slowed baseline.
    """
    notes = []
    for key, label in baselines.items():
        medians = {mode: statistics.median(s[key]) for mode, s in by_mode.items()}
        slow, fast = max(medians, key=medians.__getitem__), min(medians, key=medians.__getitem__)
        if medians[slow] > limit * medians[fast]:
            notes.append(f"- baseline drift: {label} took {medians[slow] * 1e9:.1f} ns per call in the {slow} process "
                         f"vs {medians[fast] * 1e9:.1f} ns in {fast}: the {slow} module slowed other code in its process")
    return notes


def measure_and_report(script: str, c_source: Path, c_module: str, rows_of: Callable[[str, Samples], list[Row]],
                       baselines: dict[str, str], quick: bool, keep: bool, unit: str) -> None:
    """Build the C baseline, measure every mode in a child process of `script`, print the table and
    any baseline-drift notes.  `unit`: what one timing covers ("call", "statement")."""
    work = Path(tempfile.mkdtemp(prefix="zigimport-bench-"))
    rows: list[Row] = []
    by_mode: dict[str, Samples] = {}
    notes: list[str] = []
    repeats = 0
    try:
        notes.append(f"C baseline: {build_c_extension(c_source, c_module, work)}")
        for mode in MODES:
            print(f"measuring {mode} ...", file=sys.stderr, flush=True)
            result = run_child(script, mode, work, work / "cache", quick)
            by_mode[mode] = result["samples"]
            rows += rows_of(mode, result["samples"])
            notes.append(f"{mode}: {result['artifact']}")
            repeats = result["repeats"]
    finally:
        if keep:
            print("\n".join(["kept:"] + notes), file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, {repeats} interleaved repeats per measurement; "
          f"times per {unit}: median (min); ratio: median of per-repeat ratios\n")
    print_table(rows)
    drift = baseline_drift(by_mode, baselines)
    if drift:
        print("\n" + "\n".join(drift))


def print_table(rows: list[Row]) -> None:
    tables.print_markdown(("measurement", "mode", "zigimport", "baseline", "ratio", "target"), rows)


def cli(description: str | None, child: Callable[[Path, bool], None], report: Callable[[bool, bool], None]) -> None:
    """The command line of a benchmark script: `--child` measures one mode (run by measure_and_report),
    otherwise `report(quick, keep)` runs the whole benchmark."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter blocks")
    parser.add_argument("--keep", action="store_true", help="keep the build directory and print the binaries' paths")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--c-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.c_dir), args.quick)
    else:
        report(args.quick, args.keep)


def main() -> None:
    cli(__doc__, child_main, lambda quick, keep: measure_and_report(
        __file__, C_SOURCE, "c_baseline", mode_rows, BASELINES, quick, keep, "call"))


# ---- child: one release mode, one interpreter ----


def calibrate(timers: dict[str, Callable[[int], float]], block: float) -> int:
    """Calls per block so that the fastest function's block lasts at least `block` seconds."""
    number = 1
    while True:
        fastest = min(t(number) for t in timers.values())
        if fastest >= block:
            return number
        # Aim 20% past the target; at most x100 per step while the timings are still tiny.
        number = max(number + 1, int(number * min(100.0, 1.2 * block / max(fastest, 1e-9))))


def interleaved(timers: dict[str, Callable[[int], float]], repeats: int, block: float) -> Samples:
    """Seconds per call of each timer, one value per repeat, the timers' order rotating every repeat."""
    number = calibrate(timers, block)
    names = list(timers)
    out: Samples = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            out[name].append(timers[name](number) / number)
    return out


def timer(stmt: str, **namespace: Any) -> Callable[[int], float]:
    import timeit

    return timeit.Timer(stmt, globals=namespace).timeit


def child_main(c_dir: Path, quick: bool) -> None:
    """Import both modules, time everything, print one JSON line on stdout."""
    import importlib

    import numpy as np

    import zigimport  # noqa: F401  (installs the import hook)

    sys.path.insert(0, str(c_dir))  # before benchmarks/, where c_baseline/ is only a source folder
    c_baseline: Any = importlib.import_module("c_baseline")
    z: Any = importlib.import_module("calls_bench")

    def py_add(a: int, b: int) -> int:
        return a + b

    repeats, block = (7, 0.02) if quick else (31, 0.04)
    samples: Samples = {}
    samples |= interleaved({
        "add_zig": timer("f(1, 2)", f=z.add),
        "add_po_zig": timer("f(1, 2)", f=z.add_po),
        "add_c": timer("f(1, 2)", f=c_baseline.add),
        "add_kw_c": timer("f(1, 2)", f=c_baseline.add_kw),
        "add_py": timer("f(1, 2)", f=py_add),
    }, repeats, block)
    assert z.add(1, b=2) == c_baseline.add_kw(1, b=2) == 3
    samples |= interleaved({
        "addkw_kw_zig": timer("f(1, b=2)", f=z.add),
        "addkw_pos_zig": timer("f(1, 2)", f=z.add),
        "addkw_kw_c": timer("f(1, b=2)", f=c_baseline.add_kw),
        "addkw_pos_c": timer("f(1, 2)", f=c_baseline.add_kw),
    }, repeats, block)
    assert z.sum_args(1, 2, 3) == c_baseline.total(1, 2, 3) == 6
    assert z.sum_kwargs(a=1, b=2) == c_baseline.kw_total(a=1, b=2) == 3
    samples |= interleaved({
        "total_zig": timer("f(1, 2, 3)", f=z.sum_args),
        "total_c": timer("f(1, 2, 3)", f=c_baseline.total),
        "kw_total_zig": timer("f(a=1, b=2)", f=z.sum_kwargs),
        "kw_total_c": timer("f(a=1, b=2)", f=c_baseline.kw_total),
    }, repeats, block)
    samples |= interleaved({
        "clamp_kw_zig": timer("f(0.5, hi=2.0)", f=z.clamp),
        "clamp_pos_zig": timer("f(0.5)", f=z.clamp),
        "clamp_kw_c": timer("f(0.5, hi=2.0)", f=c_baseline.clamp),
        "clamp_pos_c": timer("f(0.5)", f=c_baseline.clamp),
    }, repeats, block)
    a = np.random.default_rng(0).random(MEAN_SIZE)
    assert abs(z.mean(a) - np.mean(a)) < 1e-9
    samples |= interleaved({
        "mean_zig": timer("f(a)", f=z.mean, a=a),
        "mean_numpy": timer("f(a)", f=np.mean, a=a),
    }, repeats, block)
    del a
    assert z.shout(SHOUT_TEXT) == SHOUT_TEXT.upper()
    samples |= interleaved({
        "shout_zig": timer("f(s)", f=z.shout, s=SHOUT_TEXT),
        "shout_upper": timer("s.upper()", s=SHOUT_TEXT),
    }, repeats, block)
    artifact = z.__spec__.loader.artifact
    print(json.dumps({"samples": samples, "repeats": repeats, "artifact": artifact}))


if __name__ == "__main__":
    main()
