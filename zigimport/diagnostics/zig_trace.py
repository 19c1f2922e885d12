"""Symbolize a Zig error return trace in Python, from the extension module's own file.

Zig's in-process symbolizer (std.debug) makes every optimized compile ~12 s
slower, so the Zig side hands us raw return addresses plus the run-time
address of one known exported symbol (the *anchor*); the difference between
that and the anchor's link-time value is the load bias.  We then read the
.so: function names from its ELF symbol table, file:line:column from its
DWARF ``.debug_line`` (versions 2-5, as emitted by Zig's LLVM backend (v4)
and its self-hosted x86_64 backend (v5)).

Parsed line tables are cached per (path, size, mtime_ns): published binaries
are immutable, and a process may format many traces.  ``format_trace`` never
raises: an error return trace is garnish on an exception that is already
being raised, and must not replace it.
"""

from __future__ import annotations

import bisect
import os
import posixpath
import struct
from .elf import ElfFile, Record

TYPE_CHECKING = False  # mypy reads it as True; importing `typing` for it would cost more than this module
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Union

    FormValue = Union[int, str, bytes, None]

__all__ = ["Frame", "symbolize", "format_trace", "format_raw_trace", "clear_cache"]

HEADER = "Zig error return trace (most recent call last):"


class Frame(Record):
    """One return address of the trace; each field is None where the binary does not tell."""

    __slots__ = ("function", "file", "line", "column", "address")

    def __init__(self, function: str | None, file: str | None, line: int | None, column: int | None,
                 address: int) -> None:
        self.function = function
        self.file = file
        self.line = line
        self.column = column
        # The return address as a link-time virtual address: `addr2line -e X.so <address-1>` finds the call.
        self.address = address


# --- public API ----------------------------------------------------------------------------


def symbolize(binary_path: str, anchor_symbol: str, anchor_runtime_addr: int, addresses: list[int]) -> list[Frame]:
    """One Frame per return address, in the order given.

    Raises OSError/ValueError if the binary cannot be read or lacks the anchor;
    addresses that fall outside the line table just get None fields.
    """
    binary = _load(binary_path)
    bias = _load_bias(binary, anchor_symbol, anchor_runtime_addr)
    return [binary.frame(addr - bias) for addr in addresses]


def _load_bias(binary: _Binary, anchor_symbol: str, anchor_runtime_addr: int) -> int:
    """Where the dynamic loader put the file: run-time address minus link-time address."""
    anchor = binary.elf.symbol(anchor_symbol)
    if anchor is None or not anchor.defined:
        raise ValueError(f"{binary.elf.path}: no symbol {anchor_symbol!r} to compute the load bias from")
    return anchor_runtime_addr - anchor.value


def format_trace(binary_path: str, anchor_symbol: str, anchor_runtime_addr: int, addresses: list[int],
                 *, skipped: int = 0) -> str:
    """The trace as text, outermost frame first and the error's origin last, like a Python traceback.

    Zig records a return address each time a function returns an error, so
    its trace starts at the origin (innermost) and we print it reversed.
    ``skipped`` is how many outer frames the Zig side had no room for
    (``index - instruction_addresses.len``).  Never raises: on any failure the
    addresses are listed in hex.
    """
    try:
        binary = _load(binary_path)
        bias = _load_bias(binary, anchor_symbol, anchor_runtime_addr)
        frames = [binary.frame(addr - bias) for addr in addresses]
        if any(f.function is not None or f.file is not None for f in frames):
            name = os.path.basename(binary_path)
            return _assemble([_describe(f, f.address + bias, name) for f in reversed(frames)], skipped)
    except Exception:  # noqa: BLE001 - see the docstring: the trace must never mask the real error
        pass
    return _hex_listing(addresses, skipped)


def format_raw_trace(binary_path: str, anchor_symbol: str, anchor_runtime_addr: int, raw_addresses: bytes) -> str:
    """:func:`format_trace` of addresses given as the bytes of a native ``size_t`` array: what
    zig_core passes (one bytes object is less code in every module than a list built item by item)."""
    return format_trace(binary_path, anchor_symbol, anchor_runtime_addr, unpack_addresses(raw_addresses))


