"""python examples/numeric_kernel.py -- Zig kernels on a numpy array, timed beside pure Python and numpy.

kernels.zig is compiled on first import (ReleaseSafe by default; try ZIG_RELEASEMODE=ReleaseFast).
"""

import statistics
import time

import numpy as np

import zigimport  # noqa: F401  (installs the import hook)

import kernels


def best_of(f, *args, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = f(*args)
        times.append(time.perf_counter() - t)
    return result, min(times)


def python_rolling_mean(xs, window):
    out, s = [], sum(xs[:window])
    out.append(s / window)
    for i in range(window, len(xs)):
        s += xs[i] - xs[i - window]
        out.append(s / window)
    return out


rng = np.random.default_rng(0)
data = rng.normal(10.0, 2.0, 1_000_000)
as_list = data.tolist()

m_zig, t_zig = best_of(kernels.mean, data)
m_py, t_py = best_of(statistics.fmean, as_list)
m_np, t_np = best_of(np.mean, data)
print(f"mean      zig {m_zig:.6f} in {t_zig * 1e3:7.2f} ms | python {t_py * 1e3:7.2f} ms | numpy {t_np * 1e3:6.2f} ms")

v_zig, t_zig = best_of(kernels.variance, data)
v_py, t_py = best_of(statistics.variance, as_list[:100_000])  # pure Python is slow: a tenth of the data
print(f"variance  zig {v_zig:.6f} in {t_zig * 1e3:7.2f} ms | python (100k values) {t_py * 1e3:7.2f} ms")

out = np.empty(len(data) - 49)
_, t_zig = best_of(kernels.rolling_mean, data, out, 50)
ref, t_py = best_of(python_rolling_mean, as_list, 50, repeat=1)
assert np.allclose(out, ref)
print(f"rolling   zig {t_zig * 1e3:7.2f} ms | python {t_py * 1e3:7.2f} ms  (window 50, results equal)")

kernels.clip(data, lo=5.0, hi=15.0)  # in place, keyword arguments with defaults
print(f"clip      min {data.min():.1f} max {data.max():.1f} (in place)")
