"""Slices as zero-copy buffers, from numpy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

DTYPES = {"sum_f64": np.float64, "sum_f32": np.float32, "sum_i32": np.int32, "sum_u16": np.uint16, "sum_i64": np.int64}


@pytest.mark.parametrize("func", DTYPES)
def test_matching_dtypes_are_accepted(conv: Any, func: str) -> None:
    a = np.arange(1, 101, dtype=DTYPES[func])
    assert getattr(conv, func)(a) == int(a.sum())
    assert getattr(conv, func)(a[:0]) == 0


@pytest.mark.parametrize("func", DTYPES)
def test_other_dtypes_are_refused_with_the_format(conv: Any, func: str) -> None:
    wrong = np.float64 if DTYPES[func] is not np.float64 else np.int64
    with pytest.raises(TypeError, match=rf"{func}\(\) argument 1 \(xs\) must be a buffer of .* not format '.'"):
        getattr(conv, func)(np.zeros(3, dtype=wrong))


def test_writes_go_to_the_array_itself(conv: Any) -> None:
    a = np.zeros(1000)
    conv.fill(a, 2.5)
    assert (a == 2.5).all()
    view = a[100:200]  # a contiguous slice: writes land in the parent
    conv.fill(view, -1.0)
    assert (a[100:200] == -1.0).all() and a[99] == 2.5 and a[200] == 2.5


def test_shape_contiguity_and_writability_errors(conv: Any) -> None:
    with pytest.raises(TypeError, match="must be a 1-dimensional buffer of float64.*not 2-dimensional"):
        conv.sum_f64(np.zeros((2, 2)))
    with pytest.raises(BufferError, match="must be C-contiguous"):
        conv.sum_f64(np.arange(10.0)[::2])
    frozen = np.zeros(4)
    frozen.flags.writeable = False
    assert conv.sum_f64(frozen) == 0.0  # reading a read-only array is fine
    with pytest.raises(BufferError, match=r"fill\(\) argument 1 \(xs\) must be a writable buffer, but it is read-only"):
        conv.fill(frozen, 1.0)
    big_endian = np.arange(3, dtype=">f8")
    with pytest.raises(TypeError, match="not format '>d'"):
        conv.sum_f64(big_endian)


def test_numpy_scalars_convert_like_python_numbers(conv: Any) -> None:
    assert conv.id_i64(np.int32(5)) == 5 and conv.id_u8(np.uint8(255)) == 255
    assert conv.id_f64(np.float32(0.5)) == 0.5
    with pytest.raises(OverflowError):
        conv.id_u8(np.int64(256))


def test_bool_arrays(conv: Any) -> None:
    assert conv.count_true(np.array([True, False, True, True])) == 3


def test_classes_export_memory_to_numpy_without_copying(classes: Any) -> None:
    r = classes.Ring(3)
    for x in (1, 2, 3):
        r.push(x)
    a = np.asarray(r)
    assert a.tolist() == [1.0, 2.0, 3.0] and not a.flags["OWNDATA"]
    r[0] = 10
    assert a[0] == 10.0
    m = classes.Matrix(2, 3)
    arr = np.asarray(m)
    assert arr.shape == (2, 3) and arr.tolist() == [[0, 1, 2], [3, 4, 5]]
    arr[1, 1] = 100
    assert m.trace() == 100.0
