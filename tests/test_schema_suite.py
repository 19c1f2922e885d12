"""The official JSON-Schema-Test-Suite (draft 2020-12, vendored in tests/data/json-schema-test-suite/) against
schema modules (issue 9): every case of every supported keyword, through `from_json` and `from_python`.

All supported case groups are compiled as the roots of ONE module (a session fixture: one compile for the
whole suite).  Groups that use a keyword outside the subset must be rejected with a `SchemaError` naming it.
Cases known to fail are listed in known_failures.json, each with its reason; a listed case that passes now
fails the test too, so the list stays true.  `python tests/schema_suite_report.py` writes REPORT.md.
"""

from __future__ import annotations

from types import ModuleType

import pytest

import schema_suite as suite

GROUPS = suite.load_groups()
KNOWN = suite.load_known_failures()


@pytest.fixture(scope="session")
def suite_module(zigimport_cache: object) -> ModuleType:
    return suite.build_module(GROUPS)


@pytest.mark.parametrize("file", suite.files(GROUPS))
def test_suite_file(suite_module: ModuleType, file: str) -> None:
    res = suite.run_file(suite_module, GROUPS, file, KNOWN)
    assert res.groups > 0
    problems = [f"unexpected: {u}" for u in res.unexpected]
    problems += [f"listed in known_failures.json but passes now: {s}" for s in res.stale]
    assert not problems, f"{file}: {len(problems)} problem(s)\n" + "\n".join(problems)
    assert res.passed + res.known + res.by_design == res.cases
    rejected = [g for g in GROUPS if g.file == file and g.rejects]
    assert res.rejected_ok + sum(g.group_id in KNOWN for g in rejected) == len(rejected)


def test_suite_roots_are_all_there(suite_module: ModuleType) -> None:
    """One root per supported group, named as the harness asked, in order."""
    roots = tuple(g.root for g in GROUPS if not g.rejects and not g.rejected_by)
    assert suite_module.roots == roots
    with pytest.raises(KeyError, match=f"no_such_root.*{roots[0]}"):  # a wrong root name lists the valid ones
        suite_module.from_json("1", root="no_such_root")


def test_known_failures_are_real_cases_with_reasons() -> None:
    ids = {g.case_id(t) for g in GROUPS for t in g.tests} | {g.group_id for g in GROUPS}
    assert set(KNOWN) <= ids, f"not a case of the suite: {sorted(set(KNOWN) - ids)}"
    assert all(isinstance(r, str) and len(r.strip()) >= 10 for r in KNOWN.values()), "each needs a reason"


def test_the_harness_classifies_by_the_contract() -> None:
    """The walk that decides which groups must be rejected (checked here, as it decides what the suite expects)."""
    assert list(suite.unsupported_keywords({"properties": {"contains": {"type": "string"}}})) == []
    assert list(suite.unsupported_keywords({"items": {"contains": {}}})) == ["contains"]
    assert list(suite.unsupported_keywords({"$ref": "http://x/y.json"})) == ["$ref"]
    assert list(suite.unsupported_keywords({"$ref": "#/$defs/a", "$defs": {"a": {"$id": "a"}}})) == ["$id"]
    assert list(suite.unsupported_keywords({"$id": "http://x", "format": "uri", "enum": [{"if": 1}]})) == ["format"]
    assert list(suite.unsupported_keywords({"$id": "urn:x", "properties": {"a": {"$ref": "urn:x#/$defs/b"}},
                                            "$defs": {"b": {}}})) == []  # through the root's own $id: local
    assert list(suite.unsupported_keywords({"properties": {"a-b": {}, "a_b": {}}})) == ["properties"]  # one attribute
    assert list(suite.unsupported_keywords({"properties": {"n": {"type": "integer", "default": "x"}}})) == ["default"]
    assert suite.json_equal([1, {"a": 2.0}], [1.0, {"a": 2}]) and not suite.json_equal(True, 1)
    assert suite.with_defaults({"properties": {"a": {"$ref": "#/$defs/d"}}, "$defs": {"d": {"properties": {
        "n": {"default": 3}}}}}, {"a": {}}) == {"a": {"n": 3}}
