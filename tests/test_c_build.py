"""C interop and the build configuration (issue 10 section 1): real compiles, real C, real system libraries.

One module (``cfull``, compiled once per session) uses every configuration key at once; the
other tests each need a build of their own (an edit, a failure) and keep their modules tiny.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from support import REPO, compile_count, import_error, run_python, shared_folder, write

from zigimport import ZigSettingsError

# zlib's header (zlib1g-dev) is on most Linux machines, not all; libm always is.  Without zlib the
# `extern "z"` checks become `extern "m"` ones (still a system library named only on the extern).
HAVE_ZLIB = any(Path(d, "zlib.h").is_file() for d in ("/usr/include", "/usr/local/include"))
from zigimport.build import c_inputs, config, zon

RING_H = """\
#ifndef RING_H
#define RING_H
#include <stdint.h>
#include "ring_config.h"
typedef struct { int32_t items[RING_CAPACITY]; int32_t head, len; } ring_t;
void ring_init(ring_t *r);
int ring_push(ring_t *r, int32_t v);
int32_t ring_sum(const ring_t *r);
int32_t ring_extra(void);
#endif
"""
RING_CONFIG_H = "#define RING_CAPACITY {capacity}\n"
RING_C = """\
#include "ring.h"
void ring_init(ring_t *r) { r->head = 0; r->len = 0; }
int ring_push(ring_t *r, int32_t v) {
    r->items[(r->head + r->len) % RING_CAPACITY] = v;
    if (r->len < RING_CAPACITY) { r->len++; return 0; }
    r->head = (r->head + 1) % RING_CAPACITY;
    return 1;
}
int32_t ring_sum(const ring_t *r) {
    int32_t s = 0;
    for (int32_t i = 0; i < r->len; i++) s += r->items[(r->head + i) % RING_CAPACITY];
    return s;
}
"""
EXTRA_C = """\
#include "ring.h"
int32_t ring_extra(void) { return EXTRA_FLAG * 100 + MODULE_DEFINE; }
"""
HELPER_ZIG = """\
//! A zig_modules entry: it may import the translated header and zig_core too.
const ring = @import("ring");
pub fn capacity() i64 {
    return ring.RING_CAPACITY;
}
"""
PKG_ZON = """\
.{
    .name = .tally,
    .version = "0.1.0",
    .fingerprint = 0x1234567890abcdef,
    .paths = .{""},
}
"""
PKG_BUILD_ZIG = """\
const std = @import("std");
pub fn build(b: *std.Build) void {
    _ = b.addModule("tally", .{ .root_source_file = b.path("src/tally.zig") });
}
"""
PKG_ROOT = """\
pub fn triple(x: i64) i64 {
    return 3 * x;
}
"""
APP_ZON = """\
.{
    .name = .app,
    .version = "0.0.0",
    .fingerprint = 0xfedcba0987654321,
    .dependencies = .{
        .tally = .{ .path = "pkgs/tally" },
    },
    .paths = .{""},
}
"""
FULL_MODULE = """\
const std = @import("std");
const py = @import("zig_core");
const ring = @import("ring");
const helper = @import("helper");
const tally = @import("tally");
const builtin = @import("builtin");

const zigimport_build = .{
    .link_libc = true,
    .link_system_libs = .{"m"},
    .c_sources = .{
        "vendor/ring.c",
        .{ .path = "vendor/extra.c", .flags = .{ "-DEXTRA_FLAG=7", "-O2" } },
    },
    .include_dirs = .{"vendor"},
    .defines = .{ .MODULE_DEFINE = 5 },
    .c_headers = .{ .ring = "ring.h" },
    .zig_modules = .{ .helper = "lib/helper.zig" },
    .zig_packages = .{"tally"},
    .flags = .{"-fno-omit-frame-pointer"},
    .cpu = .baseline,
};

extern "z" fn crc32(crc: c_ulong, buf: [*]const u8, len: c_uint) c_ulong; // libz with no configuration
extern "m" fn cbrt(x: f64) f64;

