"""zig_core.schema on its own: hand-written generated files (tests/schema_native_spec.py) compiled once
per run, then many checks each: every keyword's accept/reject, messages and paths, line/column of
malformed JSON, exact round trips, the classes' dataclass-like protocol, and reference leaks."""

from __future__ import annotations

import copy
import importlib
import json
import math
import pickle
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from schema_native_spec import PATTERNS, kitchen_module, order_module
from support import run_python, shared_folder

from zigimport.errors import SchemaDecodeError, SchemaValidationError


@pytest.fixture(scope="session")
def schema_folder(tmp_path_factory: pytest.TempPathFactory, zigimport_cache: Path) -> Path:
    def populate(folder: Path) -> None:
        (folder / "sn_kitchen.zig").write_text(kitchen_module("sn_kitchen"))
        (folder / "sn_order.zig").write_text(order_module("sn_order"))

    folder = shared_folder(tmp_path_factory, "schema-native", populate)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return folder


@pytest.fixture(scope="session")
def k(schema_folder: Path) -> ModuleType:
    import zigimport  # noqa: F401

    return importlib.import_module("sn_kitchen")


def ok(k: ModuleType, root: str, text: str | bytes) -> Any:
    return k.from_json(text, root=root)


def bad(k: ModuleType, root: str, text: str) -> SchemaValidationError:
    with pytest.raises(SchemaValidationError) as info:
        k.from_json(text, root=root)
    return info.value


ACCEPT = [
    ("str_len", '"ab"', "ab"), ("str_len", '"\\u00e9\\u00e9\\u00e9\\u00e9"', "éééé"), ("str_len", '"😀😀"', "😀😀"),
    ("pattern", '"abc"', "abc"), ("pattern_search", '"1ab2"', "1ab2"),  # re.search: unanchored unless the pattern says so
    ("fmt_date", '"2024-02-29"', "2024-02-29"), ("fmt_time", '"23:59:59.5+01:00"', "23:59:59.5+01:00"),
    ("fmt_date_time", '"2024-01-02T03:04:05Z"', "2024-01-02T03:04:05Z"), ("fmt_email", '"a.b+c@example.com"', "a.b+c@example.com"),
    ("fmt_email", '"\\"a b\\"@[127.0.0.1]"', '"a b"@[127.0.0.1]'), ("fmt_uuid", '"12345678-1234-1234-1234-123456789ABC"', "12345678-1234-1234-1234-123456789ABC"),
    ("fmt_ipv4", '"192.168.0.1"', "192.168.0.1"), ("fmt_ipv6", '"::ffff:1.2.3.4"', "::ffff:1.2.3.4"),
    ("fmt_ipv6", '"2001:db8::1"', "2001:db8::1"), ("fmt_email", '"a@[IPv6:::1]"', "a@[IPv6:::1]"),
    ("fmt_email", '"a@[ipv6:::1]"', "a@[ipv6:::1]"), ("fmt_email", '"a@[iPv6:2001:db8::1]"', "a@[iPv6:2001:db8::1]"),  # an ABNF string: any case ("fmt_hostname", '"a-b.example.com"', "a-b.example.com"),
    ("num", "0", 0), ("num", "10", 10), ("num", "10.0", 10.0), ("num", "1e1", 10.0), ("num", "2.5", 2.5), ("excl", "0.001", 0.001),
    ("mult", "-9", -9), ("mult", "9.0", 9), ("mult", "300000000000000000000000000", 3 * 10**26), ("mult_f", "4", 4), ("mult_f", "4.0", 4.0),
    ("int", "1.0", 1), ("int", "1e2", 100), ("int", "-0", 0), ("int", "123456789012345678901234567890", 123456789012345678901234567890),
    ("num_only", "1", 1), ("num_only", "98249283749234923498293171823948729348710298301928331", 98249283749234923498293171823948729348710298301928331),
    ("num_only", "-1.0", -1.0), ("both", "1", 1), ("both", "1.0", 1.0),
    ("u64", str(2**64 - 1), 2**64 - 1), ("u64", "0", 0), ("s64", str(-(2**63)), -(2**63)), ("s64", "-9.2233720368547e18", -9.2233720368547e18),
    ("mult_half_int", "1e308", int(1e308)), ("mult_half_int", str(2**80 + 1), 2**80 + 1),
    ("mult_f", "1e308", 1e308), ("mult_odd_f", str(3 * 2**70), 3 * 2**70), ("mult_odd_f", str(3 * 10**400), 3 * 10**400),
    ("mult_odd_f", str(3 * 2**70 + 1), 3 * 2**70 + 1),  # as jsonschema: the quotient of the double is integral ("mult_odd_f", "4.5", 4.5), ("mult_odd_f", "1.5e308", 1.5e308),
    ("enum_mixed", "1.0", 1.0), ("enum_mixed", "[1.0,2]", [1.0, 2]), ("enum_mixed", '{"k":1}', {"k": 1}), ("enum_mixed", "null", None),
    ("const_one", "1.0", 1.0), ("str_enum", '"r\\u0065d"', "red"),
    ("uniq", "[1,true]", [1, True]), ("uniq", "[0,false]", [0, False]), ("uniq", '[{"a":1},{"a":2}]', [{"a": 1}, {"a": 2}]),
    ("tuple", '[1,"a"]', [1, "a"]), ("tuple", "[1]", [1]), ("arr_bounds", "[1,2]", [1, 2]),
    ("dict_vals", '{"a":1}', {"a": 1}), ("any_of", '"s"', "s"), ("any_of", "3", 3), ("one_of", "-1", -1), ("one_of", "11", 11),
    ("all_of", "5", 5), ("not_int", '"x"', "x"), ("not_int", "1.5", 1.5), ("any", '{"a":[1,{"b":null}],"c":true}', {"a": [1, {"b": None}], "c": True}),
    ("nullable_class", "null", None),
]


