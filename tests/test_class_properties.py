"""Hypothesis throws arbitrary values at every method and attribute of every class: a result
or a clean Python exception, never a crash (a crash would end the test process)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CLEAN = (TypeError, ValueError, OverflowError, IndexError, KeyError, AttributeError, BufferError, ZeroDivisionError, MemoryError)  # MemoryError: Ring(2**31) asks for 16 GiB

anything = st.one_of(
    st.integers(-1000, 1000), st.sampled_from([2**31, 2**63, 2**70, -(2**70)]), st.floats(), st.booleans(),
    st.none(), st.text(max_size=5), st.binary(max_size=8), st.lists(st.integers(-3, 3), max_size=3),
    st.tuples(st.floats(), st.floats()), st.builds(object), st.just(len), st.just(print),
)


def instances(m: Any) -> dict[str, Callable[[], Any]]:
    def ring() -> Any:
        r = m.Ring(4)
        for x in (1.0, 2.0, 3.0):
            r.push(x)
        return r

    return {
        "Counter": lambda: m.Counter(start=1), "Vec2": lambda: m.Vec2(1.0, 2.0), "Version": lambda: m.Version(1, 2),
        "Ring": ring, "RingIter": lambda: iter(ring()), "Matrix": lambda: m.Matrix(2, 2), "Node": lambda: m.Node(1),
        "Callbacks": lambda: m.Callbacks(lambda *a: 1), "Opaque": lambda: m.Opaque(),
    }


def callable_members(obj: Any) -> list[str]:
    """Methods the class defines (its own and its slot dunders), not object's."""
    return sorted(n for n, v in inspect.getmembers(type(obj)) if callable(v) and n not in dir(object) or
                  n in ("__init__", "__repr__", "__eq__", "__hash__", "__reduce__", "__setstate__", "__lt__"))


def attributes(obj: Any) -> list[str]:
    return sorted(n for n, v in inspect.getmembers(type(obj)) if inspect.isgetsetdescriptor(v) or isinstance(v, property))


@pytest.mark.parametrize("class_name", ["Counter", "Vec2", "Version", "Ring", "RingIter", "Matrix", "Node", "Callbacks", "Opaque"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_method_and_attribute_survives_arbitrary_values(classes: Any, class_name: str, data: st.DataObject) -> None:
    obj = instances(classes)[class_name]()
    methods, attrs = callable_members(obj), attributes(obj)
    assert methods, class_name
    for _ in range(5):
        if attrs and data.draw(st.booleans()):
            name = data.draw(st.sampled_from(attrs))
            try:
                setattr(obj, name, data.draw(anything))
            except CLEAN:
                pass
            getattr(obj, name)  # whatever was stored reads back
        else:
            name = data.draw(st.sampled_from(methods))
            args = data.draw(st.lists(anything, max_size=3))
            kwargs = data.draw(st.dictionaries(st.sampled_from(["start", "step", "x", "other", "n"]), anything, max_size=2))
            try:
                getattr(obj, name)(*args, **kwargs)
            except (StopIteration, *CLEAN):
                pass
    repr(obj)  # still a sound object
