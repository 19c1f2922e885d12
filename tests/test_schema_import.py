"""``.zig.json`` schema modules, the Python half (issue 9; SCHEMA_SPEC.md): reading, the keyword table,
resolving to the spec, the generated Zig text, names, stubs, the finder and loader, schema_module/schema_class.

The first part needs no compile (resolve / codegen / stubs / errors); the generated text is type-checked
against zig_core's spec.zig with ``zig build-obj -fno-emit-bin`` (~0.2 s).  The end-to-end part compiles a
few schema modules, once per run each (``shared_folder``), and reuses them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from support import REPO, compile_count, mypy_code, popen_python, run_python, shared_folder, write

import zigimport
from zigimport.schema import codegen, keywords, names, resolve, stubs
from zigimport.schema.spec import Spec


def spec_of(schema: Any, name: str = "m") -> Spec:
    r = resolve.Resolver(name, "a dict")
    r.add_root(None, schema, None, "schema")
    return r.finish()


def error_of(schema: Any) -> zigimport.SchemaError:
    with pytest.raises(zigimport.SchemaError) as info:
        spec_of(schema)
    return info.value


def file_error(tmp_path: Path, text: str, name: str = "bad.zig.json") -> zigimport.SchemaError:
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(zigimport.SchemaError) as info:
        resolve.resolve_file(str(p), p.name.split(".")[0])
    assert info.value.path == str(p) or info.value.path is not None
    return info.value


ORDER = {
    "title": "Order", "description": "An order.", "type": "object", "required": ["id", "customer", "items"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "status": {"enum": ["new", "paid", "shipped"], "default": "new"},
        "customer": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "minLength": 1, "description": "Full name."},
            "email": {"type": ["string", "null"], "format": "email"},
            "address": {"$ref": "#/$defs/Address"}}},
        "items": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["sku", "qty"], "additionalProperties": False,
            "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-\\d+$"},
                           "qty": {"type": "integer", "minimum": 1},
                           "price": {"type": "number", "exclusiveMinimum": 0}}}},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "first-name": {"type": "string"},
        "class": {"type": "boolean"},
        "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
        "parent": {"anyOf": [{"$ref": "#"}, {"type": "null"}]},
    },
    "$defs": {"Address": {"type": "object", "required": ["zip"],
                          "properties": {"zip": {"type": "string", "minLength": 5}, "city": {"type": "string"}}}},
}


# ---- resolve: the spec ----

def test_order_resolves_to_classes_fields_and_nodes() -> None:
    spec = spec_of(ORDER, "shop.order")
    assert spec.name == "shop.order" and spec.doc == "An order."
    assert [(r.name, r.node) for r in spec.roots] == [("Order", 0)]
    classes = {c.name: c for c in spec.classes}
    assert set(classes) == {"Order", "OrderCustomer", "OrderItemsItem", "Address"}
    order = classes["Order"]
    assert spec.nodes[0].class_ == spec.classes.index(order) and order.doc == "An order."
    got = [(f.attr, f.key, f.required, f.default, f.type_name) for f in order.fields]
    assert got == [
        ("id", "id", True, None, "str"),
        ("status", "status", False, '"new"', "Literal['new', 'paid', 'shipped']"),
        ("customer", "customer", True, None, "OrderCustomer"),
        ("items", "items", True, None, "list[OrderItemsItem]"),
        ("tags", "tags", False, None, "list[str] | None"),
        ("first_name", "first-name", False, None, "str | None"),
        ("class_", "class", False, None, "bool | None"),
        ("meta", "meta", False, None, "dict[str, int] | None"),
        ("parent", "parent", False, None, "Order | None"),
    ]
    # the recursive $ref "#" is node 0 itself; the $defs class is shared by reference
    parent = spec.nodes[order.fields[-1].node]
    assert parent.any_of[0] == 0
    customer = classes["OrderCustomer"]
    assert customer.fields[0].doc == "Full name."
    assert spec.nodes[customer.fields[2].node].class_ == spec.classes.index(classes["Address"])
    item = classes["OrderItemsItem"]
    assert item.additional == "forbid"
    sku = spec.nodes[item.fields[0].node]
    assert spec.patterns[sku.pattern] == "^[A-Z]{3}-\\d+$" and sku.types == {"string"}
    assert spec.nodes[item.fields[2].node].exclusive_minimum == 0.0
    meta = spec.nodes[order.fields[7].node]
    assert meta.class_ is None and spec.nodes[meta.values].types == {"integer"}
    assert spec.nodes[order.fields[1].node].enum_values == ['"new"', '"paid"', '"shipped"']


def test_values_are_canonical_json_and_every_keyword_lands_in_its_field() -> None:
    spec = spec_of({"title": "T", "properties": {
        "e": {"enum": [1, 1.5, "x", None, True, {"b": 1, "a": [2]}, "é"]},
        "c": {"const": {"z": 1, "a": 2}, "default": {"z": 1, "a": 2}},
        "s": {"type": "string", "minLength": 2, "maxLength": 4.0, "format": "date-time"},
        "n": {"type": ["integer", "number"], "minimum": -1, "maximum": 1e300, "exclusiveMaximum": 2**70,
              "multipleOf": 0.5},
        "a": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "items": False,
              "minItems": 1, "maxItems": 2},
        "o": {"type": "object", "minProperties": 1, "maxProperties": 3, "additionalProperties": False},
        "x": {"allOf": [{"minimum": 0}, {"maximum": 9}], "oneOf": [{"type": "integer"}, {"type": "null"}],
              "not": {"const": 5}},
        "f": False, "t": True,
    }})
    f = {fld.key: spec.nodes[fld.node] for fld in spec.classes[0].fields}
    assert f["e"].enum_values == ["1", "1.5", '"x"', "null", "true", '{"a":[2],"b":1}', '"é"']
    assert f["c"].enum_values == ['{"a":2,"z":1}'] and spec.classes[0].fields[1].default == '{"a":2,"z":1}'
    assert (f["s"].min_length, f["s"].max_length, f["s"].format) == (2, 4, "date_time")
    assert (f["n"].minimum, f["n"].maximum, f["n"].exclusive_maximum, f["n"].multiple_of) == (-1.0, 1e300, 2.0**70, 0.5)
    assert f["n"].types == {"integer", "number"} and f["n"].exact == {} and f["c"].is_const and not f["e"].is_const
    u64 = spec_of({"maximum": 2**64 - 1, "minimum": 2**53 + 1, "exclusiveMinimum": -(2**70)}).nodes[0]
    assert u64.exact == {"maximum": 2**64 - 1, "minimum": 2**53 + 1} and u64.maximum == float(2**64 - 1)
    text = codegen.node_text(u64)
    assert '.maximum_exact = "18446744073709551615"' in text and '.minimum_exact = "9007199254740993"' in text
    assert len(f["a"].prefix_items) == 2 and spec.nodes[f["a"].items].never and (f["a"].min_items, f["a"].max_items) == (1, 2)
    assert (f["o"].min_properties, f["o"].max_properties, f["o"].class_) == (1, 3, None) and spec.nodes[f["o"].values].never
    assert len(f["x"].all_of) == 2 and len(f["x"].one_of) == 2 and spec.nodes[f["x"].not_].enum_values == ["5"]
    assert f["f"].never and not f["t"].never and f["t"].types is None
    types = {fld.key: fld.type_name for fld in spec.classes[0].fields}
    assert types["a"] == "list[int | str] | None" and types["x"] == "int | None" and types["t"] == "Any"
    assert types["f"] == "NoReturn | None" and types["n"] == "int | float | None"


def test_refs_to_defs_other_files_and_the_root_id(tmp_path: Path) -> None:
    write(tmp_path / "common" / "address.json", json.dumps({
        "type": "object", "required": ["zip"], "properties": {"zip": {"type": "string"}, "geo": {"$ref": "#/$defs/Geo"}},
        "$defs": {"Geo": {"type": "object", "properties": {"lat": {"type": "number"}}}}}))
    write(tmp_path / "person.zig.json", json.dumps({
        "$id": "https://example.com/person.json", "title": "Person", "type": "object",
        "properties": {"home": {"$ref": "common/address.json"}, "work": {"$ref": "common/address.json#"},
                       "geo": {"$ref": "common/address.json#/$defs/Geo"},
                       "me": {"$ref": "https://example.com/person.json#"},
                       "friends": {"type": "array", "items": {"$ref": "#"}}}}))
    spec, files = resolve.resolve_file(str(tmp_path / "person.zig.json"), "person")
    assert list(files) == [str(tmp_path / "person.zig.json"), os.path.realpath(tmp_path / "common" / "address.json")]
    classes = {c.name: c for c in spec.classes}
    assert set(classes) == {"Person", "Address", "Geo"}
    assert classes["Address"].pointer == "common/address.json#"
    fields = {f.key: f for f in classes["Person"].fields}
    assert fields["home"].node == fields["work"].node and spec.nodes[fields["me"].node].class_ == spec.nodes[0].class_
    assert fields["friends"].type_name == "list[Person] | None"
    assert spec.nodes[fields["geo"].node].pointer == "common/address.json#/$defs/Geo"


def test_all_of_object_branches_merge_into_one_class() -> None:
    spec = spec_of({"title": "Employee", "allOf": [
        {"$ref": "#/$defs/Person"},
        {"type": "object", "required": ["salary"], "properties": {"salary": {"type": "integer"}, "name": {"maxLength": 9}}},
    ], "$defs": {"Person": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}})
    classes = {c.name: c for c in spec.classes}
    assert set(classes) == {"Employee", "Person"}
    emp = classes["Employee"]
    assert [(f.key, f.required) for f in emp.fields] == [("name", True), ("salary", True)]
    name_node = spec.nodes[emp.fields[0].node]
    assert len(name_node.all_of) == 2  # both branches' "name" apply
    assert spec.nodes[0].all_of == [] and spec.nodes[0].class_ == spec.classes.index(emp)
    # not mergeable (a branch with additionalProperties): validated branch by branch
    kept = spec_of({"title": "K", "allOf": [{"properties": {"a": {}}, "additionalProperties": False}, {"properties": {"b": {}}}]})
    assert len(kept.nodes[0].all_of) == 2
    # nor with additionalProperties beside the allOf: it sees only its own properties (schemasuite FINDINGS.md 2)
    beside = spec_of({"allOf": [{"properties": {"foo": {}}}], "additionalProperties": {"type": "boolean"}})
    assert len(beside.nodes[0].all_of) == 1 and beside.nodes[0].class_ is None and beside.nodes[0].values is not None


def test_pure_ref_cycles_and_sibling_refs() -> None:
    e = error_of({"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"})
    assert "circular $ref" in str(e) and "#/$defs/A -> #/$defs/B -> #/$defs/A" in str(e)
    spec = spec_of({"title": "S", "properties": {"a": {"$ref": "#/$defs/N", "maximum": 3}},
                    "$defs": {"N": {"type": "integer"}}})
    a = spec.nodes[spec.classes[0].fields[0].node]
    assert a.maximum == 3.0 and len(a.all_of) == 1 and spec.nodes[a.all_of[0]].types == {"integer"}
    root_ref = spec_of({"$ref": "#/$defs/P", "$defs": {"P": {"type": "object", "properties": {"x": {}}}}})
    assert root_ref.roots[0].name == "P" and root_ref.nodes[root_ref.roots[0].node].class_ is not None


# ---- the keyword table and every rejected path ----

@pytest.mark.parametrize("kw", sorted(k for k, (s, _) in keywords.TABLE.items() if s == keywords.REJECTED))
def test_every_rejected_keyword_names_its_pointer(kw: str) -> None:
    e = error_of({"title": "P", "properties": {"tags": {"type": "array", kw: {}}}})
    assert str(e).startswith(f"schema#/properties/tags/{kw}: '{kw}' is not supported"), str(e)
    assert e.pointer == f"#/properties/tags/{kw}"


def test_rejected_keyword_in_a_file_names_the_file(tmp_path: Path) -> None:
    e = file_error(tmp_path, json.dumps({"properties": {"tags": {"type": "array", "contains": {"type": "string"}}}}),
                   "person.zig.json")
    assert str(e) == "person.zig.json#/properties/tags/contains: 'contains' is not supported"
    assert e.pointer == "#/properties/tags/contains" and e.path == str(tmp_path / "person.zig.json")
    assert isinstance(e, ImportError)


BAD_VALUES = [
    ({"minLength": -1}, "#/minLength", "'minLength' must be a non-negative integer, not -1"),
    ({"maxItems": 1.5}, "#/maxItems", "'maxItems' must be a non-negative integer, not 1.5"),
    ({"minProperties": True}, "#/minProperties", "must be a non-negative integer, not true"),
    ({"maxLength": 2**40}, "#/maxLength", "must be at most 4294967295"),
    ({"pattern": "a("}, "#/pattern", "invalid regular expression 'a(': missing ), unterminated subpattern"),
    ({"pattern": 3}, "#/pattern", "'pattern' must be a string, not a number"),
    ({"format": "uri"}, "#/format", "format 'uri' is not supported; the asserted formats are date-time, date"),
    ({"type": "str"}, "#/type", '"str" is not a JSON Schema type; the types are null, boolean'),
    ({"type": []}, "#/type", "'type' must name at least one type"),
    ({"type": ["string", "string"]}, "#/type", "'type' names 'string' twice"),
    ({"minimum": "1"}, "#/minimum", "'minimum' must be a number, not \"1\""),
    ({"exclusiveMinimum": True}, "#/exclusiveMinimum", "the draft-04 boolean form is not supported"),
    ({"multipleOf": 0}, "#/multipleOf", "'multipleOf' must be > 0, not 0"),
    ({"maximum": 10**400}, "#/maximum", "'maximum' must be a finite number"),
    ({"enum": "a"}, "#/enum", "'enum' must be an array, not a string"),
    ({"required": ["a", "a"]}, "#/required", "'required' names 'a' twice"),
    ({"required": "a"}, "#/required", "'required' must be an array of property names"),
    ({"properties": []}, "#/properties", "'properties' must be an object of schemas, not an array"),
    ({"properties": {"a": 3}}, "#/properties/a", "a schema must be an object or a boolean, not a number"),
    ({"items": [{}]}, "#/items", "'items' as an array is the draft-07 tuple form"),
    ({"anyOf": []}, "#/anyOf", "'anyOf' must be a non-empty array of schemas, not []"),
    ({"allOf": {}}, "#/allOf", "'allOf' must be a non-empty array of schemas"),
    ({"uniqueItems": 1}, "#/uniqueItems", "'uniqueItems' must be true or false"),
    ({"$defs": []}, "#/$defs", "'$defs' must be an object of schemas"),
    ({"$ref": "#/$defs/Nope"}, "#/$ref", "$ref '#/$defs/Nope': schema has nothing at '#/$defs'"),
    ({"$ref": "#/$defs/A/x", "$defs": {"A": {}}}, "#/$ref", "nothing at '#/$defs/A/x'"),
    ({"$ref": "https://json-schema.org/draft/2020-12/schema"}, "#/$ref", "is not local: zigimport reads only files beside"),
    ({"$ref": "urn:example:thing"}, "#/$ref", "is not local"),
    ({"$ref": "#thing"}, "#/$ref", "names an anchor; only JSON pointers"),
    ({"$ref": 3}, "#/$ref", "'$ref' must be a string, not a number"),
    ({"$ref": "missing.json"}, "#/$ref", "$ref 'missing.json': no such file"),
    ({"properties": {"a": {"$id": "x"}}}, "#/properties/a/$id", "'$id' is supported at the root only"),
    ({"minLenght": 3}, "#/minLenght", "'minLenght' is not a JSON Schema keyword zigimport knows (did you mean 'minLength'?)"),
    ({"items": {"type": "object", "properties": {"x": {"if": {}}}}}, "#/items/properties/x/if", "'if' is not supported"),
    ({"properties": {"a~b/c": {"contains": {}}}}, "#/properties/a~0b~1c/contains", "'contains' is not supported"),
    ({"enum": [1, float("nan")]}, "#/enum", "nan is not a JSON value (Out of range float values are not JSON compliant"),
    ({"const": {1, 2}}, "#/const", "{1, 2} is not a JSON value (Object of type set is not JSON serializable)"),
    ({"properties": {"a": {"default": b"x"}}}, "#/properties/a/default", "b'x' is not a JSON value"),
    ({"properties": {1: {}}}, "#/properties", "the property name 1 is not a string"),
    ({"$defs": {2: {}}}, "#/$defs", "the name 2 is not a string"),
    ({3: {}}, "#", "the key 3 is not a string (JSON object keys are strings)"),
    ({"multipleOf": 2**53 + 1}, "#/multipleOf", "'multipleOf' is 9007199254740993, which a double cannot hold exactly"),
    ({"properties": {"n": {"type": "integer", "default": "x"}}}, "#/properties/n/default",
     "the default \"x\" is not of the property's type (integer)"),
    ({"properties": {"n": {"enum": ["a", "b"], "default": "c"}}}, "#/properties/n/default",
     "the default \"c\" is not one of the property's enum values"),
]


@pytest.mark.parametrize(("schema", "pointer", "detail"), BAD_VALUES, ids=[p + ":" + d[:20] for _, p, d in BAD_VALUES])
def test_bad_values_of_supported_keywords_name_the_pointer(schema: dict[str, Any], pointer: str, detail: str) -> None:
    e = error_of(schema)
    assert e.pointer == pointer, str(e)
    assert str(e).startswith(f"schema{pointer}: ") and detail in str(e), str(e)


def test_annotations_and_extension_keys_are_ignored() -> None:
    spec = spec_of({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:x", "title": "A",
                    "$comment": "c", "examples": [1], "deprecated": True, "readOnly": True, "writeOnly": False,
                    "x-internal": {"anything": ["goes"]}, "contentMediaType": "text/plain", "$anchor": "top",
                    "properties": {"a": {"description": "d", "x-order": 1}}})
    assert spec.classes[0].name == "A" and spec.classes[0].fields[0].doc == "d"
    for kw in keywords.TABLE:
        assert keywords.status(kw) in (keywords.SUPPORTED, keywords.IGNORED, keywords.REJECTED)
    assert keywords.status("x-foo") == keywords.IGNORED and keywords.status("foo") == keywords.REJECTED


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    e = file_error(tmp_path, '{\n  "title": "P",\n  "properties": {"a": {}},,\n}\n', "p.zig.json")
    assert str(e) == "p.zig.json: invalid JSON: Expecting property name enclosed in double quotes: line 3 column 27 (char 44)"
    e = file_error(tmp_path, '{"a": 1,\n "a": 2}', "dup.zig.json")
    assert str(e) == "dup.zig.json: invalid JSON: duplicate key 'a': line 2 column 2"
    e = file_error(tmp_path, '{"minimum": NaN}', "nan.zig.json")
    assert "NaN is not JSON" in str(e)
    (tmp_path / "latin.zig.json").write_bytes(b'{"title": "\xe9"}')
    with pytest.raises(zigimport.SchemaError, match=r"latin.zig.json: invalid JSON: not UTF-8 \(byte 11, line 1\)"):
        resolve.resolve_file(str(tmp_path / "latin.zig.json"), "latin")
    write(tmp_path / "main.zig.json", '{"$ref": "other.json"}')
    write(tmp_path / "other.json", '{"type": "string",}')
    with pytest.raises(zigimport.SchemaError, match=r"^other.json: invalid JSON: .*line 1 column 19"):
        resolve.resolve_file(str(tmp_path / "main.zig.json"), "main")
    write(tmp_path / "main2.zig.json", '{"$ref": "other2.json#/properties/x"}')
    write(tmp_path / "other2.json", '{"properties": {"x": {"type": "array", "contains": {}}}}')
    with pytest.raises(zigimport.SchemaError, match=r"^other2.json#/properties/x/contains: 'contains' is not supported"):
        resolve.resolve_file(str(tmp_path / "main2.zig.json"), "main2")


# ---- names ----

def test_names_map_to_identifiers_and_collisions_name_both() -> None:
    assert [names.camel(s) for s in ("line_items", "order customer", "lineItems", "2fa", "", "ça va")] == \
        ["LineItems", "OrderCustomer", "LineItems", "_2fa", "Schema", "ÇaVa"]
    assert [names.attr_name(s) for s in ("first-name", "class", "1st", "to_json", "a.b", "", "ok", "__init__", "é")] == \
        ["first_name", "class_", "_1st", "to_json_", "a_b", "_", "ok", "__init___", "é"]
    assert names.module_name("Line Item") == "line_item" and names.module_name("HTTPServer") == "httpserver"
    e = error_of({"title": "P", "properties": {"first-name": {}, "first_name": {}}})
    assert str(e) == ("schema#/properties/first_name: property 'first_name' maps to the attribute 'first_name', "
                      "as does property 'first-name'; rename one of them")
    e = error_of({"title": "P", "properties": {"a": {"title": "Thing", "properties": {}},
                                               "b": {"title": "Thing", "properties": {}}}})
    assert str(e) == ("schema#/properties/b: class name 'Thing' is taken by #/properties/a too; "
                      "give one of them a different 'title'")
    with pytest.raises(zigimport.SchemaError, match=r"^second schema#: class name 'Item' is taken by first schema# too"):
        resolve.resolve_roots("two", {"first": {"title": "Item", "properties": {}}, "second": {"title": "Item", "properties": {}}})
    spec = spec_of({"properties": {"x": {"properties": {"y": {"properties": {}}}}}}, "deep")
    assert [c.name for c in spec.classes] == ["Deep", "DeepX", "DeepXY"]
    spec = spec_of({"title": "Holder", "properties": {"a": {"type": "array", "items": {"type": "object", "properties": {"v": {}}}}},
                    "required": ["extra-key"]})
    assert [c.name for c in spec.classes] == ["Holder", "HolderAItem"]
    assert [(f.attr, f.required, f.type_name) for f in spec.classes[0].fields] == [
        ("a", False, "list[HolderAItem] | None"), ("extra_key", True, "Any")]


# ---- codegen: the Zig text, checked against zig_core's spec.zig ----

def _zig_check(tmp_path: Path, texts: dict[str, str]) -> subprocess.CompletedProcess[str]:
    spec_zig = REPO / "zig_core" / "src" / "schema" / "spec.zig"
    assert spec_zig.is_file(), "zig_core/src/schema/spec.zig (schemacore) is not in this checkout"
    (tmp_path / "spec.zig").write_text(spec_zig.read_text())
    stub = ("const schema = struct { fn module(comptime s: @import(\"spec.zig\").Spec) void "
            "{ if (s.roots.len == 0 or s.nodes.len == 0) @compileError(\"empty\"); } };")
    for name, text in texts.items():
        assert 'const schema = @import("zig_core").schema;' in text
        (tmp_path / f"{name}.zig").write_text(text.replace('const schema = @import("zig_core").schema;', stub))
    root = "\n".join(f'comptime {{ _ = @import("{n}.zig"); }}' for n in texts) + "\n"
    (tmp_path / "all.zig").write_text(root)
    return subprocess.run([sys.executable, "-m", "ziglang", "build-obj", "all.zig", "-fno-emit-bin"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


CORPUS: dict[str, Any] = {
    "order": ORDER,
    "scalars": {"title": "S", "properties": {"e": {"enum": [1, "a\"\\\n\u00e9\U0001F600", None]}, "n": {"minimum": 1e-300, "maximum": -0.0},
                                             "d": {"default": "line\nbreak", "description": "tab\there \"q\""}}},
    "bools": True,
    "never": False,
    "array_root": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "integer"}}}},
    "compose": {"anyOf": [{"type": "string"}, {"type": "null"}], "oneOf": [{"maxLength": 3}], "allOf": [{"minLength": 1}],
                "not": {"const": "x"}},
}


def test_rendered_text_type_checks_against_spec_zig(tmp_path: Path) -> None:
    texts = {name: codegen.render(spec_of(s, name)) for name, s in CORPUS.items()}
    text = texts["order"]
    assert text.startswith("//! Generated by zigimport from a dict. Do not edit.\n")
    assert '.name = "order",' in text and '.roots = &.{ .{ .name = "Order", .node = 0 } },' in text
    assert '.patterns = &.{ "^[A-Z]{3}-\\\\d+$" },' in text and '.additional = .forbid,' in text
    assert '.enum_values = &.{ "1", "\\"a\\\\\\"\\\\\\\\\\\\n\\xc3\\xa9\\xf0\\x9f\\x98\\x80\\"", "null" }' in texts["scalars"]
    assert text.isascii() and texts["scalars"].isascii()
    out = _zig_check(tmp_path, texts)
    assert out.returncode == 0, out.stderr
    # and a wrong name is caught by the same check (so the check checks)
    out = _zig_check(tmp_path, {"bad": text.replace(".class = 0", ".klass = 0", 1)})
    assert out.returncode != 0 and "no field named 'klass'" in out.stderr


def test_a_lone_surrogate_is_a_schema_error() -> None:
    from zigimport.schema.loader import render_text

    spec = spec_of(json.loads('{"title": "P", "description": "bad \\ud800 here", "properties": {}}'))
    with pytest.raises(zigimport.SchemaError, match=r"'\\\\ud800', a lone surrogate"):
        render_text(spec, None)


# ---- stubs, checked by mypy (no compile needed: mypy reads the .pyi) ----

def test_stub_content_and_mypy_accepts_correct_use_and_rejects_wrong_types(tmp_path: Path) -> None:
    text = stubs.stub_text(spec_of(ORDER, "order"), "0123")
    assert text.startswith("# Generated by zigimport from a dict (digest 0123). Do not edit.\n")
    assert "class Order:\n    \"\"\"An order.\"\"\"\n    id: str\n    status: Literal['new', 'paid', 'shipped']\n" in text
    assert "    customer: OrderCustomer\n    items: list[OrderItemsItem]\n    tags: list[str] | None\n" in text
    assert ("    def __init__(self, *, id: str, customer: OrderCustomer | Mapping[str, Any], "
            "items: Sequence[OrderItemsItem | Mapping[str, Any]], status: Literal['new', 'paid', 'shipped'] = ..., ") in text
    assert "    def from_json(cls, data: str | bytes | bytearray | memoryview) -> Self: ..." in text
    assert "    def from_json_lines(cls, data: str | bytes | bytearray | memoryview) -> list[Self]: ..." in text
    assert "def from_json(data: str | bytes | bytearray | memoryview, *, root: Literal['Order'] | None = None) -> Order: ..." in text
    (tmp_path / "order.pyi").write_text(text)
    good = """\
        from order import Order, OrderCustomer, OrderItemsItem, from_json
        o = Order(id="x", customer={"name": "Ann"}, items=[OrderItemsItem(sku="ABC-1", qty=2)], status="paid")
        n: int = o.items[0].qty
        s: str | None = o.customer.email
        o2: Order = Order.from_json(o.to_json())
        many: list[Order] = Order.from_json_lines(b"")
        root: Order = from_json("{}")
        o.tags = ["a"]
        d: dict[str, object] = o.to_dict()
        """
    ok = mypy_code(tmp_path, textwrap.dedent(good), ["--strict"])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = """\
        from order import Order, OrderItemsItem
        o = Order(id=3, customer={"name": "Ann"}, items=[])
        OrderItemsItem(sku="A", qty="2")
        o.status = "lost"
        n: str = o.items[0].qty
        Order("x", {}, [])
        """
    out = mypy_code(tmp_path, textwrap.dedent(bad), ["--strict"])
    assert out.returncode == 1
    for line, what in ((2, 'Argument "id" to "Order" has incompatible type "int"; expected "str"'),
                       (3, 'Argument "qty" to "OrderItemsItem" has incompatible type "str"; expected "int"'),
                       (4, 'Incompatible types in assignment (expression has type "Literal[\'lost\']"'),
                       (5, 'Incompatible types in assignment (expression has type "int", variable has type "str")'),
                       (6, 'Too many positional arguments for "Order"')):
        assert f":{line}: error: {what}" in out.stdout, out.stdout


def test_stub_qualifies_names_a_class_or_property_would_shadow(tmp_path: Path) -> None:
    spec = spec_of({"title": "Holder", "type": "object", "required": ["str"], "properties": {
        "str": {"type": "integer"}, "list": {"type": "array", "items": {"type": "string"}},
        "seq": {"title": "Sequence", "type": "object", "description": 'ends "quoted"', "properties": {"int": {"type": "string"}}},
    }}, "shadow")
    text = stubs.stub_text(spec, "d")
    assert "import builtins as _b\nimport typing as _t\n" in text and "    str: _b.int\n" in text
    assert "    list: _b.list[_b.str] | None\n" in text and "class Sequence:\n    \"\"\"ends \"quoted\\\"\"\"\"\n" in text
    (tmp_path / "shadow.pyi").write_text(text)
    ok = mypy_code(tmp_path, "from shadow import Holder\nh = Holder(str=1, list=['a'], seq={'int': 'x'})\nn: int = h.str\n"
                   "s: str | None = h.seq.int if h.seq else None\n", ["--strict"])
    assert ok.returncode == 0, ok.stdout
    bad = mypy_code(tmp_path, "from shadow import Holder\nHolder(str='1')\n", ["--strict"])
    assert bad.returncode == 1 and 'Argument "str" to "Holder" has incompatible type "str"; expected "int"' in bad.stdout
    # a property named like a class of the module: the class is spelled by an alias after it
    spec = spec_of({"title": "Shelf", "type": "object", "properties": {
        "Book": {"type": "object", "title": "Book", "properties": {"t": {"type": "string"}}},
        "more": {"type": "array", "items": {"$ref": "#/properties/Book"}}}}, "shelf")
    text = stubs.stub_text(spec, "d")
    assert "    Book: _Book | None\n    more: list[_Book] | None\n" in text and "\n_Book = Book\n" in text
    (tmp_path / "shelf.pyi").write_text(text)
    ok = mypy_code(tmp_path, "from shelf import Shelf, Book\ns = Shelf(Book=Book(t='x'), more=[{'t': 'y'}])\n"
                   "b: Book | None = s.Book\n", ["--strict"])
    assert ok.returncode == 0, ok.stdout


def test_module_with_several_roots_has_overloads(tmp_path: Path) -> None:
    spec = resolve.resolve_roots("multi", {"Person": {"type": "object", "properties": {"n": {"type": "string"}}},
                                           "Count": {"type": "integer"}})
    assert [(r.name, spec.nodes[r.node].class_ is not None) for r in spec.roots] == [("Person", True), ("Count", False)]
    text = stubs.stub_text(spec, "d")
    assert "def from_json(data: str | bytes | bytearray | memoryview, *, root: Literal['Count']) -> int: ..." in text
    (tmp_path / "multi.pyi").write_text(text)
    ok = mypy_code(tmp_path, "from multi import Person, from_json\np: Person = from_json('')\nn: int = from_json('', root='Count')\n",
                   ["--strict"])
    assert ok.returncode == 0, ok.stdout


# ---- the guide page renders the table ----

def test_guide_page_keyword_table_matches_keywords_py() -> None:
    for page in ("docs/schema.md", "README.md"):
        assert keywords.markdown_table() in (REPO / page).read_text(), f"{page}'s keyword table differs from " \
            "zigimport/schema/keywords.py: paste keywords.markdown_table() into it"


# ---- the finder: which file wins (no compile: the spec's loader says) ----

def test_zig_wins_over_zig_json_in_one_folder_and_earlier_path_entries_win(tmp_path: Path) -> None:
    """The path hook's precedence for schema modules (tests/test_path_hook.py has the other kinds)."""
    from importlib.machinery import PathFinder, SourceFileLoader

    from zigimport.finder import ModuleLoader
    from zigimport.schema.loader import SchemaLoader

    first, second = tmp_path / "first", tmp_path / "second"
    write(first / "both.zig", "")
    write(first / "both.zig.json", "{}")
    write(second / "both.zig", "")
    write(first / "only_json.zig.json", "{}")
    write(second / "later.zig", "")
    write(first / "later.zig.json", "{}")
    write(first / "pkg" / "__init__.py", "")
    write(first / "pkg" / "inner.zig.json", "{}")
    write(first / "beside_py.py", "")
    write(first / "beside_py.zig.json", "{}")
    (first / "dir.zig.json").mkdir()
    path = [str(first), str(second)]

    def found(name: str, where: list[str] | None = None) -> tuple[type, str | None] | None:
        spec = PathFinder.find_spec(name, where or path)
        return None if spec is None or spec.loader is None else (type(spec.loader), spec.origin)

    assert found("both") == (ModuleLoader, str(first / "both.zig"))  # the .zig loader (its hit path first)
    assert found("only_json") == (SchemaLoader, str(first / "only_json.zig.json"))
    assert found("later") == (SchemaLoader, str(first / "later.zig.json"))  # the earlier entry, whatever its kind
    assert found("later", [str(second), str(first)]) == (ModuleLoader, str(second / "later.zig"))
    assert found("pkg.inner", [str(first / "pkg")]) == (SchemaLoader, str(first / "pkg" / "inner.zig.json"))
    assert found("beside_py") == (SourceFileLoader, str(first / "beside_py.py"))  # Python's own kinds first in a folder
    assert found("dir") is None and found("nothing") is None


