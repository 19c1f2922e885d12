"""Python objects from Zig: py.Dict, py.List, py.Tuple, py.Str, iteration, calls, exceptions,
py.create and string-keyed maps (tests/modules/objects.zig), and bool conversion (conv.zig)."""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from support import import_error, run_python, write


def test_dict_handle(objects: Any) -> None:
    d = {"a": 1, "b": 2}
    assert objects.dict_len(d) == 2 and objects.dict_len({}) == 0
    assert objects.dict_get(d, "a") == 1 and objects.dict_get(d, "zz") is None
    assert objects.dict_get_int(d, "b") == 2 and objects.dict_get_int(d, "zz") is None
    objects.dict_set(d, "c", 3)
    assert d == {"a": 1, "b": 2, "c": 3}
    objects.dict_set_text(d, "c", 4)
    assert d == {"a": 1, "b": 2, "c": 4}
    assert objects.dict_contains(d, "c") and not objects.dict_contains(d, "zz")
    objects.dict_del(d, "c")
    assert d == {"a": 1, "b": 2}
    assert objects.dict_sum_values(d) == 3 and objects.dict_render(d) == "a=1,b=2"
    assert objects.dict_keys(d) == ["a", "b"] and objects.dict_values(d) == [1, 2]
    assert objects.make_dict(4) == {0: 0, 1: 1, 2: 4, 3: 9}
    assert objects.dict_from_lists([1, 2], ["x", "y"]) == {1: "x", 2: "y"}
    objects.dict_clear(d)
    assert d == {}
    # Subclasses are dicts: accepted, and used through the dict protocol.
    counts = collections.Counter("abca")
    assert objects.dict_len(counts) == 3 and objects.dict_sum_values(counts) == 4
    assert objects.dict_len(collections.OrderedDict(a=1)) == 1


def test_dict_handle_bad_input(objects: Any) -> None:
    with pytest.raises(TypeError, match=re.escape("dict_len() argument 1 (d) must be dict, not list")):
        objects.dict_len([("a", 1)])
    with pytest.raises(TypeError, match=re.escape("dict_sum_values() argument 1 (d) must be dict, not mappingproxy")):
        objects.dict_sum_values(type.__dict__)  # a mapping, but not a dict
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        objects.dict_get({}, [])
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        objects.dict_set({}, [], 1)
    with pytest.raises(KeyError, match="'missing'"):
        objects.dict_del({}, "missing")
    with pytest.raises(TypeError, match=re.escape("value must be int, not str")):
        objects.dict_sum_values({"a": "x"})
    with pytest.raises(TypeError, match=re.escape("dict_get_int() argument 2 (key) must be str or a bytes-like object, not int")):
        objects.dict_get_int({}, 1)
    with pytest.raises(ValueError, match=r"keys and values differ in length \(2 and 1\)"):
        objects.dict_from_lists([1, 2], [3])


def test_string_keyed_maps_become_dicts(objects: Any) -> None:
    assert objects.string_map() == {"a": 1, "b": 2, "é": 3}
    ordered = objects.ordered_map(5)
    assert list(ordered) == ["k0", "k1", "k2", "k3", "k4"]  # std.array_hash_map.String keeps insertion order
    assert ordered["k3"] == [3, 4]
    assert objects.unmanaged_map() == {"some": "text", "none": None}
    with pytest.raises(UnicodeDecodeError):  # a key that is not UTF-8 is an error, not mojibake
        objects.bad_key_map()
    stub = (Path(objects.__file__).parent / "objects.pyi").read_text()
    assert "def string_map() -> dict[str, int]:" in stub
    assert "def ordered_map(n: int) -> dict[str, list[int]]:" in stub
    assert "def dict_len(d: dict[Any, Any]) -> int: ..." in stub