def test_class_nodes_with_enum_and_property_counts(k: ModuleType) -> None:
    A = k.Address
    assert k.from_json('{"zip":"12345"}', root="class_enum") == A(zip="12345")
    assert bad(k, "class_enum", '{"zip":"54321"}').rule == "enum"
    assert k.from_python({"zip": "12345"}, root="class_enum") == A(zip="12345")
    with pytest.raises(SchemaValidationError, match="is not one of"):
        k.from_python({"zip": "54321"}, root="class_enum")
    assert k.from_json('{"zip":"12345","city":"x"}', root="class_props").city == "x"
    e = bad(k, "class_props", '{"zip":"12345"}')
    assert e.rule == "minProperties" and str(e).startswith("$: 1 properties < minProperties 2")
    with pytest.raises(SchemaValidationError, match="minProperties"):
        k.from_python({"zip": "12345"}, root="class_props")


@pytest.mark.parametrize("root,text,expected", ACCEPT)
def test_keywords_accept(k: ModuleType, root: str, text: str, expected: Any) -> None:
    v = ok(k, root, text)
    assert v == expected and type(v) is type(expected)


REJECT = [
    ("str_len", '"a"', "minLength", "$: length 1 < minLength 2"), ("str_len", '"abcde"', "maxLength", "$: length 5 > maxLength 4"),
    ("str_len", "1", "type", "$: 1 is not of type 'string'"),
    ("pattern", '"aB"', "pattern", "$: 'aB' does not match '^[a-z]+$'"), ("pattern_search", '"a1b"', "pattern", None),
    ("fmt_date", '"2023-02-29"', "format", "$: '2023-02-29' is not a 'date'"), ("fmt_time", '"24:00:00Z"', "format", None),
    ("fmt_date_time", '"2024-01-02 03:04:05Z"', "format", None), ("fmt_email", '"a..b@example.com"', "format", None),
    ("fmt_email", '"x"', "format", "$: 'x' is not a 'email'"), ("fmt_uuid", '"1234"', "format", None),
    ("fmt_ipv4", '"01.2.3.4"', "format", None), ("fmt_ipv4", '"256.0.0.1"', "format", None),
    ("fmt_ipv6", '"1::2::3"', "format", None), ("fmt_email", '"a@[ipv6:1::2::3]"', "format", None), ("fmt_email", '"a@[ipv7:::1]"', "format", None), ("fmt_ipv6", '"fe80::1%eth0"', "format", None),
    ("fmt_hostname", '"-a.com"', "format", None),
    ("num", "-1", "minimum", "$: -1 < minimum 0"), ("num", "11", "maximum", "$: 11 > maximum 10"),
    ("num", "10.5", "maximum", "$: 10.5 > maximum 10"),
    ("num_only", "1e400", "type", "$: inf is not a JSON number (JSON has no inf or nan)"), ("num_only", "-1E400", "type", None),
    ("any", "[1e999]", "type", "$[0]: inf is not a JSON number (JSON has no inf or nan)"),
    ("u64", str(2**64), "maximum", f"$: {2**64} > maximum {2**64 - 1}"), ("u64", "-1", "minimum", "$: -1 < minimum 0"),
    ("u64", "1.8446744073709552e19", "maximum", None),  # that double is 2**64, beyond the exact bound
    ("s64", str(-(2**63) - 1), "exclusiveMinimum", f"$: {-(2**63) - 1} <= exclusiveMinimum {-(2**63) - 1}"),
    ("mult_odd_f", str(10**400), "multipleOf", None),  # beyond a double: exact (jsonschema raises OverflowError here)
    ("mult_odd_f", "2.25", "multipleOf", "$: 2.25 is not a multiple of 1.5"),
    ("num", "true", "type", "$: True is not of type 'number'"), ("num", '"1"', "type", None),
    ("excl", "0", "exclusiveMinimum", "$: 0 <= exclusiveMinimum 0"), ("excl", "10", "exclusiveMaximum", "$: 10 >= exclusiveMaximum 10"),
    ("mult", "10", "multipleOf", "$: 10 is not a multiple of 3"), ("mult", "300000000000000000000000001", "multipleOf", None),
    ("mult_f", "1.2", "multipleOf", "$: 1.2 is not a multiple of 0.5"),
    ("int", "1.5", "type", "$: 1.5 is not of type 'integer'"), ("int", "true", "type", None), ("int", "null", "type", None),
    ("enum_mixed", "2", "enum", "$: 2 is not one of [1, 'a', True, None, [1, 2], {'k': 1}]"), ("enum_mixed", "false", "enum", None),
    ("enum_mixed", "[2,1]", "enum", None), ("const_one", "true", "const", "$: 1 was expected"),
    ("str_enum", '"blue"', "enum", "$: 'blue' is not one of ['red', 'green']"), ("str_enum", "1", "type", None),
    ("uniq", "[1,1.0]", "uniqueItems", "$: [1, 1.0] has non-unique elements"), ("uniq", '[{"a":1},{"a":1.0}]', "uniqueItems", None),
    ("uniq", "[[1],[1]]", "uniqueItems", None),
    ("tuple", "[1,2]", "type", "$[1]: 2 is not of type 'string'"), ("tuple", '[1,"a",3]', "false", "$[2]: False schema does not allow 3"),
    ("arr_bounds", "[]", "minItems", "$: length 0 < minItems 1"), ("arr_bounds", "[1,2,3]", "maxItems", "$: length 3 > maxItems 2"),
    ("dict_vals", "{}", "minProperties", "$: 0 properties < minProperties 1"), ("dict_vals", '{"a":"x"}', "type", "a: 'x' is not of type 'integer'"),
    ("dict_vals", '{"a":1,"b":2,"c":3}', "maxProperties", None),
    ("any_of", "1.5", "anyOf", "$: 1.5 is not valid under any of the given schemas"),
    ("one_of", "5", "oneOf", "$: 5 is valid under more than one of the given schemas"),
    ("all_of", "-1", "minimum", None), ("all_of", "11", "maximum", None),
    ("not_int", "1", "not", "$: 1 must not be valid under the 'not' schema"), ("never", "1", "false", "$: False schema does not allow 1"),
    ("nullable_class", '{"zip":"1"}', "anyOf", None), ("nullable_class", "1", "anyOf", None),
]


