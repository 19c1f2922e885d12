"""zigimport: ``import my_ext`` compiles ``my_ext.zig`` and loads it as an extension module.

Importing this package installs the import hook.  See README.md for the
settings (``ZIG_RELEASEMODE``, ``ZIG_NORECOMPILE``, ``ZIGIMPORT_*``).

Layout, in the order an import goes through it.  The top level is the import
path; each capability beyond it is a subpackage, imported only when needed
(a cache hit imports no ``zigimport.build*`` or ``zigimport.diagnostics*``
module; tests/test_layout.py checks that, and that no imports form a cycle)::

    finder.py            the sys.path_hooks entry: ``name.zig`` / ``name.zig.json`` found by Python's FileFinder scan
                         (Python's precedence); the one module ``import zigimport`` loads: the rest on the first
                         ``.zig`` found (tests/test_layout.py); a warm import's whole check, the module's hit record
    hit_record.py        write the hit record once the full check confirmed a binary: what a record proves
    loader.py            ZigLoader: find a current binary for the entry (building on a miss), load it
    project_loader.py    ProjectLoader: ``pkg.ext`` installed by the package's own build.zig (built on a miss)
    entry.py             Entry: one cache entry (source x module name x mode x toolchain x interpreter)
    settings.py          what the user controls (install() arguments, then environment, then defaults)
    toolchain.py         the ziglang compiler and zig_core sources, and which Zig this is
    cache_key.py         entry key (cheap facts) and build id (content of every input)
    cache_dir.py         where the cache lives and whether it is safe to load from
    manifest.py          an entry's current build and its inputs' digests: the hit-path freshness check
    core_digest.py       zig_core's sources as one digest, confirmed once per process when installed from a wheel
    source_graph.py      the local files a module is built from (@import / @embedFile), build path only
    build/               the locked build, imported only on a cache miss
        locked_build.py      lock the entry, compile with zig build-lib, publish atomically, prune
        signature_scan.py    parameter names and doc comments read from the Zig source
        stubs.py             write the .pyi stub embedded in the binary
        compiler_rt.py       link without Zig's compiler_rt unless the binary needs it (the slow part of a first build)
        entry_lock.py        the entry's build lock: flock, or lock files where the filesystem has no flock
        zig_process.py       run one Zig command, with a notice on stderr when it takes a while
        zig_local_cache.py   the entry's own Zig --cache-dir, emptied whenever Zig could mistake an edit for no change
        config.py            read(source) -> BuildConfig: the module's ``zigimport_build`` declaration, validated
        zon.py               ZON reader (values with lines) and the Zig tokenizer config.py scans with
        build_plan.py        what the configuration adds to the compile: flags, named modules, input files
        abi3.py              abi3 = true | "3.12": the stable-ABI minimum of a build (parsed, checked against this interpreter)
        c_inputs.py          C sources, include dirs, defines, system libs; #include deps via ``zig cc -MM``
        translate_c.py       c_headers -> Zig modules with ``zig translate-c``, cached by content
        zig_packages.py      build.zig.zon dependencies (local .path, hashed URL from Zig's package cache)
        build_zig.py         run a package's own build.zig (zig build <step>) under the lock into the cache
        test_binary.py       a file's ``test`` blocks as an extension module (zig test-obj + link), for integrations/
        core_object.py       zig_core's module-independent code compiled once per tree/mode/ABI/target, linked into every module
    diagnostics/         error path only: imported when a compile fails or a Zig error reaches Python
        compile_errors.py    the compiler's diagnostics, each error once, the user's file:line first
        zig_trace.py         symbolize a Zig error return trace (DWARF .debug_line) for the exception
        panic_report.py      the text of a Zig panic report (zig_core's panic handler calls it, then Py_FatalError)
        elf.py               minimal ELF64 reader: sections, symbols (also reads the stub for build/stubs.py)
    specialize/          comptime parameters and @zetaclass (zigimport.load, compiled, zetaclass), imported on first use
        params.py            Python values -> the generated Zig ``params`` module (its text is the canonical key)
        compile_api.py       load, compiled, load_many, load_async; build_library, load_function, load_type
        zetaclass.py         @zetaclass: dataclass semantics via dataclasses, the class body moved onto the native type
        zetaclass_codegen.py a zetaclass's field spec -> the Zig source of its native type (zig_core/src/zetaclass.zig)
        generated.py         build and load generated Zig source through the cache (Entry + loader.resolve)
    schema/              ``.zig.json`` schema modules (issue 9): imported when one is found or schema_module is used
        source.py            read a schema file (and the local files it $refs): JSON errors with line and column
        keywords.py          THE keyword table: supported / ignored / rejected (docs/schema.md renders it)
        names.py             class, attribute and module names from schema names
        spec.py              Python mirrors of zig_core's schema.Spec types
        resolve.py           schema -> spec: every keyword checked, $refs resolved to node indices, allOf merged
        pytypes.py           a node's Python type as text (fields' type_name, the stub's annotations)
        codegen.py           spec -> the Zig text zig_core.schema.module compiles
        record.py            the hit path's shortcut: which generated text a schema file last rendered to
        loader.py            SchemaLoader (the finder's for name.zig.json) and load_spec, via specialize/generated.py
        stubs.py             the schema module's .pyi, rewritten when the schema changes
        compile.py           schema_module, schema_class (public), module_from_roots (for the test suite)
    integrations/        tools around the hook (CLI, notebooks, pytest), each imported only when used; never by ``import zigimport``
        pytest_plugin.py     the ``pytest11`` plugin: Zig tests as pytest items (docs/pytest.md)
        zig_tests.py         build, list and run a file's Zig tests (worker processes); ``zigimport test``'s cli_main
        test_worker.py       the worker process: loads a test binary, runs one test per request, output captured
        cli.py               ``python -m zigimport`` / ``zigimport``: build, clean, info, stubs, prune, test (docs/cli.md)
        sources.py           which files are module sources (by suffix: one line per kind), their import names
        build_jobs.py        build many (source, mode) pairs at once through loader.resolve, with a progress line
        ipython.py           ``%load_ext zigimport``: the ``%%zig`` cell magic, a cell compiled and bound as a module
        cache_entries.py     the cache's entries from their manifests: source, mode, size, age; removal under the lock
        wheels.py            a package's modules built for a wheel: -target (manylinux glibc, cross), tags, stubs (docs/wheels.md)
        hatch_hook.py        the hatchling build hook ``[tool.hatch.build.hooks.zigimport]`` (a ``hatch`` entry point)
        prebuilt_params.py   load() requests prebuilt into a wheel (``specializations``): their digest, the exact lookup load() does first
        windows_implib.py    a Windows wheel's import library of python3XY.dll (a .def of the C API used, zig dlltool)
    __main__.py          ``python -m zigimport``: runs integrations/cli.py
    zig_literal.py       Python text as Zig string literals (build/ and specialize/ generate Zig source)
    errors.py            the exceptions (ImportError subclasses, ZigError a RuntimeError; zig_core imports it by name)
    log.py               the ``zigimport`` logger, without importing ``logging`` on the hit path
    atomic_files.py      write small files so readers never see a partial one
    typing.py            ``BufferLike``: the type stubs give buffer parameters (numpy arrays on 3.10/3.11 too)
"""

