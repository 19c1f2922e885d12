"""Arbitrary Python values thrown at every example function: the right result or a clean error, never a crash.

Each function has a Python reference with zig_core's conversion rules; a call either matches it
or raises TypeError/ValueError/OverflowError/BufferError (ZeroDivisionError where documented).
A crash would take the whole test process down, so surviving is itself the first assertion.
"""

from __future__ import annotations

import array
import importlib
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

CLEAN_ERRORS = (TypeError, ValueError, OverflowError, BufferError)
I64 = (-(2**63), 2**63 - 1)

anything = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(), st.booleans(), st.none(), st.text(max_size=20),
    st.binary(max_size=20), st.lists(st.floats(), max_size=5), st.lists(st.integers(-5, 5), max_size=5),
    st.tuples(st.floats(), st.floats()), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object), st.just(np.float64(1.5)), st.just(np.int64(3)),
    hnp.arrays(st.sampled_from([np.float64, np.float32, np.int64, np.uint8]), st.integers(0, 6)),
    st.builds(lambda xs: array.array("d", xs), st.lists(st.floats(), max_size=5)),
    st.builds(lambda b: memoryview(b), st.binary(max_size=16)),
)
floats_ok = st.one_of(st.floats(), st.integers(-(2**60), 2**60), st.booleans())
float_buffers = st.one_of(
    hnp.arrays(np.float64, st.integers(0, 40), elements=st.floats(-1e6, 1e6)),
    st.lists(st.floats(-1e6, 1e6), max_size=40),
    st.builds(lambda xs: array.array("d", xs), st.lists(st.floats(-1e6, 1e6), max_size=40)),
)


def as_float(x: Any) -> float:
    if isinstance(x, str | bytes | bytearray) or not isinstance(x, int | float | np.floating | np.integer):
        raise TypeError
    return float(x)


def as_i64(x: Any) -> int:
    if not isinstance(x, int | np.integer):
        raise TypeError
    if not I64[0] <= int(x) <= I64[1]:
        raise OverflowError
    return int(x)


def float_values(xs: Any) -> list[float]:
    if isinstance(xs, list | tuple):
        return [as_float(x) for x in xs]
    a = np.asarray(memoryview(xs))  # TypeError for non-buffers
    if a.dtype != np.float64 or a.ndim != 1:
        raise TypeError
    return [float(v) for v in a]


def zig_min(a: float, b: float) -> float:  # Zig's @min/@max ignore a NaN operand (IEEE minNum/maxNum)
    return b if math.isnan(a) else a if math.isnan(b) else min(a, b)


def zig_max(a: float, b: float) -> float:
    return b if math.isnan(a) else a if math.isnan(b) else max(a, b)


def byte_values(s: Any) -> bytes:
    """[]const u8: str as UTF-8, or a 1-D contiguous buffer of bytes."""
    if isinstance(s, str):
        return s.encode()
    view = memoryview(s)  # TypeError for non-buffers
    if view.ndim != 1 or view.format not in ("B", "b", "c"):
        raise TypeError
    if not view.c_contiguous:
        raise BufferError
    return view.tobytes()


def ascii_upper(s: Any) -> str:
    return byte_values(s).upper().decode("utf-8")  # bytes.upper changes only a-z, like std.ascii


class AnyOutcome(Exception):
    """The reference cannot predict the exact float (e.g. algorithms differ near overflow):
    any result or clean error is right, as long as nothing crashes."""


def reference_add(a: Any, b: Any) -> int:
    r = as_i64(a) + as_i64(b)
    if not I64[0] <= r <= I64[1]:
        raise OverflowError
    return r


def reference_clamp(x: Any, lo: Any = 0.0, hi: Any = 1.0) -> float:
    return zig_min(zig_max(as_float(x), as_float(lo)), as_float(hi))


def reference_safe_div(a: Any, b: Any) -> float:
    a, b = as_float(a), as_float(b)
    if b == 0:
        raise ZeroDivisionError
    return a / b


def reference_total(xs: Any) -> float:
    values = float_values(xs)
    if not all(abs(v) < 1e300 for v in values):  # fsum raises on overflow where IEEE sums give inf
        raise AnyOutcome
    return math.fsum(values)


def reference_mean(xs: Any) -> float:
    if not float_values(xs):
        raise ValueError
    return reference_total(xs) / len(float_values(xs))


def reference_variance(xs: Any) -> float:
    values = float_values(xs)
    if len(values) < 2:
        raise ValueError
    if not all(abs(v) < 1e100 for v in values):  # Welford and two-pass part ways near overflow
        raise AnyOutcome
    # Exact (a float mean rounded off is itself an error of ~ulp(mean)**2 * n, which for values
    # near 1e15 is far beyond rel_tol): the kernel must be accurate, not as inexact as a reference.
    exact = [Fraction(v) for v in values]
    m = sum(exact) / len(exact)
    return float(sum((v - m) * (v - m) for v in exact) / (len(exact) - 1))