def test_string_keyed_maps_as_parameters(objects: Any, zig_modules: Path) -> None:
    assert objects.map_total({"a": 1, "b": 2, "é": 3}) == 1006 and objects.map_total({}) == 0
    doubled = objects.map_doubled({"z": 1.0, "a": 2.5, "m": -1})
    assert doubled == {"z": 2.0, "a": 5.0, "m": -2.0} and list(doubled) == ["z", "a", "m"]
    assert objects.map_lookup({"k": "text", "n": None}, "k") == "text" and objects.map_lookup({"n": None}, "n") is None
    assert objects.map_total(collections.Counter(a=2)) == 2002  # a dict subclass
    stub = (zig_modules / "objects.pyi").read_text()
    assert "def map_total(m: dict[str, int]) -> int:" in stub
    with pytest.raises(TypeError, match=re.escape("map_total() argument 1 (m) must be dict, not list")):
        objects.map_total([("a", 1)])
    with pytest.raises(TypeError, match=re.escape("map_total() argument 1 (m) keys must be str, not int")):
        objects.map_total({1: 2})
    with pytest.raises(TypeError, match=re.escape("map_total() argument 1 (m) value must be int, not str")):
        objects.map_total({"a": "x"})
    with pytest.raises(UnicodeEncodeError):
        objects.map_total({"\ud800": 1})  # a lone surrogate is no UTF-8 key
    # No reference leaks: the items snapshot is released, keys and values are not kept.
    key, value = "k" * 20, 10**30 // 10**29
    d = {key: value}
    before = sys.getrefcount(d), sys.getrefcount(key)
    for _ in range(10000):
        objects.map_total(d)
    assert (sys.getrefcount(d), sys.getrefcount(key)) == before


def test_list_handle(objects: Any) -> None:
    items = [1, 2]
    assert objects.list_len(items) == 2 and objects.list_get(items, 1) == 2
    objects.list_append(items, 3)
    objects.list_insert(items, 0, 0)
    objects.list_set(items, 1, 9)
    objects.list_del(items, 2)
    assert items == [0, 9, 3]
    objects.list_insert(items, 100, "end")  # past the end appends, like list.insert
    assert items == [0, 9, 3, "end"]
    assert objects.list_contains(items, "end") and not objects.list_contains(items, 2)
    assert objects.list_sum([1, 2.5]) == 3.5
    assert objects.make_list(3) == [0, 1, 2]
    marker = object()
    assert objects.list_of_mixed(marker) == [1, "two", 3.5, True, marker]


def test_list_handle_bad_input(objects: Any) -> None:
    with pytest.raises(TypeError, match=re.escape("list_len() argument 1 (l) must be list, not tuple")):
        objects.list_len((1, 2))
    with pytest.raises(IndexError, match="list index out of range"):
        objects.list_get([1, 2], 2)
    with pytest.raises(IndexError, match="list assignment index out of range"):
        objects.list_set([1], 1, 0)
    with pytest.raises(IndexError):
        objects.list_del([], 0)
    with pytest.raises(OverflowError, match=re.escape("list_get() argument 2 (i) is out of range for usize")):
        objects.list_get([1], -1)
    with pytest.raises(TypeError, match=re.escape("value must be float, not str")):
        objects.list_sum([1, "x"])


def test_negative_indexes_count_from_the_end(objects: Any) -> None:
    items = [1, 2, 3]
    assert objects.list_get_signed(items, -1) == 3 and objects.list_get_signed(items, -3) == 1
    assert objects.list_last(items) == 3 and objects.list_get_signed(items, 0) == 1
    objects.list_set_signed(items, -1, "c")
    objects.list_del_signed(items, -3)
    objects.list_insert_signed(items, -1, "b")  # before the last, like list.insert(-1, ...)
    assert items == [2, "b", "c"]
    assert objects.tuple_get_signed((1, 2), -2) == 1
    # Out of range either way: CPython's IndexError, as `items[-4]` raises it.
    with pytest.raises(IndexError, match="^list index out of range$"):
        objects.list_get_signed(items, -4)
    with pytest.raises(IndexError, match="^list index out of range$"):
        objects.list_last([])
    with pytest.raises(IndexError, match="^list assignment index out of range$"):
        objects.list_set_signed(items, -4, 0)
    with pytest.raises(IndexError, match="^list assignment index out of range$"):
        objects.list_del_signed(items, -4)
    with pytest.raises(IndexError, match="^tuple index out of range$"):
        objects.tuple_get_signed((1, 2), -3)
    assert items == [2, "b", "c"]


