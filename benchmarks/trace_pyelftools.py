"""A pyelftools-based symbolizer for Zig error return traces: the candidate measured by bench_trace.py.

It answers what zigimport.diagnostics.zig_trace.symbolize answers (function,
file, line, column per return address), as fast as pyelftools allows:

* the binary is parsed once per process (cached per path, like zig_trace),
* only the line program of the compile unit that holds the address is
  decoded (found through .debug_aranges when the binary has it, else the
  units' DW_AT_ranges / low_pc-high_pc), never the whole .debug_line,
* ``naive=True`` decodes every unit's program instead (the obvious use of the
  library), to show what the unit lookup buys.

File names are taken as pyelftools gives them (directory + name), without
zig_trace's search for where Zig's relative directories really are: that
part would stay ours either way.
"""

from __future__ import annotations

import bisect
import posixpath
from typing import Any

from elftools.elf.elffile import ELFFile

Location = tuple[str | None, int, int]


class Binary:
    def __init__(self, path: str, naive: bool = False) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - pyelftools reads lazily from the open file
        self.elf = ELFFile(self._file)
        self.dwarf = self.elf.get_dwarf_info()
        self.naive = naive
        self._starts: list[int] = []
        self._names: list[str] = []
        self._symbols: dict[str, int] | None = None
        self._cu_ranges: list[tuple[int, int, int]] | None = None  # (start, end, cu offset)
        self._tables: dict[int, tuple[Any, list[tuple[int, int, list[int], list[tuple[int, int, int]]]]]] = {}

    # --- symbols ------------------------------------------------------------------------

    def _index_symbols(self) -> None:
        table = self.elf.get_section_by_name(".symtab") or self.elf.get_section_by_name(".dynsym")
        best: dict[int, tuple[tuple[bool, int, bool], str]] = {}
        symbols: dict[str, int] = {}
        for sym in table.iter_symbols():
            if sym["st_shndx"] == "SHN_UNDEF":
                continue
            symbols.setdefault(sym.name, sym["st_value"])
            if sym["st_info"]["type"] != "STT_FUNC":
                continue
            rank = (sym["st_size"] > 0, {"STB_LOCAL": 2, "STB_GLOBAL": 1}.get(sym["st_info"]["bind"], 0), "." in sym.name)
            old = best.get(sym["st_value"])
            if old is None or rank > old[0]:
                best[sym["st_value"]] = (rank, sym.name)
        self._starts = sorted(best)
        self._names = [best[v][1] for v in self._starts]
        self._symbols = symbols

    def symbol_value(self, name: str) -> int:
        if self._symbols is None:
            self._index_symbols()
        assert self._symbols is not None
        return self._symbols[name]

    def function_at(self, pc: int) -> str | None:
        if self._symbols is None:
            self._index_symbols()
        i = bisect.bisect_right(self._starts, pc) - 1
        return self._names[i] if i >= 0 else None

    # --- lines --------------------------------------------------------------------------

    def _ranges(self) -> list[tuple[int, int, int]]:
        if self._cu_ranges is None:
            out: list[tuple[int, int, int]] = []
            aranges = self.dwarf.get_aranges()
            if aranges is not None:
                for entry in aranges.entries:
                    out.append((entry.begin_addr, entry.begin_addr + entry.length, entry.info_offset))
            else:
                lists = self.dwarf.range_lists()
                for cu in self.dwarf.iter_CUs():
                    attrs = cu.get_top_DIE().attributes
                    if "DW_AT_ranges" in attrs and lists is not None:
                        for r in lists.get_range_list_at_offset(attrs["DW_AT_ranges"].value, cu=cu):
                            if hasattr(r, "begin_offset"):
                                out.append((r.begin_offset, r.end_offset, cu.cu_offset))
                            elif hasattr(r, "start_address"):
                                out.append((r.start_address, r.start_address + r.length, cu.cu_offset))
                    elif "DW_AT_low_pc" in attrs and "DW_AT_high_pc" in attrs:
                        low, high = attrs["DW_AT_low_pc"].value, attrs["DW_AT_high_pc"]
                        end = high.value if high.form == "DW_FORM_addr" else low + high.value
                        out.append((low, end, cu.cu_offset))
            self._cu_ranges = [r for r in out if r[0] != 0]  # dead code: a tombstone at address 0
        return self._cu_ranges

    def _table(self, cu_offset: int) -> tuple[Any, list[tuple[int, int, list[int], list[tuple[int, int, int]]]]]:
        table = self._tables.get(cu_offset)
        if table is None:
            cu = self.dwarf.get_CU_at(cu_offset)
            program = self.dwarf.line_program_for_CU(cu)
            sequences: list[tuple[int, int, list[int], list[tuple[int, int, int]]]] = []
            addrs: list[int] = []
            rows: list[tuple[int, int, int]] = []
            for entry in program.get_entries():
                state = entry.state
                if state is None:
                    continue
                if state.end_sequence:
                    if addrs and addrs[0] != 0:
                        sequences.append((addrs[0], state.address, addrs, rows))
                    addrs, rows = [], []
                else:
                    addrs.append(state.address)
                    rows.append((state.file, state.line, state.column))
            table = self._tables[cu_offset] = (program, sequences)
        return table

    def _units_for(self, pc: int) -> list[int]:
        if self.naive:
            return [cu.cu_offset for cu in self.dwarf.iter_CUs()]
        return [cu for start, end, cu in self._ranges() if start <= pc < end]

    def lookup(self, pc: int) -> Location | None:
        for cu_offset in self._units_for(pc):
            program, sequences = self._table(cu_offset)
            for start, end, addrs, rows in sequences:
                if start <= pc < end:
                    row = bisect.bisect_right(addrs, pc) - 1
                    if row >= 0:
                        file, line, column = rows[row]
                        return _file_name(program, file), line, column
        return None


def _file_name(program: Any, index: int) -> str | None:
    entries = program["file_entry"]
    i = index if program.header.version >= 5 else index - 1
    if not 0 <= i < len(entries):
        return None
    entry = entries[i]
    name = entry.name.decode("utf-8", "replace")
    dirs = program["include_directory"]
    d = entry.dir_index if program.header.version >= 5 else entry.dir_index - 1
    if 0 <= d < len(dirs) and not name.startswith("/"):
        name = posixpath.join(dirs[d].decode("utf-8", "replace"), name)
    return name


_CACHE: dict[tuple[str, bool], Binary] = {}


def symbolize(path: str, anchor: str, anchor_runtime: int, addresses: list[int],
              naive: bool = False) -> list[tuple[str | None, str | None, int | None, int | None]]:
    binary = _CACHE.get((path, naive))
    if binary is None:
        binary = _CACHE[(path, naive)] = Binary(path, naive)
    bias = anchor_runtime - binary.symbol_value(anchor)
    out: list[tuple[str | None, str | None, int | None, int | None]] = []
    for addr in addresses:
        pc = addr - bias - 1
        loc = binary.lookup(pc)
        file, line, column = loc if loc is not None else (None, None, None)
        out.append((binary.function_at(pc), file, line or None, column or None))
    return out
