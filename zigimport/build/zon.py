"""A reader for ZON (Zig Object Notation) values, with the line of every value (build path only).

ZON is the subset of Zig literal syntax that ``build.zig.zon`` files use:
``.{ .name = value, ... }`` (a struct), ``.{ a, b }`` (a tuple), strings
(including ``\\\\`` multiline strings), numbers, character literals,
``true``/``false``/``null`` and enum literals (``.native``).  Zig has no
command that prints a ``.zon`` file as data, so zigimport reads it here; the
same tokenizer finds a build declaration and ``extern "lib"`` inside a Zig
source file (comments and strings never confuse it).

:func:`parse` reads a whole ``.zon`` file, :func:`tokenize` + :func:`parse_at`
a value inside Zig source.  Errors are :class:`ZonSyntaxError` with a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

__all__ = ["EnumLiteral", "Node", "Token", "ZonSyntaxError", "parse", "parse_at", "tokenize"]


class ZonSyntaxError(ValueError):
    """The text is not a ZON value; ``line`` is where reading stopped."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class EnumLiteral:
    """``.name`` outside a struct initializer."""

    name: str


Value = Union[str, int, float, bool, None, EnumLiteral, "dict[str, Node]", "list[Node]"]


@dataclass(frozen=True, slots=True)
class Node:
    """One value and the 1-based line it starts on (a struct is ``dict[str, Node]``, a tuple ``list[Node]``)."""

    value: Value
    line: int


@dataclass(frozen=True, slots=True)
class Token:
    """One Zig token: its kind, its decoded text and its line."""

    kind: str  # "str", "num", "char", "ident", "builtin", "punct"
    text: str  # the decoded string / identifier / punctuation
    line: int


_TOKEN_RE = re.compile(
    r"""
      (?P<nl>\n)
    | (?P<ws>[ \t\r\f\v]+)
    | (?P<comment>//[^\n]*)
    | \\\\(?P<mlstr>[^\n]*)
    | @"(?P<qident>(?:[^"\\\n]|\\.)*)"
    | "(?P<str>(?:[^"\\\n]|\\.)*)"
    | '(?P<char>(?:[^'\\\n]|\\.)+)'
    | (?P<builtin>@[A-Za-z_][A-Za-z0-9_]*)
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<num>[0-9](?:[eEpP][+-]|[A-Za-z0-9_.])*)
    | (?P<punct>\.\{|.)
    """,
    re.VERBOSE,
)
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", '"': '"'}


def _unescape(body: str, line: int) -> str:
    if "\\" not in body:
        return body
    out = bytearray()
    pos = 0
    for m in _ESCAPE_RE.finditer(body):
        out += body[pos:m.start()].encode("utf-8")
        pos = m.end()
        esc = m.group(1)
        if esc[0] == "x" and len(esc) == 3:
            out.append(int(esc[1:], 16))
        elif esc.startswith("u{"):
            out += chr(int(esc[2:-1], 16)).encode("utf-8")
        elif esc in _SIMPLE:
            out += _SIMPLE[esc].encode("utf-8")
        else:
            raise ZonSyntaxError(f"invalid escape sequence \\{esc} in a string", line)
    out += body[pos:].encode("utf-8")
    return out.decode("utf-8", "replace")


def tokenize(text: str) -> list[Token]:
    """Zig tokens of *text*; consecutive ``\\\\`` lines become one string token."""
    tokens: list[Token] = []
    line = 1
    last_ml = -2
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        assert kind is not None
        if kind == "nl":
            line += 1
        elif kind in ("ws", "comment"):
            pass
        elif kind == "mlstr":
            if tokens and tokens[-1].kind == "str" and last_ml == line - 1:
                prev = tokens.pop()
                tokens.append(Token("str", prev.text + "\n" + m.group("mlstr"), prev.line))
            else:
                tokens.append(Token("str", m.group("mlstr"), line))
            last_ml = line
        elif kind == "qident":
            tokens.append(Token("ident", _unescape(m.group("qident"), line), line))
        elif kind == "str":
            tokens.append(Token("str", _unescape(m.group("str"), line), line))
        elif kind == "char":
            tokens.append(Token("char", _unescape(m.group("char"), line), line))
        else:
            tokens.append(Token(kind, m.group(0), line))
    return tokens