def test_tuple_handle(objects: Any) -> None:
    assert objects.tuple_len((1, 2)) == 2 and objects.tuple_get((1, 2), 1) == 2
    assert objects.tuple_contains((1, 2), 2) and not objects.tuple_contains((), 2)
    assert objects.tuple_of(3, "x") == (3, "x", 1.5)
    assert objects.tuple_from_slice([1, 2, 3]) == (1, 2, 3)
    assert objects.tuple_count_items((1, 2, 3)) == 3
    Point = collections.namedtuple("Point", "x y")
    point: Any = Point(1, 2)
    assert objects.tuple_len(point) == 2  # a tuple subclass
    with pytest.raises(TypeError, match=re.escape("tuple_len() argument 1 (t) must be tuple, not list")):
        objects.tuple_len([1])
    with pytest.raises(IndexError, match="tuple index out of range"):
        objects.tuple_get((), 0)


def test_str_handle(objects: Any) -> None:
    assert objects.str_utf8_len("héllo") == 6 and objects.str_len("héllo") == 5
    assert objects.str_eql("ab", "ab") and not objects.str_eql("ab", "abc")
    assert objects.str_new(b"abc") == "abc" and objects.str_new("é".encode()) == "é"
    with pytest.raises(TypeError, match=re.escape("str_len() argument 1 (s) must be str, not bytes")):
        objects.str_len(b"x")
    with pytest.raises(UnicodeDecodeError):
        objects.str_new(b"\xff")
    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
        objects.str_utf8_len("\ud800")


def test_iterating_any_iterable(objects: Any) -> None:
    assert objects.iter_sum(range(5)) == 10 and objects.iter_sum({1: "a", 2: "b"}) == 3
    assert objects.iter_sum(x * x for x in range(4)) == 14
    assert objects.iter_collect("abc") == ["a", "b", "c"]
    assert objects.iter_first([]) is None and objects.iter_first(iter([5, 6])) == 5
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        objects.iter_sum(5)
    with pytest.raises(TypeError, match=re.escape("value must be int, not str")):
        objects.iter_sum([1, "x"])

    def failing() -> Any:
        yield 1
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):  # an exception inside the iteration propagates
        objects.iter_sum(failing())


def test_isinstance_and_downcasts(objects: Any) -> None:
    assert objects.is_instance(True, int) and not objects.is_instance(1, str)
    assert objects.is_instance(KeyError(), (ValueError, LookupError))
    samples: list[Any] = [{}, [], (), "s", 3, collections.Counter()]
    assert [objects.kind_of(v) for v in samples] == [
        "dict", "list", "tuple", "str", "other", "dict"]
    assert objects.as_dict_len({1: 1}) == 1
    with pytest.raises(TypeError, match=re.escape("value must be dict, not list")):
        objects.as_dict_len([1])
    with pytest.raises(TypeError, match="isinstance.. arg 2 must be a type"):
        objects.is_instance(1, 3)


