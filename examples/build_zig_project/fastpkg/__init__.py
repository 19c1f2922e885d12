"""A package whose extension module is built by its own build.zig (zig build python-ext) on import."""

import zigimport  # noqa: F401  (installs the import hook)

from ._speedups import scale  # built by build.zig on first import, then loaded from the cache

__all__ = ["scale"]
