"""Zig structs as Python classes, exercised through Python's own protocols."""

from __future__ import annotations

import copy
import gc
import inspect
import pickle
import weakref
from typing import Any

import pytest

pytestmark = pytest.mark.per_interpreter  # heap types, slots and GC differ between CPython versions


def test_the_counter_contract(classes: Any) -> None:
    c = classes.Counter(start=5, step=2)
    assert (c.count, c.step) == (5, 2)
    assert c.bump() == 7 and c.count == 7
    assert repr(c) == "Counter(7)" and str(c) == "Counter(7)"  # str falls back to repr
    assert classes.Counter().count == 0 and classes.Counter(3).count == 3
    assert str(inspect.signature(classes.Counter)) == "(start=0, step=1)"
    assert classes.Counter.__doc__.endswith("A counter that steps.")
    assert classes.Counter.bump.__doc__ == "Advance and return the new count."
    assert type(c).__name__ == "Counter" and type(c).__module__ == "classes"
    c.count = 100
    assert c.bump() == 102
    with pytest.raises(TypeError, match="Counter.count must be int, not str"):
        c.count = "x"
    with pytest.raises(OverflowError):
        c.count = 2**70
    with pytest.raises(AttributeError):
        del c.count
    with pytest.raises(TypeError, match=r"Counter\(\) got an unexpected keyword argument 'begin'"):
        classes.Counter(begin=1)
    with pytest.raises(TypeError, match=r"Counter\(\) argument 'start' must be int, not str"):
        classes.Counter(start="1")
    assert classes.Vec2(x=1, y=2) == classes.Vec2(1, 2)  # plain __init__ parameters take keywords by name
    with pytest.raises(TypeError, match=r"Vec2\(\) got an unexpected keyword argument 'z'"):
        classes.Vec2(1, z=2)
    with pytest.raises(TypeError, match=r"Opaque\(\) takes no arguments"):
        classes.Opaque(1)
    with pytest.raises(TypeError, match="immutable type"):
        classes.Counter.bump = None  # like builtin types
    with pytest.raises(AttributeError):
        c.undeclared = 1  # no __dict__: only declared fields
    assert c(3) == 108  # __call__


def test_classes_as_parameters_and_results(classes: Any) -> None:
    a, b = classes.Counter(start=1, step=5), classes.Counter(start=2)
    m = classes.merge(a, b)
    assert type(m) is classes.Counter and (m.count, m.step) == (3, 5)
    with pytest.raises(TypeError, match=r"merge\(\) argument 2 \(b\) must be Counter, not int"):
        classes.merge(a, 3)
    with pytest.raises(TypeError, match=r"must be Counter, not classes.Vec2"):
        classes.merge(a, classes.Vec2(1, 2))


def test_arithmetic_operators(classes: Any) -> None:
    V = classes.Vec2
    v, w = V(3, 4), V(1, 1)
    assert v + w == V(4, 5) and v - w == V(2, 3) and v * 2 == V(6, 8) and 2 * v == V(6, 8)
    assert -v == V(-3, -4) and abs(v) == 5.0 and bool(v) and not bool(V.zero())
    for bad in (lambda: v + 1, lambda: 1 + v, lambda: v - None):
        with pytest.raises(TypeError, match="unsupported operand"):
            bad()
    with pytest.raises(TypeError, match="can't multiply sequence"):  # NotImplemented, then str's own rule
        v * "x"
    alias = v
    v += w  # __iadd__ returns void: the same object stays
    assert alias is v and v == V(4, 5)
    assert repr(V(1.5, -2)) == "Vec2(1.5, -2)"