def test_repr_str_text_eq_hash(objects: Any) -> None:
    assert objects.repr_of("x") == "'x'" and objects.str_of(1.5) == "1.5"
    assert objects.text_of([1, "é"]) == "[1, 'é']"
    assert objects.as_text("héllo") == "héllo" and objects.as_text(b"raw") == "raw"
    assert objects.equal(1, 1.0) and not objects.equal("a", "b") and objects.equals_42(42)
    assert objects.hash_of("a") == hash("a") and objects.hash_of(-1) == hash(-1)
    assert not objects.truthy([]) and objects.truthy([0])
    assert objects.length_of("abc") == 3 and objects.get_item({"k": 5}, "k") == 5
    assert objects.get_attr(3, "real") == 3 and objects.has_attr(3, "real") and not objects.has_attr(3, "nope")
    d: dict[str, int] = {"k": 1}
    objects.set_item(d, "j", 2)
    objects.del_item(d, "k")
    assert d == {"j": 2}

    class Bag:
        pass

    bag = Bag()
    objects.set_attr(bag, "x", 1, False)
    assert bag.x == 1  # type: ignore[attr-defined]
    objects.set_attr(bag, "y", 2, True)
    assert not hasattr(bag, "y")
    objects.del_attr(bag, "x")
    assert not hasattr(bag, "x")


def test_repr_str_text_eq_hash_bad_input(objects: Any) -> None:
    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("no str")

        def __eq__(self, other: object) -> bool:
            raise RuntimeError("no eq")

        __hash__ = None  # type: ignore[assignment]

    with pytest.raises(RuntimeError, match="no str"):
        objects.text_of(Broken())
    with pytest.raises(RuntimeError, match="no eq"):
        objects.equal(Broken(), 1)
    with pytest.raises(TypeError, match="unhashable type: 'Broken'"):
        objects.hash_of(Broken())
    with pytest.raises(TypeError, match=re.escape("value must be str or bytes, not int")):
        objects.as_text(3)
    with pytest.raises(TypeError, match="object of type 'int' has no len"):
        objects.length_of(3)
    with pytest.raises(AttributeError, match="'int' object has no attribute 'nope'"):
        objects.get_attr(3, "nope")
    with pytest.raises(KeyError):
        objects.get_item({}, "k")
    with pytest.raises(KeyError):
        objects.del_item({}, "k")
    with pytest.raises(TypeError, match="'tuple' object does not support item assignment"):
        objects.set_item((), 0, 1)
    with pytest.raises(AttributeError, match="'int' object has no attribute 'x'"):
        objects.set_attr(1, "x", 1, False)
    with pytest.raises(AttributeError):
        objects.del_attr(object(), "nope")


def test_calls_with_keyword_arguments(objects: Any) -> None:
    def record(*args: Any, **kwargs: Any) -> Any:
        return args, kwargs

    assert objects.call_kw(record) == (("a", 2), {"sep": "-", "flag": True})
    assert objects.call_kw_dict(record, {"x": 1}) == ((), {"x": 1})
    assert objects.call_kw_object(record, {"y": 2}) == ((), {"y": 2})
    assert objects.call_method([3, 1], "index", 1) == 1
    assert objects.join(["a", "b"]) == "a, b"
    assert objects.pass_owned(lambda x: x * 2) == 14
    with pytest.raises(TypeError, match="'int' object is not callable"):
        objects.call_kw(3)
    with pytest.raises(TypeError, match="unexpected keyword argument 'sep'"):
        objects.call_kw(lambda *a: a)
    with pytest.raises(TypeError, match=re.escape("call_kw_dict() argument 2 (kwargs) must be dict, not list")):
        objects.call_kw_dict(record, [])
    with pytest.raises(TypeError, match=re.escape("keyword arguments must be a dict, not list")):
        objects.call_kw_object(record, [("x", 1)])
    with pytest.raises(TypeError, match="keywords must be strings"):
        objects.call_kw_dict(record, {1: 2})
    with pytest.raises(AttributeError, match="'list' object has no attribute 'nope'"):
        objects.call_method([], "nope", 1)


def test_create_converts_every_result_type(objects: Any) -> None:
    marker = object()
    values = objects.create_each(marker)
    assert values[:11] == [-3, 1 << 100, 2.5, True, "text", b"raw", None, 5, [1, 2], [True, False], (1, "a")]
    assert tuple(values[11]) == (1.0, 2.0) and values[11].x == 1.0  # a named tuple
    assert values[12] is marker and values[13] == {"a": 1, "b": 2, "é": 3}
    assert objects.create_text("é".encode()) == "é"
    with pytest.raises(UnicodeDecodeError):  # invalid UTF-8 is an error, not a wrong answer
        objects.create_text(b"\xff")


