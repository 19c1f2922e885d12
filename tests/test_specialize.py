"""Comptime parameters and the compile API (issue 8 section 1): zigimport.load/compiled/load_many/
load_async, build_library/load_function/load_type, and the params module they generate.

Two small fixtures (tests/modules/specialized.zig, raw_exports.zig) built with many parameter sets;
specialized.zig reports every declaration of its `params` module as JSON, so each Python value is
checked on the Zig side -- type and exact value -- and comes back to Python.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import re
import struct
import sys
import time
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Optional

import pytest
from support import compile_count, popen_python, run_python, write

import zigimport
from zigimport.errors import ZigCompileError, ZigImportError, ZigSettingsError


class Color(enum.Enum):
    red = 1
    green = 2


class Kind(enum.Enum):
    a = "x"
    b = "y"


class Perm(enum.Flag):
    R = 1
    W = 2


@dataclasses.dataclass
class Point:
    x: int
    y: float = 0.5
    label: str = "p"


@dataclasses.dataclass
class Shape:
    origin: Point
    size: Annotated[int, "u8"]
    tags: list[str]
    color: Color
    scale: Optional[float] = None
    pair: tuple[int, bool] = (1, False)


@dataclasses.dataclass
class Tree:
    """Recursive through a slice: a valid Zig struct (by value it would not be)."""
    value: int
    children: list[Tree]


@dataclasses.dataclass
class Config:
    """A dataclass as the whole parameter set: its fields are the declarations, in order."""
    n: Annotated[int, "u8"] = 4
    gain: Annotated[float, "f32"] = 0.1
    big: Annotated[int, "i128"] = -(2**100)
    shape: Annotated[tuple[int, ...], "[3]u16"] = (2, 3, 4)
    count: int = 3
    name: str = "cfg"
    big_inf: Annotated[float, "f64"] = float("-inf")


def f64_bits(x: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", x))[0])


def f32_bits(x: float) -> int:
    return int(struct.unpack("<I", struct.pack("<f", x))[0])


def as_bytes(value: dict[str, list[int]]) -> bytes:
    return bytes(value["bytes"])


def f64(bits: int) -> dict[str, int]:
    return {"float": 64, "bits": bits}


@pytest.fixture(scope="module")
def src(zig_modules: Path) -> Path:
    return zig_modules / "specialized.zig"


@pytest.fixture(scope="module")
def raw_src(zig_modules: Path) -> Path:
    return zig_modules / "raw_exports.zig"


VALUES: dict[str, Any] = dict(
    i=-7, big=2**80, f=0.1, neg=-0.0, inf=float("inf"), b=True, s='héllo\n"\0', by=b"\x00\xff", none=None,
    color=Color.green, kind=Kind.b, shape=[2, 3, 4], mixed=(1, "a", 2.5), nested=[[1, 2], [3, 4]], floats=[1.5, float("nan")],
    opts={"z": 1, "a": True}, T=zigimport.ZigType("f32"), P=Point, pt=Point(1, 2.0),
    sh=Shape(Point(3, 4.5, "o"), 200, ["a", "bc"], Color.red, 1.5), empty=[], n=4, use_simd=True, poison=False,
    tree=Tree(1, [Tree(2, []), Tree(3, [Tree(4, [])])]), pts=(Point(5), None),
)


def test_every_value_type_round_trips(src: Path) -> None:
    m = zigimport.load("specialized", **VALUES, **{"error": 1})  # found like `import specialized`; a Zig keyword as a name
    assert m.__name__.startswith("specialized[#") and sys.modules[m.__name__] is m  # floats etc.: the digest form
    d = json.loads(m.dump())
    ty = {k: v["type"] for k, v in d.items()}
    val = {k: v["value"] for k, v in d.items()}
    assert ty["i"] == ty["big"] == ty["n"] == "comptime_int" and (val["i"], val["big"], val["error"]) == (-7, 2**80, 1)
    assert ty["f"] == "comptime_float" and val["f"] == f64(f64_bits(0.1))  # exact, not 0.1000000000000000055...
    assert val["neg"] == f64(f64_bits(-0.0))
    assert ty["inf"] == "f64" and val["inf"] == f64(f64_bits(float("inf")))
    assert ty["floats"] == "[2]f64" and val["floats"][0] == f64(f64_bits(1.5)) and val["floats"][1]["bits"] >> 52 == 0x7FF
    assert (ty["b"], val["b"], ty["use_simd"], val["use_simd"]) == ("bool", True, "bool", True)
    assert ty["s"] == "[:0]const u8" and as_bytes(val["s"]) == 'héllo\n"\0'.encode()
    assert ty["by"] == "[]const u8" and as_bytes(val["by"]) == b"\x00\xff"
    assert ty["none"] == "@TypeOf(null)" and val["none"] is None
    assert ty["color"] == "params.Color" and val["color"] == {"tag": "green", "int": 2}
    assert val["Color"] == {"name": "params.Color", "tag_type": "i64", "members": [["red", 1], ["green", 2]]}
    assert ty["kind"] == "params.Kind" and val["kind"]["tag"] == "b"  # non-int values: a plain enum of the names
    assert ty["shape"] == "[3]comptime_int" and val["shape"] == [2, 3, 4]
    assert ty["nested"] == "[2][2]comptime_int" and val["nested"] == [[1, 2], [3, 4]]
    assert val["mixed"] == [1, {"bytes": [97]}, f64(f64_bits(2.5))]  # mixed items: a Zig tuple
    assert ty["mixed"].startswith("struct { comptime comptime_int = 1, comptime [:0]const u8 = ")  # items keep their types
    assert val["pts"] == [{"x": 5, "y": f64(f64_bits(0.5)), "label": {"bytes": [112]}}, None] and "comptime params.Point = " in ty["pts"]
    assert val["opts"] == {"a": True, "z": 1} and val["empty"] == []
    assert (ty["T"], val["T"]) == ("type", {"name": "f32"}) and m.width() == 32  # the other branches' @compileError stayed dead
    # A dataclass: a struct type reflectable with @typeInfo (fields, types, defaults) and a value.
    assert val["P"] == val["Point"] == {"name": "params.Point", "fields": [
        ["x", "i64", "-"], ["y", "f64", f64(f64_bits(0.5))], ["label", "[:0]const u8", {"bytes": [112]}]]}
    assert ty["pt"] == "params.Point" and val["pt"] == {"x": 1, "y": f64(f64_bits(2.0)), "label": {"bytes": [112]}}
    assert [f[:2] for f in val["Shape"]["fields"]] == [["origin", "params.Point"], ["size", "u8"], ["tags", "[]const [:0]const u8"],
                                                       ["color", "params.Color"], ["scale", "?f64"], ["pair", "struct { i64, bool }"]]
    assert val["sh"] == {"origin": {"x": 3, "y": f64(f64_bits(4.5)), "label": {"bytes": [111]}}, "size": 200,
                         "tags": [{"bytes": [97]}, {"bytes": [98, 99]}], "color": {"tag": "red", "int": 1},
                         "scale": f64(f64_bits(1.5)), "pair": [1, False]}
    assert val["Tree"]["fields"] == [["value", "i64", "-"], ["children", "[]const params.Tree", "-"]]
    assert val["tree"] == {"value": 1, "children": [{"value": 2, "children": []},
                                                    {"value": 3, "children": [{"value": 4, "children": []}]}]}
    assert m.sum_to(2) == 2 * (0 + 1 + 2 + 3)  # [params.n]i64 at run time

    # A dataclass instance as the whole set: chosen widths via Annotated, field order kept.
    c = zigimport.load("specialized", params=Config())
    d = json.loads(c.dump())
    assert list(d) == ["n", "gain", "big", "shape", "count", "name", "big_inf"]
    assert d["n"] == {"type": "u8", "value": 4} and d["count"]["type"] == "comptime_int"
    assert d["gain"] == {"type": "f32", "value": {"float": 32, "bits": f32_bits(0.1)}}
    assert d["big"] == {"type": "i128", "value": -(2**100)}
    assert d["shape"] == {"type": "[3]u16", "value": [2, 3, 4]}
    assert d["big_inf"]["value"] == f64(f64_bits(float("-inf")))
    assert c.sum_to(1) == 6 and c.mode() == "none"


def test_specialisations_side_by_side_and_dead_branches(src: Path) -> None:
    a = zigimport.load(src, n=3, use_simd=True, poison=False)
    b = zigimport.load(src, params={"n": 5, "use_simd": False, "poison": False})
    assert a.__name__ == "specialized[n=3,poison=False,use_simd=True]"
    assert b.__name__ == "specialized[n=5,poison=False,use_simd=False]"
    assert sys.modules[a.__name__] is a and sys.modules[b.__name__] is b and a is not b
    assert (a.mode(), a.sum_to(1), b.mode(), b.sum_to(1)) == ("simd", 3, "scalar", 10)
    assert a.__file__ == str(src)
    # The same set again: the same module object, whichever way the values are spelled.
    assert zigimport.load(str(src), params={"use_simd": True, "poison": False}, n=3) is a
    assert zigimport.compiled(src, "mode", n=5, use_simd=False, poison=False)() == "scalar"
    # No values at all: an empty params module (the source's @hasDecl checks see nothing).
    bare = zigimport.load(src)
    assert bare.__name__ == "specialized[]" and bare.mode() == "none" and bare.dump() == "{}"
    # The branch not taken held the @compileError; taking it fires it.
    with pytest.raises(ZigCompileError, match="poison=True reached the compiler"):
        zigimport.load(src, n=3, use_simd=True, poison=True)


CROSS = """\
import sys, zigimport
first = zigimport.load("specialized", n={n}, case="cross")
print(first.__name__, first.sum_to(1), "zigimport.build.locked_build" in sys.modules)
for extra in {extra!r}:
    m = zigimport.load("specialized", **extra)
    print(m.__name__, m.sum_to(1))
