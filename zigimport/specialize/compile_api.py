"""The compile API: ``load``/``compiled`` a source specialised for Python values, many at once, and the
low-level ``build_library`` -> ``load_function``/``load_type`` for raw exports.

Every call goes through the import hook's machinery: the entry key (which now includes the
parameter module's text and the extra flags), the manifest freshness check, and on a miss the
locked build -- so two threads or two processes asking for one parameter set compile it once.
A specialisation is loaded as the module ``kernel[n=4,use_simd=True]`` (``kernel[#<digest>]``
when the values do not fit a short name), so several live side by side in ``sys.modules``.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from importlib.machinery import ExtensionFileLoader, ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Union

from .. import settings as settings_mod
from ..entry import Entry
from ..errors import ZigImportError
from ..finder import SOURCE_SUFFIX, installed_overrides
from ..loader import resolve
from .params import ParamSet, param_set

if TYPE_CHECKING:
    import ctypes

Source = Union[str, "os.PathLike[str]"]

# Names the compile command already gives a module (build/locked_build.py), so a parameter module cannot take them.
_RESERVED_MODULES = frozenset({"root", "std", "builtin", "zig_core", "zigimport_user", "zigimport_options", "c"})
_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# ---- flags ----

_FLAG_SHAPES = re.compile(
    r"-f(?:no-)?[A-Za-z][A-Za-z0-9-]*"         # code generation features: -fstrip, -fno-omit-frame-pointer, ...
    r"|-mcpu=[A-Za-z0-9_+\-.]+"            # CPU model and features
    r"|-m(?:no-)?red-zone"
    r"|-l[A-Za-z0-9_+\-.]+"               # a system library: -lc, -lm
)
# Accepted shapes that would still break the build, the load or the cache key.
_FLAG_REFUSED = {
    "-femit-": "zigimport chooses the output files",
    "-fno-emit-": "zigimport chooses the output files",
    "-fincremental": "incremental compilation does not work for build-lib on ELF in this Zig",
    "-fno-allow-shlib-undefined": "an extension module resolves CPython's symbols when it is loaded",
    "-fno-PIC": "an extension module is a shared library and needs position-independent code",
    "-fno-PIE": "an extension module is a shared library and needs position-independent code",
}
_FLAG_HINTS = {
    "-O": "use release_mode= instead",
    "-target": "a binary for another target cannot be loaded into this interpreter",
    "-M": "zigimport defines the modules (the parameters are the `params` module)",
    "--dep": "zigimport defines the modules (the parameters are the `params` module)",
    "--cache-dir": "zigimport chooses the caches",
    "--global-cache-dir": "zigimport chooses the caches",
    "--zig-lib-dir": "the standard library's content is not part of the cache key",
    "-I": "files a flag points at are not part of the cache key; @import them from the source instead",
    "-L": "files a flag points at are not part of the cache key",
    "--name": "the module name comes from the source file",
}


def check_flags(flags: object, where: str = "flags") -> tuple[str, ...]:
    """Validate extra compiler flags: each a str of an accepted shape; a clear error otherwise."""
    if isinstance(flags, (str, bytes)) or not isinstance(flags, Iterable):
        raise TypeError(f"{where} must be a list or tuple of str, not {type(flags).__name__}"
                        + (" (wrap a single flag in a list)" if isinstance(flags, str) else ""))
    out = []
    for i, flag in enumerate(flags):
        if not isinstance(flag, str):
            raise TypeError(f"{where}[{i}] must be a str, not {type(flag).__name__}")
        for prefix, why in _FLAG_REFUSED.items():
            if flag.startswith(prefix):
                raise ValueError(f"{where}[{i}]: {flag!r} is not allowed: {why}")
        if not _FLAG_SHAPES.fullmatch(flag):
            hint = next((why for prefix, why in _FLAG_HINTS.items() if flag.startswith(prefix)), None)
            raise ValueError(f"{where}[{i}]: {flag!r} is not allowed" + (f": {hint}" if hint else "") +
                             "; accepted: -f<feature>/-fno-<feature>, -mcpu=<cpu>, -m[no-]red-zone, -l<system library>")
        out.append(flag)
    return tuple(out)


# ---- requests ----


def _overrides() -> "settings_mod.Overrides | None":
    """The installed hook's overrides (``zigimport.install(...)``; None: all from the environment)."""
    return installed_overrides()


