"""Python text as Zig source literals: the one escaping rule the build and the code generators share.

Used by ``build/`` (the generated options and signature modules) and ``specialize/`` (the ``params``
module, a zetaclass's spec); never on the cache-hit path.

>>> zig_string('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
>>> zig_string(b"\\x00\\xff")
'"\\\\x00\\\\xff"'
"""

from __future__ import annotations

_BYTE_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}


def zig_string(text: str | bytes, *, lossy: bool = False) -> str:
    """A Zig string literal holding exactly *text* (a str as UTF-8): printable ASCII as is, every
    other byte escaped, so the literal is plain ASCII whatever the text holds.

    A str that is not valid Unicode (a lone surrogate) raises UnicodeEncodeError, unless *lossy*
    (text read from a source file: undecodable bytes round-trip, anything else becomes "?")."""
    if isinstance(text, str):
        if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
            return '"' + text + '"'  # the common case: an identifier or a path
        if not lossy:
            data = text.encode("utf-8")
        else:
            try:
                data = text.encode("utf-8", "surrogateescape")  # round-trips bytes a reader could not decode
            except UnicodeEncodeError:
                data = text.encode("utf-8", "replace")
    else:
        data = bytes(text)
    parts = []
    for b in data:
        if b in _BYTE_ESCAPES:
            parts.append(_BYTE_ESCAPES[b])
        elif 0x20 <= b < 0x7F:
            parts.append(chr(b))
        else:
            parts.append(f"\\x{b:02x}")
    return '"' + "".join(parts) + '"'
