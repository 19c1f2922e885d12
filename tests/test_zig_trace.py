"""zigimport.diagnostics.elf and .zig_trace: symbolizing Zig error return traces from the .so.

Real binaries are built with the bundled Zig for each code generator that
emits a different line table: the self-hosted x86_64 backend (Debug, DWARF 5)
and LLVM (Debug -fllvm and ReleaseSafe -ferror-tracing, DWARF 4).  A
hand-assembled ELF covers the DWARF forms and opcodes those compilers happen
not to emit (64-bit DWARF, DW_FORM_string/strp/data16/block, define_file...).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import shared_folder

from zigimport.diagnostics import elf, zig_trace
from zigimport.cache_dir import zig_cache_dirs
from zigimport.diagnostics.elf import ElfFile
from zigimport.diagnostics.zig_trace import Frame, format_trace, symbolize

# --- real binaries -------------------------------------------------------------------------

PANIC_DECL = """\
pub const panic = std.debug.FullPanic(struct {
    fn f(msg: []const u8, ra: ?usize) noreturn {
        _ = msg;
        _ = ra;
        @trap();
    }
}.f);
"""

TRACE_ZIG = """\
const std = @import("std");

%PANIC%
export const zigimport_stub: [5:0]u8 = "hello".*;
export var zeros: [16]u8 = @splat(0);

export fn anchor() void {}

var fail: bool = true; // runtime-known, so the optimizer keeps every error path

noinline fn parse() !void {
    if (fail) return error.Boom; // @origin return
}

noinline fn load() !void {
    try parse(); // @load try
}

noinline fn run() !void {
    try load(); // @run try
}

noinline fn parseNumber(text: []const u8) !u32 {
    return try std.fmt.parseInt(u32, text, 10); // @number try
}

fn copyTrace(trace: ?*std.builtin.StackTrace, buf: [*]usize, cap: usize, index: *usize) usize {
    const t = trace orelse return 0;
    index.* = t.index;
    const n = @min(t.index, t.instruction_addresses.len, cap);
    @memcpy(buf[0..n], t.instruction_addresses[0..n]);
    return n;
}

export fn capture_chain(buf: [*]usize, cap: usize, index: *usize) usize {
    run() catch return copyTrace(@errorReturnTrace(), buf, cap, index);
    return 0;
}

export fn capture_std(buf: [*]usize, cap: usize, index: *usize) usize {
    _ = parseNumber("x") catch return copyTrace(@errorReturnTrace(), buf, cap, index);
    return 0;
}
%EXTRA%"""

# Pulls in std.debug's own symbolizer, JSON and crypto: a realistic multi-MB Debug binary.
BULK_ZIG = """
export fn bulk(n: usize) usize {
    var gpa: std.heap.DebugAllocator(.{}) = .init;
    const parsed = std.json.parseFromSlice(std.json.Value, gpa.allocator(), "[1]", .{}) catch return 0;
    defer parsed.deinit();
    var buf: [64]u8 = undefined;
    const s = std.fmt.bufPrint(&buf, "{d} {x}", .{ n, 1.5 }) catch return 0;
    var h: [32]u8 = undefined;
    std.crypto.hash.sha2.Sha256.hash(s, &h, .{});
    std.debug.dumpCurrentStackTrace(.{});
    return h[0];
}
"""

MODULE = "trace_mod"  # Zig prefixes every local symbol with the root file's stem


@dataclass
class Built:
    name: str
    so: str
    source: str
    lib: ctypes.CDLL

    def capture(self, export: str, cap: int = 32) -> tuple[list[int], int]:
        """Run an export that fails and return (recorded addresses, trace index)."""
        buf = (ctypes.c_size_t * max(cap, 1))()
        index = ctypes.c_size_t()
        fn = getattr(self.lib, export)
        fn.restype = ctypes.c_size_t
        n = fn(buf, ctypes.c_size_t(cap), ctypes.byref(index))
        return list(buf[:n]), index.value

    @property
    def anchor(self) -> int:
        addr = ctypes.cast(self.lib.anchor, ctypes.c_void_p).value
        assert addr is not None
        return addr


def zig_binary() -> str:
    spec = importlib.util.find_spec("ziglang")
    assert spec is not None and spec.origin is not None
    return os.path.join(os.path.dirname(spec.origin), "zig")


def marker(source: str, tag: str) -> tuple[int, int]:
    """(line, column) of the keyword named after ``// @tag`` on its line, both 1-based."""
    for number, text in enumerate(source.splitlines(), 1):
        if f"// @{tag} " in text:
            keyword = text.split(f"// @{tag} ")[1].strip()
            return number, text.index(keyword) + 1
    raise AssertionError(tag)