/// Push every value into a C ring buffer, return the sum of what it keeps.
pub fn ring_sum(values: []const i32) i64 {
    var r: ring.ring_t = undefined;
    ring.ring_init(&r);
    for (values) |v| _ = ring.ring_push(&r, v);
    return ring.ring_sum(&r);
}
pub fn extra() i64 {
    return ring.ring_extra();
}
pub fn capacity() i64 {
    return helper.capacity();
}
pub fn triple(x: i64) i64 {
    return tally.triple(x);
}
pub fn crc(data: []const u8) u64 {
    return crc32(0, data.ptr, @intCast(data.len));
}
pub fn cube_root(x: f64) f64 {
    return cbrt(x);
}
/// Whether the module was built for the baseline CPU (.cpu = .baseline): no AVX2.
pub fn has_avx2() bool {
    return std.Target.x86.featureSetHas(builtin.cpu.features, .avx2);
}
comptime {
    py.module(@This());
}
"""


def _ring_tree(folder: Path, capacity: int = 4) -> None:
    write(folder / "vendor" / "ring.h", RING_H)
    write(folder / "vendor" / "ring_config.h", RING_CONFIG_H.format(capacity=capacity))
    write(folder / "vendor" / "ring.c", RING_C)
    write(folder / "vendor" / "extra.c", EXTRA_C)


@pytest.fixture(scope="session")
def full_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with cfull.zig (every key), its vendored C, a Zig helper and a local package; compiled once per run
    (for every xdist worker: `shared_folder`)."""
    return shared_folder(tmp_path_factory, "cfull", _full_project)


def _full_project(folder: Path) -> None:
    _ring_tree(folder)
    write(folder / "lib" / "helper.zig", HELPER_ZIG)
    write(folder / "pkgs" / "tally" / "build.zig.zon", PKG_ZON)
    write(folder / "pkgs" / "tally" / "build.zig", PKG_BUILD_ZIG)
    write(folder / "pkgs" / "tally" / "src" / "tally.zig", PKG_ROOT)
    write(folder / "build.zig.zon", APP_ZON)
    module = FULL_MODULE
    if not HAVE_ZLIB:
        print("zlib.h is not installed here: cfull links libm through extern instead of libz")
        module = module.replace('extern "z" fn crc32(crc: c_ulong, buf: [*]const u8, len: c_uint) c_ulong;',
                                'extern "m" fn floor(x: f64) f64;')
        module = module.replace("return crc32(0, data.ptr, @intCast(data.len));", "return @intFromFloat(floor(@floatFromInt(data.len)));")
    write(folder / "cfull.zig", module)
    run_python("import zigimport, cfull", cwd=folder)


def test_every_key_end_to_end(full_project: Path) -> None:
    out = run_python(f"""\
        import zlib, zigimport, cfull
        expected_crc = zlib.crc32(b"abc") if {HAVE_ZLIB} else 3
        assert cfull.ring_sum([1, 2, 3, 4, 5, 6]) == 3 + 4 + 5 + 6, cfull.ring_sum([1, 2, 3, 4, 5, 6])  # capacity 4
        assert cfull.extra() == 7 * 100 + 5          # per-file flag -DEXTRA_FLAG=7, .defines MODULE_DEFINE=5
        assert cfull.capacity() == 4                 # zig_modules helper reads the translated header
        assert cfull.triple(14) == 42                # build.zig.zon local package
        assert cfull.crc(b"abc") == expected_crc      # extern "z" linked libz unasked
        assert abs(cfull.cube_root(8.0) - 2.0) < 1e-12
        assert cfull.has_avx2() is False             # .cpu = .baseline
        print("ok")
    """, cwd=full_project)
    assert out.stdout.strip() == "ok"
    assert compile_count(out.stderr) == 0  # the fixture built it; the whole configuration is a cache hit


def test_every_file_the_build_read_is_an_input(full_project: Path) -> None:
    from support import entry_dir

    manifest = (entry_dir(full_project / "cfull.zig", "cfull") / "manifest").read_text()
    inputs = {line.rsplit(" ", 1)[-1] for line in manifest.splitlines() if line.startswith("input ")}
    for rel in ("cfull.zig", "vendor/ring.c", "vendor/extra.c", "vendor/ring.h", "vendor/ring_config.h",
                "lib/helper.zig", "build.zig.zon", "pkgs/tally/build.zig", "pkgs/tally/src/tally.zig"):
        assert str(full_project / rel) in inputs, (rel, inputs)


