"""``@zetaclass``: a dataclass whose instances are a native type built by zig_core.

The decorator lets :func:`dataclasses.dataclass` do all of a dataclass's
semantics on the class as written (field collection and order, ``field()``,
``ClassVar``/``InitVar``, the errors for a mutable default or a misplaced
default, the hash rules, ``__match_args__``, ``__doc__``), then builds a native
type with the same fields (zetaclass_codegen.py -> zig_core/src/zetaclass.zig,
compiled and cached by generated.py) and moves the class body onto it: the
dataclass's construction, ``==``, ordering, ``hash``, ``repr`` and typed field
assignment become native; everything else (methods, properties, class and
static methods, ``__post_init__``, ``__dataclass_fields__``) is the class's own.

Only documented difference from ``@dataclass``: a value of the wrong type for a
field annotated ``int``/``float``/``bool``/``str``/``bytes``/a zetaclass (or
``X | None`` of those) raises ``TypeError`` -- at construction and assignment --
and an int outside the i64 range raises ``OverflowError``.
"""

from __future__ import annotations

import copyreg
import dataclasses
import sys
import types
import warnings

from . import generated
from .zetaclass_codegen import ClassSpec, FieldSpec, ParamSpec, render

TYPE_CHECKING = False  # typing costs milliseconds to import: only the type checker reads these
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, overload

    from typing_extensions import dataclass_transform

    _T = TypeVar("_T", bound=type)
else:
    def dataclass_transform(**kwargs):
        """typing.dataclass_transform's runtime effect (PEP 681), without importing typing."""
        def mark(f):
            f.__dataclass_transform__ = {"eq_default": True, "order_default": False, "kw_only_default": False,
                                         "frozen_default": False, "field_specifiers": (), "kwargs": {}, **kwargs}
            return f
        return mark

LAYOUT_ATTR = "__zetaclass_layout__"
_NATIVE_KINDS = {int: "int", float: "float", bool: "bool", str: "str", bytes: "bytes"}
_GC_FREE_KINDS = frozenset({"int", "float", "bool", "str", "bytes"})
_I64 = (-(2**63), 2**63 - 1)
# Class-body entries the native type answers itself (or that describe the Python class only).
_NEVER_COPIED = frozenset({"__dict__", "__weakref__", "__module__", "__qualname__", "__slots__"})


class Layout:
    """Where a zetaclass keeps things, read by a zetaclass that extends it."""

    __slots__ = ("slots", "nslots", "dict_slot", "weak_slot", "gc")

    def __init__(self, slots: dict[str, int], nslots: int, dict_slot: int | None, weak_slot: int | None, gc: bool) -> None:
        self.slots, self.nslots, self.dict_slot, self.weak_slot, self.gc = slots, nslots, dict_slot, weak_slot, gc

    def __repr__(self) -> str:
        return f"Layout(slots={self.slots}, nslots={self.nslots}, dict_slot={self.dict_slot}, weak_slot={self.weak_slot}, gc={self.gc})"


if TYPE_CHECKING:
    @overload
    def zetaclass(cls: _T, /) -> _T: ...
    @overload
    def zetaclass(*, init: bool = True, repr: bool = True, eq: bool = True, order: bool = False, unsafe_hash: bool = False,
                  frozen: bool = False, match_args: bool = True, kw_only: bool = False, slots: bool = False,
                  weakref_slot: bool = False) -> Callable[[_T], _T]: ...


@dataclass_transform(eq_default=True, order_default=False, kw_only_default=False, frozen_default=False,
                     field_specifiers=(dataclasses.field, dataclasses.Field))
def zetaclass(cls: _T | None = None, /, *, init: bool = True, repr: bool = True, eq: bool = True, order: bool = False,
              unsafe_hash: bool = False, frozen: bool = False, match_args: bool = True, kw_only: bool = False,
              slots: bool = False, weakref_slot: bool = False) -> _T | Callable[[_T], _T]:
    """Like :func:`dataclasses.dataclass` (same parameters), but the class becomes a native type.

    Construction, ``==``, ordering, ``hash``, ``repr`` and field assignment run
    natively; fields annotated ``int``, ``float``, ``bool``, ``str``, ``bytes``,
    another zetaclass, or ``X | None`` of those check what they are given
    (``TypeError``; ``OverflowError`` for an int outside i64).  The native type
    is compiled once per field spec and cached like any module.
    """
    options = _Options(init, repr, eq, order, unsafe_hash, frozen, match_args, kw_only, slots, weakref_slot)

    def wrap(c: _T) -> _T:
        return _build(c, options)  # type: ignore[return-value]

    return wrap if cls is None else wrap(cls)


