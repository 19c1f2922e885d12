"""Write a built module's ``.pyi`` stub where type checkers and IDEs find it (build path only).

zig_core generates the stub at comptime from the real Zig signatures and
embeds it in the binary as the symbol ``zigimport_stub``; raw extensions
have none.  By default it goes beside the ``.zig`` source as ``<name>.pyi``
-- the one file zigimport writes into the user's tree -- and into the cache
entry when that folder is not writable (e.g. site-packages).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .. import log
from ..atomic_files import write_if_changed
from ..diagnostics.elf import ElfFile

if TYPE_CHECKING:
    from ..entry import Entry

STUB_SYMBOL = "zigimport_stub"


def stub_text(binary: str) -> str | None:
    """The stub embedded in *binary*, or None (a raw extension, or not an ELF file)."""
    try:
        data = ElfFile(binary).read_symbol_bytes(STUB_SYMBOL)
    except (OSError, ValueError):
        return None
    if data is None:
        return None
    return data.split(b"\0", 1)[0].decode("utf-8", errors="replace")


def write_stub(entry: Entry, binary: str) -> str | None:
    """Write the stub per ``entry.settings.stubs``; return where it went. Never raises."""
    mode = entry.settings.stubs
    if mode == "off":
        return None
    text = stub_text(binary)
    if text is None:
        return None
    beside = os.path.join(os.path.dirname(entry.source), entry.tail + ".pyi")
    in_cache = os.path.join(entry.dir, entry.tail + ".pyi")
    if mode == "source":
        if write_if_changed(beside, text):
            return beside
        log.info("cannot write the stub beside %s (folder not writable); wrote it to %s", entry.source, in_cache)
    return in_cache if write_if_changed(in_cache, text) else None
