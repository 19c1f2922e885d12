"""The ``sys.path_hooks`` entry: ``name.zig`` and ``name.zig.json`` found in the folder scan that finds ``name.py``.

``import zigimport`` puts :class:`ZigPathHook` into ``sys.path_hooks``, just before Python's own FileFinder hook.
For each folder it makes the finder Python would make (a :class:`ZigFileFinder`: Python's loaders, then ours),
so a module is found by Python's own precedence rule: the first ``sys.path`` entry (or ``__path__`` entry of the
package) that has the module wins, and within one folder an extension module (``name.*.so``) wins, then
``name.py``, ``name.pyc``, ``name.zig``, ``name.zig.json``.  A package folder (``name/__init__.py``) wins over a
module file beside it; a folder without one is a namespace portion that a module file beside it beats.  The
folder listing is FileFinder's own (one ``stat`` of the folder per lookup, a new listing when its mtime moves):
a warm import pays for finding ``name.zig`` what it would pay for ``name.so`` in the same place.  The
FileFinders Python made before ``import zigimport`` (``sys.path_importer_cache``) are converted in place and
keep their listings.  An ``__init__.zig`` does not make its folder a package (zigimport builds modules, not
packages); a package folder holding a ``build.zig`` gives the submodules no file gives (project_loader.py).
Finding never compiles: that happens in the loader, when the module is created.

A warm import never leaves this file: the *hit record* of the module (one small file written
after an import that the full check in loader.py confirmed, hit_record.py) names the
binary and the stat signature of everything it was built from; if every one still matches, the
binary is loaded directly (:func:`recorded_artifact`; docs/cache.md says what a record proves).
Anything else -- no record, a damaged one, one changed file -- goes to the loader's full check,
which stays the authority.  The reader lives here because another module would cost a warm import
~0.2 ms to import (most of its budget); the writer is imported only after a full check.
"""

import os
import stat
import sys
import time

import _frozen_importlib  # importlib.machinery's classes without importing the importlib package
import _frozen_importlib_external

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from types import ModuleType

    from .loader import ZigLoader
    from .schema.loader import SchemaLoader
    from .settings import Overrides

SOURCE_SUFFIX = ".zig"
SCHEMA_SUFFIX = ".zig.json"  # name.zig.json: a JSON Schema module (zigimport/schema/), after name.zig in a folder
FileFinder = _frozen_importlib_external.FileFinder
_path_join = _frozen_importlib_external._path_join  # type: ignore[attr-defined]  # FileFinder's own join: the origin it makes
_relax_case = _frozen_importlib_external._relax_case  # type: ignore[attr-defined]
# Where FileFinder found a package's __init__ among our suffixes: not a package (ZigFileFinder.find_spec).
_INITS = (f"{os.sep}__init__{SOURCE_SUFFIX}", f"{os.sep}__init__{SCHEMA_SUFFIX}")
_active: "ZigPathHook | None" = None  # the installed hook (zigimport.install), whose settings imports use