def unpack_addresses(raw_addresses: bytes) -> list[int]:
    """The return addresses in the bytes of a native ``size_t`` array; [] if the bytes are not one."""
    size = struct.calcsize("N")
    if not isinstance(raw_addresses, bytes) or len(raw_addresses) % size:
        return []
    return list(struct.unpack(f"{len(raw_addresses) // size}N", raw_addresses))


def clear_cache() -> None:
    """Forget every parsed binary (tests; a long-running process that rebuilt many modules)."""
    _CACHE.clear()


def _describe(frame: Frame, runtime_addr: int, binary_name: str) -> str:
    """One trace line: file:line:column when known, else binary+offset (what addr2line takes), else hex."""
    if frame.function is None and frame.file is None:
        return f"  0x{runtime_addr:x} in ???"
    if frame.file is None:
        where = f"{binary_name}+0x{frame.address:x}"
    elif frame.line is None:
        where = frame.file
    else:
        where = f"{frame.file}:{frame.line}" + (f":{frame.column}" if frame.column else "")
    function = frame.function or "???"
    if "(" in function and frame.file is not None:
        # A generic instantiation (zig_core's wrapper) that optimised code inlined the user's
        # function into: the symbol would name the wrapper, not the code at file:line.
        return f"  {where}"
    if "(" in function and ")" in function:
        # zig_core's wrapper, built without debug info (cache_key.ZIG_CORE_FLAGS): its comptime
        # arguments (the whole signature) would fill the screen.
        function = function[:function.index("(")] + "(...)" + function[function.rindex(")") + 1:]
    return f"  {where} in {function}"


def _hex_listing(addresses: list[int], skipped: int) -> str:
    try:
        body = [f"  0x{int(a):x}" for a in reversed(addresses)]
    except Exception:  # noqa: BLE001 - not even integers: say so rather than raise
        body = ["  (unreadable addresses)"]
    return _assemble(body, skipped)


def _assemble(body: list[str], skipped: int) -> str:
    lines = [HEADER]
    if isinstance(skipped, int) and skipped > 0:
        lines.append(f"  ({skipped} outer frame{'s' if skipped != 1 else ''} not recorded: trace buffer full)")
    lines.extend(body if body else ["  (no frames recorded)"])
    return "\n".join(lines)


# --- per-binary cache ----------------------------------------------------------------------

_CACHE: dict[tuple[str, int, int], _Binary] = {}
_CACHE_LIMIT = 8  # an entry holds its file's bytes and rows (~2x the file); few modules raise errors


def _load(path: str) -> _Binary:
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    binary = _CACHE.get(key)
    if binary is None:
        binary = _Binary(ElfFile(path))
        while len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))  # oldest first; dicts keep insertion order
        _CACHE[key] = binary
    return binary


class _Binary:
    """An ELF file plus its line table, parsed on the first lookup."""

    def __init__(self, elf: ElfFile) -> None:
        self.elf = elf
        self._lines: _LineTable | None = None

    def _line_table(self) -> _LineTable:
        if self._lines is None:
            self._lines = _LineTable(self.elf)
        return self._lines

    def frame(self, return_addr: int) -> Frame:
        # A return address is the instruction after the call; the call itself is one byte earlier.
        pc = return_addr - 1
        sym = self.elf.function_at(pc)
        function = sym.name if sym is not None else None
        loc = self._line_table().lookup(pc)
        if loc is None:
            return Frame(function, None, None, None, return_addr)
        file, line, column = loc
        return Frame(function, file, line or None, column or None, return_addr)


# --- DWARF: forms --------------------------------------------------------------------------