"""


def test_cache_hit_and_miss_by_parameter_set_across_processes(zig_modules: Path) -> None:
    one = run_python(CROSS.format(n=6, extra=[]), cwd=zig_modules)
    assert compile_count(one.stderr) == 1
    assert one.stdout.split() == ["specialized[case='cross',n=6]", "15", "True"]
    # A new process: the same set is a hit (no compiler, no build package); a new set, mode or flag is a miss.
    two = run_python(CROSS.format(n=6, extra=[dict(n=7, case="cross"), dict(n=6, case="cross", flags=["-fno-omit-frame-pointer"])]),
                     cwd=zig_modules)
    assert two.stdout.splitlines() == ["specialized[case='cross',n=6] 15 False", "specialized[case='cross',n=7] 21",
                                       "specialized[case='cross',n=6;-fno-omit-frame-pointer] 15"]
    assert compile_count(two.stderr) == 2


def test_params_module_text_is_canonical() -> None:
    """The generated text (the cache key) without compiling: order, names, labels."""
    from zigimport.specialize.params import param_set

    assert param_set({"b": 1, "a": 2}).text == param_set({"b": 1}, {"a": 2}).text == param_set(None, {"a": 2, "b": 1}).text
    assert param_set({"a": 1}).digest != param_set({"a": 2}).digest
    assert param_set({"n": -1, "e": Color.red, "s": "ab", "T": zigimport.ZigType("u8")}).label == "T=u8,e=red,n=-1,s='ab'"
    assert param_set({"x": 1.5}).label.startswith("#") and param_set({"s": "a.b"}).label.startswith("#")
    text = param_set({"Point": 1, "p": Point(1), "q": Point(2)}).text  # a type never shadows a parameter
    assert "pub const Point: comptime_int = 1;" in text and "pub const p: Point_2 = " in text
    assert text.count("pub const Point_2 = struct {") == 1
    assert r'pub const @"u8": [:0]const u8 = "\\\"\x00";' in param_set({"u8": '\\"\0'}).text  # primitive names quoted
    assert param_set(Config()).text.splitlines()[1:3] == ["pub const n: u8 = 4;", "pub const gain: f32 = 0x1.999999999999ap-4;"]


def test_bad_values_are_rejected_before_compiling(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = write(tmp_path / "broken.zig", "this is not Zig\n")  # any compile would raise ZigCompileError

    @dataclasses.dataclass
    class Bad:
        data: dict[str, int]

    @dataclasses.dataclass
    class Lying:
        n: int

    @dataclasses.dataclass
    class Node:
        next: Optional[Node]  # noqa: F821 - resolved from the test's locals below

    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        (dict(x=object()), TypeError, r"params\.x: zigimport cannot pass a object to Zig"),
        (dict(shape=[1, 2, {3}]), TypeError, r"params\.shape\[2\]: zigimport cannot pass a set"),
        (dict(params={1: 2}), TypeError, r"params: parameter names must be str, not int"),
        (dict(params={"": 2}), ValueError, r"parameter name cannot be empty"),
        (dict(params=42), TypeError, r"params must be a dataclass instance or a dict"),
        (dict(params=Point), TypeError, r"params must be a dataclass instance or a dict"),
        (dict(params={"n": 1}, n=2), TypeError, r"multiple values for parameter 'n'"),
        (dict(p=Bad({"a": 1})), TypeError, r"params\.p\.data: a field annotated dict\[str, int\] cannot be a Zig struct field"),
        (dict(params=Lying("four")), TypeError, r"params\.n: the field is annotated int, but holds a str"),
        (dict(params=Config(n=300)), OverflowError, r"params\.n: 300 is out of range for Zig u8 \(0\.\.255\)"),
        (dict(params=Config(shape=(1, 2))), ValueError, r"params\.shape: expected 3 items for Zig \[3\]u16, got 2"),
        (dict(params=Config(shape=(1, 2, 1.5))), TypeError, r"params\.shape\[2\]: expected int for Zig u16, got float"),
        (dict(params=Config(gain="x")), TypeError, r"params\.gain: expected float for Zig f32, got str"),
        (dict(params=Config(gain=1e39)), OverflowError, r"params\.gain: 1e\+39 is out of range for Zig f32"),
        (dict(sh=Shape(Point(1), 256, [], Color.red)), OverflowError, r"params\.sh\.size: 256 is out of range for Zig u8"),
        (dict(sh=Shape(Point(1), 1, ["a", 2], Color.red)), TypeError, r"params\.sh\.tags\[1\]: expected str"),
        (dict(sh=Shape(Point(1), 1, [], "red")), TypeError, r"params\.sh\.color: expected Color, got str"),  # type: ignore[arg-type]
        (dict(perm=Perm.R | Perm.W), TypeError, r"params\.perm: .* a combination of flags"),
        (dict(s="\ud800"), ValueError, r"params\.s: the str is not valid UTF-8"),
        (dict(head=Node(Node(None))), TypeError, r"params\.head.*Node contains itself by value"),
    ]
    Node.__annotations__["next"] = Optional[Node]
    with caplog.at_level(logging.INFO, logger="zigimport"):
        for kwargs, exc, pattern in cases:
            with pytest.raises(exc, match=pattern):
                zigimport.load(broken, **kwargs)
    assert not [r for r in caplog.records if "compiling" in r.getMessage()]


def test_bad_input_for_every_api(tmp_path: Path, src: Path) -> None:
    not_elf = write(tmp_path / "notes.txt", "hello\n")
    with pytest.raises(TypeError, match="source must be a path or a module name"):
        zigimport.load(123)  # type: ignore[arg-type]
    with pytest.raises(ModuleNotFoundError, match=r"No module named 'no_such_kernel_xyz': no no_such_kernel_xyz\.zig on sys\.path"):
        zigimport.load("no_such_kernel_xyz", n=1)
    with pytest.raises(FileNotFoundError, match="no such Zig source file"):
        zigimport.load(tmp_path / "missing.zig")
    with pytest.raises(ValueError, match="neither a module name nor a path"):
        zigimport.load("not a name")
    with pytest.raises(ValueError, match="must be a Python identifier"):
        zigimport.load(write(tmp_path / "my-kernel.zig", "\n"))
    with pytest.raises(ValueError, match="params_module='std' must be an identifier other than"):
        zigimport.load(src, params_module="std")
    with pytest.raises(ZigSettingsError, match="release_mode='Fast' is not a Zig release mode; valid values: Debug"):
        zigimport.load(src, release_mode="Fast")
    with pytest.raises(TypeError, match=r"flags must be a list or tuple of str, not str \(wrap a single flag in a list\)"):
        zigimport.load(src, flags="-fstrip")
    with pytest.raises(TypeError, match=r"flags\[0\] must be a str, not int"):
        zigimport.load(src, flags=[1])  # type: ignore[list-item]
    for flag, why in [("-O", "use release_mode= instead"), ("-femit-bin=x.so", "zigimport chooses the output files"),
                      ("-I/usr/include", "not part of the cache key"), ("-target", "cannot be loaded"),
                      ("--dep", "zigimport defines the modules"), ("-fno-PIC", "position-independent"), ("rm -rf /", "accepted: -f")]:
        with pytest.raises(ValueError, match=r"flags\[0\]: " + re.escape(repr(flag)) + " is not allowed.*" + re.escape(why)):
            zigimport.load(src, flags=[flag])
    with pytest.raises(TypeError, match="attribute name must be a str"):
        zigimport.compiled(src, 1)  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match=r"module 'specialized\[n=3,poison=False,use_simd=True\]' has no attribute 'nope'; it has: .*dump"):
        zigimport.compiled(src, "nope", n=3, use_simd=True, poison=False)
    with pytest.raises(TypeError, match="load_many\\(\\) takes a list of requests, not NoneType"):
        zigimport.load_many(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not str"):
        zigimport.load_many("specialized")
    with pytest.raises(TypeError, match=r"requests\[1\] must be a source, a \(source, params\) pair or a dict"):
        zigimport.load_many([src, 42])
    with pytest.raises(TypeError, match=r"requests\[0\] has no 'source'"):
        zigimport.load_many([{"params": {}}])
    with pytest.raises(TypeError, match=r"requests\[1\]\.params\.x: zigimport cannot pass a object"):
        zigimport.load_many([(src, {"n": 1}), (src, {"x": object()})])
    with pytest.raises(ValueError, match="max_workers=0 must be a positive int"):
        zigimport.load_many([], max_workers=0)
    assert zigimport.load_many([]) == []
    broken = write(tmp_path / "broken_many.zig", "pub fn f( i64 {}\n")
    with pytest.raises(ZigCompileError, match="broken_many.zig:1"):  # the failing request's error, after all finished
        zigimport.load_many([(src, dict(n=3, use_simd=True, poison=False)), (broken, {"n": 1})])
    with pytest.raises(TypeError, match="ZigType\\(\\) argument must be a str"):
        zigimport.ZigType(3)  # type: ignore[arg-type]
    for bad in ["Point", "u8; @panic(\"x\")", "[n]u8", "", "@Vector(4 f32)", "u99999"]:
        with pytest.raises(ValueError, match="is not a Zig type name zigimport accepts"):
            zigimport.ZigType(bad)
    assert [zigimport.ZigType(t).name for t in ["?*const  u8", "[]const  u8", "@Vector(4,f32)", "[*:0]u8", "c_int"]] == \
        ["?*const u8", "[]const u8", "@Vector(4, f32)", "[*:0]u8", "c_int"]
    with pytest.raises(TypeError, match="lib must be the path of a shared library"):
        zigimport.load_function(123, "x")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match="no such shared library"):
        zigimport.load_type(tmp_path / "nope.so", "x")
    with pytest.raises(ZigImportError, match="cannot read .*notes.txt as a shared library"):
        zigimport.load_function(not_elf, "x")
    with pytest.raises(TypeError, match="symbol must be a str"):
        zigimport.load_type(not_elf, 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="was not loaded from a shared library"):
        zigimport.load_function(sys, "x")


def test_build_library_load_function_and_load_type(raw_src: Path, tmp_path: Path) -> None:
    lib = zigimport.build_library(raw_src, factor=2.5)
    assert lib.is_file() and lib.name.startswith("raw_exports[#")
    copy = zigimport.build_library(raw_src, factor=2.5, out_dir=tmp_path / "out")
    assert copy == tmp_path / "out" / lib.name and copy.read_bytes() == lib.read_bytes()
    scale = zigimport.load_function(lib, "scale")  # py.exportFunction: zig_core's conversions and docstring
    assert scale(2.0) == 5.0 and scale(x=4) == 10.0 and scale.__name__ == "scale"
    assert scale.__doc__ is not None and "x * factor" in scale.__doc__
    with pytest.raises(TypeError, match=r"scale\(\) argument 1 \(x\) must be float, not str"):
        scale("2")
    raw = zigimport.load_function(copy, "scale_raw")  # a hand-written PyMethodDef (METH_O)
    assert raw(3) == 7.5 and raw.__doc__ == "scale_raw(x) -> x * factor"
    assert zigimport.load_function(lib, "scale") is scale
    box = zigimport.load_type(lib, "box_spec")
    assert repr(box()) == "<Box factor=2.5>" and box.__name__ == "Box" and box.__module__ == "raw_exports"
    assert box.__doc__ == "A box made from a PyType_Spec." and zigimport.load_type(lib, "box_spec") is box
    made = zigimport.load_type(lib, "make_box_type")
    assert isinstance(made, type) and repr(made()) == "<Box factor=2.5>"
    other = zigimport.build_library(raw_src, factor=4.0)  # another set: another entry
    assert other.parent != lib.parent and zigimport.load_function(other, "scale")(1.0) == 4.0 and scale(1.0) == 2.5
    with pytest.raises(ZigImportError, match="exports no symbol of that name .*py.exportFunction"):
        zigimport.load_function(lib, "nope")
    with pytest.raises(TypeError, match="'make_box_type' in .* is a function, not a PyMethodDef"):
        zigimport.load_function(lib, "make_box_type")
    with pytest.raises(ValueError, match="has ml_flags=0x.*, not a module function's calling convention.*is 'box_spec' a PyMethodDef"):
        zigimport.load_function(lib, "box_spec")  # the same size as a PyMethodDef: its fields give it away
    with pytest.raises(TypeError, match="'not_a_def' in .* is object data of 4 bytes, not a PyType_Spec"):
        zigimport.load_type(lib, "not_a_def")
    with pytest.raises(ImportError, match="is a library of raw exports .*not a module: load its functions with zigimport.load_function"):
        zigimport.load(raw_src, factor=2.5)


ASYNC = """\
import asyncio, sys, zigimport
async def main():
    sets = [dict(n=k, case="async") for k in (11, 12, 13)] * 2
    mods = await asyncio.gather(*(zigimport.load_async("specialized", **s) for s in sets))
    print([m.sum_to(1) for m in mods], len({id(m) for m in mods}))
    many = zigimport.load_many([("specialized", dict(n=14, case="async")), {"source": "specialized", "n": 14, "case": "async"},
                                ("specialized", dict(n=11, case="async"))])
    print(many[0] is many[1], many[2] is mods[0], many[0].sum_to(1))