def test_the_other_operator_slots(classes: Any) -> None:
    B = classes.Bits
    a, b = B(0b1100), B(0b1010)
    assert str(a) == "0b1100" and int(a) == 12 and float(a) == 12.0 and hex(a) == "0xc" and [0, 1, 2, 3][B(2)] == 2
    assert int(a & b) == 0b1000 and int(a | b) == 0b1110 and int(a ^ b) == 0b0110 and int(~B(0)) == 2**32 - 1
    assert int(+a) == 12 and int(a << 2) == 48 and int(a >> 2) == 3 and a @ b == 1
    assert int(a // 5) == 2 and int(a % 5) == 2 and a / 8 == 1.5 and int(B(3) ** 3) == 27
    with pytest.raises(ZeroDivisionError):
        a // 0
    with pytest.raises(OverflowError):
        B(2) ** 40  # std.math.powi's error.Overflow
    with pytest.raises(TypeError):
        pow(B(2), 3, 5)  # three-argument pow is not supported
    with pytest.raises(OverflowError):
        a << 40  # u5 shift: 40 does not convert (a clean error, not a wrong answer)
    assert a != b and not (a != B(12)) and a == B(12)
    alias = a
    a |= b  # void __ior__: the same object
    assert alias is a and int(a) == 0b1110
    a *= 2  # __imul__ returning a value: that value is the result
    assert int(a) == 0b11100 and alias is not a
    assert len(a) == 32 and bool(a) and not bool(B(0))
    assert a[2] is True and a[0] is False
    a[0] = True
    del a[2]
    assert int(a) == 0b11001


def test_equality_and_hashing_in_sets_and_dicts(classes: Any) -> None:
    V = classes.Vec2
    assert V(1, 2) == V(1, 2) and V(1, 2) != V(2, 1) and V(1, 2) != "Vec2"
    assert len({V(1, 2), V(1, 2), V(2, 1)}) == 2
    d = {V(0, 1): "up"}
    assert d[V(0, 1)] == "up"


def test_properties(classes: Any) -> None:
    v = classes.Vec2(3, 4)
    assert v.length == 5.0
    v.length = 10
    assert (v.x, v.y) == (6.0, 8.0)
    with pytest.raises(ValueError, match="cannot scale a zero vector"):
        classes.Vec2.zero().length = 1
    assert v.angle == pytest.approx(0.9273, abs=1e-4)
    with pytest.raises(AttributeError):
        v.angle = 1.0  # read-only property
    assert classes.Vec2.length.__doc__ == "The vector's length."


def test_static_and_class_methods(classes: Any) -> None:
    assert classes.Vec2.zero() == classes.Vec2(0, 0)
    assert classes.Vec2(1, 1).zero() == classes.Vec2(0, 0)

    class Sub(classes.Vec2):
        pass

    made = Sub.from_pair((1.0, 2.0))
    assert type(made) is Sub and made == classes.Vec2(1, 2)


def test_ordering_with_one_comparison_function(classes: Any) -> None:
    V = classes.Version
    vs = [V(1, 2), V(0, 9), V(1, 0), V(1, 10)]
    assert [repr(v) for v in sorted(vs)] == ["Version(0.9)", "Version(1.0)", "Version(1.2)", "Version(1.10)"]
    assert V(1, 0) < V(1, 1) <= V(1, 1) and V(2, 0) > V(1, 9) >= V(1, 9) and V(1, 0) == V(1, 0) != V(1, 1)
    assert max(vs) == V(1, 10) and {V(1, 0): "x"}[V(1, 0)] == "x"
    with pytest.raises(TypeError, match="not supported between"):
        V(1, 0) < 3  # noqa: B015


def test_container_protocols(classes: Any) -> None:
    r = classes.Ring(4)
    assert len(r) == 0 and list(r) == []
    for x in range(6):
        r.push(x)
    assert len(r) == 4 and r[0] == 2.0 and r[-1] == 5.0 and list(r) == [2.0, 3.0, 4.0, 5.0]
    assert [x for x in r] == [2.0, 3.0, 4.0, 5.0] and sum(r) == 14.0
    assert 5.0 in r and 1.0 not in r and "x" not in r
    r[1] = 30
    assert r[1] == 30.0
    with pytest.raises(IndexError, match="ring index 4 out of range for length 4"):
        r[4]
    with pytest.raises(TypeError, match=r"__getitem__\(\) argument 1 \(i\) must be int, not str"):
        r["a"]
    with pytest.raises(TypeError, match="does not support item deletion"):
        del r[0]
    with pytest.raises(AttributeError):
        r.len = 3  # __readonly__
    with pytest.raises(ValueError, match="capacity must be positive"):
        classes.Ring(0)
    it = iter(r)
    assert iter(it) is it and next(it) == 2.0
    del r  # the iterator keeps the ring alive
    assert list(it) == [30.0, 4.0, 5.0]


def test_context_manager(classes: Any) -> None:
    r = classes.Ring(3)
    r.push(1)
    with r as inside:
        assert inside is r and len(r) == 1
    assert len(r) == 0
    with pytest.raises(ZeroDivisionError):
        with r:
            r.push(2)
            1 / 0
    assert len(r) == 0  # __exit__ ran and did not swallow the exception


def test_buffer_protocol_without_copying(classes: Any) -> None:
    r = classes.Ring(3)
    for x in (1, 2, 3):
        r.push(x)
    view = memoryview(r)
    assert (view.format, view.shape, view.readonly) == ("d", (3,), False) and view.tolist() == [1.0, 2.0, 3.0]
    r[0] = 10
    assert view[0] == 10.0  # the same memory, no copy
    view[1] = 20.0
    assert r[1] == 20.0
    m = classes.Matrix(2, 3)
    mv = memoryview(m)
    assert (mv.format, mv.shape, mv.strides, mv.readonly) == ("d", (2, 3), (24, 8), False)
    assert mv.tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(AttributeError):
        m.rows = 5
    del r
    assert view[0] == 10.0  # the view keeps the ring (and its memory) alive


def test_deinit_frees_zig_memory(classes: Any) -> None:
    before = classes.ring_frees_count()
    rings = [classes.Ring(100) for _ in range(10)]
    del rings
    gc.collect()
    assert classes.ring_frees_count() - before == 10


def test_reference_cycles_through_zig_objects_are_collected(classes: Any) -> None:
    gc.collect()
    before = classes.node_deinit_count()
    a, b = classes.Node(1), classes.Node(2)
    a.link(b)
    b.link(a)
    assert a.next is b and b.next is a and a.next.next.value == 1
    probe = weakref.ref(a)
    del a, b
    assert probe() is not None  # only the cycle keeps them alive now
    gc.collect()
    assert probe() is None
    assert classes.node_deinit_count() - before == 2


def test_object_fields_are_reference_counted(classes: Any) -> None:
    import sys

    payload = object()
    n = classes.Node(0)
    base = sys.getrefcount(payload)
    counts = []  # read into locals: an assert expression would hold temporaries
    n.next = payload  # set from Python
    counts.append(sys.getrefcount(payload) - base)
    same = n.next is payload
    n.link(payload)  # set from Zig (a borrowed argument, stored)
    counts.append(sys.getrefcount(payload) - base)
    n.next = None
    counts.append(sys.getrefcount(payload) - base)
    n.link(payload)
    del n
    counts.append(sys.getrefcount(payload) - base)
    assert same and counts == [1, 1, 0, 0]


def test_calling_python_from_zig(classes: Any) -> None:
    seen = []
    cb = classes.Callbacks(lambda x, k: seen.append((x, k)) or x * 10 + k)
    assert cb.fire(4) == 41 and cb.fire(5) == 52 and cb.calls == 2 and seen == [(4, 1), (5, 2)]
    err = KeyError("raised in Python")

    def boom(x: int, k: int) -> int:
        raise err

    with pytest.raises(KeyError) as info:
        classes.Callbacks(boom).fire(1)
    assert info.value is err  # the very exception, unchanged
    with pytest.raises(TypeError, match="handler must be callable"):
        classes.Callbacks(5)
    with pytest.raises(TypeError, match="must be int, not str"):
        classes.Callbacks(lambda x, k: "nope").fire(1)  # the result converts like a parameter
    assert classes.spin_block(str, 10) == str(classes.spin(10))


def fancy_class(classes: Any) -> type:
    """A Python subclass, defined at module level so that pickle can find it."""
    global Fancy

    class Fancy(classes.Counter):  # type: ignore[no-redef]
        def __init__(self, start: int, label: str) -> None:
            super().__init__(start=start, step=10)
            self.label = label

        def bump(self) -> int:
            return super().bump() * 2

    Fancy.__qualname__ = "Fancy"
    return Fancy


def test_type_layout_assumption_holds_on_this_interpreter() -> None:
    """zig_core writes PyTypeObject.tp_vectorcall at byte 400 (capi.zig): check it where we run."""
    import ctypes
    import sys

    if sys.maxsize <= 2**32 or not (3, 10) <= sys.version_info[:2] <= (3, 13):
        return  # zig_core does not install a vectorcall constructor there

    class Plain:
        pass

    def vectorcall_of(t: type) -> int | None:
        return ctypes.c_void_p.from_address(id(t) + 400).value

    assert vectorcall_of(range) and vectorcall_of(list) and vectorcall_of(Plain) is None
    assert ctypes.c_ssize_t.from_address(id(range) + 32).value == range.__basicsize__  # the head is as expected


def test_constructor_paths_agree(classes: Any) -> None:
    """The vectorcall constructor (the class itself) and tp_new + tp_init (subclasses, type.__call__)."""

    class Sub(classes.Counter):
        pass

    for make in (classes.Counter, Sub, lambda **kw: type.__call__(classes.Counter, **kw)):
        c = make(start=4, step=3)
        assert (c.count, c.step) == (4, 3) and c.bump() == 7
        with pytest.raises(TypeError, match="got an unexpected keyword argument 'nope'"):
            make(nope=1)


def test_python_subclasses(classes: Any) -> None:
    Fancy = fancy_class(classes)
    f = Fancy(1, "f")
    assert isinstance(f, classes.Counter) and issubclass(Fancy, classes.Counter)
    assert f.bump() == 22 and f.count == 11 and f.label == "f"
    assert classes.merge(f, f).count == 22  # a subclass instance is a Counter
    assert repr(f) == "Counter(11)"
    g = pickle.loads(pickle.dumps(f))
    assert type(g) is Fancy and g.count == 11 and g.label == "f"


def test_pickle_copy_and_weakref(classes: Any) -> None:
    for original in (classes.Counter(start=9, step=3), classes.Vec2(1.5, 2), classes.Version(3, 4)):
        for clone in (pickle.loads(pickle.dumps(original)), copy.copy(original), copy.deepcopy(original)):
            assert type(clone) is type(original) and clone is not original
            assert pickle.dumps(clone) == pickle.dumps(original)
    with pytest.raises(TypeError, match=r"cannot pickle 'Opaque' object: field '_buf' \(\[\]u8\) has no Python value"):
        pickle.dumps(classes.Opaque())
    c = classes.Counter()
    ref = weakref.ref(c)
    cache = weakref.WeakValueDictionary({"c": c})
    assert ref() is c and cache["c"] is c
    del c
    assert ref() is None and "c" not in cache


def test_gil_free_functions_refuse_python_objects(tmp_path: Any) -> None:
    from support import import_error, write

    write(tmp_path / "nogil_bad.zig", """\
        const py = @import("zig_core");
        pub fn bad(_: py.NoGil, o: py.Object) void { _ = o; }
        comptime { py.module(@This()); }
        """)
    out = import_error("nogil_bad", "zigimport.ZigCompileError", cwd=tmp_path)
    assert "bad(): parameter 2 (py.Object) holds Python objects, which a function that releases the GIL (py.NoGil) must not use" in out.stdout


def test_a_class_defined_in_another_file(tmp_path: Any) -> None:
    from support import run_python, write

    write(tmp_path / "lib/counter.zig", """\
        pub const Counter = struct {
            n: i64 = 0,
            pub fn bump(self: *@This()) i64 {
                self.n += 1;
                return self.n;
            }
        };
        """)
    write(tmp_path / "reexport.zig", """\
        const py = @import("zig_core");
        pub const Counter = py.class(@import("lib/counter.zig").Counter);
        pub fn twice(c: *Counter) i64 {
            _ = c.bump();
            return c.bump();
        }
        comptime { py.module(@This()); }
        """)
    out = run_python("import zigimport, reexport; c = reexport.Counter(); print(c.bump(), reexport.twice(c), c.n)", cwd=tmp_path)
    assert out.stdout.split() == ["1", "3", "3"]
