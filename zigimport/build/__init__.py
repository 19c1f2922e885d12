"""The locked build of one cache entry: imported by the loader only on a cache miss.

``locked_build`` takes the entry's lock, compiles with ``zig build-lib`` and
publishes the binary; ``signature_scan`` reads parameter names and doc
comments from the Zig source for it; ``stubs`` writes the ``.pyi`` stub the
binary carries.
"""

from __future__ import annotations

from .locked_build import build

__all__ = ["build"]