def test_header_two_includes_away_rebuilds(tmp_path: Path) -> None:
    """module -> ring.c -> ring.h -> ring_config.h: editing the last one rebuilds and the new value is seen."""
    _ring_tree(tmp_path, capacity=2)
    write(tmp_path / "cedit.zig", """\
        const py = @import("zig_core");
        const zigimport_build = .{ .c_sources = .{"vendor/ring.c"}, .include_dirs = .{"vendor"} };
        const ring_t = extern struct { items: [64]i32, head: i32, len: i32 };
        extern fn ring_init(r: *ring_t) void;
        extern fn ring_push(r: *ring_t, v: i32) c_int;
        extern fn ring_sum(r: *const ring_t) i32;
        pub fn kept_sum(n: i32) i64 {
            var r: ring_t = undefined;
            ring_init(&r);
            var i: i32 = 1;
            while (i <= n) : (i += 1) _ = ring_push(&r, i);
            return ring_sum(&r);
        }
        comptime { py.module(@This()); }
    """)
    code = "import zigimport, cedit; print(cedit.kept_sum(5))"
    first = run_python(code, cwd=tmp_path)
    assert first.stdout.strip() == str(4 + 5)
    write(tmp_path / "vendor" / "ring_config.h", RING_CONFIG_H.format(capacity=3))
    second = run_python(code, cwd=tmp_path)
    assert second.stdout.strip() == str(3 + 4 + 5)
    assert compile_count(second.stderr) == 1


def test_c_compile_error_names_the_c_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "broken.c", "int ok(void) { return 1; }\nint bad(void) { return undeclared_thing; }\n")
    write(tmp_path / "cbroken.zig", """\
        const py = @import("zig_core");
        const zigimport_build = .{ .c_sources = .{"broken.c"} };
        extern fn bad() c_int;
        pub fn f() i64 { return bad(); }
        comptime { py.module(@This()); }
    """)
    out = import_error("cbroken", "zigimport.ZigCompileError", cwd=tmp_path)
    assert "broken.c:2:" in out.stdout and "undeclared_thing" in out.stdout, out.stdout


def test_missing_header_is_named_with_its_package(tmp_path: Path) -> None:
    write(tmp_path / "uses.c", '#include "local_missing.h"\nint f(void) { return 0; }\n')
    write(tmp_path / "nohdr.zig", """\
        const py = @import("zig_core");
        const zigimport_build = .{ .c_sources = .{"uses.c"}, .c_headers = .{ .sq = "no_such_lib/sqlite9.h" } };
        comptime { py.module(@This()); }
    """)
    out = import_error("nohdr", "zigimport.ZigCompileError", cwd=tmp_path)
    assert "'local_missing.h' not found" in out.stdout and "uses.c:1:" in out.stdout, out.stdout
    # the Debian/Ubuntu package, where a header is well known (checked without a compile)
    assert c_inputs.explain("x.c:1:10: fatal error: 'zlib.h' file not found") is not None
    assert "zlib1g-dev" in (c_inputs.explain("x.c:1:10: fatal error: 'zlib.h' file not found") or "")
    assert "libsqlite3-dev" in (c_inputs.explain('error: unable to find dynamic system library "sqlite3"') or "")


def test_missing_library_is_named(tmp_path: Path) -> None:
    write(tmp_path / "nolib.zig", """\
        const py = @import("zig_core");
        const zigimport_build = .{ .link_system_libs = .{"zigimport_no_such_lib"} };
        pub fn f() i64 { return 1; }
        comptime { py.module(@This()); }
    """)
    out = import_error("nolib", "zigimport.ZigCompileError", cwd=tmp_path)
    assert "system library 'zigimport_no_such_lib' (-lzigimport_no_such_lib) not found" in out.stdout, out.stdout


