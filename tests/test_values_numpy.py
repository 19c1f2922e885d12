"""N-dimensional array views (py.NDArray and friends) and complex buffers, from numpy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from support import run_python


def layouts() -> dict[str, np.ndarray]:
    a = np.arange(24.0).reshape(4, 6)
    return {
        "C": a,
        "Fortran": np.asfortranarray(a),
        "transposed": a.T,
        "strided": a[::2, 1::3],
        "reversed": a[::-1, ::-2],
        "3-D": np.arange(60.0).reshape(3, 4, 5)[:, 1:, ::2],
        "0-D": np.array(7.5),
        "empty": np.zeros((3, 0)),
        "1-D": np.arange(5.0),
    }


@pytest.mark.parametrize("name", list(layouts()))
def test_any_memory_order_is_read_without_copying(values: Any, name: str) -> None:
    a = layouts()[name]
    assert values.nd_sum(a) == a.sum()
    shape, strides, c_order, f_order = values.nd_info(a)
    assert shape == list(a.shape)
    exported = memoryview(a).strides or ()  # type: ignore[arg-type]
    assert strides == [s // a.itemsize for s in exported]  # in elements: the exported byte strides / itemsize
    assert c_order == a.flags.c_contiguous and f_order == a.flags.f_contiguous


def test_indexing_matches_numpy(values: Any) -> None:
    for a in (np.arange(12.0).reshape(3, 4), np.arange(12.0).reshape(3, 4).T, np.arange(30.0).reshape(5, 6)[::-2, 1::2]):
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                assert values.at2(a, i, j) == a[i, j]
    m = np.arange(16, dtype=np.int32).reshape(4, 4)
    assert values.trace_i32(m) == np.trace(m) and values.trace_i32(m[::-1]) == np.trace(m[::-1])


def test_writes_land_in_the_callers_array(values: Any) -> None:
    for order in ("C", "F"):
        b = np.zeros((3, 4), order=order)
        values.fill_index(b)
        assert (b == np.add.outer(np.arange(3) * 10, np.arange(4))).all()
    parent = np.zeros((6, 8))
    values.fill_index(parent[1::2, ::-3])  # a strided, reversed window
    expected = np.zeros((6, 8))
    expected[1::2, ::-3] = np.add.outer(np.arange(3) * 10, np.arange(3))
    assert (parent == expected).all()
    f = np.ones((4, 5), dtype=np.float32)
    values.scale(f, 2.0)  # contiguous: the flat() path
    values.scale(f[:, ::2], 3.0)  # strided: element by element
    assert (f[:, ::2] == 6.0).all() and (f[:, 1::2] == 2.0).all()


def test_array_bad_input(values: Any) -> None:
    with pytest.raises(TypeError, match=r"nd_sum\(\) argument 1 \(a\) must be an array of float64 \(format 'd'\), not format 'l' \(itemsize 8\)"):
        values.nd_sum(np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(TypeError, match=r"trace_i32\(\) argument 1 \(a\) must be a 2-dimensional array of int32, not format 'd'"):
        values.trace_i32(np.zeros((2, 2)))
    with pytest.raises(TypeError, match=r"at2\(\) argument 1 \(a\) must be a 2-dimensional array of float64 \(format 'd'\), not 3-dimensional"):
        values.at2(np.zeros((2, 2, 2)), 0, 0)
    with pytest.raises(TypeError, match=r"at2\(\) argument 1 \(a\) must be a 2-dimensional array of float64 \(format 'd'\), not 0-dimensional"):
        values.at2(np.array(1.0), 0, 0)
    ro = np.zeros((2, 2))
    ro.flags.writeable = False
    with pytest.raises(BufferError, match=r"fill_index\(\) argument 1 \(a\) must be a writable array, but it is read-only"):
        values.fill_index(ro)
    with pytest.raises(BufferError, match=r"must be a writable array, but it is read-only"):
        values.scale(np.broadcast_to(np.float32(1), (3, 3)), 2.0)
    assert values.nd_sum(ro) == 0.0  # read-only is fine for a read-only view
    with pytest.raises(TypeError, match=r"nd_sum\(\) argument 1 \(a\) must be an array of float64 .*not list"):
        values.nd_sum([[1.0, 2.0]])
    # A field of a structured array: 8-byte floats 12 bytes apart cannot be indexed as f64s.
    rec = np.zeros(4, dtype=[("x", "<f8"), ("n", "<i4")])
    with pytest.raises(BufferError, match=r"nd_sum\(\) argument 1 \(a\) has a stride of 12 bytes, not a multiple of its 8-byte items"):
        values.nd_sum(rec["x"])


def test_complex_buffers(values: Any) -> None:
    z = np.array([1 + 1j, 2 - 3j, 0.5j])
    assert values.csum(z) == z.sum()
    values.cdouble(z)
    assert (z == np.array([2 + 2j, 4 - 6j, 1j])).all()
    assert values.csum(np.zeros(0, dtype=np.complex128)) == 0j
    assert values.nd_complex(np.zeros((2, 3), dtype=np.complex128, order="F")) == (2, 6)
    with pytest.raises(TypeError, match=r"csum\(\) argument 1 \(xs\) must be a buffer of complex128 \(format 'Zd'\), not format 'Zf'"):
        values.csum(np.zeros(2, dtype=np.complex64))
    with pytest.raises(TypeError, match=r"must be a buffer of complex128 \(format 'Zd'\), not format 'd'"):
        values.csum(np.zeros(2))
    with pytest.raises(BufferError, match="must be C-contiguous"):
        values.csum(z[::2])
    with pytest.raises(TypeError, match=r"nd_complex\(\) argument 1 \(a\) must be an array of complex128 \(format 'Zd'\)"):
        values.nd_complex(np.zeros(2))


REFCOUNTS = """\
import gc, sys
import numpy as np
import zigimport, values as v

a = np.arange(24.0).reshape(4, 6)
t, w, z, i = a.T, np.zeros((3, 4)), np.array([1j, 2j]), np.eye(3, dtype=np.int32)
ro = np.zeros((2, 2)); ro.flags.writeable = False
watched = [a, t, w, z, i, ro]

def batch(n: int) -> None:
    for _ in range(n):
        v.nd_sum(a); v.nd_sum(t); v.nd_info(t); v.at2(a, 1, 2); v.fill_index(w); v.trace_i32(i)
        v.csum(z); v.cdouble(z); v.nd_complex(z)
        for bad in (lambda: v.fill_index(ro), lambda: v.at2(i, 0, 0), lambda: v.at2(z, 0, 0)):
            try:
                bad()
            except (TypeError, BufferError):
                pass

batch(1000)
gc.collect()
before = [sys.getrefcount(o) for o in watched]
batch(20000)
gc.collect()
print([sys.getrefcount(o) for o in watched] == before)
"""


def test_array_views_are_released(zig_modules: Any) -> None:
    out = run_python(REFCOUNTS, cwd=zig_modules, timeout=600, log_level=None)
    assert out.stdout.strip() == "True", out.stdout