BUILDS = {
    "debug-selfhosted": ["-O", "Debug"],
    "debug-llvm": ["-O", "Debug", "-fllvm"],
    "releasesafe": ["-O", "ReleaseSafe", "-ferror-tracing"],
}


def compile_so(directory: Path, global_cache: str, flags: list[str], source: str, cwd: str | None = None) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    root = directory / f"{MODULE}.zig"
    root.write_text(source)
    out = directory / f"{MODULE}.so"
    subprocess.run(
        [zig_binary(), "build-lib", "-dynamic", *flags, "--cache-dir", str(directory / "cache"),
         "--global-cache-dir", global_cache, f"-Mroot={root}", f"-femit-bin={out}"],
        check=True, capture_output=True, timeout=600, cwd=cwd,
    )
    return str(out)


@pytest.fixture(scope="session")
def zig_global_cache(zigimport_cache: Path) -> str:
    # zigimport's own session cache: compiler_rt is then built once for every test module.
    return zig_cache_dirs(str(zigimport_cache))[0]


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory, zig_global_cache: str) -> dict[str, Built]:
    source = TRACE_ZIG.replace("%PANIC%", PANIC_DECL).replace("%EXTRA%", "")

    def build(base: Path) -> None:  # once per run: every xdist worker loads the same binaries
        for name, flags in BUILDS.items():
            compile_so(base / name, zig_global_cache, flags, source)

    base = shared_folder(tmp_path_factory, "zig-trace", build)
    out = {}
    for name in BUILDS:
        so = str(base / name / f"{MODULE}.so")
        out[name] = Built(name, so, source, ctypes.CDLL(so))
    return out


@pytest.fixture(params=sorted(BUILDS))
def built(request: pytest.FixtureRequest, builds: dict[str, Built]) -> Built:
    return builds[request.param]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    zig_trace.clear_cache()


def test_zig_records_the_origin_first(built: Built) -> None:
    """Zig appends a return address each time an error is returned: innermost (origin) first."""
    addresses, index = built.capture("capture_chain")
    assert index == 3 and len(addresses) == 3
    frames = symbolize(built.so, "anchor", built.anchor, addresses)
    assert [f.function for f in frames] == [f"{MODULE}.parse", f"{MODULE}.load", f"{MODULE}.run"]


def test_chain_maps_to_source_lines(built: Built) -> None:
    addresses, _ = built.capture("capture_chain")
    frames = symbolize(built.so, "anchor", built.anchor, addresses)
    source_path = str(Path(built.so).with_suffix(".zig"))
    for frame, tag in zip(frames, ["origin", "load", "run"]):
        line, column = marker(built.source, tag)
        assert (frame.file, frame.line, frame.column) == (source_path, line, column), (built.name, tag)


def test_frame_address_is_link_time(built: Built) -> None:
    addresses, _ = built.capture("capture_chain")
    image = ElfFile(built.so)
    bias = built.anchor - image.symbol("anchor").value  # type: ignore[union-attr]
    frames = symbolize(built.so, "anchor", built.anchor, addresses)
    assert [f.address for f in frames] == [a - bias for a in addresses]
    for f in frames:
        sym = image.function_at(f.address - 1)
        assert sym is not None and sym.name == f.function


def test_format_trace_most_recent_call_last(built: Built) -> None:
    addresses, _ = built.capture("capture_chain")
    text = format_trace(built.so, "anchor", built.anchor, addresses)
    path = str(Path(built.so).with_suffix(".zig"))
    expected = [zig_trace.HEADER]
    for tag, fn in [("run", "run"), ("load", "load"), ("origin", "parse")]:
        line, column = marker(built.source, tag)
        expected.append(f"  {path}:{line}:{column} in {MODULE}.{fn}")
    assert text.splitlines() == expected


