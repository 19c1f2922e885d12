"""Schema modules (issue 9) against the `jsonschema` package on a corpus of realistic schemas
(tests/data/schemas/: an order, a recursive tree, unions with null, tuples and unique arrays, every form of
additionalProperties, every asserted format).

Instances come from `hypothesis-jsonschema` (valid ones) and from mutating them (a required key dropped, a
value of the wrong type, a number or length out of range, a malformed format string, an extra key); every one
must get the same verdict from our module (`from_json` and `from_python`) as from
`jsonschema.Draft202012Validator(schema, format_checker=...)`.

`email` is the one deliberate difference (SCHEMA_SPEC §3): jsonschema's checker accepts any string with an
"@", ours requires an RFC 5321 mailbox.  The reference validator here therefore checks `email` with
`rfc5321_mailbox` below (written from RFC 5321 §4.1.2/§4.5.3.1, independent of the implementation), and
`test_email_is_stricter_never_looser` checks that whatever it accepts, jsonschema's checker accepts too.
All other formats are jsonschema's own checkers (rfc3339-validator, fqdn, ipaddress, uuid).

Also: exact round trips (to_json/from_json/from_python, pickle, deepcopy) of the valid instances; for the
invalid ones, an error at a place and keyword jsonschema reports too; from_json_lines/from_json_array against
from_json one by one; 87 format edge cases against the reference.

All corpus schemas are the roots of one compiled module (a session fixture). Hypothesis runs derandomized
with bounded examples and no database, so the run is the same every time.
"""

from __future__ import annotations

import copy
import functools
import json
import pickle
import re
import types
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import schema_suite as suite

CORPUS_DIR = Path(__file__).parent / "data" / "schemas"
CORPUS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS_DIR.glob("*.json"))}