def _number(text: str, line: int) -> int | float:
    clean = text.replace("_", "")
    try:
        if clean.startswith(("0x", "0o", "0b")) and "." not in clean and "p" not in clean.lower():
            return int(clean, 0)
        if any(c in clean for c in ".eE") and not clean.startswith("0x"):
            return float(clean)
        if clean.startswith("0x"):
            return float.fromhex(clean)
        return int(clean, 10)
    except ValueError:
        raise ZonSyntaxError(f"invalid number {text!r}", line) from None


def parse_at(tokens: list[Token], i: int) -> tuple[Node, int]:
    """The value starting at ``tokens[i]`` and the index after it."""
    if i >= len(tokens):
        raise ZonSyntaxError("expected a value, found the end of the file", tokens[-1].line if tokens else 1)
    tok = tokens[i]
    if tok.kind == "str":
        return Node(tok.text, tok.line), i + 1
    if tok.kind == "char":
        return Node(ord(tok.text[0]) if tok.text else 0, tok.line), i + 1
    if tok.kind == "num":
        return Node(_number(tok.text, tok.line), tok.line), i + 1
    if tok.kind == "punct" and tok.text == "-" and i + 1 < len(tokens) and tokens[i + 1].kind == "num":
        return Node(-_number(tokens[i + 1].text, tok.line), tok.line), i + 2
    if tok.kind == "ident" and tok.text in ("true", "false", "null"):
        return Node({"true": True, "false": False, "null": None}[tok.text], tok.line), i + 1
    if tok.kind == "punct" and tok.text == "." and i + 1 < len(tokens) and tokens[i + 1].kind == "ident":
        return Node(EnumLiteral(tokens[i + 1].text), tok.line), i + 2
    if tok.kind == "punct" and tok.text == ".{":
        return _aggregate(tokens, i)
    raise ZonSyntaxError(f"expected a ZON value (.{{...}}, a string, a number, true/false/null or .name), found {tok.text!r}", tok.line)


def _is(tokens: list[Token], i: int, text: str) -> bool:
    return i < len(tokens) and tokens[i].kind == "punct" and tokens[i].text == text


def _aggregate(tokens: list[Token], i: int) -> tuple[Node, int]:
    line = tokens[i].line
    i += 1
    if _is(tokens, i, "}"):
        return Node([], line), i + 1  # `.{}` is an empty tuple or struct: callers accept either
    is_struct = _is(tokens, i, ".") and i + 2 < len(tokens) and tokens[i + 1].kind == "ident" and _is(tokens, i + 2, "=")
    fields: dict[str, Node] = {}
    items: list[Node] = []
    while True:
        if is_struct:
            if not (_is(tokens, i, ".") and i + 2 < len(tokens) and tokens[i + 1].kind == "ident" and _is(tokens, i + 2, "=")):
                where = tokens[i].line if i < len(tokens) else line
                raise ZonSyntaxError("expected a field `.name = value` in a struct literal", where)
            name = tokens[i + 1].text
            if name in fields:
                raise ZonSyntaxError(f"duplicate field .{name}", tokens[i + 1].line)
            value, i = parse_at(tokens, i + 3)
            fields[name] = value
        else:
            value, i = parse_at(tokens, i)
            items.append(value)
        if _is(tokens, i, ","):
            i += 1
            if _is(tokens, i, "}"):
                break
            continue
        if _is(tokens, i, "}"):
            break
        where = tokens[i].line if i < len(tokens) else (tokens[-1].line if tokens else line)
        found = repr(tokens[i].text) if i < len(tokens) else "the end of the file"
        raise ZonSyntaxError(f"expected ',' or '}}' in a .{{...}} literal opened on line {line}, found {found}", where)
    return Node(fields if is_struct else items, line), i + 1


def parse(text: str) -> Node:
    """The single ZON value that makes up *text* (a ``.zon`` file)."""
    tokens = tokenize(text)
    node, i = parse_at(tokens, 0)
    if i != len(tokens):
        raise ZonSyntaxError(f"unexpected {tokens[i].text!r} after the value", tokens[i].line)
    return node
