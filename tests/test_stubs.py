"""Typed .pyi stubs: derived from the real signatures, placed where type checkers look, checked by mypy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import entry_dir, import_error, run_python, write

CONTRACT = """\
const std = @import("std");
const py = @import("zig_core");

/// Add two integers.
pub fn add(a: i64, b: i64) i64 {
    return a + b;
}
pub fn clamp(args: struct { x: f64, lo: f64 = 0, hi: f64 = 1 }) f64 {
    return @min(@max(args.x, args.lo), args.hi);
}
pub fn shout(alloc: std.mem.Allocator, s: []const u8) ![]u8 {
    return std.ascii.allocUpperString(alloc, s);
}
pub fn mean(xs: []const f64) !f64 {
    if (xs.len == 0) return error.ValueError;
    var t: f64 = 0;
    for (xs) |x| t += x;
    return t / @as(f64, @floatFromInt(xs.len));
}
pub fn scale(xs: []f64, k: f64) void {
    for (xs) |*x| x.* *= k;
}
pub fn find(xs: []const i64, x: i64) ?usize {
    return std.mem.indexOfScalar(i64, xs, x);
}
pub const Summary = struct { total: f64, count: usize };
pub fn summarize(xs: []const f64) Summary {
    var t: f64 = 0;
    for (xs) |x| t += x;
    return .{ .total = t, .count = xs.len };
}
comptime {
    py.module(@This());
}
"""


@pytest.fixture(scope="module")
def typed_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("typed")
    write(folder / "typed_mod.zig", CONTRACT)
    run_python("import zigimport, typed_mod", cwd=folder)
    return folder


def test_stub_is_written_next_to_the_source(typed_module: Path) -> None:
    stub = (typed_module / "typed_mod.pyi").read_text()
    for line in [
        "def add(a: int, b: int) -> int:",
        '    """Add two integers."""',
        "def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float: ...",
        "def shout(s: str | Buffer) -> str: ...",
        "def mean(xs: Buffer | Sequence[float]) -> float: ...",
        "def scale(xs: Buffer, k: float) -> None: ...",
        "def find(xs: Buffer | Sequence[int], x: int) -> int | None: ...",
        "class Summary(NamedTuple):",
        "def summarize(xs: Buffer | Sequence[float]) -> Summary: ...",
    ]:
        assert line in stub.splitlines(), line


def _mypy(folder: Path, code: str) -> subprocess.CompletedProcess[str]:
    script = folder / "user_script.py"
    script.write_text(code)
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version",
                           f"{sys.version_info[0]}.{sys.version_info[1]}", str(script)],
                          cwd=folder, capture_output=True, text=True, timeout=600)


def test_mypy_accepts_right_calls(typed_module: Path) -> None:
    ok = _mypy(typed_module, """\
import array
import typed_mod

