"""Signatures like Python's (docs/signatures.md): keywords by Zig name, positional-only and
keyword-only parameters, *args (py.Args) and **kwargs (py.Kwargs), with CPython's own messages.

Each Zig function in tests/modules/sigs.zig has a Python twin below with the same signature;
the same call must give the same result or the same TypeError message, word for word.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from support import import_error, mypy_code, run_python, write

# ---- Python twins (module level, so their __qualname__ is their bare name, like ours) ----


def add(a: Any, b: Any) -> Any:
    return a + b


def add_po(a: Any, b: Any, /) -> Any:
    return a + b


def mixed(a: Any, /, b: Any, c: Any = None) -> Any:
    return a * 100 + b * 10 + (c or 0)


def kwonly(x: Any, *, y: Any = 42.0, scale: Any = 1.0) -> Any:
    return (x + y) * scale


def need_y(x: Any, *, y: Any) -> Any:
    return x - y


def clamp(x: Any, lo: Any = 0.0, hi: Any = 1.0) -> Any:
    return float(min(max(x, lo), hi))


def total(first: Any, *rest: Any) -> Any:
    return first + sum(rest)


def joined(*values: Any, sep: Any) -> Any:
    return sep.join(str(v) for v in values)


def collect(a: Any, **kw: Any) -> Any:
    return (a, kw)


def everything(a: Any, /, b: Any, *rest: Any, c: Any = 1, **extra: Any) -> Any:
    return (a, b, len(rest), c, len(extra))


def po_kwargs(a: Any, /, **kw: Any) -> Any:
    return (a, kw)


def three(a: Any, b: Any, c: Any) -> Any:
    return a + b + c


TWINS: list[Callable[..., Any]] = [add, add_po, mixed, kwonly, need_y, clamp, total, joined, collect, everything,
                                   po_kwargs, three]


def outcome(f: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        return ("ok", f(*args, **kwargs))
    except TypeError as e:
        return ("TypeError", str(e))


CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("add", (1, 2), {}), ("add", (), {"a": 1, "b": 2}), ("add", (1,), {"b": 2}),
    ("add", (1,), {"a": 2}), ("add", (1,), {"z": 3}), ("add", (1,), {}), ("add", (1, 2, 3), {}),
    ("add", (1, 2), {"b": 3}), ("add", (), {}),
    ("three", (1,), {}), ("three", (), {}), ("three", (), {"c": 1}),
    ("add_po", (1, 2), {}), ("add_po", (1,), {}),
    ("mixed", (1, 2), {}), ("mixed", (1,), {"b": 2, "c": 3}), ("mixed", (), {"a": 1, "b": 2}),
    ("mixed", (1, 2, 3, 4), {}), ("mixed", (1,), {"a": 1, "b": 2}), ("mixed", (1,), {"q": 1}),
    ("kwonly", (1,), {}), ("kwonly", (1,), {"y": 2}), ("kwonly", (1, 2), {}), ("kwonly", (), {"x": 1, "scale": 2}),
    ("kwonly", (1, 2), {"y": 3}), ("kwonly", (1, 2), {"y": 3, "scale": 2}), ("kwonly", (), {"y": 1}),
    ("need_y", (5,), {}), ("need_y", (5,), {"y": 1}), ("need_y", (), {"y": 1}), ("need_y", (5, 6), {}),
    ("clamp", (5,), {"hi": 3}), ("clamp", (), {}), ("clamp", (1, 2, 3, 4), {}), ("clamp", (0.5,), {"x": 1}),
    ("total", (1, 2, 3), {}), ("total", (1,), {}), ("total", (), {}), ("total", (1,), {"rest": 2}),
    ("total", (), {"first": 1}),
    ("joined", (1, 2), {"sep": "-"}), ("joined", (1, 2), {}), ("joined", (), {"sep": "-"}),
    ("collect", (1,), {"x": 2, "y": 3}), ("collect", (), {"a": 1, "x": 2}), ("collect", (1,), {"a": 2}),
    ("collect", (1,), {}), ("collect", (), {"x": 1}),
    ("everything", (1, 2, 3, 4), {"c": 5, "d": 6, "e": 7}), ("everything", (1,), {"b": 2, "a": 3}),
    ("everything", (1,), {}), ("everything", (1, 2), {"b": 2}),
    ("po_kwargs", (1,), {"a": 2}), ("po_kwargs", (), {"a": 2}),
]


@pytest.mark.parametrize("name, args, kwargs", CALLS)
def test_binding_matches_cpython_word_for_word(sigs: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    twin = {f.__name__: f for f in TWINS}[name]
    ours, theirs = outcome(getattr(sigs, name), args, kwargs), outcome(twin, args, kwargs)
    assert ours == theirs


def test_signatures_show_slash_star_args_and_kwargs(sigs: Any) -> None:
    for twin in TWINS:
        assert str(inspect.signature(getattr(sigs, twin.__name__))) == str(inspect.signature(twin).replace(
            parameters=[p.replace(annotation=inspect.Parameter.empty) for p in inspect.signature(twin).parameters.values()],
            return_annotation=inspect.Signature.empty)), twin.__name__
    assert str(inspect.signature(sigs.count)) == "(*items)"
    assert str(inspect.signature(sigs.get_option)) == "(**options)"
    assert str(inspect.signature(sigs.norm)) == "(p)"
    assert str(inspect.signature(sigs.scaled)) == "(num, type)"
    assert sigs.add.__text_signature__ == "($module, /, a, b)"
    assert sigs.everything.__text_signature__ == "($module, a, /, b, *rest, c=1, **extra)"


def test_all_positional_only_functions_take_no_keywords(sigs: Any) -> None:
    # Plain METH_FASTCALL, as before: CPython words the refusal itself.
    with pytest.raises(TypeError, match=r"add_po\(\) takes no keyword arguments"):
        sigs.add_po(a=1, b=2)
    with pytest.raises(TypeError, match=r"add_po\(\) takes no keyword arguments"):
        sigs.add_po(1, b=2)


def test_args_items_convert_with_messages_naming_the_position(sigs: Any) -> None:
    assert sigs.total(1, 2, 3) == 6 and sigs.count() == 0 and sigs.count(1, "a", None) == 3
    with pytest.raises(TypeError, match=r"^total\(\) argument 3 must be int, not str$"):
        sigs.total(1, 2, "x")
    with pytest.raises(OverflowError, match=r"^total\(\) argument 2 is out of range for i64"):
        sigs.total(1, 2**70)
    with pytest.raises(TypeError, match=r"^joined\(\) argument 2 must be int, not float$"):
        sigs.joined(1, 2.5, sep="-")
    with pytest.raises(TypeError, match=r"joined\(\) argument 'sep' must be str"):
        sigs.joined(1, 2, sep=3)
    assert sigs.total(*range(100)) == sum(range(100))  # a long *args
    assert sigs.shout_all("ab", b"cd", "é") == "ABCDé"  # str and bytes items, borrowed
    with pytest.raises(TypeError, match=r"^shout_all\(\) argument 2 must be str or bytes, not int$"):
        sigs.shout_all("a", 1)


def test_kwargs_view_get_as_iterate_and_dict(sigs: Any) -> None:
    assert sigs.get_option(level=3) == 3 and sigs.get_option() == -1 and sigs.get_option(other=1) == -1
    assert sigs.get_option(verbose=None) == 1
    with pytest.raises(TypeError, match=r"^get_option\(\) argument 'level' must be int, not str$"):
        sigs.get_option(level="x")
    with pytest.raises(TypeError, match=r"get_option\(\) takes 0 positional arguments but 1 was given"):
        sigs.get_option(1)
    assert sigs.kw_sum(a=1, b=2) == (2, 3) and sigs.kw_sum() == (0, 0)
    with pytest.raises(TypeError, match=r"^kw_sum\(\) argument 'a' must be int, not str$"):
        sigs.kw_sum(a="x")
    with pytest.raises(UnicodeEncodeError):
        sigs.kw_sum(**{"\udc80": 1})  # a name with a lone surrogate has no UTF-8 form
    assert sigs.collect(1, **{"x": 2, "y": 3}) == (1, {"x": 2, "y": 3})
    assert sigs.collect(x=2, a=1, y=3) == (1, {"x": 2, "y": 3})  # the named one is not in **kwargs
    assert sigs.po_kwargs(1, a=2) == (1, {"a": 2})  # a positional-only name passed by keyword: **kwargs
    many = {f"k{i}": i for i in range(50)}
    assert sigs.collect(0, **many) == (0, many)


def test_named_struct_is_a_record_not_keywords(sigs: Any) -> None:
    assert sigs.norm((3, 4)) == 5.0 and sigs.norm({"x": 3, "y": 4}) == 5.0 and sigs.norm(p=(3, 4)) == 5.0
    with pytest.raises(TypeError, match=r"norm\(\) got an unexpected keyword argument 'x'"):
        sigs.norm(x=3, y=4)
    with pytest.raises(TypeError, match=r"norm\(\) takes 1 positional argument but 2 were given"):
        sigs.norm(3, 4)


def test_trailing_underscore_names_clashing_parameters(sigs: Any) -> None:
    assert sigs.num() == 7 and sigs.scaled(num=2, type="abc") == 6 and sigs.scaled(2, "ab") == 4
    with pytest.raises(TypeError, match=r"scaled\(\) got an unexpected keyword argument 'num_'"):
        sigs.scaled(num_=2, type="abc")
    # ... unless that leaves a Python keyword: then the name keeps (or gets) PEP 8's trailing `_`.
    assert str(inspect.signature(sigs.span)) == "(from_, to, is_)"
    assert sigs.span(from_=1, to=5, is_=True) == 4


def test_methods_and_init_follow_the_same_rules(sigs: Any) -> None:
    G = sigs.Greeter
    assert str(inspect.signature(G)) == "(times, *, loud=False)"
    g = G(2, loud=True)
    assert (g.times, g.loud) == (2, True) and G(times=3).times == 3
    with pytest.raises(TypeError, match=r"Greeter\(\) takes 1 positional argument but 2 were given"):
        G(1, True)
    with pytest.raises(TypeError, match=r"Greeter\(\) missing 1 required positional argument: 'times'"):
        G(loud=True)
    assert str(inspect.signature(G.tally)) == "(self, a, /, *rest, **kw)"
    assert g.tally(5, 6, 7, x=1) == (10, 2, 1) and g.tally(5, a=1) == (10, 0, 1)
    assert str(inspect.signature(G.scale)) == "(self, /, by, *, offset=0)"  # like list.sort: (self, /, *, key=None, ...)
    assert g.scale(by=3, offset=1) == 7 and g.scale(3) == 6
    with pytest.raises(TypeError, match=r"scale\(\) takes 1 positional argument but 2 were given"):
        g.scale(3, 1)
    assert G.make(times=4).times == 4 and str(inspect.signature(G.make)) == "(times)"

    class Sub(G):
        pass

    assert Sub(times=5, loud=False).times == 5 and type(Sub.make(times=1)) is Sub


def test_stub_shows_the_new_forms_and_mypy_checks_them(sigs: Any, zig_modules: Path) -> None:
    stub = (zig_modules / "sigs.pyi").read_text().splitlines()
    for line in [
        "def add(a: int, b: int) -> int: ...",
        "def add_po(a: int, b: int, /) -> int:",
        "def mixed(a: int, /, b: int, c: int | None = None) -> int:",
        "def kwonly(x: float, *, y: float = 42.0, scale: float = 1.0) -> float:",
        "def need_y(x: int, *, y: int) -> int:",
        "def total(first: int, *rest: Any) -> int:",
        "def joined(*values: Any, sep: str | Buffer) -> str:",
        "def everything(a: int, /, b: int, *rest: Any, c: int = 1, **extra: Any) -> tuple[int, int, int, int, int]:",
        "def get_option(**options: Any) -> int:",
        "def scaled(num: int, type: str | Buffer) -> int: ...",
        "def span(from_: int, to: int, is_: bool) -> int:",
        "def norm(p: tuple[Any, ...] | Mapping[str, Any]) -> float: ...",
        "    def __init__(self, times: int, *, loud: bool = False) -> None: ...",
        "    def tally(self, a: int, /, *rest: Any, **kw: Any) -> tuple[int, int, int]:",
    ]:
        assert line in stub, line
    good = """\
