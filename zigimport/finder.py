"""The ``sys.meta_path`` finder: maps ``import name`` to ``name.zig`` on the search path.

It sits *after* the standard ``PathFinder``, so ``.py`` files, packages and
compiled extensions anywhere on ``sys.path`` win over ``.zig`` sources (a
wheel's prebuilt binary beats its source), and the finder costs nothing on
imports Python resolves itself.  On a miss it does one ``stat`` per path
entry and no directory listing, so it can never serve a stale listing.
It never compiles: that happens in the loader, when the module is executed.
In each entry, ``name.zig`` wins over ``name.zig.json`` (a JSON Schema module, zigimport/schema/); the
latter is looked up in the listing PathFinder just refreshed, so a miss costs no extra ``stat`` for it.

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
    from .settings import Overrides

SOURCE_SUFFIX = ".zig"
SCHEMA_SUFFIX = ".json"  # name.zig.json: a JSON Schema module (zigimport/schema/), found after name.zig
# FileFinder keeps exact names where the filesystem is case-sensitive (else a lowered copy): only then is
# its listing a hint for name.zig.json (importlib._bootstrap_external._relax_case).
_EXACT_CASE = not sys.platform.startswith(("win", "cygwin", "darwin"))


class ZigFinder:
    """Finds ``<name>.zig`` (then ``<name>.zig.json``) in ``sys.path`` (top level) or the parent package's ``__path__``."""

    def __init__(self, overrides: "Overrides | None") -> None:  # None: every setting from the environment
        self.overrides = overrides

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> "_frozen_importlib.ModuleSpec | None":
        filename = fullname.rpartition(".")[2] + SOURCE_SUFFIX
        sep = os.sep
        path_cache = sys.path_importer_cache
        for entry in sys.path if path is None else path:  # type: ignore[attr-defined]
            if not isinstance(entry, str):
                continue
            if not entry:
                candidate = filename  # "" is the current directory
            elif entry[-1] == sep:
                candidate = entry + filename
            else:
                candidate = entry + sep + filename
            try:
                mode = os.stat(candidate).st_mode
            except (OSError, ValueError):
                mode = 0
            if stat.S_ISREG(mode):
                origin = os.path.abspath(candidate)
                artifact = recorded_artifact(fullname, origin, self.overrides)  # None: the full check decides
                spec = _frozen_importlib.ModuleSpec(fullname, ModuleLoader(fullname, origin, artifact, self.overrides),  # type: ignore[arg-type]
                                                    origin=origin)
                spec.has_location = True
                return spec
            # Then name.zig.json (a JSON Schema module).  The PathFinder before us has just listed this folder
            # (FileFinder, refreshed when the folder's mtime changes): where that listing lacks the name, skip
            # the stat, so a miss costs no more than before -- the freshness Python's own .py imports have
            # (importlib.invalidate_caches() after creating one while running, as for a .py file).
            lister = path_cache.get(entry, False) if entry and _EXACT_CASE else False
            if lister is None:  # no importer for this entry (not a folder): Python sees nothing there either
                continue
            listing = getattr(lister, "_path_cache", None)
            if type(listing) is set and getattr(lister, "_path_mtime", -1) != -1 and filename + SCHEMA_SUFFIX not in listing:
                continue
            candidate += SCHEMA_SUFFIX
            try:
                mode = os.stat(candidate).st_mode
            except (OSError, ValueError):
                continue
            if stat.S_ISREG(mode):
                return _schema_spec(fullname, candidate, self.overrides)
        if path is not None:  # a submodule: the package may build its extensions with its own build.zig
            return _project_spec(fullname, path, self.overrides)
        return None

    def invalidate_caches(self) -> None:
        """The finder keeps no listings; a source-tree zig_core is checked again at the next import."""
        _confirmed.clear()  # hit records' zig_core and zigimport files: stat'ed again
        core_digest = sys.modules.get(f"{__package__}.core_digest")  # only if the hit path was ever loaded
        if core_digest is not None:
            core_digest.forget()

    def __repr__(self) -> str:
        return "<zigimport.ZigFinder>"


def _schema_spec(fullname: str, candidate: str, overrides: "Overrides | None") -> "_frozen_importlib.ModuleSpec":
    """The spec of the schema module ``name.zig.json`` found at *candidate*."""
    from .schema.loader import SchemaLoader  # only when a schema module is found

    origin = os.path.abspath(candidate)
    spec = _frozen_importlib.ModuleSpec(fullname, SchemaLoader(fullname, origin, overrides), origin=origin)  # type: ignore[arg-type]
    spec.has_location = True
    return spec