import os
import sys

from .finder import ZigPathHook, install_hook, uninstall_hook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:  # type checkers see the real names; at run time they are looked up lazily (below)
    from .errors import ZigCacheError as ZigCacheError, ZigCompileError as ZigCompileError, ZigError as ZigError
    from .errors import ZigImportError as ZigImportError, ZigSettingsError as ZigSettingsError
    from .errors import ZigSourceError as ZigSourceError, ZigToolchainError as ZigToolchainError
    from .errors import SchemaDecodeError as SchemaDecodeError, SchemaError as SchemaError
    from .errors import SchemaValidationError as SchemaValidationError
    from .settings import DEFAULT_RELEASE_MODE as DEFAULT_RELEASE_MODE, RELEASE_MODES as RELEASE_MODES
    from .specialize.zetaclass import zetaclass as zetaclass
    from .specialize.compile_api import build_library as build_library, compiled as compiled, load as load
    from .specialize.compile_api import load_async as load_async, load_function as load_function
    from .specialize.compile_api import load_many as load_many, load_type as load_type
    from .specialize.params import ZigType as ZigType
    from .schema.compile import schema_class as schema_class, schema_module as schema_module

__all__ = [
    "install", "uninstall", "ZigPathHook", "RELEASE_MODES", "DEFAULT_RELEASE_MODE",
    "ZigImportError", "ZigCompileError", "ZigToolchainError", "ZigSettingsError", "ZigCacheError", "ZigError",
]
# exactbuild (issue 10 section 2): unreadable or changing sources
__all__ += ["ZigSourceError"]
# schema modules (issue 9): the exceptions; the rest joins with zigimport/schema/
__all__ += ["SchemaError", "SchemaValidationError", "SchemaDecodeError"]
__all__ += ["schema_module", "schema_class"]  # schema modules (issue 9): a JSON Schema dict compiled (docs/schema.md)
# zetaclass (issue 8 section 2)
__all__ += ["zetaclass"]
# comptime parameters and the compile API (issue 8 section 1)
__all__ += ["load", "compiled", "load_many", "load_async", "build_library", "load_function", "load_type", "ZigType"]
__version__ = "0.1.0"