import sigs
a: int = sigs.add(1, b=2) + sigs.add(a=1, b=2) + sigs.add_po(1, 2) + sigs.mixed(1, b=2, c=None)
f: float = sigs.kwonly(1.0, y=2.0) + sigs.kwonly(x=1.0, scale=3.0)
t: int = sigs.total(1, 2, 3) + sigs.need_y(1, y=2) + sigs.get_option(level=1, other="x")
s: str = sigs.joined(1, 2, sep="-")
e = sigs.everything(1, 2, 3, 4, c=5, d=6)
g = sigs.Greeter(2, loud=True)
r = g.tally(1, 2, 3, k=4)
"""
    assert _mypy(zig_modules, "good_sigs.py", good).returncode == 0
    for call, complaint in [
        ("sigs.add_po(a=1, b=2)", 'Unexpected keyword argument "a" for "add_po"'),
        ("sigs.kwonly(1.0, 2.0)", 'Too many positional arguments for "kwonly"'),
        ("sigs.need_y(1)", 'Missing named argument "y" for "need_y"'),
        ("sigs.mixed(a=1, b=2)", 'Unexpected keyword argument "a" for "mixed"'),
        ('sigs.add(1, z=2)', 'Unexpected keyword argument "z" for "add"'),
    ]:
        bad = _mypy(zig_modules, "bad_sigs.py", f"import sigs\n{call}\n")
        assert bad.returncode == 1 and complaint in bad.stdout, (call, bad.stdout)


def _mypy(folder: Path, name: str, code: str) -> subprocess.CompletedProcess[str]:
    """*name* says what the script is; support.mypy_code names the file after its content."""
    return mypy_code(folder, code, ["--strict", "--python-version", f"{sys.version_info[0]}.{sys.version_info[1]}"])


@pytest.mark.parametrize("decl, message", [
    ("pub fn f(m: std.heap.ArenaAllocator) void { _ = m; }",  # a named struct: a record, never keywords
     "f(): parameter 1 (m) has type heap.ArenaAllocator, which zig_core cannot convert from Python"),
    ("pub fn f(kw: py.Kwargs, x: i64) void { _ = kw; _ = x; }",
     "f(): parameter 2 (x) comes after the py.Kwargs parameter, which must be the last Python parameter"),
    ("pub fn f(_: py.PositionalOnly, x: i64) void { _ = x; }",
     "f(): parameter 1: py.PositionalOnly must follow the parameters it makes positional-only (like `/` in Python)"),
    ("pub fn f(o: struct { a: i64 = 0 }, x: i64) void { _ = o; _ = x; }",
     "f(): parameter 2 (x) comes after the anonymous struct of keyword parameters"),
    ("pub fn f(o: struct { a: i64 = 0, b: i64 }) void { _ = o; }",
     "f(): keyword field 'b' has no default but follows 'a', which has one"),
    ("pub fn f(x: i64, x_: i64) void { _ = x; _ = x_; }",
     "f(): two parameters are both named 'x' in Python"),
    ("pub fn f(a: py.Args, b: py.Args) void { _ = a; _ = b; }",
     "f(): parameter 2 (b): py.Args must come before keyword parameters and py.Kwargs, and only once"),
    ("pub fn f(_: py.NoGil, a: py.Args) void { _ = a; }",
     "f(): parameter 2 (py.Args) holds Python objects"),
    ("pub fn f(a: py.Args) !usize { return (try a.as([]const i64, 0)).len; }",
     "py.Args/py.Kwargs: cannot convert an item to []const i64"),
])
def test_misplaced_markers_are_compile_errors_naming_the_parameter(tmp_path: Path, decl: str, message: str) -> None:
    write(tmp_path / "badsig.zig", f'const std = @import("std");\nconst py = @import("zig_core");\n{decl}\n'
                                   'comptime { py.module(@This()); }\n')
    out = import_error("badsig", "zigimport.ZigCompileError", cwd=tmp_path)
    assert message in out.stdout
    assert "child_allocator" not in out.stdout  # the old bug: a named struct read as keywords (StringHashMap's `unmanaged`)


LEAK_CHECK = """\
import gc, sys
import zigimport, sigs

