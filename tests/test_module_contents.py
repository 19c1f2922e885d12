"""What a module holds beyond functions and classes: constants, hidden functions, submodules,
exception classes -- and the names things get when the module is a package's submodule."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from support import import_error, mypy, run_python, write

import zigimport

# ---- constants ----


def test_convertible_pub_consts_are_module_attributes(module_contents: Any) -> None:
    m = module_contents
    assert m.VERSION == "1.0" and type(m.VERSION) is str
    assert m.__version__ == "1.0"  # dunder names are constants too
    assert m.N == 5 and m.NEGATIVE == -7
    assert m.BIG == 2**100  # a comptime_int of any size
    assert m.RATIO == 0.25 and m.SMALL == 1.5 and m.FLAG is True
    assert m.PAIR == (1, "a", 2.5)
    assert m.PRIMES == [2, 3, 5, 7] and m.NAMES == ["x", "y"]
    assert m.MODE == "fast"  # an enum literal: its name
    assert m.MAGIC == b"\x89PNG"
    assert m.NOTHING is None and m.SOMETHING == 3


def test_types_imports_vars_and_unconvertible_values_stay_zig_only(module_contents: Any) -> None:
    public = {k for k in dir(module_contents) if not k.startswith("__")}
    for zig_only in ("Point", "ORIGIN", "math", "calls", "page", "callback", "nothing"):
        assert zig_only not in public, zig_only
    assert "__exclude__" not in vars(module_contents)


# ---- __exclude__ ----


def test_excluded_declarations_are_not_exported_but_still_work_from_zig(module_contents: Any) -> None:
    assert not hasattr(module_contents, "scaleInPlace")  # its *[3]f64 parameter has no Python form
    assert not hasattr(module_contents, "HIDDEN")
    assert module_contents.scaled(2.0) == [2.0, 4.0, 6.0]  # calls the excluded helper


# ---- exceptions ----


def test_module_exceptions_are_classes_with_a_builtin_or_module_base(module_contents: Any) -> None:
    m = module_contents
    assert m.ParseError.__module__ == "module_contents" and m.ParseError.__qualname__ == "ParseError"
    assert m.ParseError.__mro__[1:3] == (ValueError, Exception)
    assert m.ParseError.__doc__ == "Raised when text is not a number."
    assert issubclass(m.EmptyInput, m.ParseError) and m.EmptyInput.__doc__ is None
    assert m.KeyError is not KeyError and issubclass(m.KeyError, KeyError)  # its own name as base: the builtin


def test_returning_the_error_name_raises_the_exception(module_contents: Any) -> None:
    m = module_contents
    with pytest.raises(m.ParseError, match=r"^error.ParseError returned by parse\(\)") as info:
        m.parse("12x")
    assert type(info.value) is m.ParseError
    with pytest.raises(ValueError):  # catchable as its base
        m.parse("12x")
    with pytest.raises(m.ParseError) as derived:
        m.parse("")
    assert type(derived.value) is m.EmptyInput
    with pytest.raises(m.KeyError):
        m.shadowed()
    assert m.parse("12") == 12


def test_py_raise_names_a_module_exception(module_contents: Any) -> None:
    with pytest.raises(module_contents.ParseError, match=r"^not a number: 'abc'$"):
        module_contents.parseStrict("abc")


def test_module_exceptions_pickle_by_their_module_name(module_contents: Any) -> None:
    err = module_contents.ParseError("bad input")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is module_contents.ParseError and back.args == ("bad input",)
    sub = pickle.loads(pickle.dumps(module_contents.linalg.SingularError("x")))
    assert type(sub) is module_contents.linalg.SingularError


def test_zig_error_is_a_runtime_error_with_the_error_name(module_contents: Any) -> None:
    assert issubclass(zigimport.ZigError, RuntimeError)
    with pytest.raises(RuntimeError, match=r"error.SomethingElse returned by unnamed\(\)") as info:
        module_contents.unnamed()
    assert isinstance(info.value, zigimport.ZigError) and info.value.zig_error == "SomethingElse"


# ---- submodules ----


def test_submodule_is_a_module_attribute_with_its_own_contents(module_contents: Any) -> None:
    linalg = module_contents.linalg
    assert type(linalg) is type(sys)
    assert linalg.__name__ == "module_contents.linalg" and linalg.__doc__ == "Linear algebra."
    assert linalg.dot([1.0, 2.0], [3.0, 4.0]) == 11.0
    assert linalg.dot.__module__ == "module_contents.linalg"
    assert linalg.dot.__doc__ is not None and "The dot product of a and b." in linalg.dot.__doc__
    assert linalg.DIM == 3
    assert linalg.SingularError.__module__ == "module_contents.linalg"
    assert issubclass(linalg.SingularError, ArithmeticError)
    with pytest.raises(linalg.SingularError, match="inverse"):
        linalg.inverse(0.0)
    with pytest.raises(module_contents.ParseError):  # a base from the parent module
        linalg.degenerate()
    assert linalg.sparse.__name__ == "module_contents.linalg.sparse" and linalg.sparse.__doc__ == "Sparse things."
    assert linalg.sparse.nnz([0.0, 1.0, 2.0]) == 2
    assert sys.modules["module_contents.linalg"] is linalg
    assert sys.modules["module_contents.linalg.sparse"] is linalg.sparse
    assert pickle.loads(pickle.dumps(linalg.dot)) is linalg.dot


def test_submodules_import_by_dotted_name_in_a_fresh_process(zig_modules: Path, module_contents: Any) -> None:
    out = run_python("""\
        import zigimport
        import module_contents.linalg.sparse
        from module_contents.linalg import dot, DIM
        from module_contents.linalg.sparse import nnz
        import module_contents
        print(dot([2.0], [3.0]), DIM, nnz([1.0, 0.0]), module_contents.linalg.sparse.nnz is nnz)
        try:
            import module_contents.nothere
        except ModuleNotFoundError as e:
            print(e)
        """, cwd=zig_modules)
    lines = out.stdout.splitlines()
    assert lines[0] == "6.0 3 1 True"
    assert lines[1] == "No module named 'module_contents.nothere'; 'module_contents' is not a package"


def test_a_submodule_from_another_file_keeps_its_names_and_docs(tmp_path: Path) -> None:
    write(tmp_path / "parts/vec.zig", """\
        //! Vectors, in their own file.
        /// Twice x.
        pub fn twice(x: i64) i64 {
            return 2 * x;
        }
        """)
    write(tmp_path / "split_mod.zig", """\
        const py = @import("zig_core");
        pub const vec = py.submodule(@import("parts/vec.zig"));
        comptime {
            py.module(@This());
        }
        """)
    out = run_python("""\
        import inspect, zigimport
        from split_mod import vec
        print(vec.twice(4), inspect.signature(vec.twice), vec.twice.__doc__, vec.__doc__, sep="|")
        """, cwd=tmp_path)
    assert out.stdout.strip() == "8|(x)|Twice x.|Vectors, in their own file."
    assert "    def twice(x: int) -> int:" in (tmp_path / "split_mod.pyi").read_text().splitlines()


# ---- names in packages ----

PACKAGE_SUB = """\
const py = @import("zig_core");
pub const Counter = py.class(struct {
    n: i64 = 0,
    pub fn bump(self: *@This()) void {
        self.n += 1;
    }
});
pub const Oops = py.exception(.KeyError, null);
pub fn fail() !void {
    return error.Oops;
}
pub const tools = py.submodule(struct {
    pub const __doc__ = "Tools.";
    pub fn twice(x: i64) i64 {
        return 2 * x;
    }
});
comptime {
    py.module(@This());
}
"""


def test_names_in_a_package_submodule_are_fully_dotted_and_pickle(tmp_path: Path) -> None:
    write(tmp_path / "pkg/__init__.py", "")
    write(tmp_path / "pkg/sub.zig", PACKAGE_SUB)
    out = run_python("""\
        import pickle, zigimport
        import pkg.sub.tools
        from pkg.sub import Counter
        c = Counter()
        c.bump()
        back = pickle.loads(pickle.dumps(c))
        print(type(back) is Counter, back.n)
        print(Counter.__module__, Counter.__qualname__, repr(Counter))
        print(pkg.sub.fail.__module__, pkg.sub.Oops.__module__, pkg.sub.tools.twice.__module__)
        try:
            pkg.sub.fail()
        except KeyError as e:
            print(type(e).__module__ + "." + type(e).__qualname__)
        print(pickle.loads(pickle.dumps(pkg.sub.tools.twice))(21), pkg.sub.tools.__doc__)
        """, cwd=tmp_path)
    assert out.stdout.splitlines() == [
        "True 1",
        "pkg.sub Counter <class 'pkg.sub.Counter'>",
        "pkg.sub pkg.sub pkg.sub.tools",
        "pkg.sub.Oops",
        "42 Tools.",
    ]


# ---- stubs ----


def test_stub_declares_exceptions_constants_and_submodules(zig_modules: Path, module_contents: Any) -> None:
    stub = (zig_modules / "module_contents.pyi").read_text()
    for line in [
        "import builtins",  # the shadowed builtins.KeyError
        "from typing import Final",  # only the names the stub uses
        "class ParseError(ValueError):",
        '    """Raised when text is not a number."""',
        "class EmptyInput(ParseError): ...",
        "class KeyError(builtins.KeyError):",
        "VERSION: Final[str]",
        "N: Final[int]",
        "BIG: Final[int]",
        "PAIR: Final[tuple[int, str, float]]",
        "PRIMES: Final[list[int]]",
        "MAGIC: Final[bytes]",
        "NOTHING: Final[int | None]",
        "class linalg:",
        '    """Linear algebra."""',
        "    @staticmethod",
        "    def inverse(x: float) -> float: ...",
        "    class SingularError(ArithmeticError):",
        "    class Degenerate(ParseError): ...",
        "    DIM: Final[int]",
        "    class sparse:",
        "        def nnz(xs: Buffer | Sequence[float]) -> int: ...",
    ]:
        assert line in stub.splitlines(), line
    for absent in ("scaleInPlace", "HIDDEN", "Point:", "calls", "page", "__exclude__"):
        assert absent not in stub, absent


def test_mypy_understands_the_module_contents(zig_modules: Path, module_contents: Any) -> None:
    code = """\
        import module_contents as m
        from module_contents import linalg
        v: str = m.VERSION
        n: int = m.N + linalg.DIM
        d: float = linalg.dot([1.0], [2.0]) + linalg.sparse.nnz([1.0])
        try:
            m.parse("x")
        except m.ParseError as e:
            base: ValueError = e
        try:
            linalg.inverse(0.0)
        except linalg.SingularError:
            pass
        """
    bad = "import module_contents as m\nm.N = 3\nm.linalg.dot(1, 2)\n"
    ok = mypy(["--strict"], "-c", _dedent(code), cwd=zig_modules)
    assert ok.returncode == 0, ok.stdout
    rejected = mypy(["--strict"], "-c", bad, cwd=zig_modules)
    assert 'Cannot assign to final name "N"' in rejected.stdout
    assert 'Argument 1 to "dot" of "linalg"' in rejected.stdout


def _dedent(code: str) -> str:
    import textwrap

    return textwrap.dedent(code)


# ---- bad input: compile errors that name the declaration ----

@pytest.mark.parametrize("decl, message", [
    ('pub const __exclude__ = .{"helpr"};\npub fn helper() void {}',
     "__exclude__ in module bad_contents names 'helpr', which is not a pub declaration there"),
    ('pub const __exclude__ = .{ 42 };',
     "__exclude__ lists declaration names, like .{ \"helper\" } or .{ .helper }; item 1 is a comptime_int"),
    ('pub const BAD = .{ "ok", "\\xff" };',
     "pub const BAD of module bad_contents is a string that is not valid UTF-8, so it has no Python str"),
    ("pub fn helper(p: *anyopaque) void { _ = p; }",
     # The hint is the tidied error's note, after the message and the source line.
     'helper(): parameter 1 (p) has type *anyopaque, which zig_core cannot convert from Python\n'
     'note: pub fns become Python functions: to keep helper out of module bad_contents, '
     'declare `pub const __exclude__ = .{ "helper" };` in it'),
    ("pub fn generic(x: anytype) void { _ = x; }",
     'generic(): parameter 1 is generic (anytype); functions exported to Python need concrete parameter types\n'
     'note: pub fns become Python functions: to keep generic out of module bad_contents'),
    ("pub const Bad = py.exception(.int, null);",
     "py.exception bad_contents.Bad: base 'int' is neither a builtin Python exception class"),
    ("pub const A = py.exception(.B, null);\npub const B = py.exception(.A, null);",
     "py.exception bad_contents.A: its bases form a cycle"),
    ("pub const E = py.exception(.ValueError, null);\npub const sub = py.submodule(struct { pub const E = py.exception(.KeyError, null); });",
     "py.exception: bad_contents.E and bad_contents.sub.E have the same name"),
    ('pub fn f() !void { return py.raise(.NoSuchError, "x", .{}); }',
     "py.raise: 'NoSuchError' is neither a builtin Python exception nor an exception of this module"),
    ("pub const C = py.class(struct { n: i64 = 0 });\npub const __exclude__ = .{\"C\"};",
     "__exclude__ in module bad_contents names the py.class 'C'"),
    ("pub const sub = py.submodule(struct { pub const C = py.class(struct { n: i64 = 0 }); });",
     "py.class C in submodule bad_contents.sub: classes inside a py.submodule are not supported yet"),
    ("pub const sub = py.submodule(42);",
     "expected type 'type'"),
    ("pub const sub = py.submodule(struct { pub fn h(p: *u8) void { _ = p; } });",
     "to keep h out of submodule bad_contents.sub"),
])
def test_bad_declarations_are_compile_errors_naming_them(tmp_path: Path, decl: str, message: str) -> None:
    write(tmp_path / "bad_contents.zig", f'const py = @import("zig_core");\n{decl}\ncomptime {{ py.module(@This()); }}\n')
    out = import_error("bad_contents", "zigimport.ZigCompileError", cwd=tmp_path)
    for part in message.split("\n"):  # each line of the message, in order
        assert part in out.stdout, out.stdout
    assert out.stdout.index(message.split("\n")[0]) <= out.stdout.index(message.split("\n")[-1])


# ---- no leaks ----

LEAK_CHECK = """\
import gc
import zigimport, module_contents as m

