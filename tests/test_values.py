"""More kinds of values (docs/values.md): complex, datetime family, sets, paths, enum classes,
N-d arrays through memoryview, []S results.  numpy-free (runs on every interpreter); the numpy
side of N-d arrays and complex buffers is in test_values_numpy.py."""

from __future__ import annotations

import array
import datetime as dt
import enum
import gc
import os
import pathlib
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from support import import_error, run_python

pytestmark = pytest.mark.per_interpreter  # datetime, enum, set and buffer C-APIs differ between CPython versions

# ---- complex ----


def test_complex_round_trip(values: Any) -> None:
    for a, b in [(1 + 2j, 3 - 1j), (0j, 5j), (-1.5e300 + 0j, 1e-300j), (2.5 - 0.5j, -4j)]:
        assert values.cmul(a, b) == a * b and type(values.cmul(a, b)) is complex
    assert values.cmul(2, 3.5) == 7 + 0j  # ints and floats are complex numbers, as for cmath

    class C:
        def __complex__(self) -> complex:
            return 1 + 1j

    assert values.cmul(C(), 1) == 1 + 1j
    assert values.conj32(1.5 + 2j) == 1.5 - 2j and values.conj32(0.1 + 0j) != 0.1  # f32 precision
    assert values.csum([1j, 2, 3 + 1j]) == 5 + 2j and values.csum(()) == 0j
    roots = values.croots(4)
    assert type(roots) is list and len(roots) == 4 and abs(roots[1] - 1j) < 1e-12


def test_complex_bad_input(values: Any) -> None:
    for bad in ("1+2j", None, [1]):
        with pytest.raises(TypeError, match=rf"cmul\(\) argument 1 \(a\) must be complex, not {type(bad).__name__}"):
            values.cmul(bad, 1)
    with pytest.raises(OverflowError, match=r"conj32\(\) argument 1 \(a\) is out of range for complex64"):
        values.conj32(1e300 + 0j)
    with pytest.raises(TypeError, match=r"csum\(\) argument 1 \(xs\) item must be complex, not str"):
        values.csum([1j, "x"])
    with pytest.raises(TypeError, match=r"cdouble\(\) argument 1 \(xs\) must be a writable buffer of complex128 \(format 'Zd'\)"):
        values.cdouble([1j])


# ---- datetime, date, time, timedelta ----

DATETIMES = [dt.datetime(2024, 2, 29, 13, 45, 59, 123456), dt.datetime.min, dt.datetime.max,
             dt.datetime(2000, 1, 1, fold=1), dt.datetime(1970, 1, 1, 0, 0, 0, 1)]


@pytest.mark.parametrize("value", DATETIMES, ids=str)
def test_naive_datetimes_round_trip(values: Any, value: dt.datetime) -> None:
    back = values.dt_id(value)
    assert back == value and back.tzinfo is None and back.fold == value.fold and type(back) is dt.datetime
    assert values.dt_offset(value) is None
    assert values.dt_fields(value) == (value.year, value.month, value.day, value.hour, value.minute,
                                       value.second, value.microsecond, value.fold)


