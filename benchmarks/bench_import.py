"""Import-hook costs, each against a baseline measured in the same run.

    python benchmarks/bench_import.py [--quick]

Prints a table of medians:
 1. ``import zigimport`` over a bare interpreter start
 2. warm import of a cached module minus importing the same built .so directly (target <= 0.5 ms)
 3. a finder miss vs the stdlib PathFinder (target <= 1.3x)
 4. edit -> re-import of a small module per release mode (target <= 0.3 s in Debug)
 5. first import on empty caches (includes Zig building compiler_rt once per cache)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

MODULE = """\
const py = @import("zig_core");
pub fn add(a: i64, b: i64) i64 {
    return a + b + OFFSET;
}
const OFFSET: i64 = {offset};
comptime {
    py.module(@This());
}
"""


def python(code: str, cwd: Path, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout


def wall(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def timed_import(name: str, cwd: Path, env: dict[str, str], prelude: str = "import zigimport") -> float:
    """Seconds spent in `import name` in a fresh interpreter (after `prelude`)."""
    code = f"""\
        {prelude}
        import time
        t = time.perf_counter()
        import {name}
        print(time.perf_counter() - t)
        """
    return float(python(code, cwd, env))


def bench_import_cost(work: Path, env: dict[str, str], n: int) -> tuple[float, float]:
    bare, hooked = [], []
    for _ in range(n):  # interleaved, so drift affects both alike
        bare.append(wall([sys.executable, "-c", "pass"], work, env))
        hooked.append(wall([sys.executable, "-c", "import zigimport"], work, env))
    return statistics.median(bare), statistics.median(hooked)


def bench_warm_import(work: Path, env: dict[str, str], n: int) -> tuple[float, float]:
    (work / "warm_mod.zig").write_text(MODULE.replace("{offset}", "0"))
    python("import zigimport, warm_mod", work, env)  # build once
    artifact = python("import zigimport, warm_mod; print(warm_mod.__spec__.loader.artifact)", work, env).strip()
    direct = work / "direct"
    direct.mkdir(exist_ok=True)
    from importlib.machinery import EXTENSION_SUFFIXES

    shutil.copy(artifact, direct / f"warm_mod{EXTENSION_SUFFIXES[0]}")
    via_hook, via_so = [], []
    for _ in range(n):
        via_hook.append(timed_import("warm_mod", work, env))
        via_so.append(timed_import("warm_mod", direct, env))  # the .so found by Python's own PathFinder
    return statistics.median(via_hook), statistics.median(via_so)


def bench_finder_miss(work: Path, env: dict[str, str]) -> tuple[float, float]:
    out = python("""\
        import statistics, sys, timeit
        from importlib.machinery import PathFinder
        import zigimport
        finder = next(f for f in sys.meta_path if isinstance(f, zigimport.ZigFinder))
        def best(stmt):
            return statistics.median(timeit.repeat(stmt, repeat=15, number=2000)) / 2000
        print(best(lambda: finder.find_spec("no_such_module_xyz")), best(lambda: PathFinder.find_spec("no_such_module_xyz")), len(sys.path))
        """, work, env)
    ours, stdlib, _ = out.split()
    return float(ours), float(stdlib)


def bench_edit_reimport(work: Path, env: dict[str, str], mode: str, n: int) -> float:
    src = work / f"edit_{mode.lower()}.zig"
    src.write_text(MODULE.replace("{offset}", "0"))
    menv = {**env, "ZIG_RELEASEMODE": mode}
    python(f"import zigimport, {src.stem}", work, menv)
    times = []
    for i in range(1, n + 1):
        src.write_text(MODULE.replace("{offset}", str(i)))
        times.append(timed_import(src.stem, work, menv))
    return statistics.median(times)


def bench_first_import(work: Path, env: dict[str, str], n: int) -> float:
    times = []
    for i in range(n):
        fresh = Path(tempfile.mkdtemp(prefix="zigimport-empty-"))
        try:
            (work / f"first_{i}.zig").write_text(MODULE.replace("{offset}", str(i)))
            times.append(timed_import(f"first_{i}", work, {**env, "ZIGIMPORT_CACHE_DIR": str(fresh)}))
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    n = 7 if args.quick else 25

    work = Path(tempfile.mkdtemp(prefix="zigimport-bench-"))
    # Users' interpreters cache bytecode; a PYTHONDONTWRITEBYTECODE in this shell would time compiling our sources instead.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(ZIGIMPORT_CACHE_DIR=str(work / "cache"), ZIGIMPORT_QUIET="1")
    rows: list[tuple[str, str, str, str, str]] = []
    subprocess.run([sys.executable, "-c", "import zigimport.build"], env=env, check=True)  # write .pyc files once
    try:
        bare, hooked = bench_import_cost(work, env, n)
        rows.append(("1. `import zigimport` over bare start", f"{hooked * 1e3:.1f} ms", f"{bare * 1e3:.1f} ms",
                     f"+{(hooked - bare) * 1e3:.2f} ms", "—"))
        hook, direct = bench_warm_import(work, env, n)
        rows.append(("2. warm import of a cached module", f"{hook * 1e3:.3f} ms", f"{direct * 1e3:.3f} ms (.so directly)",
                     f"+{(hook - direct) * 1e3:.3f} ms", "≤ 0.5 ms"))
        ours, stdlib = bench_finder_miss(work, env)
        rows.append(("3. finder miss", f"{ours * 1e6:.2f} µs", f"{stdlib * 1e6:.2f} µs (PathFinder)", f"{ours / stdlib:.2f}×",
                     "≤ 1.3×"))
        for mode in ("Debug", "ReleaseSafe", "ReleaseFast"):
            t = bench_edit_reimport(work, env, mode, max(3, n // 5))
            rows.append((f"4. edit → re-import ({mode})", f"{t:.3f} s", "", "", "≤ 0.3 s" if mode == "Debug" else "—"))
        first = bench_first_import(work, env, 1 if args.quick else 3)
        rows.append(("5. first import, empty caches", f"{first:.2f} s", "", "", "—"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, medians of {n} runs\n")
    header = ("measurement", "zigimport", "baseline", "difference", "target")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
