"""Python values -> the text of a generated Zig ``params`` module.

The text is the canonical form of a parameter set: it is deterministic (a
``dict``'s keys are sorted; a dataclass keeps its field order, which Zig can
reflect), it is exactly what the compiler sees, and so it keys the cache entry
and the build.  Every value is checked here, so an unsupported one raises a
``TypeError`` naming its field (``params.shape[2]: ...``) before any compile.

How values map (docs/specialize.md has the full table)::

    int                      pub const n: comptime_int = 4;
    Annotated[int, "u8"]     pub const n: u8 = 4;          (range-checked: OverflowError)
    float                    pub const x: comptime_float = 0x1.8p+0;   (exact: hex literal)
    bool / None              pub const b: bool = true;  pub const nothing = null;
    str / bytes              pub const s: [:0]const u8 = "...";  pub const b: []const u8 = "...";
    enum.Enum member         pub const Color = enum(i64) { red = 1, ... };  pub const c: Color = .red;
    dataclass instance       pub const Point = struct { x: i64, y: f64 };  pub const p: Point = .{ ... };
    list / tuple             pub const shape: [3]comptime_int = .{ 2, 3, 4 };  (mixed items: a tuple)
    dict (nested)            pub const opts = .{ .a = 1 };  (an anonymous struct)
    ZigType("f32"), a dataclass or Enum class    pub const T: type = f32;
"""

from __future__ import annotations

import dataclasses
import enum
import math
import re
import struct
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from ..cache_key import digest
from ..zig_literal import zig_string

# ---- Zig names ----

_ZIG_KEYWORDS = frozenset("""
    addrspace align allowzero and anyframe anytype asm async await break callconv catch comptime const continue
    defer else enum errdefer error export extern fn for if inline linksection noalias noinline nosuspend opaque or
    orelse packed pub resume return struct suspend switch test threadlocal try union unreachable usingnamespace var
    volatile while
""".split())
_C_INTS = {"c_char": "b", "c_short": "h", "c_ushort": "H", "c_int": "i", "c_uint": "I", "c_long": "l",
           "c_ulong": "L", "c_longlong": "q", "c_ulonglong": "Q"}
_FLOATS = ("f16", "f32", "f64", "f80", "f128", "c_longdouble", "comptime_float")
_OTHER_PRIMITIVES = ("bool", "void", "type", "anyopaque", "noreturn", "anyerror", "comptime_int", "usize", "isize")
_INT_RE = re.compile(r"[iu](\d+)")
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _is_primitive(name: str) -> bool:
    m = _INT_RE.fullmatch(name)
    if m is not None:
        return int(m.group(1)) <= 65535
    return name in _C_INTS or name in _FLOATS or name in _OTHER_PRIMITIVES or name in ("true", "false", "null", "undefined")


def zig_identifier(name: str) -> str:
    """*name* as a Zig identifier: bare when it can be, else ``@"..."``."""
    if _IDENT_RE.fullmatch(name) and name not in _ZIG_KEYWORDS and not _is_primitive(name) and name != "_":
        return name
    return "@" + zig_string(name)


# ---- Zig type names chosen from Python ----

_TYPE_TOKENS = re.compile(r"\s*(@Vector|\[\*\]|\[\*:0\]|\[\]|\[:0\]|[A-Za-z_][A-Za-z0-9_]*|\d+|[?*\[\](),])")


class ZigType:
    """A Zig type chosen from Python: ``zigimport.ZigType("f32")`` as a parameter value gives
    ``pub const T: type = f32;``; as ``typing.Annotated`` metadata it sets a field's Zig type.

    The name is checked against Zig's type grammar (primitives such as ``u8``, ``f32``, ``bool``,
    ``usize``, ``c_int``; ``?T``, ``*T``, ``*const T``, ``[]const T``, ``[:0]const u8``, ``[N]T``,
    ``[*]T``, ``@Vector(N, T)``); anything else is a ``ValueError`` -- Zig code cannot be injected.
    """

    __slots__ = ("name", "_ty")

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"ZigType() argument must be a str naming a Zig type, not {type(name).__name__}")
        self._ty = _TypeParser(name).parse()
        self.name = self._ty.zig()

    def __repr__(self) -> str:
        return f"ZigType({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ZigType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("ZigType", self.name))