def _zig_file(fullname: str, path: "list[str] | None") -> str | None:
    """The ``name.zig`` along *path* (default ``sys.path``) that ``import fullname`` would find, other kinds aside."""
    filename = fullname.rpartition(".")[2] + SOURCE_SUFFIX
    for entry in sys.path if path is None else path:
        if isinstance(entry, str):
            candidate = os.path.join(entry or os.curdir, filename)
            if os.path.isfile(candidate):
                return os.path.abspath(candidate)
    return None


def find_source(source: object) -> tuple[str, str]:
    """(module name, path) for a path to a ``.zig`` file or a module name found like ``import`` finds it."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and (source.endswith(SOURCE_SUFFIX) or os.sep in source or "/" in source)):
        path = os.fspath(source)
        if not isinstance(path, str):
            raise TypeError(f"source must be a str path or a module name, not {type(source).__name__}")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such Zig source file: {path!r}")
        stem = os.path.basename(path)
        stem = stem[:-len(SOURCE_SUFFIX)] if stem.endswith(SOURCE_SUFFIX) else stem.rpartition(".")[0] or stem
        if not stem.isidentifier():
            raise ValueError(f"cannot name a module after {os.path.basename(path)!r}: the file name (without .zig) must be a Python identifier")
        return stem, os.path.abspath(path)
    if not isinstance(source, str):
        raise TypeError(f"source must be a path or a module name (str), not {type(source).__name__}")
    if not all(part.isidentifier() for part in source.split(".")):
        raise ValueError(f"{source!r} is neither a module name nor a path to a .zig file")
    parent, _, tail = source.rpartition(".")
    search: list[str] | None = None
    if parent:
        import importlib

        search = list(getattr(importlib.import_module(parent), "__path__", []))
    origin = _zig_file(source, search)
    if origin is None:
        where = f"the package {parent!r}" if parent else "sys.path"
        raise ModuleNotFoundError(f"No module named {source!r}: no {tail}{SOURCE_SUFFIX} on {where}", name=source)
    return source, origin


class Request:
    """One checked specialisation: a source, its parameters, mode and flags, and its cache entry."""

    __slots__ = ("source", "fullname", "params", "params_module", "flags", "entry", "mode", "key", "_no_toolchain")

    def __init__(self, source: object, params: object = None, params_module: str = "params", release_mode: str | None = None,
                 flags: object = (), param_kwargs: Mapping[str, object] | None = None, where: str = "params") -> None:
        base, self.source = find_source(source)
        if not isinstance(params_module, str) or not _MODULE_NAME.fullmatch(params_module) or params_module in _RESERVED_MODULES:
            raise ValueError(f"params_module={params_module!r} must be an identifier other than {', '.join(sorted(_RESERVED_MODULES))}")
        self.params_module = params_module
        self.flags = check_flags(flags)
        self.params: ParamSet = param_set(params, param_kwargs, where=where)
        s = settings_mod.resolve(_overrides())
        mode = s.release_mode if release_mode is None else settings_mod.parse_release_mode(release_mode, "release_mode")
        # The stub of a specialisation goes into its cache entry, not beside the source as kernel[n=4].pyi.
        s = settings_mod.Settings(mode, s.norecompile, s.quiet, s.cache_dir, s.lock_timeout,
                                  "cache" if s.stubs == "source" else s.stubs)
        # The name says the mode when it is not the default, however it was chosen: one name per build.
        self.fullname = f"{base}[{self._label(mode != settings_mod.DEFAULT_RELEASE_MODE and mode)}]"
        self.mode = mode
        self._no_toolchain: ZigImportError | None = None
        try:
            self.entry = Entry(self.fullname, self.source, s, extra_modules=((params_module, self.params.text),), extra_flags=self.flags)
            self.key = self.entry.key
        except ZigImportError as exc:  # no compiler (ziglang not installed): only a prebuilt binary can serve (build())
            self._no_toolchain = exc
            self.key = f"prebuilt:{self.source}:{self.fullname}:{self.params.digest}"

    def _label(self, mode: str | bool) -> str:
        parts = [self.params.label]
        if self.params_module != "params":
            parts.append(f"module={self.params_module}")
        if mode:
            parts.append(str(mode))
        if self.flags:
            parts.append(",".join(self.flags))
        label = ";".join(parts)
        if len(label) > 150 or "." in label or not all(ch.isalnum() or ch in "_,=+-';#" for ch in label):
            from ..cache_key import digest

            label = "#" + digest(label.encode())[:12]
        return label

    def build(self) -> str:
        """The path of a current binary (one prebuilt into a wheel for this exact request, a cache hit, or a locked build)."""
        if os.path.isdir(os.path.join(os.path.dirname(self.source), "_zigimport_prebuilt")):  # a wheel's (integrations/prebuilt_params.py)
            from ..integrations import prebuilt_params

            found = prebuilt_params.find(self.source, self.params.text, self.params_module, self.mode, self.flags)
            if found is not None:
                return found
            if self._no_toolchain is not None:
                listed = prebuilt_params.available(self.source) or ["none"]
                raise ZigImportError(
                    f"load({self.source!r}, params=[{self.params.label}], params_module={self.params_module!r}, "
                    f"release_mode={self.mode!r}, flags={list(self.flags)!r}) has no prebuilt binary and cannot be compiled "
                    f"({self._no_toolchain}); prebuilt in {prebuilt_params.folder_of(self.source)}:\n  " + "\n  ".join(listed),
                    name=self.fullname, path=self.source) from None
        if self._no_toolchain is not None:
            raise self._no_toolchain.with_traceback(None) from None
        try:
            return resolve(self.entry)
        except ZigImportError as exc:
            raise exc.with_traceback(None) from None


# ---- loading ----

_lock = threading.Lock()
_loaded: dict[tuple[str, str], ModuleType] = {}


def _load(req: Request, artifact: str) -> ModuleType:
    with _lock:
        module = _loaded.get((req.key, artifact))
        if module is not None:
            sys.modules[req.fullname] = module
            return module
        so_loader = ExtensionFileLoader(req.fullname, artifact)
        spec = ModuleSpec(req.fullname, so_loader, origin=artifact)
        try:
            module = so_loader.create_module(spec)
        except ImportError as exc:
            if req.fullname.rpartition('.')[2] in str(exc) and "PyInit" in str(exc):
                raise ZigImportError(
                    f"{req.source} compiled, but exports no module init: a zig_core module needs "
                    f"`comptime {{ py.module(@This()); }}`; for raw exports use zigimport.build_library() with "
                    f"load_function()/load_type()", name=req.fullname, path=req.source) from None
            raise
        so_loader.exec_module(module)
        module.__file__ = req.source
        sys.modules[req.fullname] = module
        _loaded[(req.key, artifact)] = module
        return module


def load(source: Source, *, params: object = None, params_module: str = "params", release_mode: str | None = None,
         flags: Iterable[str] = (), **param_kwargs: object) -> ModuleType:
    """Compile the Zig module *source* specialised for the parameter values and return it.

    *source* is a path to a ``.zig`` file or a module name found like ``import`` finds it.  The values
    (*params*: a dataclass instance or a dict, and/or keyword arguments) become the Zig module
    ``@import("params")`` (renamed by *params_module*).  *release_mode* (default: the settings') and
    extra compiler *flags* apply to this build only.  Each distinct set is its own cache entry, loaded
    as ``name[n=4,...]``; a bad value raises TypeError naming its field before anything compiles.
    """
    req = Request(source, params, params_module, release_mode, flags, param_kwargs)
    return _load(req, req.build())


def compiled(source: Source, name: str, *, params: object = None, params_module: str = "params",
             release_mode: str | None = None, flags: Iterable[str] = (), **param_kwargs: object) -> Any:
    """``load(...)`` and return its attribute *name* (a function or class)."""
    if not isinstance(name, str):
        raise TypeError(f"compiled() attribute name must be a str, not {type(name).__name__}")
    module = load(source, params=params, params_module=params_module, release_mode=release_mode, flags=flags, **param_kwargs)
    try:
        return getattr(module, name)
    except AttributeError:
        public = ", ".join(sorted(n for n in vars(module) if not n.startswith("_")))
        raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}; it has: {public}", name=name, obj=module) from None


_LOAD_KEYS = frozenset({"source", "params", "params_module", "release_mode", "flags"})


def _request_of(item: object, i: int, release_mode: str | None, flags: Iterable[str]) -> Request:
    where = f"requests[{i}]"
    if isinstance(item, Mapping):
        if "source" not in item:
            raise TypeError(f"{where} has no 'source'")
        kw = dict(item)
        known = {k: kw.pop(k) for k in list(kw) if k in _LOAD_KEYS}
        extra = {k: v for k, v in kw.items()}  # anything else is a parameter value, as for load(**kwargs)
        return Request(known["source"], known.get("params"), known.get("params_module", "params"),
                       known.get("release_mode", release_mode), known.get("flags", flags), extra, where=f"{where}.params")
    if isinstance(item, tuple) and len(item) == 2:
        return Request(item[0], item[1], "params", release_mode, flags, None, where=f"{where}.params")
    if isinstance(item, (str, os.PathLike)):
        return Request(item, None, "params", release_mode, flags, None, where=f"{where}.params")
    raise TypeError(f"{where} must be a source, a (source, params) pair or a dict of load() arguments, not {type(item).__name__}")


def load_many(requests: Iterable[object], *, release_mode: str | None = None, flags: Iterable[str] = (),
              max_workers: int | None = None) -> list[ModuleType]:
    """Load many specialisations, building the missing ones concurrently; return the modules in order.

    Each request is a ``(source, params)`` pair, a dict of ``load()``'s arguments
    (``{"source": "kernel", "params": {...}, "release_mode": "Debug"}``) or a bare source.
    All are checked before anything compiles; *release_mode* and *flags* are the defaults for
    requests that do not say.  Builds run on *max_workers* threads (default: the CPU count), each
    waiting on a compiler process; a set asked for twice is built once.  If builds fail, the
    first failing request's error is raised after all have finished.
    """
    if isinstance(requests, (str, bytes, Mapping)) or not isinstance(requests, Iterable):
        raise TypeError(f"load_many() takes a list of requests, not {type(requests).__name__}")
    if max_workers is not None and (not isinstance(max_workers, int) or isinstance(max_workers, bool) or max_workers < 1):
        raise ValueError(f"max_workers={max_workers!r} must be a positive int or None")
    reqs = [_request_of(item, i, release_mode, flags) for i, item in enumerate(requests)]
    unique: dict[str, Request] = {}
    for r in reqs:
        unique.setdefault(r.key, r)
    artifacts: dict[str, str] = {}
    errors: dict[str, BaseException] = {}
    if len(unique) <= 1:
        for key, r in unique.items():
            artifacts[key] = r.build()
    else:
        from concurrent.futures import ThreadPoolExecutor

        workers = max_workers or _default_workers()
        with ThreadPoolExecutor(max_workers=min(workers, len(unique)), thread_name_prefix="zigimport-build") as pool:
            futures = {key: pool.submit(r.build) for key, r in unique.items()}
            for key, fut in futures.items():
                exc = fut.exception()
                if exc is None:
                    artifacts[key] = fut.result()
                else:
                    errors[key] = exc
    for r in reqs:
        if r.key in errors:
            raise errors[r.key]
    return [_load(r, artifacts[r.key]) for r in reqs]


async def load_async(source: Source, *, params: object = None, params_module: str = "params", release_mode: str | None = None,
                     flags: Iterable[str] = (), **param_kwargs: object) -> ModuleType:
    """``await``-able ``load()``: the build runs on a shared pool of one thread per core (each waiting on a
    compiler process), so ``asyncio.gather(load_async(...), ...)`` builds on all cores; the values are
    checked before the coroutine first suspends."""
    import asyncio

    req = Request(source, params, params_module, release_mode, flags, param_kwargs)
    artifact = await asyncio.get_running_loop().run_in_executor(_build_executor(), req.build)
    return _load(req, artifact)


_executor: Any = None


def _build_executor() -> Any:
    """One compiler per core for load_async: more only contend for the same cores and memory."""
    global _executor
    with _lock:
        if _executor is None:
            from concurrent.futures import ThreadPoolExecutor

            _executor = ThreadPoolExecutor(max_workers=_default_workers(), thread_name_prefix="zigimport-build")
        return _executor


def _default_workers() -> int:
    return max(2, os.cpu_count() or 2)


# ---- the low-level API ----


def build_library(source: Source, *, params: object = None, params_module: str = "params", release_mode: str | None = None,
                  flags: Iterable[str] = (), out_dir: str | os.PathLike[str] | None = None, **param_kwargs: object) -> Path:
    """Build *source* (specialised like ``load()``) through the cache and its locks and return the shared
    library's path: the cache's own binary, or a copy in *out_dir* (created if needed) under the same name.

    The library need not be a module (no ``py.module``): its exported ``PyMethodDef``/``PyType_Spec``
    symbols are loaded with ``load_function()``/``load_type()``.
    """
    req = Request(source, params, params_module, release_mode, flags, param_kwargs)
    artifact = req.build()
    if out_dir is None:
        return Path(artifact)
    import shutil

    out = os.fspath(out_dir)
    os.makedirs(out, exist_ok=True)
    target = os.path.join(out, os.path.basename(artifact))
    tmp = f"{target}.tmp-{os.getpid()}-{threading.get_ident()}"
    try:
        shutil.copyfile(artifact, tmp)
        os.replace(tmp, target)  # a process that has the old copy mapped keeps it
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return Path(target)


_METH_KNOWN = 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x200  # VARARGS KEYWORDS NOARGS O COEXIST FASTCALL METHOD
_METH_CALLING = {0x1, 0x1 | 0x2, 0x4, 0x8, 0x80, 0x80 | 0x2, 0x80 | 0x2 | 0x200}
_raw_lock = threading.Lock()
_raw_loaded: dict[tuple[str, str], object] = {}
_dlls: dict[str, ctypes.CDLL] = {}


def _library_path(lib: object) -> str:
    if isinstance(lib, ModuleType):
        origin = getattr(getattr(lib, "__spec__", None), "origin", None)
        if not isinstance(origin, str) or not os.path.isfile(origin):
            raise TypeError(f"the module {lib.__name__!r} was not loaded from a shared library")
        return os.path.realpath(origin)
    if not isinstance(lib, (str, os.PathLike)):
        raise TypeError(f"lib must be the path of a shared library (or a module zigimport loaded), not {type(lib).__name__}")
    path = os.fspath(lib)
    if not isinstance(path, str) or not os.path.isfile(path):
        raise FileNotFoundError(f"no such shared library: {path!r}")
    return os.path.realpath(path)


def _exported(path: str, symbol: object, kind: str, size: int, what: str, example: str) -> int:
    """Check that *path* exports *symbol* as data of *size* bytes (or a function if *kind* allows); return its kind."""
    if not isinstance(symbol, str):
        raise TypeError(f"symbol must be a str, not {type(symbol).__name__}")
    from ..diagnostics.elf import ElfFile

    try:
        sym = ElfFile(path).symbol(symbol)
    except (OSError, ValueError) as exc:
        raise ZigImportError(f"cannot read {path} as a shared library: {exc}", path=path) from None
    if sym is None or not sym.defined or sym.bind == "local":
        raise ZigImportError(f"cannot load {symbol!r}: {os.path.basename(path)} exports no symbol of that name "
                             f"({example})", name=symbol, path=path)
    if sym.type == "func" and "func" in kind:
        return 1
    if sym.type != "object" or sym.size != size:
        got = "a function" if sym.type == "func" else f"{sym.type} data of {sym.size} bytes"
        raise TypeError(f"{symbol!r} in {os.path.basename(path)} is {got}, not {what} ({size} bytes); {example}")
    return 0


def _address(path: str, symbol: str) -> int:
    import ctypes

    dll = _dlls.get(path)
    if dll is None:
        dll = _dlls[path] = ctypes.CDLL(path)  # kept for the process's lifetime, like an extension module
    addr = ctypes.cast(getattr(dll, symbol), ctypes.c_void_p).value
    assert addr is not None
    return addr


def load_function(lib: str | os.PathLike[str] | ModuleType, symbol: str) -> Callable[..., Any]:
    """The built-in function described by the ``PyMethodDef`` a library exports as *symbol*.

    Export it from Zig as ``export const add_def: py.capi.PyMethodDef = .{ ... }`` (see docs/specialize.md);
    its flags must be one of the module-function calling conventions (METH_O, METH_NOARGS, METH_VARARGS
    [|METH_KEYWORDS], METH_FASTCALL [|METH_KEYWORDS]).  The same (library, symbol) gives the same object.
    """
    import ctypes

    path = _library_path(lib)
    done = _raw_loaded.get((path, "f:" + symbol)) if isinstance(symbol, str) else None
    if done is not None:
        return done  # type: ignore[return-value]
    example = (f"export it with `comptime {{ py.exportFunction({symbol!r}, f); }}` or "
               f"`export const {symbol}: py.capi.PyMethodDef = .{{ ... }}`").replace("'", '"')
    method_def = _ctypes_structs()[0]
    _exported(path, symbol, "object", ctypes.sizeof(method_def), "a PyMethodDef", example)
    with _raw_lock:
        done = _raw_loaded.get((path, "f:" + symbol))
        if done is not None:
            return done  # type: ignore[return-value]
        addr = _address(path, symbol)
        d: Any = method_def.from_address(addr)
        if not d.ml_name or not d.ml_meth:
            raise ValueError(f"the PyMethodDef {symbol!r} has no {'ml_name' if not d.ml_name else 'ml_meth'}")
        flags = d.ml_flags & ~0x40
        if d.ml_flags & ~_METH_KNOWN or flags not in _METH_CALLING:
            raise ValueError(f"the PyMethodDef {symbol!r} has ml_flags=0x{d.ml_flags:x}, not a module function's calling "
                             f"convention (METH_O, METH_NOARGS, METH_VARARGS[|METH_KEYWORDS], METH_FASTCALL[|METH_KEYWORDS]); "
                             f"is {symbol!r} a PyMethodDef?")
        new = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_void_p, ctypes.py_object)(
            ("PyCFunction_NewEx", ctypes.pythonapi))
        fn = new(addr, None, os.path.basename(path).split(".")[0])
        _raw_loaded[(path, "f:" + symbol)] = fn
        return fn  # type: ignore[no-any-return]


def load_type(lib: str | os.PathLike[str] | ModuleType, symbol: str) -> type:
    """The type a library exports as *symbol*: a ``PyType_Spec`` (made into a heap type with
    ``PyType_FromSpec``) or a ``fn () callconv(.c) ?*PyObject`` returning a new reference to a type.
    The same (library, symbol) gives the same type object."""
    import ctypes

    path = _library_path(lib)
    done = _raw_loaded.get((path, "t:" + symbol)) if isinstance(symbol, str) else None
    if done is not None:
        return done  # type: ignore[return-value]
    example = (f"export it with `export const {symbol}: py.capi.PyType_Spec = .{{ ... }}` or "
               f"`export fn {symbol}() ?*py.capi.PyObject`")
    type_spec = _ctypes_structs()[1]
    is_func = _exported(path, symbol, "object|func", ctypes.sizeof(type_spec), "a PyType_Spec", example)
    with _raw_lock:
        done = _raw_loaded.get((path, "t:" + symbol))
        if done is not None:
            return done  # type: ignore[return-value]
        addr = _address(path, symbol)
        if is_func:
            result = ctypes.PYFUNCTYPE(ctypes.py_object)(addr)()
        else:
            spec: Any = type_spec.from_address(addr)
            if not spec.name or not spec.slots:
                raise ValueError(f"the PyType_Spec {symbol!r} has no {'name' if not spec.name else 'slots'}")
            from_spec = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p)(("PyType_FromSpec", ctypes.pythonapi))
            result = from_spec(addr)
        if not isinstance(result, type):
            raise TypeError(f"{symbol!r} in {os.path.basename(path)} returned a {type(result).__name__}, not a type")
        _raw_loaded[(path, "t:" + symbol)] = result
        return result


_structs: tuple[type[ctypes.Structure], type[ctypes.Structure]] | None = None


def _ctypes_structs() -> tuple[type[ctypes.Structure], type[ctypes.Structure]]:
    """The PyMethodDef and PyType_Spec layouts (stable ABI), made on first use: load() never imports ctypes."""
    global _structs
    if _structs is None:
        import ctypes

        class PyMethodDef(ctypes.Structure):
            _fields_ = [("ml_name", ctypes.c_char_p), ("ml_meth", ctypes.c_void_p), ("ml_flags", ctypes.c_int),
                        ("ml_doc", ctypes.c_char_p)]

        class PyTypeSpec(ctypes.Structure):
            _fields_ = [("name", ctypes.c_char_p), ("basicsize", ctypes.c_int), ("itemsize", ctypes.c_int),
                        ("flags", ctypes.c_uint), ("slots", ctypes.c_void_p)]

        _structs = (PyMethodDef, PyTypeSpec)
    return _structs