class ZigFileFinder(FileFinder):
    """Python's FileFinder for one folder, with ``.zig`` and ``.zig.json`` after Python's own suffixes."""

    def find_spec(self, fullname: str, target: "ModuleType | None" = None) -> "_frozen_importlib.ModuleSpec | None":
        """FileFinder's answer, except that an ``__init__.zig`` makes no package; on a miss in a package folder,
        the package's ``build.zig`` (if it has one) builds the submodule."""
        found = self._zig_module(fullname, target)
        if found is not None:
            return found
        spec = FileFinder.find_spec(self, fullname, target)
        if spec is None:
            if "." not in fullname:
                return None  # a top-level name: no package's build.zig
            listing = getattr(self, "_path_cache", None)  # the folder's names, as FileFinder has just refreshed them
            if type(listing) is set and "build.zig" not in listing:
                return None  # a miss costs no system call
            return _project_spec(fullname, self.path)
        if spec.submodule_search_locations is not None and spec.loader is not None and spec.origin is not None \
                and spec.origin.endswith(_INITS):
            return self._not_a_package(fullname, spec.submodule_search_locations[0], target)
        return spec

    def _zig_module(self, fullname: str, target: "ModuleType | None") -> "_frozen_importlib.ModuleSpec | None":
        """FileFinder's answer where it is ``name.zig``, found with the two stats FileFinder would make (of the
        folder, of the file), which the loader keeps so that the hit record need not make them again; None
        wherever FileFinder might answer otherwise (a stale listing, a package folder, a kind that comes
        first, a symlink): it then decides, as before."""
        tail = fullname.rpartition(".")[2]
        cache = getattr(self, "_path_cache", None)
        name = tail + SOURCE_SUFFIX
        if type(cache) is not set or name not in cache or tail in cache or _relax_case():
            return None
        for suffix, loader in self._loaders:  # type: ignore[attr-defined]
            if loader is ModuleLoader:
                break
            if tail + suffix in cache:
                return None  # name.so, name.py, ... in the listing: FileFinder checks which one is a file
        else:
            return None
        try:
            folder = os.stat(self.path or os.getcwd())  # FileFinder.find_spec's own stat of its folder
        except OSError:
            return None
        if folder.st_mtime != self._path_mtime:  # type: ignore[attr-defined]
            return None  # FileFinder lists the folder again
        path = _path_join(self.path, name)
        try:
            st = os.lstat(path)  # FileFinder's _path_isfile, without following a symlink (those it decides)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        spec: "_frozen_importlib.ModuleSpec" = self._get_spec(ModuleLoader, fullname, path, None, target)  # type: ignore[attr-defined]
        made: object = spec.loader
        if isinstance(made, ModuleLoader):
            made.found = (folder, st)
        return spec

    def _not_a_package(self, fullname: str, folder: str, target: "ModuleType | None") -> "_frozen_importlib.ModuleSpec":
        """What FileFinder answers for a folder without an ``__init__``: a module file of the name, else a namespace portion."""
        tail = fullname.rpartition(".")[2]
        for suffix, loader in self._loaders:  # type: ignore[attr-defined]
            candidate = os.path.join(self.path, tail + suffix)
            if os.path.isfile(candidate):
                found: "_frozen_importlib.ModuleSpec" = self._get_spec(loader, fullname, candidate, None, target)  # type: ignore[attr-defined]
                return found
        spec = _frozen_importlib.ModuleSpec(fullname, None)
        spec.submodule_search_locations = [folder]
        return spec

    def invalidate_caches(self) -> None:
        """The folder is listed again at the next lookup; hit records' once-per-process facts are checked again."""
        FileFinder.invalidate_caches(self)
        _confirmed.clear()  # hit records' zig_core and zigimport files: stat'ed again
        core_digest = sys.modules.get(f"{__package__}.core_digest")  # only if the full check was ever loaded
        if core_digest is not None:
            core_digest.forget()

    def __repr__(self) -> str:
        return f"ZigFileFinder({self.path!r})"


def _schema_loader(fullname: str, path: str) -> "SchemaLoader":
    """The loader of the schema module ``name.zig.json`` at *path* (FileFinder calls it as a loader class)."""
    from .schema.loader import SchemaLoader  # only when a schema module is found

    return SchemaLoader(fullname, path, installed_overrides())


def _project_spec(fullname: str, folder: str) -> "_frozen_importlib.ModuleSpec | None":
    """``package.name`` from the package folder's build.zig, if it has one (a stat, where the listing shows one)."""
    build_zig = os.path.join(folder, "build.zig")
    if not os.path.isfile(build_zig):
        return None
    from .project_loader import ProjectLoader

    return _frozen_importlib.ModuleSpec(fullname, ProjectLoader(fullname, build_zig, installed_overrides()),  # type: ignore[arg-type]
                                        origin=build_zig)


class ZigPathHook:
    """The ``sys.path_hooks`` entry ``zigimport.install()`` puts before Python's FileFinder hook: a
    :class:`ZigFileFinder` for each folder (a zip file or anything else is left to the other hooks).

    ``overrides`` are the ``install()`` arguments every import made through it uses (None: all from the environment).
    """

    def __init__(self, overrides: "Overrides | None") -> None:
        self.overrides = overrides
        self._details = [*_frozen_importlib_external._get_supported_file_loaders(), *ZIG_LOADERS]  # type: ignore[attr-defined]

    def __call__(self, path: str) -> ZigFileFinder:
        if not os.path.isdir(path or "."):  # as FileFinder's own hook
            raise ImportError("only directories are supported", path=path)
        return ZigFileFinder(path, *self._details)

    def __repr__(self) -> str:
        return "<zigimport.ZigPathHook>"