class _TypeParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[str] = []
        pos = 0
        stripped = text.rstrip()
        while pos < len(stripped):
            m = _TYPE_TOKENS.match(stripped, pos)
            if m is None:
                self.fail(f"unexpected {stripped[pos:].strip()[:1]!r}")
            self.tokens.append(m.group(1))
            pos = m.end()
        self.i = 0

    def fail(self, why: str) -> typing.NoReturn:
        raise ValueError(f"{self.text!r} is not a Zig type name zigimport accepts ({why}); use a primitive such as "
                         f"u8, i64, f32, bool, usize, or ?T, *const T, []const T, [:0]const u8, [N]T, @Vector(N, T)")

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, want: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            self.fail(f"expected {want or 'a type'}")
        self.i += 1
        return tok

    def parse(self) -> _Ty:
        ty = self.type_()
        if self.peek() is not None:
            self.fail(f"unexpected {self.peek()!r}")
        return ty

    def qualifiers(self) -> str:
        quals = []
        while self.peek() in ("const", "volatile", "allowzero"):
            quals.append(self.take())
        return "".join(q + " " for q in quals)

    def type_(self) -> _Ty:
        tok = self.take()
        if tok == "?":
            return _OptionalTy(self.type_())
        if tok in ("*", "[*]", "[*:0]"):
            quals = self.qualifiers()
            return _OpaqueTy(f"{tok}{quals}{self.type_().zig()}")
        if tok in ("[]", "[:0]"):
            quals = self.qualifiers()
            inner = self.type_()
            if quals == "const " and inner.zig() == "u8":
                return _StrTy() if tok == "[:0]" else _BytesTy()
            if quals == "const " and tok == "[]":
                return _SliceTy(inner)
            return _OpaqueTy(f"{tok}{quals}{inner.zig()}")
        if tok == "[":
            n = self.take()
            if not n.isdigit():
                self.fail("an array length must be a number")
            self.take("]")
            return _ArrayTy(self.type_(), int(n))
        if tok == "@Vector":
            self.take("(")
            n = self.take()
            if not n.isdigit():
                self.fail("a vector length must be a number")
            self.take(",")
            inner = self.type_()
            self.take(")")
            return _OpaqueTy(f"@Vector({int(n)}, {inner.zig()})")
        if not _is_primitive(tok) or tok in ("true", "false", "null", "undefined"):
            self.fail(f"{tok!r} is not a Zig primitive type")
        if tok == "comptime_int" or _INT_RE.fullmatch(tok) or tok in _C_INTS or tok in ("usize", "isize"):
            return _IntTy(tok)
        if tok in _FLOATS:
            return _FloatTy(tok)
        if tok == "bool":
            return _BoolTy()
        if tok == "type":
            return _TypeTy()
        return _OpaqueTy(tok)


# ---- types of values ----