FUNCTIONS: dict[str, tuple[str, list[st.SearchStrategy[Any]], Callable[..., Any]]] = {
    "contract.add": ("add", [st.integers(-(2**64), 2**64), st.integers(-(2**64), 2**64)], reference_add),
    "contract.clamp": ("clamp", [floats_ok, floats_ok, floats_ok], reference_clamp),
    "contract.shout": ("shout", [st.one_of(st.text(), st.binary())], ascii_upper),
    "contract.safe_div": ("safe_div", [floats_ok, floats_ok], reference_safe_div),
    "contract.mean": ("mean", [float_buffers], reference_mean),
    "hello.add": ("add", [st.integers(-(2**64), 2**64), st.integers(-(2**64), 2**64)], reference_add),
    "hello.hypot": ("hypot", [floats_ok, floats_ok], lambda x, y: math.sqrt(as_float(x) * as_float(x) + as_float(y) * as_float(y))),
    "kernels.total": ("total", [float_buffers], reference_total),
    "kernels.mean": ("mean", [float_buffers], reference_mean),
    "kernels.variance": ("variance", [float_buffers], reference_variance),
}


def close(got: Any, want: Any) -> bool:
    if isinstance(want, float):
        if math.isnan(want):
            return isinstance(got, float) and math.isnan(got)
        return isinstance(got, float) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6)
    return bool(got == want) and type(got) is type(want)


def check(func: Callable[..., Any], reference: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> None:
    try:
        want: Any = reference(*args, **kwargs)
        want_error: type[BaseException] | None = None
    except AnyOutcome:
        try:
            func(*args, **kwargs)
        except CLEAN_ERRORS:
            pass
        return
    except (TypeError, ValueError, OverflowError, ZeroDivisionError, BufferError) as e:
        want, want_error = None, type(e)
    try:
        got = func(*args, **kwargs)
    except ZeroDivisionError:
        assert want_error is ZeroDivisionError, (args, kwargs)
        return
    except CLEAN_ERRORS as e:
        assert want_error is not None and want_error is not ZeroDivisionError, (args, kwargs, e)
        return
    assert want_error is None, (args, kwargs, got, want_error)
    assert close(got, want), (args, kwargs, got, want)


def module(name: str) -> Any:
    import zigimport  # noqa: F401

    return importlib.import_module(name)


@pytest.mark.parametrize("qualname", FUNCTIONS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_arbitrary_arguments_never_crash(zig_modules: Any, qualname: str, data: st.DataObject) -> None:
    mod_name, (func_name, strategies, reference) = qualname.split(".")[0], FUNCTIONS[qualname]
    func = getattr(module(mod_name), func_name)
    mode = data.draw(st.sampled_from(["typed", "anything", "arity"]))
    if mode == "typed":
        args = [data.draw(s) for s in strategies]
    elif mode == "anything":
        args = [data.draw(anything) for _ in strategies]
    else:
        args = data.draw(st.lists(anything, max_size=len(strategies) + 2))
    kwargs: dict[str, Any] = {}
    if func_name == "clamp" and data.draw(st.booleans()):  # keyword binding, including unknown names
        names = data.draw(st.lists(st.sampled_from(["x", "lo", "hi", "y"]), max_size=3, unique=True))
        kwargs = {n: data.draw(floats_ok) for n in names}
    check(func, reference, args, kwargs)


def test_scale_and_clip_write_in_place_or_refuse(zig_modules: Any) -> None:
    contract, kernels = module("contract"), module("kernels")
    a = np.arange(5.0)
    contract.scale(a, 2)
    assert a.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]
    kernels.clip(a, hi=5.0)
    assert a.tolist() == [0.0, 2.0, 4.0, 5.0, 5.0]
    for bad in ([1.0], b"12345678", np.arange(3), (1.0,), "x"):
        with pytest.raises(CLEAN_ERRORS):
            contract.scale(bad, 2)
    with pytest.raises(ValueError, match=r"lo \(2\) must not exceed hi \(1\)"):
        kernels.clip(a, lo=2, hi=1)
    out = np.zeros(4)
    kernels.rolling_mean(np.arange(6.0), out, 3)
    assert out.tolist() == [1.0, 2.0, 3.0, 4.0]
    for xs, o, w in [(np.arange(6.0), np.zeros(3), 3), (np.arange(3.0), np.zeros(1), 0), (np.arange(3.0), np.zeros(1), 9)]:
        with pytest.raises(ValueError):
            kernels.rolling_mean(xs, o, w)
