"""The Zig compiler's diagnostics, rewritten the way the user should read them.

Imported only when a compile fails.  Zig reports an error where ``@compileError`` runs; for
errors zig_core raises about a user's declaration (an unsupported parameter type, say) that
is a line inside zig_core, and the same error comes once per path that reached it (the
function table and the stub both analyse each signature).  :func:`tidy`:

* prints each distinct error once (same place, same message);
* puts the user's file:line first for errors raised inside zig_core: the declaration the
  message names (``f(): ...`` -> ``pub fn f``, found with the scanner's line numbers), else
  the first place in the user's file that the error's notes mention (``py.module(...)``);
  zig_core's own location follows as a note;
* names types as they are written: an inferred error union is ``!T``, not
  ``@typeInfo(@typeInfo(@TypeOf(f)).@"fn".return_type.?).error_union.error_set!T``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..build.signature_scan import ContainerInfo

__all__ = ["tidy"]

_HEADER = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.*)$")
_LOCATION = re.compile(r"(?P<path>[^\s:()][^\s:()]*?\.zig):(?P<line>\d+):(?P<col>\d+)")
# How @typeName spells an inferred error set (it has no name): the reflection that reaches it.
_INFERRED_SET = re.compile(r'@typeInfo\(@typeInfo\(@TypeOf\([^()]*\)\)\.@"fn"\.return_type\.\?\)\.error_union\.error_set(?=!)')
# zig_core's messages about a declaration start with its name: "f(): ..." or "mod.Point: ...".
_FUNCTION_NAME = re.compile(r"^(?P<name>[A-Za-z_]\w*)\(\)")
_TYPE_NAME = re.compile(r"^(?P<name>[A-Za-z_][\w.]*\.[A-Za-z_]\w*)[:(]")


@dataclass
class _Block:
    """One error: its header line and everything up to the next error."""

    path: str
    line: int
    col: int
    message: str
    lines: list[str] = field(default_factory=list)


def tidy(text: str, *, source: str, info: ContainerInfo | None, zig_core_dir: str, cwd: str) -> str:
    """*text* (the compiler's output, run in *cwd*) with each error once and the user's place first."""
    text = _INFERRED_SET.sub("", text)
    preamble, blocks = _split(text)
    source_lines = _read_lines(source)
    out = list(preamble)
    seen: set[tuple[object, ...]] = set()
    for block in blocks:
        path = _resolve(block.path, cwd) if block.path else ""
        if path and _inside(path, zig_core_dir):
            place = _user_place(block, source, source_lines, info, cwd)
            # One zig_core check failing for one user declaration is one error, however many
            # paths reached it (their messages may differ in detail, e.g. a parameter's name).
            key: tuple[object, ...] = (path, block.line, block.col, place or block.message)
            lines = _point_at_user(block, place, source, source_lines, zig_core_dir, cwd)
        else:
            key = (path, block.line, block.col, block.message)
            lines = block.lines
        if key not in seen:
            seen.add(key)
            out.extend(lines)
    return "\n".join(out)


def _split(text: str) -> tuple[list[str], list[_Block]]:
    preamble: list[str] = []
    blocks: list[_Block] = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            blocks.append(_Block(m["path"], int(m["line"]), int(m["col"]), m["message"], [line]))
        elif line.startswith("error: "):  # no location (the linker, the command line): kept as is
            blocks.append(_Block("", 0, 0, line, [line]))
        elif blocks:
            blocks[-1].lines.append(line)
        else:
            preamble.append(line)
    return preamble, blocks


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return []


def _resolve(path: str, cwd: str) -> str:
    return os.path.realpath(os.path.join(cwd, path))


def _inside(path: str, folder: str) -> bool:
    folder = os.path.realpath(folder)
    return path == folder or path.startswith(folder + os.sep)


def _shown_path(path: str, cwd: str) -> str:
    """A path the way Zig prints it: relative to the compiler's cwd when under it."""
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith(os.pardir) else rel


def _user_place(block: _Block, source: str, source_lines: list[str], info: ContainerInfo | None,
                cwd: str) -> tuple[int, int] | None:
    return _declaration(block.message, source_lines, info) or _first_user_location(block, source, cwd)


def _point_at_user(block: _Block, place: tuple[int, int] | None, source: str, source_lines: list[str],
                   zig_core_dir: str, cwd: str) -> list[str]:
    if place is None:
        return block.lines
    line, col = place
    shown = _shown_path(os.path.realpath(source), cwd)
    message, hint = _split_hint(block.message)
    header = f"{shown}:{line}:{col}: error: {message}"
    out = [header]
    if 0 < line <= len(source_lines):
        text = source_lines[line - 1]
        out += [text, " " * (col - 1) + "^"]
    out.append(f"{block.path}:{block.line}:{block.col}: note: zig_core reports the error here")
    if hint:
        out.append(f"{shown}:{line}:{col}: note: {hint}")
    out.extend(_outside_zig_core(block.lines[1:], zig_core_dir, cwd))
    return out


# zig_core appends how to keep a pub fn out of Python to its errors about the fn's signature
# (signature.analyzeHinted, from module.zig signatureOf); @compileError has no notes, so the tidier makes it one.
_HINT = "; pub fns become Python functions: "


def _split_hint(message: str) -> tuple[str, str]:
    """*message* without zig_core's trailing hint, and the hint ('' if none)."""
    head, sep, rest = message.partition(_HINT)
    return (head, sep[2:] + rest) if sep else (message, "")


_NOTE = re.compile(r"^(?P<path>\S.*?):\d+:\d+: note: ")
_REFERENCE = re.compile(r"^\s+\S.*?: (?P<path>\S+?):\d+:\d+$")


def _outside_zig_core(lines: list[str], zig_core_dir: str, cwd: str) -> list[str]:
    """The notes (with their source excerpts) and reference-trace entries that are not zig_core's
    own call chain: those say how zig_core got there, which the user cannot change."""
    out: list[str] = []
    references: list[str] = []
    keep = False
    in_references = False
    for text in lines:
        if text == "referenced by:":
            in_references = True
            continue
        if in_references:
            m = _REFERENCE.match(text)
            if m and not _inside(_resolve(m["path"], cwd), zig_core_dir):
                references.append(text)
            continue
        m = _NOTE.match(text)
        if m:
            keep = not _inside(_resolve(m["path"], cwd), zig_core_dir)
        if keep:
            out.append(text)
    return out + (["referenced by:", *references] if references else [])


def _declaration(message: str, source_lines: list[str], info: ContainerInfo | None) -> tuple[int, int] | None:
    """(line, column) of the declaration the message names, if it is in the user's file."""
    m = _FUNCTION_NAME.match(message)
    if m:
        name = m["name"]
        line = _function_line(info, name) if info is not None else None
        if line is None:
            line = _find_line(source_lines, re.compile(rf"\bfn\s+{re.escape(name)}\s*\("))
        if line is not None:
            return line, _column(source_lines, line, rf"\bfn\s+({re.escape(name)})\b")
        return None
    m = _TYPE_NAME.match(message)
    if m:
        name = m["name"].rsplit(".", 1)[1]
        pattern = re.compile(rf"\bconst\s+{re.escape(name)}\b")
        line = _find_line(source_lines, pattern)
        if line is not None:
            return line, _column(source_lines, line, rf"\bconst\s+({re.escape(name)})\b")
    return None


def _function_line(info: ContainerInfo, name: str) -> int | None:
    """The line of `pub fn name`: the file's own functions first, then methods, depth first."""
    fn = info.functions.get(name)
    if fn is not None:
        return fn.line
    for inner in info.containers.values():
        line = _function_line(inner, name)
        if line is not None:
            return line
    return None


def _find_line(source_lines: list[str], pattern: re.Pattern[str]) -> int | None:
    for i, text in enumerate(source_lines, 1):
        if pattern.search(text):
            return i
    return None


def _column(source_lines: list[str], line: int, pattern: str) -> int:
    if 0 < line <= len(source_lines):
        m = re.search(pattern, source_lines[line - 1])
        if m:
            return m.start(1) + 1
    return 1


def _first_user_location(block: _Block, source: str, cwd: str) -> tuple[int, int] | None:
    """The first file:line:col in the block's notes and reference trace that is in the user's file."""
    target = os.path.realpath(source)
    for text in block.lines[1:]:
        for m in _LOCATION.finditer(text):
            if _resolve(m["path"], cwd) == target:
                return int(m["line"]), int(m["col"])
    return None