# ---- end to end: compiled modules (shared by the whole run) ----

COMMON = {"$defs": {"Zip": {"type": "string", "pattern": "^[0-9]{5}$", "description": "Five digits."}}}
PERSON = {
    "title": "Person", "description": "Someone.", "type": "object", "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0},
        "kind": {"enum": ["a", "b"], "default": "a"},
        "address": {"type": "object", "required": ["zip"], "properties": {"zip": {"$ref": "common.json#/$defs/Zip"}}},
        "first-name": {"type": "string"},
        "friends": {"type": "array", "items": {"$ref": "#"}},
    },
}
ORDER_IN_PKG = {"type": "object", "properties": {"id": {"type": "integer"},
                                                  "lines": {"type": "array", "items": {"type": "object", "properties": {
                                                      "sku": {"type": "string"}}}}}}


DEBUG = {"ZIG_RELEASEMODE": "Debug"}  # the quickest compile; the default mode is the guide page's (docs/schema.md)


@pytest.fixture(scope="module")
def schema_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """person.zig.json (+ common.json) and shop/order.zig.json, imported (compiled) once per run."""
    def populate(folder: Path) -> None:
        write(folder / "common.json", json.dumps(COMMON))
        write(folder / "person.zig.json", json.dumps(PERSON, indent=2))
        write(folder / "shop" / "__init__.py", "")
        write(folder / "shop" / "order.zig.json", json.dumps(ORDER_IN_PKG))
        run_python("import zigimport, person, shop.order", cwd=folder, env=DEBUG)

    return shared_folder(tmp_path_factory, "schema-modules", populate)


