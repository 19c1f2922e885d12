"""Python names from schema names (SCHEMA_SPEC.md section 4): class names, attribute names, module names.

>>> camel("line_items"), camel("order customer"), camel("lineItems"), camel("2fa")
('LineItems', 'OrderCustomer', 'LineItems', '_2fa')
>>> attr_name("first-name"), attr_name("class"), attr_name("1st"), attr_name("to_json")
('first_name', 'class_', '_1st', 'to_json_')
>>> module_name("Line Item"), module_name("OrderV2")
('line_item', 'order_v2')
"""

from __future__ import annotations

import keyword

# Attributes every schema class has (SCHEMA_SPEC.md section 3): a property of that name gets a trailing "_".
RESERVED = frozenset({"to_json", "to_dict", "from_json", "from_json_array", "from_json_lines", "from_dict"})


def _words(text: str) -> list[str]:
    words, cur = [], []
    for ch in text:
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return words


def _identifier(text: str, empty: str) -> str:
    if not text:
        return empty
    if not text[0].isidentifier():  # a leading digit
        text = "_" + text
    if not text.isidentifier():  # a character isalnum() accepts but identifiers do not (rare: e.g. '²')
        text = "".join(ch if ("a" + ch).isidentifier() else "_" for ch in text)
    return text


def camel(text: str) -> str:
    """A class name: the words of *text* with their first letters upper-cased (the rest kept)."""
    return _identifier("".join(w[0].upper() + w[1:] for w in _words(text)), "Schema")


def attr_name(key: str) -> str:
    """The Python attribute for the JSON property *key*: non-identifier characters become ``_``; a keyword or a
    method name of the class gets a trailing ``_``."""
    if key.isidentifier():
        name = key
    else:
        name = _identifier("".join(ch if ("a" + ch).isidentifier() else "_" for ch in key), "_")
    if keyword.iskeyword(name) or name in RESERVED or (name.startswith("__") and name.endswith("__")):
        name += "_"
    return name


def module_name(title: str) -> str:
    """A module name from a schema's ``title``: snake_case words."""
    out: list[str] = []
    for w in _words(title):
        part = []
        for i, ch in enumerate(w):
            if ch.isupper() and i and (w[i - 1].islower() or w[i - 1].isdigit()):
                part.append("_")
            part.append(ch.lower())
        out.append("".join(part))
    name = _identifier("_".join(out), "schema")
    return name + "_" if keyword.iskeyword(name) else name


def file_stem(filename: str) -> str:
    """``person.zig.json`` -> ``person``; ``address.schema.json`` -> ``address``."""
    base = filename.rsplit("/", 1)[-1]
    for suffix in (".zig.json", ".schema.json", ".json"):
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base
