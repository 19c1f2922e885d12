"""Classes extending classes, attribute hooks, classes Python cannot construct, `!=` from
`__eq__`, read-only buffers, and the compile errors for declarations zig_core cannot honour."""

from __future__ import annotations

import copy
import ctypes
import gc
import inspect
import pickle
import weakref
from pathlib import Path
from typing import Any

import pytest

from support import import_error, mypy, run_python, write


class PyBuffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


PyBUF_WRITABLE = 0x0001


def get_writable_buffer(obj: object) -> None:
    """PyObject_GetBuffer(obj, PyBUF_WRITABLE), as a C consumer that will write asks for it."""
    view = PyBuffer()
    get = ctypes.pythonapi.PyObject_GetBuffer
    get.argtypes = [ctypes.py_object, ctypes.POINTER(PyBuffer), ctypes.c_int]
    get(obj, ctypes.byref(view), PyBUF_WRITABLE)  # raises the exporter's exception
    ctypes.pythonapi.PyBuffer_Release(ctypes.byref(view))


# ---- inheritance ----

def test_a_class_extends_another(classes2: Any) -> None:
    Animal, Dog = classes2.Animal, classes2.Dog
    d = Dog(name="Fido", tricks=2)
    assert isinstance(d, Animal) and issubclass(Dog, Animal) and Dog.__base__ is Animal
    assert Dog.__mro__ == (Dog, Animal, object)
    assert (d.legs, d.tricks, d.name()) == (4, 2, "Fido")  # inherited field and method, own field
    assert d.fetch() == 3 and d.tricks == 3
    assert d.speak() == "Fido makes a sound. Woof!"  # overridden; the override calls the base's from Zig
    assert Animal.speak(d) == "Fido makes a sound."  # the base's method on a derived instance
    assert repr(d) == "<Fido with 4 legs>"  # inherited slot
    d.legs = 3  # inherited typed attribute
    assert d.legs == 3 and classes2.legs_of(d) == 3  # a *const Animal parameter accepts a Dog
    with pytest.raises(TypeError, match="Animal.legs must be int, not str"):
        d.legs = "x"
    with pytest.raises(AttributeError):
        d.base  # noqa: B018 -- the base field is not an attribute: its fields are
    with pytest.raises(TypeError, match=r"Dog\(\) argument 'tricks' must be int, not str"):
        Dog(tricks="x")
    with pytest.raises(ValueError, match="name too long"):
        Dog(name="x" * 17)  # the base's __init__ raised, through the derived one
    with pytest.raises(TypeError, match="doesn.t apply to a .classes2.Animal. object"):
        Dog.fetch(Animal())


def test_three_levels_and_an_inherited_constructor(classes2: Any) -> None:
    Puppy, Dog, Animal = classes2.Puppy, classes2.Dog, classes2.Animal
    p = Puppy(name="Bit", tricks=1)  # Puppy has no __init__: Dog's runs; Puppy's own field keeps its default
    assert (p.name(), p.tricks, p.age_weeks, p.legs) == ("Bit", 1, 8, 4)
    assert isinstance(p, Dog) and isinstance(p, Animal) and issubclass(Puppy, Animal)
    assert p.speak() == "Bit makes a sound. Woof! (squeaky)"  # Dog.speak(&self.base) from Zig
    assert str(inspect.signature(Puppy)) == "(name='Rex', legs=4, tricks=0)"
    assert p.fetch() == 2  # a grandparent-class method... of the parent
    # Puppy declares __eq__; __lt__ still comes from Animal, and != from Puppy's __eq__.
    assert p == Puppy(name="Bit") and p != Puppy(name="Bob") and p < Puppy(legs=5)
    assert not (p < Puppy(legs=3))


def test_instances_made_by_zig_and_copies(classes2: Any) -> None:
    d = classes2.make_dog(3)
    assert type(d) is classes2.Dog and (d.name(), d.tricks, d.legs) == ("Zig", 3, 4)
    for clone in (pickle.loads(pickle.dumps(d)), copy.copy(d), copy.deepcopy(d)):
        assert type(clone) is classes2.Dog and clone is not d
        assert (clone.name(), clone.tricks, clone.legs) == ("Zig", 3, 4)