def test_import_a_schema_module_and_one_in_a_package(schema_dir: Path) -> None:
    out = run_python("""\
        import json, zigimport, person, shop.order
        from person import Person
        p = Person(name="Ann", address={"zip": "12345"}, friends=[{"name": "Bo"}])
        assert p.kind == "a" and p.age is None and type(p.address).__name__ == "PersonAddress"
        assert p.friends[0] == Person(name="Bo") and p.first_name is None
        q = Person.from_json('{"name": "Cy", "first-name": "C"}')
        assert q.first_name == "C" and json.loads(q.to_json())["first-name"] == "C"
        assert person.__file__.endswith("person.zig.json") and person.roots == ("Person",)
        assert Person.__module__ == "person" and Person.__doc__ == "Someone."
        try:
            Person(name="Ann", address={"zip": "1234"})
        except zigimport.SchemaValidationError as e:
            assert (e.path, e.rule) == ("address.zip", "pattern"), (e.path, e.rule)
        else:
            raise AssertionError("no SchemaValidationError")
        Order = shop.order.Order
        assert Order.__module__ == "shop.order" and type(shop.order.__spec__.loader).__name__ == "SchemaLoader"
        o = Order.from_json('{"id": 1, "lines": [{"sku": "x"}]}')
        assert type(o.lines[0]).__name__ == "OrderLinesItem" and type(o.lines[0]).__module__ == "shop.order"
        import pickle
        assert pickle.loads(pickle.dumps(o)) == o
        print("ok")
        """, cwd=schema_dir, env=DEBUG)
    assert out.stdout.strip() == "ok" and compile_count(out.stderr) == 0


