"""The Python type of a schema node, as text: a field's ``type_name`` (messages, repr) and the stub's annotations.

``attr`` mode is what reading an attribute gives (``list[Item]``, ``Item``); ``param`` mode what construction
and assignment accept (a nested class also as a mapping, an array as any sequence).
"""

from __future__ import annotations

from .spec import TYPE_NAMES, Node, Spec

_SCALARS = {"none": "None", "boolean": "bool", "integer": "int", "number": "float", "string": "str"}


def split_union(t: str) -> list[str]:
    """The top-level members of a union text (``"list[int | None] | str"`` -> two)."""
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    i = 0
    while i < len(t):
        ch = t[i]
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if depth == 0 and t.startswith(" | ", i):
            out.append("".join(cur))
            cur = []
            i += 3
            continue
        cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def union(members: list[str]) -> str:
    flat: list[str] = []
    for m in members:
        for part in split_union(m):
            if part not in flat:
                flat.append(part)
    if "Any" in flat:
        return "Any"
    if not flat:
        return "NoReturn"
    if len(flat) > 1 and "NoReturn" in flat:
        flat.remove("NoReturn")
    literals = [m for m in flat if m.startswith("Literal[")]
    if len(literals) > 1:  # Literal['a'] | Literal['b'] -> Literal['a', 'b']
        joined = "Literal[" + ", ".join(m[8:-1] for m in literals) + "]"
        flat = [joined if m == literals[0] else m for m in flat if m == literals[0] or m not in literals]
    if "None" in flat:  # None last, as people write it
        flat.remove("None")
        flat.append("None")
    return " | ".join(flat)


def optional(t: str) -> str:
    """*t* or None (an optional field reads as None when absent)."""
    return t if t == "Any" or "None" in split_union(t) else f"{t} | None"


def py_type(spec: Spec, idx: int, mode: str, _visiting: frozenset[int] = frozenset()) -> str:
    """The Python type of ``spec.nodes[idx]`` in *mode* (``"attr"`` or ``"param"``)."""
    n = spec.nodes[idx]
    if n.never:
        return "NoReturn"
    if n.class_ is None and idx in _visiting:
        return "Any"  # a recursive non-class schema (an array of itself)
    visiting = _visiting | {idx}
    if n.enum_python is not None:
        return union([_literal(v) for v in n.enum_python])
    if n.types is None:
        branches = n.any_of + n.one_of
        if branches:
            return union([py_type(spec, b, mode, visiting) for b in branches])
        for b in n.all_of:  # the first branch that says something
            t = py_type(spec, b, mode, visiting)
            if t != "Any":
                return t
        if n.class_ is None:
            return "Any"
    allowed = [t for t in TYPE_NAMES if n.types is None or t in n.types]
    members = []
    for t in allowed:
        if t in _SCALARS:
            members.append(_SCALARS[t])
        elif t == "array":
            members.append(_array(spec, n, mode, visiting))
        elif n.class_ is not None:
            name = spec.classes[n.class_].name
            members.append(f"{name} | Mapping[str, Any]" if mode == "param" else name)
        else:
            v = "Any" if n.values is None else py_type(spec, n.values, mode, visiting)
            members.append(f"{'Mapping' if mode == 'param' else 'dict'}[str, {v}]")
    return union(members)


def _array(spec: Spec, n: Node, mode: str, visiting: frozenset[int]) -> str:
    parts = [py_type(spec, i, mode, visiting) for i in n.prefix_items]
    if n.items is not None:
        parts.append(py_type(spec, n.items, mode, visiting))
    elif n.prefix_items:
        parts.append("Any")  # items after the prefix: anything
    item = union(parts) if parts else "Any"
    return f"Sequence[{item}]" if mode == "param" else f"list[{item}]"


def _literal(v: object) -> str:
    if v is None:
        return "None"
    if isinstance(v, (bool, int, str)):
        return f"Literal[{v!r}]"
    if isinstance(v, float):
        return "float"
    return "list[Any]" if isinstance(v, list) else "dict[str, Any]"