def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

def batch(n: int) -> int:
    calls = 0
    for i in range(n):
        try:
            m.parse("x")                 # error name -> module exception
        except m.ParseError:
            pass
        try:
            m.parseStrict("y")           # py.raise(.ParseError, ...) with a formatted message
        except m.ParseError:
            pass
        try:
            m.linalg.inverse(0.0)        # a submodule's exception
        except ArithmeticError:
            pass
        m.linalg.dot([1.0], [2.0])
        calls += 4
    return calls

import sys
batch(20_000)
gc.collect()
rss0, cls0, blocks0 = rss(), sys.getrefcount(m.ParseError), sys.getallocatedblocks()
calls = batch(50_000)
gc.collect()
print(calls, rss() - rss0, sys.getrefcount(m.ParseError) - cls0, sys.getallocatedblocks() - blocks0)
"""


def test_raising_module_exceptions_does_not_grow_memory(zig_modules: Path, module_contents: Any) -> None:
    out = run_python(LEAK_CHECK, cwd=zig_modules, timeout=600, log_level=None)
    calls, rss_growth, class_refs, block_growth = (int(v) for v in out.stdout.split())
    assert calls >= 200_000
    # One leaked object (an exception, its message, its args) per call would be 50 000 blocks and megabytes here.
    assert block_growth < 1000, f"{block_growth} more Python objects/blocks after {calls} calls"
    assert rss_growth < 1024 * 1024, f"RSS grew by {rss_growth / 1e6:.1f} MB over {calls} calls"
    assert class_refs == 0