def test_aware_datetimes_carry_their_utc_offset(values: Any) -> None:
    east = dt.datetime(2024, 5, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert values.dt_offset(east) == 5 * 3600 + 30 * 60
    assert values.dt_id(east) == east and values.dt_id(east).utcoffset() == east.utcoffset()
    west = dt.datetime(2024, 5, 1, tzinfo=dt.timezone(-dt.timedelta(hours=3)))
    assert values.dt_offset(west) == -3 * 3600 and values.dt_id(west) == west
    utc = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    assert values.dt_offset(utc) == 0 and values.dt_id(utc).tzinfo is dt.timezone.utc
    # A zone with rules: the offset of that moment (the zone's name is not kept).
    import zoneinfo
    try:
        paris = zoneinfo.ZoneInfo("Europe/Paris")
    except zoneinfo.ZoneInfoNotFoundError:
        paris = None
    if paris is not None:
        summer, winter = dt.datetime(2024, 7, 1, 12, tzinfo=paris), dt.datetime(2024, 1, 1, 12, tzinfo=paris)
        assert (values.dt_offset(summer), values.dt_offset(winter)) == (7200, 3600)
        assert values.dt_id(summer) == summer

    class NoOffset(dt.tzinfo):  # a tzinfo that answers None makes a naive datetime, as in Python
        def utcoffset(self, d: dt.datetime | None) -> dt.timedelta | None:
            return None

        def dst(self, d: dt.datetime | None) -> dt.timedelta | None:
            return None

        def tzname(self, d: dt.datetime | None) -> str | None:
            return None

    assert values.dt_offset(dt.datetime(2024, 1, 1, tzinfo=NoOffset())) is None


def test_datetime_results(values: Any) -> None:
    assert values.dt_make(2024, 1, 31, None) == dt.datetime(2024, 1, 31, 12)
    made = values.dt_make(2024, 1, 31, -3600)
    assert made == dt.datetime(2024, 1, 31, 12, tzinfo=dt.timezone(dt.timedelta(hours=-1)))
    assert made.utcoffset() == dt.timedelta(hours=-1)


def test_datetime_bad_input(values: Any) -> None:
    with pytest.raises(TypeError, match=r"dt_id\(\) argument 1 \(d\) must be datetime.datetime, not date"):
        values.dt_id(dt.date(2024, 1, 1))
    with pytest.raises(TypeError, match=r"dt_id\(\) argument 1 \(d\) must be datetime.datetime, not str"):
        values.dt_id("2024-01-01T00:00:00")
    with pytest.raises(ValueError, match=r"dt_id\(\) argument 1 \(d\) has a UTC offset with fractions of a second"):
        values.dt_id(dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=1, microseconds=5))))

    class Broken(dt.tzinfo):
        def utcoffset(self, d: dt.datetime | None) -> dt.timedelta | None:
            raise LookupError("no such zone")

        def dst(self, d: dt.datetime | None) -> dt.timedelta | None:
            return None

        def tzname(self, d: dt.datetime | None) -> str | None:
            return None

    with pytest.raises(LookupError, match="no such zone"):
        values.dt_offset(dt.datetime(2024, 1, 1, tzinfo=Broken()))
    # Out-of-range results: datetime's own ValueError.
    with pytest.raises(ValueError, match="month must be in 1..12"):
        values.dt_make(2024, 13, 1, None)
    with pytest.raises(ValueError, match="day is out of range for month"):
        values.dt_make(2023, 2, 29, None)
    with pytest.raises(ValueError, match="offset must be a timedelta strictly between"):
        values.dt_make(2024, 1, 1, 86400)


def test_dates(values: Any) -> None:
    for d in (dt.date(1, 1, 1), dt.date.max, dt.date(2024, 2, 29)):
        assert values.date_id(d) == d and type(values.date_id(d)) is dt.date
    assert values.next_day(dt.date(2024, 2, 28)) == dt.date(2024, 2, 29)
    with pytest.raises(ValueError, match="day is out of range for month"):
        values.next_day(dt.date(2024, 1, 31))
    # A datetime is-a date in Python; converting it would drop its time silently.
    with pytest.raises(TypeError, match=r"must be datetime.date, not datetime.datetime \(call .date\(\) to drop the time\)"):
        values.date_id(dt.datetime(2024, 1, 1, 12))
    with pytest.raises(TypeError, match=r"date_id\(\) argument 1 \(d\) must be datetime.date, not int"):
        values.date_id(20240101)
    assert values.dates_span([dt.date(2024, 1, 1), dt.date(2024, 1, 3)]) == 2


def test_times(values: Any) -> None:
    for t in (dt.time(), dt.time(23, 59, 59, 999999), dt.time(1, 2, 3, fold=1),
              dt.time(12, tzinfo=dt.timezone.utc), dt.time(6, tzinfo=dt.timezone(dt.timedelta(hours=-7)))):
        back = values.time_id(t)
        assert back == t and back.fold == t.fold and back.utcoffset() == t.utcoffset()
    with pytest.raises(TypeError, match=r"time_id\(\) argument 1 \(t\) must be datetime.time, not datetime"):
        values.time_id(dt.datetime(2024, 1, 1))