asyncio.run(main())
"""

RACE = """\
import os, time, zigimport
while not os.path.exists({go!r}):
    time.sleep(0.002)
mods = zigimport.load_many([("specialized", dict(n=21, case="race")), ("specialized", dict(n=22, case="race"))])
print(sum(m.sum_to(1) for m in mods))
"""


def test_concurrent_builds_compile_each_set_once(zig_modules: Path, tmp_path: Path) -> None:
    out = run_python(ASYNC, cwd=zig_modules)
    assert out.stdout.splitlines() == ["[55, 66, 78, 55, 66, 78] 3", "True True 91"]
    assert compile_count(out.stderr) == 4  # 3 sets at once, then one more; duplicates built once
    # Two processes asking for the same two sets at the same moment: each set is compiled once in all.
    go = tmp_path / "go"
    procs = [popen_python(RACE.format(go=str(go)), cwd=zig_modules) for _ in range(2)]
    time.sleep(0.3)
    go.touch()
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    assert [o.strip() for o, _ in results] == [str(210 + 231)] * 2
    assert sum(compile_count(err) for _, err in results) == 2


LEAKS = """\
import gc, sys, zigimport
PAGE = 4096
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE
lib = zigimport.build_library({src!r}, factor=2.5)
scale, raw = zigimport.load_function(lib, "scale"), zigimport.load_function(lib, "scale_raw")
box = zigimport.load_type(lib, "box_spec")
x = 1.25
def batch(n):
    for _ in range(n):
        scale(x); raw(x); box(); zigimport.load_function(lib, "scale"); zigimport.load_type(lib, "box_spec")
        try:
            raw("no")
        except TypeError:
            pass
