"""fastpkg: native kernels written in Zig, compiled by zigimport when first imported.

``import zigimport`` installs the import hook, so ``import fastpkg.kernels`` finds
``kernels.zig`` in this package.  It is the one line a package needs: no .pth file,
no build step; the same line works for an editable install and a regular one.
"""

import zigimport  # noqa: F401  (the import hook: .zig files in this package become modules)

__all__ = ["kernels"]


def __getattr__(name: str) -> object:
    """``fastpkg.kernels`` without importing it first (compiled on first use, not at ``import fastpkg``)."""
    if name in __all__:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
