"""abi3demo: Zig modules built once against CPython's stable ABI, imported by 3.11, 3.12, 3.13 (docs/wheels.md)."""

try:
    import zigimport  # noqa: F401  (only for a source checkout: a wheel's extensions need no import hook)
except ImportError:
    pass

from . import core, point

__all__ = ["core", "point"]
