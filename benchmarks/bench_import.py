"""Import-hook costs, each against a baseline measured in the same run.

    python benchmarks/bench_import.py [--quick] [--before PATH] [--no-peer] [--parts 1,2,3,4,5] [--first-only]

Prints a table of medians:
 1. ``import zigimport`` over a bare interpreter start (target <= +1.5 ms)
 2. warm import of a cached module against importing the same built .so directly (target <= 1.5x), in CPU time,
    from this source tree and from a wheel install of it (``pip install --target``, with ziglang
    beside it as in a virtualenv), and of a module that @imports 4 files (wheel install); and the
    ``os.stat`` calls each does (counted with an os.stat wrapper; FileFinder's own folder stat is not
    counted: Python pays it for the .so too).  Both are found by the same FileFinder scan of sys.path
    (zigimport is a path hook); "the floor" is a path hook whose .zig loader checks nothing at all.
    It includes loading the hit path's modules, which ``import zigimport`` leaves to the first ``.zig``
    module; 2b. is rows 1 and 2 together, as a whole process (what a user's script pays), beside the .so's
 3. a miss (PathFinder over sys.path) with zigimport's path hook vs without it (target <= 1.3x)
 4. edit -> re-import of a small module per release mode (target <= 0.3 s in Debug)
 5. first import of a small module on empty caches (zigimport's and Zig's), per release mode
    (target <= 2 s), beside pyximport's first import of the same function on an empty cache
    (Cython + gcc: the fastest compile-on-import peer measured so far)

``--before PATH`` measures rows 1, 2, 4 and 5 also for another checkout (e.g. the main branch before
this work) in the same run.  First imports are timed as wall time and as CPU time (user + sys of the
interpreter and the compilers, from ``getrusage``): a machine shared with other work inflates the
first, not the second.  ``--first-only`` runs row 5 alone, every mode for both trees, and adds a second
module's first import on the caches the first one left (where zig_core's runtime object is built, once per
mode: zigimport/build/core_object.py).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import tables  # beside this script: the result table every benchmark prints

REPO = Path(__file__).resolve().parent.parent
MODES = ("Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall")

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

PYX_MODULE = """\
def add(long a, long b):
    return a + b + {offset}
"""

COUNT_STATS = """\
import os, sys
import zigimport
calls = [0]
real_stat, real_lstat = os.stat, os.lstat
def stat(*a, **k):
    calls[0] += 1
    return real_stat(*a, **k)
def lstat(*a, **k):
    calls[0] += 1
    return real_lstat(*a, **k)
os.stat, os.lstat = stat, lstat
import {name}
os.stat, os.lstat = real_stat, real_lstat
print(calls[0])
"""


def with_path(env: dict[str, str], tree: Path | None) -> dict[str, str]:
    return {**env, "PYTHONPATH": str(tree)} if tree is not None else env


def python(code: str, cwd: Path, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout


def wall(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


# CPU time (the process's clock): under a loaded machine's preemption, wall times of 0.3 ms scatter by 2x.
TIMED = """\
import time
t = time.process_time()
import {name}
print(time.process_time() - t)
"""


def timed_import(name: str, cwd: Path, env: dict[str, str], prelude: str = "import zigimport") -> float:
    """CPU seconds spent in `import name` in a fresh interpreter (after `prelude`)."""
    return float(python(prelude + "\n" + TIMED.format(name=name), cwd, env))


def cpu_timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a child process and everything it ran."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_import_cost(work: Path, env: dict[str, str], n: int, trees: dict[str, Path | None]) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of `python -c "import zigimport"` per tree, and of a bare start ("bare")."""
    times: dict[str, list[tuple[float, float]]] = {"bare": [], **{k: [] for k in trees}}
    for _ in range(n):  # interleaved, so drift affects all alike
        times["bare"].append(cpu_timed([sys.executable, "-c", "pass"], work, env))
        for label, tree in trees.items():
            times[label].append(cpu_timed([sys.executable, "-c", "import zigimport"], work, with_path(env, tree)))
    return {k: medians(v) for k, v in times.items()}


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


def over(t: tuple[float, float], base: tuple[float, float]) -> str:
    return f"+{(t[0] - base[0]) * 1e3:.2f} ms wall, +{(t[1] - base[1]) * 1e3:.2f} ms CPU"


