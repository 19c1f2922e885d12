"""Build time against the number of functions, each against gcc -O2 building the same module in C.

    python benchmarks/bench_build.py [--quick] [--sizes 10,100,500] [--modes Debug,ReleaseSafe,...]

Generates, for each N, a Zig module of N functions ``pub fn fK(xs: []const f64) !f64`` (varied bodies;
some return errors: a builtin-named one, a mapped std one, a user-named one) and the hand-written C
equivalent (METH_FASTCALL functions reading a buffer with ``PyObject_GetBuffer``, returning a float or
raising).  Times, in the same run:

* ``gcc -O2 -shared -fPIC`` of the C module (include path from sysconfig);
* a zigimport build of the Zig module in each release mode, timed around the import in a fresh
  interpreter on an *empty entry* but a *warm Zig global cache* (compiler_rt and friends are built once
  by a warm-up import of a one-function module first, so they are not counted).

Both are measured as CPU time (user + sys of the compiler processes, from ``getrusage``), which a
machine shared with other work does not inflate the way it does wall time; wall time is printed too.
gcc and the Zig builds alternate within each repeat.  Each time is the median of the repeats (1 with
--quick, else 3).  The ratio is zig / gcc; the target (≤ 1.5×) applies at N = 100.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import module_source  # beside this script

MODES = ("Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall")
SIZES = (10, 100, 500)
TARGET_N = 100
TARGET_RATIO = 1.5

# ---- the generated modules (benchmarks/module_source.py, shared with tests/test_large_modules.py) ----

zig_source = module_source.zig_source
c_source = module_source.c_source


# ---- measuring ----

Timing = tuple[float, float]  # (wall seconds, CPU seconds of the compiler processes: user + sys)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def gcc_build(n: int, work: Path) -> Timing:
    """gcc -O2 building the C module of n functions."""
    module = f"c_build_{n}"
    src = work / f"{module}.c"
    src.write_text(c_source(n, module))
    out = work / f"{module}{sysconfig.get_config_var('EXT_SUFFIX')}"
    cmd = ["gcc", "-O2", "-shared", "-fPIC", "-I", sysconfig.get_paths()["include"], str(src), "-o", str(out)]
    cpu, t = _children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    timing = (time.perf_counter() - t, _children_cpu() - cpu)
    if done.returncode != 0:
        raise RuntimeError(f"gcc failed:\n{done.stderr}")
    check = subprocess.run([sys.executable, "-c", f"import array, {module}; print({module}.fn_0(array.array('d', [1.0, 2.0])))"],
                           cwd=work, capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"the C module does not import:\n{check.stderr}")
    return timing


def zig_env(cache: Path, mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_"))}
    env.update(ZIG_RELEASEMODE=mode, ZIGIMPORT_CACHE_DIR=str(cache), ZIGIMPORT_QUIET="1", ZIGIMPORT_STUBS="off")
    return env


# The child times its own import: wall clock, and the CPU time of the compiler it waited for.
_IMPORT = """\
import array, resource, time, zigimport
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
c, t = cpu(), time.perf_counter()
import {name}
wall, cpu_s = time.perf_counter() - t, cpu() - c
assert {name}.fn_0(array.array('d', [1.0, 2.0])) == 0.0
print(wall, cpu_s)
"""


def zig_build(n: int, mode: str, work: Path, cache: Path, tag: str) -> Timing:
    """A zigimport build (in a fresh interpreter, empty entry) of the Zig module of n functions."""
    name = f"zig_build_{n}_{tag}"
    (work / f"{name}.zig").write_text(zig_source(n))
    done = subprocess.run([sys.executable, "-c", _IMPORT.format(name=name)], cwd=work, env=zig_env(cache, mode),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"building {name} ({mode}) failed:\n{done.stderr[-4000:]}")
    wall, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def warm_up(mode: str, work: Path, cache: Path) -> Timing:
    """Build one-function modules so the Zig global cache holds std's ZIR (and compiler_rt, when a module needs
    it) and the cache zig_core's runtime object for this mode: the second build that can use it builds it
    (zigimport/build/core_object.py).  Returns the second build's time (a one-function module + the object)."""
    zig_build(1, mode, work, cache, "warmup")
    return zig_build(1, mode, work, cache, "warmup2")


def median_timing(timings: list[Timing]) -> Timing:
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def verdict(n: int, ratio: float) -> str:
    if n != TARGET_N:
        return "report only"
    return f"≤ {TARGET_RATIO:g}×" + ("" if ratio <= TARGET_RATIO else " **missed**")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="numbers of functions (default %(default)s)")
    parser.add_argument("--modes", default=",".join(MODES), help="release modes (default %(default)s)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",")
    repeats = 1 if args.quick else 3
    work = Path(tempfile.mkdtemp(prefix="zigimport-bench-build-"))
    try:
        cache = work / "cache"
        once = {mode: warm_up(mode, work, cache) for mode in modes}
        rows = []
        for n in sizes:
            # gcc and zig alternate, so a busy patch of the machine slows both sides of a ratio.
            gcc_runs: list[Timing] = []
            zig_runs: dict[str, list[Timing]] = {mode: [] for mode in modes}
            for r in range(repeats):
                gcc_runs.append(gcc_build(n, work))
                for mode in modes:
                    zig_runs[mode].append(zig_build(n, mode, work, cache, f"{mode}_{r}"))
            gcc_wall, gcc_cpu = median_timing(gcc_runs)
            for mode in modes:
                wall, cpu = median_timing(zig_runs[mode])
                rows.append((str(n), mode, f"{cpu:.2f} s", f"{gcc_cpu:.2f} s", f"{cpu / gcc_cpu:.2f}×",
                             verdict(n, cpu / gcc_cpu), f"{wall:.2f} s / {gcc_wall:.2f} s = {wall / gcc_wall:.2f}×"))
                print(f"  N={n} {mode}: zig {cpu:.2f} s CPU ({wall:.2f} s wall), gcc {gcc_cpu:.2f} s CPU ({gcc_wall:.2f} s wall)",
                      file=sys.stderr, flush=True)
        header = ("functions", "mode", "zigimport build (CPU)", "gcc -O2 build (CPU)", "ratio (CPU)", "target",
                  "wall: zigimport / gcc")
        print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs; median of {repeats}; CPU = user + sys time "
              "of the compiler processes (the ratio that matters on a shared machine), wall for reference\n")
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print("\nzigimport: `import` in a fresh interpreter, empty cache entry, warm Zig global cache (std's ZIR, "
              "and zig_core's runtime object, built by warm-up imports first); gcc: `gcc -O2 -shared -fPIC` of the same "
              "functions written in C.  Once per mode, not counted above: the warm-up build of a one-function module "
              "that also built zig_core's runtime object took " +
              ", ".join(f"{once[m][1]:.2f} s CPU ({m})" for m in modes) + ".")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
