"""A minimal reader for the ELF shared objects zigimport builds (ELF64, little-endian).

Only what symbolizing a Zig error return trace needs: section contents by
name, the symbol table, the bytes of a data symbol, and "which function
contains this address".  The whole file is read into memory once: the
binaries are a few MB, and random access to sections and symbols is then
plain slicing.  Anything else (ELF32, big-endian, not ELF at all) raises
``ValueError`` up front rather than producing wrong answers later.

Why not pyelftools: measured (benchmarks/bench_trace.py), symbolizing a
trace through it costs 3-12x as much on the first call of a process (its
import alone is ~85 ms, its symbol table walk 30-250 ms) and 2-5x on
repeated calls (up to 17x on a 13 MB Debug binary), for the same frames.
"""

from __future__ import annotations

import bisect
import struct

_ELF_MAGIC = b"\x7fELF"
_ELFCLASS64 = 2
_ELFDATA2LSB = 1

SHT_SYMTAB = 2
SHT_NOBITS = 8
SHT_DYNSYM = 11
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4
SHF_COMPRESSED = 0x800
_ELFCOMPRESS_ZLIB = 1

SHN_UNDEF = 0
_SHN_LORESERVE = 0xFF00
_SHN_XINDEX = 0xFFFF

_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")  # Elf64_Ehdr
_SHDR = struct.Struct("<IIQQQQIIQQ")  # Elf64_Shdr
_SYM = struct.Struct("<IBBHQQ")  # Elf64_Sym
_CHDR = struct.Struct("<IIQQ")  # Elf64_Chdr

_SYMBOL_TYPES = {0: "notype", 1: "object", 2: "func", 3: "section", 4: "file", 5: "common", 6: "tls", 10: "gnu_ifunc"}
_SYMBOL_BINDS = {0: "local", 1: "global", 2: "weak", 10: "gnu_unique"}


class Record:
    """A small immutable-by-convention value type: equality, hash and repr from ``__slots__``.

    (Not typing.NamedTuple or dataclasses: importing those costs more than this
    whole module, and zigimport keeps its import path lean.)
    """

    __slots__: tuple[str, ...] = ()

    def astuple(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, Record) and self.astuple() == other.astuple()

    def __hash__(self) -> int:
        return hash(self.astuple())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Section(Record):
    __slots__ = ("name", "type", "flags", "addr", "offset", "size", "link", "info", "entsize")

    def __init__(self, name: str, type: int, flags: int, addr: int, offset: int, size: int,  # noqa: A002
                 link: int, info: int, entsize: int) -> None:
        self.name = name
        self.type = type
        self.flags = flags
        self.addr = addr
        self.offset = offset
        self.size = size
        self.link = link
        self.info = info
        self.entsize = entsize

    def contains_addr(self, vaddr: int) -> bool:
        """Whether the section is mapped at run time and covers ``vaddr``."""
        return bool(self.flags & SHF_ALLOC) and self.addr <= vaddr < self.addr + self.size


class Symbol(Record):
    __slots__ = ("name", "value", "size", "type", "bind", "shndx")

    def __init__(self, name: str, value: int, size: int, type: str, bind: str, shndx: int) -> None:  # noqa: A002
        self.name = name
        self.value = value
        self.size = size
        self.type = type  # "func", "object", "notype", ... ("type<N>" for types this reader has no name for)
        self.bind = bind  # "local", "global", "weak", ... ("bind<N>" likewise)
        self.shndx = shndx  # defining section index; 0 = undefined, >= 0xff00 = special (ABS, COMMON)

    @property
    def defined(self) -> bool:
        return self.shndx != SHN_UNDEF


