"""The Zig source scanner that recovers parameter names and doc comments (zigimport.build.signature_scan).

Pure text tests; only test_rendered_source_compiles runs the Zig compiler.
"""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
from pathlib import Path

import pytest

from zigimport.build.signature_scan import ContainerInfo, FnInfo, render_zig, scan, scan_file


def params(text: str) -> dict[str, list[str]]:
    return {name: fn.params for name, fn in scan(text).functions.items()}


# --- functions and parameters ------------------------------------------------------


def test_basic_function() -> None:
    info = scan('const std = @import("std");\n\n/// Add two ints.\npub fn add(a: i64, b: i64) i64 {\n    return a + b;\n}\n')
    assert info.functions == {"add": FnInfo(name="add", doc="Add two ints.", params=["a", "b"], line=4)}
    assert info.containers == {} and info.decl_docs == {} and info.doc is None


def test_zero_params_underscore_and_trailing_comma() -> None:
    src = """
pub fn none() void {}
pub fn ignored(_: i32, x: i32) i32 { return x; }
pub fn multi(
    first: i64,
    second: []const u8,
) void {}
pub fn only_comma(a: u8,) void {}
"""
    assert params(src) == {"none": [], "ignored": ["_", "x"], "multi": ["first", "second"], "only_comma": ["a"]}


def test_parameter_types_with_nested_commas() -> None:
    src = """
pub fn f(
    comptime T: type,
    noalias out: *T,
    args: struct { x: f64, lo: f64 = 0, hi: f64 = 1 },
    cb: *const fn (i32, i32) void,
    m: [2][3]f64,
    opt: ?union(enum) { a: u8, b: struct { c: u8, d: u8 } },
    e: enum(u8) { x = 1, y = 2 },
    arr: [f(1, 2)]u8,
    dflt: @TypeOf(.{ 1, 2 }),
    any: anytype,
) void {}
"""
    assert params(src) == {"f": ["T", "out", "args", "cb", "m", "opt", "e", "arr", "dflt", "any"]}


def test_parameter_doc_comments_and_quoted_names() -> None:
    src = """
pub fn f(
    /// The type.
    @"type": u8,
    /// Another.
    @"a b\\"c": u8,
    comptime @"comptime": bool,
) void {}
"""
    assert params(src) == {"f": ["type", 'a b"c', "comptime"]}


def test_return_types_with_brackets() -> None:
    src = """
pub fn a(x: i64) !struct { a: i64, b: i64 } { return .{ .a = x, .b = x }; }
pub fn b() error{ Foo, Bar }!i64 { return 1; }
pub fn c(x: anytype) @TypeOf(x, x) { return x; }
pub fn d() callconv(.c) void {}
pub fn e() union(enum) { p: u8, q: struct { r: u8 } } { return .{ .p = 1 }; }
pub fn f(y: u8) [2]u8 { return .{ y, y }; }
"""
    info = scan(src)
    assert {n: fn.params for n, fn in info.functions.items()} == {
        "a": ["x"], "b": [], "c": ["x"], "d": [], "e": [], "f": ["y"]}
    assert [fn.line for fn in info.functions.values()] == [2, 3, 4, 5, 6, 7]
    assert info.containers == {}  # a struct in a return type is not a declaration


def test_quoted_function_names() -> None:
    src = 'pub fn @"weird name"(x: u8) void {}\npub fn @"q\\"\\x41\\u{e9}"() void {}\npub fn @"while"() void {}\n'
    assert list(scan(src).functions) == ["weird name", 'q"A\u00e9', "while"]


def test_modifiers_and_extern_functions() -> None:
    src = """
/// Inline.
pub inline fn a(x: u8) u8 { return x; }
pub noinline fn b(y: u8) u8 { return y; }
pub export fn c(z: c_int) c_int { return z; }
pub extern "c" fn puts(s: [*:0]const u8) c_int;
pub extern fn printf(fmt: [*:0]const u8, ...) c_int;
/// After extern.
pub fn after(w: u8) void {}
"""
    info = scan(src)
    assert {n: fn.params for n, fn in info.functions.items()} == {
        "a": ["x"], "b": ["y"], "c": ["z"], "puts": ["s"], "printf": ["fmt"], "after": ["w"]}
    assert info.functions["a"].doc == "Inline."
    assert info.functions["after"].doc == "After extern."