def test_catching_python_exceptions(objects: Any) -> None:
    assert objects.lookup_or({"a": 1}, "a", 0) == 1 and objects.lookup_or({}, "a", -1) == -1
    with pytest.raises(TypeError, match="list indices must be integers"):  # not a KeyError: propagates
        objects.lookup_or([], "a", -1)
    assert objects.describe_failure(lambda: 1) == "ok"
    empty: dict[str, int] = {}
    assert objects.describe_failure(lambda: empty["k"]) == "KeyError: 'k'"
    assert objects.describe_failure(lambda: int("x")) == "ValueError: invalid literal for int() with base 10: 'x'"

    class AppError(Exception):
        pass

    def app_error() -> None:
        raise AppError("mine")

    assert objects.describe_failure(app_error) == "AppError: mine"

    def value_error() -> None:
        raise ValueError("v")

    def key_error() -> None:
        raise KeyError("k")

    with pytest.raises(RuntimeError, match="f.. failed with a ValueError"):
        objects.translate_failure(value_error)
    with pytest.raises(KeyError, match="'k'") as caught:  # restored unchanged, traceback included
        objects.translate_failure(key_error)
    assert caught.traceback[-1].name == "key_error"
    assert objects.raised_instance_of(key_error, LookupError) and not objects.raised_instance_of(value_error, KeyError)
    assert not objects.raised_instance_of(lambda: 0, KeyError)
    assert objects.raised_instance_of(app_error, AppError)
    assert objects.fetch_when_clear()


def test_bool_accepts_numpy_bool(conv: Any) -> None:
    import numpy as np

    assert conv.negate(np.bool_(True)) is False and conv.negate(np.bool_(False)) is True
    assert conv.negate(np.array([3]).sum() > 2) is False  # what numpy comparisons give
    with pytest.raises(TypeError, match=re.escape("negate() argument 1 (x) must be bool, not numpy.int64")):
        conv.negate(np.int64(1))
    with pytest.raises(TypeError, match=re.escape("negate() argument 1 (x) must be bool, not numpy.ndarray")):
        conv.negate(np.array([True]))


def test_wrong_type_messages_never_read_bool_not_bool(conv: Any) -> None:
    ns: dict[str, Any] = {"__name__": "lookalikes"}
    exec("class bool:\n    pass\nclass dict:\n    pass\n", ns)
    with pytest.raises(TypeError) as caught:
        conv.negate(ns["bool"]())
    assert str(caught.value) == "negate() argument 1 (x) must be bool, not lookalikes.bool"
    for bad in (1, None, "True"):  # truthy values that are not bools are still refused
        with pytest.raises(TypeError, match=re.escape(f"must be bool, not {type(bad).__name__}")):
            conv.negate(bad)