def _converted(finder: FileFinder, cls: "type[FileFinder]", add: bool) -> FileFinder:
    """*finder* as a *cls*, with its listing and its loaders, ours added or removed."""
    state = vars(finder)
    if "_loaders" not in state:  # a FileFinder this code does not know: a new one (it lists the folder again)
        loaders = _frozen_importlib_external._get_supported_file_loaders()  # type: ignore[attr-defined]
        return cls(finder.path, *loaders, *(ZIG_LOADERS if add else ()))
    new = cls.__new__(cls)
    vars(new).update(state)
    kept = [(suffix, loader) for suffix, loader in state["_loaders"] if loader not in _OURS]
    new._loaders = kept + ([(s, loader) for loader, suffixes in ZIG_LOADERS for s in suffixes] if add else [])  # type: ignore[attr-defined]
    return new


def install_hook(hook: ZigPathHook) -> None:
    """Put *hook* before Python's FileFinder hook (or last), and give the FileFinders made so far our suffixes."""
    global _active
    hooks = sys.path_hooks
    if hook not in hooks:
        at = next((i for i, h in enumerate(hooks) if getattr(h, "__name__", "") == "path_hook_for_FileFinder"), len(hooks))
        hooks.insert(at, hook)
    _active = hook
    cache = sys.path_importer_cache
    for key, finder in list(cache.items()):
        if type(finder) is FileFinder:
            cache[key] = _converted(finder, ZigFileFinder, True)


def uninstall_hook(hook: ZigPathHook) -> None:
    """Remove *hook*, and our suffixes from every finder made so far: ``.zig`` files are found no more."""
    global _active
    while hook in sys.path_hooks:
        sys.path_hooks.remove(hook)
    if _active is hook:
        _active = None
    cache = sys.path_importer_cache
    for key, finder in list(cache.items()):
        if type(finder) is ZigFileFinder:
            cache[key] = _converted(finder, FileFinder, False)


def installed_overrides() -> "Overrides | None":
    """The installed hook's ``install()`` arguments (None: none given, or no hook installed)."""
    return _active.overrides if _active is not None else None


# ---- the loader the finder hands out ----