def _project_spec(fullname: str, path: object, overrides: "Overrides | None") -> "_frozen_importlib.ModuleSpec | None":
    """``package.name`` for a package folder holding a build.zig (one stat per folder, misses only)."""
    for entry in path:  # type: ignore[attr-defined]
        if isinstance(entry, str) and os.path.isfile(os.path.join(entry, "build.zig")):
            from .project_loader import ProjectLoader

            build_zig = os.path.abspath(os.path.join(entry, "build.zig"))
            return _frozen_importlib.ModuleSpec(fullname, ProjectLoader(fullname, build_zig, overrides), origin=build_zig)  # type: ignore[arg-type]
    return None


def install_finder(finder: ZigFinder) -> None:
    """Put *finder* right after ``PathFinder`` (or last if there is none)."""
    meta = sys.meta_path
    try:
        meta.insert(meta.index(_frozen_importlib_external.PathFinder) + 1, finder)
    except ValueError:
        meta.append(finder)


# ---- the loader the finder hands out ----

class ModuleLoader:
    """Loads a ``.zig`` module: the binary its hit record named (``recorded``), else through ZigLoader's full
    check -- building on a miss -- after which it writes the record the next import will check.

    A Loader by protocol; subclassing importlib.abc.Loader would import importlib.abc (and typing) into every
    process that imports zigimport.
    """

    def __init__(self, fullname: str, path: str, artifact: str | None, overrides: "Overrides | None") -> None:
        self.name = fullname
        self.path = path
        self.overrides = overrides
        self.recorded = artifact is not None  # whether the hit record decided (tests/test_hit_path.py)
        self._artifact = artifact
        self._full: "ZigLoader | None" = None
        self._so: "_frozen_importlib_external.ExtensionFileLoader | None" = None
        self._created: object = None

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
        if self._artifact is not None:
            so = _frozen_importlib_external.ExtensionFileLoader(self.name, self._artifact)
            try:
                module = so.create_module(_frozen_importlib.ModuleSpec(self.name, so, origin=self._artifact))
            except ImportError:  # removed since it was checked, or unloadable: the full check rebuilds or explains
                pass
            else:
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


# ---- the hit record, read: a warm import checked with a few stats ----

def forget() -> None:
    """Check the once-per-process parts of records again (``importlib.invalidate_caches()``)."""
    _confirmed.clear()


RECORD_MAGIC = "zigimport-hit 1"
RECORD_DIR = "hit"  # <cache root>/hit/<hash of the record key>
# A file's stat signature is trusted only if its mtime and ctime were this far in the past when its
# content was confirmed: a change within one timestamp tick could otherwise keep them (manifest.RACY_NS).
RACY_NS = 2_000_000_000
RELEASE_MODES = ("Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall")  # settings.py's, spelled as it spells them
DEFAULT_RELEASE_MODE = "ReleaseSafe"
# Files of zigimport whose code decides the entry key (checked in a source checkout; a wheel's RECORD covers them).
KEY_CODE = ("finder.py", "cache_key.py", "entry.py", "toolchain.py", "settings.py")

_P1 = 0xFFFFFFFFFFFFFFC5  # two 64-bit primes (cache_key.key_hash)
_P2 = 0xFFFFFFFFFFFFFF43
BOOT_SLACK_NS = 1_000_000_000  # how far the boot time computed from two clocks may wander (NTP slews the wall clock)
_LOADED_NS = time.time_ns()  # zigimport's other modules are read after this (_key_code)
_HERE = os.path.dirname(os.path.abspath(__file__))  # the zigimport package
_SITE = os.path.dirname(_HERE)  # where zig_core and (in a wheel install) ziglang are, beside it
# os.environ without its per-lookup encoding (a dict of bytes on POSIX; the values it holds, as os.environ's own)
_ENV: "dict[bytes, bytes] | None" = getattr(os.environ, "_data", None) if os.name == "posix" else None
_confirmed: set[str] = set()  # records' once-per-process parts (toolchain, CPU, zig_core, zigimport) that matched
_facts: "dict[str, str | None]" = {}  # "zig", "core": this process's values, computed on first use


def key_hash(text: str) -> str:
    """A 128-bit hash of *text* (C-speed bignum remainders, no ``_blake2``); every use compares the text too."""
    n = int.from_bytes(text.encode("utf-8", "surrogateescape"), "little") * 257 + len(text)
    return f"{n % _P1:016x}{n % _P2:016x}"


def package_dir() -> str:
    return _HERE


def _zig_binary() -> "tuple[str, os.stat_result] | None":
    tail = os.sep + "ziglang" + os.sep + ("zig.exe" if os.name == "nt" else "zig")
    for entry in [_SITE, *sys.path]:
        if isinstance(entry, str):
            candidate = (entry or os.curdir) + tail
            try:  # os.access answers a miss without raising: a failed os.stat costs an exception per place tried
                st = os.stat(candidate) if os.access(candidate, os.F_OK) else None
            except (OSError, ValueError):
                continue
            if st is not None and stat.S_ISREG(st.st_mode):
                return (candidate if os.path.isabs(candidate) else os.path.abspath(candidate)), st
    return None