def test_timedeltas(values: Any) -> None:
    for td in (dt.timedelta(0), dt.timedelta(days=-1, microseconds=5), dt.timedelta.max, dt.timedelta.min,
               dt.timedelta(seconds=-1), dt.timedelta(weeks=3, hours=5)):
        assert values.td_id(td) == td
        assert values.td_micros(td) == td // dt.timedelta(microseconds=1)
    for us in (0, -1, 1, 86_400 * 10**6 + 7, -(10**15)):
        assert values.td_from_micros(us) == dt.timedelta(microseconds=us)
    assert values.td_from_micros(-(2**63)) == dt.timedelta(microseconds=-(2**63))  # any i64 fits
    with pytest.raises(TypeError, match=r"td_id\(\) argument 1 \(t\) must be datetime.timedelta, not float"):
        values.td_id(1.5)


# ---- set, frozenset ----


def test_sets(values: Any) -> None:
    assert values.set_sum({1, 2, 3}) == 6 and values.set_sum(frozenset([5])) == 5 and values.set_sum(set()) == 0
    words = values.set_of_words("a b a c b")
    assert words == {"a", "b", "c"} and type(words) is set  # duplicates collapse
    evens = values.frozen_evens(4)
    assert evens == frozenset({0, 2, 4, 6}) and type(evens) is frozenset
    assert values.set_lengths({"ab", "c", "de"}) == {1, 2}

    class MySet(set[int]):
        pass

    assert values.set_sum(MySet({4, 5})) == 9


def test_set_bad_input(values: Any) -> None:
    for bad in ([1, 2], (1,), {1: 2}, "12"):
        with pytest.raises(TypeError, match=rf"set_sum\(\) argument 1 \(s\) must be a set or frozenset, not {type(bad).__name__}"):
            values.set_sum(bad)
    with pytest.raises(TypeError, match=r"set_sum\(\) argument 1 \(s\) item must be int, not str"):
        values.set_sum({1, "x"})
    with pytest.raises(OverflowError, match=r"set_sum\(\) argument 1 \(s\) item is out of range for i64"):
        values.set_sum({2**64})


# ---- paths ----


def test_paths(values: Any, tmp_path: Path) -> None:
    assert values.path_bytes("a/b") == b"a/b"
    assert values.path_bytes(b"raw\xffname") == b"raw\xffname"
    assert values.path_bytes(pathlib.Path("/tmp/é")) == os.fsencode("/tmp/é")
    assert values.path_bytes("bad\udcffsurrogate") == os.fsencode("bad\udcffsurrogate")  # surrogateescape, like os

    class Custom:
        def __fspath__(self) -> str:
            return "custom/path"

    assert values.path_bytes(Custom()) == b"custom/path"
    joined = values.path_join(tmp_path, "f.txt")
    assert joined == tmp_path / "f.txt" and isinstance(joined, pathlib.Path)
    assert values.path_count(["a", b"b", pathlib.Path("c")]) == 3


def test_path_bad_input(values: Any) -> None:
    for bad in (3, None, ["a"]):
        with pytest.raises(TypeError, match=rf"path_bytes\(\) argument 1 \(p\) must be str, bytes or os.PathLike, not {type(bad).__name__}"):
            values.path_bytes(bad)
    with pytest.raises(ValueError, match=r"path_bytes\(\) argument 1 \(p\): embedded null byte"):
        values.path_bytes("a\0b")

    class Failing:
        def __fspath__(self) -> str:
            raise PermissionError("not today")

    with pytest.raises(PermissionError, match="not today"):
        values.path_bytes(Failing())


# ---- enums as enum classes ----


def test_enum_classes(values: Any) -> None:
    Color, Level, Flags = values.Color, values.Level, values.Flags
    assert issubclass(Color, enum.Enum) and issubclass(Color, str)
    assert [m.name for m in Color] == ["red", "green", "blue"] and Color.red.value == "red"
    assert Color.red == "red" and str(Color.red) == "red" and f"{Color.green}" == "green"  # StrEnum-like
    if sys.version_info >= (3, 11):
        assert issubclass(Color, enum.StrEnum)
    assert issubclass(Level, enum.IntEnum) and [(m.name, m.value) for m in Level] == [("low", 1), ("mid", 5), ("high", 10)]
    assert Level.mid == 5 and issubclass(Flags, enum.IntEnum)
    assert Color.__module__ == "values" and Color.__qualname__ == "Color"
    assert pickle.loads(pickle.dumps(Color.blue)) is Color.blue
    assert values.Colour is Color  # an alias shares the class