def test_stub_is_written_beside_the_schema_and_mypy_reads_it(schema_dir: Path) -> None:
    stub = (schema_dir / "person.pyi").read_text()
    assert stub.startswith("# Generated by zigimport from person.zig.json (digest ")
    assert "    address: PersonAddress | None\n" in stub and "    zip: str\n    \"\"\"Five digits.\"\"\"\n" in stub
    assert (schema_dir / "shop" / "order.pyi").is_file()
    bad = mypy_code(schema_dir, "from person import Person\nPerson(name=1)\nn: int = Person(name='a').name\n", ["--strict"])
    assert bad.returncode == 1 and ':2: error: Argument "name" to "Person" has incompatible type "int"; expected "str"' in bad.stdout
    assert ':3: error: Incompatible types in assignment (expression has type "str", variable has type "int")' in bad.stdout


HIT_PROBE = ("import sys, zigimport, person; print(sorted(m for m in sys.modules if m.startswith('zigimport')), "
             "any(m in sys.modules for m in ('json', 'importlib.machinery', 'typing')))")


def test_cache_hit_reads_no_schema_and_imports_the_hit_path_only(schema_dir: Path) -> None:
    out = run_python(HIT_PROBE, cwd=schema_dir, log_level=None, env=DEBUG)
    names_, json_loaded = out.stdout.rsplit(" ", 1)
    loaded = set(eval(names_))  # noqa: S307 - our own probe's output
    assert loaded == {"zigimport", "zigimport.finder", "zigimport.loader", "zigimport.settings", "zigimport.entry",
                      "zigimport.cache_key", "zigimport.cache_dir", "zigimport.toolchain", "zigimport.manifest",
                      "zigimport.core_digest", "zigimport.log", "zigimport.errors", "zigimport.specialize",
                      "zigimport.specialize.generated", "zigimport.schema", "zigimport.schema.loader",
                      "zigimport.schema.record"}, sorted(loaded)
    assert json_loaded.strip() == "False"  # the record hit: no schema read, resolved or rendered; nothing heavy


