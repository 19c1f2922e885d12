"""abi3demo's tests: run by pytest, or as ``python tests/test_abi3demo.py`` where pytest is not installed
(tests/test_abi3.py runs them that way on 3.11, 3.12 and 3.13 from one abi3 wheel)."""

import array
import pickle
import sys

from abi3demo import core, point


def test_functions_and_keywords() -> None:
    assert core.add(1, 2) == 3 and core.add(a=1, b=5) == 6 and core.add(2, b=3) == 5
    assert core.clamp(x=3.0) == 1.0 and core.clamp(x=0.5, hi=0.25) == 0.25
    assert core.shout("héllo") == "HéLLO" and core.sum_list([1, 2, 3]) == 6 and core.sum_list((4, 5)) == 9
    assert core.swap(1, "x") == ("x", 1)
    try:
        core.add(1, c=2)
    except TypeError as e:
        assert "unexpected keyword argument 'c'" in str(e), str(e)
    else:
        raise AssertionError("no TypeError")


def test_class_methods_properties_eq() -> None:
    v = core.Vec(3, 4)
    assert v.length == 5.0 and v.scaled(2) == core.Vec(6, 8) and v + v == core.Vec(6, 8)
    assert v == core.Vec(3, 4) and v != core.Vec(0, 1) and len({v, core.Vec(3, 4)}) == 1
    assert repr(v) == "Vec(3, 4)" and core.Vec.zero() == core.Vec(0, 0)
    v.x = 6.0
    assert v.length == 7.211102550927978 or abs(v.length - 7.2111) < 1e-3

    class Sub(core.Vec):
        def norm1(self) -> float:
            return abs(self.x) + abs(self.y)

    assert Sub(1, -2).norm1() == 3.0 and isinstance(Sub(0, 0), core.Vec)


def test_buffers() -> None:
    a = array.array("d", [1, 2, 3])
    core.double_in_place(a)
    assert list(a) == [2.0, 4.0, 6.0] and core.total(a) == 12.0
    assert memoryview(core.Samples()).tolist() == [1.0, 2.0, 3.0, 4.0]
    try:
        core.double_in_place(bytes(16))
    except (TypeError, BufferError, ValueError):
        pass
    else:
        raise AssertionError("a read-only buffer was accepted for []f64")


def test_exceptions() -> None:
    assert core.parse_level("7") == 7
    try:
        core.parse_level("12")
    except core.LevelError as e:
        assert isinstance(e, ValueError) and str(e) == "level 12 is above 9"
    else:
        raise AssertionError("no LevelError")
    try:
        core.factorial(30)
    except OverflowError as e:
        assert "30! does not fit" in str(e)
    else:
        raise AssertionError("no OverflowError")
    assert core.factorial(20) == 2432902008176640000


def test_schema_class() -> None:
    p = point.Point(x=1, y=2.5, label="a", tags=["t"])
    assert (p.x, p.y, p.label, p.tags) == (1, 2.5, "a", ["t"])
    assert p == point.Point(x=1, y=2.5, label="a", tags=["t"])
    q = point.Point.from_json('{"x": 3, "y": 4, "tags": ["u", "v"]}')
    assert q.y == 4 and q.tags == ["u", "v"] and q.label is None
    assert pickle.loads(pickle.dumps(q)) == q
    try:
        point.Point(x="a", y=1)
    except point.SchemaValidationError as e:
        assert (str(e), e.path, e.rule) == ("x: 'a' is not of type 'number'", "x", "type")
    else:
        raise AssertionError("no SchemaValidationError")
    try:
        point.Point.from_json('{"x": 1,')
    except point.SchemaDecodeError as e:
        assert (e.lineno, e.colno) == (1, 9)
    else:
        raise AssertionError("no SchemaDecodeError")


if __name__ == "__main__":
    tests = [f for name, f in sorted(globals().items()) if name.startswith("test_")]
    for f in tests:
        f()
    print(f"{len(tests)} passed on {sys.version_info[0]}.{sys.version_info[1]}")
