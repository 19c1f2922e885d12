"""Typed .pyi stubs: derived from the real signatures, placed where type checkers look, checked by mypy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typing import Any

import pytest
from support import REPO, entry_dir, import_error, mypy_code, run_python, shared_folder, write

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
    folder = shared_folder(tmp_path_factory, "typed", lambda folder: write(folder / "typed_mod.zig", CONTRACT))
    run_python("import zigimport, typed_mod", cwd=folder)  # a cache hit but for the first worker
    return folder


def test_stub_is_written_next_to_the_source(typed_module: Path) -> None:
    stub = (typed_module / "typed_mod.pyi").read_text()
    for line in [
        "def add(a: int, b: int) -> int:",
        '    """Add two integers."""',
        "def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float: ...",
        "def shout(s: str | Buffer) -> str: ...",
        "from zigimport.typing import BufferLike as Buffer",
        "def mean(xs: Buffer | Sequence[float]) -> float: ...",
        "def scale(xs: Buffer, k: float) -> None: ...",
        "def find(xs: Buffer | Sequence[int], x: int) -> int | None: ...",
        "class Summary(NamedTuple):",
        "def summarize(xs: Buffer | Sequence[float]) -> Summary: ...",
    ]:
        assert line in stub.splitlines(), line


def _mypy(folder: Path, code: str, python_version: str | None = None) -> subprocess.CompletedProcess[str]:
    version = python_version or f"{sys.version_info[0]}.{sys.version_info[1]}"
    return mypy_code(folder, code, ["--strict", "--python-version", version], env=_mypy_env())


def _mypy_env() -> dict[str, str]:
    """This checkout's zigimport (the stubs import zigimport.typing) found as an installed package is."""
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": str(REPO) + (os.pathsep + path if path else "")}


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
        "@disjoint_base",
        "class Counter:",
        "    def __radd__(self, other: Vec2, /) -> Vec2: ...",  # one slot serves both orders
        "    def __pow__(self, other: int, mod: None = None, /) -> Bits: ...",
        "    count: int",
        "    def __init__(self, start: int = 0, step: int = 1) -> None: ...",
        "    def bump(self) -> int:",
        "    def __add__(self, other: Vec2, /) -> Vec2: ...",
        "    def __eq__(self, other: object, /) -> bool: ...",
        "    def __iadd__(self, other: Vec2, /) -> Vec2: ...",
        "    @property",
        "    def length(self) -> float:",  # its docstring follows
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


# ---- named structs are real named tuples ----

RECORDS = """\
const std = @import("std");
const py = @import("zig_core");

/// Low and high of a buffer.
pub const Extent = struct { low: f64, high: f64 };
fn Pair(comptime T: type) type {
    return struct { a: T, b: T };
}
pub fn extent(xs: []const f64) ?Extent {
    if (xs.len == 0) return null;
    return .{ .low = std.mem.min(f64, xs), .high = std.mem.max(f64, xs) };
}
pub fn min_max(a: i64, b: i64) struct { lo: i64, hi: i64 } {
    return .{ .lo = @min(a, b), .hi = @max(a, b) };
}
pub fn pair(a: i64) Pair(i64) {
    return .{ .a = a, .b = -a };
}
pub const Renamed = struct {
    pub const __name__ = "Point2";
    x: f64,
    y: f64,
};
pub fn origin() Renamed {
    return .{ .x = 0, .y = 0 };
}
comptime {
    py.module(@This());
}
"""


@pytest.fixture(scope="module")
def records_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_folder(tmp_path_factory, "records", lambda folder: write(folder / "records_mod.zig", RECORDS))