class _Ctx:
    """Names and definitions of the struct and enum types a parameter set needs."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken  # the parameter names: a type may not shadow one
        self.names: dict[type, str] = {}
        self.defs: list[str] = []
        self.building: list[type] = []
        self.through_slice = 0  # > 0: a cycle back to a type being built goes through a slice (fine in Zig)

    def type_name(self, cls: type, path: str) -> str:
        name = self.names.get(cls)
        if name is not None:
            if cls in self.building and not self.through_slice:
                raise TypeError(f"{path}: {cls.__qualname__} contains itself by value; a Zig struct cannot")
            return name
        base = cls.__name__
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        self.names[cls] = name
        self.building.append(cls)
        try:
            self.defs.append(_enum_def(cls, name, path) if issubclass(cls, enum.Enum) else _struct_def(cls, name, path, self))
        finally:
            self.building.pop()
        return name


class _Ty:
    def zig(self, ctx: _Ctx | None = None) -> str:
        raise NotImplementedError

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        raise NotImplementedError


def _got(value: object) -> str:
    return type(value).__name__


class _IntTy(_Ty):
    def __init__(self, name: str) -> None:
        self.name = name
        m = _INT_RE.fullmatch(name)
        if m is not None:
            bits, signed = int(m.group(1)), name[0] == "i"
        elif name in _C_INTS:
            bits, signed = 8 * struct.calcsize(_C_INTS[name]), _C_INTS[name].islower()
        elif name in ("usize", "isize"):
            bits, signed = 8 * struct.calcsize("P"), name == "isize"
        else:
            bits, signed = 0, False  # comptime_int: unbounded
        self.range = None if name == "comptime_int" else (
            (-(1 << (bits - 1)) if bits else 0, (1 << (bits - 1)) - 1 if bits else 0) if signed else (0, (1 << bits) - 1))

    def zig(self, ctx: _Ctx | None = None) -> str:
        return self.name

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{path}: expected int for Zig {self.name}, got {_got(value)}")
        if isinstance(value, enum.Enum):
            value = int(value)
        if self.range is not None and not self.range[0] <= value <= self.range[1]:
            raise OverflowError(f"{path}: {value} is out of range for Zig {self.name} ({self.range[0]}..{self.range[1]})")
        return str(int(value))


class _FloatTy(_Ty):
    def __init__(self, name: str) -> None:
        self.name = name

    def zig(self, ctx: _Ctx | None = None) -> str:
        return self.name

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{path}: expected float for Zig {self.name}, got {_got(value)}")
        x = float(value)
        limit = _FLOAT_MAX.get(self.name)
        if limit is not None and math.isfinite(x) and abs(x) > limit:
            raise OverflowError(f"{path}: {x!r} is out of range for Zig {self.name} (largest {limit!r})")
        if math.isfinite(x):
            return x.hex()  # exact: Zig reads hex float literals bit for bit
        if self.name == "comptime_float":
            raise ValueError(f"{path}: {x} cannot be a comptime_float; annotate the field as Annotated[float, \"f64\"]")
        t = self.name
        if math.isnan(x):
            return f"@import(\"std\").math.nan({t})"
        return f"{'-' if x < 0 else ''}@import(\"std\").math.inf({t})"


_FLOAT_MAX = {"f16": 65504.0, "f32": 3.4028234663852886e38}


class _BoolTy(_Ty):
    def zig(self, ctx: _Ctx | None = None) -> str:
        return "bool"

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        if not isinstance(value, bool):
            raise TypeError(f"{path}: expected bool, got {_got(value)}")
        return "true" if value else "false"


class _StrTy(_Ty):
    def zig(self, ctx: _Ctx | None = None) -> str:
        return "[:0]const u8"

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{path}: expected str for Zig [:0]const u8, got {_got(value)}")
        try:
            return zig_string(value)
        except UnicodeEncodeError:
            raise ValueError(f"{path}: the str is not valid UTF-8 (it holds a lone surrogate)") from None


class _BytesTy(_Ty):
    def zig(self, ctx: _Ctx | None = None) -> str:
        return "[]const u8"

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        if isinstance(value, str):
            return _StrTy().render(value, path, ctx)
        if not isinstance(value, (bytes, bytearray)):
            raise TypeError(f"{path}: expected bytes for Zig []const u8, got {_got(value)}")
        return zig_string(bytes(value))


class _TypeTy(_Ty):
    def zig(self, ctx: _Ctx | None = None) -> str:
        return "type"

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        if isinstance(value, ZigType):
            return value.name
        if isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum)):
            return ctx.type_name(value, path)
        raise TypeError(f"{path}: expected a zigimport.ZigType, a dataclass or an Enum class for Zig type, got {value!r}")


class _OpaqueTy(_Ty):
    def __init__(self, text: str) -> None:
        self.text = text

    def zig(self, ctx: _Ctx | None = None) -> str:
        return self.text

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        raise TypeError(f"{path}: zigimport cannot write a Python value as a Zig {self.text}")


class _OptionalTy(_Ty):
    def __init__(self, inner: _Ty) -> None:
        self.inner = inner

    def zig(self, ctx: _Ctx | None = None) -> str:
        return "?" + self.inner.zig(ctx)

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        return "null" if value is None else self.inner.render(value, path, ctx)


def _items(value: object, path: str, what: str) -> Sequence[object]:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{path}: expected a list or tuple for Zig {what}, got {_got(value)}")
    return value


class _ArrayTy(_Ty):
    def __init__(self, inner: _Ty, n: int) -> None:
        self.inner, self.n = inner, n

    def zig(self, ctx: _Ctx | None = None) -> str:
        return f"[{self.n}]{self.inner.zig(ctx)}"

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        items = _items(value, path, self.zig(ctx))
        if len(items) != self.n:
            raise ValueError(f"{path}: expected {self.n} items for Zig {self.zig(ctx)}, got {len(items)}")
        return _literal([self.inner.render(v, f"{path}[{i}]", ctx) for i, v in enumerate(items)])


class _SliceTy(_Ty):
    def __init__(self, inner: _Ty) -> None:
        self.inner = inner

    def zig(self, ctx: _Ctx | None = None) -> str:
        return f"[]const {self.inner.zig(ctx)}"

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        items = _items(value, path, self.zig(ctx))
        body = ", ".join(self.inner.render(v, f"{path}[{i}]", ctx) for i, v in enumerate(items))
        return f"&[_]{self.inner.zig(ctx)}{{{(' ' + body + ' ') if body else ''}}}"


class _TupleTy(_Ty):
    def __init__(self, items: list[_Ty]) -> None:
        self.items = items

    def zig(self, ctx: _Ctx | None = None) -> str:
        return "struct { " + ", ".join(t.zig(ctx) for t in self.items) + " }"

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        items = _items(value, path, "tuple")
        if len(items) != len(self.items):
            raise ValueError(f"{path}: expected {len(self.items)} items, got {len(items)}")
        return _literal([t.render(v, f"{path}[{i}]", ctx) for i, (t, v) in enumerate(zip(self.items, items))])


class _ClassTy(_Ty):
    """A dataclass (a Zig struct) or an Enum (a Zig enum), named after the Python class."""

    def __init__(self, cls: type, path: str, ctx: _Ctx) -> None:
        self.cls = cls
        self.name = ctx.type_name(cls, path)

    def zig(self, ctx: _Ctx | None = None) -> str:
        return self.name

    def render(self, value: object, path: str, ctx: _Ctx) -> str:
        if type(value) is not self.cls:
            raise TypeError(f"{path}: expected {self.cls.__qualname__}, got {_got(value)}")
        if isinstance(value, enum.Enum):
            return "." + zig_identifier(_member_name(value, path))
        fields = dataclasses.fields(value)  # type: ignore[arg-type]
        hints = _hints(self.cls, path)
        parts = [f".{zig_identifier(f.name)} = {_field_ty(hints, f, f'{path}.{f.name}', ctx, top=False).render(getattr(value, f.name), f'{path}.{f.name}', ctx)}"
                 for f in fields]
        return ".{" + (" " + ", ".join(parts) + " " if parts else "") + "}"


def _literal(parts: list[str]) -> str:
    return ".{" + (" " + ", ".join(parts) + " " if parts else "") + "}"


def _member_name(member: enum.Enum, path: str) -> str:
    if member not in list(type(member)):
        raise TypeError(f"{path}: {member!r} is a combination of flags, not one member; Zig enums hold one")
    return member.name


def _enum_def(cls: type[enum.Enum], name: str, path: str) -> str:
    members = list(cls)
    if not members:
        raise TypeError(f"{path}: the Enum {cls.__qualname__} has no members")
    values = [m.value for m in members]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        lo, hi = min(values), max(values)
        bits = max(lo.bit_length(), hi.bit_length(), 1)
        tag = f"i{bits + 1}" if lo < 0 else f"u{bits}"
        tag = "i64" if bits <= 63 else tag
        body = ", ".join(f"{zig_identifier(m.name)} = {m.value}" for m in members)
        return f"pub const {zig_identifier(name)} = enum({tag}) {{ {body} }};"
    return f"pub const {zig_identifier(name)} = enum {{ {', '.join(zig_identifier(m.name) for m in members)} }};"


def _hints(cls: type, path: str) -> dict[str, object]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except Exception as exc:  # a forward reference that does not resolve, a bad annotation
        raise TypeError(f"{path}: cannot read the annotations of {cls.__qualname__}: {exc}") from None


def _struct_def(cls: type, name: str, path: str, ctx: _Ctx) -> str:
    hints = _hints(cls, path)
    lines = [f"pub const {zig_identifier(name)} = struct {{"]
    for f in dataclasses.fields(cls):
        where = f"{path}.{f.name}"
        ty = _field_ty(hints, f, where, ctx, top=False)
        default = ""
        if f.default is not dataclasses.MISSING:
            default = " = " + ty.render(f.default, f"{where} (default)", ctx)
        lines.append(f"    {zig_identifier(f.name)}: {ty.zig(ctx)}{default},")
    lines.append("};")
    return "\n".join(lines)


def _field_ty(hints: dict[str, object], f: dataclasses.Field[object], path: str, ctx: _Ctx, *, top: bool) -> _Ty:
    ann = hints.get(f.name, f.type)
    ty = _annotation_ty(ann, path, ctx, top=top)
    if ty is None:
        raise TypeError(f"{path}: a field annotated {_ann_name(ann)} cannot be a Zig struct field; annotate it "
                        f"with int, float, bool, str, bytes, an Enum, a dataclass, X | None, list[X] or tuple[...]")
    return ty


def _ann_name(ann: object) -> str:
    if typing.get_origin(ann) is None and isinstance(ann, type):
        return ann.__qualname__
    return repr(ann).replace("typing.", "")


def _annotation_ty(ann: object, path: str, ctx: _Ctx, *, top: bool) -> _Ty | None:
    """The Zig type an annotation asks for; None when it says nothing Zig can use (``Any``, ``object``)."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        for meta in ann.__metadata__:  # type: ignore[attr-defined]
            if isinstance(meta, ZigType):
                return meta._ty
            if isinstance(meta, str):
                try:
                    return ZigType(meta)._ty
                except ValueError as exc:
                    raise TypeError(f"{path}: {exc}") from None
        return _annotation_ty(typing.get_args(ann)[0], path, ctx, top=top)
    if origin is typing.Union or (sys.version_info >= (3, 10) and origin is types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1 and len(args) < len(typing.get_args(ann)):
            inner = _annotation_ty(args[0], path, ctx, top=top)
            return None if inner is None else _OptionalTy(inner)
        raise TypeError(f"{path}: the union {ann!r} has no Zig type; only X | None (an optional) does")
    if origin in (list, tuple, Sequence):
        item_anns = typing.get_args(ann)
        if origin is tuple and item_anns and item_anns[-1] is not Ellipsis:
            inner_tys = [_annotation_ty(a, f"{path}[{i}]", ctx, top=top) for i, a in enumerate(item_anns)]
            if any(t is None for t in inner_tys):
                return None
            return _TupleTy([t for t in inner_tys if t is not None])
        ctx.through_slice += 1
        try:
            inner = _annotation_ty(item_anns[0], f"{path}[]", ctx, top=top) if item_anns else None
        finally:
            ctx.through_slice -= 1
        return None if inner is None else _SliceTy(inner)
    if ann is bool:
        return _BoolTy()
    if ann is int:
        return _IntTy("comptime_int" if top else "i64")
    if ann is float:
        return _FloatTy("comptime_float" if top else "f64")
    if ann is str:
        return _StrTy()
    if ann is bytes:
        return _BytesTy()
    if ann is type or ann is ZigType:
        return _TypeTy()
    if isinstance(ann, type) and (issubclass(ann, enum.Enum) or dataclasses.is_dataclass(ann)):
        return _ClassTy(ann, path, ctx)
    if isinstance(ann, str):
        raise TypeError(f"{path}: the annotation {ann!r} is a string that does not resolve to a type")
    return None


# ---- inference for values without a usable annotation ----


def _infer(value: object, path: str, ctx: _Ctx) -> tuple[str | None, str]:
    """(Zig type or None for an untyped literal, Zig expression) for a top-level value."""
    if isinstance(value, bool):
        return "bool", _BoolTy().render(value, path, ctx)
    if isinstance(value, enum.Enum):
        ty = _ClassTy(type(value), path, ctx)
        return ty.name, ty.render(value, path, ctx)
    if isinstance(value, int):
        return "comptime_int", str(int(value))
    if isinstance(value, float):
        fty = _FloatTy("comptime_float" if math.isfinite(value) else "f64")
        return fty.name, fty.render(value, path, ctx)
    if isinstance(value, str):
        return "[:0]const u8", _StrTy().render(value, path, ctx)
    if isinstance(value, (bytes, bytearray)):
        return "[]const u8", _BytesTy().render(value, path, ctx)
    if value is None:
        return None, "null"
    if isinstance(value, ZigType) or (isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))):
        return "type", _TypeTy().render(value, path, ctx)
    if dataclasses.is_dataclass(value):
        cty = _ClassTy(type(value), path, ctx)
        return cty.name, cty.render(value, path, ctx)
    if isinstance(value, (list, tuple)):
        items = [_infer(v, f"{path}[{i}]", ctx) for i, v in enumerate(value)]
        tys = {t for t, _ in items}
        if tys == {"comptime_float", "f64"}:  # inf/nan among finite floats: all f64
            items = [("f64", e) for _, e in items]
            tys = {"f64"}
        if len(tys) == 1 and None not in tys:
            (elem,) = tys
            return f"[{len(items)}]{elem}", _literal([e for _, e in items])
        return None, _literal([_typed(t, e) for t, e in items])  # mixed items: a Zig tuple
    if isinstance(value, Mapping):
        parts = [f".{zig_identifier(k)} = {_typed(*_infer(v, f'{path}.{k}', ctx))}" for k, v in _sorted_items(value, path)]
        return None, _literal(parts)
    raise TypeError(f"{path}: zigimport cannot pass a {_got(value)} to Zig; use int, float, bool, str, bytes, None, "
                    f"an Enum member, a dataclass instance, a list or tuple of those, or zigimport.ZigType(...)")