class _Options:
    __slots__ = ("init", "repr", "eq", "order", "unsafe_hash", "frozen", "match_args", "kw_only", "slots", "weakref_slot")

    def __init__(self, init: bool, repr: bool, eq: bool, order: bool, unsafe_hash: bool, frozen: bool,
                 match_args: bool, kw_only: bool, slots: bool, weakref_slot: bool) -> None:
        self.init, self.repr, self.eq, self.order, self.unsafe_hash = init, repr, eq, order, unsafe_hash
        self.frozen, self.match_args, self.kw_only, self.slots, self.weakref_slot = frozen, match_args, kw_only, slots, weakref_slot


_MISSING: Any = dataclasses.MISSING


def _build(cls: type, o: _Options) -> type:
    if not isinstance(cls, type):
        raise TypeError(f"@zetaclass decorates a class, not {type(cls).__name__}")
    if type(cls) is not type:
        raise TypeError(f"zetaclass {cls.__qualname__}: a metaclass ({type(cls).__name__}) is not supported; "
                        "a zetaclass is a plain native type")
    if o.weakref_slot and not o.slots:
        raise TypeError("weakref_slot is True but slots is False")
    if "__slots__" in cls.__dict__:
        raise TypeError(f"zetaclass {cls.__qualname__}: the fields are already slots of the native type; "
                        "remove __slots__ (use @zetaclass(slots=True) for instances without __dict__)")
    base_layout = _check_bases(cls)
    before = dict(cls.__dict__)
    native_repr, native_eq, hash_mode = _dunder_plan(cls, before, o)
    # dataclasses does the field semantics; the dunders the native type provides are not
    # generated (each costs an exec: a full @dataclass takes ~1 ms, this ~0.2 ms).  Frozen
    # checks are dataclasses' own where a base is a dataclass, ours otherwise.
    dataclass_base = any(hasattr(b, "__dataclass_fields__") for b in cls.__mro__[1:])
    if o.frozen and not dataclass_base:
        for name in ("__setattr__", "__delattr__"):
            if name in before:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    user_doc = cls.__doc__
    if user_doc is None:
        cls.__doc__ = "-"  # (truthy) dataclasses would compute one with inspect.signature: we do that lazily
    dataclasses.dataclass(cls, init=o.init, repr=False, eq=False, order=False, unsafe_hash=False,
                          frozen=o.frozen and dataclass_base, match_args=o.match_args, kw_only=o.kw_only)
    after = cls.__dict__
    dc_params = after["__dataclass_params__"]
    dc_params.repr, dc_params.eq, dc_params.order, dc_params.unsafe_hash, dc_params.frozen = o.repr, o.eq, o.order, o.unsafe_hash, o.frozen
    if hasattr(dc_params, "slots"):  # 3.12+ records these too
        dc_params.slots, dc_params.weakref_slot = o.slots, o.weakref_slot

    def generated_here(name: str) -> bool:
        return name in after and after[name] is not before.get(name, _MISSING)

    all_fields: dict[str, dataclasses.Field[Any]] = after["__dataclass_fields__"]
    stored = [f for f in all_fields.values() if f._field_type is dataclasses._FIELD]  # type: ignore[attr-defined]
    init_like = [f for f in all_fields.values()
                 if f._field_type in (dataclasses._FIELD, dataclasses._FIELD_INITVAR) and f.init]  # type: ignore[attr-defined]
    param_fields = [f for f in init_like if not f.kw_only] + [f for f in init_like if f.kw_only]

    # ---- layout: inherited fields keep their slots; new ones, then __dict__/__weakref__, follow ----
    slot_of = dict(base_layout.slots) if base_layout else {}
    nslots = base_layout.nslots if base_layout else 0
    for f in stored:
        if f.name not in slot_of:
            slot_of[f.name] = nslots
            nslots += 1
    dict_slot = base_layout.dict_slot if base_layout else None
    weak_slot = base_layout.weak_slot if base_layout else None
    own_dict = own_weak = False
    if not o.slots and dict_slot is None:
        dict_slot, own_dict, nslots = nslots, True, nslots + 1
    if (not o.slots or o.weakref_slot) and weak_slot is None:
        weak_slot, own_weak, nslots = nslots, True, nslots + 1

    namespace = _AnnotationNamespace(cls)
    field_index = {f.name: i for i, f in enumerate(stored)}
    param_index = {f.name: j for j, f in enumerate(param_fields)}
    fields: list[FieldSpec] = []
    nested: list[object] = []
    field_defaults: list[object] = []
    gc = bool(base_layout and base_layout.gc) or dict_slot is not None
    for f in stored:
        kind, optional, type_name, nested_type = _kind_of(cls, f, namespace)
        default, default_obj = _default_of(f)
        if default == "value":
            _check_default(cls, f, kind, optional, type_name, nested_type, default_obj)
        if kind not in _GC_FREE_KINDS and not (kind == "nested" and not getattr(nested_type, LAYOUT_ATTR).gc):
            gc = True
        fields.append(FieldSpec(f.name, slot_of[f.name], kind, optional, param_index.get(f.name) if f.init else None,
                                default, bool(f.compare), bool(f.compare if f.hash is None else f.hash), bool(f.repr),
                                type_name, not o.slots and default == "value"))
        nested.append(nested_type)
        field_defaults.append(default_obj if default != "none" else None)
    params: list[ParamSpec] = []
    param_defaults: list[object] = []
    for f in param_fields:
        default, default_obj = _default_of(f)
        params.append(ParamSpec(f.name, field_index.get(f.name), bool(f.kw_only), default))
        param_defaults.append(default_obj if default != "none" else None)

    native_init = o.init and generated_here("__init__")
    native_order = o.order
    spec = ClassSpec(cls.__name__, cls.__qualname__, fields, params, nslots, dict_slot, weak_slot, own_dict, own_weak, gc,
                     native_init, native_repr, native_eq, native_order, o.frozen, hash_mode,
                     hasattr(cls, "__post_init__"))
    module = generated.load("zetaclass_" + _ascii_stem(cls.__name__), render(spec))
    bases = tuple(b for b in cls.__bases__ if b is not object)
    init_fn = after.get("__init__") if native_init else None
    with warnings.catch_warnings():
        # The spec names the type "Name", not "module.Name", so that CPython's messages say
        # 'Name' as a dataclass's do; __module__ is set right below.
        warnings.simplefilter("ignore", DeprecationWarning)
        native: type = module._create(bases, tuple(field_defaults), tuple(param_defaults), tuple(nested), init_fn)

    # ---- the class body, moved onto the native type ----
    skip = set(_NEVER_COPIED) | set(slot_of)
    if native_init:
        skip.add("__init__")
    if native_repr:
        skip.add("__repr__")
    if native_eq:
        skip.add("__eq__")
    if native_order:
        skip.update(("__lt__", "__le__", "__gt__", "__ge__"))
    if hash_mode != "inherit":
        skip.add("__hash__")
    if o.frozen:
        skip.update(("__setattr__", "__delattr__"))
    for name, value in after.items():
        if name in skip:
            continue
        setattr(native, name, value)
    native.__module__ = cls.__module__
    native.__qualname__ = cls.__qualname__
    native.__doc__ = user_doc if user_doc is not None else _LazyDoc(native)  # type: ignore[assignment]
    if hash_mode == "unhashable":
        native.__hash__ = None  # type: ignore[assignment]
    if o.frozen:
        native.__setattr__, native.__delattr__ = _frozen_methods(native, tuple(f.name for f in stored))  # type: ignore[method-assign]
    if o.slots:
        own_names = tuple(f.name for f in stored if not (base_layout and f.name in base_layout.slots))
        native.__slots__ = own_names + (("__weakref__",) if own_weak else ())  # type: ignore[attr-defined]
    native.__reduce__, native.__setstate__ = _pickling(native, tuple(slot_of))  # type: ignore[method-assign, attr-defined]
    native.__signature__ = _LazySignature(after.get("__init__"))  # type: ignore[attr-defined]
    setattr(native, LAYOUT_ATTR, Layout(slot_of, nslots, dict_slot, weak_slot, gc))
    for name, value in after.items():
        if name not in skip:
            _retarget_class_cell(value, cls, native)
            set_name = getattr(type(value), "__set_name__", None)
            if set_name is not None:
                set_name(value, native, name)
    return native


