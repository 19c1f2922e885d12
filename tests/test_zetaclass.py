"""@zetaclass: the parity suite against @dataclass, what only a zetaclass does, bad input, the cache.

The parity checks run each scenario on tests/zc_models_dc.py (dataclasses) and
tests/zc_models_zc.py (zetaclasses) -- the same class bodies from tests/zc_models.py --
and require identical observations.  The zetaclass module is compiled once per
session (7 classes); the other tests reuse it.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import importlib
import inspect
import os
import pickle
import re
import subprocess
import sys
import textwrap
import tracemalloc
import weakref
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support import REPO

import zigimport


@pytest.fixture(scope="session")
def dc() -> ModuleType:
    return importlib.import_module("zc_models_dc")


@pytest.fixture(scope="session")
def zc(zigimport_cache: Path) -> ModuleType:
    return importlib.import_module("zc_models_zc")


def observe(f: Callable[[], Any]) -> tuple[str, Any]:
    """What a scenario shows: its value, or its exception's type and message."""
    try:
        return ("ok", f())
    except Exception as e:  # noqa: BLE001 - the exception is the observation
        return ("raised", type(e).__name__, str(e))


# ---- the parity suite: each scenario maps a models module to plain data ----

def construction(m: ModuleType) -> list[Any]:
    return [observe(lambda: repr(c())) for c in (
        lambda: m.Flat(1, 2.5, "a"),
        lambda: m.Flat(x=1, y=2.5, name="a", data=b"z"),
        lambda: m.Flat(1, 2.5, name="a", flag=True),
        lambda: m.Flat(1, 2, "a"),                      # an int for a float field stays an int, as in a dataclass
        lambda: m.Outer(m.Inner(1)),
        lambda: m.Outer(m.Inner(1), m.Inner(2, "c"), [1, 2], 3, "note", {"k": 1}, 10),
        lambda: m.Child(1, ["t"], "c", weight=2.0),
        lambda: m.Slotted(key="k", value=1.5, hidden=3),
    )]


def binding_errors(m: ModuleType) -> list[Any]:
    return [observe(c) for c in (
        lambda: m.Flat(),
        lambda: m.Flat(1),
        lambda: m.Flat(1, 2.0),
        lambda: m.Flat(1, 2.0, "a", True, b"", 9),
        lambda: m.Flat(1, 2.0, "a", nope=1),
        lambda: m.Flat(1, 2.0, "a", x=1),
        lambda: m.Outer(),
        lambda: m.Outer(m.Inner(1), total=3),            # init=False field
        lambda: m.Child(1, [], "c", 2.0),                 # weight is keyword-only
        lambda: m.Slotted("k"),
        lambda: m.Slotted(),
        lambda: m.Version(1, 2, 3, "x", "y"),
    )]


def equality(m: ModuleType) -> list[Any]:
    a, b, c = m.Flat(1, 2.0, "a"), m.Flat(1, 2.0, "a"), m.Flat(1, 2.0, "b")
    v = m.Version(1, 2, 3, "x")
    return [a == b, a != b, a == c, a != c, a == 1, a != "x", a is b,
            m.Outer(m.Inner(1), meta={"a": 1}) == m.Outer(m.Inner(1), meta={"b": 2}),   # meta: compare=False
            v == m.Version(1, 2, 3, "other label"), m.Base(1) == m.Child(1), m.Child(1) == m.Child(1)]


def ordering(m: ModuleType) -> list[Any]:
    vs = [m.Version(1, 2), m.Version(1), m.Version(0, 9, 9), m.Version(1, 2, 1), m.Version(1, 0, 0, "rc")]
    a, b = m.Version(1, 2), m.Version(1, 3)
    return [repr(sorted(vs)), a < b, a <= b, a > b, a >= b, a <= m.Version(1, 2), a >= m.Version(1, 2, 0, "z"),
            max(vs).major, observe(lambda: a < 1), observe(lambda: m.Flat(1, 1.0, "") < m.Flat(2, 1.0, ""))]


def hashing(m: ModuleType) -> list[Any]:
    return [observe(lambda: hash(m.Flat(1, 2.0, "a"))), m.Flat.__hash__ is None,
            hash(m.Inner(1, "x")) == hash((1, "x")), hash(m.Version(1, 2, 3, "a")) == hash((1, 2, 3)),
            hash(m.Version(1, 2, 3, "a")) == hash(m.Version(1, 2, 3, "b")),
            hash(m.Slotted(key="k", value=2.0, hidden=1)) == hash(("k", 2.0)),
            len({m.Inner(1), m.Inner(1), m.Inner(2)}), observe(lambda: hash(m.Outer(m.Inner(1))))]