def zig_binary_path() -> str | None:
    """The ``ziglang`` compiler as toolchain.zig_binary finds it: beside zigimport, else along ``sys.path``."""
    found = _zig_binary()
    return None if found is None else found[0]


def boot_identity() -> str | None:
    """This machine and boot: its host name and boot time (Linux), without a system call.

    A CPU cannot change under a running kernel, so a record written by a process of this boot names the CPU
    identity (cache_key.cpu_identity) that this process would read from sysfs, at no cost.
    """
    if not sys.platform.startswith("linux"):
        return None
    boot = time.time_ns() - time.clock_gettime_ns(time.CLOCK_BOOTTIME)
    return f"{os.uname().nodename}\0{boot}"


def _same_boot(recorded: str) -> bool:
    now = boot_identity()
    if now is None:
        return False
    host, _, boot = now.partition("\0")
    rec_host, _, rest = recorded.partition("\0")
    return rec_host == host and abs(int(rest.partition("\0")[0]) - int(boot)) < BOOT_SLACK_NS


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
        base = os.path.expanduser("~/.cache")
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
    present = _CHECKED.intersection(_ENV) if _ENV is not None else _CHECKED  # usually none of them is set
    for name in present:
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
    return f"{root}{os.sep}{RECORD_DIR}{os.sep}{key_hash(key)}"


_UID = os.getuid() if os.name == "posix" else -1


def _private(st: os.stat_result) -> bool:
    """Owned by us and writable by no one else (cache_dir.is_unsafe, negated)."""
    return _UID < 0 or (st.st_uid == _UID and not st.st_mode & 0o022)


def _same(rest: str) -> bool:
    """A record's ``<path>\0<ino> <size> <mtime_ns> <ctime_ns>``: whether the file's stat signature is still that."""
    path, _, sig = rest.partition("\0")
    st = os.stat(path)
    return sig == f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"


def _resolved(origin: str, real: str) -> str | None:
    """Whether ``os.path.realpath(origin) == real``: None if not; else the file's own stat signature (as
    ``_same`` spells it) when no component of the path is a symlink -- one ``lstat`` each -- or ``""``."""
    if origin == real and os.sep == "/":
        st = os.lstat(origin)
        if not stat.S_ISLNK(st.st_mode):
            end = origin.rfind("/")
            while end > 0:
                if stat.S_ISLNK(os.lstat(origin[:end]).st_mode):
                    break
                end = origin.rfind("/", 0, end)
            else:
                return f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"
    return "" if os.path.realpath(origin) == real else None


def recorded_artifact(fullname: str, origin: str, overrides: "Overrides | None") -> str | None:
    """The binary the module's hit record names, if everything the record lists is as it was; else None.

    Never raises: a missing, damaged or foreign record, or any failure, means "ask the full check".
    """
    try:
        mode = release_mode(overrides)
        root = None if mode is None else cache_root(overrides)
        if mode is None or root is None:
            return None
        key = record_key(origin, fullname, mode)
        fd = os.open(record_path(root, key), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if not _private(st) or not stat.S_ISREG(st.st_mode):
                return None
            data = os.read(fd, st.st_size + 1)
        finally:
            os.close(fd)
        lines = data.decode("utf-8", "surrogateescape").split("\n")
        # magic, key, artifact, entry dir, source, zig, cpu, core stamp, files..., "end", ""
        if len(lines) < 10 or lines[0] != RECORD_MAGIC or lines[-1] != "" or lines[-2] != "end" or lines[1] != key:
            return None
        artifact, entry_dir, real = lines[2], lines[3], lines[4]
        st = os.stat(root)
        if not stat.S_ISDIR(st.st_mode) or not _private(st):
            return None  # the full path says what is wrong with the root
        if not _private(os.stat(entry_dir)):
            return None
        st = os.stat(artifact)
        if not stat.S_ISREG(st.st_mode) or not _private(st):
            return None
        own = _resolved(origin, real)  # the source's signature, from the lstat that showed it is no symlink
        if own is None:
            return None
        own_line = f"file {real}\0{own}" if own else ""
        files = lines[8:-2]
        core = [line for line in files if line.startswith("core ")]  # zig_core and zigimport's key code (source checkout)
        once = "\n".join(lines[5:8] + core)  # facts of the process (and boot): checked by its first import that names them
        if once not in _confirmed:
            if lines[5] != _fact("zig") or not _same_boot(lines[6]) or lines[7] != _fact("core"):
                return None
            fstat = os.stat
            for line in core:  # ~57 in a source checkout: the loop of _same, inlined
                path, _, sig = line[5:].partition("\0")
                st = fstat(path)
                if sig != f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}":
                    return None
        for line in files:
            if line.startswith("file "):  # the module's own inputs: at every import
                if line != own_line and not _same(line[5:]):
                    return None
            elif not line.startswith("core "):
                return None
        _confirmed.add(once)
        return artifact
    except Exception:  # a damaged record, a vanished file: the full check decides, and reports what it finds
        return None