total: int = typed_mod.add(1, 2)
c: float = typed_mod.clamp(0.5) + typed_mod.clamp(x=2, hi=3.0) + typed_mod.clamp(1, 0, 2)
loud: str = typed_mod.shout("hi") + typed_mod.shout(b"bytes")
m: float = typed_mod.mean([1.0, 2.0]) + typed_mod.mean(array.array("d", [1.0]))
typed_mod.scale(array.array("d", [1.0]), 2)
where: int | None = typed_mod.find([1, 2], 2)
s = typed_mod.summarize([1.0])
n: int = s.count
""")
    assert ok.returncode == 0, ok.stdout + ok.stderr


@pytest.mark.parametrize("call, complaint", [
    ('typed_mod.add(1, "2")', 'Argument 2 to "add" has incompatible type "str"'),
    ("typed_mod.add(1, c=2)", 'Unexpected keyword argument "c" for "add"'),
    ("typed_mod.clamp(x=1, y=2)", 'Unexpected keyword argument "y" for "clamp"'),
    ("typed_mod.clamp()", 'Missing positional argument "x" in call to "clamp"'),
    ("typed_mod.scale([1.0], 2)", 'Argument 1 to "scale" has incompatible type "list[float]"'),
    ("x: str = typed_mod.mean([1.0])", 'Incompatible types in assignment (expression has type "float", variable has type "str")'),
    ("typed_mod.summarize([1.0]).mean", '"Summary" has no attribute "mean"'),
])
def test_mypy_rejects_wrong_calls(typed_module: Path, call: str, complaint: str) -> None:
    bad = _mypy(typed_module, f"import typed_mod\n{call}\n")
    assert bad.returncode == 1, bad.stdout
    assert complaint in bad.stdout


def test_unwritable_source_folder_puts_the_stub_in_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "site-packages-like"
    src = write(folder / "ro_mod.zig", CONTRACT)
    folder.chmod(0o555)
    try:
        out = run_python("import zigimport, ro_mod; print(ro_mod.add(1, 2))", cwd=folder)
    finally:
        folder.chmod(0o755)
    assert out.stdout.strip() == "3"
    if os.geteuid() != 0:  # root can write anywhere, so the fallback only shows for real users
        assert "cannot write the stub beside" in out.stderr
        assert not (folder / "ro_mod.pyi").exists()
        assert (entry_dir(src, "ro_mod") / "ro_mod.pyi").exists()


def test_stub_modes(tmp_path: Path) -> None:
    src = write(tmp_path / "cache_stub.zig", CONTRACT)
    run_python("import zigimport, cache_stub", cwd=tmp_path, env={"ZIGIMPORT_STUBS": "cache"})
    assert not (tmp_path / "cache_stub.pyi").exists()
    assert "def add(" in (entry_dir(src, "cache_stub") / "cache_stub.pyi").read_text()
    write(tmp_path / "no_stub.zig", CONTRACT)
    run_python("import zigimport; zigimport.install(stubs='off'); import no_stub", cwd=tmp_path)
    assert not (tmp_path / "no_stub.pyi").exists()
    bad = import_error("no_stub", "zigimport.ZigSettingsError", cwd=tmp_path, env={"ZIGIMPORT_STUBS": "everywhere"})
    assert "ZIGIMPORT_STUBS='everywhere' is not a stub mode; valid values: source, cache, off" in bad.stdout


def test_raw_extensions_get_no_stub(tmp_path: Path) -> None:
    from support import raw_module

    raw_module(tmp_path / "raw_nostub.zig")
    run_python("import zigimport, raw_nostub", cwd=tmp_path)
    assert not (tmp_path / "raw_nostub.pyi").exists()


@pytest.mark.parametrize("decl, message", [
    ("pub fn bad(x: *anyopaque) void { _ = x; }",
     "bad(): parameter 1 (x) has type *anyopaque, which zig_core cannot convert from Python"),
    ("pub fn bad2(a: i64, f: fn () void) void { _ = a; _ = f; }",
     "bad2(): parameter 2 (f) has type fn () void, which zig_core cannot convert from Python"),
    ("pub fn bad3(args: struct { p: *u8 }) void { _ = args; }",
     "bad3(): keyword parameter 'p' has type *u8, which zig_core cannot convert from Python"),
    ("pub fn bad4(x: anytype) void { _ = x; }",
     "bad4(): parameter 1 is generic (anytype)"),
    ("pub fn bad5() *u8 { return undefined; }",
     "bad5(): zig_core cannot convert the return type *u8 to a Python object"),
])
def test_unsupported_types_are_compile_errors_naming_the_parameter(tmp_path: Path, decl: str, message: str) -> None:
    write(tmp_path / "unsupported.zig", f'const py = @import("zig_core");\n{decl}\ncomptime {{ py.module(@This()); }}\n')
    out = import_error("unsupported", "zigimport.ZigCompileError", cwd=tmp_path)
    assert message in out.stdout


@pytest.fixture(scope="module")
def classes_stub_folder(zig_modules: Path, classes: object) -> Path:
    return zig_modules


def test_class_stubs(classes_stub_folder: Path) -> None:
    stub = (classes_stub_folder / "classes.pyi").read_text().splitlines()
    for line in [
        "class Counter:",
        "    count: int",
        "    def __init__(self, start: int = 0, step: int = 1) -> None: ...",
        "    def bump(self) -> int:",
        "    def __add__(self, other: Vec2, /) -> Vec2: ...",
        "    def __eq__(self, other: object, /) -> bool: ...",
        "    def __iadd__(self, other: Vec2, /) -> Vec2: ...",
        "    @property",
        "    def length(self) -> float: ...",
        "    @length.setter",
        "    def length(self, value: float) -> None: ...",
        "    @staticmethod",
        "    def zero() -> Vec2:",
        "    @classmethod",
        "    def __lt__(self, other: Version, /) -> bool: ...",
        "    def len(self) -> int: ...",  # a __readonly__ field is a read-only property
        "    def __next__(self) -> float: ...",
        "    def __buffer__(self, flags: int, /) -> memoryview: ...",
        "def merge(a: Counter, b: Counter) -> Counter: ...",
        "def spin(rounds: int) -> int:",  # the py.NoGil marker is not a Python parameter
    ]:
        assert line in stub, line
    assert not any(line.startswith("class Result") for line in stub)


def test_mypy_accepts_class_use_and_rejects_misuse(classes_stub_folder: Path) -> None:
    ok = _mypy(classes_stub_folder, """\
import classes

c = classes.Counter(start=1, step=2)
n: int = c.bump() + c.count + c(3)
c.count = 5
v = classes.Vec2(1.0, 2.0) + classes.Vec2(3, 4) * 2.0
v += classes.Vec2.zero()
length: float = v.length + abs(v)
v.length = 3.0
newest = max(classes.Version(1, 2), classes.Version(1, 3))
ordered: bool = classes.Version(1, 0) < newest
r = classes.Ring(4)
r.push(1.0)
total: float = sum(r) + r[0]
with r as same:
    size: int = len(same)
m: classes.Counter = classes.merge(c, c)
view = memoryview(classes.Matrix(2, 2))
""")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    for call, complaint in [
        ("classes.Counter(start='1')", 'Argument "start" to "Counter" has incompatible type "str"'),
        ("classes.Counter().count = 'x'", 'Incompatible types in assignment (expression has type "str", variable has type "int")'),
        ("classes.Vec2(1, 2).angle = 1.0", 'Property "angle" defined in "Vec2" is read-only'),
        ("classes.merge(classes.Counter(), classes.Vec2(1, 2))", 'Argument 2 to "merge" has incompatible type "Vec2"'),
        ("classes.Ring(2).len = 3", 'Property "len" defined in "Ring" is read-only'),
    ]:
        bad = _mypy(classes_stub_folder, f"import classes\n{call}\n")
        assert bad.returncode == 1 and complaint in bad.stdout, (call, bad.stdout)