def test_std_frames_are_kept(built: Built) -> None:
    addresses, index = built.capture("capture_std")
    assert index >= 2
    frames = symbolize(built.so, "anchor", built.anchor, addresses)
    outermost = frames[-1]
    line, column = marker(built.source, "number")
    assert (outermost.function, outermost.line, outermost.column) == (f"{MODULE}.parseNumber", line, column)
    std_frames = [f for f in frames if f.file is not None and f.file.endswith(os.path.join("std", "fmt.zig"))]
    assert std_frames, frames
    assert all(os.path.isfile(f.file) for f in std_frames if f.file), std_frames
    if built.name != "releasesafe":  # with inlining, std's code sits inside parseNumber
        assert all(f.function is not None and f.function.startswith("fmt.") for f in std_frames)


def test_skipped_frames_are_reported(built: Built) -> None:
    addresses, index = built.capture("capture_chain", cap=1)
    assert len(addresses) == 1 and index == 3
    lines = format_trace(built.so, "anchor", built.anchor, addresses, skipped=index - len(addresses)).splitlines()
    assert lines[1] == "  (2 outer frames not recorded: trace buffer full)"
    assert lines[2].endswith(f" in {MODULE}.parse")


def test_read_symbol_bytes_of_exported_string(built: Built) -> None:
    image = ElfFile(built.so)
    sym = image.symbol("zigimport_stub")
    assert sym is not None and sym.type == "object" and sym.bind == "global" and sym.size == 6
    assert image.read_symbol_bytes("zigimport_stub") == b"hello\0"
    # LLVM places it in .rodata, the self-hosted linker in .data.rel.ro: both are found by address.
    assert image.sections[sym.shndx].name in (".rodata", ".data.rel.ro")
    assert image.read_symbol_bytes("no_such_symbol") is None


def test_read_symbol_bytes_in_bss(built: Built) -> None:
    image = ElfFile(built.so)
    sym = image.symbol("zeros")
    assert sym is not None and image.sections[sym.shndx].type == elf.SHT_NOBITS
    assert image.read_symbol_bytes("zeros") == bytes(16)
    bss = image.section(".bss")
    assert bss is not None and bss == bytes(len(bss))


def test_elf_sections_and_symbols(built: Built) -> None:
    image = ElfFile(built.so)
    assert image.section(".no_such_section") is None
    assert image.section(".debug_line")
    assert image.symbol("anchor") is not None and image.symbol("anchor").type == "func"  # type: ignore[union-attr]
    names = {s.name for s in image.symbols()}
    assert {f"{MODULE}.parse", "capture_chain", "zigimport_stub"} <= names


def test_line_table_agrees_with_readelf(built: Built) -> None:
    """Every row binutils decodes from .debug_line maps to the same basename and line here."""
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("binutils not installed")
    out = subprocess.run([readelf, "--debug-dump=decodedline", built.so], capture_output=True, text=True).stdout
    last: dict[int, tuple[str, int] | None] = {}
    for text in out.splitlines():
        parts = text.split()
        if len(parts) >= 3 and parts[2].startswith("0x") and (parts[1].isdigit() or parts[1] == "-"):
            address = int(parts[2], 16)
            if parts[1] == "-":
                last.setdefault(address, None)  # end of a sequence, unless a row shares the address
            else:
                last[address] = (parts[0], int(parts[1]))
    binary = zig_trace._load(built.so)
    code = binary.elf.executable_ranges()
    checked = 0
    for address, expected in last.items():
        if expected is None or not any(start <= address < end for start, end in code):
            continue  # sequences of functions the linker dropped start at address 0
        frame = binary.frame(address + 1)
        assert frame.file is not None and os.path.basename(frame.file) == os.path.basename(expected[0])
        assert (frame.line or 0) == expected[1], hex(address)
        checked += 1
    assert checked > 50


def test_compiler_rt_paths_use_the_comp_dir(builds: dict[str, Built]) -> None:
    """LLVM's v4 tables name compiler_rt's files relative to DW_AT_comp_dir (from .debug_info)."""
    binary = zig_trace._load(builds["debug-llvm"].so)
    image = binary.elf
    sym = next(s for s in image.symbols() if s.type == "func" and s.name.startswith("compiler_rt.") and s.size)
    frame = binary.frame(sym.value + 2)
    assert frame.file is not None and os.path.isabs(frame.file) and os.path.isfile(frame.file), frame