def test_named_struct_results_are_namedtuples_of_the_module(records_module: Path) -> None:
    run_python("""\
import collections, copy, pickle, zigimport, records_mod as m

e = m.extent([1.0, 3.0, 2.0])
assert type(e) is m.Extent and isinstance(e, tuple) and m.Extent.__module__ == "records_mod"
assert e == (1.0, 3.0) and e.low == 1.0 and repr(e) == "Extent(low=1.0, high=3.0)"
assert m.Extent._fields == ("low", "high") and e._asdict() == {"low": 1.0, "high": 3.0}
assert e._replace(high=9.0) == m.Extent(1.0, 9.0) == m.Extent._make([1.0, 9.0])
assert pickle.loads(pickle.dumps(e)) == e and copy.deepcopy(e) == e
assert m.Extent.__doc__ == "Low and high of a buffer."
r = m.min_max(3, 1)                              # an anonymous struct is named after its function
assert type(r) is m.MinMaxResult and r == (1, 3) and r.hi == 3
assert type(m.pair(2)) is m.Pair and m.pair(2)._asdict() == {"a": 2, "b": -2}   # Pair(i64) -> Pair
assert type(m.origin()).__name__ == "Point2" and m.Point2 is type(m.origin())   # __name__ overrides
assert m.extent([]) is None
""", cwd=records_module)
    stub = (records_module / "records_mod.pyi").read_text()
    for cls in ["class Extent(NamedTuple):", '    """Low and high of a buffer."""', "class MinMaxResult(NamedTuple):",
                "class Pair(NamedTuple):", "class Point2(NamedTuple):", "def min_max(a: int, b: int) -> MinMaxResult: ..."]:
        assert cls in stub.splitlines(), cls


@pytest.mark.parametrize("decls, message", [
    ("const A = struct { pub const S = struct { x: i64 }; }; const B = struct { pub const S = struct { y: i64 }; };\n"
     "pub fn f() A.S { return .{ .x = 1 }; }\npub fn g() B.S { return .{ .y = 1 }; }",
     "would both be the Python type 'S'; name one with `pub const __name__"),
    ("const N = struct { pub const clash = struct { x: i64 }; };\npub fn make() N.clash { return .{ .x = 1 }; }\n"
     "pub fn clash() void {}",
     "would be the module attribute 'clash', which is already a function or class of the module"),
    ("pub const P = struct { _hidden: i64 };\npub fn f() P { return .{ ._hidden = 1 }; }",
     "field '_hidden' of records_bad.P cannot be a named-tuple field in Python"),
])
def test_named_struct_name_rules(tmp_path: Path, decls: str, message: str) -> None:
    write(tmp_path / "records_bad.zig", f'const py = @import("zig_core");\n{decls}\ncomptime {{ py.module(@This()); }}\n')
    out = import_error("records_bad", "zigimport.ZigCompileError", cwd=tmp_path)
    assert message in out.stdout, out.stdout


def test_mypy_accepts_namedtuple_methods(typed_module: Path) -> None:
    ok = _mypy(typed_module, """\
import typed_mod

s = typed_mod.summarize([1.0])
d: dict[str, object] = s._asdict()
t: typed_mod.Summary = s._replace(count=2)
total: float = typed_mod.Summary(1.0, 2).total
""")
    assert ok.returncode == 0, ok.stdout + ok.stderr


# ---- the stubs match the runtime, on every test and example module ----

# Fixture sources that are not importable as plain modules (each is checked where it is used).
NOT_PLAIN_MODULES = {
    "specialized": "needs comptime parameters: zigimport.load(..., params=...), tests/test_specialize.py",
    "raw_exports": "a library of raw exports for load_function/load_type, not a module: tests/test_specialize.py",
}


def _zig_module_names() -> list[str]:
    here = Path(__file__).parent
    return sorted(p.stem for p in [*(here / "modules").glob("*.zig"), *(REPO / "examples").glob("*.zig")]
                  if p.stem not in NOT_PLAIN_MODULES)


STUBTEST = """\
import importlib, sys
import zigimport  # the import hook, so that stubtest can import the modules
names = sys.argv[1:sys.argv.index("--allowlist")]
for name in names:
    importlib.import_module(name)  # builds it, which writes the stub stubtest reads first
from mypy.stubtest import main
sys.argv = ["stubtest", *sys.argv[1:]]
sys.exit(main())
"""

# What stubtest cannot be told in a one-file stub, each entry a known, documented difference
# (not a stub that lies): a py.submodule is stubbed as a class of static methods (docs/modules.md:
# a `mod/` stub folder beside `mod.zig` would make Python import `mod` as a namespace package);
# a class with any comparison gets all six comparison slot wrappers from CPython, and the ones
# it did not declare answer NotImplemented (a TypeError for `a <= b`), so the stub rightly omits them.
STUBTEST_ALLOWLIST = {
    "module_contents": [r"module_contents\.linalg(\..*)?"],
    "classes2": [r"classes2\.Animal\.__(le|ge)__"],
}