BAD = [
    (".{ .link_libc = 1 }", "zigimport_build.link_libc: expected true or false, got the number 1"),
    (".{ .lnik_libc = true }", "zigimport_build.lnik_libc: unknown key (did you mean .link_libc?)"),
    (".{ .link_system_libs = .{\"-lz\"} }", "'-lz': name the library as the linker's -l does, e.g. 'z'"),
    (".{ .link_system_libs = .{\"libz.so\"} }", "e.g. 'z'"),
    (".{ .c_sources = .{\"nope.c\"} }", "zigimport_build.c_sources[0]: no such file: 'nope.c'"),
    (".{ .c_sources = .{\"notes.txt\"} }", "is not a C, C++ or assembly source"),
    (".{ .c_sources = .{.{ .path = \"a.c\", .flagz = .{} }} }", "zigimport_build.c_sources[0]: unknown field .flagz"),
    (".{ .include_dirs = .{\"no_dir\"} }", "zigimport_build.include_dirs[0]: no such directory"),
    (".{ .defines = .{ .A = .{} } }", "zigimport_build.defines.A: expected a string, number, true/false or null"),
    (".{ .defines = .{\"1BAD=2\"} }", "a define is NAME or NAME=value"),
    (".{ .c_headers = .{ .std = \"a.h\" } }", "zigimport_build.c_headers.std: 'std' is a module name the build supplies"),
    (".{ .c_headers = .{ .h = \"./missing.h\" } }", "zigimport_build.c_headers.h: no such header"),
    (".{ .zig_modules = .{ .m = \"m.txt\" } }", "zigimport_build.zig_modules.m: 'm.txt' is not a .zig file"),
    (".{ .zig_packages = .{\"dep\"} }", "zigimport_build.zig_packages: no build.zig.zon at"),
    (".{ .flags = .{\"-O3\"} }", "zigimport_build.flags[0]: '-O3': zigimport sets -O itself (set ZIG_RELEASEMODE)"),
    (".{ .flags = .{\"-mcpu=native\"} }", "zigimport sets -mcpu itself (use .cpu)"),
    (".{ .flags = .{\"file.c\"} }", "is not a flag"),
    (".{ .cpu = 3 }", "zigimport_build.cpu: expected .native, .baseline or a CPU model name"),
    (".{ .link_libc = true ", "expected ',' or '}'"),
    ("3", "zigimport_build must be a struct literal"),
]


@pytest.mark.parametrize(("literal", "message"), BAD)
def test_bad_keys_name_the_key_and_file_line(tmp_path: Path, literal: str, message: str) -> None:
    write(tmp_path / "a.c", "int x;\n")
    source = tmp_path / "bad.zig"
    write(source, f"const std = @import(\"std\");\n\nconst zigimport_build = {literal};\n")
    with pytest.raises(ZigSettingsError) as info:
        config.read(str(source))
    assert f"{source}:3: " in str(info.value), str(info.value)
    assert message in str(info.value), str(info.value)


def test_bad_key_fails_the_import(tmp_path: Path) -> None:
    write(tmp_path / "badimp.zig", "const zigimport_build = .{ .link_libs = .{\"z\"} };\n")
    out = import_error("badimp", "zigimport.ZigSettingsError", cwd=tmp_path)
    assert "badimp.zig:1: zigimport_build.link_libs: unknown key" in out.stdout, out.stdout