def test_python_subclass_of_a_derived_class(classes2: Any) -> None:
    class Husky(classes2.Dog):
        def speak(self) -> str:
            return super().speak() + " Awoo!"

    h = Husky(name="Sky")
    assert h.speak() == "Sky makes a sound. Woof! Awoo!" and isinstance(h, classes2.Animal)
    h.color = "grey"  # a Python subclass has a __dict__
    assert h.color == "grey" and classes2.legs_of(h) == 4


def test_deinit_runs_for_the_whole_chain_and_object_fields_are_owned(classes2: Any) -> None:
    gc.collect()
    animals0, dogs0 = classes2.deinit_counts()
    a, b = classes2.Dog(name="A"), classes2.Puppy(name="B")
    a.befriend(b)  # a py.Object field of the base, set by a base method on a derived instance
    b.befriend(a)
    assert a.friend is b and b.friend is a
    probe = weakref.ref(a)
    del a, b
    gc.collect()  # the cycle runs through the base's field: the GC sees it via the derived type
    assert probe() is None
    animals, dogs = classes2.deinit_counts()
    assert (animals - animals0, dogs - dogs0) == (2, 2)  # each: its own deinit, then its base's


def test_a_derived_method_storing_into_a_base_object_field(classes2: Any) -> None:
    import sys

    payload = object()
    d = classes2.Dog()
    base = sys.getrefcount(payload)
    counts = []  # read into locals: an assert expression would hold temporaries
    d.adopt(payload)  # Dog's method sets self.base.friend: zig_core takes the reference
    counts.append(sys.getrefcount(payload) - base)
    same = d.friend is payload
    d.adopt(None)  # the old value's reference is dropped
    counts.append(sys.getrefcount(payload) - base)
    d.adopt(payload)
    del d
    counts.append(sys.getrefcount(payload) - base)
    assert same and counts == [1, 0, 0]


# ---- comparisons ----

def test_ne_is_the_inverse_of_eq(classes2: Any) -> None:
    M = classes2.Money
    assert M(1) == M(1) and not (M(1) != M(1))
    assert M(1) != M(2) and not (M(1) == M(2))
    # NotImplemented passes through: Python falls back to identity, as for its own classes.
    assert M(1) != "1" and not (M(1) == "1") and "1" != M(1)
    assert M.__ne__(M(1), "1") is NotImplemented and M.__eq__(M(1), "1") is NotImplemented
    assert len({M(5), M(5), M(6)}) == 2


def test_inherited_equality_and_hashing_follow_python(classes2: Any) -> None:
    Coin, Marked, Ranked, Loose = classes2.Coin, classes2.MarkedCoin, classes2.RankedCoin, classes2.LooseCoin
    assert Marked(5) == Marked(5) and Marked(5) != Marked(6) and hash(Marked(5)) == 5000  # own __hash__, Coin's ==
    assert Ranked(1) < Ranked(2) and Ranked(3) == Ranked(3) and hash(Ranked(3)) == 3  # own __lt__, Coin's == and hash
    assert Loose(1) == Loose(2) and Loose(1) != Loose(3)  # a new __eq__ (and != from it)...
    with pytest.raises(TypeError, match="unhashable type"):
        hash(Loose(1))  # ... without __hash__: unhashable, like a Python class
    assert Loose.__hash__ is None and len({Coin(1), Marked(1), Ranked(1)}) == 2  # Coin(1) == Ranked(1), same hash


# ---- attribute hooks ----

def test_getattr_setattr_delattr(classes2: Any) -> None:
    r = classes2.Record()
    r.id = 5  # a declared field: __setattr__ declines (false), the normal assignment runs
    r.x = 3  # other names go to the Zig table
    assert (r.id, r.x, r.sets) == (5, 3, 2)
    # The hook is also Record.__getattr__ in the class (as the stub declares it), worded as CPython's lookup.
    assert "__getattr__" in vars(classes2.Record) and r.__getattr__("x") == 3
    with pytest.raises(AttributeError, match="'classes2.Record' object has no attribute 'nope'"):
        r.__getattr__("nope")
    with pytest.raises(TypeError, match="attribute name must be string, not 'int'"):
        r.__getattr__(1)
    assert hasattr(r, "x") and not hasattr(r, "nope") and getattr(r, "nope", 7) == 7
    with pytest.raises(AttributeError, match="'classes2.Record' object has no attribute 'nope'") as info:
        r.nope  # noqa: B018
    assert info.value.name == "nope" and info.value.obj is r  # the lookup's own AttributeError
    with pytest.raises(TypeError, match="value must be int, not str"):
        r.y = "text"  # __setattr__'s own conversion (value.as(i64)) raised
    with pytest.raises(TypeError, match="Record.id must be int, not str"):
        r.id = "text"  # the normal assignment's conversion
    del r.x
    assert not hasattr(r, "x")
    with pytest.raises(AttributeError, match="'classes2.Record' object has no attribute 'x'"):
        del r.x  # error.AttributeError from __delattr__
    with pytest.raises(Exception, match=r"error.Explosion returned by Record.__getattr__\(\)") as boom:
        r.explode  # noqa: B018 -- other errors propagate
    assert type(boom.value).__name__ == "ZigError"
    r.frozen = True
    with pytest.raises(AttributeError, match="Record is frozen; cannot set 'z'"):
        r.z = 1