class ModuleLoader:
    """Loads a ``.zig`` module: the binary its hit record names (``recorded``), else through ZigLoader's full
    check -- building on a miss -- after which it writes the record the next import will check.

    A Loader by protocol (FileFinder calls it as ``ModuleLoader(fullname, path)``); subclassing
    importlib.abc.Loader would import importlib.abc (and typing) into every process that imports zigimport.
    """

    def __init__(self, fullname: str, path: str) -> None:
        self.name = fullname
        self.path = path
        self.overrides = installed_overrides()
        self.recorded = False  # whether the hit record decided (tests/test_hit_path.py), once created
        self._artifact: str | None = None
        self._full: "ZigLoader | None" = None
        self._so: "_frozen_importlib_external.ExtensionFileLoader | None" = None
        self._created: object = None
        # (folder, file) stats ZigFileFinder took finding this module: recorded_artifact need not take them again
        self.found: "tuple[os.stat_result, os.stat_result] | None" = None

    @property
    def artifact(self) -> str | None:
        """The binary actually loaded, for introspection."""
        return self._full.artifact if self._full is not None else self._artifact

    def _full_check(self) -> "ZigLoader":
        # The loader and the hit path behind it (entry key, manifest, zig_core check) are imported only
        # now: `import zigimport` and a recorded hit stay light.
        from .loader import ZigLoader

        self.recorded = False
        self._full = ZigLoader(self.name, self.path, self.overrides)
        return self._full

    def _record(self) -> None:
        """Write the hit record the next import checks (hit_record.py), keyed as recorded_artifact reads it."""
        full = self._full
        mode = release_mode(self.overrides)
        root = None if mode is None else cache_root(self.overrides)
        boot = boot_identity()
        if full is None or full.entry is None or full.artifact is None or mode is None or root is None or boot is None:
            return  # a setting, platform or cache root the finder leaves to the full check: no record
        from . import hit_record

        key = record_key(self.path, self.name, mode)
        where = hit_record.RecordPlace(mode, root, key, record_path(root, key), RECORD_MAGIC, boot,
                                       [f"{_HERE}{os.sep}{name}" for name in KEY_CODE], _LOADED_NS)
        try:
            hit_record.write(full.entry, full.artifact, where)
        except (OSError, ValueError):
            pass  # a read-only cache, a file gone meanwhile: the full check keeps doing the work

    def create_module(self, spec: "_frozen_importlib.ModuleSpec") -> object:
        artifact = recorded_artifact(self.name, self.path, self.overrides, self.found)  # None: the full check decides
        if artifact is not None:
            so = _frozen_importlib_external.ExtensionFileLoader(self.name, artifact)
            try:
                module = so.create_module(_frozen_importlib.ModuleSpec(self.name, so, origin=artifact))
            except ImportError:  # removed since it was checked, or unloadable: the full check rebuilds or explains
                pass
            else:
                self.recorded = True
                self._artifact = artifact
                self._so = so
                self._created = module
                return module
        try:
            module = self._full_check().create_module(spec)
        except ImportError as exc:
            errors = sys.modules.get(f"{__package__}.errors")
            if errors is not None and isinstance(exc, errors.ZigImportError):
                raise exc.with_traceback(None) from None  # as ZigLoader: the message says it all, our frames bury it
            raise
        self._record()
        return module

    def exec_module(self, module: "ModuleType") -> None:
        if self._full is None and module is not self._created:
            self._full_check().exec_module(module)  # importlib.reload(): the full check, the module refreshed in place
            self._record()
            return
        if self._full is not None:
            self._full.exec_module(module)
            return
        assert self._so is not None
        self._so.exec_module(module)
        module.__file__ = self.path  # as ZigLoader: the source, not the cache

    def __repr__(self) -> str:
        return f"<zigimport.ModuleLoader {self.name!r} from {self.path!r}>"


# What ZigFileFinder finds beside Python's own kinds, in this order within a folder (FileFinder's loader details).
ZIG_LOADERS = [(ModuleLoader, [SOURCE_SUFFIX]), (_schema_loader, [SCHEMA_SUFFIX])]
_OURS = tuple(loader for loader, _ in ZIG_LOADERS)


# ---- the hit record, read: a warm import checked with a few stats ----

RECORD_MAGIC = "zigimport-hit 3"
RECORD_DIR = "hit"  # <cache root>/hit/<hash of the record key>
# A file's stat signature is trusted only if its mtime and ctime were this far in the past when its
# content was confirmed: a change within one timestamp tick could otherwise keep them (manifest.RACY_NS).
RACY_NS = 2_000_000_000
RELEASE_MODES = ("Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall")  # settings.py's, spelled as it spells them
DEFAULT_RELEASE_MODE = "ReleaseSafe"
# Files of zigimport whose code decides the entry key (checked in a source checkout; a wheel's RECORD covers them).
KEY_CODE = ("finder.py", "cache_key.py", "entry.py", "toolchain.py", "settings.py")

# The boot time computed from two clocks wanders (NTP slews the wall clock): it is recorded in whole seconds and
# matches the second it falls in now or either neighbour (a string comparison: parsing an int costs more).
_LOADED_NS = time.time_ns()  # zigimport's other modules are read after this (_key_code)
_HERE = os.path.dirname(os.path.abspath(__file__))  # the zigimport package
_SITE = os.path.dirname(_HERE)  # where zig_core and (in a wheel install) ziglang are, beside it
# os.environ without its per-lookup encoding (a dict of bytes on POSIX; the values it holds, as os.environ's own)
_ENV: "dict[bytes, bytes] | None" = getattr(os.environ, "_data", None) if os.name == "posix" else None
_confirmed: set[str] = set()  # records' once-per-process parts (toolchain, CPU, zig_core, zigimport) that matched
_facts: "dict[str, str | None]" = {}  # "zig", "core": this process's values, computed on first use