@pytest.fixture(scope="module")
def stubtest_output(zig_modules: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One `python -m mypy.stubtest` (with the hook installed first) over every test and example module, once
    per run for all workers (its output is kept in a shared folder): stubtest's start-up (typeshed, the stub
    build) is paid once, not once per module."""
    def run(folder: Path) -> None:
        env = _mypy_env()
        env["PYTHONPATH"] = str(zig_modules) + os.pathsep + env["PYTHONPATH"]
        allowed = folder / "allowlist"
        allowed.write_text("".join(f"{entry}\n" for entries in STUBTEST_ALLOWLIST.values() for entry in entries))
        out = subprocess.run([sys.executable, "-c", STUBTEST, *_zig_module_names(), "--allowlist", str(allowed)],
                             cwd=zig_modules, capture_output=True, text=True, timeout=900, env=env)
        (folder / "returncode").write_text(str(out.returncode))
        (folder / "output").write_text(out.stdout + out.stderr)

    folder = shared_folder(tmp_path_factory, "stubtest", run)
    output = (folder / "output").read_text()
    assert (folder / "returncode").read_text() in ("0", "1") and (
        "Success: no issues found" in output or "Found " in output), output  # it ran to the end (no crash)
    return output


def _owner(line: str) -> str | None:
    """The module an `error: <name> ...` line of stubtest is about."""
    name = line.split()[1]
    return next((m for m in _zig_module_names() if name == m or name.startswith(m + ".")), None)


@pytest.mark.parametrize("name", _zig_module_names())
def test_stubtest_passes(stubtest_output: str, name: str) -> None:
    """stubtest finds nothing in this module's stub (the allowlist entries above are all used:
    stubtest reports an unused one as an error, which no module owns and so fails every module)."""
    errors = [line for line in stubtest_output.splitlines() if line.startswith("error: ")]
    assert not [line for line in errors if _owner(line) in (name, None)], stubtest_output


@pytest.mark.parametrize("name", _zig_module_names())
def test_stubs_import_only_what_they_use(zig_modules: Path, name: str) -> None:
    import ast
    import importlib

    import zigimport  # noqa: F401

    importlib.import_module(name)
    tree = ast.parse((zig_modules / f"{name}.pyi").read_text())
    imported = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for a in node.names}
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert imported <= used, f"unused imports in {name}.pyi: {sorted(imported - used)}"


def test_buffer_method_exists_on_every_version(classes: Any) -> None:
    """The stub declares __buffer__ (how type checkers see a buffer); before 3.12 zig_core adds the method."""
    import gc

    m = classes.Matrix(2, 3)
    view = m.__buffer__(0)
    assert isinstance(view, memoryview) and view.shape == (2, 3) and view.obj is m
    view.release()
    with pytest.raises(TypeError):
        m.__buffer__("flags")
    before = sys.getrefcount(m)
    for _ in range(10_000):
        m.__buffer__(0).release()
    gc.collect()
    assert sys.getrefcount(m) == before  # no reference leaked per call


def test_property_docs_in_stub_and_at_runtime(classes_stub_folder: Path, classes: Any) -> None:
    stub = (classes_stub_folder / "classes.pyi").read_text()
    assert '    def length(self) -> float:\n        """The vector\'s length."""\n' in stub
    assert classes.Vec2.length.__doc__ == "The vector's length."


# ---- buffers: numpy arrays type-check on every Python version ----

NUMPY_CALLS = """\
import array
import numpy as np
import typed_mod
from zigimport.typing import BufferLike

xs = np.arange(4, dtype=np.float64)
m: float = typed_mod.mean(xs) + typed_mod.mean(array.array("d", [1.0])) + typed_mod.mean(memoryview(b"x"))
typed_mod.scale(xs, 2.0)
loud: str = typed_mod.shout(np.frombuffer(b"hi", dtype=np.uint8))
def takes(b: BufferLike) -> float:
    return typed_mod.mean(b)
"""


@pytest.mark.parametrize("version", ["3.10", "3.11", "3.12", "3.13"])
def test_mypy_accepts_numpy_arrays_for_buffer_parameters(typed_module: Path, version: str) -> None:
    ok = _mypy(typed_module, NUMPY_CALLS, python_version=version)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _mypy(typed_module, "import typed_mod\ntyped_mod.scale([1.0], 2)\ntyped_mod.scale('text', 2)\n",
                python_version=version)
    assert bad.returncode == 1 and bad.stdout.count('Argument 1 to "scale" has incompatible type') == 2, bad.stdout
