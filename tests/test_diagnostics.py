"""Compile errors as the user reads them: once each, the user's file:line first, types as written.

Real compiles (Debug, the fastest mode to fail in); the message is ZigCompileError's text.
"""

from __future__ import annotations

from pathlib import Path

from support import import_error, write

DEBUG = {"ZIG_RELEASEMODE": "Debug"}


def _diagnostics(out_stdout: str) -> list[str]:
    """The lines of the error after "failed to compile ...:"."""
    lines = out_stdout.splitlines()
    assert lines[0].startswith("failed to compile "), lines[0]
    return lines[1:]


def test_zig_core_error_points_at_the_users_declaration_once(tmp_path: Path) -> None:
    write(tmp_path / "diag_param.zig", """\
        const py = @import("zig_core");

        pub fn fine(x: i64) i64 {
            return x;
        }

        pub fn takesPtr(x: *u8) i64 {
            return x.*;
        }

        comptime {
            py.module(@This());
        }
        """)
    out = import_error("diag_param", "zigimport.ZigCompileError", cwd=tmp_path, env=DEBUG)
    lines = _diagnostics(out.stdout)
    message = "takesPtr(): parameter 1 (x) has type *u8, which zig_core cannot convert from Python"
    # First: the user's file and the line of `pub fn takesPtr`, the column of its name.
    assert lines[0] == f"diag_param.zig:7:8: error: {message}"
    assert lines[1] == "pub fn takesPtr(x: *u8) i64 {"
    assert lines[2] == "       ^"
    # zig_core's own place follows as a note; its internal call chain is not shown.
    assert "note: zig_core reports the error here" in lines[3] and "signature.zig" in lines[3]
    assert "called at comptime here" not in out.stdout
    # Once, although both the function table and the stub analyse the signature.
    assert out.stdout.count(message) == 1


def test_inferred_error_union_is_named_as_written(tmp_path: Path) -> None:
    write(tmp_path / "diag_result.zig", """\
        const py = @import("zig_core");
        pub fn givesPtr(xs: []const f64) !*u8 {
            if (xs.len == 0) return error.Empty;
            return undefined;
        }
        comptime { py.module(@This()); }
        """)
    out = import_error("diag_result", "zigimport.ZigCompileError", cwd=tmp_path, env=DEBUG)
    lines = _diagnostics(out.stdout)
    assert lines[0] == "diag_result.zig:2:8: error: givesPtr(): zig_core cannot convert the return type !*u8 to a Python object"
    assert "@typeInfo" not in out.stdout
    assert out.stdout.count("cannot convert the return type") == 1


def test_explicit_error_set_is_shown_by_its_names(tmp_path: Path) -> None:
    # Zig error sets are structural: a declared set has no name of its own, Zig shows its members.
    write(tmp_path / "diag_named.zig", """\
        const py = @import("zig_core");
        pub const ParseError = error{ Empty, Bad };
        pub fn parse(n: i64) ParseError!*u8 {
            if (n == 0) return error.Empty;
            return undefined;
        }
        comptime { py.module(@This()); }
        """)
    out = import_error("diag_named", "zigimport.ZigCompileError", cwd=tmp_path, env=DEBUG)
    lines = _diagnostics(out.stdout)
    assert lines[0].startswith("diag_named.zig:3:8: error: parse(): zig_core cannot convert the return type ")
    assert lines[0].endswith(" error{Bad,Empty}!*u8 to a Python object"), lines[0]


def test_method_error_points_at_the_method_once(tmp_path: Path) -> None:
    write(tmp_path / "diag_method.zig", """\
        const py = @import("zig_core");

        pub const Counter = py.class(struct {
            n: i64,
            pub fn add(self: *@This(), by: *u8) void {
                self.n += by.*;
            }
        });

        comptime {
            py.module(@This());
        }
        """)
    out = import_error("diag_method", "zigimport.ZigCompileError", cwd=tmp_path, env=DEBUG)
    lines = _diagnostics(out.stdout)
    assert lines[0] == "diag_method.zig:5:12: error: add(): parameter 2 (by) has type *u8, which zig_core cannot convert from Python"
    assert lines[1] == "    pub fn add(self: *@This(), by: *u8) void {"
    assert out.stdout.count("which zig_core cannot convert") == 1


def test_errors_in_the_users_own_code_are_left_as_zig_prints_them(tmp_path: Path) -> None:
    write(tmp_path / "diag_plain.zig", """\
        const py = @import("zig_core");
        pub fn typo(x: i64) i64 {
            return x + undefined_name;
        }
        comptime { py.module(@This()); }
        """)
    out = import_error("diag_plain", "zigimport.ZigCompileError", cwd=tmp_path, env=DEBUG)
    lines = _diagnostics(out.stdout)
    assert lines[0] == "diag_plain.zig:3:16: error: use of undeclared identifier 'undefined_name'"
    assert lines[1] == "    return x + undefined_name;"
    assert out.stdout.count("undeclared identifier") == 1


def test_diagnostics_attribute_holds_the_tidied_text(tmp_path: Path) -> None:
    from support import run_python

    write(tmp_path / "diag_attr.zig", """\
        const py = @import("zig_core");
        pub fn bad(x: *u8) i64 { return x.*; }
        comptime { py.module(@This()); }
        """)
    out = run_python("""\
        import zigimport
        try:
            import diag_attr
        except zigimport.ZigCompileError as e:
            print(e.diagnostics.splitlines()[0])
            print(str(e).endswith(e.diagnostics))
        """, cwd=tmp_path, env=DEBUG)
    first, ends = out.stdout.splitlines()
    assert first == "diag_attr.zig:2:8: error: bad(): parameter 1 (x) has type *u8, which zig_core cannot convert from Python"
    assert ends == "True"