def record_hash(text: str) -> str:
    """The name of the record of key *text*: its bytes as an integer, hashed by CPython's int hash (a remainder
    mod 2**61 - 1 at C speed, the same in every process: only str and bytes hashes are salted).  A collision
    costs full checks, never a wrong binary: the record's second line is the whole key, and it is compared."""
    return str(hash(int.from_bytes(text.encode("utf-8", "surrogateescape"), "little") * 257 + len(text)))


def package_dir() -> str:
    return _HERE


_ZIG_TAIL = os.sep + "ziglang" + os.sep + ("zig.exe" if os.name == "nt" else "zig")


def _zig_binary() -> "tuple[str, os.stat_result] | None":
    candidate = _SITE + _ZIG_TAIL  # beside zigimport (a wheel install, a venv): found by the first stat
    try:
        st = os.stat(candidate)
    except (OSError, ValueError):
        pass
    else:
        if stat.S_ISREG(st.st_mode):
            return candidate, st
    for entry in sys.path:
        if isinstance(entry, str):
            candidate = (entry or os.curdir) + _ZIG_TAIL
            if not os.access(candidate, os.F_OK):  # a miss without an exception (a failed os.stat raises one)
                continue
            try:
                st = os.stat(candidate)
            except (OSError, ValueError):
                continue
            if stat.S_ISREG(st.st_mode):
                return (candidate if os.path.isabs(candidate) else os.path.abspath(candidate)), st
    return None


def zig_binary_path() -> str | None:
    """The ``ziglang`` compiler as toolchain.zig_binary finds it: beside zigimport, else along ``sys.path``."""
    found = _zig_binary()
    return None if found is None else found[0]


def _boot_second() -> int:
    return (time.time_ns() - time.clock_gettime_ns(time.CLOCK_BOOTTIME)) // 1_000_000_000  # vDSO: no system call


def boot_identity() -> str | None:
    """This machine and boot (Linux): its host name and boot time, without reading a file.

    A CPU cannot change under a running kernel, so a record written by a process of this boot names the CPU
    identity (cache_key.cpu_identity) that this process would read from sysfs, at no cost.  The host name tells
    apart machines sharing a cache (a network home on a cluster) that booted within the same second.
    (The kernel's boot id, /proc/sys/kernel/random/boot_id, would be exact, but reading it costs more than this:
    ~30 us against ~15 us, measured in the import of a warm module.)
    """
    if not sys.platform.startswith("linux"):
        return None
    return f"{os.uname().nodename}\0{_boot_second()}"


def _same_boot(recorded: str) -> bool:
    """Whether a record's ``host\0boot\0cpu`` line was written on this machine in this boot (Linux)."""
    host, _, rest = recorded.partition("\0")
    second = rest.partition("\0")[0]
    now = _boot_second()  # off Linux: raises (no CLOCK_BOOTTIME), and no record is written there
    if second != f"{now}" and second != f"{now - 1}" and second != f"{now + 1}":
        return False
    return os.uname().nodename == host


def _fact(name: str) -> str | None:
    """This process's toolchain identity or zig_core stamp, as the record spells them."""
    if name in _facts:
        return _facts[name]
    value: str | None = None
    if name == "zig":
        found = _zig_binary()
        if found is not None:
            value = f"{found[0]}:{found[1].st_size}:{found[1].st_mtime_ns}"  # toolchain.toolchain_identity
    elif name == "core":  # core_digest.stamp
        version = sys.modules[__package__].__version__
        try:
            st = os.stat(f"{_SITE}{os.sep}zigimport-{version}.dist-info{os.sep}RECORD")
        except OSError:
            value = "source"
        else:
            value = f"installed {st.st_ino} {st.st_size} {st.st_mtime_ns}" if stat.S_ISREG(st.st_mode) else "source"
    _facts[name] = value
    return value


def _env(name: bytes) -> str | None:
    """``os.environ.get(name)`` at dict speed: ~0.2 µs where os.environ.get costs ~3 µs (it encodes each name)."""
    if _ENV is not None:
        value = _ENV.get(name)
        return None if value is None else value.decode("utf-8", "surrogateescape")  # os.fsdecode's spelling
    return os.environ.get(name.decode())


