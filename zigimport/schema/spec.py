"""Python mirrors of zig_core's ``schema.Spec`` types (SCHEMA_SPEC.md section 1; zig_core/src/schema/spec.zig).

resolve.py fills them, codegen.py renders them as Zig text and stubs.py reads them.  Field names and
defaults are the Zig ones, so codegen writes only what differs from a default.  Plain ``__slots__`` classes:
they are built on every import of a schema module (the cache-hit path too), so they must be cheap.
"""

from __future__ import annotations

TYPE_NAMES = ("none", "boolean", "integer", "number", "string", "array", "object")
# JSON Schema type name -> the Types field
JSON_TYPES = {"null": "none", "boolean": "boolean", "integer": "integer", "number": "number", "string": "string",
              "array": "array", "object": "object"}

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Node:
    """One schema, by index in ``Spec.nodes``; references to other schemas are indices."""

    __slots__ = ("pointer", "never", "types", "enum_values", "min_length", "max_length", "pattern", "format",
                 "minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "multiple_of", "prefix_items", "items",
                 "min_items", "max_items", "unique_items", "class_", "values", "min_properties", "max_properties",
                 "all_of", "any_of", "one_of", "not_", "enum_python", "is_const", "exact")

    def __init__(self, pointer: str) -> None:
        self.pointer = pointer
        self.never = False
        self.types: frozenset[str] | None = None  # None: `type` absent, every type
        self.enum_values: list[str] | None = None  # canonical JSON texts
        self.enum_python: list[Any] | None = None  # the same values as Python objects (for the stub's Literal)
        self.min_length: int | None = None
        self.max_length: int | None = None
        self.pattern: int | None = None
        self.format = "none"
        self.minimum: float | None = None
        self.maximum: float | None = None
        self.exclusive_minimum: float | None = None
        self.exclusive_maximum: float | None = None
        self.multiple_of: float | None = None
        self.is_const = False  # enum_values came from `const` (reported as rule `const`)
        # integral bounds a double cannot hold: attribute ("maximum") -> the exact int
        self.exact: dict[str, int] = {}
        self.prefix_items: list[int] = []
        self.items: int | None = None
        self.min_items: int | None = None
        self.max_items: int | None = None
        self.unique_items = False
        self.class_: int | None = None
        self.values: int | None = None
        self.min_properties: int | None = None
        self.max_properties: int | None = None
        self.all_of: list[int] = []
        self.any_of: list[int] = []
        self.one_of: list[int] = []
        self.not_: int | None = None

    def accepts(self, type_name: str) -> bool:
        """Whether the node's own ``type`` allows *type_name* (a Types field name)."""
        return not self.never and (self.types is None or type_name in self.types)


class Field:
    """One property of a class."""

    __slots__ = ("attr", "key", "node", "required", "default", "type_name", "doc", "pointer")

    def __init__(self, attr: str, key: str, node: int, required: bool, default: str | None, doc: str | None,
                 pointer: str) -> None:
        self.attr, self.key, self.node, self.required, self.default, self.doc = attr, key, node, required, default, doc
        self.pointer = pointer  # where the property is (for messages; not rendered)
        self.type_name = ""  # filled once every node is known (resolve.py)


class Class:
    """One generated class: an object schema with ``properties`` (or ``required``)."""

    __slots__ = ("name", "qualname", "pointer", "doc", "fields", "additional", "additional_node", "min_properties",
                 "max_properties", "node")

    def __init__(self, name: str, pointer: str, doc: str | None, node: int) -> None:
        self.name = self.qualname = name
        self.pointer, self.doc, self.node = pointer, doc, node
        self.fields: list[Field] = []
        self.additional = "keep"
        self.additional_node: int | None = None
        self.min_properties: int | None = None
        self.max_properties: int | None = None


class Root:
    """A named entry point of the module (``root=`` of its module-level functions)."""

    __slots__ = ("name", "node")

    def __init__(self, name: str, node: int) -> None:
        self.name, self.node = name, node


class Spec:
    """A whole schema module."""

    __slots__ = ("name", "roots", "nodes", "classes", "patterns", "doc", "source")

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.source = source  # what it was generated from, for the header comment (a file name, or "a dict")
        self.roots: list[Root] = []
        self.nodes: list[Node] = []
        self.classes: list[Class] = []
        self.patterns: list[str] = []
        self.doc: str | None = None