@pytest.mark.parametrize("root,text,rule,message", REJECT)
def test_keywords_reject(k: ModuleType, root: str, text: str, rule: str, message: str | None) -> None:
    e = bad(k, root, text)
    assert e.rule == rule
    assert str(e).endswith(")") and " (line 1 column " in str(e)
    if message is not None:
        assert str(e).startswith(message + " (line 1 column ")


def test_patterns_agree_with_re(k: ModuleType) -> None:
    """The native matcher (simple patterns on ASCII text) and the `re` fallback give re.search's verdict."""
    import re

    rng = random.Random(3)
    alphabet = "abcrouxyzABC019-_.$@\n é"
    samples = ["", "ABC-1234", "ABC-1234\n", "123", "12a", "ab", "abc", "a\nc", "colour", "color", "x@y.com", "]a-", " \t\n",
               "\x1c", "aab", "aaabbb", "$.-", "1-2", "y", "xyzz", "abcx", "ab\n", "c\n", "é1", "ab é"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(300)]
    for i, pat in enumerate(PATTERNS):
        rx = re.compile(pat)
        for s in samples:
            expected = rx.search(s) is not None
            try:
                k.from_json(json.dumps(s), root=f"pat{i}")
                got = True
            except SchemaValidationError as e:
                assert e.rule == "pattern"
                got = False
            assert got == expected, (pat, s)
            assert (k.from_python(s, root=f"pat{i}") == s) if expected else True