def _dunder_plan(cls: type, before: dict[str, Any], o: _Options) -> tuple[bool, bool, str]:
    """(native repr, native ==, hash mode) by dataclasses' rules, with its errors for a clash."""
    if o.order and not o.eq:
        raise ValueError("eq must be true if order is true")
    if o.order:
        for name in ("__lt__", "__le__", "__gt__", "__ge__"):
            if name in before:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                                "Consider using functools.total_ordering")
    # dataclasses' _hash_action table: (unsafe_hash, eq, frozen, class defines __hash__) -> action.
    class_hash = before.get("__hash__", _MISSING)
    explicit = not (class_hash is _MISSING or (class_hash is None and "__eq__" in before))
    if o.unsafe_hash:
        if explicit:
            raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
        hash_mode = "fields"
    elif not o.eq or explicit:
        hash_mode = "inherit"
    else:
        hash_mode = "fields" if o.frozen else "unhashable"
    return o.repr and "__repr__" not in before, o.eq and "__eq__" not in before, hash_mode


def _check_bases(cls: type) -> Layout | None:
    """The layout of the zetaclass *cls* extends, if any; other bases must add no instance layout."""
    layout: Layout | None = None
    for b in cls.__bases__:
        own = b.__dict__.get(LAYOUT_ATTR)
        if own is not None:
            if layout is not None:
                raise TypeError(f"zetaclass {cls.__qualname__}: it can extend only one zetaclass")
            layout = own
        elif b is not object and (b.__dictoffset__ or b.__weakrefoffset__ or b.__basicsize__ != object.__basicsize__):
            raise TypeError(f"zetaclass {cls.__qualname__}: its base {b.__qualname__} is not a zetaclass and has instance "
                            "state (a __dict__ or slots); a zetaclass can extend zetaclasses and classes with __slots__ = ()")
    return layout