def test_declaration_is_found_only_at_top_level_and_outside_comments(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        // const zigimport_build = .{ .bad = 1 };
        const s = "const zigimport_build = .{ .bad = 2 };";
        fn f() void { const zigimport_build = .{ .bad = 3 }; _ = zigimport_build; }
        pub const zigimport_build = .{
            .link_system_libs = .{ "z", "m", "z" },
            .defines = .{ "A", "B=2" },
            .cpu = "x86_64_v2",
        };
        extern "sqlite3" fn sqlite3_libversion() [*:0]const u8;
        extern "c" fn malloc(n: usize) ?*anyopaque;
    """)
    cfg = config.read_text(text, str(tmp_path / "m.zig"))
    assert cfg.line == 4
    assert cfg.system_libs == ["z", "m", "sqlite3"]
    assert cfg.defines == [("A", None), ("B", "2")]
    assert cfg.cpu == "x86_64_v2" and cfg.extern_c
    plain = config.read_text('extern "z" fn crc32() void;', str(tmp_path / "p.zig"))
    assert plain.line is None and plain.system_libs == ["z"] and not plain.is_plain
    with pytest.raises(ZigSettingsError, match="declared twice"):
        config.read_text("const zigimport_build = .{};\nconst zigimport_build = .{};\n", str(tmp_path / "t.zig"))


def test_zon_reader() -> None:
    node = zon.parse('.{ .a = 1, .b = .{ "x", 0x10, -2.5, \'A\', true, null, .enum_lit }, .@"q q" = \\\\line1\n\\\\line2\n }')
    assert isinstance(node.value, dict)
    assert node.value["a"].value == 1
    items = node.value["b"].value
    assert isinstance(items, list)
    assert [i.value for i in items[:6]] == ["x", 16, -2.5, 65, True, None]
    assert items[6].value == zon.EnumLiteral("enum_lit")
    assert node.value["q q"].value == "line1\nline2"
    assert zon.parse(".{ 1e-3, 2.5E+2, 0x1p-2, 1_000 }").value == [zon.Node(1e-3, 1), zon.Node(250.0, 1), zon.Node(0.25, 1),
                                                                  zon.Node(1000, 1)]
    with pytest.raises(zon.ZonSyntaxError) as info:
        zon.parse(".{\n .a = 1,\n .a = 2 }")
    assert info.value.line == 3 and "duplicate field .a" in str(info.value)


def test_depfile_parsing() -> None:
    text = "a.o: a.c /x/h\\ with\\ space.h \\\n  /y/z.h\n"
    assert c_inputs.parse_depfile(text) == ["a.c", "/x/h with space.h", "/y/z.h"]


def test_c_library_example_runs(tmp_path: Path) -> None:
    """examples/c_library: a vendored C library, zlib through its header, libm through extern "m"."""
    shutil.copytree(REPO / "examples" / "c_library", tmp_path / "c_library")
    out = run_python(f"import runpy; runpy.run_path({str(tmp_path / 'c_library' / 'demo.py')!r})", cwd=tmp_path)
    assert ("matches Python's zlib: True" if HAVE_ZLIB else "zlib.h is not installed") in out.stdout, out.stdout
    assert "cube_root(27.0) = 3.000000" in out.stdout, out.stdout


def test_build_zig_project_imported_and_rebuilt_on_a_header_edit(tmp_path: Path) -> None:
    """A package with its own build.zig: built on import, into the cache; a C header edit rebuilds it."""
    shutil.copytree(REPO / "examples" / "build_zig_project" / "fastpkg", tmp_path / "fastpkg")
    code = "import fastpkg; print(fastpkg.scale(14), fastpkg._speedups.__file__)"
    # On a machine whose Zig cache is empty, `zig build` first compiles its build runner (a few CPU-minutes,
    # once per machine, as for any zig build user): hence the long timeout.
    first = run_python(code, cwd=tmp_path, timeout=1500)
    value, where = first.stdout.split()
    assert value == "42" and not where.startswith(str(tmp_path)), first.stdout  # the binary lives in the cache
    again = run_python(code, cwd=tmp_path)
    assert again.stdout == first.stdout and "running zig build" not in again.stderr
    edited = run_python("""\
        import importlib, pathlib, fastpkg._speedups as speedups
        assert speedups.scale(14) == 42
        pathlib.Path("fastpkg/src/speedups.h").write_text("#define SPEEDUPS_FACTOR 5\\n")
        importlib.reload(speedups)  # rebuilds: the header is one of the files the build read
        print(speedups.scale(14))
    """, cwd=tmp_path)
    assert edited.stdout.split()[0] == "70" and "running zig build" in edited.stderr, edited.stderr
    missing = run_python("""\
        import fastpkg
        try:
            import fastpkg._nothing_here
        except ModuleNotFoundError as e:
            print(e)
    """, cwd=tmp_path)
    assert "built _speedups" in missing.stdout, missing.stdout


def test_build_zig_project_config_is_validated(tmp_path: Path) -> None:
    from zigimport.build import build_zig

    source = write(tmp_path / "build.zig", 'const zigimport_build = .{ .step = "ext", .options = .{ .fast = true } };\n')
    cfg = build_zig.read_project_config(str(source))
    assert cfg.step == "ext" and cfg.options == {"fast": "true"}
    write(source, 'const std = @import("std");\nconst zigimport_build = .{ .stpe = "ext" };\n')
    with pytest.raises(ZigSettingsError, match=r"build\.zig:2: zigimport_build\.stpe: unknown key"):
        build_zig.read_project_config(str(source))


def test_hashed_package_not_fetched_says_how(tmp_path: Path) -> None:
    from zigimport.build import zig_packages

    write(tmp_path / "build.zig.zon", """\
        .{ .name = .app, .version = "0.0.0", .fingerprint = 0x1, .paths = .{""},
           .dependencies = .{ .remote = .{ .url = "https://example.invalid/remote.tar.gz",
                                           .hash = "remote-0.0.0-zigimportnotfetchedhash" } } }
    """)
    cfg = config.read_text('const zigimport_build = .{ .zig_packages = .{"remote"} };', str(tmp_path / "m.zig"))
    with pytest.raises(ZigSettingsError) as info:
        zig_packages.resolve(cfg, str(tmp_path / "no-cache"))
    message = str(info.value)
    assert "dependency .remote (remote-0.0.0-zigimportnotfetchedhash) is not in Zig's package cache" in message
    assert "python -m ziglang fetch https://example.invalid/remote.tar.gz" in message
    with pytest.raises(ZigSettingsError, match="has no dependency .other"):
        zig_packages.resolve(config.read_text('const zigimport_build = .{ .zig_packages = .{"other"} };',
                                              str(tmp_path / "m.zig")), str(tmp_path / "no-cache"))


def test_hashed_package_resolves_from_the_package_cache(tmp_path: Path) -> None:
    """A hashed URL dependency already in Zig's package cache (here zigimport's own) is used, not fetched."""
    from zigimport.build import zig_packages

    cached = tmp_path / "global" / "p" / "tally-0.1.0-abcdef"
    write(cached / "build.zig", PKG_BUILD_ZIG)
    write(cached / "src" / "tally.zig", PKG_ROOT)
    write(tmp_path / "build.zig.zon", """\
        .{ .name = .app, .version = "0.0.0", .fingerprint = 0x1, .paths = .{""},
           .dependencies = .{ .tally = .{ .url = "https://example.invalid/tally.tar.gz", .hash = "tally-0.1.0-abcdef" } } }
    """)
    cfg = config.read_text('const zigimport_build = .{ .zig_packages = .{"tally"} };', str(tmp_path / "m.zig"))
    [pkg] = zig_packages.resolve(cfg, str(tmp_path / "global"))
    assert pkg.name == "tally" and pkg.root == str(cached / "src" / "tally.zig")
    assert str(tmp_path / "build.zig.zon") in pkg.files and str(cached / "build.zig") in pkg.files


def test_translations_are_cached_by_content_and_announced(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Same headers, flags and target: one translation; a header edit (even one include away): a new one."""
    import os

    from zigimport import toolchain
    from zigimport.build import translate_c, zig_process

    _ring_tree(tmp_path)
    decl = 'const zigimport_build = .{ .include_dirs = .{"vendor"}, .c_headers = .{ .ring = "vendor/ring.h" } };\n'
    cfg_a = config.read_text(decl, str(tmp_path / "a.zig"))
    cfg_b = config.read_text(decl, str(tmp_path / "b.zig"))
    kw = dict(binary=toolchain.zig_binary(), toolchain=toolchain.toolchain_identity(), root=str(tmp_path / "cache"),
              env=dict(os.environ), cwd=str(tmp_path), quiet=False, fullname="a", release_mode="ReleaseSafe")
    monkeypatch.setattr(zig_process, "NOTICE_AFTER_S", 0.0)  # every translation is "slow": the notice shows
    first = translate_c.translate(cfg_a, "ring", **kw)  # type: ignore[arg-type]
    assert "the first translation on a machine builds the translator" in capsys.readouterr().err
    assert "pub const RING_CAPACITY" in Path(first.path).read_text()
    assert str(tmp_path / "vendor" / "ring_config.h") in first.headers
    again = translate_c.translate(cfg_b, "ring", **kw)  # type: ignore[arg-type]
    assert again.path == first.path and capsys.readouterr().err == ""  # cached: no translator run
    write(tmp_path / "vendor" / "ring_config.h", RING_CONFIG_H.format(capacity=9))
    edited = translate_c.translate(cfg_a, "ring", **kw)  # type: ignore[arg-type]
    assert edited.path != first.path and "RING_CAPACITY = @as(c_int, 9)" in Path(edited.path).read_text()