def test_a_typed_setattr_for_every_assignment(classes2: Any) -> None:
    g = classes2.Gauge()
    g.level = 500
    assert g.level == 100
    g.level = -3
    assert g.level == 0
    with pytest.raises(TypeError, match=r"__setattr__\(\) argument 2 \(value\) must be int, not str"):
        g.level = "high"
    with pytest.raises(AttributeError, match="'classes2.Gauge' object has no attribute 'other'"):
        g.other = 1


# ---- not constructible ----

def test_a_class_python_cannot_construct(classes2: Any) -> None:
    T = classes2.Token
    with pytest.raises(TypeError, match=r"^cannot create 'classes2.Token' instances$"):
        T()
    with pytest.raises(TypeError, match=r"object.__new__\(classes2.Token\) is not safe"):
        T.__new__(T)  # CPython's answer for every type without tp_new
    t = classes2.issue_token(7)  # Zig still makes them
    assert type(t) is T and t.serial == 7 and t.describe() == "token #7"
    with pytest.raises(TypeError, match=r"cannot pickle 'Token' object: Python cannot create Token instances"):
        pickle.dumps(t)
    assert T.__text_signature__ is None  # no constructor signature is advertised

    class Sub(T):
        pass

    with pytest.raises(TypeError, match="cannot create"):
        Sub()
    ticket = classes2.Ticket(3)  # a py.class extending it may be constructible
    assert isinstance(ticket, T) and (ticket.serial, ticket.seat) == (1003, 3) and ticket.describe() == "token #1003"


# ---- signatures ----

def test_signatures_of_the_class_and_its_init(classes2: Any) -> None:
    Dog, Animal, Money = classes2.Dog, classes2.Animal, classes2.Money
    assert str(inspect.signature(Dog)) == "(name='Rex', legs=4, tricks=0)"
    assert str(inspect.signature(Dog.__init__)) == "(self, /, name='Rex', legs=4, tricks=0)"
    assert str(inspect.signature(Animal.__init__)) == "(self, /, name='animal', legs=4)"
    # A class inheriting __init__ has its own descriptor for it (the base's call), as stubtest expects.
    Puppy = classes2.Puppy
    assert "__init__" in vars(Puppy) and str(inspect.signature(Puppy.__init__)) == "(self, /, name='Rex', legs=4, tricks=0)"
    p = Puppy(name="P")
    Puppy.__init__(p, name="Q", tricks=2)
    assert (p.name(), p.tricks, p.age_weeks) == ("Q", 2, 8)
    # Plain parameters take keywords; self stays positional-only, as in Dog's and Animal's __init__.
    assert str(inspect.signature(Money)) == "(cents)" and str(inspect.signature(Money.__init__)) == "(self, /, cents)"
    d = Dog(name="A")
    Dog.__init__(d, name="B", tricks=9)  # an explicit call re-initialises, like Python's
    assert (d.name(), d.tricks) == ("B", 9)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        Dog.__init__(d, nope=1)


def test_type_dict_layout_assumption_holds_on_this_interpreter() -> None:
    """zig_core reads PyTypeObject.tp_dict at byte 264 (capi.zig) to install Cls.__init__: check it here."""
    import sys

    if sys.maxsize <= 2**32 or not (3, 10) <= sys.version_info[:2] <= (3, 13):
        return  # zig_core leaves CPython's __init__ wrapper alone there

    class Probe:
        marker = 1

    own = ctypes.cast(id(Probe) + 264, ctypes.POINTER(ctypes.py_object))[0]
    assert type(own) is dict and own["marker"] == 1 and own == dict(Probe.__dict__)


