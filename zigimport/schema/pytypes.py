"""The Python type of a schema node, as text: a field's ``type_name`` (messages, repr) and the stub's annotations.

``attr`` mode is what reading an attribute gives (``list[Item]``, ``Item``); ``param`` mode what construction
and assignment accept (a nested class also as a mapping, an array as any sequence).
"""

from __future__ import annotations

from .spec import TYPE_NAMES, Node, Spec

_SCALARS = {"boolean": "bool", "integer": "int", "number": "float", "string": "str"}


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


# The names a type text uses, as spelled by default; stubs.py respells them where a class or attribute of the
# module would shadow one (a class named ``Sequence``, a property named ``str``).
NAMES = ("Any", "NoReturn", "Literal", "Mapping", "Sequence", "bool", "int", "float", "str", "list", "dict")
BARE: dict[str, str] = {n: n for n in NAMES}


def union(members: list[str], q: dict[str, str] = BARE) -> str:
    flat: list[str] = []
    for m in members:
        for part in (split_union(m) if " | " in m else (m,)):  # most members are one type
            if part not in flat:
                flat.append(part)
    any_, never, lit = q["Any"], q["NoReturn"], q["Literal"] + "["
    if any_ in flat:
        return any_
    if not flat:
        return never
    if len(flat) > 1 and never in flat:
        flat.remove(never)
    literals = [m for m in flat if m.startswith(lit)]
    if len(literals) > 1:  # Literal['a'] | Literal['b'] -> Literal['a', 'b']
        joined = lit + ", ".join(m[len(lit):-1] for m in literals) + "]"
        flat = [joined if m == literals[0] else m for m in flat if m == literals[0] or m not in literals]
    if "None" in flat:  # None last, as people write it
        flat.remove("None")
        flat.append("None")
    return " | ".join(flat)


def optional(t: str, q: dict[str, str] = BARE) -> str:
    """*t* or None (an optional field reads as None when absent)."""
    return t if t == q["Any"] or t == "None" or (" | " in t and "None" in split_union(t)) else f"{t} | None"


def py_type(spec: Spec, idx: int, mode: str, q: dict[str, str] = BARE, _visiting: frozenset[int] = frozenset()) -> str:
    """The Python type of ``spec.nodes[idx]`` in *mode* (``"attr"`` or ``"param"``), names spelled as *q* says."""
    n = spec.nodes[idx]
    if n.never:
        return q["NoReturn"]
    if n.class_ is None and idx in _visiting:
        return q["Any"]  # a recursive non-class schema (an array of itself)
    visiting = _visiting | {idx}
    if n.enum_python is not None:
        return union([_literal(v, q) for v in n.enum_python], q)
    if n.types is None:
        branches = n.any_of + n.one_of
        if branches:
            return union([py_type(spec, b, mode, q, visiting) for b in branches], q)
        for b in n.all_of:  # the first branch that says something
            t = py_type(spec, b, mode, q, visiting)
            if t != q["Any"]:
                return t
        if n.class_ is None:
            return q["Any"]
    allowed = [t for t in TYPE_NAMES if n.types is None or t in n.types]
    members = []
    for t in allowed:
        if t == "none":
            members.append("None")
        elif t in _SCALARS:
            members.append(q[_SCALARS[t]])
        elif t == "array":
            members.append(_array(spec, n, mode, q, visiting))
        elif n.class_ is not None:
            cname = spec.classes[n.class_].name
            name = q.get("class:" + cname, cname)  # stubs.py: an alias where an attribute shadows the class
            members.append(f"{name} | {q['Mapping']}[{q['str']}, {q['Any']}]" if mode == "param" else name)
        else:
            v = q["Any"] if n.values is None else py_type(spec, n.values, mode, q, visiting)
            members.append(f"{q['Mapping'] if mode == 'param' else q['dict']}[{q['str']}, {v}]")
    return union(members, q)


def _array(spec: Spec, n: Node, mode: str, q: dict[str, str], visiting: frozenset[int]) -> str:
    parts = [py_type(spec, i, mode, q, visiting) for i in n.prefix_items]
    if n.items is not None:
        parts.append(py_type(spec, n.items, mode, q, visiting))
    elif n.prefix_items:
        parts.append(q["Any"])  # items after the prefix: anything
    item = union(parts, q) if parts else q["Any"]
    return f"{q['Sequence']}[{item}]" if mode == "param" else f"{q['list']}[{item}]"


def _literal(v: object, q: dict[str, str]) -> str:
    if v is None:
        return "None"
    if isinstance(v, (bool, int, str)):
        return f"{q['Literal']}[{v!r}]"
    if isinstance(v, float):
        return q["float"]
    return f"{q['list']}[{q['Any']}]" if isinstance(v, list) else f"{q['dict']}[{q['str']}, {q['Any']}]"
