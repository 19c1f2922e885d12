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

MODES = ("Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall")
SIZES = (10, 100, 500)
TARGET_N = 100
TARGET_RATIO = 1.5

# ---- the generated modules ----

# Body K % 5 picks one of these; each reads the slice and some return an error.
_ZIG_BODIES = (
    # sum * K, ValueError on an empty slice (builtin exception name)
    """    if (xs.len == 0) return error.ValueError;
    var s: f64 = 0;
    for (xs) |x| s += x;
    return s * {k}.0;""",
    # max, a user-named error on an empty slice (zigimport.ZigError)
    """    if (xs.len == 0) return error.EmptyInput{k};
    var m: f64 = xs[0];
    for (xs[1..]) |x| m = @max(m, x);
    return m + {k}.0;""",
    # sum of squares, Overflow (mapped to OverflowError) when infinite
    """    var s: f64 = 0;
    for (xs) |x| s += x * x;
    if (std.math.isInf(s)) return error.Overflow;
    return s + {k}.0;""",
    # mean, DivisionByZero (ZeroDivisionError) on an empty slice
    """    if (xs.len == 0) return error.DivisionByZero;
    var s: f64 = 0;
    for (xs) |x| s += x;
    return s / @as(f64, @floatFromInt(xs.len)) + {k}.0;""",
    # a polynomial, no error path taken in practice
    """    var acc: f64 = {k}.0;
    for (xs) |x| acc = acc * 0.5 + x;
    if (std.math.isNan(acc)) return error.ValueError;
    return acc;""",
)

_C_BODIES = (
    """    if (n == 0) { PyBuffer_Release(&view); PyErr_SetString(PyExc_ValueError, "error.ValueError returned by fn_{k}()"); return NULL; }
    double s = 0; for (Py_ssize_t i = 0; i < n; i++) s += xs[i];
    r = s * {k}.0;""",
    """    if (n == 0) { PyBuffer_Release(&view); PyErr_SetString(zig_error, "error.EmptyInput{k} returned by fn_{k}()"); return NULL; }
    double m = xs[0]; for (Py_ssize_t i = 1; i < n; i++) m = xs[i] > m ? xs[i] : m;
    r = m + {k}.0;""",
    """    double s = 0; for (Py_ssize_t i = 0; i < n; i++) s += xs[i] * xs[i];
    if (isinf(s)) { PyBuffer_Release(&view); PyErr_SetString(PyExc_OverflowError, "error.Overflow returned by fn_{k}()"); return NULL; }
    r = s + {k}.0;""",
    """    if (n == 0) { PyBuffer_Release(&view); PyErr_SetString(PyExc_ZeroDivisionError, "error.DivisionByZero returned by fn_{k}()"); return NULL; }
    double s = 0; for (Py_ssize_t i = 0; i < n; i++) s += xs[i];
    r = s / (double)n + {k}.0;""",
    """    double acc = {k}.0; for (Py_ssize_t i = 0; i < n; i++) acc = acc * 0.5 + xs[i];
    if (isnan(acc)) { PyBuffer_Release(&view); PyErr_SetString(PyExc_ValueError, "error.ValueError returned by fn_{k}()"); return NULL; }
    r = acc;""",
)


def zig_source(n: int, classes: int = 0) -> str:
    """A module of `n` functions `fK(xs: []const f64) !f64` and `classes` small py.class structs."""
    out = ['const std = @import("std");', 'const py = @import("zig_core");', ""]
    for k in range(n):
        out.append(f"/// Function {k}.")
        out.append(f"pub fn fn_{k}(xs: []const f64) !f64 {{")
        out.append(_ZIG_BODIES[k % len(_ZIG_BODIES)].replace("{k}", str(k)))
        out.append("}")
    for k in range(classes):
        out.append(f"""
/// Class {k}.
pub const C{k} = py.class(struct {{
    value: i64,
    pub fn __init__(self: *@This(), value: i64) void {{
        self.value = value;
    }}
    pub fn get(self: *const @This()) i64 {{
        return self.value + {k};
    }}
    pub fn scaled(self: *const @This(), by: f64) !f64 {{
        if (by == 0) return error.ValueError;
        return @as(f64, @floatFromInt(self.value)) * by;
    }}
}});""")
    out.append("\ncomptime {\n    py.module(@This());\n}\n")
    return "\n".join(out)


def c_source(n: int, module: str) -> str:
    """The C equivalent of zig_source(n): METH_FASTCALL functions over a float64 buffer."""
    out = ["#define PY_SSIZE_T_CLEAN", "#include <Python.h>", "#include <math.h>", "",
           "static PyObject *zig_error;", ""]
    for k in range(n):
        out.append(f"""static PyObject *fn_{k}(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {{
    if (nargs != 1) {{ PyErr_Format(PyExc_TypeError, "fn_{k}() takes 1 positional argument but %zd were given", nargs); return NULL; }}
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return NULL;
    if (view.itemsize != 8 || view.format == NULL || strcmp(view.format, "d") != 0) {{
        PyBuffer_Release(&view); PyErr_SetString(PyExc_TypeError, "fn_{k}() argument 1 (xs) must be a buffer of float64"); return NULL;
    }}
    const double *xs = (const double *)view.buf; Py_ssize_t n = view.len / 8; double r;
{_C_BODIES[k % len(_C_BODIES)].replace("{k}", str(k))}
    PyBuffer_Release(&view);
    return PyFloat_FromDouble(r);
}}
""")
    out.append("static PyMethodDef methods[] = {")
    for k in range(n):
        out.append(f'    {{"fn_{k}", (PyCFunction)(void (*)(void))fn_{k}, METH_FASTCALL, "Function {k}."}},')
    out.append("    {NULL, NULL, 0, NULL}\n};")
    out.append(f"""
static struct PyModuleDef def = {{PyModuleDef_HEAD_INIT, "{module}", NULL, -1, methods}};

PyMODINIT_FUNC PyInit_{module}(void) {{
    zig_error = PyErr_NewException("{module}.ZigError", NULL, NULL);
    if (zig_error == NULL) return NULL;
    return PyModule_Create(&def);
}}
""")
    return "\n".join(out)


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


def warm_up(mode: str, work: Path, cache: Path) -> None:
    """Build a one-function module so the Zig global cache holds compiler_rt for this mode."""
    zig_build(1, mode, work, cache, "warmup")


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
        for mode in modes:
            warm_up(mode, work, cache)
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
        print("\nzigimport: `import` in a fresh interpreter, empty cache entry, warm Zig global cache (compiler_rt "
              "built by a warm-up import first); gcc: `gcc -O2 -shared -fPIC` of the same functions written in C.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