def test_non_pub_functions_are_skipped() -> None:
    src = """
fn private(a: u8) void {}
export fn exported(b: u8) void {}
inline fn helper() void {}
pub fn public(c: u8) void {}
"""
    assert params(src) == {"public": ["c"]}


# --- lexical traps -------------------------------------------------------------------


def test_strings_chars_and_comments_do_not_confuse_brackets() -> None:
    src = r"""
pub fn first(a: u8) void {
    const s = "}} pub fn fake1(x: u8) void { ((";
    const esc = "\"} \\";
    const c1 = '}';
    const c2 = '\'';
    const c3 = '"';
    const c4 = '{';
    const ml =
        \\ } pub fn fake2() void {
        \\ " unbalanced quote ' and }
    ;
    // } pub fn fake3() void {
    _ = .{ s, esc, c1, c2, c3, c4, ml };
}
// pub fn commented(a: u8) void {}
pub fn second(b: u8) []const u8 { return "){"; }
pub fn third(c: u8) u8 { return ')'; }
pub fn fourth(d: u8) void {}
"""
    assert params(src) == {"first": ["a"], "second": ["b"], "third": ["c"], "fourth": ["d"]}


def test_test_and_comptime_blocks_are_skipped() -> None:
    src = """
test "pub fn fake() void {" {
    const S = struct {
        pub fn inTest(x: u8) void {}
    };
    _ = S;
}
test inTest {}
comptime {
    const T = struct { pub fn inComptime() void {} };
    _ = T;
}
pub fn real(x: u8) void {
    const Local = struct { pub fn inBody(y: u8) void {} };
    _ = Local;
}
"""
    info = scan(src)
    assert list(info.functions) == ["real"]
    assert info.containers == {}


def test_crlf_and_bom() -> None:
    src = "\ufeff//! Module doc.\r\n//! Second.\r\n\r\n/// Doc one.\r\n/// Doc two.\r\npub fn f(a: u8,\r\n b: u8) void {}\r\n"
    info = scan(src)
    assert info.doc == "Module doc.\nSecond."
    assert info.functions["f"] == FnInfo(name="f", doc="Doc one.\nDoc two.", params=["a", "b"], line=6)


# --- containers ---------------------------------------------------------------------


COUNTER = """\
//! A module with classes.
const py = @import("zig_core");

/// A counter.
pub const Counter = py.class(struct {
    //! Counter's own doc.
    //! Second line.
    const Self = @This();
    /// Field doc.
    count: i64 = 0,

    /// Make one.
    pub fn init(self: *Self, start: i64) void {
        self.count = start;
    }
    fn helper(self: *Self) void {}
    pub fn get(self: *const Self) i64 {
        const Local = struct { pub fn notAMethod() void {} };
        _ = Local;
        return self.count;
    }
    /// Inner doc.
    pub const Inner = struct {
        pub fn deep(z: u8) void {}
    };
    const Private = struct { pub fn hidden() void {} };
    /// A constant.
    pub const limit: i64 = 10;
});

pub const Point = struct {
    x: f64,
    y: f64,
    pub fn norm(p: Point) f64 { return @sqrt(p.x * p.x + p.y * p.y); }
};

const NotPublic = struct { pub fn nope() void {} };
"""


def test_nested_containers() -> None:
    info = scan(COUNTER)
    assert info.doc == "A module with classes."
    assert info.functions == {}
    assert list(info.containers) == ["Counter", "Point"]
    assert info.decl_docs == {"Counter": "A counter."}

    counter = info.containers["Counter"]
    assert counter.doc == "Counter's own doc.\nSecond line."
    assert counter.functions == {
        "init": FnInfo(name="init", doc="Make one.", params=["self", "start"], line=13),
        "get": FnInfo(name="get", doc=None, params=["self"], line=17),
    }
    assert counter.decl_docs == {"Inner": "Inner doc.", "limit": "A constant."}
    assert list(counter.containers) == ["Inner"]
    assert counter.containers["Inner"] == ContainerInfo(
        doc=None, functions={"deep": FnInfo(name="deep", doc=None, params=["z"], line=24)}, containers={}, decl_docs={})

    point = info.containers["Point"]
    assert point.doc is None and list(point.functions) == ["norm"] and point.containers == {}


