"""python examples/rolling_window.py -- a Zig class fed from numpy, timed beside pure Python.

window.zig defines Window, a fixed-size window with running mean/std. It is compiled on first import.
"""

import collections
import math
import time

import numpy as np

import zigimport  # noqa: F401  (installs the import hook)

from window import Window


class PyWindow:
    """The same in pure Python, for comparison."""

    def __init__(self, capacity):
        self.values = collections.deque(maxlen=capacity)
        self.sum = self.sum_sq = 0.0

    def push(self, x):
        if len(self.values) == self.values.maxlen:
            old = self.values[0]
            self.sum -= old
            self.sum_sq -= old * old
        self.values.append(x)
        self.sum += x
        self.sum_sq += x * x

    def std(self):
        m = self.sum / len(self.values)
        return math.sqrt(max(self.sum_sq / len(self.values) - m * m, 0.0))


stream = np.random.default_rng(1).normal(100.0, 15.0, 2_000_000)

zw = Window(10_000)
t = time.perf_counter()
for chunk in np.array_split(stream, 200):  # each chunk is read in place, no copy
    zw.extend(chunk)
t_zig = time.perf_counter() - t

pw = PyWindow(10_000)
t = time.perf_counter()
for x in stream.tolist():
    pw.push(x)
t_py = time.perf_counter() - t

print(f"{zw!r}: mean {zw.mean():.3f}, std {zw.stdev():.3f}  ({t_zig * 1e3:.1f} ms)")
print(f"pure Python deque:           std {pw.std():.3f}  ({t_py * 1e3:.1f} ms, {t_py / t_zig:.0f}x slower)")
view = np.asarray(zw)  # zero-copy view of the window's memory
print(f"numpy view: {view.shape[0]} samples, numpy std {view.std():.3f}, shares memory: {not view.flags['OWNDATA']}")