def install_wheel(work: Path) -> Path:
    """This tree installed as a wheel would be, with ziglang beside it as in a virtualenv."""
    site = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    import importlib.util

    spec = importlib.util.find_spec("ziglang")
    assert spec is not None and spec.submodule_search_locations
    # A real directory, as pip makes it: a symlink to the venv's copy would make every stat of the compiler
    # (once per process on the hit path) walk the venv's path too (~10 us here).  Hard links cost no space.
    try:
        shutil.copytree(spec.submodule_search_locations[0], site / "ziglang", copy_function=os.link)
    except OSError:  # another filesystem: the venv's copy, through a symlink
        shutil.rmtree(site / "ziglang", ignore_errors=True)
        (site / "ziglang").symlink_to(spec.submodule_search_locations[0])
    return site


def bench_warm_import(work: Path, env: dict[str, str], n: int, trees: dict[str, Path | None],
                      wheel: Path) -> dict[str, tuple[float, int]]:
    """Median CPU seconds (and os.stat calls) of each warm import, all measured in one interleaved loop so that a
    change of load affects every row alike: the .so, the floor, warm_mod from each tree, and the module with
    MULTI_DEPS @imports from the wheel install beside its own .so ("multi", "multi so")."""
    (work / "warm_mod.zig").write_text(MODULE.replace("{offset}", "0"))
    imports = "".join(f'const d{i} = @import("multi_dep{i}.zig");\n' for i in range(MULTI_DEPS))
    total = " + ".join(f"d{i}.V" for i in range(MULTI_DEPS))
    for i in range(MULTI_DEPS):
        (work / f"multi_dep{i}.zig").write_text(f"pub const V: i64 = {i};\n")
    (work / "warm_multi.zig").write_text(imports + MODULE.replace("{offset}", total))
    for tree in trees.values():
        python("import zigimport, warm_mod", work, with_path(env, tree))  # build once (or hit)
    python("import zigimport, warm_multi", work, with_path(env, wheel))
    direct = work / "direct"
    direct.mkdir(exist_ok=True)
    for name, tree in (("warm_mod", next(iter(trees.values()))), ("warm_multi", wheel)):
        artifact = python(f"import zigimport, {name}; print({name}.__spec__.loader.artifact)", work, with_path(env, tree)).strip()
        shutil.copy(artifact, direct / f"{name}{EXTENSION_SUFFIXES[0]}")
    time.sleep(2.1)  # past the racy window: a real warm import does not re-hash the source
    for tree in trees.values():
        python("import zigimport, warm_mod", work, with_path(env, tree))  # settles the racy input, writes the record
    python("import zigimport, warm_multi", work, with_path(env, wheel))
    times: dict[str, list[float]] = {"so": [], "floor": [], **{k: [] for k in trees}, "multi so": [], "multi": []}
    floor = FLOOR_PRELUDE.format(artifact=str(direct / f"warm_mod{EXTENSION_SUFFIXES[0]}"))
    for _ in range(n):
        times["so"].append(timed_import("warm_mod", direct, env))  # the .so found by Python's own FileFinder
        times["floor"].append(float(python(floor + TIMED.format(name="warm_mod"), work, with_path(env, next(iter(trees.values()))))))
        for label, tree in trees.items():
            times[label].append(timed_import("warm_mod", work, with_path(env, tree)))
        times["multi so"].append(timed_import("warm_multi", direct, env))
        times["multi"].append(timed_import("warm_multi", work, with_path(env, wheel)))
    out = {k: (statistics.median(v), 0) for k, v in times.items()}
    for label, tree in trees.items():
        stats = int(python(COUNT_STATS.replace("{name}", "warm_mod"), work, with_path(env, tree)))
        out[label] = (out[label][0], stats)
    out["multi"] = (out["multi"][0], int(python(COUNT_STATS.replace("{name}", "warm_multi"), work, with_path(env, wheel))))
    return out


MULTI_DEPS = 4  # files the multi-file module @imports