def cache_root(overrides: "Overrides | None") -> str | None:
    """cache_dir.root(settings.cache_dir) where it is computed without platformdirs (XDG systems), else None."""
    configured = (overrides.cache_dir if overrides is not None else None) or _env(b"ZIGIMPORT_CACHE_DIR") or None
    if configured:
        if configured[0] == "/" and configured[-1] != "/" and "//" not in configured and "/." not in configured:
            return configured  # already what abspath would make of it
        return os.path.abspath(os.path.expanduser(configured))
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    base = _env(b"XDG_CACHE_HOME") or ""
    if not base.strip():
        home = _env(b"HOME")  # os.path.expanduser("~/.cache"), without its os.environ lookups
        base = home.rstrip("/") + "/.cache" if home else os.path.expanduser("~/.cache")
        return base + "/zigimport"
    return os.path.join(base, "zigimport")


_FLAG_VALUES = frozenset(("", "0", "1", "false", "true", "no", "yes", "off", "on"))
_STUB_VALUES = frozenset(("", "source", "cache", "off"))
_CHECKED = frozenset((b"ZIG_NORECOMPILE", b"ZIGIMPORT_QUIET", b"ZIGIMPORT_STUBS", b"ZIGIMPORT_LOCK_TIMEOUT"))


def release_mode(overrides: "Overrides | None") -> str | None:
    """The release mode, if every setting is one settings.resolve would accept as it is; else None (full path).

    A setting spelled in a way this does not know (``release`` for a mode, ``2`` seconds) is left to the
    full path, which accepts it or raises the error that names it: the fast path never hides a bad value.
    """
    mode = overrides.release_mode if overrides is not None else None
    if mode is None:
        mode = _env(b"ZIG_RELEASEMODE") or DEFAULT_RELEASE_MODE
    if mode not in RELEASE_MODES:
        return None
    env = _ENV
    for name in _CHECKED:
        if env is not None and name not in env:
            continue  # usually none is set
        value = (_env(name) or "").lower()
        if name == b"ZIGIMPORT_LOCK_TIMEOUT":
            try:
                if value and not float(value) > 0:
                    return None
            except ValueError:
                return None
        elif value not in (_STUB_VALUES if name == b"ZIGIMPORT_STUBS" else _FLAG_VALUES):
            return None
    return mode


_ABI = f"{sys.implementation.cache_tag}|{getattr(sys, 'abiflags', '')}|{_frozen_importlib_external.EXTENSION_SUFFIXES[0]}"


def record_key(origin: str, fullname: str, mode: str) -> str:
    """What a hit record is for: the source as found, the module name, the mode, this interpreter, this install."""
    return f"{origin}\0{fullname}\0{mode}\0{_ABI}\0{_SITE}"


def record_path(root: str, key: str) -> str:
    return f"{root}{os.sep}{RECORD_DIR}{os.sep}{record_hash(key)}"


_UID = os.getuid() if os.name == "posix" else -1
_O_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
_TYPE_OR_SHARED = 0o170000 | 0o022  # a file's type bits and the group/other write bits: one mask


def _private(st: os.stat_result) -> bool:
    """Owned by us and writable by no one else (cache_dir.is_unsafe, negated)."""
    return _UID < 0 or (st.st_uid == _UID and not st.st_mode & 0o022)


def _same(rest: str) -> bool:
    """A record's ``<path>\0<ino> <size> <mtime_ns> <ctime_ns>``: whether the file's stat signature is still that."""
    path, _, sig = rest.partition("\0")
    st = os.stat(path)
    return sig == f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"