LEAK_CHECK = """\
import gc, sys
import zigimport, objects

PAGE = 4096

def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE

marker, key, value = object(), "key", object()
d = {key: value, "n": 5}
items = [1, 2, 3]
def record(*args, **kwargs):
    return args
def key_error():
    raise KeyError(key)
def value_error():
    raise ValueError("v")

watched = (marker, key, value, d, items, record, key_error, value_error)

def batch(n: int) -> int:
    calls = 0
    for i in range(n):
        objects.dict_get(d, key)                   # borrowed value returned
        objects.dict_get_int(d, "n")               # a key converted from Zig: a temporary str
        objects.dict_set_text(d, "zig key", 1_000_000 + i)  # key and value converted from Zig
        objects.dict_set(d, "x", marker)           # replaced every time
        objects.dict_contains(d, marker)
        objects.make_dict(3)                       # py.Dict.Owned built and returned
        objects.list_of_mixed(marker)              # py.List.from a Zig tuple
        objects.iter_sum(items)                    # iterator + nextAs
        objects.iter_collect(d)
        objects.kind_of(items)                     # isInstance(py.Dict) ...
        objects.text_of(items)                     # str() copied into the arena
        objects.repr_of(marker)
        objects.as_text(key)
        objects.equal(marker, value)
        objects.call_kw(record)                    # keyword call: kwargs dict
        objects.call_method(items, "count", 2)
        objects.tuple_of(i, key)
        objects.string_map()                       # std.StringHashMap -> dict
        objects.create_each(marker)                # py.create of every result type
        objects.lookup_or(d, marker, 0)            # KeyError caught and cleared in Zig
        objects.describe_failure(key_error)        # PendingException fetched and dropped
        try:
            objects.translate_failure(key_error)   # PendingException restored
        except KeyError:
            pass
        try:
            objects.translate_failure(value_error) # replaced by a RuntimeError
        except RuntimeError:
            pass
        try:
            objects.dict_len(items)                # bad input: TypeError
        except TypeError:
            pass
        calls += 24
    return calls

batch(5_000)  # warm up: caches, interned strings, allocator pools
gc.collect()
def counts() -> list:
    return [sys.getrefcount(o) for o in watched]

rss0, refs0 = rss(), counts()
total0 = sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else 0
calls = batch(42_000)
gc.collect()
total = (sys.gettotalrefcount() - total0) if hasattr(sys, "gettotalrefcount") else 0
growth = [now - before for now, before in zip(counts(), refs0)]
print(calls, rss() - rss0, total, *growth)
"""


def test_a_million_object_api_calls_do_not_leak(zig_modules: Path, objects: Any) -> None:
    out = run_python(LEAK_CHECK, cwd=zig_modules, timeout=600, log_level=None)
    calls, rss_growth, total_growth, *ref_growth = (int(v) for v in out.stdout.split())
    assert calls >= 1_000_000
    assert ref_growth == [0] * 8, f"references grew: {ref_growth}"
    assert abs(total_growth) < 1000
    # A leak of even one small object per call would be tens of megabytes here.
    assert rss_growth < 2 * 1024 * 1024, f"RSS grew by {rss_growth / 1e6:.1f} MB over {calls} calls"


MISUSES = {
    "owned_parameter": ("pub fn f(d: py.Dict.Owned) usize {\n    return d.len();\n}",
                        "f(): parameter 1 (d) has type py.Dict.Owned, which zig_core cannot convert from Python"),
    "borrowed_deinit": ("pub fn f(d: py.Dict) void {\n    d.deinit();\n}",
                        "py.Dict is a borrowed reference: there is nothing to deinit (references you own are py.Dict.Owned)"),
    "as_mutable_slice": ("pub fn f(o: py.Object) !usize {\n    return (try o.as([]u8)).len;\n}",
                         "as([]u8): this would borrow memory the call does not own; use as([]const u8)"),
    "as_copied_list": ("pub fn f(o: py.Object) !usize {\n    return (try o.as([]const []const u8)).len;\n}",
                       "the converted value would point into memory freed when as() returns"),
    "unknown_exception": ("pub fn f() bool {\n    return py.exceptionMatches(.KeyErorr);\n}",
                          "'KeyErorr' is not a builtin Python exception"),
    "handle_without_gil": ("pub fn f(d: py.List, _: py.NoGil) usize {\n    return d.len();\n}",
                           "f(): parameter 1 (py.List) holds Python objects"),
}


@pytest.mark.parametrize("case", MISUSES)
def test_misuse_is_a_compile_error_naming_it(tmp_path: Path, case: str) -> None:
    body, message = MISUSES[case]
    write(tmp_path / f"misuse_{case}.zig", 'const py = @import("zig_core");\n' + body + "\ncomptime {\n    py.module(@This());\n}\n")
    out = import_error(f"misuse_{case}", "zigimport.ZigCompileError", cwd=tmp_path)
    assert message in out.stdout, out.stdout