class ElfFile:
    """An ELF64 little-endian file, parsed lazily: headers now, symbols on first use."""

    def __init__(self, path: str) -> None:
        self.path = path
        with open(path, "rb") as f:
            self._data = f.read()
        self._check_ident()
        self.sections = self._read_section_headers()
        self._by_name: dict[str, Section] = {}
        for sec in self.sections:
            self._by_name.setdefault(sec.name, sec)  # the first wins, like readelf's lookups
        self._symbols: list[Symbol] | None = None
        self._symbol_index: dict[str, Symbol] | None = None
        self._functions: list[Symbol] | None = None
        self._function_starts: list[int] | None = None

    # --- headers -----------------------------------------------------------------------

    def _check_ident(self) -> None:
        ident = self._data[:16]
        if len(ident) < 16 or ident[:4] != _ELF_MAGIC:
            raise ValueError(f"{self.path}: not an ELF file")
        if ident[4] != _ELFCLASS64:
            raise ValueError(f"{self.path}: only ELF64 is supported (EI_CLASS={ident[4]})")
        if ident[5] != _ELFDATA2LSB:
            raise ValueError(f"{self.path}: only little-endian ELF is supported (EI_DATA={ident[5]})")
        if len(self._data) < _EHDR.size:
            raise ValueError(f"{self.path}: truncated ELF header")

    def _read_section_headers(self) -> list[Section]:
        fields = _EHDR.unpack_from(self._data, 0)
        shoff, shentsize, shnum, shstrndx = fields[6], fields[11], fields[12], fields[13]
        if shoff == 0:
            return []  # stripped of section headers: nothing this reader can do
        if shentsize < _SHDR.size:
            raise ValueError(f"{self.path}: bad e_shentsize {shentsize}")
        raw = [self._raw_section_header(shoff + i * shentsize) for i in range(max(shnum, 1))]
        # More than 0xff00 sections: the real counts live in section header 0 (ELF spec "extended numbering").
        if shnum == 0:
            raw = [self._raw_section_header(shoff + i * shentsize) for i in range(raw[0][5])]
        if shstrndx == _SHN_XINDEX:
            shstrndx = raw[0][6] if raw else 0
        names = self._section_bytes_raw(raw[shstrndx]) if 0 < shstrndx < len(raw) else b""
        return [Section(_cstring(names, r[0]), *r[1:]) for r in raw]

    def _raw_section_header(self, offset: int) -> tuple[int, ...]:
        if offset + _SHDR.size > len(self._data):
            raise ValueError(f"{self.path}: section header table is truncated")
        # (name, type, flags, addr, offset, size, link, info, addralign, entsize) -> drop addralign
        r = _SHDR.unpack_from(self._data, offset)
        return (*r[:8], r[9])

    def _section_bytes_raw(self, r: tuple[int, ...]) -> bytes:
        off, size = r[4], r[5]
        return self._data[off:off + size]

    # --- sections ----------------------------------------------------------------------

    def section_header(self, name: str) -> Section | None:
        return self._by_name.get(name)

    def section(self, name: str) -> bytes | None:
        """The contents of section ``name`` (decompressed if SHF_COMPRESSED), or None if absent.

        SHT_NOBITS sections (.bss) occupy no file space; their contents at load
        time are zeros, so that is what is returned.
        """
        sec = self._by_name.get(name)
        if sec is None:
            return None
        return self.section_contents(sec)

    def section_contents(self, sec: Section) -> bytes:
        if sec.type == SHT_NOBITS:
            return bytes(sec.size)
        data = self._data[sec.offset:sec.offset + sec.size]
        if sec.flags & SHF_COMPRESSED:
            data = _decompress(data, sec.name)
        return data

    def executable_ranges(self) -> list[tuple[int, int]]:
        """[start, end) virtual address ranges of the code sections (to tell live code from dead debug info)."""
        return [(s.addr, s.addr + s.size) for s in self.sections if s.flags & SHF_EXECINSTR and s.flags & SHF_ALLOC]

    # --- symbols -----------------------------------------------------------------------

    def symbols(self) -> list[Symbol]:
        """All symbols of .symtab, or of .dynsym when the file was stripped."""
        if self._symbols is None:
            table = self._find_symbol_table()
            self._symbols = self._read_symbols(table) if table is not None else []
        return self._symbols

    def undefined_dynamic_symbols(self) -> list[str]:
        """Names the dynamic linker must find elsewhere (.dynsym entries without a section)."""
        table = next((sec for sec in self.sections if sec.type == SHT_DYNSYM), None)
        return [] if table is None else [s.name for s in self._read_symbols(table) if not s.defined and s.name]

    def _find_symbol_table(self) -> Section | None:
        for wanted in (SHT_SYMTAB, SHT_DYNSYM):
            for sec in self.sections:
                if sec.type == wanted:
                    return sec
        return None

    def _read_symbols(self, table: Section) -> list[Symbol]:
        strtab = self.section_contents(self.sections[table.link]) if 0 < table.link < len(self.sections) else b""
        data = self.section_contents(table)
        entsize = table.entsize or _SYM.size
        out: list[Symbol] = []
        for off in range(entsize, len(data) - _SYM.size + 1, entsize):  # entry 0 is the reserved null symbol
            name_off, info, _other, shndx, value, size = _SYM.unpack_from(data, off)
            stype, sbind = info & 0xF, info >> 4
            out.append(Symbol(
                _cstring(strtab, name_off), value, size,
                _SYMBOL_TYPES.get(stype) or f"type{stype}", _SYMBOL_BINDS.get(sbind) or f"bind{sbind}", shndx,
            ))
        return out

    def symbol(self, name: str) -> Symbol | None:
        """The symbol called ``name``; a defined global beats a weak one beats a local or undefined one."""
        if self._symbol_index is None:
            index: dict[str, Symbol] = {}
            for sym in self.symbols():
                old = index.get(sym.name)
                if old is None or _symbol_rank(sym) > _symbol_rank(old):
                    index[sym.name] = sym
            self._symbol_index = index
        return self._symbol_index.get(name)

    def read_symbol_bytes(self, name: str) -> bytes | None:
        """The ``size`` bytes at a data symbol's address, read from the file (not from memory).

        The symbol's virtual address is mapped to a file offset through the
        section that contains it.  None if the symbol is missing, undefined,
        or lies outside every section.
        """
        sym = self.symbol(name)
        if sym is None or not sym.defined:
            return None
        sec = self._section_holding(sym)
        if sec is None:
            return None
        start = sym.value - sec.addr
        if start < 0 or start + sym.size > sec.size:
            return None
        if sec.type == SHT_NOBITS:
            return bytes(sym.size)
        if sec.flags & SHF_COMPRESSED:
            return self.section_contents(sec)[start:start + sym.size]
        return self._data[sec.offset + start:sec.offset + start + sym.size]

    def _section_holding(self, sym: Symbol) -> Section | None:
        if 0 < sym.shndx < min(_SHN_LORESERVE, len(self.sections)):
            sec = self.sections[sym.shndx]
            if sec.contains_addr(sym.value):
                return sec
        for sec in self.sections:  # SHN_ABS or an inconsistent index: search by address
            if sec.contains_addr(sym.value):
                return sec
        return None

    def function_at(self, vaddr: int) -> Symbol | None:
        """The FUNC symbol whose [value, value+size) holds ``vaddr``; for a size-0 symbol, the nearest preceding."""
        if self._functions is None:
            self._index_functions()
        assert self._functions is not None and self._function_starts is not None
        i = bisect.bisect_right(self._function_starts, vaddr) - 1
        if i < 0:
            return None
        sym = self._functions[i]
        if sym.size == 0 or vaddr < sym.value + sym.size:
            return sym
        return None

    def _index_functions(self) -> None:
        # One symbol per start address: a sized global wins over local aliases of the same code.
        best: dict[int, Symbol] = {}
        for sym in self.symbols():
            if sym.type != "func" or not sym.defined or sym.shndx >= _SHN_LORESERVE:
                continue
            old = best.get(sym.value)
            if old is None or _function_rank(sym) > _function_rank(old):
                best[sym.value] = sym
        self._functions = [best[v] for v in sorted(best)]
        self._function_starts = sorted(best)


def _symbol_rank(sym: Symbol) -> tuple[bool, int]:
    return sym.defined, {"global": 2, "weak": 1}.get(sym.bind, 0)


def _function_rank(sym: Symbol) -> tuple[bool, int, bool]:
    # Prefer a symbol with a size (it can bound the lookup), then a local one: Zig's local
    # names are fully qualified ("mod.parse") where an export alias is the bare C name.
    return sym.size > 0, {"local": 2, "global": 1}.get(sym.bind, 0), "." in sym.name


def _cstring(table: bytes, offset: int) -> str:
    end = table.find(b"\0", offset)
    if end < 0:
        end = len(table)
    return table[offset:end].decode("utf-8", errors="replace")


def _decompress(data: bytes, name: str) -> bytes:
    if len(data) < _CHDR.size:
        raise ValueError(f"compressed section {name} is truncated")
    ch_type, _reserved, _ch_size, _ch_align = _CHDR.unpack_from(data, 0)
    if ch_type != _ELFCOMPRESS_ZLIB:
        raise ValueError(f"compressed section {name}: unsupported compression type {ch_type}")
    import zlib  # only debug sections built with --compress-debug-sections need it

    return zlib.decompress(data[_CHDR.size:])
