"""Every zig_core conversion, both directions, at the boundaries (no numpy: runs on every interpreter)."""

from __future__ import annotations

import array
import inspect
import math
import sys
from typing import Any

import pytest

pytestmark = pytest.mark.per_interpreter  # conversions and reference counting are inlined per CPython version

INT_TYPES = {  # name: (min, max)
    "i8": (-2**7, 2**7 - 1), "u8": (0, 2**8 - 1), "i16": (-2**15, 2**15 - 1), "u16": (0, 2**16 - 1),
    "i32": (-2**31, 2**31 - 1), "u32": (0, 2**32 - 1), "i64": (-2**63, 2**63 - 1), "u64": (0, 2**64 - 1),
    "i128": (-2**127, 2**127 - 1), "u128": (0, 2**128 - 1), "i256": (-2**255, 2**255 - 1),
    "u1": (0, 1), "i7": (-64, 63), "usize": (0, 2**64 - 1),
}


@pytest.mark.parametrize("name", INT_TYPES)
def test_integer_boundaries(conv: Any, name: str) -> None:
    lo, hi = INT_TYPES[name]
    f = getattr(conv, f"id_{name}")
    for v in (lo, hi, 0, (lo + hi) // 2):
        assert f(v) == v and type(f(v)) is int
    for v in (lo - 1, hi + 1, 10**100, -(10**100)):
        with pytest.raises(OverflowError, match=rf"id_{name}\(\) argument 1 \(x\) is out of range for {name}"):
            f(v)


@pytest.mark.parametrize("name", ["i8", "u64", "i128"])
def test_integers_follow_python_rules(conv: Any, name: str) -> None:
    f = getattr(conv, f"id_{name}")
    assert f(True) == 1 and f(False) == 0  # bool is an int
    class Index:
        def __index__(self) -> int:
            return 5
    assert f(Index()) == 5
    for bad in (1.0, "1", None, [1]):
        with pytest.raises(TypeError, match=rf"argument 1 \(x\) must be int, not {type(bad).__name__}"):
            f(bad)


def test_floats(conv: Any) -> None:
    for v in (0.0, -0.0, 1.5, -1e308, 5e-324, math.inf, -math.inf):
        assert conv.id_f64(v) == v and math.copysign(1, conv.id_f64(v)) == math.copysign(1, v)
    assert math.isnan(conv.id_f64(math.nan))
    assert conv.id_f64(3) == 3.0 and type(conv.id_f64(3)) is float  # ints are accepted, like math.sqrt(3)
    assert conv.id_f64(True) == 1.0
    assert conv.id_f32(0.1) == pytest.approx(0.1, rel=1e-7) and conv.id_f32(0.1) != 0.1
    assert conv.id_f32(math.inf) == math.inf and math.isnan(conv.id_f32(math.nan))
    with pytest.raises(OverflowError, match=r"id_f32\(\) argument 1 \(x\) is out of range for f32"):
        conv.id_f32(1e300)
    with pytest.raises(OverflowError):
        conv.id_f64(10**400)
    with pytest.raises(TypeError, match=r"id_f64\(\) argument 1 \(x\) must be float, not str"):
        conv.id_f64("1.0")


def test_bools(conv: Any) -> None:
    assert conv.negate(True) is False and conv.negate(False) is True
    for bad in (1, 0, None, "True"):
        with pytest.raises(TypeError, match=r"negate\(\) argument 1 \(x\) must be bool"):
            conv.negate(bad)


@pytest.mark.parametrize("text", ["", "a", "héllo wörld", "日本語", "emoji 🐍🦎", "nul\x00inside", "x" * 100_000])
def test_strings_round_trip(conv: Any, text: str) -> None:
    assert conv.echo(text) == text
    assert conv.length(text) == len(text.encode())
    assert conv.echo(text.encode()) == text  # bytes in, str out


def test_string_inputs_and_outputs(conv: Any) -> None:
    assert conv.echo(bytearray(b"abc")) == "abc" and conv.echo(memoryview(b"xyz")) == "xyz"
    assert conv.echo_z("abc") == 3 and conv.echo_z(b"ab\x00cd") == 2  # [:0]const u8: C-string semantics
    with pytest.raises(TypeError, match=r"echo_z\(\) argument 1 \(s\) must be str or bytes, not bytearray"):
        conv.echo_z(bytearray(b"abc"))
    with pytest.raises(TypeError, match=r"echo\(\) argument 1 \(s\) must be str or a bytes-like object, not int"):
        conv.echo(5)
    with pytest.raises(UnicodeEncodeError):
        conv.echo("lone \udc80 surrogate")
    with pytest.raises(UnicodeDecodeError, match="can't decode byte 0xff in position 2"):
        conv.invalid_utf8()  # strict: never a silently altered string
    assert conv.as_bytes("\xff".encode("latin-1")) == b"\xff" and type(conv.as_bytes("a")) is bytes
    assert conv.bytes_len(b"abcd") == 4 and conv.bytes_len(bytearray(3)) == 3
    with pytest.raises(TypeError, match=r"bytes_len\(\) argument 1 \(b\) must be a bytes-like object, not str"):
        conv.bytes_len("abc")
    assert conv.literal() == "hello"
    assert conv.repeat("ab", 3) == "ababab" and conv.repeat("", 5) == "" and conv.repeat("é", 2) == "éé"


def test_writable_bytes(conv: Any) -> None:
    buf = bytearray(b"abc")
    assert conv.upper_in_place(buf) is None and buf == b"ABC"
    with pytest.raises(BufferError, match=r"upper_in_place\(\) argument 1 \(buf\) must be a writable buffer"):
        conv.upper_in_place(b"abc")
    with pytest.raises(TypeError, match="writable bytes-like object"):
        conv.upper_in_place("abc")


def test_optionals_and_void(conv: Any) -> None:
    assert conv.maybe_double(None) is None and conv.maybe_double(4) == 8
    assert conv.add_maybe(1) == 101 and conv.add_maybe(1, None) == 101 and conv.add_maybe(1, 2) == 3
    assert conv.nothing() is None
    assert str(inspect.signature(conv.add_maybe)) == "(a, b=None)"


def test_tuples_records_arrays(conv: Any) -> None:
    assert conv.divmod(7, 2) == (3, 1) and type(conv.divmod(7, 2)) is tuple
    s = conv.stats([1.0, 2.0, 6.0])
    assert (s.mean, s.count, s.name) == (3.0, 3, "stats") and tuple(s) == (3.0, 3, "stats")
    assert type(s).__name__ == "Stats" and type(s).__module__ == "conv"
    assert conv.shift((1.0, 2.0), 3.0) == (4.0, 2.0) and conv.shift({"x": 1, "y": 2}, 1).x == 2.0
    with pytest.raises(KeyError, match="missing key 'y'"):
        conv.shift({"x": 1}, 1)
    with pytest.raises(ValueError, match=r"must have 2 items, not 3"):
        conv.shift((1, 2, 3), 1)
    assert conv.dot3([1, 2, 3], (4, 5, 6)) == 32.0
    with pytest.raises(ValueError, match=r"dot3\(\) argument 1 \(a\) must have 3 items, not 2"):
        conv.dot3([1, 2], [1, 2, 3])
    with pytest.raises(TypeError, match=r"dot3\(\) argument 2 \(b\) item must be float, not str"):
        conv.dot3([1, 2, 3], [1, "x", 3])
    assert conv.pair((7, "seven")) == ("seven", 7)
    assert conv.first_two([1.5, 2.5, 3.5]) == [1.5, 2.5]


def test_enums(conv: Any) -> None:
    assert conv.next_color("red") == "green" and conv.next_color("blue") == "red"
    assert conv.next_color(1) == "blue"  # the integer value works too
    with pytest.raises(ValueError, match=r"must be one of 'red', 'green', 'blue', not 'purple'"):
        conv.next_color("purple")
    with pytest.raises(ValueError, match="or its integer value, not 7"):
        conv.next_color(7)
    with pytest.raises(TypeError, match=r"must be str \(one of 'red', 'green', 'blue'\), not float"):
        conv.next_color(1.0)


def test_sequences_of_strings(conv: Any) -> None:
    assert conv.join(["a", "bé", "c"], ", ") == "a, bé, c" and conv.join([], "-") == ""
    assert conv.lengths(("ab", b"xyz", "")) == [2, 3, 0]
    with pytest.raises(TypeError, match=r"join\(\) argument 1 \(parts\) must be a list or tuple, not str"):
        conv.join("abc", "-")
    with pytest.raises(TypeError, match=r"join\(\) argument 1 \(parts\) item must be str or a bytes-like object, not int"):
        conv.join(["a", 1], "-")


def test_keyword_binding_matches_python(conv: Any) -> None:
    def reference(a: int, b: float = 2.5, c: bool = True, d: str | None = None, color: str = "red") -> tuple[Any, ...]:
        return (a, b, c, d, color)

    for args, kwargs in [((1,), {}), ((1, 3.0), {}), ((), {"a": 1}), ((1,), {"color": "blue", "c": False}),
                         ((1, 2, False, "d", "green"), {}), ((), {"d": "x", "a": 5, "b": 1})]:
        assert conv.kw(*args, **kwargs) == reference(*args, **kwargs)
    cases: list[tuple[tuple[Any, ...], dict[str, Any], str]] = [
        ((), {}, r"kw\(\) missing 1 required positional argument: 'a'"),
        ((1,), {"a": 2}, r"kw\(\) got multiple values for argument 'a'"),
        ((1,), {"e": 2}, r"kw\(\) got an unexpected keyword argument 'e'"),
        ((1, 2, True, None, "red", 6), {}, r"kw\(\) takes from 1 to 5 positional arguments but 6 were given"),
        ((1,), {"b": "x"}, r"kw\(\) argument 'b' must be float, not str"),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(TypeError, match=message):
            conv.kw(*args, **kwargs)
    assert str(inspect.signature(conv.kw)) == "(a, b=2.5, c=True, d=None, color='red')"
    # A named struct is one record parameter (tuple or dict), not keywords.
    assert conv.norm((3, 4)) == 5.0 and conv.norm(p={"x": 3, "y": 4}) == 5.0
    with pytest.raises(TypeError, match=r"norm\(\) got an unexpected keyword argument 'x'"):
        conv.norm(x=3, y=4)


def test_plain_parameters_take_keywords_and_check_counts(conv: Any) -> None:
    assert conv.id_i64(x=1) == 1
    with pytest.raises(TypeError, match=r"id_i64\(\) got an unexpected keyword argument 'y'"):
        conv.id_i64(y=1)
    with pytest.raises(TypeError, match=r"id_i64\(\) takes 1 positional argument but 2 were given"):
        conv.id_i64(1, 2)
    with pytest.raises(TypeError, match=r"nothing\(\) takes 0 positional arguments but 1 was given"):
        conv.nothing(1)
    assert str(inspect.signature(conv.id_i64)) == "(x)"


def test_numeric_slices_from_stdlib_buffers_and_lists(conv: Any) -> None:
    assert conv.sum_f64(array.array("d", [1.5, 2.5])) == 4.0
    assert conv.sum_f64([1, 2.5, True]) == 4.5 and conv.sum_f64(()) == 0.0  # lists/tuples are copied
    assert conv.sum_i32(array.array("i", [1, -2, 3])) == 2 and conv.sum_i32([2**31 - 1, 1]) == 2**31
    assert conv.sum_u16(array.array("H", [65535, 1])) == 65536
    with pytest.raises(BufferError, match=r"sum_f64\(\) argument 1 \(xs\) must be C-contiguous"):
        conv.sum_f64(memoryview(array.array("d", [1.0, 2.0, 3.0]))[::2])
    with pytest.raises(TypeError, match=r"sum_f64\(\) argument 1 \(xs\) must be a buffer of float64 \(format 'd'\), not format 'f'"):
        conv.sum_f64(array.array("f", [1.0]))
    with pytest.raises(TypeError, match=r"not 2-dimensional"):
        conv.sum_f64(memoryview(array.array("d", [1.0, 2.0, 3.0, 4.0])).cast("B").cast("d", (2, 2)))
    with pytest.raises(OverflowError, match=r"sum_i32\(\) argument 1 \(xs\) item is out of range for i32"):
        conv.sum_i32([2**31])
    with pytest.raises(TypeError, match=r"item must be float, not str"):
        conv.sum_f64([1.0, "2"])
    a = array.array("d", [1.0, 2.0])
    assert conv.fill(a, 7.0) is None and list(a) == [7.0, 7.0]
    with pytest.raises(TypeError, match=r"fill\(\) argument 1 \(xs\) must be a writable buffer of float64"):
        conv.fill([1.0, 2.0], 0.0)  # a list cannot be written back
    with pytest.raises(BufferError, match=r"must be a writable buffer, but it is read-only"):
        conv.fill(memoryview(bytes(16)).cast("d"), 0.0)
    unaligned = memoryview(bytearray(17))[1:].cast("d")
    with pytest.raises(BufferError, match="is not aligned for f64"):
        conv.sum_f64(unaligned)
    assert conv.count_true([True, False, True]) == 2


def test_objects_and_calls_into_python(conv: Any) -> None:
    marker = object()
    before = sys.getrefcount(marker)
    for _ in range(10_000):
        assert conv.identity(marker) is marker
    assert sys.getrefcount(marker) == before
    assert conv.type_name(3.5) == "float" and conv.type_name(conv) == "module"
    assert conv.call_with(lambda a, b: f"{a}-{b}", 5) == "5-zig"
    assert conv.sqrt_via_math(16) == 4.0

    class Boom(Exception):
        pass

    def raises(a: int, b: str) -> None:
        raise Boom(a)

    with pytest.raises(Boom):  # a Python exception raised inside propagates unchanged
        conv.call_with(raises, 1)


ERROR_MAP = {
    "ValueError": ValueError, "KeyError": KeyError, "IndexError": IndexError, "ZeroDivisionError": ZeroDivisionError,
    "OutOfMemory": MemoryError, "Overflow": OverflowError, "FileNotFound": FileNotFoundError,
    "AccessDenied": PermissionError, "EndOfStream": EOFError, "InvalidCharacter": ValueError,
}


@pytest.mark.parametrize("name", ERROR_MAP)
def test_zig_errors_map_to_python_exceptions(conv: Any, name: str) -> None:
    with pytest.raises(ERROR_MAP[name], match=f"error.{name} returned by fail()") as info:
        conv.fail(name)
    assert type(info.value) is ERROR_MAP[name]


def test_other_zig_errors_raise_zig_error(conv: Any) -> None:
    import zigimport

    with pytest.raises(zigimport.ZigError, match=r"error.InvalidInput returned by fail\(\)") as info:
        conv.fail("InvalidInput")
    assert info.value.zig_error == "InvalidInput"
    assert conv.fail("nothing") is None


def test_raise_helper_formats_the_message(conv: Any) -> None:
    assert conv.check_positive(3) == 3
    with pytest.raises(ValueError, match="^x must be positive, got -3$"):
        conv.check_positive(-3)


def test_allocators(conv: Any) -> None:
    assert conv.python_allocator_roundtrip(1000) == sum(range(1000))


def test_docstrings_and_module_doc(conv: Any) -> None:
    assert conv.__doc__ == "Every conversion zig_core supports, for tests/test_conversions.py."
    assert conv.norm.__doc__ == "A named struct parameter: one record (a tuple or a dict)."
    assert conv.add_maybe.__doc__ == "The second argument may be left out (it defaults to None)."
    assert conv.id_i8.__doc__ is None


def _lines_of(fragments: list[str]) -> list[int]:
    from support import REPO

    text = (REPO / "tests/modules/conv.zig").read_text().splitlines()
    return [next(i for i, line in enumerate(text, 1) if fragment in line) for fragment in fragments]


TRACE_SITES = ["return parse_all(s);", "v = v * 10 + try parse_digit(ch);", "return error.InvalidInput;"]


def test_zig_error_return_trace_is_attached(conv: Any) -> None:
    """ReleaseSafe (the default) records error return traces: file:line of each Zig frame, outermost first."""
    import traceback

    import zigimport

    with pytest.raises(zigimport.ZigError) as info:
        conv.parse("12x")
    text = "".join(traceback.format_exception(info.value))
    assert "Zig error return trace (most recent call last):" in text
    found = [int(line.split("conv.zig:")[1].split(":")[0]) for line in text.splitlines() if "conv.zig:" in line]
    assert found == _lines_of(TRACE_SITES)


def test_debug_traces_name_the_functions(zig_modules: Any) -> None:
    from support import run_python

    out = run_python("""\
        import zigimport, traceback, conv
        try:
            conv.parse("9z")
        except zigimport.ZigError as e:
            print("".join(traceback.format_exception(e)))
        """, cwd=zig_modules, env={"ZIG_RELEASEMODE": "Debug"})
    frames = [line.strip() for line in out.stdout.splitlines() if "conv.zig:" in line]
    assert [f.rsplit(" in ", 1)[1] for f in frames] == ["conv.parse", "conv.parse_all", "conv.parse_digit"]
    assert [int(f.split("conv.zig:")[1].split(":")[0]) for f in frames] == _lines_of(TRACE_SITES)
