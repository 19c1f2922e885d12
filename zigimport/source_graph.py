"""The local files a Zig module is built from, found by parsing (build path only).

A module reaches other files through ``@import("path.zig")`` (or ``.zon``)
and ``@embedFile("path")``, both relative to the file that says them.
Names without an extension (``@import("std")``, ``@import("zig_core")``)
are modules supplied by the build, not files.  Comments and string
literals are skipped, so ``// @import("old.zig")`` is not a dependency.
A computed ``@embedFile(some_const)`` cannot be followed by parsing; it is
reported so the user knows edits to that file will not trigger a rebuild.
"""

from __future__ import annotations

import os
import re

from . import log
from .errors import ZigImportError

_TOKENS = re.compile(
    r"""
      //[^\n]*                                        # comment (also doc comments)
    | \\\\[^\n]*                                      # multiline string literal line
    | @(?P<builtin>import|embedFile)\s*\(\s*
        (?:"(?P<arg>(?:[^"\\\n]|\\.)*)"\s*\)|(?P<computed>))
    | "(?:[^"\\\n]|\\.)*"                             # string literal
    | '(?:[^'\\\n]|\\.)*'                             # char literal
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", '"': '"'}


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s

    def one(m: re.Match[str]) -> str:
        body = m.group(1)
        if body[0] in _ESCAPES:
            return _ESCAPES[body[0]]
        if body[0] == "x":
            return chr(int(body[1:3], 16))
        return chr(int(body[2:-1], 16))  # \u{...}

    return re.sub(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)", one, s)


def file_references(path: str, text: str) -> list[str]:
    """Absolute paths of the files *text* (the content of *path*) imports or embeds."""
    found: list[str] = []
    base = os.path.dirname(path)
    for m in _TOKENS.finditer(text):
        builtin = m.group("builtin")
        if builtin is None:
            continue
        if m.group("arg") is None:
            line = text.count("\n", 0, m.start()) + 1
            log.warning("%s:%d: @%s with a computed argument is not tracked; edits to that file will not trigger a rebuild",
                        path, line, builtin)
            continue
        target = _unescape(m.group("arg"))
        if builtin == "import" and not target.endswith((".zig", ".zon")):
            continue  # a named module (std, builtin, zig_core, ...)
        found.append(os.path.normpath(os.path.join(base, target)))
    return found


def local_files(root: str) -> list[str]:
    """*root* and every file it reaches, transitively, in discovery order.

    Missing targets are left out (the compiler reports them); the graph may
    have cycles (Zig allows files to import each other).
    """
    seen = {root}
    order = [root]
    i = 0
    while i < len(order):
        path = order[i]
        i += 1
        if "\n" in path:
            raise ZigImportError(f"zigimport cannot track a source file whose path contains a newline: {path!r}")
        if not path.endswith((".zig", ".zon")):
            continue  # embedded data is an input but not parsed
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        for ref in file_references(path, text):
            if ref not in seen and os.path.isfile(ref):
                seen.add(ref)
                order.append(ref)
    return order