def test_enum_results_are_members(values: Any) -> None:
    assert values.next_color("red") is values.Color.green
    assert values.palette() == [values.Color.red, values.Color.green, values.Color.blue]
    assert values.level_up(values.Level.low) is values.Level.mid
    assert values.flag(2) is values.Flags.b
    assert values.flag(7) == 7 and type(values.flag(7)) is int  # a non-exhaustive enum's unnamed value


def test_members_survive_a_second_import(zig_modules: Path) -> None:
    # A fresh module object (same binary) makes fresh classes; members of the first still convert.
    out = run_python("""\
import sys
import zigimport, values
old = values.Color.red
del sys.modules["values"]
import values as again
assert again.Color is not type(old)
assert again.next_color(old) is again.Color.green and again.next_color(again.Color.red) is again.Color.green
print("ok")
""", cwd=zig_modules, log_level=None)
    assert out.stdout.strip() == "ok"


def test_enums_without_a_module_class(values: Any) -> None:
    assert values.odd("mro") == "fine" and type(values.odd("mro")) is str and not hasattr(values, "Odd")
    fast = values.speed(True)
    assert isinstance(fast, enum.Enum) and fast == "fast" and fast.name == "fast"
    assert values.speed(False) is type(fast).slow  # one class, made on first use


def test_enum_parameters(values: Any) -> None:
    assert values.next_color(values.Color.blue) is values.Color.red  # the member
    assert values.next_color("green") is values.Color.blue  # its name
    assert values.next_color(0) is values.Color.green  # its integer value
    assert values.level_up("mid") is values.Level.high and values.level_up(10) is values.Level.high
    with pytest.raises(TypeError, match=r"next_color\(\) argument 1 \(c\) must be Color \(or one of 'red', 'green', 'blue'\), not Level"):
        values.next_color(values.Level.low)  # another enum's member, even if its value would fit
    with pytest.raises(ValueError, match=r"level_up\(\) argument 1 \(l\) must be one of 'low', 'mid', 'high' or its integer value, not 3"):
        values.level_up(3)
    with pytest.raises(ValueError, match=r"must be one of 'red', 'green', 'blue', not 'purple'"):
        values.next_color("purple")


# ---- as class fields ----


def test_values_as_class_fields(values: Any) -> None:
    when = dt.datetime(2024, 3, 1, 9, tzinfo=dt.timezone.utc)
    e = values.Event(when)
    assert e.when == when and e.z == 0j and e.color is values.Color.red and e.span == dt.timedelta(0)
    e.z, e.color, e.span = 1 - 1j, "blue", dt.timedelta(minutes=5)
    assert (e.z, e.color, e.span) == (1 - 1j, values.Color.blue, dt.timedelta(minutes=5))
    with pytest.raises(TypeError, match=r"Event.when must be datetime.datetime, not int"):
        e.when = 3
    with pytest.raises(TypeError, match=r"Event.color must be Color \(or one of 'red', 'green', 'blue'\), not Level"):
        e.color = values.Level.low


# ---- N-d arrays without numpy (memoryview shapes) ----


def test_ndarray_from_memoryview(values: Any) -> None:
    flat = array.array("d", [float(i) for i in range(12)])
    m = memoryview(flat).cast("B").cast("d", (3, 4))
    assert values.nd_sum(m) == 66.0 and values.at2(m, 2, 3) == 11.0
    assert values.nd_info(m) == ([3, 4], [4, 1], True, False)
    assert values.nd_sum(flat) == 66.0  # 1-D buffers are arrays too
    ro = memoryview(bytes(8 * 4)).cast("d", (2, 2))
    with pytest.raises(BufferError, match=r"fill_index\(\) argument 1 \(a\) must be a writable array, but it is read-only"):
        values.fill_index(ro)
    w = memoryview(bytearray(8 * 6)).cast("d", (2, 3))
    values.fill_index(w)
    assert w.tolist() == [[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]]  # type: ignore[comparison-overlap]
    with pytest.raises(TypeError, match=r"at2\(\) argument 1 \(a\) must be a 2-dimensional array of float64 \(format 'd'\), not 1-dimensional"):
        values.at2(flat, 0, 0)
    with pytest.raises(TypeError, match=r"nd_sum\(\) argument 1 \(a\) must be an array of float64 \(format 'd'\), not format 'i'"):
        values.nd_sum(array.array("i", [1]))
    with pytest.raises(TypeError, match=r"nd_sum\(\) argument 1 \(a\) must be an array of float64 \(format 'd'\) \(numpy array, memoryview, array.array\), not list"):
        values.nd_sum([[1.0]])