def _resolved(origin: str, real: str, folder_id: str,
              found: "tuple[os.stat_result, os.stat_result] | None" = None) -> str | None:
    """Whether ``os.path.realpath(origin)`` is the recorded source *real*, whose folder had device and inode
    *folder_id* (``"<dev> <ino>"``): None if not; else the file's own stat signature (as ``_same`` spells it) or ``""`` (not known: check it).

    Two system calls where the source is no symlink itself: an ``lstat`` of it, a ``stat`` of its folder.  A folder
    has one path (no hard links to folders), so the folder reached through *origin*'s path -- whatever symlinks
    lead there -- is the recorded one if it has the recorded device and inode: the inode cannot be another
    folder's while the recorded path still holds the recorded file (the record's own line for it says so).
    No system call where ZigFileFinder has just taken both (*found*: the folder's stat, the file's lstat).
    """
    sep = os.sep
    name = origin.rpartition(sep)[2]
    if sep == "/" and name == real.rpartition(sep)[2]:
        if found is not None:
            folder, st = found
        else:
            st = os.lstat(origin)
        if not stat.S_ISLNK(st.st_mode):
            if found is None:
                folder = os.stat(origin[:-len(name) - 1] or sep)
            if f"{folder.st_dev} {folder.st_ino}" != folder_id:
                return None
            return f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"
    return "" if os.path.realpath(origin) == real else None


def recorded_artifact(fullname: str, origin: str, overrides: "Overrides | None",
                      found: "tuple[os.stat_result, os.stat_result] | None" = None) -> str | None:
    """The binary the module's hit record names, if everything the record lists is as it was; else None.

    Never raises: a missing, damaged or foreign record, or any failure, means "ask the full check".
    *found*: the stats of the source's folder and of the source (an lstat) ZigFileFinder has just taken.
    One function, its steps inlined: in a fresh process each further call, and the first use of each
    C function, costs microseconds, which is what a warm import's budget is made of (docs/cache.md).
    """
    try:
        mode = release_mode(overrides)
        root = None if mode is None else cache_root(overrides)
        if root is None:
            return None
        key = f"{origin}\0{fullname}\0{mode}\0{_ABI}\0{_SITE}"  # record_key
        uid = _UID  # -1 off POSIX: nothing is ours, and no record is written there (boot_identity)
        fd = os.open(record_path(root, key), _O_READ)
        try:
            st = os.fstat(fd)
            if st.st_uid != uid or st.st_mode & _TYPE_OR_SHARED != stat.S_IFREG:
                return None  # another user's, writable by others, or not a file
            data = os.read(fd, st.st_size + 1)
        finally:
            os.close(fd)
        lines = data.decode("utf-8", "surrogateescape").split("\n")
        # magic, key, artifact, entry dir, source, zig, cpu, core stamp, files..., "end", ""
        if len(lines) < 10 or lines[0] != RECORD_MAGIC or lines[1] != key or lines[-2] != "end" or lines[-1]:
            return None
        artifact = lines[2]
        fstat = os.stat
        # the root, the entry and the binary: ours, and writable by no one else (as loader.py checks them)
        st = fstat(root)
        if st.st_uid != uid or st.st_mode & _TYPE_OR_SHARED != stat.S_IFDIR:
            return None  # the full path says what is wrong with the root
        st = fstat(lines[3])
        if st.st_uid != uid or st.st_mode & 0o022:
            return None
        st = fstat(artifact)
        if st.st_uid != uid or st.st_mode & _TYPE_OR_SHARED != stat.S_IFREG:
            return None
        real, _, folder_id = lines[4].partition("\0")
        own = _resolved(origin, real, folder_id, found)  # the source's signature, from the lstat that showed it is no symlink
        if own is None:
            return None
        own_line = f"file {real}\0{own}" if own else ""
        files = lines[8:-2]
        source_stamp = lines[7] == "source"  # zig_core and zigimport's key code are listed (a source checkout)
        core = [line for line in files if line.startswith("core ")] if source_stamp else []
        once = "\n".join(lines[5:8] + core)  # facts of the process (and boot): checked by its first import that names them
        if once not in _confirmed:
            if lines[5] != _fact("zig") or not _same_boot(lines[6]) or lines[7] != _fact("core"):
                return None
            for line in core:  # ~57 in a source checkout
                path, _, sig = line[5:].partition("\0")
                st = fstat(path)
                if sig != f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}":
                    return None
        for line in files:  # the module's own inputs: at every import (the loop of _same, inlined)
            if line.startswith("file "):
                if line != own_line:
                    path, _, sig = line[5:].partition("\0")
                    st = fstat(path)
                    if sig != f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}":
                        return None
            elif not (source_stamp and line.startswith("core ")):
                return None
        _confirmed.add(once)
        return artifact
    except Exception:  # a damaged record, a vanished file: the full check decides, and reports what it finds
        return None