def test_invalid_json_and_rejected_keywords_fail_the_import(tmp_path: Path) -> None:
    write(tmp_path / "broken.zig.json", '{"title": "B",\n "type": "object" "properties": {}}')
    write(tmp_path / "tagged.zig.json", json.dumps({"properties": {"tags": {"type": "array", "contains": {}}}}))
    out = run_python("""\
        import zigimport
        for name in ("broken", "tagged"):
            try:
                __import__(name)
            except zigimport.SchemaError as e:
                assert isinstance(e, ImportError) and e.name == name and e.path.endswith(name + ".zig.json")
                print(e)
        """, cwd=tmp_path)
    assert out.stdout.splitlines() == [
        "broken.zig.json: invalid JSON: Expecting ',' delimiter: line 2 column 19 (char 33)",
        "tagged.zig.json#/properties/tags/contains: 'contains' is not supported",
    ]


def test_editing_the_schema_or_a_referenced_file_rebuilds(tmp_path: Path) -> None:
    env = DEBUG
    write(tmp_path / "defs.json", json.dumps({"$defs": {"N": {"type": "integer", "maximum": 10}}}))
    schema = {"title": "Edited", "type": "object", "properties": {"n": {"$ref": "defs.json#/$defs/N"}}}
    write(tmp_path / "edited.zig.json", json.dumps(schema))
    probe = """\
        import zigimport, edited
        try:
            edited.Edited(n=50)
            print("ok 50")
        except zigimport.SchemaValidationError as e:
            print(e)
        """
    first = run_python(probe, cwd=tmp_path, env=env)
    assert first.stdout.strip() == "n: 50 > maximum 10" and compile_count(first.stderr) == 1
    digest1 = (tmp_path / "edited.pyi").read_text().splitlines()[0]
    again = run_python(probe, cwd=tmp_path, env=env)
    assert compile_count(again.stderr) == 0
    write(tmp_path / "defs.json", json.dumps({"$defs": {"N": {"type": "integer", "maximum": 100}}}))
    second = run_python(probe, cwd=tmp_path, env=env)
    assert second.stdout.strip() == "ok 50" and compile_count(second.stderr) == 1
    write(tmp_path / "edited.zig.json", json.dumps(schema, indent=4))  # same schema, other bytes: no rebuild
    same = run_python(probe, cwd=tmp_path, env=env)
    assert same.stdout.strip() == "ok 50" and compile_count(same.stderr) == 0
    # an edit while running, then importlib.reload: the module is rebuilt and refreshed in place
    schema["properties"]["n"] = {"type": "integer", "minimum": 60, "description": "At least 60."}
    third = run_python(f"""\
        import importlib, zigimport, edited
        module, old = edited, edited.Edited
        assert old(n=50).n == 50
        open("edited.zig.json", "w").write({json.dumps(schema)!r})
        importlib.reload(edited)
        assert edited is module and edited.Edited is not old and edited.__file__.endswith("edited.zig.json")
        try:
            edited.Edited(n=50)
        except zigimport.SchemaValidationError as e:
            print(e)
        """, cwd=tmp_path, env=env)
    assert third.stdout.strip() == "n: 50 < minimum 60" and compile_count(third.stderr) == 1
    stub = (tmp_path / "edited.pyi").read_text()
    assert stub.splitlines()[0] != digest1 and '    n: int | None\n    """At least 60."""\n' in stub
    # a .pyi the user wrote is left alone (the stub goes into the cache instead)
    (tmp_path / "edited.pyi").write_text("# my own\n")
    run_python("import zigimport, edited", cwd=tmp_path, env=env)
    assert (tmp_path / "edited.pyi").read_text() == "# my own\n"
    # ZIGIMPORT_STUBS=cache: the stub goes into the cache; off: nowhere (both cache hits)
    (tmp_path / "edited.pyi").unlink()
    run_python("import zigimport, edited", cwd=tmp_path, env={**env, "ZIGIMPORT_STUBS": "off"})
    assert not (tmp_path / "edited.pyi").exists()
    run_python("import zigimport, edited", cwd=tmp_path, env={**env, "ZIGIMPORT_STUBS": "cache"})
    cached = list((Path(os.environ["ZIGIMPORT_CACHE_DIR"]) / "generated").glob("edited_*.pyi"))
    assert not (tmp_path / "edited.pyi").exists() and [p.read_text() for p in cached] == [stub]
    # ZIG_NORECOMPILE: an edited schema loads the build of its last import, with a warning
    schema["properties"]["n"] = {"type": "integer", "minimum": 70}
    write(tmp_path / "edited.zig.json", json.dumps(schema))
    stale = run_python(probe, cwd=tmp_path, env={**env, "ZIG_NORECOMPILE": "1"})
    assert stale.stdout.strip() == "n: 50 < minimum 60" and compile_count(stale.stderr) == 0
    assert "ZIG_NORECOMPILE is set: loading" in stale.stderr and "(stale)" in stale.stderr