def test_views_paths_and_sets_in_the_keyword_form(values: Any) -> None:
    flat = array.array("d", [1.0, 2.5])
    assert values.kw_views() == (0.0, 0, 0)
    assert values.kw_views(a=flat, p=pathlib.Path("abc"), s={1, 2}) == (3.5, 3, 3)
    assert values.kw_views(s=frozenset({5}), a=None) == (0.0, 0, 5)
    with pytest.raises(TypeError, match=r"kw_views\(\) argument 's' must be a set or frozenset, not list"):
        values.kw_views(s=[1])


def test_arrays_cannot_be_list_items_or_results(tmp_path: Path) -> None:
    (tmp_path / "nd_bad.zig").write_text("""\
const py = @import("zig_core");
pub fn f(xs: []const py.NDArray(f64)) usize {
    return xs.len;
}
comptime {
    py.module(@This());
}
""")
    out = import_error("nd_bad", "zigimport.ZigCompileError", cwd=tmp_path)
    assert ("f() argument 1 (xs) item: py.NDArray(f64) is a view valid during the call; "
            "it can be a parameter, not an item of a container") in out.stdout


# ---- bug 8: []S results ----


def test_mutable_slices_of_structs_are_lists(values: Any) -> None:
    got = values.items(3)
    assert type(got) is list and [(i.name, i.qty) for i in got] == [("item", 0), ("item", 1), ("item", 2)]
    assert values.names() == ["a", "b"]


# ---- reference counts ----

REFCOUNTS = """\
import array, datetime as dt, gc, pathlib, sys
import zigimport, values as v

aware = dt.datetime(2024, 5, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
naive = dt.datetime(2024, 5, 1, 1, 2, 3)
day, t, td = dt.date(2024, 1, 1), dt.time(1, tzinfo=dt.timezone.utc), dt.timedelta(days=3)
s, fs, p, c = {1, 2, 3}, frozenset({"a", "bb"}), pathlib.Path("/tmp/x"), 1 + 2j
flat = array.array("d", [1.0] * 12)
m = memoryview(flat).cast("B").cast("d", (3, 4))
watched = [aware, naive, day, t, td, s, fs, p, c, flat, aware.tzinfo, v.Color.red, v.Level.mid]

def batch(n: int) -> None:
    for _ in range(n):
        v.dt_id(aware); v.dt_id(naive); v.dt_offset(aware); v.date_id(day); v.time_id(t); v.td_id(td)
        v.set_sum(s); v.set_lengths(fs); v.set_of_words("a b"); v.frozen_evens(3)
        v.path_bytes(p); v.path_join(p, "y"); v.path_count([p, "a"])
        v.cmul(c, c); v.csum([c, c]); v.croots(2)
        v.nd_sum(m); v.at2(m, 1, 1); v.nd_info(m)
        v.next_color(v.Color.red); v.next_color("red"); v.level_up(v.Level.mid); v.palette(); v.flag(7)
        v.items(2)
        for bad in (lambda: v.set_sum([1]), lambda: v.date_id(naive), lambda: v.path_bytes(3),
                    lambda: v.next_color(v.Level.low), lambda: v.at2(flat, 0, 0)):
            try:
                bad()
            except (TypeError, ValueError):
                pass

PAGE = 4096
def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE

batch(2000)
gc.collect()
before, rss0 = [sys.getrefcount(o) for o in watched], rss()
batch(20000)
gc.collect()
after = [sys.getrefcount(o) for o in watched]
print(rss() - rss0, before == after, before, after)
"""


def test_new_conversions_keep_reference_counts_steady(zig_modules: Path) -> None:
    out = run_python(REFCOUNTS, cwd=zig_modules, timeout=600, log_level=None)
    growth, same, *_ = out.stdout.split(maxsplit=2)
    assert same == "True", out.stdout
    assert int(growth) < 2 * 1024 * 1024, f"RSS grew by {int(growth) / 1e6:.1f} MB"


def test_gc_finds_nothing_new(values: Any) -> None:
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(200):
        values.set_of_words("x y z")
        values.dt_id(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        values.palette()
    gc.collect()
    assert len(gc.get_objects()) - before < 50