def _ascii_stem(name: str) -> str:
    stem = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_" for ch in name)
    return stem[:40] or "cls"


class _AnnotationNamespace:
    """Where a string annotation is evaluated: the class's module, and the class's own name."""

    __slots__ = ("cls",)

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def eval(self, text: str) -> object:
        module = sys.modules.get(self.cls.__module__)
        return eval(text, module.__dict__ if module is not None else {}, {self.cls.__name__: self.cls})  # noqa: S307


def _resolve(annotation: object, namespace: _AnnotationNamespace) -> object:
    """A string annotation (``from __future__ import annotations``) evaluated like get_type_hints would."""
    if isinstance(annotation, str):
        try:
            return namespace.eval(annotation)
        except Exception:
            return _MISSING  # a forward reference not defined yet: stored as an object reference
    return annotation


def _is_annotation(a: object) -> bool:
    if a is None or isinstance(a, (type, str)) or a is _MISSING:
        return True
    mod = getattr(type(a), "__module__", "")
    return mod in ("typing", "types", "typing_extensions", "dataclasses") or hasattr(a, "__origin__") or callable(a)


def _kind_of(cls: type, f: dataclasses.Field[Any], namespace: _AnnotationNamespace) -> tuple[str, bool, str, object]:
    """(kind, optional, name for messages, nested type or None) of a field's annotation."""
    t = _resolve(f.type, namespace)
    if not _is_annotation(t) or (isinstance(t, str) and f.type is not t):
        raise TypeError(f"zetaclass {cls.__qualname__}: field {f.name!r} has the annotation {f.type!r}, which is not a type "
                        "(annotate it with a type, e.g. int, str, list[int] or typing.Any)")
    if hasattr(t, "__metadata__") and hasattr(t, "__origin__"):  # Annotated[X, ...] is X
        t = t.__origin__
    optional = False
    args = getattr(t, "__args__", None)
    if args is not None and (isinstance(t, types.UnionType) or getattr(t, "__origin__", None) is _typing_union()):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == len(args) - 1 and len(rest) == 1:
            optional, t = True, rest[0]
        else:
            return "any", False, "object", None
    suffix = " or None" if optional else ""
    if isinstance(t, type):
        kind = _NATIVE_KINDS.get(t)
        if kind is not None:
            return kind, optional, kind + suffix, None
        if LAYOUT_ATTR in t.__dict__:
            return "nested", optional, t.__qualname__ + suffix, t
    return "any", False, "object", None


def _typing_union() -> object:
    typing = sys.modules.get("typing")
    return getattr(typing, "Union", _MISSING)


def _default_of(f: dataclasses.Field[Any]) -> tuple[str, object]:
    if f.default_factory is not _MISSING:
        return "factory", f.default_factory
    if f.default is not _MISSING:
        return "value", f.default
    return "none", None


