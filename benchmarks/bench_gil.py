"""Two Python threads calling a GIL-free Zig function vs one thread, measured in the same run.

    python benchmarks/bench_gil.py [--quick]

Imports benchmarks/gil_bench.zig (ReleaseFast, a temporary zigimport cache) and times N calls of
``spin`` (a ``py.NoGil`` function) on one thread, then N calls on each of two threads at once;
likewise ``spin_locked`` (the same work holding the GIL) as the serialized baseline.  The ratio is
two-thread wall time / one-thread wall time: 1.0 means the threads ran fully in parallel, 2.0 means
they took turns.  With fewer than two free cores even the GIL-free function cannot beat 2.0 -- which
is why this figure lives here and tests/test_gil.py checks the GIL release structurally instead.
Times are the median of the repeats, the minimum in parentheses.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROUNDS = 20_000_000  # a few tenths of a second of work per call
TARGET = 1.3  # GIL-free: two threads in at most 1.3x one thread's time, given two free cores


def wall(fn: Callable[[int], int], threads: int, calls: int) -> float:
    def work() -> None:
        for _ in range(calls):
            fn(ROUNDS)
    workers = [threading.Thread(target=work) for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeats, calls = (3, 1) if args.quick else (7, 3)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["ZIGIMPORT_CACHE_DIR"] = cache
        os.environ["ZIG_RELEASEMODE"] = "ReleaseFast"
        sys.path.insert(0, str(HERE))
        import zigimport  # noqa: F401

        import gil_bench  # type: ignore[import-not-found]

        gil_bench.spin(1000)
        rows = []
        for label, fn in [("spin (py.NoGil)", gil_bench.spin), ("spin_locked (GIL held)", gil_bench.spin_locked)]:
            one: list[float] = []
            two: list[float] = []
            for _ in range(repeats):  # interleaved, so load changes hit both alike
                one.append(wall(fn, 1, calls))
                two.append(wall(fn, 2, calls))
            ratio = statistics.median(b / a for a, b in zip(one, two))
            rows.append((label, one, two, ratio))
    print(f"{os.cpu_count()} CPUs; {calls} call(s) of {ROUNDS:,} rounds per thread; median of {repeats}\n")
    print("| function | 1 thread | 2 threads | 2-thread / 1-thread time | target |")
    print("|---|---|---|---|---|")
    for label, one, two, ratio in rows:
        target = f"<= {TARGET} ({'met' if ratio <= TARGET else 'missed'})" if "NoGil" in label else "~2.0 (baseline)"
        print(f"| {label} | {fmt(one)} | {fmt(two)} | {ratio:.2f}x | {target} |")


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times) * 1e3:.0f} ms ({min(times) * 1e3:.0f})"


if __name__ == "__main__":
    main()
