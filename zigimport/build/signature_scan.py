"""Function parameter names and doc comments, read from Zig source text (build path only).

Zig cannot reflect parameter names or doc comments at comptime, so the
builder scans the module's source here and hands the result to the Zig
binding library as a generated Zig file (:func:`render_zig`).

This is a scanner, not a parser: it tokenizes the text (so comments,
string, char and multiline string literals never confuse it), matches
brackets, and then looks only at the tokens at the top level of each
container body.  Everything in brackets that is not a declaration it wants
(function bodies, ``test``/``comptime`` blocks, field types, initializers)
is jumped over whole.  Source the compiler would reject is not reported
here: whatever cannot be read is skipped, and the compiler's own error is
what the user sees.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..zig_literal import zig_string

__all__ = ["ContainerInfo", "FnInfo", "render_zig", "scan", "scan_file"]


@dataclass(slots=True)
class FnInfo:
    """A ``pub fn`` declaration."""

    name: str
    doc: str | None  # the ``///`` block right above, markers stripped; None if there is none
    params: list[str]  # every parameter's name, in order
    line: int  # 1-based line of the ``fn`` keyword


@dataclass(slots=True)
class ContainerInfo:
    """The file itself, or a struct/union/enum/opaque body bound to a ``pub const``."""

    doc: str | None = None  # the ``//!`` lines that open the body
    functions: dict[str, FnInfo] = field(default_factory=dict)
    containers: dict[str, ContainerInfo] = field(default_factory=dict)
    decl_docs: dict[str, str] = field(default_factory=dict)  # ``///`` docs of ``pub const``/``pub var``
    # ``pub const`` declarations initialized by a call to a function named ``class``
    # (``py.class(...)``): zig_core makes those Python classes (Zig cannot tell them from
    # plain structs: py.class returns its argument unchanged).
    classes: list[str] = field(default_factory=list)
    # ``pub const`` declarations initialized by ``py.submodule(...)``: Python submodules.
    submodules: list[str] = field(default_factory=list)
    # ``py.submodule(@import("path.zig"))``: the path, whose file :func:`scan_file` scans.
    submodule_imports: dict[str, str] = field(default_factory=dict)


# --- tokens ------------------------------------------------------------------

_IDENT, _QIDENT, _DOC, _CDOC, _STR, _PUNCT = "ident", "qident", "doc", "cdoc", "str", "punct"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str  # identifier name (unescaped for @"..."), doc text, or the punctuation itself
    line: int


# Alternation order matters: `////` is a plain comment in Zig, so it must
# win over `///`; a lone `"` or `'` (truncated source) falls through to the
# unterminated-string or punctuation cases instead of failing.
_TOKEN_RE = re.compile(
    r"""
      (?P<nl>\n)
    | (?P<ws>[ \t\r\f\v]+)
    | (?P<comment>////[^\n]*)
    | ///(?P<doc>[^\n]*)
    | //!(?P<cdoc>[^\n]*)
    | (?P<comment2>//[^\n]*)
    | (?P<mlstr>\\\\[^\n]*)
    | @"(?P<qident>(?:[^"\\\n]|\\.)*)"
    | (?P<str>"(?:[^"\\\n]|\\.)*"|"[^\n]*)
    | (?P<char>'(?:[^'\\\n]|\\.)+')
    | (?P<builtin>@[A-Za-z_][A-Za-z0-9_]*)
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<num>[0-9][A-Za-z0-9_]*)
    | (?P<op><<=|>>=|[=!<>+\-*/%&|^]=|=>)
    | (?P<other>.)
    """,
    re.VERBOSE,
)

_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\", "'": b"'", '"': b'"'}


def _unescape(body: str) -> str:
    """The value of a Zig string body: escapes give bytes, read back as UTF-8.

    Bytes that are not UTF-8 survive as surrogate escapes, so :func:`render_zig`
    writes back exactly the bytes the source had.
    """
    if "\\" not in body:
        return body
    out = bytearray()
    pos = 0
    for m in _ESCAPE_RE.finditer(body):
        out += body[pos:m.start()].encode("utf-8", "surrogateescape")
        pos = m.end()
        esc = m.group(1)
        if esc[0] == "x" and len(esc) == 3:
            out.append(int(esc[1:], 16))
        elif esc.startswith("u{"):
            cp = int(esc[2:-1], 16)
            # Zig rejects surrogates and out-of-range code points; keep the text as written.
            ok = cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF
            out += chr(cp).encode("utf-8") if ok else m.group(0).encode("utf-8")
        else:
            out += _SIMPLE_ESCAPES.get(esc, m.group(0).encode("utf-8", "surrogateescape"))
    out += body[pos:].encode("utf-8", "surrogateescape")
    return out.decode("utf-8", "surrogateescape")


def _strip_doc_marker(rest: str) -> str:
    """A doc line's text: the ``///`` or ``//!`` is already gone; drop ONE following space."""
    return rest[1:] if rest.startswith(" ") else rest


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    line = 1
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "nl":
            line += 1
        elif kind in ("ws", "comment", "comment2"):
            pass
        elif kind == "doc":
            tokens.append(_Token(_DOC, _strip_doc_marker(m.group("doc")), line))
        elif kind == "cdoc":
            tokens.append(_Token(_CDOC, _strip_doc_marker(m.group("cdoc")), line))
        elif kind == "qident":
            tokens.append(_Token(_QIDENT, _unescape(m.group("qident")), line))
        elif kind == "ident":
            tokens.append(_Token(_IDENT, m.group(0), line))
        elif kind == "str":
            body = m.group("str")
            # Only @import paths are read; an unterminated literal has no value.
            ok = len(body) >= 2 and body.endswith('"')
            tokens.append(_Token(_STR, _unescape(body[1:-1]) if ok else "", line))
        elif kind in ("mlstr", "char"):
            tokens.append(_Token(_STR, "", line))  # the value never matters, only that it is opaque
        else:
            tokens.append(_Token(_PUNCT, m.group(0), line))
    return tokens


