"""zigimport: ``import my_ext`` compiles ``my_ext.zig`` and loads it as an extension module.

Importing this package installs the import hook.  See README.md for the
settings (``ZIG_RELEASEMODE``, ``ZIG_NORECOMPILE``, ``ZIGIMPORT_*``).
"""

from __future__ import annotations

import os
import sys

from .errors import ZigCacheError, ZigCompileError, ZigError, ZigImportError, ZigSettingsError, ZigToolchainError
from .finder import ZigFinder, install_finder
from .settings import DEFAULT_RELEASE_MODE, RELEASE_MODES, Overrides

__all__ = [
    "install", "uninstall", "ZigFinder", "RELEASE_MODES", "DEFAULT_RELEASE_MODE",
    "ZigImportError", "ZigCompileError", "ZigToolchainError", "ZigSettingsError", "ZigCacheError", "ZigError",
]
__version__ = "0.1.0"

_finder: ZigFinder | None = None


def install(*, release_mode: str | None = None, norecompile: bool | None = None, quiet: bool | None = None,
            cache_dir: str | os.PathLike[str] | None = None, stubs: str | None = None) -> ZigFinder:
    """Install the import hook (idempotent) and set Python-side overrides.

    Each argument left as ``None`` falls back to its environment variable
    (``ZIG_RELEASEMODE``, ``ZIG_NORECOMPILE``, ``ZIGIMPORT_QUIET``,
    ``ZIGIMPORT_CACHE_DIR``, ``ZIGIMPORT_STUBS``), read at every import; a value
    given here wins over the environment.  Calling again replaces all overrides.
    """
    global _finder
    overrides = Overrides(release_mode, norecompile, quiet, cache_dir, stubs)
    if _finder is None:
        _finder = ZigFinder(overrides)
    else:
        _finder.overrides = overrides
    if _finder not in sys.meta_path:
        install_finder(_finder)
    return _finder


def uninstall() -> None:
    """Remove the import hook; modules already imported stay loaded."""
    while _finder is not None and _finder in sys.meta_path:
        sys.meta_path.remove(_finder)


install()
