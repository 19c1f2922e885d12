"""The JSON-Schema-Test-Suite harness for schema modules (issue 9), shared by tests/test_schema_suite.py and
tests/schema_suite_report.py.

Every case group of the vendored draft 2020-12 files (tests/data/json-schema-test-suite/) becomes one root of
ONE compiled module (`module_from_roots`), so the whole suite costs one compile.  A group whose schema uses a
keyword outside the supported subset (SCHEMA_SPEC.md, issue 9) must instead be rejected with a `SchemaError`
naming that keyword; which groups those are is decided here, from the contract, not from the implementation.

Each test instance is checked through `from_json(json.dumps(instance), root=...)` (str, and bytes with \\u
escapes) and `from_python(instance, root=...)`.  An accepted instance must come back out of `to_json` as JSON
equal to the instance with the schema's defaults filled in (so a verdict reached by silently changing the value
does not pass); a refused one must raise a SchemaValidationError of the documented form whose place and keyword
jsonschema (the reference below: its checkers, and RFC 5321 for email) reports too.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import math
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

DATA = Path(__file__).parent / "data" / "json-schema-test-suite"
SUITE = DATA / "draft2020-12"
KNOWN_FAILURES = DATA / "known_failures.json"
REPORT = DATA / "REPORT.md"
MODULE_NAME = "schema_suite_draft2020_12"
# Debug: the self-hosted backend compiles the ~190-root module several times faster than LLVM's release modes,
# and keeps every safety check on (what a conformance run wants); the verdicts do not depend on the mode.
MODE = "Debug"
SUITE_FROM = "`jsonschema` 4.26.0 sdist"  # where the vendored files come from (README.md there)

# SCHEMA_SPEC.md / issue 9: the keywords a schema module implements ...
SUPPORTED = frozenset({
    "type", "properties", "required", "default", "enum", "const", "$defs", "$ref",
    "items", "prefixItems", "minItems", "maxItems", "uniqueItems",
    "minLength", "maxLength", "pattern", "format",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "additionalProperties", "minProperties", "maxProperties",
    "allOf", "anyOf", "oneOf", "not",
})
# ... the annotations it ignores (`$id` only at the root) ...
IGNORED = frozenset({
    "title", "description", "examples", "$comment", "deprecated", "readOnly", "writeOnly", "$schema",
    "contentMediaType", "contentEncoding",
})
# ... and the asserted formats; everything else is rejected with a SchemaError naming it.
FORMATS = frozenset({"date-time", "date", "time", "email", "uuid", "ipv4", "ipv6", "hostname"})

# Where subschemas sit, for the walk that finds the keywords a schema uses.
_SCHEMA_MAPS = ("properties", "$defs")
_SCHEMA_LISTS = ("prefixItems", "allOf", "anyOf", "oneOf")
_SCHEMA_ONE = ("items", "not", "additionalProperties")


@dataclass
class Group:
    """One case group of a suite file: a schema and its test instances, compiled as root `root`."""

    file: str            # "minLength", "optional/format/email"
    index: int           # position in its file
    description: str
    schema: Any
    tests: list[dict[str, Any]]
    root: str            # the root's name in the compiled module
    rejects: list[str] = field(default_factory=list)  # unsupported keywords it uses: SchemaError expected
    rejected_by: str | None = None  # the SchemaError of a group that should compile but did not (build_module)

    @property
    def group_id(self) -> str:
        return f"{self.file}: {self.description}"

    def case_id(self, test: dict[str, Any]) -> str:
        return f"{self.file}: {self.description} / {test['description']}"


def load_groups() -> list[Group]:
    """Every case group of the vendored files, in file order, each with its expected rejection (if any)."""
    groups: list[Group] = []
    for path in sorted(SUITE.rglob("*.json")):
        file = path.relative_to(SUITE).with_suffix("").as_posix()
        for i, g in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            grp = Group(file, i, g["description"], g["schema"], g["tests"], f"g{len(groups):03d}")
            grp.rejects = sorted(set(unsupported_keywords(g["schema"])))
            groups.append(grp)
    return groups


def unsupported_keywords(schema: Any, *, root_id: str | None = None, at_root: bool = True) -> Iterator[str]:
    """What in `schema` is outside the subset: each must make compiling it a SchemaError whose message or pointer
    names it.  Keywords outside the table; a `$ref` that is not local (not `#`, `#/...`, or the root's own `$id`
    with such a fragment) or an `$id` below the root count as `$ref`/`$id`; a format outside FORMATS as
    `format`; two property names with the same Python attribute (SCHEMA_SPEC §4) as `properties`/`required`."""
    if not isinstance(schema, dict):
        return
    if at_root and isinstance(schema.get("$id"), str):
        root_id = schema["$id"].split("#", 1)[0]
    yield from _attribute_collisions(schema)
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for sub in value.values():
                if key == "properties" and _bad_default(sub):
                    yield "default"
                yield from unsupported_keywords(sub, root_id=root_id, at_root=False)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            for sub in value:
                yield from unsupported_keywords(sub, root_id=root_id, at_root=False)
        elif key in _SCHEMA_ONE:
            yield from unsupported_keywords(value, root_id=root_id, at_root=False)
        elif key == "$ref":
            if not _local_ref(value, root_id):
                yield "$ref"  # remote, relative-file or anchor references
        elif key == "$id":
            if not at_root:
                yield "$id"
        elif key == "format":
            if value not in FORMATS:
                yield "format"
        elif key not in SUPPORTED and key not in IGNORED:
            yield key


def _bad_default(sub: Any) -> bool:
    """A property's `default` that breaks its own `type`/`enum`/`const`: schema modules fill defaults in, so they
    refuse such a schema (docs/schema.md: "checked against the property's type and enum")."""
    if not isinstance(sub, dict) or "default" not in sub:
        return False
    from jsonschema import Draft202012Validator

    check = {k: sub[k] for k in ("type", "enum", "const") if k in sub}
    return bool(check) and not Draft202012Validator(check).is_valid(sub["default"])


def _local_ref(ref: Any, root_id: str | None) -> bool:
    if not isinstance(ref, str):
        return False
    if root_id and ref.startswith(root_id) and ref[len(root_id):len(root_id) + 1] in ("", "#"):
        ref = ref[len(root_id):] or "#"
    return bool(ref == "#" or ref.startswith("#/"))


def _attribute_collisions(schema: dict[str, Any]) -> Iterator[str]:
    """Two property names of one object schema that become the same Python attribute (non-identifier
    characters become '_', SCHEMA_SPEC §4): a SchemaError naming both."""
    props = schema.get("properties")
    keys = list(props) if isinstance(props, dict) else []
    req = schema.get("required")
    keys += [k for k in (req if isinstance(req, list) else []) if isinstance(k, str) and k not in keys]
    seen: dict[str, str] = {}
    for k in keys:
        attr = re.sub(r"\W", "_", k) if not k.isidentifier() else k
        if attr in seen:
            yield "properties" if isinstance(props, dict) and k in props else "required"
            return
        seen[attr] = k


def names_keyword(err: BaseException, keywords: Iterable[str]) -> bool:
    """Whether a SchemaError names one of `keywords` (in its message or as the last token of its pointer)."""
    text = str(err)
    pointer = str(getattr(err, "pointer", ""))
    return any(f"'{k}'" in text or f"/{k}" in text or pointer.endswith("/" + k) for k in keywords)


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality as JSON Schema's `const`/`enum` define it: 1 == 1.0, but true != 1; deep for containers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def with_defaults(schema: Any, instance: Any, root: Any = None) -> Any:
    """`instance` with the schema's `default`s filled in for absent properties, as a schema module does
    (SCHEMA_SPEC §3: an optional field defaults to the schema's `default`, and `to_json` then writes it).
    Follows `properties`, `items`, `prefixItems`, local `$ref` and `allOf`; not the branches of anyOf/oneOf."""
    root = schema if root is None else root
    if not isinstance(schema, dict):
        return instance
    out = copy.deepcopy(instance)
    ref = schema.get("$ref")
    if isinstance(ref, str) and (ref == "#" or ref.startswith("#/")):
        out = with_defaults(_pointer(root, ref), out, root)
    for sub in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
        out = with_defaults(sub, out, root)
    props = schema.get("properties")
    if isinstance(out, dict) and isinstance(props, dict):
        for key, sub in props.items():
            if key in out:
                out[key] = with_defaults(sub, out[key], root)
            elif isinstance(sub, dict) and "default" in sub:
                out[key] = copy.deepcopy(sub["default"])
    if isinstance(out, list):
        got = schema.get("prefixItems")
        prefix: list[Any] = got if isinstance(got, list) else []
        for i, item in enumerate(out):
            sub = prefix[i] if i < len(prefix) else schema.get("items")
            out[i] = with_defaults(sub, item, root)
    return out


def _pointer(root: Any, ref: str) -> Any:
    node = root
    for part in ref[1:].split("/")[1:]:
        part = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")  # a URI fragment, then a pointer
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _accepts(call: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("valid", value), ("invalid", error) for a SchemaValidationError, ("error", exc) for anything else."""
    from zigimport.errors import SchemaValidationError

    try:
        return "valid", call(*args, **kwargs)
    except SchemaValidationError as e:
        return "invalid", e
    except Exception as e:  # noqa: BLE001 - a crash of another kind is a wrong answer, reported as such
        return "error", e


_LINE_COL = re.compile(r" \(line \d+ column \d+\)$")


def error_shape(err: Any, from_json: bool) -> list[str]:
    """What is wrong with a SchemaValidationError's form (SCHEMA_SPEC §3): `"<path>: <detail>"`, `.rule` the
    keyword that failed ("false" for the false schema), and from `from_json*` a ` (line L column C)` ending."""
    out = []
    text = str(err)
    if not text.startswith(f"{err.path}: ") or not (err.path == "$" or err.path[:1] not in ("", ".", "[")):
        out.append(f"message {text!r} does not start with its path {err.path!r}")
    if err.rule not in SUPPORTED | {"false"}:
        out.append(f"rule {err.rule!r} is not a keyword")
    if from_json and not _LINE_COL.search(text):
        out.append(f"message {text!r} does not end with (line L column C)")
    return out


_VALIDATORS: dict[str, Any] = {}


def _validator(group: Group) -> Any:
    if group.root not in _VALIDATORS:
        _VALIDATORS[group.root] = Draft202012Validator(group.schema, format_checker=REFERENCE_FORMATS)
    return _VALIDATORS[group.root]


def check_case(module: ModuleType, group: Group, test: dict[str, Any]) -> str:
    """'pass', or what went wrong for one test instance: from_json (str, and bytes with \\u escapes) and
    from_python; for an invalid one, the error's form and that it is one jsonschema reports too (same place,
    same keyword); for a valid one, the round trip through to_json."""
    data = test["data"]
    want = "valid" if test["valid"] else "invalid"
    problems: list[str] = []
    outs: list[tuple[str, str, Any]] = []
    text = json.dumps(data, ensure_ascii=False)
    for how, call, arg in (("from_json", module.from_json, text),
                           ("from_json(bytes)", module.from_json, json.dumps(data).encode()),  # \u escapes
                           ("from_python", module.from_python, copy.deepcopy(data))):
        verdict, out = _accepts(call, arg, root=group.root)
        outs.append((how, verdict, out))
        if verdict != want:
            detail = f": {type(out).__name__}: {out}" if verdict != "valid" else ""
            problems.append(f"{how} says {verdict}{detail}")
        elif verdict == "invalid":
            problems += [f"{how}: {p}" for p in error_shape(out, how.startswith("from_json"))]
            theirs = jsonschema_errors(_validator(group), data)
            if theirs and not same_error(out, theirs):
                problems.append(f"{how}: {out.rule!r} at {out.path!r} is none of jsonschema's errors {sorted(theirs)}")
    if not problems and want == "valid":
        for how, _, value in outs:
            verdict, text = _accepts(module.to_json, value, root=group.root)
            if verdict != "valid":
                problems.append(f"to_json({how}(...)) raised {type(text).__name__}: {text}")
            elif not json_equal(json.loads(text), with_defaults(group.schema, data)):
                problems.append(f"to_json({how}(...)) gives {text} (not the instance)")
    return "pass" if not problems else "; ".join(problems)


def check_rejected(group: Group) -> str:
    """'pass' when `zigimport.schema_module(schema)` raises a SchemaError naming one of its unsupported keywords."""
    from zigimport.errors import SchemaError

    import zigimport

    try:  # the public path: it refuses before compiling anything (and compiles only if it wrongly accepts)
        zigimport.schema_module(group.schema, name=f"schema_suite_rejected_{group.root}", release_mode=MODE)
    except SchemaError as e:
        if names_keyword(e, group.rejects):
            return "pass"
        return f"SchemaError not naming {group.rejects}: {e} (pointer {getattr(e, 'pointer', None)!r})"
    except Exception as e:  # noqa: BLE001 - any other failure is the wrong kind of rejection
        return f"{type(e).__name__} instead of SchemaError naming {group.rejects}: {e}"
    return f"compiled, but uses {group.rejects}: expected a SchemaError"


def resolve_alone(group: Group) -> None:
    """Resolve a group's schema on its own (Python only, no compile): raises its SchemaError, if any."""
    from zigimport.schema.resolve import resolve_roots

    resolve_roots(f"schema_suite_{group.root}", {group.root: group.schema})


def build_module(groups: list[Group]) -> ModuleType:
    """One module with a root per supported group (the expensive step: one compile for the whole suite).
    A group that should compile but raises SchemaError on its own is left out (`rejected_by`): run_file
    reports its cases, and the others still run."""
    from zigimport.errors import SchemaError
    from zigimport.schema.compile import module_from_roots

    for g in groups:
        if not g.rejects:
            try:
                resolve_alone(g)
            except SchemaError as e:
                g.rejected_by = str(e)
    return module_from_roots(MODULE_NAME, {g.root: g.schema for g in groups if not g.rejects and not g.rejected_by},
                             release_mode=MODE)


# -- the reference: jsonschema, with the one deliberate difference (email) ------------------------------------

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_DOT_ATOM = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*")
_QUOTED = re.compile(r'"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"')


def rfc5321_mailbox(s: object) -> bool:
    """RFC 5321 Mailbox = Local-part "@" ( Domain / address-literal ): a dot-atom or quoted-string local part
    of at most 64 octets; a hostname (as the `hostname` format checks it) or `[IPv4]` / `[IPv6:...]`."""
    if not isinstance(s, str):
        return True
    local, at, domain = s.rpartition("@")
    if not at or not local or not domain or not s.isascii():
        return False
    if len(local) > 64 or not (_DOT_ATOM.fullmatch(local) or _QUOTED.fullmatch(local)):
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        try:
            if literal[:5].lower() == "ipv6:":
                ipaddress.IPv6Address(literal[5:])
            else:
                ipaddress.IPv4Address(literal)
        except ValueError:
            return False
        return True
    # RFC 5321 Domain = sub-domain *("." sub-domain): no trailing dot (which the hostname checker allows)
    return not domain.endswith(".") and bool(_JSONSCHEMA.conforms(domain, "hostname"))


_JSONSCHEMA = Draft202012Validator.FORMAT_CHECKER
REFERENCE_FORMATS = FormatChecker(formats=())
for _name in FORMATS - {"email"}:
    REFERENCE_FORMATS.checkers[_name] = _JSONSCHEMA.checkers[_name]
REFERENCE_FORMATS.checkers["email"] = (rfc5321_mailbox, ())



def pointer_path(parts: list[Any]) -> str:
    """jsonschema's absolute_path as SCHEMA_SPEC §3 spells a path: `items[2].sku`, `$[1]`, `$` for the value."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return ("$" + out if out.startswith("[") else out) or "$"


def jsonschema_errors(validator: Any, instance: Any) -> set[tuple[str, str]]:
    """(path, keyword) of every error jsonschema finds, those inside anyOf/oneOf/allOf branches included."""
    found: set[tuple[str, str]] = set()

    def walk(errors: Any) -> None:
        for e in errors:
            found.add((pointer_path(list(e.absolute_path)), str(e.validator)))
            walk(e.context or ())

    walk(validator.iter_errors(instance))
    return found


def same_error(err: Any, theirs: set[tuple[str, str]]) -> bool:
    """Whether our SchemaValidationError is one of jsonschema's errors: the same path and keyword, where
    `const` reported as `enum` (the spec lowers const to a one-element enum, FINDINGS.md 6), the false schema
    (jsonschema's keyword None) as `false`, and a value refused by a false subschema reported at the value
    (`$[3]` or `bar`, rule `false`) where jsonschema reports it at the array or object (`$`, `items`/None) count
    as the same."""
    path, rule = err.path, err.rule
    if (path, rule) in theirs:
        return True
    if rule == "enum" and (path, "const") in theirs:
        return True
    if rule == "false":  # jsonschema puts these at the array/object, or at the value itself
        places = [path]
        while places[-1] != "$":
            places.append(re.sub(r"(\[\d+\]|\.?[^.\[]+)$", "", places[-1]) or "$")
        return any((p, k) in theirs for p in places for k in ("None", "items", "prefixItems", "properties"))
    return False


def load_known_failures() -> dict[str, str]:
    """case id -> reason ("by design: ..." for a deliberate difference from the suite, else a bug or limit)."""
    known: dict[str, str] = json.loads(KNOWN_FAILURES.read_text(encoding="utf-8"))
    return known


@dataclass
class FileResult:
    """The outcome of one suite file."""

    file: str
    groups: int = 0
    rejected_ok: int = 0                 # groups rejected as documented
    cases: int = 0                       # test instances of supported groups
    passed: int = 0
    known: int = 0                       # listed in known_failures.json and still failing (bugs, limits)
    by_design: int = 0                   # listed with a reason starting "by design:" (a deliberate difference)
    unexpected: list[str] = field(default_factory=list)   # "case id: what went wrong"
    stale: list[str] = field(default_factory=list)        # listed as known but passing now
    rejected_cases: int = 0              # test instances of the rejected groups (not run)


def run_file(module: ModuleType, groups: list[Group], file: str, known: dict[str, str]) -> FileResult:
    """Check every group of one suite file."""
    res = FileResult(file)
    for g in groups:
        if g.file != file:
            continue
        res.groups += 1
        if g.rejects:
            res.rejected_cases += len(g.tests)
            outcome = check_rejected(g)
            gid = g.group_id
            if outcome == "pass":
                res.rejected_ok += 1
                if gid in known:
                    res.stale.append(gid)
            elif gid in known:
                res.known += 1
            else:
                res.unexpected.append(f"{gid}: {outcome}")
            continue
        for t in g.tests:
            res.cases += 1
            cid = g.case_id(t)
            if g.rejected_by:  # listed by group (its reason covers every case) or by case
                cid = g.group_id if g.group_id in known else cid
                outcome = f"the schema was rejected: {g.rejected_by}"
            else:
                outcome = check_case(module, g, t)
            if outcome == "pass":
                res.passed += 1
                if cid in known:
                    res.stale.append(cid)
            elif cid in known:
                if known[cid].startswith("by design:"):
                    res.by_design += 1
                else:
                    res.known += 1
            else:
                res.unexpected.append(f"{cid}: {outcome}")
        if g.group_id in known and not g.rejected_by:
            res.stale.append(g.group_id)
    return res


def files(groups: list[Group]) -> list[str]:
    """The suite files in order."""
    return sorted({g.file for g in groups})