_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


def _match_brackets(tokens: list[_Token]) -> list[int]:
    """For each bracket token, the index of its partner; -1 for unbalanced ones and non-brackets."""
    match = [-1] * len(tokens)
    stack: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.kind != _PUNCT:
            continue
        if tok.text in _OPENERS:
            stack.append(i)
        elif tok.text in _CLOSERS:
            opener = _CLOSERS[tok.text]
            # Broken source: close whatever this bracket closes, leaving the
            # openers it skips unmatched; a stray closer matches nothing.
            for depth in range(len(stack) - 1, -1, -1):
                if tokens[stack[depth]].text == opener:
                    match[stack[depth]] = i
                    match[i] = stack[depth]
                    del stack[depth:]
                    break
    return match


# --- structure -----------------------------------------------------------------

_FN_MODIFIERS = frozenset({"export", "extern", "inline", "noinline", "threadlocal"})
_CONTAINER_KEYWORDS = frozenset({"struct", "union", "enum", "opaque"})
_PARAM_PREFIXES = frozenset({"comptime", "noalias"})
# Deeper nesting than this is not real code; stop before Python's recursion limit.
_MAX_DEPTH = 100
_COMMA = frozenset({","})
_SEMI = frozenset({";"})
_EQ_OR_SEMI = frozenset({"=", ";"})


