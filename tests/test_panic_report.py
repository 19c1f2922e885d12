"""zigimport.diagnostics.panic_report: the report text zig_core's panic handler asks Python for.

The end-to-end reports (real panics in real builds) are in tests/test_panics.py; these are the
cases a real panic rarely reaches: a binary Python cannot read, bytes that are not UTF-8, addresses
that are not a size_t array.
"""

from __future__ import annotations

import struct

from zigimport.diagnostics import zig_trace
from zigimport.diagnostics.panic_report import FOOTER, MERGED, panic_report


def _raw(*addresses: int) -> bytes:
    return struct.pack(f"{len(addresses)}N", *addresses)


def test_unreadable_binary_still_names_module_message_and_stack() -> None:
    text = panic_report("/nonexistent/m.so", "PyInit_m", 0x1000, _raw(0x7F0000001234, 0x7F0000005678), "pkg.m",
                        b"integer overflow")
    # No file:line to name: the message says why, and the addresses are listed outermost first.
    assert text == ("zig panic in module 'pkg.m': integer overflow\n" + MERGED +
                    "Zig stack (most recent call last):\n  0x7f0000005678\n  0x7f0000001234\n" + FOOTER)


def test_message_bytes_are_decoded_leniently() -> None:
    text = panic_report("/nonexistent/m.so", "PyInit_m", 0, _raw(), "m", b"bad \xff byte")
    assert text.startswith("zig panic in module 'm': bad \ufffd byte\n"), text
    assert "(no frames recorded)" in text and text.endswith(FOOTER)


def test_addresses_that_are_not_a_size_t_array() -> None:
    assert zig_trace.unpack_addresses(b"\x01\x02\x03") == []
    assert zig_trace.unpack_addresses(_raw(1, 2**63)) == [1, 2**63]
    assert zig_trace.format_raw_trace("/nonexistent", "anchor", 0, b"\x01") == zig_trace.HEADER + "\n  (no frames recorded)"
    assert zig_trace.format_raw_trace("/nonexistent", "anchor", 0, _raw(0xABC)) == zig_trace.HEADER + "\n  0xabc"