def test_container_kinds() -> None:
    src = """
pub const A = extern struct { x: c_int, pub fn a(self: A) void {} };
pub const B = packed struct(u8) { lo: u4, hi: u4, pub fn b(self: B) void {} };
pub const C = union(enum) { i: i64, f: f64, pub fn c(self: C) void {} };
pub const D = enum(u8) { one = 1, two, pub fn d(self: D) void {} };
pub const E = enum { x, y, pub fn e(self: E) void {} };
pub const F = union { i: i64, pub fn f(self: F) void {} };
pub const G: type = struct { pub fn g() void {} };
pub const H = Wrap(u8, struct { pub fn h(x: u8) void {} }, struct { pub fn second() void {} });
pub const NotContainer = @import("other.zig");
pub const Err = error{ A, B };
pub var v: struct { a: u8 } = .{ .a = 1 };
"""
    info = scan(src)
    assert {n: list(c.functions) for n, c in info.containers.items()} == {
        "A": ["a"], "B": ["b"], "C": ["c"], "D": ["d"], "E": ["e"], "F": ["f"], "G": ["g"], "H": ["h"]}


def test_pub_var_and_const_docs() -> None:
    src = """
/// The answer.
pub const answer: i64 = 42;
/// Mutable.
pub var counter: u32 = 0;
pub const undocumented = 1;
/// Private doc.
const private = 2;
/// Quoted.
pub const @"with space" = 3;
"""
    info = scan(src)
    assert info.decl_docs == {"answer": "The answer.", "counter": "Mutable.", "with space": "Quoted."}
    assert info.containers == {} and info.functions == {}


# --- doc comments ----------------------------------------------------------------------


def test_doc_attachment_rules() -> None:
    src = """\
/// Detached by a blank line.

pub fn blank() void {}
/// Detached by a comment.
// plain comment
pub fn commented() void {}
//// Four slashes is a plain comment.
pub fn four() void {}
/// Old block.

/// Nearest block.
/// Second line.
pub fn nearest() void {}
///  Two spaces keep one.
///
///No space.
pub fn spacing() void {}
pub fn undocumented() void {}
"""
    docs = {n: fn.doc for n, fn in scan(src).functions.items()}
    assert docs == {
        "blank": None,
        "commented": None,
        "four": None,
        "nearest": "Nearest block.\nSecond line.",
        "spacing": " Two spaces keep one.\n\nNo space.",
        "undocumented": None,
    }


def test_field_doc_does_not_leak_onto_next_declaration() -> None:
    src = "pub const S = struct {\n    /// Field doc.\n    x: u8,\n    pub fn f() void {}\n};\n"
    assert scan(src).containers["S"].functions["f"].doc is None


def test_module_doc_only_at_top() -> None:
    assert scan("const x = 1;\n//! Too late.\npub fn f() void {}\n").doc is None
    assert scan("//! One.\n//!\n//!  Indented.\n").doc == "One.\n\n Indented."
    assert scan("").doc is None


def test_non_ascii_doc() -> None:
    info = scan("/// Café — naïve ✓\npub fn f() void {}\n")
    assert info.functions["f"].doc == "Café — naïve ✓"


# --- robustness ----------------------------------------------------------------------


