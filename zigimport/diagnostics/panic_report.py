"""The text of a Zig panic report, composed in Python for zig_core's panic handler (zig_core/src/panic.zig).

The handler walks the Zig stack, takes the GIL and calls :func:`panic_report`; it passes the text to
``Py_FatalError``, which adds the Python traceback and ends the process.  Composing the report here
rather than in Zig keeps the text handling (trimming, searching, joining) out of every Debug and
ReleaseSafe build, where zig_core compiled it with safety checks (docs/build-performance.md)::

    zig panic in module 'm' at /src/m.zig:4:14: integer overflow
    Zig stack (most recent call last):
      /src/m.zig:9:12 in outer
      /src/m.zig:4:14 in add
    A Zig panic stops the process: ...

Never raises: on any failure the report still names the module and the message (the handler falls
back to that itself if even this module cannot be imported).
"""

from __future__ import annotations

from .zig_trace import format_trace, unpack_addresses

__all__ = ["panic_report"]

FOOTER = ("A Zig panic stops the process: it cannot unwind through Python (see zigimport's docs/panics.md).\n"
          "For failures that depend on input, return an error instead, e.g. std.math.add -> OverflowError.\n")
MERGED = ("(the optimizer merged this safety check with others, so its line is unknown; "
          "ZIG_RELEASEMODE=Debug names it)\n")


def panic_report(binary_path: str, anchor_symbol: str, anchor_runtime_addr: int, raw_addresses: bytes,
                 module_name: str, message: bytes) -> str:
    """The whole report: where (the innermost frame's file:line:column, when the binary says), the
    message, the Zig stack outermost first, and what a panic means for the process.

    ``raw_addresses`` are the return addresses innermost first, as the handler walked them, as the
    bytes of a native ``size_t`` array; ``message`` is the panic message's UTF-8 (decoded leniently:
    it may hold any bytes a ``@panic`` was given)."""
    head = f"zig panic in module '{module_name}'"
    text = message.decode("utf-8", "replace")
    try:
        stack = _stack(binary_path, anchor_symbol, anchor_runtime_addr, unpack_addresses(raw_addresses))
        where = _innermost(stack)
    except Exception:  # noqa: BLE001 - the report must still be made
        stack, where = "", ""
    # "file" alone: optimized code merged several checks of this kind into one call (line 0).
    has_line = ":" in where
    parts = [head, f" at {where}" if has_line else "", f": {text}\n", "" if has_line else MERGED]
    if stack:
        parts += ["Zig stack (most recent call last):\n", stack]
    parts.append(FOOTER)
    return "".join(parts)


def _stack(binary_path: str, anchor_symbol: str, anchor_runtime_addr: int, addresses: list[int]) -> str:
    """The symbolized frames, one per line, without format_trace's header (this is not an error trace)."""
    text = format_trace(binary_path, anchor_symbol, anchor_runtime_addr, addresses)
    body = text.split("\n", 1)[1] if "\n" in text else ""
    return body if not body or body.endswith("\n") else body + "\n"


def _innermost(stack: str) -> str:
    """"file:line:col" of the last (innermost) frame line, "  file:line:col in function"; "" if it has no source location."""
    lines = stack.rstrip("\n").split("\n")
    line = lines[-1].lstrip(" ") if lines else ""
    if line.startswith(("0x", "(")):
        return ""
    return line.split(" in ", 1)[0]