def frozen(m: ModuleType) -> list[Any]:
    v = m.Version(1)

    def assign() -> None:
        v.major = 2

    def remove() -> None:
        del v.minor

    def new_attr() -> None:
        v.other = 1

    return [observe(assign), observe(remove), observe(new_attr), v.major,
            issubclass(dataclasses.FrozenInstanceError, AttributeError), m.Version.__dataclass_params__.frozen]


def matching(m: ModuleType) -> list[Any]:
    def kind(x: Any) -> str:
        match x:
            case m.Version(1, minor):
                return f"v1.{minor}"
            case m.Flat(x=0):
                return "origin-flat"
            case m.Flat(x, y, name):
                return f"flat {x} {y} {name}"
            case m.Slotted(key=k):
                return f"slotted {k}"
        return "other"

    return [m.Flat.__match_args__, m.Version.__match_args__, m.Slotted.__match_args__, m.Child.__match_args__,
            kind(m.Version(1, 4)), kind(m.Version(2)), kind(m.Flat(0, 0.0, "")), kind(m.Flat(3, 1.5, "q")),
            kind(m.Slotted(key="s"))]


def dataclass_functions(m: ModuleType) -> list[Any]:
    o = m.Outer(m.Inner(2), items=[1], n=4)
    ch = m.Child(5, ["x"], weight=3.0)
    return [
        [(f.name, f.type, f.default, f.init, f.repr, f.compare, f.hash, f.kw_only) for f in dataclasses.fields(m.Outer)],
        [f.name for f in dataclasses.fields(ch)],
        dataclasses.asdict(o), dataclasses.astuple(o), dataclasses.asdict(ch),
        repr(dataclasses.replace(o, n=None)), repr(dataclasses.replace(ch, label="r")),
        observe(lambda: dataclasses.replace(o, total=1)),
        dataclasses.is_dataclass(m.Flat), dataclasses.is_dataclass(m.Flat(1, 1.0, "")), dataclasses.is_dataclass(1),
        repr(m.Version(1, 2).bump()),
    ]


def copies_and_pickles(m: ModuleType) -> list[Any]:
    out: list[Any] = []
    for obj in (m.Flat(1, 2.0, "a", True, b"b"), m.Outer(m.Inner(1), items=[1, 2], n=3), m.Version(1, 2, 3, "x"),
                m.Child(1, ["t"], weight=2.5), m.Slotted(key="k", value=None, hidden=9)):
        shallow, deep = copy.copy(obj), copy.deepcopy(obj)
        loaded = pickle.loads(pickle.dumps(obj))
        out.append([repr(shallow), shallow == obj, repr(deep), deep == obj, repr(loaded), type(loaded) is type(obj),
                    pickle.loads(pickle.dumps(obj, protocol=2)) == obj])
    o = m.Outer(m.Inner(1), items=[1])
    out.append([copy.copy(o).items is o.items, copy.deepcopy(o).items is o.items, copy.deepcopy(o).total])
    return out


def introspection(m: ModuleType) -> list[Any]:
    return [m.Flat.__doc__, m.Outer.__doc__, m.Version.__doc__, str(inspect.signature(m.Flat)),
            str(inspect.signature(m.Outer)), str(inspect.signature(m.Child)), str(inspect.signature(m.Slotted)),
            m.Flat.__name__, m.Flat.__qualname__, m.Flat.__module__.rsplit("_", 1)[0], m.Child.__mro__[1].__name__,
            issubclass(m.Child, m.Base), isinstance(m.Child(1), m.Base), m.Slotted.__slots__,
            [repr(c.__dataclass_params__) for c in (m.Flat, m.Version, m.Slotted, m.Child)]]


def defaults_and_factories(m: ModuleType) -> list[Any]:
    a, b = m.Outer(m.Inner(1)), m.Outer(m.Inner(1))
    a.items.append(5)
    c1, c2 = m.Child(1), m.Child(2)
    c1.tags.append("only c1")
    return [a.items, b.items, a.items is b.items, a.meta is b.meta, c2.tags, m.Outer(m.Inner(3), scale=4).total,
            m.Outer(m.Inner(3), items=[1, 1], scale=2).total, m.Flat(1, 1.0, "").data, m.Slotted(key="k").hidden]