class _Scanner:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.match = _match_brackets(self.tokens)

    def _is(self, i: int, end: int, kind: str, text: str | None = None) -> bool:
        if i >= end:
            return False
        tok = self.tokens[i]
        return tok.kind == kind and (text is None or tok.text == text)

    def _name_at(self, i: int, end: int) -> str | None:
        """The identifier at *i* (plain or ``@"..."``), if there is one."""
        if i < end and self.tokens[i].kind in (_IDENT, _QIDENT):
            return self.tokens[i].text
        return None

    def _next(self, i: int, end: int) -> int:
        """The index after the token at *i*, jumping over a whole bracketed group."""
        tok = self.tokens[i]
        if tok.kind == _PUNCT and tok.text in _OPENERS:
            partner = self.match[i]
            # An unclosed bracket swallows the rest of the range: what follows
            # it is inside it, as far as the compiler is concerned.
            return partner + 1 if 0 <= partner < end else end
        return i + 1

    def _find_top_level(self, i: int, end: int, texts: frozenset[str]) -> int:
        """Index of the first punctuation in *texts* at this bracket depth, or *end*."""
        while i < end:
            tok = self.tokens[i]
            if tok.kind == _PUNCT and tok.text in texts:
                return i
            i = self._next(i, end)
        return end

    def container(self, start: int, end: int, depth: int) -> ContainerInfo:
        """Scan the declarations in tokens[start:end], a container body without its braces."""
        info = ContainerInfo()
        cdoc: list[str] = []
        i = start
        while i < end and self.tokens[i].kind == _CDOC:
            cdoc.append(self.tokens[i].text)
            i += 1
        info.doc = "\n".join(cdoc) if cdoc else None

        doc_lines: list[str] = []
        doc_last = -1
        while i < end:
            tok = self.tokens[i]
            if tok.kind == _DOC:
                if not doc_lines or tok.line != doc_last + 1:
                    doc_lines = []  # a gap starts a new block; only the nearest one can attach
                doc_lines.append(tok.text)
                doc_last = tok.line
                i += 1
                continue
            # Only a block ending on the line right above attaches: a blank or
            # comment line in between detaches it.
            doc = "\n".join(doc_lines) if doc_lines and doc_last == tok.line - 1 else None
            doc_lines = []
            if tok.kind == _IDENT and tok.text == "pub":
                i = self._declaration(i + 1, end, doc, info, depth)
            else:
                i = self._next(i, end)
        return info

    def _declaration(self, i: int, end: int, doc: str | None, info: ContainerInfo, depth: int) -> int:
        """Record the declaration after ``pub``; return where the container scan resumes.

        The scan resumes right after the declared name, so the rest of the
        declaration (parameters, type, body, initializer) is jumped over as
        ordinary bracketed groups and can never be mistaken for a declaration.
        """
        while self._is(i, end, _IDENT) and self.tokens[i].text in _FN_MODIFIERS:
            i += 1
            if self.tokens[i - 1].text == "extern" and self._is(i, end, _STR):
                i += 1  # extern "c"
        if self._is(i, end, _IDENT, "fn"):
            fn = self._function(i, end, doc)
            if fn is not None:
                info.functions[fn.name] = fn
            return i + 1
        if self._is(i, end, _IDENT, "const") or self._is(i, end, _IDENT, "var"):
            name = self._name_at(i + 1, end)
            if name is None:
                return i + 1
            if doc is not None:
                info.decl_docs[name] = doc
            if self.tokens[i].text == "const":
                if self._calls_class(i + 2, end):
                    info.classes.append(name)
                elif self._calls(i + 2, end, "submodule"):
                    info.submodules.append(name)
                    imported = self._imported_path(i + 2, end)
                    if imported is not None:
                        info.submodule_imports[name] = imported
                body = self._container_body(i + 2, end)
                if body is not None and depth < _MAX_DEPTH:
                    info.containers[name] = self.container(body[0], body[1], depth + 1)
            return i + 2
        return i

    def _function(self, fn_at: int, end: int, doc: str | None) -> FnInfo | None:
        name = self._name_at(fn_at + 1, end)
        lparen = fn_at + 2
        if name is None or not self._is(lparen, end, _PUNCT, "("):
            return None
        rparen = self.match[lparen]
        if not lparen < rparen < end:
            return None  # truncated parameter list
        params = self._params(lparen + 1, rparen)
        return FnInfo(name=name, doc=doc, params=params, line=self.tokens[fn_at].line)

    def _params(self, start: int, end: int) -> list[str]:
        names: list[str] = []
        i = start
        while i < end:
            comma = self._find_top_level(i, end, _COMMA)
            name = self._param_name(i, comma)
            if name is not None:
                names.append(name)
            i = comma + 1
        return names

    def _param_name(self, i: int, end: int) -> str | None:
        """The name in one parameter, ``[comptime|noalias] name: Type``; None for ``...`` or a bare type."""
        while self._is(i, end, _DOC):
            i += 1  # parameters may carry their own doc comments
        while self._is(i, end, _IDENT) and self.tokens[i].text in _PARAM_PREFIXES:
            i += 1
        name = self._name_at(i, end)
        if name is not None and self._is(i + 1, end, _PUNCT, ":"):
            return name
        return None

    def _calls_class(self, i: int, end: int) -> bool:
        """Whether the initializer after the name at *i* is ``[a.b.]class(...)``."""
        return self._calls(i, end, "class")

    def _calls(self, i: int, end: int, function: str) -> bool:
        """Whether the initializer after the name at *i* is ``[a.b.]<function>(...)``."""
        eq = self._find_top_level(i, end, _EQ_OR_SEMI)
        if not self._is(eq, end, _PUNCT, "="):
            return False
        k = eq + 1
        last = None
        while self._is(k, end, _IDENT):
            last = self.tokens[k].text
            if not self._is(k + 1, end, _PUNCT, "."):
                break
            k += 2
        return last == function and self._is(k + 1, end, _PUNCT, "(")

    def _imported_path(self, i: int, end: int) -> str | None:
        """The path in an initializer ``...submodule(@import("path.zig"))``, if it is one."""
        eq = self._find_top_level(i, end, _EQ_OR_SEMI)
        stop = self._find_top_level(eq + 1, end, _SEMI)
        for k in range(eq + 1, stop - 3):
            if (self._is(k, stop, _PUNCT, "@import") and self._is(k + 1, stop, _PUNCT, "(")
                    and self._is(k + 2, stop, _STR) and self._is(k + 3, stop, _PUNCT, ")")):
                return self.tokens[k + 2].text
        return None

    def _container_body(self, i: int, end: int) -> tuple[int, int] | None:
        """The first container body in a const's initializer, as a token range without braces.

        *i* is just past the const's name; an optional ``: Type`` comes before
        the ``=``, and is not looked into.
        """
        eq = self._find_top_level(i, end, _EQ_OR_SEMI)
        if not self._is(eq, end, _PUNCT, "="):
            return None
        stop = self._find_top_level(eq + 1, end, _SEMI)
        for k in range(eq + 1, stop):
            tok = self.tokens[k]
            if tok.kind != _IDENT or tok.text not in _CONTAINER_KEYWORDS:
                continue
            brace = k + 1
            if self._is(brace, stop, _PUNCT, "("):  # union(enum), enum(u8), packed struct(u32)
                brace = self.match[brace] + 1 if self.match[brace] > brace else stop
            if self._is(brace, stop, _PUNCT, "{") and brace < self.match[brace] < stop:
                return brace + 1, self.match[brace]
        return None