def test_two_processes_importing_a_new_schema_compile_it_once(tmp_path: Path) -> None:
    write(tmp_path / "race_schema.zig.json", json.dumps({"title": "Race", "type": "object",
                                                         "properties": {"v": {"type": "integer"}}}))
    go = tmp_path / "go"
    code = f"""\
        import os, time
        while not os.path.exists({str(go)!r}):
            time.sleep(0.002)
        import zigimport, race_schema
        print(race_schema.Race(v=4).v * 2)
        """
    env = DEBUG
    procs = [popen_python(code, cwd=tmp_path, env=env) for _ in range(3)]
    time.sleep(0.3)
    go.touch()
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0] * 3, [err for _, err in results]
    assert [out.strip() for out, _ in results] == ["8"] * 3
    assert sum(compile_count(err) for _, err in results) == 1


def test_schema_module_and_schema_class_from_dicts(tmp_path: Path) -> None:
    out = run_python("""\
        import pickle, sys, zigimport
        Point = zigimport.schema_class({"title": "Test Point", "type": "object", "required": ["x"],
                                        "properties": {"x": {"type": "number"}, "y": {"type": "number"}}},
                                       release_mode="Debug")
        assert Point.__name__ == "TestPoint" and Point.__module__ == "test_point" and sys.modules["test_point"].TestPoint is Point
        p = Point(x=1)
        assert p.x == 1 and type(p.x) is int and pickle.loads(pickle.dumps(p)) == p  # an int stays exact, as json
        m = zigimport.schema_module({"type": "array", "items": {"type": "object", "properties": {"v": {"type": "integer"}}}},
                                    name="item_list", release_mode="Debug")
        assert [i.v for i in m.from_json('[{"v": 1}, {"v": 2}]')] == [1, 2] and m.__name__ == "item_list"
        assert type(m.from_json('[{}]')[0]) is m.ItemListItem
        for call, exc in ((lambda: zigimport.schema_module({"type": "string"}), TypeError),
                          (lambda: zigimport.schema_module([], name="x"), TypeError),
                          (lambda: zigimport.schema_module({}, name="not a name"), ValueError),
                          (lambda: zigimport.schema_module({}, name="pickle"), ValueError),
                          (lambda: zigimport.schema_module({}, name="x", release_mode="Fast"), ValueError),
                          (lambda: zigimport.schema_class({"type": "string"}, name="s"), zigimport.SchemaError),
                          (lambda: zigimport.schema_module({"minLength": -1}, name="x"), zigimport.SchemaError)):
            try:
                call()
            except exc as e:
                print(type(e).__name__, e)
            else:
                raise AssertionError(call)
        """, cwd=tmp_path)
    assert out.stdout.splitlines() == [
        "TypeError schema_module() needs name= when the schema has no 'title'",
        "TypeError schema must be a JSON Schema as a dict (or True/False), not list",
        "ValueError name='not a name' is not a module name (dotted Python identifiers, e.g. 'person' or 'pkg.person')",
        "ValueError name='pickle' is the name of an imported module (<module 'pickle' from "
        f"{os.path.join(os.path.dirname(os.__file__), 'pickle.py')!r}>), which a schema module would replace in "
        "sys.modules; choose another name",
        "ZigSettingsError release_mode='Fast' is not a Zig release mode; valid values: Debug, ReleaseSafe, ReleaseFast, ReleaseSmall",
        "SchemaError schema#: the root schema is not an object with 'properties', so it has no class; use "
        "zigimport.schema_module(...).from_json",
        "SchemaError schema#/minLength: 'minLength' must be a non-negative integer, not -1",
    ]