def test_paths_messages_and_positions(k: ModuleType) -> None:
    e = bad(k, "Person", '{"name":"a","address":{"zip":"123"}}')
    assert (str(e), e.path, e.rule) == ("address.zip: length 3 < minLength 5 (line 1 column 30)", "address.zip", "minLength")
    e = bad(k, "Person", '{"name": "a",\n  "age": -1}')
    assert str(e) == "age: -1 < minimum 0 (line 2 column 10)"
    e = bad(k, "Person", '{"age": 3}')
    assert (str(e), e.rule) == ("$: 'name' is a required property (line 1 column 1)", "required")
    e = bad(k, "Person", '{"name":"a","address":{"zip":"12345","x":1}}')
    assert (e.path, e.rule) == ("address", "additionalProperties") and "('x' was unexpected)" in str(e)
    e = bad(k, "people", '[{"name":"a"},{"name":""}]')
    assert e.path == "$[1].name" and str(e).startswith("$[1].name: length 0 < minLength 1")
    e = bad(k, "Tree", '{"value":1,"children":[{"value":2,"children":[{"value":"x"}]}]}')
    assert e.path == "children[0].children[0].value"
    e = bad(k, "Person", '{"name":"a","email":"x"}')
    assert str(e).startswith("email: 'x' is not a 'email'")
    e = bad(k, "Extra", '{"b":"no"}')  # additional properties checked by the additionalProperties schema
    assert e.path == "b" and e.rule == "type"
    assert isinstance(e, ValueError) and pickle.loads(pickle.dumps(e)).path == "b"