def body_members(m: ModuleType) -> list[Any]:
    o = m.Outer.of(2, 1, 1)
    before = o.double
    o.double = 20
    ch = m.Child(3, label="lbl")
    return [o.total, before, o.double, m.Outer.unit(), o.unit(), m.Outer.created > 0, "created" in m.Outer.__dict__,
            [f.name for f in dataclasses.fields(m.Outer)].count("created"), m.Flat(3, -4.0, "").norm1(),
            ch.describe(), m.Base(3).describe(), m.Child.of if hasattr(m.Child, "of") else None]


def optional_fields(m: ModuleType) -> list[Any]:
    o = m.Outer(m.Inner(1), m.Inner(2), n=5, note="n")
    vals = [repr(o)]
    o.n, o.note, o.other = None, None, None
    vals.append(repr(o))
    o.n = 7
    vals.append(o.n)
    s = m.Slotted(key="k", value=2.5)
    s.value = None
    vals.append(repr(s))
    return vals


def attributes(m: ModuleType) -> list[Any]:
    f = m.Flat(1, 2.0, "a")
    f.x = 10
    f.extra = "free-form"  # a non-slots dataclass takes new attributes
    s = m.Slotted(key="k")

    def slot_extra() -> None:
        s.extra = 1

    def read_missing() -> Any:
        return f.missing

    del f.flag
    return [f.x, f.extra, observe(slot_extra), observe(read_missing), observe(lambda: f.flag), weakref.ref(f)() is f,
            observe(lambda: weakref.ref(s))]


SCENARIOS = [construction, binding_errors, equality, ordering, hashing, frozen, matching, dataclass_functions,
             copies_and_pickles, introspection, defaults_and_factories, body_members, optional_fields, attributes]


@pytest.mark.per_interpreter  # native type layout, int digits, str hash, refcounts differ by CPython version
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_parity_with_dataclass(scenario: Callable[[ModuleType], Any], dc: ModuleType, zc: ModuleType) -> None:
    expected = scenario(dc)
    got = scenario(zc)
    # The two modules' classes differ by module name only (dataclasses.fields() shows types).
    assert repr(got).replace("zc_models_zc", "M") == repr(expected).replace("zc_models_dc", "M")


def test_parity_suite_sees_what_it_claims(dc: ModuleType, zc: ModuleType) -> None:
    """The parity checks compare real behaviour: spot-check a few observations outright."""
    assert binding_errors(zc)[0] == ("raised", "TypeError",
                                     "Flat.__init__() missing 3 required positional arguments: 'x', 'y', and 'name'")
    assert binding_errors(zc)[5] == ("raised", "TypeError", "Flat.__init__() got multiple values for argument 'x'")
    assert frozen(zc)[0] == ("raised", "FrozenInstanceError", "cannot assign to field 'major'")
    assert ordering(zc)[0].startswith("[Version(major=0, minor=9, patch=9, label=''), Version(major=1, minor=0")
    assert hashing(zc)[0] == ("raised", "TypeError", "unhashable type: 'Flat'")
    assert str(inspect.signature(zc.Flat)) == "(x: int, y: float, name: str, flag: bool = False, data: bytes = b'') -> None"
    # ... and the zetaclass side really is native
    assert type(zc.Flat).__name__ == "type" and zc.Flat.__dictoffset__ > 0 and "x" in zc.Flat.__dict__
    assert type(zc.Flat.__dict__["x"]).__name__ == "member_descriptor"
    assert str(inspect.signature(zc.Flat.__init__)) == str(inspect.signature(dc.Flat.__init__))
    f = zc.Flat(1, 1.0, "")
    zc.Flat.__init__(f, 2, 2.0, "again")               # the dataclass's __init__, on a native instance
    assert repr(f) == "Flat(x=2, y=2.0, name='again', flag=False, data=b'')"
    with pytest.raises(TypeError, match="must be int"):
        zc.Flat.__init__(f, "no", 2.0, "x")
    assert type(zc.Flat.__eq__).__name__ == "wrapper_descriptor" and type(dc.Flat.__eq__).__name__ == "function"


# ---- what only a zetaclass does: typed native fields ----

