"""zigimport: ``import my_ext`` compiles ``my_ext.zig`` and loads it as an extension module.

Importing this package installs the import hook.  See README.md for the
settings (``ZIG_RELEASEMODE``, ``ZIG_NORECOMPILE``, ``ZIGIMPORT_*``).

Layout, in the order an import goes through it.  The top level is the import
path; each capability beyond it is a subpackage, imported only when needed
(a cache hit imports no ``zigimport.build*`` or ``zigimport.diagnostics*``
module; tests/test_layout.py checks that, and that no imports form a cycle)::

    finder.py            sys.meta_path finder: ``import name`` -> ``name.zig`` on the search path
    loader.py            ZigLoader: find a current binary for the entry (building on a miss), load it
    entry.py             Entry: one cache entry (source x module name x mode x toolchain x interpreter)
    settings.py          what the user controls (install() arguments, then environment, then defaults)
    toolchain.py         the ziglang compiler and zig_core sources, and which Zig this is
    cache_key.py         entry key (cheap facts) and build id (content of every input)
    cache_dir.py         where the cache lives and whether it is safe to load from
    manifest.py          an entry's current build and its inputs' digests: the hit-path freshness check
    source_graph.py      the local files a module is built from (@import / @embedFile), build path only
    build/               the locked build, imported only on a cache miss
        locked_build.py      lock the entry, compile with zig build-lib, publish atomically, prune
        signature_scan.py    parameter names and doc comments read from the Zig source
        stubs.py             write the .pyi stub embedded in the binary
    diagnostics/         error path only: imported when a compile fails or a Zig error reaches Python
        compile_errors.py    the compiler's diagnostics, each error once, the user's file:line first
        zig_trace.py         symbolize a Zig error return trace (DWARF .debug_line) for the exception
        elf.py               minimal ELF64 reader: sections, symbols (also reads the stub for build/stubs.py)
    specialize/          comptime parameters and @zetaclass (zigimport.load, compiled, zetaclass), imported on first use
        params.py            Python values -> the generated Zig ``params`` module (its text is the canonical key)
        compile_api.py       load, compiled, load_many, load_async; build_library, load_function, load_type
    errors.py            the exceptions (ImportError subclasses, ZigError a RuntimeError; zig_core imports it by name)
    log.py               the ``zigimport`` logger, without importing ``logging`` on the hit path
    atomic_files.py      write small files so readers never see a partial one
    typing.py            ``BufferLike``: the type stubs give buffer parameters (numpy arrays on 3.10/3.11 too)
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

# ---- specialize/ section 1: comptime parameters and the compile API (docs/specialize.md) ----
# Lazy: `import zigimport` stays light; the first use imports zigimport.specialize.
_SPECIALIZE_NAMES = {
    "load": "compile_api", "compiled": "compile_api", "load_many": "compile_api", "load_async": "compile_api",
    "build_library": "compile_api", "load_function": "compile_api", "load_type": "compile_api", "ZigType": "params",
}
__all__ += list(_SPECIALIZE_NAMES)
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:  # type checkers see the real signatures
    from .specialize.compile_api import build_library as build_library, compiled as compiled, load as load
    from .specialize.compile_api import load_async as load_async, load_function as load_function
    from .specialize.compile_api import load_many as load_many, load_type as load_type
    from .specialize.params import ZigType as ZigType


def __getattr__(name: str) -> object:
    where = _SPECIALIZE_NAMES.get(name)
    if where is None:
        raise AttributeError(f"module 'zigimport' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"zigimport.specialize.{where}"), name)
    globals()[name] = value
    return value