PAGE = 4096

def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE

marker = object()
def batch(n: int) -> None:
    for i in range(n):
        sigs.count(marker, marker, marker)                 # *args view
        sigs.collect(1, x=marker, y=marker)                # **kwargs -> a new dict
        sigs.everything(1, 2, marker, c=3, d=marker)       # everything bound
        sigs.add(1, b=2)                                   # keyword to a plain parameter
        sigs.po_kwargs(1, a=marker)
        try:
            sigs.total(1, marker)                          # *args item of the wrong type
        except TypeError:
            pass
        try:
            sigs.get_option(level=marker)                  # **kwargs value of the wrong type
        except TypeError:
            pass
        try:
            sigs.three(1, z=marker)                        # binding error
        except TypeError:
            pass

batch(20_000)
gc.collect()
rss0, marker0 = rss(), sys.getrefcount(marker)
batch(100_000)
gc.collect()
print(rss() - rss0, sys.getrefcount(marker) - marker0)
"""


def test_args_and_kwargs_calls_do_not_leak(sigs: Any, zig_modules: Path) -> None:
    out = run_python(LEAK_CHECK, cwd=zig_modules, timeout=600, log_level=None)
    rss_growth, marker_growth = (int(v) for v in out.stdout.split())
    assert marker_growth == 0
    assert rss_growth < 4 * 1024 * 1024, rss_growth