def _typed(ty: str | None, expr: str) -> str:
    """*expr* keeping its type inside an untyped tuple or anonymous struct (a struct value stays a Point)."""
    return expr if ty is None else f"@as({ty}, {expr})"


def _sorted_items(mapping: Mapping[Any, object], path: str) -> list[tuple[str, object]]:
    for k in mapping:
        if not isinstance(k, str):
            raise TypeError(f"{path}: parameter names must be str, not {_got(k)} ({k!r})")
        if not k:
            raise ValueError(f"{path}: a parameter name cannot be empty")
    return sorted(mapping.items())


def _check_plain_annotation(ann: object, value: object, path: str) -> None:
    """A top-level dataclass field annotated with a plain class must hold one (dataclasses do not check)."""
    if typing.get_origin(ann) is not None or not isinstance(ann, type):
        return
    ok = isinstance(value, ann) or (ann is float and isinstance(value, int) and not isinstance(value, bool))
    if ann is int and isinstance(value, bool):
        ok = False
    if not ok and ann in (int, float, bool, str, bytes):
        raise TypeError(f"{path}: the field is annotated {ann.__name__}, but holds a {_got(value)}")


# ---- the module ----

_SAFE_LABEL = re.compile(r"[A-Za-z0-9_,=+\-']*")
MAX_LABEL = 120