@pytest.mark.per_interpreter  # native type layout, int digits, str hash, refcounts differ by CPython version
def test_native_fields_check_types_at_construction_and_assignment(zc: ModuleType) -> None:
    with pytest.raises(TypeError, match=r"^Flat.__init__\(\) argument 'x' must be int, not str$"):
        zc.Flat("1", 2.0, "a")
    with pytest.raises(TypeError, match=r"^Flat.__init__\(\) argument 'y' must be float, not str$"):
        zc.Flat(1, "2", "a")
    with pytest.raises(TypeError, match=r"argument 'flag' must be bool, not int$"):
        zc.Flat(1, 2.0, "a", flag=1)
    with pytest.raises(TypeError, match=r"argument 'data' must be bytes, not str$"):
        zc.Flat(1, 2.0, "a", data="text")
    with pytest.raises(TypeError, match=r"argument 'inner' must be Inner, not Flat$"):
        zc.Outer(zc.Flat(1, 2.0, "a"))
    with pytest.raises(TypeError, match=r"argument 'n' must be int or None, not float$"):
        zc.Outer(zc.Inner(1), n=1.5)
    with pytest.raises(OverflowError, match=r"argument 'x' does not fit in a 64-bit signed integer \(9223372036854775808\)"):
        zc.Flat(2**63, 2.0, "a")
    f = zc.Flat(-(2**63), 2.0, "a")
    with pytest.raises(TypeError, match=r"^Flat.name must be str, not int$"):
        f.name = 5
    with pytest.raises(OverflowError):
        f.x = 2**64
    with pytest.raises(TypeError, match=r"^Inner.__init__\(\) argument 'a' must be int, not float$"):
        zc.Inner(1.0)
    assert f.x == -(2**63) and f.name == "a"          # failed assignments left the fields alone


def test_int_fields_take_index_types_and_keep_int_subclasses(zc: ModuleType) -> None:
    import numpy as np

    f = zc.Flat(np.int32(7), np.float64(2.5), "a", flag=True)
    assert f.x == 7 and type(f.x) is int and f.y == 2.5
    assert zc.Flat(True, 1.0, "").x is True   # bool is an int, kept as given (as a dataclass would)


@pytest.mark.per_interpreter  # native type layout, int digits, str hash, refcounts differ by CPython version
def test_hash_equals_the_tuple_hash_at_the_edges(zc: ModuleType) -> None:
    """hash() reads small ints and cached str hashes inline: it must still be CPython's tuple hash."""
    ints = [0, 1, -1, -2, 2**30 - 1, 2**30, -(2**30), 2**59, 2**60 - 1, -(2**60) + 1, 2**60, 2**62, -(2**63), 2**63 - 1, True]
    for a in ints:
        for b in ("", "b", "héllo", "x" * 50, "".join(["fresh", "ly built"])):
            assert hash(zc.Inner(a, b)) == hash((a, b)), (a, b)


@pytest.mark.per_interpreter  # native type layout, int digits, str hash, refcounts differ by CPython version
def test_cycles_through_object_fields_are_collected(zc: ModuleType) -> None:
    o = zc.Outer(zc.Inner(1))
    o.meta["self"] = o
    ref = weakref.ref(o)
    del o
    gc.collect()
    assert ref() is None


def test_python_subclass_of_a_zetaclass(zc: ModuleType) -> None:
    class Tagged(zc.Flat):  # type: ignore[name-defined, misc]
        def tag(self) -> str:
            return f"{self.name}:{self.x}"

    t = Tagged(1, 2.0, "n")
    assert t.tag() == "n:1" and isinstance(t, zc.Flat) and repr(t).endswith(".<locals>.Tagged(x=1, y=2.0, name='n', flag=False, data=b'')")
    t.free = 1
    assert t.free == 1 and t != zc.Flat(1, 2.0, "n")   # different classes never compare equal (dataclass rule)
    with pytest.raises(TypeError, match="must be int"):
        t.x = "no"


@pytest.mark.per_interpreter  # native type layout, int digits, str hash, refcounts differ by CPython version
def test_no_refcount_or_memory_leaks(zc: ModuleType) -> None:
    marker = "marker-" + "x" * 40
    def batch(n: int) -> None:
        for i in range(n):
            f = zc.Flat(i, 1.5, marker, data=b"d")
            o = zc.Outer(zc.Inner(i, marker), items=[i], note=marker, scale=2)
            o.note = marker
            o.other = zc.Inner(2)
            repr(o), hash(o.inner), f == f, o == o, zc.Version(1, i) < zc.Version(2)
            pickle.loads(pickle.dumps(o))
            copy.deepcopy(f)
            for bad in (lambda: zc.Flat("x", 1.0, marker), lambda: zc.Flat(1, 1.0), lambda: setattr(f, "x", marker),
                        lambda: zc.Outer(zc.Inner(1), nope=marker)):
                try:
                    bad()
                except TypeError:
                    pass
    batch(2000)
    gc.collect()
    refs0 = sys.getrefcount(marker)
    tracemalloc.start()
    snap0 = tracemalloc.take_snapshot()
    batch(5000)
    gc.collect()
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(snap0, "filename"))
    tracemalloc.stop()
    assert sys.getrefcount(marker) == refs0
    # 10 bytes a round: one leaked object per round would be 250 KB or more (without a leak: ~10 KB, whatever the count)
    assert grown < 50_000, grown