def test_paths_relative_to_the_compilers_cwd(tmp_path: Path, zig_global_cache: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Zig's LLVM backend writes the lib dir relative to its cwd (".venv/lib/.../ziglang/lib" when
    the venv is under the project): std frames must still resolve to files that exist."""
    site_packages = os.path.dirname(os.path.dirname(zig_binary()))
    source = TRACE_ZIG.replace("%PANIC%", PANIC_DECL).replace("%EXTRA%", "")
    so = compile_so(tmp_path / "b", zig_global_cache, ["-O", "Debug", "-fllvm"], source, cwd=site_packages)
    monkeypatch.chdir(tmp_path)  # the process that symbolizes is elsewhere
    built = Built("cwd", so, source, ctypes.CDLL(so))
    frames = symbolize(so, "anchor", built.anchor, built.capture("capture_std")[0])
    std_files = [f.file for f in frames if f.file and f.file.endswith(os.path.join("std", "fmt.zig"))]
    assert std_files and all(os.path.isabs(f) and os.path.isfile(f) for f in std_files), frames
    assert frames[-1].file == str(tmp_path / "b" / f"{MODULE}.zig")


def test_repeated_traces_reuse_the_parsed_binary(builds: dict[str, Built]) -> None:
    """A process formatting many traces parses each binary once (what keeps repeats cheap: benchmarks/bench_trace.py)."""
    built = builds["debug-selfhosted"]
    addresses, _ = built.capture("capture_chain")
    first = symbolize(built.so, "anchor", built.anchor, addresses)
    assert len(zig_trace._CACHE) == 1
    binary = zig_trace._load(built.so)
    table = binary._line_table()
    texts = {format_trace(built.so, "anchor", built.anchor, addresses * 3) for _ in range(10)}
    assert len(texts) == 1 and len(next(iter(texts)).splitlines()) == 1 + 3 * len(addresses)
    assert symbolize(built.so, "anchor", built.anchor, addresses) == first
    assert zig_trace._load(built.so) is binary and binary._line_table() is table
    assert len(zig_trace._CACHE) == 1


def test_cache_key_follows_the_file(builds: dict[str, Built], tmp_path: Path) -> None:
    copy = tmp_path / "copy.so"
    shutil.copyfile(builds["releasesafe"].so, copy)
    first = zig_trace._load(str(copy))
    assert zig_trace._load(str(copy)) is first
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert zig_trace._load(str(copy)) is not first


def test_big_debug_binary(tmp_path_factory: pytest.TempPathFactory, zig_global_cache: str) -> None:
    """A ~10 MB Debug .so (std.debug's own symbolizer linked in) symbolizes the whole chain, first call and after.

    Its speed is measured in benchmarks/bench_trace.py, not asserted here.
    """
    source = TRACE_ZIG.replace("%PANIC%", "").replace("%EXTRA%", BULK_ZIG)
    so = compile_so(tmp_path_factory.mktemp("zig-trace-big"), zig_global_cache, ["-O", "Debug"], source)
    assert os.path.getsize(so) > 5_000_000
    built = Built("big", so, source, ctypes.CDLL(so))
    addresses, _ = built.capture("capture_chain")
    frames = symbolize(so, "anchor", built.anchor, addresses)
    assert [(f.function, f.line) for f in frames] == [
        (f"{MODULE}.{name}", marker(source, tag)[0]) for name, tag in [("parse", "origin"), ("load", "load"), ("run", "run")]
    ]
    assert symbolize(so, "anchor", built.anchor, addresses) == frames


# --- never raise ---------------------------------------------------------------------------


def test_format_trace_missing_file_lists_hex() -> None:
    text = format_trace("/nonexistent/mod.so", "anchor", 0x1000, [0x7F0000001234, 0x7F0000005678])
    assert text.splitlines() == [zig_trace.HEADER, "  0x7f0000005678", "  0x7f0000001234"]


def test_format_trace_garbage_file_lists_hex(tmp_path: Path) -> None:
    junk = tmp_path / "junk.so"
    junk.write_bytes(os.urandom(4096))
    assert format_trace(str(junk), "anchor", 1, [0xABC]).splitlines() == [zig_trace.HEADER, "  0xabc"]
    truncated = tmp_path / "truncated.so"
    truncated.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(20))
    assert format_trace(str(truncated), "anchor", 1, [0xABC]).splitlines() == [zig_trace.HEADER, "  0xabc"]


def test_format_trace_missing_anchor_lists_hex(builds: dict[str, Built]) -> None:
    built = builds["releasesafe"]
    addresses, _ = built.capture("capture_chain")
    text = format_trace(built.so, "no_such_anchor", built.anchor, addresses)
    assert text.splitlines()[1:] == [f"  0x{a:x}" for a in reversed(addresses)]
    with pytest.raises(ValueError, match="no_such_anchor"):
        symbolize(built.so, "no_such_anchor", built.anchor, addresses)


def test_format_trace_unknown_addresses_lists_hex(builds: dict[str, Built]) -> None:
    built = builds["releasesafe"]
    text = format_trace(built.so, "anchor", built.anchor, [1, 2])
    assert text.splitlines() == [zig_trace.HEADER, "  0x2", "  0x1"]


def test_format_trace_empty() -> None:
    assert format_trace("/nonexistent", "anchor", 0, []) == zig_trace.HEADER + "\n  (no frames recorded)"


def test_format_trace_bad_address_values() -> None:
    text = format_trace("/nonexistent", "anchor", 0, ["x"])  # type: ignore[list-item]
    assert text.splitlines()[0] == zig_trace.HEADER


@pytest.mark.parametrize(("ident", "message"), [
    (b"\x7fELF\x01\x01\x01", "only ELF64"),
    (b"\x7fELF\x02\x02\x01", "only little-endian"),
    (b"MZ\x90\x00\x03\x00\x00", "not an ELF file"),
])
def test_elf_rejects_other_formats(tmp_path: Path, ident: bytes, message: str) -> None:
    path = tmp_path / "x.so"
    path.write_bytes(ident + bytes(120))
    with pytest.raises(ValueError, match=message):
        ElfFile(str(path))


# --- a hand-assembled ELF with every DWARF construct the symbolizer claims ---------------

DW_FORM_block, DW_FORM_data1, DW_FORM_data2, DW_FORM_data8 = 0x09, 0x0B, 0x05, 0x07
DW_FORM_string, DW_FORM_strp, DW_FORM_udata, DW_FORM_data16 = 0x08, 0x0E, 0x0F, 0x1E
DW_FORM_line_strp, DW_FORM_sec_offset = 0x1F, 0x17
LNCT_path, LNCT_dir, LNCT_timestamp, LNCT_size, LNCT_md5, LNCT_llvm_source = 1, 2, 3, 4, 5, 0x2001
STD_LENGTHS = bytes([0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1])  # opcodes 1..12
LINE_BASE, LINE_RANGE, OPCODE_BASE = -5, 14, 13


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def sleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        done = (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def cstr(s: str) -> bytes:
    return s.encode() + b"\0"


class Program:
    """Assembles a line-number program."""

    def __init__(self) -> None:
        self.code = bytearray()

    def ext(self, sub: int, payload: bytes = b"") -> Program:
        self.code += b"\0" + uleb(1 + len(payload)) + bytes([sub]) + payload
        return self

    def set_address(self, addr: int) -> Program:
        return self.ext(2, struct.pack("<Q", addr))

    def end_sequence(self) -> Program:
        return self.ext(1)

    def op(self, opcode: int, operand: bytes = b"") -> Program:
        self.code += bytes([opcode]) + operand
        return self

    def special(self, addr_inc: int, line_inc: int) -> Program:
        opcode = (line_inc - LINE_BASE) + LINE_RANGE * addr_inc + OPCODE_BASE
        assert OPCODE_BASE <= opcode <= 255
        return self.op(opcode)

    def copy(self) -> Program:
        return self.op(1)

    def advance_pc(self, n: int) -> Program:
        return self.op(2, uleb(n))

    def advance_line(self, n: int) -> Program:
        return self.op(3, sleb(n))

    def set_file(self, n: int) -> Program:
        return self.op(4, uleb(n))

    def set_column(self, n: int) -> Program:
        return self.op(5, uleb(n))


def line_unit(version: int, tables: bytes, program: Program, dwarf64: bool = False) -> bytes:
    params = bytes([1]) + (bytes([1]) if version >= 4 else b"") + bytes([1, LINE_BASE & 0xFF, LINE_RANGE, OPCODE_BASE])
    header = params + STD_LENGTHS + tables
    offset = "<Q" if dwarf64 else "<I"
    after_length = struct.pack("<H", version) + (bytes([8, 0]) if version >= 5 else b"")
    after_length += struct.pack(offset, len(header)) + header + bytes(program.code)
    if dwarf64:
        return b"\xff\xff\xff\xff" + struct.pack("<Q", len(after_length)) + after_length
    return struct.pack("<I", len(after_length)) + after_length


def v4_tables(dirs: list[str], files: list[tuple[str, int]]) -> bytes:
    out = b"".join(cstr(d) for d in dirs) + b"\0"
    return out + b"".join(cstr(n) + uleb(d) + uleb(0) + uleb(0) for n, d in files) + b"\0"


def v5_table(formats: list[tuple[int, int]], entries: list[bytes]) -> bytes:
    out = bytes([len(formats)]) + b"".join(uleb(t) + uleb(f) for t, f in formats)
    return out + uleb(len(entries)) + b"".join(entries)


class StrTable:
    def __init__(self) -> None:
        self.data = bytearray(b"\0")

    def add(self, s: str) -> int:
        offset = len(self.data)
        self.data += cstr(s)
        return offset


def build_elf(sections: list[tuple[str, int, int, int, bytes]], symbols: list[tuple[str, int, int, int, int, int]]) -> bytes:
    """A minimal ELF64 LE shared object: sections are (name, type, flags, addr, data);
    symbols are (name, value, size, type, bind, section index)."""
    shstr, strtab = StrTable(), StrTable()
    symtab = bytes(24) + b"".join(
        struct.pack("<IBBHQQ", strtab.add(n), (b << 4) | t, 0, shndx, v, sz) for n, v, sz, t, b, shndx in symbols
    )
    all_sections = [*sections]
    symtab_index = len(all_sections) + 1
    all_sections.append((".symtab", elf.SHT_SYMTAB, 0, 0, symtab))
    all_sections.append((".strtab", 3, 0, 0, bytes(strtab.data)))
    names = [shstr.add(s[0]) for s in all_sections]
    shstrtab_name = shstr.add(".shstrtab")
    all_sections.append((".shstrtab", 3, 0, 0, bytes(shstr.data)))
    names.append(shstrtab_name)
    body = bytearray(bytes(64))
    headers = [bytes(64)]
    for (name, stype, flags, addr, data), name_off in zip(all_sections, names):
        offset = len(body)
        size = len(data)
        if stype == elf.SHT_NOBITS:
            size = int.from_bytes(data, "little")  # for NOBITS, data carries the size
        else:
            body += data
        link = symtab_index + 1 if name == ".symtab" else 0
        entsize = 24 if name == ".symtab" else 0
        headers.append(struct.pack("<IIQQQQIIQQ", name_off, stype, flags, addr, offset, size, link, 1, 1, entsize))
    shoff = len(body)
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 3, 62, 1, 0, 0, shoff,
                       0, 64, 56, 0, 64, len(headers), len(headers) - 1)
    return ehdr + bytes(body[64:]) + b"".join(headers)


ALLOC_EXEC = elf.SHF_ALLOC | elf.SHF_EXECINSTR
FUNC, OBJECT, LOCAL, GLOBAL = 2, 1, 0, 1


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> str:
    line_str, debug_str = StrTable(), StrTable()
    units: list[bytes] = []
    unit_offsets: list[int] = []

    def add(unit: bytes) -> None:
        unit_offsets.append(sum(len(u) for u in units))
        units.append(unit)

    # A: DWARF 5, 32-bit.  Directory 0 is the compilation dir; file 1's dir is relative to it.
    dirs = v5_table([(LNCT_path, DW_FORM_string)], [cstr("/comp"), cstr("sub")])
    files = v5_table(
        [(LNCT_path, DW_FORM_line_strp), (LNCT_dir, DW_FORM_udata), (LNCT_md5, DW_FORM_data16),
         (LNCT_llvm_source, DW_FORM_strp), (LNCT_size, DW_FORM_data2)],
        [struct.pack("<I", line_str.add(name)) + uleb(d) + bytes(range(16)) + struct.pack("<I", debug_str.add("src"))
         + struct.pack("<H", 7) for name, d in [("main.zig", 0), ("lib.zig", 1)]],
    )
    p = Program().set_address(0x1000).set_file(0).advance_line(9).set_column(3).copy()  # 0x1000 main:10:3
    p.special(4, 2)  # 0x1004 main:12:3
    p.op(8).set_column(7).special(0, 1)  # const_add_pc (+17): 0x1015 main:13:7
    p.op(9, struct.pack("<H", 0x20)).set_file(1).advance_line(-8).copy()  # fixed_advance_pc: 0x1035 lib:5:7
    p.ext(0, b"\0\0")  # padding, as the self-hosted linker leaves
    p.advance_pc(200).op(6).copy()  # 0x10fd lib:5:7 (negate_stmt changes nothing we report)
    p.advance_pc(3).end_sequence()  # ends at 0x1100
    add(line_unit(5, dirs + files, p))

    # B: DWARF 4 with a relative include dir and dir 0 = DW_AT_comp_dir; a dead sequence at 0.
    p = Program().set_address(0).advance_line(4).copy().advance_pc(0x10).end_sequence()
    p.set_address(0x1200).advance_line(99).copy()  # 0x1200 b.zig:100
    p.ext(3, cstr("d.zig") + uleb(1) + uleb(0) + uleb(0))  # DW_LNE_define_file -> file 3
    p.ext(4, uleb(3))  # DW_LNE_set_discriminator
    p.set_file(3).special(8, 1)  # 0x1208 inc/d.zig:101
    p.set_file(2).advance_pc(8).copy()  # 0x1210 inc/c.zig:101
    p.advance_pc(0x10).end_sequence()
    add(line_unit(4, v4_tables(["inc"], [("b.zig", 0), ("c.zig", 1)]), p))
    unit_b = unit_offsets[-1]

    # C: DWARF 4, 64-bit DWARF, absolute include dir.
    p = Program().set_address(0x1300).advance_line(41).copy().advance_pc(4).end_sequence()
    add(line_unit(4, v4_tables(["/abs"], [("e.zig", 1)]), p, dwarf64=True))

    # D: DWARF 5 with DW_FORM_strp directories and string/data1/block/data8/udata file entries.
    dirs = v5_table([(LNCT_path, DW_FORM_strp)], [struct.pack("<I", debug_str.add("/d5"))])
    files = v5_table(
        [(LNCT_path, DW_FORM_string), (LNCT_dir, DW_FORM_data1), (LNCT_md5, DW_FORM_block),
         (LNCT_timestamp, DW_FORM_data8), (LNCT_size, DW_FORM_udata)],
        [cstr("f.zig") + bytes([0]) + uleb(16) + bytes(16) + bytes(8) + uleb(300)],
    )
    p = Program().set_address(0x1400).set_file(0).copy().advance_pc(2).end_sequence()
    add(line_unit(5, dirs + files, p))

    # E: DWARF 5 whose file table uses a form nobody knows: lines survive, names do not.
    files = v5_table([(LNCT_path, 0x7F)], [b"?"])
    p = Program().set_address(0x1500).advance_line(6).copy().advance_pc(2).end_sequence()
    add(line_unit(5, v5_table([(LNCT_path, DW_FORM_string)], [cstr("/e")]) + files, p))

    # .debug_info: one DWARF 4 compile unit giving unit B its DW_AT_comp_dir.
    abbrev = uleb(1) + uleb(0x11) + b"\0" + uleb(0x10) + uleb(DW_FORM_sec_offset) + uleb(0x1B) + uleb(DW_FORM_strp)
    abbrev += b"\0\0" + b"\0"
    die = uleb(1) + struct.pack("<II", unit_b, debug_str.add("/comp"))
    cu = struct.pack("<HIB", 4, 0, 8) + die
    info = struct.pack("<I", len(cu)) + cu

    sections = [
        (".text", 1, ALLOC_EXEC, 0x1000, bytes(0x600)),
        (".rodata", 1, elf.SHF_ALLOC, 0x3000, b"xxhello\0"),
        (".bss", elf.SHT_NOBITS, elf.SHF_ALLOC | 1, 0x4000, (32).to_bytes(4, "little")),
        (".debug_line", 1, 0, 0, b"".join(units)),
        (".debug_line_str", 1, 0, 0, bytes(line_str.data)),
        (".debug_str", 1, 0, 0, bytes(debug_str.data)),
        (".debug_info", 1, 0, 0, info),
        (".debug_abbrev", 1, 0, 0, abbrev),
    ]
    symbols = [
        ("mod.first", 0x1000, 0x100, FUNC, LOCAL, 1),
        ("mod.sizeless", 0x1200, 0, FUNC, LOCAL, 1),
        ("anchor", 0x1300, 4, FUNC, GLOBAL, 1),
        ("mod.anchor", 0x1300, 4, FUNC, LOCAL, 1),
        ("stub", 0x3002, 6, OBJECT, GLOBAL, 2),
        ("zeros", 0x4008, 8, OBJECT, GLOBAL, 3),
        ("undefined_thing", 0, 0, FUNC, GLOBAL, 0),
    ]
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.so"
    path.write_bytes(build_elf(sections, symbols))
    return str(path)


@pytest.mark.parametrize(("pc", "expected"), [
    (0x0FFF, None),
    (0x1000, ("/comp/main.zig", 10, 3)),
    (0x1003, ("/comp/main.zig", 10, 3)),
    (0x1004, ("/comp/main.zig", 12, 3)),
    (0x1014, ("/comp/main.zig", 12, 3)),
    (0x1015, ("/comp/main.zig", 13, 7)),
    (0x1035, ("/comp/sub/lib.zig", 5, 7)),
    (0x10FF, ("/comp/sub/lib.zig", 5, 7)),
    (0x1100, None),
    (0x0005, None),  # the dead sequence at address 0 is dropped
    (0x1200, ("/comp/b.zig", 100, 0)),
    (0x1208, ("/comp/inc/d.zig", 101, 0)),
    (0x121F, ("/comp/inc/c.zig", 101, 0)),
    (0x1220, None),
    (0x1303, ("/abs/e.zig", 42, 0)),
    (0x1401, ("/d5/f.zig", 1, 0)),
    (0x1500, (None, 7, 0)),
])
def test_synthetic_line_table(synthetic: str, pc: int, expected: tuple[str | None, int, int] | None) -> None:
    assert zig_trace._load(synthetic)._line_table().lookup(pc) == expected


def test_synthetic_symbolize(synthetic: str) -> None:
    bias = 0x7F0000000000
    frames = symbolize(synthetic, "anchor", 0x1300 + bias, [bias + 0x1005, bias + 0x1209, bias + 0x1304, bias + 0x5000])
    assert frames == [
        Frame("mod.first", "/comp/main.zig", 12, 3, 0x1005),
        Frame("mod.sizeless", "/comp/inc/d.zig", 101, None, 0x1209),
        Frame("mod.anchor", "/abs/e.zig", 42, None, 0x1304),
        Frame(None, None, None, None, 0x5000),
    ]
    text = format_trace(synthetic, "anchor", 0x1300 + bias, [bias + 0x1005, bias + 0x1230, bias + 0x5000])
    assert text.splitlines() == [
        zig_trace.HEADER,
        f"  0x{bias + 0x5000:x} in ???",
        "  synthetic.so+0x1230 in mod.sizeless",
        "  /comp/main.zig:12:3 in mod.first",
    ]


def test_synthetic_elf_reader(synthetic: str) -> None:
    image = ElfFile(synthetic)
    assert image.read_symbol_bytes("stub") == b"hello\0"
    assert image.read_symbol_bytes("zeros") == bytes(8)
    assert image.read_symbol_bytes("undefined_thing") is None
    assert image.section(".bss") == bytes(32)
    assert image.symbol("anchor") == elf.Symbol("anchor", 0x1300, 4, "func", "global", 1)
    assert image.function_at(0x10FF).name == "mod.first"  # type: ignore[union-attr]
    assert image.function_at(0x1100) is None  # past mod.first's size, before the next symbol
    assert image.function_at(0x12FF).name == "mod.sizeless"  # type: ignore[union-attr]
    assert image.function_at(0xFFF) is None


@pytest.mark.parametrize(("value", "encoded"), [
    (2, b"\x02"), (127, b"\x7f"), (128, b"\x80\x01"), (129, b"\x81\x01"), (12857, b"\xb9\x64"),
])
def test_uleb(value: int, encoded: bytes) -> None:
    assert zig_trace._uleb(b"\xff" + encoded, 1) == (value, 1 + len(encoded))


@pytest.mark.parametrize(("value", "encoded"), [
    (2, b"\x02"), (-2, b"\x7e"), (127, b"\xff\x00"), (-127, b"\x81\x7f"), (128, b"\x80\x01"), (-128, b"\x80\x7f"),
])
def test_sleb(value: int, encoded: bytes) -> None:
    assert zig_trace._sleb(encoded, 0) == (value, len(encoded))
    assert sleb(value) == encoded
