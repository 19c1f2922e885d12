"""Building many specialisations of one source: concurrently (load_many, load_async) vs one after another.

    python benchmarks/bench_specialize.py [--quick] [--count 8] [--mode ReleaseSafe]

A small numeric kernel (``[params.n]f64`` arrays, a comptime ``use_simd`` branch) is specialised for
``--count`` parameter sets.  Every measurement builds sets no earlier one built (a ``run`` parameter
makes each entry new), in one cache whose Zig global cache was warmed first (compiler_rt is built once
and not counted).  Wall time, since concurrency is about wall time; each row is the median of the
repeats (1 with --quick, else 3), the strategies alternating within a repeat.  The ratio is against
building the same number of sets one after another in the same run; target: concurrent <= 0.6x on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

KERNEL = """\
const std = @import("std");
const py = @import("zig_core");
const params = @import("params");

const N = params.n;

/// Dot product of two vectors of N floats.
pub fn dot(a: [N]f64, b: [N]f64) f64 {
    if (params.use_simd) {
        const va: @Vector(N, f64) = a;
        const vb: @Vector(N, f64) = b;
        return @reduce(.Add, va * vb);
    }
    var t: f64 = 0;
    for (a, b) |x, y| t += x * y;
    return t;
}

/// a * s + b, elementwise.
pub fn axpy(s: f64, a: [N]f64, b: [N]f64) [N]f64 {
    var out: [N]f64 = undefined;
    for (&out, a, b) |*o, x, y| o.* = s * x + y;
    return out;
}

/// The sum of a list of any length, N at a time.
pub fn total(xs: []const f64) f64 {
    var acc: [N]f64 = @splat(0);
    var i: usize = 0;
    while (i + N <= xs.len) : (i += N) {
        for (0..N) |k| acc[k] += xs[i + k];
    }
    var t: f64 = 0;
    for (acc) |v| t += v;
    while (i < xs.len) : (i += 1) t += xs[i];
    return t;
}

pub fn label() []const u8 {
    return params.label;
}

comptime {
    py.module(@This());
}
"""


def sets(count: int, run: str) -> list[dict[str, Any]]:
    return [dict(n=4 + k, use_simd=k % 2 == 0, label=f"k{k}", run=run) for k in range(count)]


def sequential(zigimport: Any, src: Path, mode: str, ps: list[dict[str, Any]]) -> list[Any]:
    return [zigimport.load(src, release_mode=mode, **p) for p in ps]


def concurrent(zigimport: Any, src: Path, mode: str, ps: list[dict[str, Any]]) -> list[Any]:
    return list(zigimport.load_many([{"source": src, **p} for p in ps], release_mode=mode))


def gathered(zigimport: Any, src: Path, mode: str, ps: list[dict[str, Any]]) -> list[Any]:
    async def main() -> list[Any]:
        return list(await asyncio.gather(*(zigimport.load_async(src, release_mode=mode, **p) for p in ps)))

    return asyncio.run(main())


STRATEGIES = {"one after another (load)": sequential, "load_many": concurrent, "asyncio.gather(load_async)": gathered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    parser.add_argument("--count", type=int, default=8, help="specialisations per measurement (default 8)")
    parser.add_argument("--mode", default="ReleaseSafe", help="release mode (default ReleaseSafe)")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="bench-specialize-") as tmp:
        os.environ["ZIGIMPORT_CACHE_DIR"] = os.path.join(tmp, "cache")
        os.environ["ZIGIMPORT_QUIET"] = "1"
        src = Path(tmp) / "kernel.zig"
        src.write_text(KERNEL)
        import zigimport

        warm = zigimport.load(src, release_mode=args.mode, n=2, use_simd=False, label="warm", run="warm")
        assert warm.dot([1.0, 2.0], [3.0, 4.0]) == 11.0
        times: dict[str, list[float]] = {name: [] for name in STRATEGIES}
        cpu: dict[str, list[float]] = {name: [] for name in STRATEGIES}
        load_before = os.getloadavg()[0]
        for r in range(repeats):
            for name, strategy in STRATEGIES.items():
                ps = sets(args.count, f"{name[:4]}{r}")
                c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                mods = strategy(zigimport, src, args.mode, ps)
                times[name].append(time.perf_counter() - t0)
                c1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the compiler processes
                cpu[name].append(c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime)
                for p, m in zip(ps, mods):  # every build is the one asked for
                    assert m.label() == p["label"] and m.dot([1.0] * p["n"], [2.0] * p["n"]) == 2.0 * p["n"]

    base = statistics.median(times["one after another (load)"])
    cores = os.cpu_count()
    load_after = os.getloadavg()[0]
    sys.stdout.write(f"\n{args.count} specialisations of one kernel, {args.mode}, {cores} cores, "
                     f"median of {repeats} (wall time; each a fresh set of cache entries)\n"
                     f"load average {load_before:.1f} before, {load_after:.1f} after: concurrency only "
                     f"gains while cores are free\n\n")
    sys.stdout.write(f"| {'strategy':<28} | {'wall s':>7} | {'compiler CPU s':>14} | {'vs one after another':>20} | target  |\n")
    sys.stdout.write(f"|{'-' * 30}|{'-' * 9}|{'-' * 16}|{'-' * 22}|---------|\n")
    for name, ts in times.items():
        t = statistics.median(ts)
        target = "--" if name.startswith("one") else "<= 0.6x"
        sys.stdout.write(f"| {name:<28} | {t:7.2f} | {statistics.median(cpu[name]):14.2f} | {t / base:19.2f}x | {target:>7} |\n")


if __name__ == "__main__":
    main()