def test_garbage_and_truncated_source_never_raise() -> None:
    for cut in range(0, len(COUNTER), 3):  # every prefix: truncation anywhere
        render_zig(scan(COUNTER[:cut]))
    rng = random.Random(1234)
    alphabet = list('{}()[];:,.="\'\\/!@ \n\r\tpubfnconststruct_x') + ["pub fn ", "pub const X = struct {", "///", "//!",
                                                                           "@\"", "\\\\", "test \"", "comptime "]
    for _ in range(300):
        render_zig(scan("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 120)))))
    for junk in ["}}}", "pub", "pub fn", "pub fn (", "pub fn f(", "pub fn f(a", "pub const", "pub const X = ",
                 "pub const X = struct(", "pub const X = struct {", "pub fn f() void { ((( ", ")))]]]pub fn g(x: u8) void {}",
                 '"unterminated', "'", "@\"", "pub fn @\"x", "\\\\", "\x00\xff\ufffe", "\ud800"]:
        render_zig(scan(junk))


def test_broken_source_still_yields_what_it_can() -> None:
    info = scan("pub fn ok(a: u8) void {}\n)))]]\npub fn also(b: u8) void {}\npub fn cut(c: u8,")
    assert {n: f.params for n, f in info.functions.items()} == {"ok": ["a"], "also": ["b"]}


def test_deep_nesting_does_not_hit_recursion_limit() -> None:
    depth = 3000
    src = "pub const X = struct {" * depth + "pub fn f() void {}" + "};" * depth
    info = scan(src)
    assert "X" in info.containers
    render_zig(info)


# --- render_zig ----------------------------------------------------------------------


def test_render_exact_small() -> None:
    info = ContainerInfo(
        doc="module doc",
        functions={"add": FnInfo(name="add", doc="Add two ints.", params=["a", "b"], line=3),
                   "none": FnInfo(name="none", doc=None, params=[], line=5)},
        containers={"Counter": ContainerInfo()},
        decl_docs={"Counter": "A counter."},
    )
    assert render_zig(info) == """\
pub const FnInfo = struct { doc: ?[:0]const u8, params: []const [:0]const u8, line: u32 };
const __zigimport_FnInfo = FnInfo;
pub const source_info = struct {
    pub const __doc__: ?[:0]const u8 = "module doc";
    pub const __classes__ = struct {};
    pub const __decl_docs__ = struct {
        pub const @"Counter": [:0]const u8 = "A counter.";
    };
    pub const __functions__ = struct {
        pub const @"add": __zigimport_FnInfo = .{ .doc = "Add two ints.", .params = &.{ "a", "b" }, .line = 3 };
        pub const @"none": __zigimport_FnInfo = .{ .doc = null, .params = &.{}, .line = 5 };
    };
    pub const __containers__ = struct {
        pub const @"Counter" = struct {
            pub const __doc__: ?[:0]const u8 = null;
            pub const __classes__ = struct {};
            pub const __decl_docs__ = struct {};
            pub const __functions__ = struct {};
            pub const __containers__ = struct {};
        };
    };
};
"""


def test_render_escapes_strings_and_identifiers() -> None:
    info = ContainerInfo(doc='q"b\\s\nt\tc\x01é', functions={
        'a"b': FnInfo(name='a"b', doc=None, params=["x\\y"], line=1)})
    text = render_zig(info)
    assert '"q\\"b\\\\s\\nt\\tc\\x01\\xc3\\xa9"' in text
    assert 'pub const @"a\\"b": __zigimport_FnInfo = .{ .doc = null, .params = &.{ "x\\\\y" }, .line = 1 };' in text
    assert all(0x20 <= ord(ch) < 0x7F for ch in text.replace("\n", ""))


def test_quoted_name_bytes_round_trip() -> None:
    # \xff is not UTF-8: the scanner must hand Zig back the very bytes of the name.
    info = scan('pub fn @"bad\\xffname"() void {}\n')
    (name,) = info.functions
    assert '@"bad\\xffname"' in render_zig(info)
    assert name.encode("utf-8", "surrogateescape") == b"bad\xffname"


# --- the real compiler ---------------------------------------------------------------

COMPILE_SOURCE = COUNTER + r"""
/// Doc with "quotes", back\slash, tab	and ünïcode ✓.
pub fn @"weird name"(@"type": u8, _: u8) void {}
pub fn none() void {}
/// A user function may be called FnInfo without clashing with the generated type.
pub fn FnInfo(x: u8) void {}
"""

COMPILE_CHECKS = r"""
comptime { _ = source_info; _ = FnInfo; }
comptime {
    const std = @import("std");
    const f = source_info.__functions__.@"weird name";
    if (f.params.len != 2 or !std.mem.eql(u8, f.params[0], "type") or !std.mem.eql(u8, f.params[1], "_")) @compileError("params");
    if (!std.mem.eql(u8, f.doc.?, "Doc with \"quotes\", back\\slash, tab\tand \u{fc}n\u{ef}code \u{2713}.")) @compileError("doc");
    if (source_info.__functions__.@"none".params.len != 0 or source_info.__functions__.@"none".doc != null) @compileError("none");
    const counter = source_info.__containers__.@"Counter";
    if (counter.__functions__.@"init".line != 13) @compileError("line");
    if (!std.mem.eql(u8, counter.__functions__.@"init".params[1], "start")) @compileError("init");
    if (!std.mem.eql(u8, counter.__doc__.?, "Counter's own doc.\nSecond line.")) @compileError("cdoc");
    if (counter.__containers__.@"Inner".__functions__.@"deep".params.len != 1) @compileError("inner");
    if (!std.mem.eql(u8, source_info.__decl_docs__.@"Counter", "A counter.")) @compileError("decl doc");
    if (source_info.__containers__.@"Point".__doc__ != null) @compileError("point");
    if (source_info.__functions__.@"FnInfo".params.len != 1) @compileError("FnInfo");
}
"""


def test_rendered_source_compiles(tmp_path_factory: pytest.TempPathFactory) -> None:
    spec = importlib.util.find_spec("ziglang")
    assert spec is not None and spec.origin is not None, "ziglang (a dependency) is not installed"
    zig = os.path.join(os.path.dirname(spec.origin), "zig")
    work: Path = tmp_path_factory.mktemp("signature-scan-zig")
    root = work / "root.zig"
    root.write_text(render_zig(scan(COMPILE_SOURCE)) + COMPILE_CHECKS, encoding="utf-8")
    result = subprocess.run(
        [zig, "build-lib", "-fno-emit-bin", f"-Mroot={root}",
         "--cache-dir", str(work / "cache"), "--global-cache-dir", str(work / "global-cache")],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_classes_are_the_consts_initialized_by_a_class_call() -> None:
    info = scan("""\
const py = @import("zig_core");
const class = py.class;
pub const Counter = py.class(struct { n: i64 = 0 });
pub const Vec = zig_core.class(VecImpl);
pub const Short = class(struct {});
pub const Plain = struct { x: f64 };
pub const Made = makeClass(struct {});
pub const Nested = py.class(struct { pub const Inner = py.class(struct {}); });
const Private = py.class(struct {});
pub const NotACall = py.class;
""")
    assert info.classes == ["Counter", "Vec", "Short", "Nested"]
    assert info.containers["Nested"].classes == ["Inner"]
    assert 'pub const @"Counter" = {};' in render_zig(info)


def test_submodules_are_the_consts_initialized_by_a_submodule_call() -> None:
    info = scan(
        'const py = @import("zig_core");\n'
        "pub const linalg = py.submodule(struct {\n"
        "    pub fn dot(a: f64, b: f64) f64 { return a * b; }\n"
        "});\n"
        'pub const io = py.submodule(@import("io/files.zig"));\n'
        "pub const not_one = submodule;\n"
    )
    assert info.submodules == ["linalg", "io"]
    assert info.submodule_imports == {"io": "io/files.zig"}
    assert info.containers["linalg"].functions["dot"].params == ["a", "b"]
    assert 'pub const @"linalg" = {};' in render_zig(info)
    assert "__submodules__" not in render_zig(scan("pub fn f() void {}"))


def test_scan_file_scans_the_files_of_imported_submodules(tmp_path: Path) -> None:
    (tmp_path / "io").mkdir()
    (tmp_path / "io/files.zig").write_text(
        '//! Files.\npub const deeper = py.submodule(@import("deep.zig"));\n/// Read it.\npub fn read(path: []const u8) void {}\n'
    )
    (tmp_path / "io/deep.zig").write_text("pub fn down(level: i64) void {}\n")  # relative to io/files.zig
    root = tmp_path / "root.zig"
    root.write_text('pub const io = py.submodule(@import("io/files.zig"));\npub const gone = py.submodule(@import("missing.zig"));\n')
    info = scan_file(str(root))
    io = info.containers["io"]
    assert io.doc == "Files." and io.functions["read"].params == ["path"] and io.functions["read"].doc == "Read it."
    assert io.containers["deeper"].functions["down"].params == ["level"]
    assert "gone" not in info.containers  # the compiler reports the missing file