SETTINGS = settings(max_examples=40, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


# -- the reference -------------------------------------------------------------------------------------------

rfc5321_mailbox = suite.rfc5321_mailbox
REFERENCE_FORMATS = suite.REFERENCE_FORMATS
_JSONSCHEMA = Draft202012Validator.FORMAT_CHECKER


@functools.cache
def reference(root: str) -> Draft202012Validator:
    """The reference verdicts for corpus schema `root`."""
    return Draft202012Validator(CORPUS[root], format_checker=REFERENCE_FORMATS)


# -- generation ----------------------------------------------------------------------------------------------

def _hypothesis_jsonschema() -> Any:
    """hypothesis_jsonschema.from_schema, fitted to this Hypothesis: 0.23.1 (the newest) drives
    `hypothesis.internal.conjecture.utils.many` through `.more()`, which Hypothesis 6.1xx replaced by an
    iterator protocol; the adapter below gives it the old method on top of the new one (only if needed)."""
    import hypothesis_jsonschema._from_schema as fs
    from hypothesis.internal.conjecture import utils as cu
    from hypothesis_jsonschema import from_schema

    if not hasattr(cu.many, "more") and not isinstance(getattr(fs, "cu"), types.SimpleNamespace):
        end = object()

        class MoreMany:
            def __init__(self, data: Any, **kw: Any) -> None:
                self._many = cu.many(data, **kw)
                self._many.__enter__()
                self._it = iter(self._many)

            def more(self) -> bool:
                if next(self._it, end) is end:
                    self._many.__exit__(None)
                    return False
                return True

            def reject(self, why: str | None = None) -> None:
                self._many.reject(why)

        setattr(fs, "cu", types.SimpleNamespace(many=MoreMany))  # noqa: B010 - the module's own global
    return from_schema


def generation_schema(schema: Any) -> Any:
    """The schema rewritten for hypothesis-jsonschema, which knows drafts 4-7 and no recursive `$ref`:
    local references inlined (recursion cut after three levels with `false`), `prefixItems`/`items` as draft 7's
    `items` list/`additionalItems`.  Only generation uses it; verdicts come from the 2020-12 original."""
    root = schema

    def resolve(ref: str) -> Any:
        node = root
        for part in ref.lstrip("#").split("/")[1:]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def walk(s: Any, depth: int) -> Any:
        if not isinstance(s, dict):
            return s
        out: dict[str, Any] = {}
        if "$ref" in s:
            if depth >= 3:
                return False
            target = walk(resolve(s["$ref"]), depth + 1)
            rest = {k: v for k, v in s.items() if k not in ("$ref", "$defs", "$schema")}
            return target if not rest else {"allOf": [target, walk(rest, depth)]}
        for k, v in s.items():
            if k in ("$defs", "$schema"):
                continue
            if k in ("properties",):
                out[k] = {name: walk(sub, depth) for name, sub in v.items()}
            elif k in ("allOf", "anyOf", "oneOf"):
                out[k] = [walk(sub, depth) for sub in v]
            elif k in ("not", "additionalProperties"):
                out[k] = walk(v, depth)
            elif k == "prefixItems":
                out["items"] = [walk(sub, depth) for sub in v]
                if "items" in s:
                    out["additionalItems"] = walk(s["items"], depth)
            elif k == "items":
                if "prefixItems" not in s:
                    out["items"] = walk(v, depth)
            else:
                out[k] = v
        return out

    return walk(schema, 0)


def instances(root: str) -> st.SearchStrategy[Any]:
    """Valid instances of corpus schema `root`, from hypothesis-jsonschema."""
    from_schema = _hypothesis_jsonschema()
    strategy: st.SearchStrategy[Any] = from_schema(generation_schema(CORPUS[root]),
                                                   custom_formats={"uuid": st.uuids().map(str)})
    return strategy


# Examples per schema: hypothesis-jsonschema draws an object key by key (~0.1-0.2 s per order instance), so
# each schema's instances are generated once, in one derandomized run, and the tests share them.
POOL_SIZE = {"order": 15}
_POOLS: dict[str, list[Any]] = {}


def pool(root: str) -> list[Any]:
    """The generated (valid) instances of corpus schema `root`: the same list every run."""
    if root not in _POOLS:
        found: list[Any] = []

        @settings(SETTINGS, max_examples=POOL_SIZE.get(root, 30), phases=[Phase.generate])
        @given(instances(root))
        def collect(instance: Any) -> None:
            found.append(instance)

        collect()
        _POOLS[root] = found
    return _POOLS[root]


_WRONG_TYPES = [None, True, 0, -7, 2.5, "", "x", [], [1], {}, {"k": 1}]
_BAD_STRINGS = ["", "x" * 600, "2024-02-30", "2024-13-01T10:00:00Z", "2024-01-01 10:00", "25:00:00Z", "10:00",
                "ann@", "@example.com", "ann..lee@example.com", "ann@exa_mple.com", "ann@[300.1.1.1]",
                "1.2.3.256", "01.2.3.4", "1.2.3", "::g", "1:2:3:4:5:6:7:8:9", "-host", "ho st", "a" * 64 + ".com",
                "0123456789abcdef0123456789abcdef", "0123456-89ab-cdef-0123-456789abcdef", "ABC-12", "abc-1234",
                "+49 (30) 1234567", "ZZ", "EUR", "usd", "pending", "admin"]
_BAD_NUMBERS = [-1, 0, 1001, 100, 1e6, -1e6, 0.5, 100000.01, 151, 15, 91.0, -181, 2**70]


def _locations(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _locations(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _locations(v, (*path, i))


def _replace(doc: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = new
    return doc


@st.composite
def mutated(draw: Any, valid: list[Any]) -> tuple[str, Any]:
    """(what was done, the mutated instance) from one of the `valid` instances."""
    doc = copy.deepcopy(draw(st.sampled_from(valid)))
    locs = list(_locations(doc))
    kind = draw(st.sampled_from(["drop", "wrong_type", "out_of_range", "bad_string", "extra_key"]))
    objects = [(p, v) for p, v in locs if isinstance(v, dict)]
    if kind == "drop" and any(v for _, v in objects):
        path, obj = draw(st.sampled_from([(p, v) for p, v in objects if v]))
        key = draw(st.sampled_from(sorted(obj)))
        del obj[key]
        return f"drop {key!r} at {list(path)}", doc
    if kind == "extra_key" and objects:
        path, obj = draw(st.sampled_from(objects))
        obj["zz_extra"] = draw(st.sampled_from([1, "x", None, [], {"a": 1}]))
        return f"extra key at {list(path)}", doc
    numbers = [(p, v) for p, v in locs if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if kind == "out_of_range" and numbers:
        path, _ = draw(st.sampled_from(numbers))
        new = draw(st.sampled_from(_BAD_NUMBERS))
        return f"{new!r} at {list(path)}", _replace(doc, path, new)
    strings = [(p, v) for p, v in locs if isinstance(v, str)]
    if kind in ("bad_string", "out_of_range") and strings:
        path, _ = draw(st.sampled_from(strings))
        new = draw(st.sampled_from(_BAD_STRINGS))
        return f"{new!r} at {list(path)}", _replace(doc, path, new)
    path, _ = draw(st.sampled_from(locs))
    new = draw(st.sampled_from(_WRONG_TYPES))
    return f"{new!r} at {list(path)}", _replace(doc, path, new)


# -- the module ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def corpus(zigimport_cache: object) -> ModuleType:
    from zigimport.schema.compile import module_from_roots

    return module_from_roots("schema_corpus", CORPUS, release_mode=suite.MODE)  # Debug: see schema_suite.MODE


def verdicts(module: ModuleType, root: str, instance: Any) -> dict[str, str]:
    """Our verdict through both entry points: 'valid', 'invalid' (SchemaValidationError) or the exception."""
    from zigimport.errors import SchemaValidationError

    out = {}
    for how, call, arg in (("from_json", module.from_json, json.dumps(instance)),
                           ("from_python", module.from_python, copy.deepcopy(instance))):
        try:
            call(arg, root=root)
            out[how] = "valid"
        except SchemaValidationError as e:
            shape = suite.error_shape(e, how == "from_json")
            out[how] = "invalid" if not shape else f"invalid, but {shape}"
        except Exception as e:  # noqa: BLE001 - reported as a wrong answer
            out[how] = f"{type(e).__name__}: {e}"
    return out


def jsonschema_errors(root: str, instance: Any) -> set[tuple[str, str]]:
    return suite.jsonschema_errors(reference(root), instance)


def assert_same_error(module: ModuleType, root: str, instance: Any, what: str) -> None:
    """Our first violation is one jsonschema reports too: the same place and the same keyword
    (schema_suite.same_error says which spellings count as the same)."""
    from zigimport.errors import SchemaValidationError

    theirs = jsonschema_errors(root, instance)
    for how, call, arg in (("from_json", module.from_json, json.dumps(instance)),
                           ("from_python", module.from_python, copy.deepcopy(instance))):
        with pytest.raises(SchemaValidationError) as err:
            call(arg, root=root)
        assert suite.same_error(err.value, theirs), (
            f"{root} {how}: we report {err.value.rule!r} at {err.value.path!r} ({err.value}); jsonschema: "
            f"{sorted(theirs)} for {what} {json.dumps(instance)[:300]}")


def assert_same_verdict(module: ModuleType, root: str, instance: Any, what: str = "") -> bool:
    want = "valid" if reference(root).is_valid(instance) else "invalid"
    got = verdicts(module, root, instance)
    errors = [] if want == "valid" else [e.message for e in reference(root).iter_errors(instance)][:2]
    assert got == {"from_json": want, "from_python": want}, (
        f"{root}: jsonschema says {want} {errors}, we say {got} for {what} {json.dumps(instance)[:500]}")
    return want == "valid"


# -- the tests -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("root", sorted(CORPUS))
def test_generated_instances_agree_with_jsonschema(corpus: ModuleType, root: str) -> None:
    """hypothesis-jsonschema's instances: the same verdict as jsonschema, and exact round trips for the valid:
    to_json(from_json(s)) is s as JSON (with the schema's defaults filled in), from_json(to_json(x)) == x, and
    from_python gives the same value."""
    validator = reference(root)
    valid = 0
    for instance in pool(root):
        if not assert_same_verdict(corpus, root, instance, "a generated instance"):
            continue
        valid += 1
        text = json.dumps(instance, ensure_ascii=False)
        value = corpus.from_json(text, root=root)
        out = corpus.to_json(value, root=root)
        assert suite.json_equal(json.loads(out), suite.with_defaults(CORPUS[root], instance)), (text, out)
        assert corpus.from_json(out, root=root) == value, out
        assert corpus.from_json(out.encode(), root=root) == value, out
        assert corpus.from_python(instance, root=root) == value, text
        assert pickle.loads(pickle.dumps(value)) == value and copy.deepcopy(value) == value
        assert validator.is_valid(json.loads(out))
    assert valid >= len(pool(root)) // 2, f"only {valid} of {len(pool(root))} generated instances are valid"


@pytest.mark.parametrize("root", sorted(CORPUS))
def test_mutated_instances_agree_with_jsonschema(corpus: ModuleType, root: str) -> None:
    """Generated instances with one change each (a key dropped or added, a wrong type, a bad number/string):
    the same verdict, and for the invalid ones an error at a place and keyword jsonschema reports too."""
    seen = {"valid": 0, "invalid": 0}

    @settings(SETTINGS, max_examples=100)
    @given(mutated(pool(root)))
    def check(case: tuple[str, Any]) -> None:
        what, instance = case
        if assert_same_verdict(corpus, root, instance, what):
            seen["valid"] += 1
        else:
            seen["invalid"] += 1
            assert_same_error(corpus, root, instance, what)

    check()
    assert seen["invalid"] >= 10, seen  # the mutations do break the instances


def test_email_is_stricter_never_looser() -> None:
    """The reference email rule accepts nothing jsonschema's checker rejects, and rejects what RFC 5321 does."""
    accepted = ["joe.bloggs@example.com", '"joe bloggs"@example.com', "joe@[127.0.0.1]", "joe@[IPv6:::1]",
                "te~st@example.com", "a" * 64 + "@example.com"]
    rejected = ["ann@", "@example.com", "ann..lee@example.com", ".ann@example.com", "ann@exa_mple.com",
                "ann@[300.1.1.1]", "a" * 65 + "@example.com", "ann lee@example.com", "jöe@example.com", "2962",
                "ann@example.com."]
    for s in accepted:
        assert rfc5321_mailbox(s) and _JSONSCHEMA.conforms(s, "email"), s
    for s in rejected:
        assert not rfc5321_mailbox(s), s
    looser = [s for s in _BAD_STRINGS + accepted + rejected if rfc5321_mailbox(s) and not _JSONSCHEMA.conforms(s, "email")]
    assert looser == []


def test_generation_schema_inlines_and_rewrites() -> None:
    """The rewrite for the generator (it decides what is generated, not what is valid)."""
    s = {"$defs": {"n": {"type": "object", "properties": {"kids": {"items": {"$ref": "#/$defs/n"}}}}},
         "$ref": "#/$defs/n"}
    g = generation_schema(s)
    assert g["properties"]["kids"]["items"]["properties"]["kids"]["items"]["properties"]["kids"]["items"] is False
    assert generation_schema({"prefixItems": [{"type": "integer"}], "items": False}) == {
        "items": [{"type": "integer"}], "additionalItems": False}


@pytest.mark.parametrize("root", ["order", "tree"])
def test_json_lines_and_array_agree_with_one_by_one(corpus: ModuleType, root: str) -> None:
    """The batch readers give what from_json gives record by record; a bad record names its line."""
    from zigimport.errors import SchemaValidationError

    valid = [x for x in pool(root) if reference(root).is_valid(x)]
    one_by_one = [corpus.from_json(json.dumps(x), root=root) for x in valid]
    cls = type(one_by_one[0])
    assert all(type(v) is cls for v in one_by_one)
    lines = [json.dumps(x, ensure_ascii=False) for x in valid]
    assert cls.from_json_lines("\n".join(lines)) == one_by_one
    assert cls.from_json_lines(("\n\n".join(lines) + "\n").encode()) == one_by_one  # blank lines skipped
    assert cls.from_json_array("[" + ",".join(lines) + "]") == one_by_one
    bad = json.dumps({**valid[0], "zz_extra": 1})  # additionalProperties: false in both
    with pytest.raises(SchemaValidationError, match=r"line 3\b") as err:
        cls.from_json_lines("\n".join([lines[0], lines[-1], bad, lines[0]]))
    assert err.value.rule == "additionalProperties"


# Edge cases of every asserted format (a differential probe kept as a test): each must get the reference's
# verdict, except the listed ones, which must still differ (so the list stays true when they are fixed).
FORMAT_EDGES = {
    "contact": ["a@b", "a@b.c", '"a\\"b"@x.com', '"a b"@x.com', "a@[IPv6:::1]", "a@[ipv6:::1]", "a@[1.2.3.4]",
                "a@1.2.3.4", "a@-x.com", "a@x-.com", "a@x..com", "a@x.com.", "a+tag@x.co", "a@" + "x" * 63 + ".com",
                "a@" + "x" * 64 + ".com", ("a." * 40)[:-1] + "@x.com", "a@x_y.com", "A@X.COM", "a@123",
                "a@1.2.3.256", '""@x.com', "a@[1.2.3.4.5]", "a@localhost"],
    "host": ["1.2.3.4", "123", "a.123", "a.b1", "xn--bcher-kva.example", "ex.com.", "a" * 63, "a" * 64,
             ".".join(["a" * 63] * 4), ".".join(["a" * 63] * 3 + ["a" * 61]), "-a", "a-", "a--b", "A.B", "a..b", ""],
    "v6": ["::", "::1", "1::", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "fe80::1%eth0", "1:2:3:4:5:6:7::", ":::",
           "1::2::3", "::1.2.3.04", "12345::"],
    "v4": ["0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3.04", "1.2.3", "1.2.3.4 ", " 1.2.3.4", "١.2.3.4"],
    "id": ["01234567-89ab-cdef-0123-456789ABCDEF", "{01234567-89ab-cdef-0123-456789abcdef}",
           "0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcdeg",
           "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"],
    "day": ["2024-02-29", "2023-02-29", "2024-1-01", "0000-01-01", "2024-12-31", "2024-W01-1", "20240101",
            "2024-01-01T00:00:00Z", "２０２４-01-01"],
    "at": ["23:59:59Z", "23:59:59.123456789+01:00", "24:00:00Z", "23:59:59", "23:59:59z", "23:59:59+1:00",
           "23:59:59+24:00", "00:00:00-00:00"],
    "when": ["2024-01-01T00:00:00Z", "2024-01-01t00:00:00z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00",
             "2024-01-01T00:00:00.Z", "2024-02-30T00:00:00Z", "2024-01-01T00:00:00+00:60"],
}
FORMAT_DIFFERENCES = {
    ("day", "0000-01-01"): "reference quirk, FINDINGS.md 10: RFC 3339 allows year 0000; Python's date cannot hold it",
}


@pytest.mark.parametrize("field", sorted(FORMAT_EDGES))
def test_format_edge_cases_agree_with_the_reference(corpus: ModuleType, field: str) -> None:
    from zigimport.errors import SchemaValidationError

    wrong, stale = [], []
    for s in FORMAT_EDGES[field]:
        want = reference("formats").is_valid({field: s})
        try:
            corpus.from_python({field: s}, root="formats")
            got = True
        except SchemaValidationError:
            got = False
        if (field, s) in FORMAT_DIFFERENCES:
            if got == want:
                stale.append(s)
        elif got != want:
            wrong.append(f"{s!r}: reference {want}, ours {got}")
    assert not wrong and not stale, f"differ: {wrong}; listed in FORMAT_DIFFERENCES but agree now: {stale}"
