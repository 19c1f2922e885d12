"""A JSON Schema (a parsed ``.zig.json`` or a dict) -> the module spec zig_core compiles (spec.py's classes).

Every key of every schema object is looked up in keywords.py's table: a rejected (or unknown) keyword, or a
bad value of a supported one, is a ``SchemaError`` naming the JSON pointer
(``person.zig.json#/properties/tags/contains: 'contains' is not supported``).  References are resolved here:
a node that is only a ``$ref`` becomes the target's index (recursion works: an index exists before its
children are resolved); a ``$ref`` with other keywords is an ``allOf`` branch.  ``allOf`` branches that are
plain object schemas (properties, required, annotations) are merged into one class.

On the cache-hit path of a schema module: imports json, re (patterns are checked with ``re.compile``) and
nothing heavy.
"""

from __future__ import annotations

import json
import math
import os
import re

from . import keywords, names, source
from .spec import JSON_TYPES, Class, Field, Node, Root, Spec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

U32_MAX = 2**32 - 1
# Keys a `$ref` may stand beside and still be a plain reference (they do not constrain the value here).
_REF_NEUTRAL = keywords.IGNORED_KEYWORDS | {"default", "$defs", "definitions"}
# Keys an `allOf` branch may have to be merged into its parent's class.
_MERGEABLE = _REF_NEUTRAL | {"type", "properties", "required"}
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf")
_COUNTS = {"minLength": "min_length", "maxLength": "max_length", "minItems": "min_items", "maxItems": "max_items",
           "minProperties": "min_properties", "maxProperties": "max_properties"}
_NUMBERS = {"minimum": "minimum", "maximum": "maximum", "exclusiveMinimum": "exclusive_minimum",
            "exclusiveMaximum": "exclusive_maximum", "multipleOf": "multiple_of"}


def canonical(value: Any) -> str:
    """The canonical JSON text of a value (SCHEMA_SPEC.md: enum values and defaults).  ValueError/TypeError
    for what JSON cannot hold (NaN, a set, a non-string key: possible in a dict given to schema_module)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def escape(token: str) -> str:
    """A JSON-pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1") if ("~" in token or "/" in token) else token


class Doc:
    """One JSON document: the schema file (or dict) and each local file reached by ``$ref``."""

    __slots__ = ("path", "display", "root", "id", "prefix")

    def __init__(self, path: str | None, display: str, root: Any, prefix: str) -> None:
        self.path, self.display, self.root = path, display, root
        self.prefix = prefix  # how Node.pointer names this document: "" for the main one, "address.json" else
        self.id = root.get("$id") if isinstance(root, dict) and isinstance(root.get("$id"), str) else None