def test_the_same_classes_decorated_twice_in_one_process(zc: ModuleType) -> None:
    """A notebook cell run twice: the binaries are shared (no compile), each decoration gets its own
    type and state, and both sets keep working."""
    import zc_models

    again = zc_models.define(zigimport.zetaclass, zc.__name__)
    assert again["Flat"] is not zc.Flat and type(again["Flat"].__init__) is type(zc.Flat.__init__)
    assert repr(again["Outer"](again["Inner"](2), items=[1])) == "Outer(inner=Inner(a=2, b='b'), other=None, items=[1], n=None, note=None, total=3)"
    assert zc.Flat(1, 1.0, "") == zc.Flat(1, 1.0, "") and again["Flat"](1, 1.0, "") != zc.Flat(1, 1.0, "")
    with pytest.raises(TypeError, match="must be Inner, not Inner"):   # each decoration's own nested type
        again["Outer"](zc.Inner(1))


@pytest.mark.per_interpreter  # native type layout, int digits, str hash, refcounts differ by CPython version
def test_type_object_offsets_match_this_interpreter() -> None:
    """zig_core reads PyTypeObject.tp_flags (capi.tp_flags_offset, 168) and tp_init (tp_init_offset,
    296: right after tp_dictoffset) at fixed offsets on 3.10-3.13."""
    import ctypes

    for t in (int, str, type, zigimport.ZigError):
        assert ctypes.c_ulong.from_address(id(t) + 168).value == t.__flags__
    for t in (zigimport.ZigError, type("WithDict", (), {})):
        assert t.__dictoffset__ and ctypes.c_ssize_t.from_address(id(t) + 288).value == t.__dictoffset__


# ---- bad input at decoration time ----

def test_bad_classes_are_rejected_when_decorated(zc: ModuleType) -> None:
    from dataclasses import field

    with pytest.raises(ValueError, match=r"mutable default <class 'list'> for field items is not allowed: use default_factory"):
        @zigimport.zetaclass
        class MutableDefault:
            items: list[int] = []
    with pytest.raises(TypeError, match=r"non-default argument 'b' follows default argument"):
        @zigimport.zetaclass
        class Order:
            a: int = 1
            b: int
    with pytest.raises(TypeError, match=r"^zetaclass .*WrongDefault: field 'n' is int, but its default 'three' is str$"):
        @zigimport.zetaclass
        class WrongDefault:
            n: int = "three"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"field 'f' is float or None, but its default b'x' is bytes"):
        @zigimport.zetaclass
        class WrongOptional:
            f: float | None = field(default=b"x")  # type: ignore[assignment]
    with pytest.raises(OverflowError, match=r"field 'n' is int \(64-bit\), but its default 18446744073709551616 is out of range"):
        @zigimport.zetaclass
        class TooBig:
            n: int = 2**64
    with pytest.raises(TypeError, match=r"field 'x' has the annotation (42|'42'), which is not a type"):
        @zigimport.zetaclass
        class NotAType:
            x: 42  # type: ignore[valid-type]
    with pytest.raises(TypeError, match=r"its base .*Plain is not a zetaclass and has instance state"):
        class Plain:
            pass

        @zigimport.zetaclass
        class FromPlain(Plain):
            a: int
    with pytest.raises(TypeError, match=r"a metaclass \(ABCMeta\) is not supported"):
        import abc

        @zigimport.zetaclass
        class Abstract(abc.ABC):
            a: int
    with pytest.raises(TypeError, match=r"cannot inherit frozen dataclass from a non-frozen one"):
        @zigimport.zetaclass(frozen=True)
        class FrozenChild(zc.Base):  # type: ignore[name-defined, misc]
            z: int = 0
    with pytest.raises(TypeError, match=r"the fields are already slots of the native type; remove __slots__"):
        @zigimport.zetaclass
        class OwnSlots:
            __slots__ = ("a",)
            a: int
    with pytest.raises(TypeError, match=r"^weakref_slot is True but slots is False$"):
        zigimport.zetaclass(weakref_slot=True)(type("W", (), {"__annotations__": {"a": int}}))
    with pytest.raises(TypeError, match=r"@zetaclass decorates a class, not function"):
        zigimport.zetaclass(lambda: None)  # type: ignore[type-var]