class ParamSet:
    """A checked parameter set: the Zig module text (canonical form), its digest, and a readable label."""

    __slots__ = ("text", "digest", "label", "names")

    def __init__(self, text: str, label: str, names: tuple[str, ...]) -> None:
        self.text = text
        self.digest = digest(text.encode("utf-8"))
        self.label = label
        self.names = names

    def __repr__(self) -> str:
        return f"<ParamSet [{self.label}]>"


def _label_part(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, enum.Enum):
        return value.name if isinstance(value.name, str) and value.name.isidentifier() else None
    if isinstance(value, int):
        return str(value) if abs(value) < 10**12 else None
    if isinstance(value, str):
        return f"'{value}'" if value.isidentifier() and len(value) <= 24 else None
    if isinstance(value, ZigType):
        return value.name if value.name.isidentifier() else None
    return None


def make_label(items: list[tuple[str, object]], text_digest: str) -> str:
    """``n=4,use_simd=True`` when every value is short and plain, else ``#<digest>``: it goes into the module's
    name and its init symbol, so it holds no ``.`` and stays within CPython's limit."""
    parts = []
    for k, v in items:
        shown = _label_part(v)
        if shown is None or not k.isidentifier():
            return "#" + text_digest[:12]
        parts.append(f"{k}={shown}")
    label = ",".join(parts)
    if len(label) > MAX_LABEL or not _SAFE_LABEL.fullmatch(label):
        return "#" + text_digest[:12]
    return label