class Resolver:
    """Builds one Spec; ``add_root`` once per root schema (several for ``module_from_roots``)."""

    def __init__(self, name: str, source_label: str) -> None:
        self.spec = Spec(name, source_label)
        self.module = name
        self.memo: dict[tuple[int, str], int] = {}
        self.docs: dict[str, Doc] = {}  # by absolute path
        self.roots_docs: list[Doc] = []
        self.read: dict[str, str] = {}  # every file read (the schema's inputs), in order -> digest of its bytes
        self.class_names: dict[str, tuple[Doc, str]] = {}  # class name -> where it was defined, for collisions
        self.pattern_index: dict[str, int] = {}
        self._following: list[str] = []  # pure $refs being followed (a cycle of them is an error)
        self._any: int | None = None

    # ---- errors ----
    def error(self, doc: Doc, pointer: str, detail: str) -> Exception:
        return source.schema_error(f"{doc.display}{pointer}: {detail}", path=doc.path, pointer=pointer, name=self.module)

    # ---- entry points ----
    def add_root(self, root_name: str | None, schema: Any, path: str | None, display: str) -> Root:
        """Resolve one root schema; *root_name* None: named after its class (or title, or file)."""
        doc = Doc(path, display, schema, "")
        self.roots_docs.append(doc)  # kept alive: the memo is keyed by id(doc)
        if path is not None:
            self.docs[os.path.realpath(path)] = doc
        hint = names.camel(_title(schema) or (names.file_stem(display) if path else (root_name or self.module)))
        if isinstance(schema, dict) and "$id" in schema and not isinstance(schema["$id"], str):
            raise self.error(doc, "#/$id", f"'$id' must be a string, not {_json_type(schema['$id'])}")
        idx = self.node(schema, doc, "#", hint)
        if root_name is None:
            cls = self.spec.nodes[idx].class_
            root_name = self.spec.classes[cls].name if cls is not None else hint
        root = Root(root_name, idx)
        self.spec.roots.append(root)
        if self.spec.doc is None and isinstance(schema, dict) and isinstance(schema.get("description"), str):
            self.spec.doc = schema["description"]
        return root

    def finish(self) -> Spec:
        from . import pytypes

        for cls in self.spec.classes:
            for f in cls.fields:
                t = pytypes.py_type(self.spec, f.node, "attr")
                f.type_name = t if f.required or f.default is not None else pytypes.optional(t)
        return self.spec

    # ---- nodes ----
    def new_node(self, pointer: str, doc: Doc) -> tuple[int, Node]:
        n = Node(doc.prefix + pointer)
        self.spec.nodes.append(n)
        if len(self.spec.nodes) > 65535:
            raise self.error(doc, pointer, "the schema has more than 65535 subschemas")
        return len(self.spec.nodes) - 1, n

    def any_node(self, doc: Doc, pointer: str) -> int:
        if self._any is None:
            self._any = self.new_node(pointer, doc)[0]
        return self._any

    def node(self, schema: Any, doc: Doc, pointer: str, hint: str) -> int:
        """The index of the node for *schema* (at *pointer* in *doc*), resolving it on first sight."""
        key = (id(doc), pointer)
        found = self.memo.get(key)
        if found is not None:
            return found
        if isinstance(schema, bool):
            idx, n = self.new_node(pointer, doc)
            n.never = not schema
            self.memo[key] = idx
            return idx
        if not isinstance(schema, dict):
            raise self.error(doc, pointer, f"a schema must be an object or a boolean, not {_json_type(schema)}")
        self.check_keys(schema, doc, pointer)
        if "$ref" in schema and all(k in _REF_NEUTRAL or k == "$ref" or k.startswith("x-") for k in schema):
            self.defs(schema, doc, pointer)
            where = f"{doc.prefix}{pointer}"
            if where in self._following:
                chain = " -> ".join(self._following[self._following.index(where):] + [where])
                raise self.error(doc, pointer, f"circular $ref: {chain} never reaches a schema")
            self._following.append(where)
            try:
                idx = self.ref(schema["$ref"], doc, pointer)
            finally:
                self._following.pop()
            self.memo[key] = idx
            return idx
        idx, n = self.new_node(pointer, doc)
        self.memo[key] = idx
        self.fill(n, idx, schema, doc, pointer, hint)
        return idx

    def check_keys(self, schema: dict[str, Any], doc: Doc, pointer: str) -> None:
        for k in schema:
            if not isinstance(k, str):
                raise self.error(doc, pointer, f"the key {k!r} is not a string (JSON object keys are strings)")
            st = keywords.status(k)
            if st == keywords.SUPPORTED:
                continue
            if st == keywords.IGNORED:
                if k == "$id" and pointer != "#":
                    raise self.error(doc, f"{pointer}/$id", "'$id' is supported at the root only (it would change "
                                     "the base of the $refs below it)")
                continue
            entry = keywords.TABLE.get(k)
            if entry is not None:
                note = entry[1]
                detail = f"{k!r} is {note}" if note.startswith("not supported") else f"{k!r} is not supported ({note})"
            else:
                import difflib  # error path only

                close = difflib.get_close_matches(k, list(keywords.TABLE), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                detail = f"{k!r} is not a JSON Schema keyword zigimport knows{hint}; docs/schema.md lists them"
            raise self.error(doc, f"{pointer}/{escape(k)}", detail)

    def defs(self, schema: dict[str, Any], doc: Doc, pointer: str) -> None:
        """Every ``$defs`` entry gets its node (and its class) even when nothing refers to it."""
        for kw in ("$defs", "definitions"):
            if kw in schema:
                d = schema[kw]
                if not isinstance(d, dict):
                    raise self.error(doc, f"{pointer}/{kw}", f"{kw!r} must be an object of schemas, not {_json_type(d)}")
                for k, sub in d.items():
                    if not isinstance(k, str):
                        raise self.error(doc, f"{pointer}/{kw}", f"the name {k!r} is not a string")
                    self.node(sub, doc, f"{pointer}/{kw}/{escape(k)}", names.camel(k))

    def fill(self, n: Node, idx: int, schema: dict[str, Any], doc: Doc, pointer: str, hint: str) -> None:
        p = pointer
        if "type" in schema:
            n.types = self.types(schema["type"], doc, f"{p}/type")
        if "enum" in schema:
            values = schema["enum"]
            if not isinstance(values, list):
                raise self.error(doc, f"{p}/enum", f"'enum' must be an array, not {_json_type(values)}")
            n.enum_values = [self.json_text(v, doc, f"{p}/enum") for v in values]
            n.enum_python = list(values)
        if "const" in schema:
            text = self.json_text(schema["const"], doc, f"{p}/const")
            if n.enum_values is None:
                n.enum_values, n.enum_python = [text], [schema["const"]]
                n.is_const = True
            else:  # both: the value must be in the enum and be the const
                ci, c = self.new_node(f"{p}/const", doc)
                c.enum_values, c.enum_python = [text], [schema["const"]]
                c.is_const = True
                n.all_of.append(ci)
        for kw, attr in _COUNTS.items():
            if kw in schema:
                setattr(n, attr, self.count(schema[kw], doc, f"{p}/{kw}"))
        for kw, attr in _NUMBERS.items():
            if kw in schema:
                v = self.number(schema[kw], doc, f"{p}/{kw}")
                if kw == "multipleOf" and not v > 0:
                    raise self.error(doc, f"{p}/{kw}", f"'multipleOf' must be > 0, not {schema[kw]!r}")
                setattr(n, attr, v)
                raw = schema[kw]
                if kw != "multipleOf" and isinstance(raw, int) and float(raw) != raw:
                    n.exact[attr] = int(raw)  # compared exactly; the double is only the nearest
        if "pattern" in schema:
            n.pattern = self.pattern(schema["pattern"], doc, f"{p}/pattern")
        if "format" in schema:
            f = schema["format"]
            if not isinstance(f, str) or f not in keywords.FORMATS:
                raise self.error(doc, f"{p}/format", f"format {f!r} is not supported; the asserted formats are "
                                 f"{', '.join(keywords.FORMATS)}")
            n.format = keywords.FORMATS[f]
        if "uniqueItems" in schema:
            u = schema["uniqueItems"]
            if not isinstance(u, bool):
                raise self.error(doc, f"{p}/uniqueItems", f"'uniqueItems' must be true or false, not {_json_type(u)}")
            n.unique_items = u
        if "prefixItems" in schema:
            for i, sub in enumerate(self.schema_list(schema, "prefixItems", doc, p)):
                n.prefix_items.append(self.node(sub, doc, f"{p}/prefixItems/{i}", f"{hint}Item{i}"))
        if "items" in schema:
            sub = schema["items"]
            if isinstance(sub, list):
                raise self.error(doc, f"{p}/items", "'items' as an array is the draft-07 tuple form; in 2020-12 "
                                 "that is 'prefixItems' (and 'items' is the schema of the items after them)")
            n.items = self.node(sub, doc, f"{p}/items", f"{hint}Item")
        self.defs(schema, doc, p)
        if "$ref" in schema:  # beside other keywords: one more allOf branch
            n.all_of.append(self.ref(schema["$ref"], doc, p))
        for kw in _SCHEMA_LIST:
            if kw in schema:
                subs = self.schema_list(schema, kw, doc, p)
                if kw == "allOf" and self.merge_all_of(n, idx, schema, subs, doc, p, hint):
                    continue
                target = {"allOf": n.all_of, "anyOf": n.any_of, "oneOf": n.one_of}[kw]
                for i, sub in enumerate(subs):
                    target.append(self.node(sub, doc, f"{p}/{kw}/{i}", f"{hint}{'Option' if kw != 'allOf' else 'Part'}{i}"))
        if "not" in schema:
            n.not_ = self.node(schema["not"], doc, f"{p}/not", f"{hint}Not")
        if n.class_ is None and ("properties" in schema or "required" in schema) and n.accepts("object"):
            self.make_class(n, idx, [(schema, doc, p)], schema, doc, p, hint)
        elif n.class_ is None:
            # `type` excludes objects: the keywords cannot apply, but their values are still checked
            props = self.properties_of(schema, doc, p)
            self.required_of(schema, doc, p)
            for key, (sub, sub_p) in props.items():
                self.node(sub, doc, sub_p, hint + names.camel(key))
            if "additionalProperties" in schema:
                n.values = self.node(schema["additionalProperties"], doc, f"{p}/additionalProperties", f"{hint}Value")

    # ---- objects ----
    def merge_all_of(self, n: Node, idx: int, schema: dict[str, Any], subs: list[Any], doc: Doc, p: str, hint: str) -> bool:
        """Merge ``allOf`` branches that are plain object schemas into one class; False when they are not.

        Not with an ``additionalProperties`` beside the ``allOf``: it sees only its own schema's
        ``properties``, so the branches' properties are extra to it (merged, they would not be)."""
        if "additionalProperties" in schema:
            return False
        parts: list[tuple[dict[str, Any], Doc, str]] = []
        for i, sub in enumerate(subs):
            target = self.follow(sub, doc, f"{p}/allOf/{i}")
            if target is None:
                return False
            s, d, sp = target
            if not isinstance(s, dict) or not all(k in _MERGEABLE or k.startswith("x-") for k in s):
                return False
            if "type" in s and s["type"] != "object":
                return False
            if "properties" not in s and "required" not in s:
                return False
            self.check_keys(s, d, sp)
            parts.append((s, d, sp))
        if not n.accepts("object"):
            return False
        for s, d, sp in parts:  # the branches' own classes, if another schema refers to them
            if (id(d), sp) not in self.memo:
                self.defs(s, d, sp)
        parts.append((schema, doc, p))
        self.make_class(n, idx, parts, schema, doc, p, hint)
        if n.types is None:
            n.types = frozenset({"object"}) if any(s.get("type") == "object" for s, _, _ in parts) else None
        return True

    def follow(self, sub: Any, doc: Doc, pointer: str) -> tuple[Any, Doc, str] | None:
        """*sub* with plain ``$ref`` s followed to the schema they name (None: a cycle or a boolean)."""
        seen = set()
        while isinstance(sub, dict) and "$ref" in sub and all(k in _REF_NEUTRAL or k == "$ref" for k in sub):
            ref = sub["$ref"]
            if not isinstance(ref, str):
                return None
            doc, pointer, sub = self.locate(ref, doc, pointer)
            if (id(doc), pointer) in seen:
                return None
            seen.add((id(doc), pointer))
        return (sub, doc, pointer) if isinstance(sub, dict) else None

    def make_class(self, n: Node, idx: int, parts: list[tuple[dict[str, Any], Doc, str]], schema: dict[str, Any],
                   doc: Doc, p: str, hint: str) -> None:
        title = _title(schema)
        name = names.camel(title) if title else hint
        where = f"{doc.prefix}{p}"
        if name in self.class_names:
            other_doc, other_p = self.class_names[name]
            other = other_p if other_doc is doc else f"{other_doc.display}{other_p}"
            raise self.error(doc, p, f"class name {name!r} is taken by {other} too; give one of "
                             "them a different 'title'")
        self.class_names[name] = (doc, p)
        desc = schema.get("description")
        cls = Class(name, where, desc if isinstance(desc, str) else None, idx)
        self.spec.classes.append(cls)
        n.class_ = len(self.spec.classes) - 1
        fields: dict[str, Field] = {}
        attrs: dict[str, str] = {}
        required: set[str] = set()
        for s, d, sp in parts:
            required.update(self.required_of(s, d, sp))
        for s, d, sp in parts:
            for key, (sub, sub_p) in self.properties_of(s, d, sp).items():
                fnode = self.node(sub, d, sub_p, name + names.camel(key))
                if key in fields:  # the same property in two merged branches: both apply
                    both, b = self.new_node(sub_p, d)
                    b.all_of = [fields[key].node, fnode]
                    fields[key].node = both
                    continue
                attr = names.attr_name(key)
                if attr in attrs:
                    raise self.error(d, sub_p, f"property {key!r} maps to the attribute {attr!r}, as does property "
                                     f"{attrs[attr]!r}; rename one of them")
                attrs[attr] = key
                default, doc_text = self.annotations(sub, d, sub_p)
                if default is not None:
                    self.check_default(default, self.spec.nodes[fnode], d, sub_p)
                fields[key] = Field(attr, key, fnode, key in required, default, doc_text, f"{d.prefix}{sub_p}")
        for key in sorted(required - fields.keys(), key=lambda k: _first_index(parts, k)):
            attr = names.attr_name(key)
            if attr in attrs:
                raise self.error(doc, f"{p}/required", f"property {key!r} maps to the attribute {attr!r}, as does "
                                 f"property {attrs[attr]!r}; rename one of them")
            attrs[attr] = key
            fields[key] = Field(attr, key, self.any_node(doc, f"{p}/required"), True, None, None, f"{doc.prefix}{p}/required")
        cls.fields = list(fields.values())
        if "additionalProperties" in schema:
            ap = schema["additionalProperties"]
            if ap is False:
                cls.additional = "forbid"
            elif ap is not True:
                cls.additional_node = self.node(ap, doc, f"{p}/additionalProperties", f"{name}Extra")
        cls.min_properties, cls.max_properties = n.min_properties, n.max_properties

    def annotations(self, sub: Any, doc: Doc, pointer: str) -> tuple[str | None, str | None]:
        """A property's ``default`` (canonical JSON) and ``description``, its own or its $ref target's."""
        default = desc = None
        target: Any = sub
        while isinstance(target, dict):
            if default is None and "default" in target:
                default = self.json_text(target["default"], doc, f"{pointer}/default")
            if desc is None and isinstance(target.get("description"), str):
                desc = target["description"]
            ref = target.get("$ref")
            if not isinstance(ref, str) or not all(k in _REF_NEUTRAL or k == "$ref" for k in target):
                break
            doc, pointer, target = self.locate(ref, doc, pointer)
        return default, desc

    def check_default(self, default: str, n: Node, doc: Doc, p: str) -> None:
        """A ``default`` of the wrong type (or outside the ``enum``) would build invalid objects: rejected here.
        Its other keywords are not checked (``default`` is an annotation in JSON Schema; the engine uses it)."""
        value = json.loads(default)
        kind = _kind(value)
        if n.never or (n.types is not None and kind not in n.types and not (kind == "integer" and "number" in n.types)):
            allowed = " or ".join(sorted(t if t != "none" else "null" for t in (n.types or ()))) or "nothing"
            raise self.error(doc, f"{p}/default", f"the default {default} is not of the property's type ({allowed})")
        if n.enum_values is not None and kind not in ("integer", "number") and default not in n.enum_values:
            raise self.error(doc, f"{p}/default", f"the default {default} is not one of the property's enum values")

    def properties_of(self, schema: dict[str, Any], doc: Doc, p: str) -> dict[str, tuple[Any, str]]:
        props = schema.get("properties", {})
        if not isinstance(props, dict):
            raise self.error(doc, f"{p}/properties", f"'properties' must be an object of schemas, not {_json_type(props)}")
        for k in props:
            if not isinstance(k, str):
                raise self.error(doc, f"{p}/properties", f"the property name {k!r} is not a string")
        return {k: (v, f"{p}/properties/{escape(k)}") for k, v in props.items()}

    def required_of(self, schema: dict[str, Any], doc: Doc, p: str) -> list[str]:
        req = schema.get("required", [])
        if not isinstance(req, list) or not all(isinstance(r, str) for r in req):
            raise self.error(doc, f"{p}/required", f"'required' must be an array of property names, not {canonical(req)}")
        if len(set(req)) != len(req):
            dup = next(r for r in req if req.count(r) > 1)
            raise self.error(doc, f"{p}/required", f"'required' names {dup!r} twice")
        return req

    # ---- keyword values ----
    def json_text(self, value: Any, doc: Doc, pointer: str) -> str:
        try:
            return canonical(value)
        except (ValueError, TypeError) as exc:
            raise self.error(doc, pointer, f"{value!r} is not a JSON value ({exc})") from None

    def types(self, value: Any, doc: Doc, pointer: str) -> frozenset[str]:
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            raise self.error(doc, pointer, "'type' must name at least one type")
        out = set()
        for t in items:
            if not isinstance(t, str) or t not in JSON_TYPES:
                raise self.error(doc, pointer, f"{canonical(t)} is not a JSON Schema type; the types are "
                                 f"{', '.join(JSON_TYPES)}")
            if JSON_TYPES[t] in out:
                raise self.error(doc, pointer, f"'type' names {t!r} twice")
            out.add(JSON_TYPES[t])
        return frozenset(out)

    def count(self, value: Any, doc: Doc, pointer: str) -> int:
        kw = pointer.rsplit("/", 1)[1]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(doc, pointer, f"{kw!r} must be a non-negative integer, not {canonical(value)}")
        if value > U32_MAX:
            raise self.error(doc, pointer, f"{kw!r} must be at most {U32_MAX}, not {value}")
        return value

    def number(self, value: Any, doc: Doc, pointer: str) -> float:
        kw = pointer.rsplit("/", 1)[1]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            extra = " (the draft-04 boolean form is not supported)" if isinstance(value, bool) and kw.startswith("exclusive") else ""
            raise self.error(doc, pointer, f"{kw!r} must be a number, not {canonical(value)}{extra}")
        try:
            f = float(value)
        except OverflowError:
            f = math.inf
        if not math.isfinite(f):
            raise self.error(doc, pointer, f"{kw!r} must be a finite number, not {value!r}")
        if kw == "multipleOf" and isinstance(value, int) and f != value:  # divided as a double: would be off
            raise self.error(doc, pointer, f"{kw!r} is {value}, which a double cannot hold exactly (nearest "
                             f"{int(f)}); a multipleOf beyond 2**53 must be an exact double")
        return f

    def pattern(self, value: Any, doc: Doc, pointer: str) -> int:
        if not isinstance(value, str):
            raise self.error(doc, pointer, f"'pattern' must be a string, not {_json_type(value)}")
        found = self.pattern_index.get(value)
        if found is not None:
            return found
        try:
            re.compile(value)
        except re.error as exc:
            raise self.error(doc, pointer, f"invalid regular expression {value!r}: {exc} (patterns are Python `re` "
                             "syntax)") from None
        if "\0" in value:
            raise self.error(doc, pointer, "a pattern cannot hold a NUL character (use \\x00)")
        self.spec.patterns.append(value)
        self.pattern_index[value] = len(self.spec.patterns) - 1
        return len(self.spec.patterns) - 1

    def schema_list(self, schema: dict[str, Any], kw: str, doc: Doc, p: str) -> list[Any]:
        subs = schema[kw]
        if not isinstance(subs, list) or not subs:
            raise self.error(doc, f"{p}/{kw}", f"{kw!r} must be a non-empty array of schemas, not {canonical(subs)}")
        return subs

    # ---- references ----
    def ref(self, ref: Any, doc: Doc, pointer: str) -> int:
        target_doc, target_p, target = self.locate(ref, doc, pointer)
        hint = _hint(target_p) if target_p != "#" else names.camel(names.file_stem(target_doc.display))
        return self.node(target, target_doc, target_p, hint)

    def locate(self, ref: Any, doc: Doc, pointer: str) -> tuple[Doc, str, Any]:
        """The document, normalised pointer and schema a ``$ref`` names."""
        at = f"{pointer}/$ref"
        if not isinstance(ref, str):
            raise self.error(doc, at, f"'$ref' must be a string, not {_json_type(ref)}")
        full = ref
        main_id = doc.id
        if main_id and ref.startswith(main_id.split("#", 1)[0]) and main_id.split("#", 1)[0]:
            ref = ref[len(main_id.split("#", 1)[0]):]
        file_part, _, fragment = ref.partition("#")
        if _is_url(file_part):
            raise self.error(doc, at, f"$ref {full!r} is not local: zigimport reads only files beside the schema "
                             "(a relative path such as 'address.json#/$defs/Address')")
        if file_part:
            target_doc = self.load(file_part, doc, at, full)
        else:
            target_doc = doc
        if "%" in fragment:
            from urllib.parse import unquote  # rare: percent-encoded pointers

            fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise self.error(doc, at, f"$ref {full!r} names an anchor; only JSON pointers ('#/$defs/Name') are supported")
        value = target_doc.root
        tokens = fragment.split("/")[1:] if fragment else []
        for i, raw in enumerate(tokens):
            tok = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(value, dict) and tok in value:
                value = value[tok]
            elif isinstance(value, list) and tok.isdigit() and int(tok) < len(value):
                value = value[int(tok)]
            else:
                missing = "/".join(tokens[: i + 1])
                raise self.error(doc, at, f"$ref {full!r}: {target_doc.display} has nothing at '#/{missing}'")
        return target_doc, "#" + fragment, value

    def load(self, file_part: str, doc: Doc, at: str, full: str) -> Doc:
        base = os.path.dirname(doc.path) if doc.path else os.getcwd()
        path = os.path.realpath(os.path.join(base, file_part))
        found = self.docs.get(path)
        if found is not None:
            return found
        if not os.path.isfile(path):
            raise self.error(doc, at, f"$ref {full!r}: no such file {path}")
        display = os.path.relpath(path, base) if doc.path else file_part
        d = Doc(path, display, source.read(path, display, self.read), display)
        self.docs[path] = d
        return d


def _first_index(parts: list[tuple[dict[str, Any], Doc, str]], key: str) -> int:
    i = 0
    for s, _, _ in parts:
        req = s.get("required", [])
        if key in req:
            return i + int(req.index(key))
        i += len(req)
    return i


def _is_url(file_part: str) -> bool:
    colon = file_part.find(":")
    slash = file_part.find("/")
    return file_part.startswith("//") or (colon > 0 and (slash < 0 or colon < slash))


def _title(schema: Any) -> str | None:
    t = schema.get("title") if isinstance(schema, dict) else None
    return t if isinstance(t, str) and names.camel(t) != "Schema" else None


def _hint(pointer: str) -> str:
    last = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    return names.camel(last)


def _kind(value: Any) -> str:
    """The spec's type name of a JSON value (``1.0`` is an integer, as JSON Schema counts)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def resolve_file(path: str, module: str) -> tuple[Spec, dict[str, str]]:
    """The spec of the schema file *path* imported as *module*, and every file it was read from (path ->
    digest of the bytes read), the schema first."""
    display = source.display_name(path)
    r = Resolver(module, display)
    schema = source.read(path, display, r.read)
    try:
        r.add_root(None, schema, path, display)
    except RecursionError:
        raise source.schema_error(f"{display}: the schema nests too deeply to resolve", path=path, name=module) from None
    return r.finish(), r.read


def resolve_roots(module: str, roots: Mapping[str | None, Any], source_label: str = "a dict") -> Spec:
    """One module holding several roots, each resolving its own ``#`` references (``module_from_roots``); a root
    named None is named after its class (or title)."""
    r = Resolver(module, source_label)
    for root_name, schema in roots.items():
        display = f"{root_name} schema" if len(roots) > 1 else "schema"
        try:
            r.add_root(root_name, schema, None, display)
        except RecursionError:
            raise source.schema_error(f"{display}: the schema nests too deeply to resolve", path=None, name=module) from None
    return r.finish()