# DW_FORM_* codes (DWARF 5, section 7.5.6) and the GNU extensions seen in the wild.
_FORM_ADDR, _FORM_BLOCK2, _FORM_BLOCK4, _FORM_DATA2, _FORM_DATA4, _FORM_DATA8 = 0x01, 0x03, 0x04, 0x05, 0x06, 0x07
_FORM_STRING, _FORM_BLOCK, _FORM_BLOCK1, _FORM_DATA1, _FORM_FLAG, _FORM_SDATA = 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D
_FORM_STRP, _FORM_UDATA, _FORM_REF_ADDR, _FORM_INDIRECT, _FORM_SEC_OFFSET = 0x0E, 0x0F, 0x10, 0x16, 0x17
_FORM_EXPRLOC, _FORM_FLAG_PRESENT, _FORM_STRX, _FORM_STRP_SUP, _FORM_DATA16 = 0x18, 0x19, 0x1A, 0x1D, 0x1E
_FORM_LINE_STRP, _FORM_IMPLICIT_CONST = 0x1F, 0x21
_FORM_STRX1, _FORM_STRX2, _FORM_STRX3, _FORM_STRX4 = 0x25, 0x26, 0x27, 0x28
_FIXED_SIZE_FORMS = {
    0x11: 1, 0x12: 2, 0x13: 4, 0x14: 8,  # ref1..ref8
    0x1C: 4, 0x20: 8, 0x24: 8,  # ref_sup4, ref_sig8, ref_sup8
    0x29: 1, 0x2A: 2, 0x2B: 3, 0x2C: 4,  # addrx1..addrx4
    _FORM_DATA1: 1, _FORM_DATA2: 2, _FORM_DATA4: 4, _FORM_DATA8: 8, _FORM_DATA16: 16, _FORM_FLAG: 1,
}
_ULEB_FORMS = {0x15, 0x1B, 0x22, 0x23, 0x1F01, 0x1F02}  # ref_udata, addrx, loclistx, rnglistx, GNU index forms
_OFFSET_FORMS = {_FORM_SEC_OFFSET, _FORM_STRP_SUP, 0x1F20, 0x1F21}  # + GNU_ref_alt, GNU_strp_alt

class _StrIndex(int):
    """A DW_FORM_strx* value: an index into .debug_str_offsets, resolved once the base is known."""


class _Strings:
    """The string sections that DW_FORM_strp / DW_FORM_line_strp point into."""

    def __init__(self, elf: ElfFile) -> None:
        self.debug_str = elf.section(".debug_str") or b""
        self.debug_line_str = elf.section(".debug_line_str") or b""
        self._elf = elf
        self._str_offsets: bytes | None = None

    def str_offsets(self) -> bytes:
        if self._str_offsets is None:
            self._str_offsets = self._elf.section(".debug_str_offsets") or b""
        return self._str_offsets


