"""THE keyword table: every JSON Schema (draft 2020-12) keyword, as supported, ignored or rejected.

resolve.py consults it for each key of a schema object, and docs/schema.md's table is rendered from it
(tests/test_schema_import.py checks the page matches).  A key outside the table is rejected too (a typo such
as ``minLenght`` must not be silently ignored), except ``x-...`` extension keys, which are annotations.
"""

from __future__ import annotations

SUPPORTED = "supported"
IGNORED = "ignored"
REJECTED = "rejected"

# keyword -> (status, what it does here / why not), in the order the guide page lists them.
TABLE: dict[str, tuple[str, str]] = {
    # types and values
    "type": (SUPPORTED, "a type name or a list of them: `object`, `array`, `string`, `integer`, `number`, `boolean`, `null`"),
    "enum": (SUPPORTED, "any JSON values, compared with JSON equality (`1 == 1.0`, `true != 1`); `Literal[...]` in the stub"),
    "const": (SUPPORTED, "a one-value `enum`; a violation is reported as rule `const` (`'x' was expected`)"),
    "default": (SUPPORTED, "the value an absent optional property takes at construction and in `from_json`; "
                           "checked against the property's `type` and `enum` when the schema is compiled"),
    # objects
    "properties": (SUPPORTED, "an object with `properties` (or `required`) becomes a class, one attribute per property"),
    "required": (SUPPORTED, "required properties are required keyword arguments; the others are optional"),
    "additionalProperties": (SUPPORTED, "`false`: extra properties are rejected; `true`/absent: kept in `__extra__`; "
                                        "a schema: kept and validated"),
    "minProperties": (SUPPORTED, "counts every property present, extras included"),
    "maxProperties": (SUPPORTED, "counts every property present, extras included"),
    # arrays
    "items": (SUPPORTED, "the schema of the items after `prefixItems` (a schema; the draft-07 array form is rejected)"),
    "prefixItems": (SUPPORTED, "schemas of the first items, by position"),
    "minItems": (SUPPORTED, "a non-negative integer"),
    "maxItems": (SUPPORTED, "a non-negative integer"),
    "uniqueItems": (SUPPORTED, "JSON equality (`1` and `1.0` are the same item)"),
    # strings
    "minLength": (SUPPORTED, "in code points, as JSON Schema counts"),
    "maxLength": (SUPPORTED, "in code points, as JSON Schema counts"),
    "pattern": (SUPPORTED, "a Python `re` pattern, matched with `re.search` (unanchored); see Regular expressions"),
    "format": (SUPPORTED, "asserted: `date-time`, `date`, `time`, `email`, `uuid`, `ipv4`, `ipv6`, `hostname`; "
                          "any other format is rejected"),
    # numbers
    "minimum": (SUPPORTED, "a number; compared exactly, an integer bound of any size too (a uint64 maximum)"),
    "maximum": (SUPPORTED, "a number; compared exactly, an integer bound of any size too (a uint64 maximum)"),
    "exclusiveMinimum": (SUPPORTED, "a number, compared exactly (the draft-04 boolean form is rejected)"),
    "exclusiveMaximum": (SUPPORTED, "a number, compared exactly (the draft-04 boolean form is rejected)"),
    "multipleOf": (SUPPORTED, "a number > 0 (an integer beyond 2**53 must be an exact double); as jsonschema: the "
                              "quotient must be an integral double, checked exactly where it would overflow"),
    # composition and references
    "allOf": (SUPPORTED, "every branch; object branches with `properties` are merged into one class"),
    "anyOf": (SUPPORTED, "at least one branch"),
    "oneOf": (SUPPORTED, "exactly one branch"),
    "not": (SUPPORTED, "the value must not match"),
    "$ref": (SUPPORTED, "`#/...` in the same file, `other.json#/...` in a file beside it; recursion allowed; "
                        "no URLs, no `$anchor` names"),
    "$defs": (SUPPORTED, "each entry becomes a class when it is an object schema (named after its key)"),
    "definitions": (SUPPORTED, "the draft-07 spelling of `$defs`"),
    # annotations: read for names and docstrings, or not at all
    "title": (IGNORED, "annotation; names the class"),
    "description": (IGNORED, "annotation; the class or attribute docstring"),
    "examples": (IGNORED, "annotation"),
    "$comment": (IGNORED, "annotation"),
    "deprecated": (IGNORED, "annotation"),
    "readOnly": (IGNORED, "annotation"),
    "writeOnly": (IGNORED, "annotation"),
    "$schema": (IGNORED, "annotation (the draft is always 2020-12)"),
    "$id": (IGNORED, "at the root only (a `$ref` starting with it is local); elsewhere rejected"),
    "$anchor": (IGNORED, "annotation; a `$ref` to an anchor name is rejected"),
    "$vocabulary": (IGNORED, "annotation"),
    "contentMediaType": (IGNORED, "annotation (2020-12 does not assert it)"),
    "contentEncoding": (IGNORED, "annotation (2020-12 does not assert it)"),
    "contentSchema": (IGNORED, "annotation (2020-12 does not assert it)"),
    # rejected: importing a schema that uses one is a SchemaError naming its JSON pointer
    "contains": (REJECTED, "not supported"),
    "minContains": (REJECTED, "not supported"),
    "maxContains": (REJECTED, "not supported"),
    "patternProperties": (REJECTED, "not supported"),
    "propertyNames": (REJECTED, "not supported"),
    "dependentRequired": (REJECTED, "not supported"),
    "dependentSchemas": (REJECTED, "not supported"),
    "dependencies": (REJECTED, "not supported (draft-07; split into `dependentRequired`/`dependentSchemas`)"),
    "if": (REJECTED, "not supported"),
    "then": (REJECTED, "not supported"),
    "else": (REJECTED, "not supported"),
    "unevaluatedItems": (REJECTED, "not supported"),
    "unevaluatedProperties": (REJECTED, "not supported"),
    "additionalItems": (REJECTED, "not supported (draft-07; use `items` after `prefixItems`)"),
    "$dynamicRef": (REJECTED, "not supported"),
    "$dynamicAnchor": (REJECTED, "not supported"),
    "$recursiveRef": (REJECTED, "not supported"),
    "$recursiveAnchor": (REJECTED, "not supported"),
}

SUPPORTED_KEYWORDS = frozenset(k for k, (s, _) in TABLE.items() if s == SUPPORTED)
IGNORED_KEYWORDS = frozenset(k for k, (s, _) in TABLE.items() if s == IGNORED)

# Formats the engine asserts (zig_core/src/schema: Spec.Format), by JSON name -> the Zig enum tag.
FORMATS = {"date-time": "date_time", "date": "date", "time": "time", "email": "email", "uuid": "uuid",
           "ipv4": "ipv4", "ipv6": "ipv6", "hostname": "hostname"}


def status(keyword: str) -> str:
    """``supported``, ``ignored`` or ``rejected`` (a key outside the table is rejected, ``x-...`` ignored)."""
    entry = TABLE.get(keyword)
    if entry is not None:
        return entry[0]
    return IGNORED if keyword.startswith("x-") else REJECTED


def markdown_table() -> str:
    """The table as docs/schema.md shows it (one row per keyword, in TABLE order)."""
    rows = ["| keyword | status | notes |", "|---|---|---|"]
    rows += [f"| `{k}` | {s} | {note} |" for k, (s, note) in TABLE.items()]
    rows.append("| `x-...` | ignored | extension keys (OpenAPI style) |")
    rows.append("| anything else | rejected | a typo must not be silently ignored |")
    return "\n".join(rows)