# The least a path hook finding name.zig in the folder scan that finds name.so can cost: Python's FileFinders (those
# made so far and those made later) learn the suffix, and its loader hands over the binary with no check at all.
# It starts as the others do (`import zigimport`, which lists the current folder), then takes zigimport's hook out.
FLOOR_PRELUDE = """\
import sys
import zigimport
zigimport.uninstall()
import _frozen_importlib as I, _frozen_importlib_external as E
class Floor:
    def __init__(self, name, path):
        self.name = name
    def create_module(self, spec):
        self.so = E.ExtensionFileLoader(self.name, {artifact!r})
        return self.so.create_module(I.ModuleSpec(self.name, self.so, origin={artifact!r}))
    def exec_module(self, module):
        self.so.exec_module(module)
for f in sys.path_importer_cache.values():
    if type(f) is E.FileFinder:
        f._loaders.append((".zig", Floor))
at = next(i for i, h in enumerate(sys.path_hooks) if h.__name__ == "path_hook_for_FileFinder")
sys.path_hooks.insert(at, E.FileFinder.path_hook(*E._get_supported_file_loaders(), (Floor, [".zig"])))
"""


def bench_whole_process(work: Path, env: dict[str, str], n: int, trees: dict[str, Path | None]) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) of a whole `python -c "import zigimport, warm_mod"`, against `python -c "import warm_mod"`
    finding the same .so ("so"; run after bench_warm_import, which puts it there) and a bare start ("bare")."""
    times: dict[str, list[tuple[float, float]]] = {"bare": [], "so": [], **{k: [] for k in trees}}
    for _ in range(n):
        times["bare"].append(cpu_timed([sys.executable, "-c", "pass"], work, env))
        times["so"].append(cpu_timed([sys.executable, "-c", "import warm_mod"], work / "direct", env))
        for label, tree in trees.items():
            times[label].append(cpu_timed([sys.executable, "-c", "import zigimport, warm_mod"], work, with_path(env, tree)))
    return {k: medians(v) for k, v in times.items()}


MISS = """\
import statistics, sys, timeit
from importlib.machinery import PathFinder
{prelude}
PathFinder.find_spec("no_such_module_xyz")  # every folder listed once, as in a process that has imported a few modules
print(statistics.median(timeit.repeat(lambda: PathFinder.find_spec("no_such_module_xyz"), repeat=15, number=2000)) / 2000)
"""


def bench_finder_miss(work: Path, env: dict[str, str]) -> tuple[float, float]:
    """A miss over the whole sys.path (the cost every failed import pays): with zigimport's hook, and without."""
    ours = float(python(MISS.format(prelude="import zigimport"), work, env))
    stdlib = float(python(MISS.format(prelude=""), work, env))
    return ours, stdlib


def bench_edit_reimport(work: Path, env: dict[str, str], mode: str, n: int, tag: str) -> float:
    src = work / f"edit_{tag}_{mode.lower()}.zig"
    src.write_text(MODULE.replace("{offset}", "0"))
    menv = {**env, "ZIG_RELEASEMODE": mode}
    python(f"import zigimport, {src.stem}", work, menv)
    times = []
    for i in range(1, n + 1):
        src.write_text(MODULE.replace("{offset}", str(i)))
        times.append(timed_import(src.stem, work, menv))
    return statistics.median(times)


def bench_first_import(work: Path, env: dict[str, str], mode: str, n: int, tree: Path | None, tag: str) -> tuple[float, float]:
    walls, cpus = [], []
    for i in range(n):
        fresh = Path(tempfile.mkdtemp(prefix="zigimport-empty-", dir=work))
        name = f"first_{tag}_{mode.lower()}_{i}"
        (work / f"{name}.zig").write_text(MODULE.replace("{offset}", str(i)))
        code = f"import zigimport, {name}; assert {name}.add(1, 2) == 3 + {i}"
        w, c = cpu_timed([sys.executable, "-c", code], work,
                         with_path({**env, "ZIGIMPORT_CACHE_DIR": str(fresh), "ZIG_RELEASEMODE": mode}, tree))
        walls.append(w)
        cpus.append(c)
        shutil.rmtree(fresh, ignore_errors=True)
    return statistics.median(walls), statistics.median(cpus)


