"""Modules of any size compile, and conversions shared between functions still name the argument.

The large module (500 functions, 100 classes) is built in Debug, the fastest mode to compile;
nothing here measures time (benchmarks/bench_build.py does).
"""

from __future__ import annotations

import sys
from pathlib import Path

from support import run_python, write

# The module generator is shared with benchmarks/bench_build.py.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import module_source  # noqa: E402

DEBUG = {"ZIG_RELEASEMODE": "Debug"}


def test_500_functions_and_100_classes_compile_and_work(tmp_path: Path) -> None:
    write(tmp_path / "large_mod.zig", module_source.zig_source(500, classes=100))
    checks = []
    for k in (0, 1, 2, 3, 4, 250, 499):
        result, error = module_source.expected(k)
        checks.append(f"assert m.fn_{k}(array.array('d', [1.0, 2.0])) == {result}, {k}")
        if error is None:
            continue
        checks.append(f"""\
try:
    m.fn_{k}(array.array('d'))
except {error} as e:
    assert 'returned by fn_{k}()' in str(e), str(e)
else:
    raise AssertionError('fn_{k}([]) did not raise')""")
    out = run_python("\n".join([
        "import array, zigimport, large_mod as m",
        *checks,
        "assert m.fn_7.__doc__.endswith('Function 7.'), m.fn_7.__doc__",
        "assert m.C0(5).get() == 5 and m.C57(5).get() == 62 and m.C99(2).scaled(1.5) == 3.0",
        "assert sum(1 for n in dir(m) if n.startswith('fn_')) == 500",
        "assert sum(1 for n in dir(m) if n[0] == 'C' and n[1:].isdigit()) == 100",
        # Shared conversions still name the function and parameter in their errors.
        "try:\n    m.fn_321('no')\nexcept TypeError as e:\n    print(e)",
    ]), cwd=tmp_path, env=DEBUG, timeout=900)
    assert "fn_321() argument 1 (xs) must be" in out.stdout.splitlines()[0], out.stdout
    stub = (tmp_path / "large_mod.pyi").read_text()
    assert "def fn_499(xs: Buffer | Sequence[float]) -> float:" in stub  # named parameters take keywords
    assert "class C99:" in stub


def test_shared_conversions_name_each_function_and_argument(tmp_path: Path) -> None:
    write(tmp_path / "shared_conv.zig", """\
        const py = @import("zig_core");
        pub fn total(xs: []const f64) f64 {
            var s: f64 = 0;
            for (xs) |x| s += x;
            return s;
        }
        pub fn second(a: i64, ys: []const f64) f64 {
            return @as(f64, @floatFromInt(a)) + ys[0];
        }
        pub fn pairs(ps: []const struct { f64, f64 }) usize {
            return ps.len;
        }
        pub fn named(args: struct { values: []const i32, scale: f64 = 1 }) i64 {  // defaults last, as in Python
            var s: i64 = 0;
            for (args.values) |v| s += v;
            return s * @as(i64, @intFromFloat(args.scale));
        }
        comptime { py.module(@This()); }
        """)
    out = run_python("""\
        import array, zigimport, shared_conv as m

        class Stubborn:
            def __float__(self):
                raise ValueError("my own message")

        def message(f, *args, **kwargs):
            try:
                f(*args, **kwargs)
            except Exception as e:
                return f"{type(e).__name__}: {e}"
            raise AssertionError("no error")

        print(message(m.total, "abc"))
        print(message(m.second, 1, "abc"))
        print(message(m.total, [1.0, "x"]))
        print(message(m.pairs, [(1.0, 2.0), (1.0,)]))
        print(message(m.named, values=[1, "x"]))
        print(message(m.total, [Stubborn()]))
        print(message(m.second, 1, array.array('i', [1])))
        assert m.total([1.0, 2.5]) == 3.5 and m.second(1, [2.0]) == 3.0 and m.named(values=[1, 2], scale=2) == 6
        """, cwd=tmp_path, env=DEBUG)
    lines = out.stdout.splitlines()
    assert lines[0].startswith("TypeError: total() argument 1 (xs) must be "), lines[0]
    assert lines[1].startswith("TypeError: second() argument 2 (ys) must be "), lines[1]
    assert lines[2] == "TypeError: total() argument 1 (xs) item must be float, not str", lines[2]
    assert lines[3].startswith("ValueError: pairs() argument 1 (ps) item must have 2 items"), lines[3]
    assert lines[4] == "TypeError: named() argument 'values' item must be int, not str", lines[4]
    # An exception raised by Python code during a conversion is passed on untouched.
    assert lines[5] == "ValueError: my own message", lines[5]
    assert lines[6].startswith("TypeError: second() argument 2 (ys) must be a buffer of float64"), lines[6]
    assert "\x1f" not in out.stdout


def test_release_build_without_zig_core_debug_info_and_its_fallback(tmp_path: Path) -> None:
    """Release builds compile zig_core without debug info (cache_key.ZIG_CORE_FLAGS) but keep the
    user's; a `pub inline fn` (inlined into zig_core's stripped wrapper) crashes Zig 0.17, and the
    build is retried with zig_core's debug info instead of failing."""
    write(tmp_path / "strip_plain.zig", """\
        const py = @import("zig_core");
        pub fn first(xs: []const i64) !i64 {
            if (xs.len == 0) return error.Empty;
            return xs[0];
        }
        comptime {
            py.module(@This());
        }
        """)
    write(tmp_path / "strip_inline.zig", """\
        const py = @import("zig_core");
        pub inline fn add(a: i64, b: i64) i64 {
            return a + b;
        }
        comptime {
            py.module(@This());
        }
        """)
    out = run_python("""\
        import zigimport, strip_plain, strip_inline
        assert strip_plain.first([4, 5]) == 4
        try:
            strip_plain.first([])
        except zigimport.ZigError as e:
            notes = "\\n".join(getattr(e, "__notes__", []) or [str(e)])
            assert "strip_plain.zig:3:" in notes, notes  # the user's frame keeps its file:line
        else:
            raise AssertionError("first([]) did not raise")
        assert strip_inline.add(2, 3) == 5
        """, cwd=tmp_path, env={"ZIG_RELEASEMODE": "ReleaseSafe"})
    assert out.stderr.count("compiling again with zig_core's debug info") == 1, out.stderr
    assert "strip_inline.zig" in out.stderr.split("compiling again")[0].splitlines()[-1], out.stderr