batch(5_000)
gc.collect()
r0, x0, s0, b0 = rss(), sys.getrefcount(x), sys.getrefcount(scale), sys.getrefcount(box)
batch(30_000)
gc.collect()
print(rss() - r0, sys.getrefcount(x) - x0, sys.getrefcount(scale) - s0, sys.getrefcount(box) - b0)
"""


def test_raw_functions_and_types_do_not_leak(raw_src: Path, tmp_path: Path) -> None:
    out = run_python(LEAKS.format(src=str(raw_src)), cwd=tmp_path, log_level=None)
    rss_growth, x_refs, fn_refs, type_refs = (int(v) for v in out.stdout.split())
    assert (x_refs, fn_refs, type_refs) == (0, 0, 0)
    assert rss_growth < 2_000_000, f"memory grew by {rss_growth} bytes over 30k rounds"


def test_import_zigimport_stays_light(tmp_path: Path) -> None:
    out = run_python("import sys, zigimport; zigimport.ZigType; "
                     "print(sorted(m for m in sys.modules if m.startswith('zigimport.specialize') or m in ('ctypes', 'asyncio')))",
                     cwd=tmp_path, log_level=None)
    assert out.stdout.strip() == "['zigimport.specialize', 'zigimport.specialize.params']"
    assert typing.get_type_hints(zigimport.load)["return"] is types.ModuleType