def test_a_schema_module_without_classes(tmp_path: Path) -> None:
    """Roots that are no object (and hold none): the module has from_json/from_python/to_json and no class.
    The same compile checks what schemafront renders for exact numbers and `const`."""
    out = run_python("""\
        import zigimport
        from zigimport.schema.compile import module_from_roots
        m = module_from_roots("int_list", {
            "IntList": {"type": "array", "items": {"type": "integer"}},
            "u64": {"type": "integer", "minimum": 0, "maximum": 18446744073709551615},
            "big_excl": {"exclusiveMinimum": -18446744073709551617, "exclusiveMaximum": 10**30},
            "n": {"type": "number", "multipleOf": 0.5},
            "c": {"const": "x"},
        }, release_mode="Debug")
        assert m.roots == ("IntList", "u64", "big_excl", "n", "c") and not [v for v in vars(m).values() if isinstance(v, type) and v.__module__ == "int_list"]
        assert m.from_json("[1, 2]") == [1, 2] and m.from_python((3,)) == [3] and m.to_json([4, 5]) == "[4,5]"
        assert m.from_json("18446744073709551615", root="u64") == 2**64 - 1 == m.from_python(2**64 - 1, root="u64")
        assert m.to_json(2**64 - 1, root="u64") == "18446744073709551615"
        assert m.from_json("-18446744073709551616", root="big_excl") == -(2**64)
        big = 10**30 - 1
        assert m.from_json(str(big), root="n") == big and m.to_json(big, root="n") == str(big)  # exact, an int
        assert m.from_json("1e308", root="n") == 1e308 and m.to_json(m.from_json("2.5", root="n"), root="n") == "2.5"
        assert m.to_json("x", root="c") == '"x"'
        for call in (lambda: m.from_python([1, "x"]), lambda: m.from_json("18446744073709551616", root="u64"),
                     lambda: m.from_python(-(2**64) - 1, root="big_excl"), lambda: m.from_json(str(10**30), root="big_excl"),
                     lambda: m.from_json("1e400", root="n"), lambda: m.to_json(float("nan"), root="n"),
                     lambda: m.from_json('"y"', root="c"), lambda: m.to_json(1.25, root="n")):
            try:
                call()
            except zigimport.SchemaValidationError as e:
                print(e.rule, e)
        """, cwd=tmp_path)
    assert out.stdout.splitlines() == [
        "type $[1]: 'x' is not of type 'integer'",
        "maximum $: 18446744073709551616 > maximum 18446744073709551615 (line 1 column 1)",
        "exclusiveMinimum $: -18446744073709551617 <= exclusiveMinimum -18446744073709551617",
        f"exclusiveMaximum $: {10**30} >= exclusiveMaximum {10**30} (line 1 column 1)",
        "type $: inf is not a JSON number (JSON has no inf or nan) (line 1 column 1)",
        "type $: nan is not a JSON number (JSON has no inf or nan)",
        "const $: 'x' was expected (line 1 column 1)",
        "multipleOf $: 1.25 is not a multiple of 0.5",
    ]