def bench_pyximport_first(work: Path, env: dict[str, str], n: int) -> tuple[float, float] | None:
    try:
        import Cython  # noqa: F401
    except ImportError:
        return None
    walls, cpus = [], []
    for i in range(n):
        fresh = Path(tempfile.mkdtemp(prefix="pyxbld-empty-", dir=work))
        name = f"pyx_first_{i}"
        (work / f"{name}.pyx").write_text(PYX_MODULE.replace("{offset}", str(i)))
        code = (f"import pyximport; pyximport.install(build_dir={str(fresh)!r}, language_level=3); import {name}; "
                f"assert {name}.add(1, 2) == 3 + {i}")
        w, c = cpu_timed([sys.executable, "-c", code], work, env)
        walls.append(w)
        cpus.append(c)
        shutil.rmtree(fresh, ignore_errors=True)
    return statistics.median(walls), statistics.median(cpus)


def bench_first_and_second(work: Path, env: dict[str, str], mode: str, tree: Path | None, tag: str,
                           ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Part 5 and what follows it: the first import on empty caches, then a second module's first import on
    the caches the first one left (where zig_core's runtime object is built: zigimport/build/core_object.py)."""
    fresh = Path(tempfile.mkdtemp(prefix="zigimport-empty-", dir=work))
    timings = []
    try:
        for k in range(2):
            name = f"first_{tag}_{mode.lower()}_{k}"
            (work / f"{name}.zig").write_text(MODULE.replace("{offset}", str(k)))
            code = f"import zigimport, {name}; assert {name}.add(1, 2) == 3 + {k}"
            timings.append(cpu_timed([sys.executable, "-c", code], work,
                                     with_path({**env, "ZIGIMPORT_CACHE_DIR": str(fresh), "ZIG_RELEASEMODE": mode}, tree)))
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return timings[0], timings[1]


def first_only(args: argparse.Namespace) -> None:
    """``--first-only``: part 5 alone (all modes, this tree and --before alternating, pyximport beside them),
    with the second module's first import on the same caches."""
    n = 1 if args.quick else 3
    work = Path(tempfile.mkdtemp(prefix="zigimport-bench-first-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_")) and k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env.update(ZIGIMPORT_QUIET="1")
    trees: dict[str, Path] = {"this tree": REPO}
    if args.before is not None:
        trees["before"] = args.before.resolve()
    try:
        for tree in trees.values():
            subprocess.run([sys.executable, "-c", "import zigimport.build"], env=with_path(env, tree), check=True)  # .pyc once
        samples: dict[tuple[str, str], list[tuple[tuple[float, float], tuple[float, float]]]] = {}
        peer: list[tuple[float, float]] = []
        for r in range(n):
            if not args.no_peer:
                p = bench_pyximport_first(work, env, 1)
                if p is not None:
                    peer.append(p)
            for mode in MODES:
                for label, tree in trees.items():
                    samples.setdefault((label, mode), []).append(
                        bench_first_and_second(work, env, mode, tree, f"{label.replace(' ', '_')}_{r}"))
        peer_m = medians(peer) if peer else None
        rows = []
        for mode in MODES:
            for label in trees:
                got = samples[(label, mode)]
                first, second = medians([g[0] for g in got]), medians([g[1] for g in got])
                rows.append((mode, label, f"{first[0]:.2f} s / {first[1]:.2f} s", f"{second[0]:.2f} s / {second[1]:.2f} s",
                             f"{peer_m[0]:.2f} s / {peer_m[1]:.2f} s" if peer_m else "",
                             f"{first[1] / peer_m[1]:.2f}×" if peer_m else "", "≤ 2 s, < pyximport"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, medians of {n}\n")
    tables.print_markdown(("mode", "tree", "first import, empty caches (wall / CPU)",
                           "then a second module (wall / CPU)", "pyximport first import (wall / CPU)",
                           "first / pyximport (CPU)", "target"), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--before", type=Path, help="another checkout to measure alongside (rows 1, 2, 4, 5)")
    parser.add_argument("--no-peer", action="store_true", help="skip pyximport")
    parser.add_argument("--parts", default="1,2,3,4,5", help="which rows to measure (comma-separated: 1,2,3,4,5)")
    parser.add_argument("--first-only", action="store_true", help="part 5 only, with a second module's first import")
    args = parser.parse_args()
    if args.first_only:
        return first_only(args)
    n = 15 if args.quick else 41
    first_n = 1 if args.quick else 3
    parts = set(args.parts.split(","))

    work = Path(tempfile.mkdtemp(prefix="zigimport-bench-"))
    # Users' interpreters cache bytecode; a PYTHONDONTWRITEBYTECODE in this shell would time compiling our sources instead.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_")) and k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env.update(ZIGIMPORT_CACHE_DIR=str(work / "cache"), ZIGIMPORT_QUIET="1")
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        trees: dict[str, Path | None] = {"source tree": REPO}
        trees["wheel install"] = install_wheel(work)
        if args.before is not None:
            trees["before"] = args.before.resolve()
        for tree in trees.values():
            subprocess.run([sys.executable, "-c", "import zigimport.build"], env=with_path(env, tree), check=True)  # .pyc once

        if "1" in parts:
            cost = bench_import_cost(work, env, n, trees)
            for label in trees:
                rows.append((f"1. `import zigimport` over bare start ({label})", f"{cost[label][0] * 1e3:.1f} ms wall",
                             f"{cost['bare'][0] * 1e3:.1f} ms wall", over(cost[label], cost["bare"]), "≤ +1.5 ms"))
        if "2" in parts:
            warm = bench_warm_import(work, env, n, trees, trees["wheel install"] or REPO)
            so = warm["so"][0]
            for label in trees:
                t, stats = warm[label]
                rows.append((f"2. warm import of a cached module ({label})", f"{t * 1e3:.3f} ms, {stats} stat calls",
                             f"{so * 1e3:.3f} ms (.so directly)", f"{t / so:.2f}×", "≤ 1.5×"))
            rows.append(("2. the floor: a path hook whose .zig loader checks nothing", f"{warm['floor'][0] * 1e3:.3f} ms",
                         f"{so * 1e3:.3f} ms (.so directly)", f"{warm['floor'][0] / so:.2f}×", "—"))
            (t, stats), so_t = warm["multi"], warm["multi so"][0]
            rows.append((f"2. warm import, module with {MULTI_DEPS} @imports (wheel install)", f"{t * 1e3:.3f} ms, {stats} stat calls",
                         f"{so_t * 1e3:.3f} ms (.so directly)", f"{t / so_t:.2f}×", "≤ 1.5×"))
            whole = bench_whole_process(work, env, n, trees)
            for label in trees:
                rows.append((f"2b. `import zigimport, warm_mod` over bare start ({label})", over(whole[label], whole["bare"]),
                             f"{over(whole['so'], whole['bare'])} (`import warm_mod`, the .so)", over(whole[label], whole["so"]),
                             "—"))
        if "3" in parts:
            ours, stdlib = bench_finder_miss(work, env)
            rows.append(("3. a miss over sys.path", f"{ours * 1e6:.2f} µs", f"{stdlib * 1e6:.2f} µs (without zigimport)",
                         f"{ours / stdlib:.2f}×", "≤ 1.3×"))
        if "4" in parts:
            for mode in ("Debug", "ReleaseSafe", "ReleaseFast"):
                t = bench_edit_reimport(work, with_path(env, REPO), mode, max(3, n // 5), "now")
                before = ""
                if "before" in trees:
                    before = f"{bench_edit_reimport(work, with_path(env, trees['before']), mode, max(3, n // 5), 'before'):.3f} s (before)"
                rows.append((f"4. edit → re-import ({mode})", f"{t:.3f} s", before, "", "≤ 0.3 s" if mode == "Debug" else "—"))
        if "5" in parts:
            peer = None if args.no_peer else bench_pyximport_first(work, env, first_n)
            peer_text = f"pyximport {peer[0]:.2f} s wall, {peer[1]:.2f} s CPU" if peer is not None else ""
            for label, tree in (("this tree", REPO), ("before", trees.get("before"))):
                if label == "before" and tree is None:
                    continue
                for mode in MODES:
                    w, c = bench_first_import(work, env, mode, first_n, tree, label.replace(" ", "_"))
                    rows.append((f"5. first import, empty caches, {mode} ({label})", f"{w:.2f} s wall, {c:.2f} s CPU",
                                 peer_text, f"{c / peer[1]:.2f}× CPU" if peer is not None else "", "≤ 2 s"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"medians of {n} runs ({first_n} for first imports)\n")
    tables.print_markdown(("measurement", "zigimport", "baseline", "difference", "target"), rows)


if __name__ == "__main__":
    main()