# Public names imported on first use, so that `import zigimport` loads only this file and finder.py
# (tests/test_layout.py checks): name -> the module that defines it.  Add lazy names here, one line each.
_LAZY = {
    "ZigImportError": "errors", "ZigCompileError": "errors", "ZigToolchainError": "errors", "ZigSettingsError": "errors",
    "ZigCacheError": "errors", "ZigError": "errors", "ZigSourceError": "errors",
    "SchemaError": "errors", "SchemaValidationError": "errors", "SchemaDecodeError": "errors",
    "RELEASE_MODES": "settings", "DEFAULT_RELEASE_MODE": "settings",
    "schema_module": "schema.compile", "schema_class": "schema.compile",  # schema modules (docs/schema.md)
    "zetaclass": "specialize.zetaclass",  # @zetaclass (docs/zetaclass.md); brings in dataclasses
    # comptime parameters and the compile API (docs/specialize.md)
    "load": "specialize.compile_api", "compiled": "specialize.compile_api", "load_many": "specialize.compile_api",
    "load_async": "specialize.compile_api", "build_library": "specialize.compile_api",
    "load_function": "specialize.compile_api", "load_type": "specialize.compile_api", "ZigType": "specialize.params",
}


def __getattr__(name: str) -> object:
    """A lazy public name (``_LAZY``): import its module, then keep the value here."""
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'zigimport' has no attribute {name!r}")
    __import__(f"{__name__}.{where}")
    value = getattr(sys.modules[f"{__name__}.{where}"], name)
    globals()[name] = value
    return value


_hook: ZigPathHook | None = None


def install(*, release_mode: str | None = None, norecompile: bool | None = None, quiet: bool | None = None,
            cache_dir: str | os.PathLike[str] | None = None, stubs: str | None = None) -> ZigPathHook:
    """Install the import hook (idempotent) and set Python-side overrides; returns the hook.

    The hook is a ``sys.path_hooks`` entry: ``name.zig`` and ``name.zig.json`` are found in the same folder
    scan as ``name.py``, by Python's own precedence (docs/quickstart.md, "Which file wins").

    Each argument left as ``None`` falls back to its environment variable
    (``ZIG_RELEASEMODE``, ``ZIG_NORECOMPILE``, ``ZIGIMPORT_QUIET``,
    ``ZIGIMPORT_CACHE_DIR``, ``ZIGIMPORT_STUBS``), read at every import; a value
    given here wins over the environment.  Calling again replaces all overrides.
    """
    global _hook
    overrides = None  # all from the environment: settings.py is imported with the first .zig module
    if (release_mode, norecompile, quiet, cache_dir, stubs) != (None, None, None, None, None):
        from .settings import Overrides

        overrides = Overrides(release_mode, norecompile, quiet, cache_dir, stubs)
    if _hook is None:
        _hook = ZigPathHook(overrides)
    else:
        _hook.overrides = overrides
    install_hook(_hook)
    return _hook


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext zigimport`` in IPython/Jupyter: the ``%%zig`` cell magic (docs/notebooks.md)."""
    from .integrations.ipython import load_ipython_extension as load

    load(ipython)


def uninstall() -> None:
    """Remove the import hook (and ``.zig`` from the finders it gave it to); modules already imported stay loaded."""
    if _hook is not None:
        uninstall_hook(_hook)


install()