# ---- read-only buffers ----

def test_read_only_buffers(classes2: Any) -> None:
    import numpy as np

    table = classes2.Table()
    a = np.asarray(table)
    assert a.tolist() == [0, 1, 2, 3, 4, 5] and a.dtype == np.float64 and not a.flags.writeable
    mv = memoryview(table)
    assert mv.readonly and mv.format == "d" and mv.shape == (6,)
    with pytest.raises(TypeError, match="cannot modify read-only memory"):
        mv[0] = 1.0
    with pytest.raises(BufferError, match="Table object's buffer is read-only; a writable buffer was requested"):
        get_writable_buffer(table)
    grid = np.asarray(classes2.Grid())
    assert grid.tolist() == [[1, 2, 3], [4, 5, 6]] and grid.dtype == np.int32 and not grid.flags.writeable
    with pytest.raises(BufferError, match="read-only"):
        get_writable_buffer(classes2.Grid())


def test_buffer_sees_the_request_flags(classes2: Any) -> None:
    v = classes2.Vault()
    m = memoryview(v)  # a read-only request: not counted
    assert v.writable_requests == 0 and not m.readonly
    get_writable_buffer(v)
    assert v.writable_requests == 1
    m[0] = 9
    assert bytes(memoryview(v)) == b"\x09\x02\x03\x04"
    m.release()
    v.locked = True
    with pytest.raises(BufferError, match="the vault is locked"):  # an error from __buffer__
        get_writable_buffer(v)
    assert memoryview(v).readonly


# ---- stubs ----

def test_stub_shows_bases_and_hooks(classes2: Any, zig_modules: Path) -> None:
    stub = (zig_modules / "classes2.pyi").read_text()
    for line in ["class Dog(Animal):", "class Puppy(Dog):", "class Animal:",
                 "    def __getattr__(self, name: str, /) -> int: ...",
                 "    def __setattr__(self, name: str, value: Any, /) -> None: ...",
                 "    def __delattr__(self, name: str, /) -> None: ...",
                 "    def __init__(self, name: str | Buffer = 'Rex', legs: int = 4, tricks: int = 0) -> None: ..."]:
        assert line in stub.splitlines(), line
    dog = stub[stub.index("class Dog(Animal):"):]
    dog = dog[:dog.index("\n\n")]
    assert "    base:" not in dog and "tricks: int" in dog  # the base field is no attribute


def test_mypy_accepts_the_stub(classes2: Any, zig_modules: Path) -> None:
    import sys

    script = zig_modules / "classes2_user.py"
    script.write_text("""\
import classes2

d = classes2.Dog(name="Rex", tricks=1)
a: classes2.Animal = d                  # a Dog is an Animal
legs: int = classes2.legs_of(d) + d.legs + d.fetch()
said: str = d.speak() + classes2.Animal.speak(d)
r = classes2.Record()
r.anything = 3
n: int = r.anything                     # typed by __getattr__
del r.anything
t: classes2.Token = classes2.issue_token(1)
ro = memoryview(classes2.Table())
""")
    out = mypy(["--strict"], str(script), cwd=zig_modules)
    assert out.returncode == 0, out.stdout + out.stderr


# ---- memory ----

CHURN = """\
import gc
import zigimport, classes2

def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

friend = object()
def churn(n: int) -> int:
    done = 0
    for i in range(n):
        d = classes2.Dog(name="Rex", tricks=i % 100)
        d.speak()
        d.befriend(friend)
        p = classes2.Puppy(name="P")
        p.befriend(d)
        r = classes2.Record()
        r.x = i % 1000
        r.x
        getattr(r, "missing", None)
        del r.x
        memoryview(classes2.Table()).release()
        classes2.Money(1) != classes2.Money(2)
        done += 1
    return done

churn(10_000)
gc.collect()
rss0, counts0 = rss(), classes2.deinit_counts()
done = churn(100_000)
gc.collect()
counts = classes2.deinit_counts()
print(done, rss() - rss0, counts[0] - counts0[0], counts[1] - counts0[1])
"""


def test_derived_instances_and_hooks_do_not_leak(zig_modules: Path, classes2: Any) -> None:
    out = run_python(CHURN, cwd=zig_modules, timeout=600, log_level=None)
    done, growth, animals, dogs = (int(v) for v in out.stdout.split())
    assert done == 100_000 and (animals, dogs) == (200_000, 200_000)
    assert growth < 2 * 1024 * 1024, f"RSS grew by {growth / 1e6:.1f} MB"