def test_module_from_roots_holds_independent_roots(tmp_path: Path) -> None:
    out = run_python("""\
        import zigimport
        from zigimport.schema.compile import module_from_roots
        m = module_from_roots("suite_roots", {
            "first": {"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"type": "integer"}}},
            "second": {"type": "array", "items": {"$ref": "#/$defs/A"}, "$defs": {"A": {"type": "string"}}},
            "enum_obj": {"title": "E", "type": "object", "properties": {"a": {"type": "integer"}}, "enum": [{"a": 1}]},
        }, release_mode="Debug")
        assert m.roots == ("first", "second", "enum_obj")
        # docs/schema.md "What a class checks by itself": the node's enum is the module's, not the class's
        assert m.from_json('{"a": 1}', root="enum_obj") == m.E(a=1) == m.E.from_json('{"a": 1}')
        assert m.E.from_json('{"a": 2}') == m.E(a=2) == m.E.from_dict({"a": 2}) and m.E(a=2).to_json() == '{"a":2}'
        for call in (lambda: m.from_json('{"a": 2}', root="enum_obj"), lambda: m.from_python(m.E(a=2), root="enum_obj"),
                     lambda: m.to_json(m.E(a=2), root="enum_obj")):
            try:
                call()
                raise AssertionError("accepted")
            except zigimport.SchemaValidationError as e:
                assert e.rule == "enum", e
        assert m.from_json('{"a": 1}').a == 1
        assert m.from_json('["x"]', root="second") == ["x"]
        try:
            m.from_json('[1]', root="second")
        except ValueError as e:
            print(type(e).__name__, e.path)
        """, cwd=tmp_path)
    assert out.stdout.strip() == "SchemaValidationError $[0]"


def test_a_schema_created_while_running_is_found_as_a_new_py_would_be(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """name.zig.json rides on FileFinder's folder listing: a folder whose mtime moved is listed again;
    ``importlib.invalidate_caches()`` makes sure (a file created within the listing's timestamp tick)."""
    import importlib
    import importlib.util

    from zigimport.schema.loader import SchemaLoader

    folders = [tmp_path / f"d{i}" for i in range(3)]
    for f in folders:
        f.mkdir()
    monkeypatch.setattr(sys, "path", [str(f) for f in folders] + sys.path)
    with pytest.raises(ImportError):
        importlib.import_module("schema_miss_probe")  # the folders are listed
    write(folders[1] / "schema_miss_probe.zig.json", "{}")
    importlib.invalidate_caches()  # as for a .py file created while running
    spec = importlib.util.find_spec("schema_miss_probe")
    assert spec is not None and isinstance(spec.loader, SchemaLoader) and spec.origin == str(folders[1] / "schema_miss_probe.zig.json")


def test_the_cli_builds_and_writes_stubs_for_schema_modules(schema_dir: Path) -> None:
    """``zigimport build``/``stubs`` know ``.zig.json`` (integrations/sources.py's SCHEMA kind)."""
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "zigimport", *args], cwd=schema_dir, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})

    built = cli("build", "person.zig.json", "shop", "-O", "Debug")
    assert built.returncode == 0, built.stdout + built.stderr
    assert built.stdout.splitlines()[-1] == "2 builds: 0 compiled, 2 already current, 0 failed", built.stdout
    stub = cli("stubs", "person.zig.json")
    assert stub.returncode == 0 and (schema_dir / "person.pyi").read_text().startswith("# Generated by zigimport from person.zig.json")