def _uleb(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def _sleb(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return (result - (1 << shift) if byte & 0x40 else result), pos


def _cstr(data: bytes, pos: int) -> tuple[str, int]:
    end = data.index(b"\0", pos)
    return data[pos:end].decode("utf-8", errors="replace"), end + 1


def _uint(data: bytes, pos: int, size: int) -> int:
    if pos + size > len(data):
        raise IndexError("truncated DWARF value")
    return int.from_bytes(data[pos:pos + size], "little")


def _read_form(data: bytes, pos: int, form: int, offset_size: int, addr_size: int,
               strings: _Strings) -> tuple[FormValue, int]:
    """Decode one attribute value; strings are resolved, values we never use come back as None."""
    if form == _FORM_STRING:
        return _cstr(data, pos)
    if form == _FORM_LINE_STRP or form == _FORM_STRP:
        offset = _uint(data, pos, offset_size)
        table = strings.debug_line_str if form == _FORM_LINE_STRP else strings.debug_str
        return (_cstr(table, offset)[0] if offset < len(table) else None), pos + offset_size
    if form == _FORM_UDATA:
        return _uleb(data, pos)
    if form == _FORM_SDATA:
        return _sleb(data, pos)
    if form in _FIXED_SIZE_FORMS:
        size = _FIXED_SIZE_FORMS[form]
        return (data[pos:pos + size] if size == 16 else _uint(data, pos, size)), pos + size
    if form in (_FORM_BLOCK, _FORM_EXPRLOC, _FORM_BLOCK1, _FORM_BLOCK2, _FORM_BLOCK4):
        if form in (_FORM_BLOCK, _FORM_EXPRLOC):
            length, pos = _uleb(data, pos)
        else:
            size = {_FORM_BLOCK1: 1, _FORM_BLOCK2: 2, _FORM_BLOCK4: 4}[form]
            length, pos = _uint(data, pos, size), pos + size
        return data[pos:pos + length], pos + length
    if form == _FORM_STRX:
        index, pos = _uleb(data, pos)
        return _StrIndex(index), pos
    if _FORM_STRX1 <= form <= _FORM_STRX4:
        size = form - _FORM_STRX1 + 1
        return _StrIndex(_uint(data, pos, size)), pos + size
    if form == _FORM_ADDR:
        return _uint(data, pos, addr_size), pos + addr_size
    if form in _OFFSET_FORMS or form == _FORM_REF_ADDR:
        return _uint(data, pos, offset_size), pos + offset_size
    if form in _ULEB_FORMS:
        return _uleb(data, pos)
    if form == _FORM_FLAG_PRESENT or form == _FORM_IMPLICIT_CONST:
        return None, pos
    if form == _FORM_INDIRECT:
        real, pos = _uleb(data, pos)
        return _read_form(data, pos, real, offset_size, addr_size, strings)
    raise ValueError(f"unsupported DWARF form 0x{form:x}")


# --- DWARF: .debug_line --------------------------------------------------------------------

_DW_LNCT_PATH, _DW_LNCT_DIRECTORY_INDEX = 0x1, 0x2

_DW_LNS_COPY, _DW_LNS_ADVANCE_PC, _DW_LNS_ADVANCE_LINE, _DW_LNS_SET_FILE = 1, 2, 3, 4
_DW_LNS_SET_COLUMN, _DW_LNS_CONST_ADD_PC, _DW_LNS_FIXED_ADVANCE_PC = 5, 8, 9
_DW_LNE_END_SEQUENCE, _DW_LNE_SET_ADDRESS, _DW_LNE_DEFINE_FILE = 1, 2, 3

_U16 = struct.Struct("<H")


class _Unit:
    """One line-number program header: its file table and the constants its opcodes need."""

    def __init__(self, offset: int, version: int) -> None:
        self.offset = offset  # of the unit in .debug_line: what a CU's DW_AT_stmt_list names
        self.version = version
        self.min_inst_length = 1
        self.max_ops = 1
        self.line_base = 0
        self.line_range = 1
        self.opcode_base = 1
        self.std_lengths: list[int] = []
        self.dirs: list[str | None] = []  # v5: index 0 is the compilation dir; v2-4: index 0 stands for it
        self.files: list[tuple[str | None, int]] = []  # (name, directory index), indexed as the program does
        self._paths: dict[int, str | None] = {}

    def path(self, index: int, dirs: _Directories) -> str | None:
        if index not in self._paths:
            self._paths[index] = self._resolve(index, dirs)
        return self._paths[index]

    def _resolve(self, index: int, dirs: _Directories) -> str | None:
        if not 0 <= index < len(self.files):
            return None
        name, dir_index = self.files[index]
        if name is None or name.startswith("/"):
            return name
        directory = self.dirs[dir_index] if 0 <= dir_index < len(self.dirs) else None
        comp_dir = self.dirs[0] if self.version >= 5 and self.dirs else dirs.comp_dir(self.offset)
        if self.version < 5 and dir_index == 0:
            directory = comp_dir  # v2-4 keep the compilation dir in .debug_info
        if directory is None:
            return name
        relative = posixpath.join(directory, name)
        if relative.startswith("/"):
            # Zig names the root file relative to its cwd ("/cwd" + "../../tmp/x.zig"): fold the "..".
            return posixpath.normpath(relative)
        return dirs.locate(relative, comp_dir)


class _Sequence:
    """A run of rows over contiguous code, from DW_LNE_set_address to DW_LNE_end_sequence."""

    __slots__ = ("start", "end", "addrs", "rows", "unit")

    def __init__(self, start: int, end: int, addrs: list[int], rows: list[tuple[int, int, int]], unit: _Unit) -> None:
        self.start = start
        self.end = end  # exclusive: the address of DW_LNE_end_sequence
        self.addrs = addrs  # row addresses, nondecreasing
        self.rows = rows  # (file index, line, column) per row
        self.unit = unit


class _LineTable:
    """Every row of every sequence in .debug_line, for address -> (file, line, column)."""

    def __init__(self, elf: ElfFile) -> None:
        self._strings = _Strings(elf)
        self._dirs = _Directories(elf, self._strings)
        code = sorted(elf.executable_ranges())
        self._code_starts = [start for start, _ in code]
        self._code_ends = [end for _, end in code]
        data = elf.section(".debug_line") or b""
        sequences: list[_Sequence] = []
        units = _units(data, self._strings)
        self._dirs.units = [unit for unit, _, _ in units]
        for unit, program_start, end in units:
            try:
                _run_program(data, program_start, end, unit, self._is_live, sequences)
            except (IndexError, ValueError, struct.error):
                continue  # a malformed unit: keep the sequences it finished, skip the rest
        sequences.sort(key=lambda s: s.start)
        self._sequences = sequences
        self._starts = [s.start for s in sequences]

    def _is_live(self, addr: int) -> bool:
        """Whether code at addr survived linking (dead functions' sequences start at a tombstone such as 0)."""
        i = bisect.bisect_right(self._code_starts, addr) - 1
        return i >= 0 and addr < self._code_ends[i]

    def lookup(self, pc: int) -> tuple[str | None, int, int] | None:
        i = bisect.bisect_right(self._starts, pc) - 1
        # Sequences do not overlap in a linked binary, but tolerate a short run that does.
        for seq in self._sequences[max(0, i - 3):i + 1][::-1]:
            if seq.start <= pc < seq.end:
                row = bisect.bisect_right(seq.addrs, pc) - 1
                if row < 0:
                    continue
                file, line, column = seq.rows[row]
                return seq.unit.path(file, self._dirs), line, column
        return None


def _units(data: bytes, strings: _Strings) -> list[tuple[_Unit, int, int]]:
    """(header, program start, program end) for each unit in .debug_line."""
    out: list[tuple[_Unit, int, int]] = []
    pos = 0
    while pos + 4 <= len(data):
        unit_offset = pos
        length, pos = _uint(data, pos, 4), pos + 4
        offset_size = 4
        if length == 0xFFFFFFFF:  # 64-bit DWARF
            length, pos, offset_size = _uint(data, pos, 8), pos + 8, 8
        elif length >= 0xFFFFFFF0:
            break  # reserved lengths: nothing after this can be trusted
        end = min(pos + length, len(data))
        try:
            out.append(_parse_header(data, pos, end, unit_offset, offset_size, strings))
        except (IndexError, ValueError, struct.error):
            pass
        pos = end
    return out


def _parse_header(data: bytes, pos: int, end: int, unit_offset: int, offset_size: int,
                  strings: _Strings) -> tuple[_Unit, int, int]:
    version = _uint(data, pos, 2)
    pos += 2
    if not 2 <= version <= 5:
        raise ValueError(f"unsupported .debug_line version {version}")
    unit = _Unit(unit_offset, version)
    addr_size = 8
    if version >= 5:
        addr_size = data[pos]
        pos += 2  # address_size, segment_selector_size
    header_length, pos = _uint(data, pos, offset_size), pos + offset_size
    program_start = pos + header_length
    unit.min_inst_length = data[pos]
    pos += 1
    if version >= 4:
        unit.max_ops = data[pos]
        pos += 1
    pos += 1  # default_is_stmt: every row is kept, statement or not
    unit.line_base = data[pos] - 256 if data[pos] >= 128 else data[pos]
    unit.line_range = data[pos + 1]
    unit.opcode_base = data[pos + 2]
    pos += 3
    unit.std_lengths = list(data[pos:pos + unit.opcode_base - 1])
    pos += unit.opcode_base - 1
    if unit.line_range == 0 or unit.opcode_base == 0:
        raise ValueError("malformed line program header")
    try:
        if version >= 5:
            _parse_v5_tables(data, pos, unit, offset_size, addr_size, strings)
        else:
            _parse_v4_tables(data, pos, unit)
    except (IndexError, ValueError, struct.error):
        pass  # file names lost, but the program (found via header_length) still gives lines
    return unit, program_start, end


def _parse_v4_tables(data: bytes, pos: int, unit: _Unit) -> None:
    unit.dirs = [None]  # index 0: the compilation directory, from .debug_info
    while data[pos] != 0:
        name, pos = _cstr(data, pos)
        unit.dirs.append(name)
    pos += 1
    unit.files = [(None, 0)]  # v2-4 file numbers start at 1
    while data[pos] != 0:
        pos = _parse_v4_file(data, pos, unit)


def _parse_v4_file(data: bytes, pos: int, unit: _Unit) -> int:
    """A v2-4 file entry (also the operand of DW_LNE_define_file): name, dir, mtime, length."""
    name, pos = _cstr(data, pos)
    dir_index, pos = _uleb(data, pos)
    _mtime, pos = _uleb(data, pos)
    _length, pos = _uleb(data, pos)
    unit.files.append((name, dir_index))
    return pos


def _parse_v5_tables(data: bytes, pos: int, unit: _Unit, offset_size: int, addr_size: int,
                     strings: _Strings) -> None:
    entries, pos = _parse_v5_entry_list(data, pos, offset_size, addr_size, strings)
    unit.dirs = [_str_or_none(e.get(_DW_LNCT_PATH)) for e in entries]
    entries, pos = _parse_v5_entry_list(data, pos, offset_size, addr_size, strings)
    unit.files = [(_str_or_none(e.get(_DW_LNCT_PATH)), _int_or_zero(e.get(_DW_LNCT_DIRECTORY_INDEX))) for e in entries]


def _str_or_none(value: FormValue) -> str | None:
    return value if isinstance(value, str) else None


def _int_or_zero(value: FormValue) -> int:
    return value if isinstance(value, int) else 0


def _parse_v5_entry_list(data: bytes, pos: int, offset_size: int, addr_size: int,
                         strings: _Strings) -> tuple[list[dict[int, FormValue]], int]:
    """A v5 directory or file table: a format (content type, form) list, then the entries."""
    format_count = data[pos]
    pos += 1
    formats: list[tuple[int, int]] = []
    for _ in range(format_count):
        content_type, pos = _uleb(data, pos)
        form, pos = _uleb(data, pos)
        formats.append((content_type, form))
    count, pos = _uleb(data, pos)
    entries: list[dict[int, FormValue]] = []
    for _ in range(count):
        entry: dict[int, FormValue] = {}
        for content_type, form in formats:
            # Unknown content types (e.g. LLVM's embedded source, 0x2001) are decoded only to be skipped.
            value, pos = _read_form(data, pos, form, offset_size, addr_size, strings)
            if isinstance(value, _StrIndex):
                value = None  # needs .debug_str_offsets_base from the CU: not worth it for a name
            entry[content_type] = value
        entries.append(entry)
    return entries, pos


def _run_program(data: bytes, pos: int, end: int, unit: _Unit, is_live: Callable[[int], bool],
                 out: list[_Sequence]) -> None:
    """Execute one line-number program, appending each finished live sequence to ``out``.

    This loop is the hot path (every opcode in the binary runs through it once
    per process), hence the locals and the special opcodes' precomputed steps.
    """
    if unit.max_ops > 1:
        return  # VLIW op_index addressing: no such target for zigimport (x86_64); 0 is an old producer's 1
    min_len, opcode_base, std_lengths = unit.min_inst_length, unit.opcode_base, unit.std_lengths
    line_base, line_range = unit.line_base, unit.line_range
    addr_step = [0] * 256
    line_step = [0] * 256
    for op in range(opcode_base, 256):
        addr_step[op] = ((op - opcode_base) // line_range) * min_len
        line_step[op] = line_base + (op - opcode_base) % line_range
    const_add_pc = addr_step[255]
    uleb = _uleb

    addr, file, line, column = 0, 1, 1, 0
    addrs: list[int] = []
    rows: list[tuple[int, int, int]] = []
    unsorted = False
    while pos < end:
        op = data[pos]
        pos += 1
        if op >= opcode_base:  # special opcode: advance address and line, emit a row
            addr += addr_step[op]
            line += line_step[op]
            addrs.append(addr)
            rows.append((file, line, column))
        elif op == _DW_LNS_COPY:
            addrs.append(addr)
            rows.append((file, line, column))
        elif op == _DW_LNS_ADVANCE_PC:
            if data[pos] < 0x80:
                addr += data[pos] * min_len
                pos += 1
            else:
                n, pos = uleb(data, pos)
                addr += n * min_len
        elif op == _DW_LNS_ADVANCE_LINE:
            n, pos = _sleb(data, pos)
            line += n
        elif op == _DW_LNS_SET_FILE:
            file, pos = uleb(data, pos)
        elif op == _DW_LNS_SET_COLUMN:
            column, pos = uleb(data, pos)
        elif op == _DW_LNS_CONST_ADD_PC:
            addr += const_add_pc
        elif op == _DW_LNS_FIXED_ADVANCE_PC:
            addr += _U16.unpack_from(data, pos)[0]
            pos += 2
        elif op == 0:  # extended opcode: ULEB length, then sub-opcode and operands
            length, pos = uleb(data, pos)
            sub_end = pos + length
            sub = data[pos] if length else 0
            if sub == _DW_LNE_END_SEQUENCE:
                if addrs and is_live(addrs[0]):
                    out.append(_finish_sequence(addrs, rows, addr, unsorted, unit))
                addr, file, line, column = 0, 1, 1, 0
                addrs, rows, unsorted = [], [], False
            elif sub == _DW_LNE_SET_ADDRESS:
                new = _uint(data, pos + 1, length - 1)
                unsorted = unsorted or (new < addr and bool(addrs))
                addr = new
            elif sub == _DW_LNE_DEFINE_FILE:
                _parse_v4_file(data, pos + 1, unit)
            pos = sub_end  # DW_LNE_set_discriminator, vendor ops and zero padding: skipped by length
        else:  # 6 negate_stmt, 7 basic_block, 10/11 prologue/epilogue, 12 isa, unknown: skip operands
            for _ in range(std_lengths[op - 1] if op - 1 < len(std_lengths) else 0):
                _n, pos = uleb(data, pos)


def _finish_sequence(addrs: list[int], rows: list[tuple[int, int, int]], end: int, unsorted: bool,
                     unit: _Unit) -> _Sequence:
    if unsorted:  # a producer moved backwards with DW_LNE_set_address: restore address order
        order = sorted(range(len(addrs)), key=addrs.__getitem__)
        addrs = [addrs[i] for i in order]
        rows = [rows[i] for i in order]
    return _Sequence(addrs[0], max(end, addrs[-1] + 1), addrs, rows, unit)


# --- DWARF: .debug_info, only for the compilation directory of v2-4 line tables ----------

_DW_AT_STMT_LIST, _DW_AT_COMP_DIR, _DW_AT_STR_OFFSETS_BASE = 0x10, 0x1B, 0x72
_DW_UT_SKELETON, _DW_UT_SPLIT_COMPILE, _DW_UT_TYPE, _DW_UT_SPLIT_TYPE = 0x04, 0x05, 0x02, 0x06


class _Directories:
    """Where relative file names are relative to.

    DWARF says: the compile unit's DW_AT_comp_dir, which v2-4 line tables
    leave in .debug_info.  But Zig 0.17's LLVM backend writes directories
    relative to the *compiler's* cwd (".venv/lib/.../ziglang/lib" when the
    venv is under the cwd), which no attribute records.  So a relative path
    is tried against the comp dir, then our cwd, then every absolute
    directory the binary mentions (the root unit lists the compiler's cwd),
    and the first existing file wins.  Only shown frames get here, once each.
    """

    def __init__(self, elf: ElfFile, strings: _Strings) -> None:
        self._elf = elf
        self._strings = strings
        self._comp_dirs: dict[int, str] | None = None
        self._bases: list[str] | None = None
        self.units: list[_Unit] = []

    def comp_dir(self, stmt_list: int) -> str | None:
        """DW_AT_comp_dir of the compile unit whose DW_AT_stmt_list is ``stmt_list``."""
        return self._comp_dir_map().get(stmt_list)

    def _comp_dir_map(self) -> dict[int, str]:
        if self._comp_dirs is None:
            try:
                self._comp_dirs = _read_comp_dirs(self._elf.section(".debug_info") or b"",
                                                  self._elf.section(".debug_abbrev") or b"", self._strings)
            except (IndexError, ValueError, struct.error):
                self._comp_dirs = {}
        return self._comp_dirs

    def locate(self, relative: str, comp_dir: str | None) -> str:
        bases = ([comp_dir] if comp_dir else []) + self._guesses()
        for base in bases:
            candidate = posixpath.normpath(posixpath.join(base, relative))
            if os.path.isfile(candidate):
                return candidate
        # Not on this machine (or moved): the DWARF reading, as good a guess as any.
        return posixpath.normpath(posixpath.join(comp_dir, relative)) if comp_dir else relative

    def _guesses(self) -> list[str]:
        if self._bases is None:
            seen: dict[str, None] = {}
            try:
                seen[os.getcwd()] = None
            except OSError:
                pass
            for unit in self.units:
                for d in unit.dirs:
                    if d and d.startswith("/"):
                        seen[d] = None
            for d in self._comp_dir_map().values():
                if d.startswith("/"):
                    seen[d] = None
            self._bases = list(seen)
        return self._bases


def _read_comp_dirs(info: bytes, abbrev: bytes, strings: _Strings) -> dict[int, str]:
    out: dict[int, str] = {}
    pos = 0
    while pos + 4 <= len(info):
        length, pos = _uint(info, pos, 4), pos + 4
        offset_size = 4
        if length == 0xFFFFFFFF:
            length, pos, offset_size = _uint(info, pos, 8), pos + 8, 8
        elif length >= 0xFFFFFFF0:
            break
        end = pos + length
        try:
            attrs = _first_die_attrs(info, pos, offset_size, abbrev, strings)
        except (IndexError, ValueError, struct.error):
            attrs = {}
        stmt_list, comp_dir = attrs.get(_DW_AT_STMT_LIST), attrs.get(_DW_AT_COMP_DIR)
        if isinstance(stmt_list, int) and isinstance(comp_dir, str):
            out[stmt_list] = comp_dir
        pos = end
    return out


def _first_die_attrs(info: bytes, pos: int, offset_size: int, abbrev: bytes,
                     strings: _Strings) -> dict[int, FormValue]:
    """The attributes of a unit's first DIE (the compile unit itself)."""
    version = _uint(info, pos, 2)
    pos += 2
    if version >= 5:
        unit_type, addr_size = info[pos], info[pos + 1]
        abbrev_offset = _uint(info, pos + 2, offset_size)
        pos += 2 + offset_size
        if unit_type in (_DW_UT_SKELETON, _DW_UT_SPLIT_COMPILE):
            pos += 8  # dwo_id
        elif unit_type in (_DW_UT_TYPE, _DW_UT_SPLIT_TYPE):
            pos += 8 + offset_size  # type signature, type offset
    else:
        abbrev_offset = _uint(info, pos, offset_size)
        addr_size = info[pos + offset_size]
        pos += offset_size + 1
    code, pos = _uleb(info, pos)
    specs = _abbrev_specs(abbrev, abbrev_offset, code)
    attrs: dict[int, FormValue] = {}
    for attr, form in specs:
        if form == _FORM_REF_ADDR and version == 2:  # address-sized in DWARF 2 only; we need just its size
            value, pos = None, pos + addr_size
        else:
            value, pos = _read_form(info, pos, form, offset_size, addr_size, strings)
        attrs[attr] = value
    base = attrs.get(_DW_AT_STR_OFFSETS_BASE)
    for attr, value in attrs.items():
        if isinstance(value, _StrIndex):
            attrs[attr] = _str_from_index(strings, base, int(value), offset_size)
    return attrs


def _abbrev_specs(abbrev: bytes, offset: int, wanted: int) -> list[tuple[int, int]]:
    """The (attribute, form) list of abbreviation ``wanted`` in the table at ``offset``."""
    pos = offset
    while True:
        code, pos = _uleb(abbrev, pos)
        if code == 0:
            raise ValueError(f"abbreviation {wanted} not found")
        _tag, pos = _uleb(abbrev, pos)
        pos += 1  # has_children
        specs: list[tuple[int, int]] = []
        while True:
            attr, pos = _uleb(abbrev, pos)
            form, pos = _uleb(abbrev, pos)
            if attr == 0 and form == 0:
                break
            if form == _FORM_IMPLICIT_CONST:
                _const, pos = _sleb(abbrev, pos)  # the value lives here, not in the DIE
            specs.append((attr, form))
        if code == wanted:
            return specs


def _str_from_index(strings: _Strings, base: FormValue, index: int, offset_size: int) -> str | None:
    if not isinstance(base, int):
        return None
    table = strings.str_offsets()
    offset = _uint(table, base + index * offset_size, offset_size)
    return _cstr(strings.debug_str, offset)[0] if offset < len(strings.debug_str) else None