# ---- declarations zig_core refuses ----

BAD_CLASSES = """\
const py = @import("zig_core");
pub const Counter = py.class(struct {
    n: i64 = 0,
    pub fn __foo__(self: *@This()) void { _ = self; }
});
pub const Lookup = py.class(struct {
    pub fn __getattr__(self: *@This(), name: i64) i64 { _ = self; return name; }
});
const Plain = struct { x: i64 = 0 };
pub const Orphan = py.class(struct {
    pub const __base__ = Plain;
    base: Plain = .{},
});
pub const Misplaced = py.class(struct {
    pub const __base__ = Counter;
    extra: i64 = 0,
});
pub const Finalized = py.class(struct {
    pub fn __del__(self: *@This()) void { _ = self; }
});
pub const Stored = py.class(struct {
    pub fn __setattr__(self: *@This(), name: []const u8, value: i64) i64 { _ = self; _ = name; return value; }
});
pub const Exported = py.class(struct {
    pub fn __buffer__(self: *@This(), extra: i64) []const f64 { _ = self; _ = extra; return &.{}; }
});
pub const Twice = py.class(struct {
    pub const __base__ = Counter;
    base: Counter,
    n: i64 = 0,
});
pub const Half = py.class(struct {
    pub const __new__ = null;
    pub fn __init__(self: *@This()) void { _ = self; }
});
pub const Odd = py.class(struct {
    pub const __new__ = false;
});
pub const Typo = py.class(struct {
    pub const __readonly_fields__ = .{"x"};
    x: i64 = 0,
});
pub const Small = py.class(struct { b: u8 = 0 });
pub const Big = py.class(struct {
    pub const __base__ = Small;
    base: Small,
    wide: i64 = 0,
});
comptime { py.module(@This()); }
"""


def test_declarations_zig_core_would_not_honour_are_compile_errors(tmp_path: Path) -> None:
    write(tmp_path / "bad_classes.zig", BAD_CLASSES)
    out = import_error("bad_classes", "zigimport.ZigCompileError", cwd=tmp_path).stdout
    assert "Counter.__foo__ is not a special method zig_core supports; supported: __init__, __buffer__, __getattr__" in out
    assert "__repr__" in out and "__eq__" in out and "__enter__" in out  # the list is complete
    assert "Lookup.__getattr__ must be fn (self: *Lookup, name: []const u8) T" in out
    assert "Orphan.__base__ = " in out and "is not a py.class of this module" in out
    assert "Misplaced declares __base__ = Counter, so its first field must hold the base's data: `base: Counter,`" in out
    assert "Finalized.__del__ is not a special method zig_core supports (use `pub fn deinit(self: *Self) void`" in out
    assert "Stored.__setattr__ must return void or bool (false: do the normal assignment), not i64" in out
    assert "Exported.__buffer__ must be `fn (self: *Exported) []T` or `fn (self: *Exported, flags: py.BufferFlags) []T`" in out
    assert "Twice.n has the same name as a field of its base Counter; rename one" in out
    assert "Half declares both __init__ and `__new__ = null`: Python could never run that __init__; remove one" in out
    assert "Odd.__new__ must be `null` (a class Python cannot construct), not a bool" in out
    assert "Typo.__readonly_fields__ is not a declaration zig_core supports; supported: __base__, __new__ = null, __readonly__" in out
    assert "Big: Zig's layout put the base field 'base' at offset 8, but it must be at offset 0" in out
    assert "declare it `base: Small align(8),`" in out  # test_the_advised_alignment_fix_works tries it


def test_the_advised_alignment_fix_works(tmp_path: Path) -> None:
    write(tmp_path / "aligned_base.zig", """\
        const py = @import("zig_core");
        pub const Small = py.class(struct {
            b: u8 = 1,
            pub fn get_b(self: *const @This()) u8 { return self.b; }
        });
        pub const Big = py.class(struct {
            pub const __base__ = Small;
            base: Small align(8),
            wide: i64 = 2,
        });
        comptime { py.module(@This()); }
        """)
    out = run_python("import zigimport, aligned_base as m; b = m.Big(); print(b.get_b(), b.b, b.wide)", cwd=tmp_path)
    assert out.stdout.split() == ["1", "1", "2"]