MALFORMED = ['', ' ', '{', '{"name"', '{"name":', '{"name":"a"', '{"name":"a",}', '{"name" 1}', '{"name":"a"} x', '[1,]',
             '{"name":"a\x01"}', '{"name":"\\x"}', '{"name":"\\u12"}', '{"name":"abc', 'nul', 'tru', '-', '{"a":01}',
             '\n\n  {"name": ]', '{"name":"é", "x": }', '{"name":1.}', '[1 2]', '{1:2}']


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_json_line_and_column(k: ModuleType, text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as ref:
        json.loads(text)
    with pytest.raises(SchemaDecodeError) as info:
        k.from_json(text, root="any")
    e, r = info.value, ref.value
    assert (e.lineno, e.colno, e.pos) == (r.lineno, r.colno, r.pos), (str(e), str(r))
    if not r.msg.startswith("Illegal trailing comma"):  # 3.13's wording for '{"a":1,}'
        assert e.msg == r.msg
    assert str(e) == f"{e.msg}: line {e.lineno} column {e.colno} (char {e.pos})"


@pytest.mark.per_interpreter  # str layouts, refcounts and GC flags differ between CPython versions
def test_numbers_round_trip_exactly(k: ModuleType) -> None:
    rng = random.Random(5)
    floats = [0.1, 1e-7, 1e16, 1.5e300, 5e-324, 2.0**53 + 2, -0.0, 123456.789, 1e22, 0.30000000000000004]
    floats += [rng.uniform(-1e6, 1e6) for _ in range(300)] + [math.ldexp(rng.random(), rng.randint(-1000, 1000)) for _ in range(300)]
    ints = [0, -1, 2**63 - 1, 2**63, -(2**63) - 1, 10**40, -(10**100), 256, -5]
    for x in floats + ints:
        text = json.dumps(x)
        v = k.from_json(text, root="any")
        assert v == x and type(v) is type(x) and k.to_json(v, root="any") == text
        assert math.copysign(1, v) == math.copysign(1, x)
    for x in (math.nan, math.inf, -math.inf):  # JSON has neither: refused coming in, so to_json never meets one
        for root in ("any", "num_only", "num"):
            with pytest.raises(SchemaValidationError, match=r"^\$: (nan|inf|-inf) is not a JSON number \(JSON has no inf or nan\)$") as info:
                k.from_python(x, root=root)
            assert info.value.rule == "type"
        with pytest.raises(SchemaValidationError, match="is not a JSON number"):
            k.to_json([x], root="any")
    with pytest.raises(SchemaValidationError, match="is not a JSON number"):
        k.from_json("1E400", root="any")
    big = 98249283749234923498293171823948729348710298301928331
    for root in ("num_only", "any", "both"):  # an integer literal stays an exact int in a number node
        assert k.to_json(k.from_json(str(big), root=root), root=root) == str(big)
        assert k.to_json(k.from_json(str(-big), root=root), root=root) == str(-big)
        assert k.to_json(k.from_python(big, root=root), root=root) == str(big)


@pytest.mark.per_interpreter  # str layouts, refcounts and GC flags differ between CPython versions
def test_strings_round_trip_exactly(k: ModuleType) -> None:
    texts = ['"plain"', '"\\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t"', '"\\u0000\\u001f\\u007f"', '"é ü 中文 😀"',
             '"\\ud83d\\ude00"', '"\\ud800"', '"\\udc00x"', '"\\ud800\\ud800"', '"' + "x" * 1000 + 'é"', '"' + '\\u00e9' * 50 + '"']
    for text in texts:
        ref = json.loads(text)
        v = k.from_json(text, root="any")
        assert v == ref
        assert k.to_json(v, root="any") == json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
        assert k.from_json(text.encode("utf-8", "surrogatepass"), root="any") == ref
    nested = {"a": [1, 2.5, None, True, {"b": ["é", {}]}], "": [], "k\n": "v"}
    text = json.dumps(nested, ensure_ascii=False, separators=(",", ":"))
    assert k.from_json(text, root="any") == nested and k.to_json(nested, root="any") == text
    assert k.from_json('["\ud800x", "\udfff"]', root="any") == ["\ud800x", "\udfff"]  # lone surrogates in str input, as json keeps them
    s = k.from_json('"\\ud800"', root="any")
    assert k.to_json(s, root="any") == '"\ud800"'
    with pytest.raises(UnicodeDecodeError):
        k.from_json(b'"\xff"', root="any")
    for data in (b'{"k": "\xff"}', b'{"a": "\xc3\xa9", "k": "x\\n\xe9"}'):  # the bad byte's place in the whole input, as json
        with pytest.raises(UnicodeDecodeError) as info:
            json.loads(data)
        ref = info.value
        for kind in (bytes, bytearray, memoryview):
            with pytest.raises(UnicodeDecodeError) as info:
                k.from_json(kind(data), root="any")
            assert (info.value.start, info.value.reason, str(info.value)) == (ref.start, ref.reason, str(ref))
    assert k.from_json(b'["\xed\xa0\x80"]', root="any") == json.loads(b'["\xed\xa0\x80"]') == ["\ud800"]  # surrogatepass, as json
    for kind in (bytes, bytearray, memoryview):  # a UTF-8 BOM, as json.loads(bytes) skips it
        assert k.from_json(kind(b'\xef\xbb\xbf{"a": [1]}'), root="any") == {"a": [1]}
        with pytest.raises(json.JSONDecodeError) as r:
            json.loads(b'\xef\xbb\xbf\n {"a" 1}')
        with pytest.raises(SchemaDecodeError) as d:
            k.from_json(kind(b'\xef\xbb\xbf\n {"a" 1}'), root="any")
        assert (d.value.msg, d.value.lineno, d.value.colno, d.value.pos) == (r.value.msg, r.value.lineno, r.value.colno, r.value.pos)
    with pytest.raises(SchemaDecodeError):
        k.from_json('\ufeff{}', root="any")  # a str with a BOM is an error, as in json.loads


def test_data_types(k: ModuleType) -> None:
    for data in ('{"zip":"12345"}', b'{"zip":"12345"}', bytearray(b'{"zip":"12345"}'), memoryview(b'{"zip":"12345"}')):
        assert k.Address.from_json(data) == k.Address(zip="12345")
    for data in (1, None, ["{}"], {"zip": "1"}):
        with pytest.raises(TypeError, match=r"from_json\(\) argument 'data' must be str, bytes, bytearray or memoryview, not "):
            k.Address.from_json(data)
    with pytest.raises(TypeError):
        k.from_json(1)
    with pytest.raises(KeyError, match="unknown root 'nope'; the roots are"):
        k.from_json("1", root="nope")
    with pytest.raises(TypeError, match="root must be a str or None"):
        k.from_json("1", root=1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'rooot'"):
        k.from_json("1", rooot="any")
    assert k.roots[0] == "Person" and k.from_json('{"name":"x"}').name == "x"  # roots[0] is the default


def test_deep_nesting_is_a_recursion_error(k: ModuleType) -> None:
    with pytest.raises(RecursionError):
        k.from_json("[" * 100_000 + "]" * 100_000, root="any")
    deep = '{"value":1,"children":[' * 2000 + '{"value":0}' + "]}" * 2000
    with pytest.raises(RecursionError):
        k.Tree.from_json(deep)
    v: list[Any] = [1]
    for _ in range(100_000):
        v = [v]
    with pytest.raises(RecursionError):
        k.from_python(v, root="nested")  # a recursive array schema meets a deeply nested list
    assert k.from_python([[1], [[2]]], root="nested") == [[1], [[2]]]
    ok_deep = '{"value":1,"children":[' * 200 + '{"value":0}' + "]}" * 200
    assert k.Tree.from_json(ok_deep).to_json() == ok_deep.replace(" ", "")


def test_class_construction_and_assignment(k: ModuleType) -> None:
    P, A = k.Person, k.Address
    p = P(name="Ann", age=3, address={"zip": "12345"})
    assert p.address == A(zip="12345") and type(p.address) is A and p.nick is None
    with pytest.raises(TypeError, match=r"Person\(\) takes no positional arguments"):
        P("Ann")
    with pytest.raises(TypeError, match=r"Person\(\) missing 1 required keyword-only argument: 'name'"):
        P(age=1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'zzz'"):
        P(name="a", zzz=1)
    with pytest.raises(SchemaValidationError, match=r"^age: 'x' is not of type 'integer'$") as info:
        P(name="a", age="x")
    assert info.value.path == "age"
    with pytest.raises(SchemaValidationError, match=r"^address\.zip: length 1 < minLength 5$"):
        P(name="a", address={"zip": "1"})
    with pytest.raises(SchemaValidationError, match="True is not of type 'integer'"):
        P(name="a", age=True)  # a bool is never an int
    # absent vs None: an optional field never given is absent; null where the schema allows it is kept
    q = P(name="a", nick=None, age=None)
    assert q.to_dict() == {"name": "a", "nick": None} and q.to_json() == '{"name":"a","nick":null}'
    q.age = 5
    assert q.age == 5
    with pytest.raises(SchemaValidationError, match="^age: -1 < minimum 0$"):
        q.age = -1
    assert q.age == 5
    del q.age
    assert q.age is None and "age" not in q.to_dict()
    with pytest.raises(AttributeError):
        del q.age
    with pytest.raises(AttributeError, match="cannot delete required field 'name'"):
        del q.name
    with pytest.raises(AttributeError):
        q.nonexistent = 1
    with pytest.raises((AttributeError, TypeError)):
        object.__setattr__(q, "age", "not validated")  # members are read-only below the validating setattr
    q.first_name = "F"
    assert q.to_dict()["first-name"] == "F"
    assert P.from_json('{"name":"a","first-name":"G"}').first_name == "G"
    assert P(name="a", first_name="x") == P.from_dict({"name": "a", "first-name": "x"})


@pytest.mark.per_interpreter  # str layouts, refcounts and GC flags differ between CPython versions
def test_class_protocol(k: ModuleType) -> None:
    P, T = k.Person, k.Tree
    p = P.from_json('{"name":"Ann","age":3,"nick":null,"address":{"zip":"12345","city":"X"}}')
    assert repr(p) == ("Person(name='Ann', age=3, nick=None, address=Address(zip='12345', city='X'), email=None, home=None, "
                       "first_name=None)")
    assert P.__module__ == "sn_kitchen" and P.__qualname__ == "Person" and P.__hash__ is None
    assert P.__match_args__ == P.__schema_fields__ == ("name", "age", "nick", "address", "email", "home", "first_name")
    assert P.name.__doc__ == "The person's name" and "A person." in P.__doc__
    import inspect
    assert str(inspect.signature(P)).startswith("(*, name, age=None, nick=None")
    assert str(inspect.signature(k.Defaults)) == "(*, s='x', l=Ellipsis, o=Ellipsis, n=7)"
    match p:
        case P(name, age):
            assert (name, age) == ("Ann", 3)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        r = pickle.loads(pickle.dumps(p, proto))
        assert r == p and r.to_json() == p.to_json()  # absent stays absent, null stays null
    c1, c2 = copy.copy(p), copy.deepcopy(p)
    assert c1 == p == c2 and c1.address is p.address and c2.address is not p.address
    assert p != P(name="Ann") and (p == 1) is False
    t = T(value=1)
    t.children = [t]  # a cycle: repr says ... and the GC collects it
    assert repr(t) == "Tree(value=1, children=[...])"
    d1, d2 = k.Defaults(), k.Defaults()
    d1.l.append(1)
    assert d2.l == [] and d2.o == k.Address(zip="00000") and d2.to_json() == '{"s":"x","l":[],"o":{"zip":"00000"},"n":7}'


def test_extras(k: ModuleType) -> None:
    E = k.Extra
    e = E.from_json('{"b":1,"a":"x","c":2}')
    assert e.__extra__ == {"b": 1, "c": 2} and e.a == "x"
    assert e.to_json() == '{"a":"x","b":1,"c":2}' and e.to_dict() == {"a": "x", "b": 1, "c": 2}
    assert E.from_dict({"a": "y", "z": 3}).__extra__ == {"z": 3} and E(a="y").__extra__ == {}
    assert pickle.loads(pickle.dumps(e)) == e and e != E(a="x")
    e.__extra__["q"] = 1  # a copy: extras change only through validation
    assert "q" not in e.__extra__
    with pytest.raises(SchemaValidationError, match="^b: 'no' is not of type 'integer'$"):
        E.from_dict({"b": "no"})


def test_from_json_array_and_lines(k: ModuleType) -> None:
    A = k.Address
    assert A.from_json_array('[{"zip":"11111"}, {"zip":"22222"}]') == [A(zip="11111"), A(zip="22222")]
    assert A.from_json_array("[]") == []
    e = pytest.raises(SchemaValidationError, A.from_json_array, '[{"zip":"11111"},\n {"zip":"2"}]').value
    assert str(e) == "$[1].zip: length 1 < minLength 5 (line 2 column 9)"
    with pytest.raises(SchemaValidationError, match="is not of type 'array'"):
        A.from_json_array('{"zip":"11111"}')
    lines = '{"zip":"11111"}\n\n  \n{"zip":"22222"}\r\n{"zip":"33333"}'
    assert [a.zip for a in A.from_json_lines(lines)] == ["11111", "22222", "33333"]
    e = pytest.raises(SchemaValidationError, A.from_json_lines, '{"zip":"11111"}\n\n{"zip":"x"}\n').value
    assert str(e).endswith("(line 3 column 8)") and e.path == "zip"
    d = pytest.raises(SchemaDecodeError, A.from_json_lines, '{"zip":"11111"}\n{"zip":\n"22222"}').value
    assert d.lineno == 2
    d = pytest.raises(SchemaDecodeError, A.from_json_lines, '{"zip":"11111"} {"zip":"22222"}').value
    assert (d.msg, d.lineno, d.colno) == ("Extra data", 1, 17)
    assert A.from_json_lines("") == [] and A.from_json_lines(b"\n\n") == []


def test_module_from_python_and_to_json(k: ModuleType) -> None:
    v = k.from_python({"name": "a", "address": {"zip": "12345"}})
    assert type(v) is k.Person and v.address.zip == "12345"
    assert k.from_python((1, "a"), root="tuple") == [1, "a"]
    assert k.from_python(3, root="num_only") == 3 and type(k.from_python(3, root="num_only")) is int  # exact, as json
    assert type(k.from_python(3.0, root="num_only")) is float
    with pytest.raises(SchemaValidationError, match="is not of type 'number'"):
        k.from_python(True, root="num_only")
    assert k.from_python(2**64 - 1, root="u64") == 2**64 - 1 and k.from_python(10**308, root="mult_half_int") == 10**308
    with pytest.raises(SchemaValidationError, match=r"^\$: 18446744073709551616 > maximum 18446744073709551615$"):
        k.from_python(2**64, root="u64")
    with pytest.raises(SchemaValidationError, match=r"^\$: 1 was expected$") as info:
        k.from_python(2, root="const_one")
    assert info.value.rule == "const"
    assert k.from_python(1.0, root="const_one") == 1
    assert k.from_python(3.0, root="int") == 3 and type(k.from_python(3.0, root="int")) is int
    with pytest.raises(SchemaValidationError, match=r"^\[1\]|^\$\[1\]: 2 is not of type 'string'$"):
        k.from_python([1, 2], root="tuple")
    with pytest.raises(SchemaValidationError, match="is not of type 'integer'"):
        k.from_python(True, root="int")
    with pytest.raises(SchemaValidationError, match="is not a JSON value"):
        k.from_python({"a": {1, 2}}, root="any")
    assert k.from_python(None, root="nullable_class") is None
    assert type(k.from_python({"zip": "12345"}, root="nullable_class")) is k.Address
    assert k.to_json(k.Person(name="a", age=1)) == '{"name":"a","age":1}'
    assert k.to_json({"name": "a"}) == '{"name":"a"}'
    with pytest.raises(SchemaValidationError):
        k.to_json({"name": ""})
    tree = k.Tree.from_dict({"value": 1, "children": [{"value": 2}]})
    assert tree.children[0] == k.Tree(value=2) and tree.to_dict() == {"value": 1, "children": [{"value": 2}]}
    assert k.Tree.from_dict(tree) is tree


def test_order_records(schema_folder: Path) -> None:
    import zigimport  # noqa: F401

    o = importlib.import_module("sn_order")
    rec = {"id": 1, "status": "paid", "created": "2024-01-02T03:04:05Z",
           "customer": {"name": "Zoë", "email": "z@example.com",
                        "address": {"street": "1 Main", "city": "X", "zip": "12345", "country": "DE"}},
           "items": [{"sku": "ABC-1234", "quantity": 2, "price": 9.99}], "total": 19.98, "notes": None, "tags": ["a"]}
    text = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
    orders = o.Order.from_json_lines((text + "\n") * 3)
    assert len(orders) == 3 and orders[0].to_json() == text and orders[0].to_dict() == rec
    assert orders[0].status is orders[1].status  # enum strings are the cached objects
    bad_rec = dict(rec, items=[{"sku": "abc", "quantity": 2, "price": 9.99}])
    e = pytest.raises(SchemaValidationError, o.Order.from_json, json.dumps(bad_rec)).value
    assert e.path == "items[0].sku" and e.rule == "pattern"
    e = pytest.raises(SchemaValidationError, o.Order.from_json, json.dumps(dict(rec, tags=["a", "a"]))).value
    assert e.rule == "uniqueItems"
    e = pytest.raises(SchemaValidationError, o.Order.from_json, json.dumps(dict(rec, extra=1))).value
    assert e.rule == "additionalProperties"


LEAK_CHECK = """\
import gc, sys, pickle, copy, json
import zigimport, sn_kitchen as k, sn_order as o
PAGE = 4096
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE
rec = {"id": 1, "status": "paid", "created": "2024-01-02T03:04:05Z",
       "customer": {"name": "Zo\\u00eb", "email": "z@example.com",
                    "address": {"street": "1 Main", "city": "X", "zip": "12345", "country": "DE"}},
       "items": [{"sku": "ABC-1234", "quantity": 2, "price": 9.99}], "total": 19.98, "notes": None, "tags": ["a"]}
line = json.dumps(rec)
lines = (line + "\\n") * 20
marker = "marker-string-" + "x" * 10
def batch(n):
    for i in range(n):
        orders = o.Order.from_json_lines(lines)
        orders[0].to_json(); orders[0].to_dict()
        pickle.loads(pickle.dumps(orders[0])); copy.deepcopy(orders[1]); copy.copy(orders[2])
        p = k.Person(name=marker, age=i, address={"zip": "12345"}, nick=None)
        p.age = 3; del p.age; repr(p); p == p
        k.Extra.from_json('{"a":"x","b":1,"c":2}').to_json()
        k.from_json('{"a":[1,"\\\\ud800",{"b":1.5}],"c":123456789012345678901234567890}', root="any")
        k.Defaults()
        k.from_json(str(2**64 - 1), root="u64"); k.from_json(str(3 * 10**400), root="mult_odd_f")
        k.from_json("1e308", root="mult_half_int"); k.from_json(b'\\xef\\xbb\\xbf[1]', root="any")
        k.to_json(k.from_json(str(10**60), root="num_only"), root="num_only")
        try:
            k.from_python([float("nan")], root="any")
        except ValueError:
            pass
        t = k.Tree(value=1); t.children = [t]
        for bad, root in (('{"name":""}', "Person"), ('{"name":"a",', "Person"), ('[1,1]', "uniq"), ('1.5', "any_of"),
                          ('{"zip":"1"}', "nullable_class"), ('"x"', "fmt_email"), ('[1,"a",3]', "tuple"),
                          ('[1e400]', "any"), (str(2**64), "u64"), (str(-(2**63) - 1), "s64"), ('true', "const_one"),
                          (str(10**400), "mult_odd_f"), (b'{"k": "\\xff"}', "any")):
            try:
                k.from_json(bad, root=root)
            except ValueError:
                pass
        try:
            k.Person(name=marker, age="x")
        except ValueError:
            pass
        try:
            k.Person(age=1)
        except TypeError:
            pass
        try:
            k.from_python({"name": marker, "address": {"zip": 1}})
        except ValueError:
            pass
batch(300)
gc.collect()
r0, m0 = rss(), sys.getrefcount(marker)
batch(3000)
gc.collect()
print(rss() - r0, sys.getrefcount(marker) - m0)
"""


def test_no_reference_leaks(schema_folder: Path, k: ModuleType) -> None:
    importlib.import_module("sn_order")
    out = run_python(LEAK_CHECK, cwd=schema_folder, timeout=600, log_level=None)
    growth, marker = (int(v) for v in out.stdout.split())
    assert growth < 2 * 1024 * 1024, f"RSS grew by {growth / 1e6:.1f} MB"
    assert marker == 0