# ---- compiled and cached ----

CACHED = """\
import sys, zigimport
from dataclasses import field
from zigimport import zetaclass

@zetaclass(order=True)
class Cached:
    a: int
    b: str = "x"
{extra}
print(repr(Cached(1)), Cached(1) < Cached(2))
"""


def _run(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(REPO), **env})


def test_a_second_process_loads_without_compiling_and_an_edit_rebuilds(tmp_path: Path, zc: ModuleType,
                                                                       zigimport_cache: Path) -> None:
    # This session compiled tests/zc_models_zc.py's classes; ZIG_NORECOMPILE turns any needed
    # compile into an error, so a second process must load them all from the cache.
    again = _run("import zigimport, zc_models_zc as m; print(repr(m.Version(1, 2)), m.Version(1) < m.Version(2))",
                 tmp_path, ZIG_NORECOMPILE="1", PYTHONPATH=f"{REPO}{os.pathsep}{REPO / 'tests'}")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "Version(major=1, minor=2, patch=0, label='') True\n"
    edited = CACHED.format(extra="    c: float = 0.5")
    refused = _run(edited, tmp_path, ZIG_NORECOMPILE="1")
    assert refused.returncode == 1 and "ZIG_NORECOMPILE is set and there is no earlier build" in refused.stderr
    rebuilt = _run(edited, tmp_path)
    assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("Cached(a=1, b='x', c=0.5) True"), rebuilt.stderr
    warm = _run(edited, tmp_path, ZIG_NORECOMPILE="1")
    assert warm.returncode == 0 and warm.stdout == rebuilt.stdout, warm.stderr
    generated = list((zigimport_cache / "generated").glob("zetaclass_Cached_*.zig"))
    assert len(generated) == 1 and "zc.module(.{" in generated[0].read_text()


RACER = """\
import logging, sys, time
logging.basicConfig(level=logging.INFO, format="%(message)s")
import zigimport
from zigimport import zetaclass
while time.time() < {start}:
    time.sleep(0.005)

@zetaclass(frozen=True)
class Racer:
    lane: int
    name: str = "r"

print(repr(Racer(1)), hash(Racer(1)) == hash((1, "r")))
"""


def test_concurrent_processes_compile_a_new_zetaclass_once(tmp_path: Path, zigimport_cache: Path) -> None:
    import time

    built_before = any((zigimport_cache / "generated").glob("zetaclass_Racer_*.zig"))  # a lent cache (test_interpreters)
    code = RACER.format(start=time.time() + 1.5)
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(REPO)}) for _ in range(3)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert all(o == "Racer(lane=1, name='r') True\n" for o, _ in outs)
    compiles = sum(len(re.findall(r"^compiling .*Racer", e, re.M)) for _, e in outs)  # the log line, not the notice
    assert compiles == (0 if built_before else 1), [e for _, e in outs]


def test_the_warm_path_imports_no_build_machinery(tmp_path: Path, zigimport_cache: Path) -> None:
    code = CACHED.format(extra="    c: float = 0.5") + "print(sorted(m for m in sys.modules if m.startswith(('zigimport.build', 'zigimport.diagnostics', 'subprocess', 'filelock'))))\n"
    assert _run(code, tmp_path).returncode == 0
    warm = _run(code, tmp_path)
    assert warm.returncode == 0 and warm.stdout.splitlines()[-1] == "[]", warm.stdout + warm.stderr


def test_mypy_treats_a_zetaclass_like_a_dataclass(tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent("""\
        from dataclasses import field
        from zigimport import zetaclass

        @zetaclass
        class Point:
            x: int
            y: float = 0.0
            tags: list[str] = field(default_factory=list)

        @zetaclass(frozen=True, order=True)
        class Version:
            major: int

        p = Point(1, 2.0, ["a"])
        reveal_type(p.x)
        newer: bool = Version(1) < Version(2)
        Point(x="a")
        Version(1).major = 2
        """))
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert 'Revealed type is "int"' in out.stdout or 'Revealed type is "builtins.int"' in out.stdout, out.stdout
    assert 'Argument "x" to "Point" has incompatible type "str"; expected "int"' in out.stdout
    assert 'Property "major" defined in "Version" is read-only' in out.stdout
    assert "Found 2 errors in 1 file" in out.stdout, out.stdout