def _normalize(text: str) -> str:
    """Drop a BOM and CRLF line ends, so lines and doc text are the same on every platform."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


def scan(text: str) -> ContainerInfo:
    """The ``pub`` functions, containers and docs of a Zig source file's text."""
    scanner = _Scanner(_normalize(text))
    return scanner.container(0, len(scanner.tokens), 0)


def scan_file(path: str, *, _depth: int = 0) -> ContainerInfo:
    """:func:`scan` of the file at *path*, with the files of ``py.submodule(@import("x.zig"))``
    scanned as those submodules' bodies (paths relative to the importing file)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        info = scan(f.read())
    _scan_imported_submodules(info, os.path.dirname(path), _depth)
    return info


def _scan_imported_submodules(info: ContainerInfo, folder: str, depth: int) -> None:
    for sub in info.containers.values():
        _scan_imported_submodules(sub, folder, depth)
    if depth >= _MAX_DEPTH:
        return
    for name, rel in info.submodule_imports.items():
        if not rel.endswith(".zig"):
            continue  # a build-supplied module (no file of ours to read)
        try:
            info.containers[name] = scan_file(os.path.join(folder, rel), _depth=depth + 1)
        except OSError:
            pass  # the compiler reports the missing file


# --- rendering -----------------------------------------------------------------

_FNINFO_DECL = "pub const FnInfo = struct { doc: ?[:0]const u8, params: []const [:0]const u8, line: u32 };"
# Inside the namespaces a user's own `FnInfo` function or container would shadow the type.
_FNINFO_ALIAS_NAME = "__zigimport_FnInfo"
_FNINFO_ALIAS = f"const {_FNINFO_ALIAS_NAME} = FnInfo;"


def _zig_ident(name: str) -> str:
    return "@" + zig_string(name, lossy=True)


def _optional(s: str | None) -> str:
    return "null" if s is None else zig_string(s, lossy=True)


def _namespace(name: str, lines: list[str], indent: str) -> list[str]:
    if not lines:
        return [f"{indent}pub const {name} = struct {{}};"]
    return [f"{indent}pub const {name} = struct {{", *lines, f"{indent}}};"]


def _render_fn(fn: FnInfo) -> str:
    params = ", ".join(zig_string(p, lossy=True) for p in fn.params)
    params = f"&.{{ {params} }}" if params else "&.{}"
    return f".{{ .doc = {_optional(fn.doc)}, .params = {params}, .line = {fn.line} }}"


def _render_container(info: ContainerInfo, depth: int) -> list[str]:
    """The four declarations describing *info*, indented for nesting level *depth*."""
    indent = "    " * depth
    inner = indent + "    "
    docs = [f"{inner}pub const {_zig_ident(n)}: [:0]const u8 = {zig_string(d, lossy=True)};" for n, d in info.decl_docs.items()]
    fns = [f"{inner}pub const {_zig_ident(n)}: {_FNINFO_ALIAS_NAME} = {_render_fn(f)};" for n, f in info.functions.items()]
    subs: list[str] = []
    for n, sub in info.containers.items():
        subs += _namespace(_zig_ident(n), _render_container(sub, depth + 2), inner)
    classes = [f"{inner}pub const {_zig_ident(n)} = {{}};" for n in info.classes]
    submodules = [f"{inner}pub const {_zig_ident(n)} = {{}};" for n in info.submodules]
    return [
        f"{indent}pub const __doc__: ?[:0]const u8 = {_optional(info.doc)};",
        *_namespace("__classes__", classes, indent),
        *(_namespace("__submodules__", submodules, indent) if submodules else []),
        *_namespace("__decl_docs__", docs, indent),
        *_namespace("__functions__", fns, indent),
        *_namespace("__containers__", subs, indent),
    ]


def render_zig(info: ContainerInfo) -> str:
    """Zig source declaring ``FnInfo`` and ``source_info``, the scanned *info* of a file."""
    lines = [_FNINFO_DECL, _FNINFO_ALIAS, *_namespace("source_info", _render_container(info, 1), "")]
    return "\n".join(lines) + "\n"