HEADER = "//! Generated by zigimport from Python parameter values. Do not edit.\n"


def param_set(params: object = None, extra: Mapping[str, object] | None = None, *, where: str = "params") -> ParamSet:
    """Check *params* (a dataclass instance, a mapping or None) merged with keyword arguments *extra* and
    render the Zig module.  Raises TypeError/ValueError/OverflowError naming the field."""
    items: list[tuple[str, object]] = []
    annotations: dict[str, tuple[dataclasses.Field[object], dict[str, object]]] = {}
    if params is None:
        pass
    elif dataclasses.is_dataclass(params) and not isinstance(params, type):
        hints = _hints(type(params), where)
        for f in dataclasses.fields(params):
            items.append((f.name, getattr(params, f.name)))
            annotations[f.name] = (f, hints)
    elif isinstance(params, Mapping):
        items.extend(_sorted_items(params, where))
    else:
        raise TypeError(f"{where} must be a dataclass instance or a dict of parameter values, not {_got(params)}")
    if extra:
        seen = {k for k, _ in items}
        for k, v in _sorted_items(extra, where):
            if k in seen:
                raise TypeError(f"got multiple values for parameter {k!r} (in {where} and as a keyword argument)")
            items.append((k, v))
        if not annotations:  # a dict and keywords: one set, however it was split
            items.sort(key=lambda kv: kv[0])
    ctx = _Ctx({k for k, _ in items})
    decls = []
    for name, value in items:
        path = f"{where}.{name}"
        ty: str | None
        if name in annotations:
            f, hints = annotations[name]
            ann = hints.get(name, f.type)
            annotated = _annotation_ty(ann, path, ctx, top=True) if typing.get_origin(ann) is typing.Annotated else None
            if annotated is not None:
                ty, expr = annotated.zig(ctx), annotated.render(value, path, ctx)
            else:
                _check_plain_annotation(ann, value, path)
                ty, expr = _infer(value, path, ctx)
        else:
            ty, expr = _infer(value, path, ctx)
        decls.append(f"pub const {zig_identifier(name)}{'' if ty is None else ': ' + ty} = {expr};")
    text = HEADER + "".join(d + "\n" for d in decls) + "".join(d + "\n" for d in ctx.defs)
    ps = ParamSet(text, "", tuple(k for k, _ in items))
    ps.label = make_label(items, ps.digest)
    return ps