def _check_default(cls: type, f: dataclasses.Field[Any], kind: str, optional: bool, type_name: str,
                   nested_type: object, value: object) -> None:
    """A default the field could not hold is an error now, not at the first construction."""
    if kind == "any" or (optional and value is None):
        return
    ok = {
        "int": lambda v: isinstance(v, int) or (hasattr(type(v), "__index__") and not isinstance(v, float)),
        "float": lambda v: isinstance(v, (int, float)),
        "bool": lambda v: type(v) is bool,
        "str": lambda v: isinstance(v, str),
        "bytes": lambda v: isinstance(v, bytes),
        "nested": lambda v: isinstance(v, nested_type),  # type: ignore[arg-type]
    }[kind](value)
    if not ok:
        raise TypeError(f"zetaclass {cls.__qualname__}: field {f.name!r} is {type_name}, but its default {value!r} "
                        f"is {type(value).__name__}")
    if kind == "int" and not _I64[0] <= int(value) <= _I64[1]:  # type: ignore[call-overload]
        raise OverflowError(f"zetaclass {cls.__qualname__}: field {f.name!r} is int (64-bit), but its default {value!r} "
                            "is out of range")


def _frozen_methods(native: type, names: tuple[str, ...]) -> tuple[Callable[..., None], Callable[..., None]]:
    """``__setattr__``/``__delattr__`` of a frozen dataclass, for the native type (Python-level, so
    ``object.__setattr__`` in ``__post_init__`` still works, as for a dataclass)."""
    error = dataclasses.FrozenInstanceError

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is native or name in names:
            raise error(f"cannot assign to field {name!r}")
        super(native, self).__setattr__(name, value)  # type: ignore[arg-type]

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is native or name in names:
            raise error(f"cannot delete field {name!r}")
        super(native, self).__delattr__(name)  # type: ignore[arg-type]

    __setattr__.__qualname__ = f"{native.__qualname__}.__setattr__"
    __delattr__.__qualname__ = f"{native.__qualname__}.__delattr__"
    return __setattr__, __delattr__


def _pickling(native: type, names: tuple[str, ...]) -> tuple[Callable[..., Any], Callable[..., None]]:
    """``__reduce__``/``__setstate__``: the set fields (and an instance ``__dict__``) by name.
    Restoring writes the slots through their member descriptors: no checks, no frozen error,
    no ``__init__`` or ``__post_init__`` (as for pickled dataclasses)."""
    descriptors = tuple((n, native.__dict__[n]) for n in names)
    unset = object()

    def __reduce__(self: Any) -> tuple[Any, ...]:
        values = {n: v for n, d in descriptors if (v := _get(d, self, unset)) is not unset}
        extra = getattr(self, "__dict__", None)
        return (copyreg.__newobj__, (type(self),), (values, dict(extra) if extra else None))  # type: ignore[attr-defined]

    def __setstate__(self: Any, state: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
        values, extra = state
        for n, d in descriptors:
            if n in values:
                d.__set__(self, values[n])
        if extra:
            self.__dict__.update(extra)

    return __reduce__, __setstate__


def _get(descriptor: Any, obj: object, unset: object) -> object:
    try:
        return descriptor.__get__(obj, type(obj))
    except AttributeError:
        return unset


def _retarget_class_cell(value: object, old: type, new: type) -> None:
    """Point the ``__class__`` cell of a method (zero-argument ``super()``) at the native type."""
    for f in (value, getattr(value, "__func__", None), getattr(value, "fget", None), getattr(value, "fset", None),
              getattr(value, "fdel", None)):
        code = getattr(f, "__code__", None)
        closure = getattr(f, "__closure__", None)
        if code is None or not closure:
            continue
        for name, cell in zip(code.co_freevars, closure):
            if name == "__class__" and cell.cell_contents is old:
                cell.cell_contents = new


class _LazyDoc:
    """``Cls.__doc__`` when the class has none: ``"Name(x: int, y: float = 0.0)"`` as dataclasses
    writes it, computed on first use (type.__doc__ calls a descriptor found in the type's dict)."""

    __slots__ = ("cls", "text")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.text: str | None = None

    def __get__(self, obj: object, owner: type | None = None) -> str:
        if self.text is None:
            try:
                sig = str(self.cls.__signature__).replace(" -> None", "")  # type: ignore[attr-defined]
            except (TypeError, ValueError):
                sig = ""
            self.text = self.cls.__name__ + sig
        return self.text


class _LazySignature:
    """``Cls.__signature__``: the dataclass ``__init__``'s signature without ``self``, computed
    on first use (inspect is not imported at decoration time)."""

    __slots__ = ("init", "sig")

    def __init__(self, init: object) -> None:
        self.init = init
        self.sig: object = None

    def __get__(self, obj: object, owner: type | None = None) -> object:
        if obj is not None:
            raise AttributeError("__signature__")
        if self.sig is None and self.init is not None:
            import inspect

            full = inspect.signature(self.init)  # type: ignore[arg-type]
            self.sig = full.replace(parameters=list(full.parameters.values())[1:])
        return self.sig
