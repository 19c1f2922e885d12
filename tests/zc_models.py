"""The classes of the zetaclass parity suite, defined once for any dataclass-like decorator.

tests/zc_models_dc.py applies ``dataclasses.dataclass`` and tests/zc_models_zc.py
``zigimport.zetaclass``; tests/test_zetaclass.py runs the same checks on both and
requires identical results.  Each class lands in the calling module's namespace
under its own name (so pickle finds it and the reprs agree).
"""

import dataclasses
from collections.abc import Callable
from dataclasses import InitVar, field
from typing import Any, ClassVar, Optional


def define(deco: Callable[..., Any], module: str) -> dict[str, Any]:
    """The model classes decorated by ``deco`` (called like ``dataclass``), as module ``module`` holds them."""
    out: dict[str, Any] = {}

    def place(cls: type, **options: Any) -> Any:
        cls.__module__ = module
        cls.__qualname__ = cls.__name__
        made = deco(**options)(cls) if options else deco(cls)
        out[made.__name__] = made
        return made

    class Flat:
        """A flat record of every native field type."""
        x: int
        y: float
        name: str
        flag: bool = False
        data: bytes = b""

        def norm1(self) -> float:
            return abs(self.x) + abs(self.y)

    place(Flat)

    class Inner:
        a: int
        b: str = "b"

    Inner = place(Inner, frozen=True)

    class Outer:
        inner: Inner  # type: ignore[valid-type]
        other: Inner | None = None  # type: ignore[valid-type]
        items: list[int] = field(default_factory=list)
        n: Optional[int] = None
        note: str | None = None
        meta: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
        created: ClassVar[int] = 0
        scale: InitVar[int] = 1
        total: int = field(init=False, default=0)

        def __post_init__(self, scale: int) -> None:
            self.total = self.inner.a * scale + sum(self.items)
            type(self).created += 1

        @property
        def double(self) -> int:
            return self.total * 2

        @double.setter
        def double(self, v: int) -> None:
            self.total = v // 2

        @classmethod
        def of(cls, a: int, *items: int) -> Any:
            return cls(Inner(a), items=list(items))

        @staticmethod
        def unit() -> str:
            return "outer"

    place(Outer)

    class Version:
        major: int
        minor: int = 0
        patch: int = 0
        label: str = field(default="", compare=False)

        def bump(self) -> Any:
            return dataclasses.replace(self, minor=self.minor + 1)

    place(Version, frozen=True, order=True)

    class Base:
        id: int
        tags: list[str] = field(default_factory=list)

        def describe(self) -> str:
            return f"{type(self).__name__}#{self.id}"

    Base = place(Base)

    class Child(Base):  # type: ignore[valid-type, misc]
        label: str = "child"
        weight: float = field(default=1.0, kw_only=True)

        def describe(self) -> str:
            return super().describe() + f"[{self.label}]"

    place(Child)

    class Slotted:
        key: str
        value: Optional[float] = None
        hidden: int = field(default=7, repr=False, hash=False)

    place(Slotted, slots=True, kw_only=True, unsafe_hash=True)
    return out
