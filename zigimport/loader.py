"""The loader: find a current binary for a ``.zig`` module (building it if needed) and load it.

The cache-hit path -- settings, entry key, manifest check, ``dlopen`` --
imports nothing heavy; ``build/`` (subprocess, filelock, parsing) is
imported only when a build is needed.
"""

import os
import sys

import _frozen_importlib
import _frozen_importlib_external

from . import cache_dir, core_digest, manifest, settings as settings_mod, toolchain
from .entry import Entry

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the hit path
if TYPE_CHECKING:
    from types import ModuleType

# importlib.machinery's classes, without importing the importlib package (and warnings) on the hit path.
ModuleSpec = _frozen_importlib.ModuleSpec
ExtensionFileLoader = _frozen_importlib_external.ExtensionFileLoader

# Attributes of the module object that describe the import, not the binary's contents.
_IMPORT_ATTRS = frozenset({"__name__", "__spec__", "__loader__", "__file__", "__package__", "__path__", "__builtins__"})


def resolve(entry: Entry, *, force_build: bool = False) -> str:
    """Path of a current, trusted binary for *entry*, building it if there is none."""
    s = entry.settings
    cache_dir.check_root(entry.root)
    current = None if force_build else manifest.read(entry.manifest_path)
    if current is not None and current.key != entry.key_text:
        current = None  # another key hashed to this entry: rebuild, never load its binary
    if current is not None:
        artifact = os.path.join(entry.dir, current.artifact)
        if cache_dir.trusted(entry.dir) and cache_dir.trusted(artifact):
            core_current = core_digest.matches(entry.root, toolchain.zig_core_dir(), current.core)
            if s.norecompile:
                changed = manifest.first_changed(current.inputs) or (None if core_current else toolchain.zig_core_dir())
                if changed is not None:
                    from . import log

                    log.warning("ZIG_NORECOMPILE is set: loading %s built before %s changed (stale)", entry.fullname, changed)
                return artifact
            if core_current and manifest.first_changed(current.inputs) is None:
                if "logging" in sys.modules:  # else nothing could show a debug record (log.py); skip importing log
                    from . import log

                    log.debug("cache hit for %s (%s): %s", entry.fullname, s.release_mode, artifact)
                if any(i.racy for i in current.inputs):
                    manifest.settle(entry.manifest_path, current)
                return artifact
    if s.norecompile:
        from .errors import ZigImportError  # on error only: errors.py is not on the hit path
        raise ZigImportError(
            f"ZIG_NORECOMPILE is set and there is no earlier build of {entry.source} for this interpreter "
            f"in {s.release_mode} mode; unset ZIG_NORECOMPILE to build it",
            name=entry.fullname, path=entry.source,
        )
    from . import build  # heavy: only when we must compile

    return build.build(entry, force=force_build)


def _load_binary(fullname: str, artifact: str) -> "tuple[ModuleType, _frozen_importlib_external.ExtensionFileLoader]":
    so_loader = ExtensionFileLoader(fullname, artifact)
    return so_loader.create_module(ModuleSpec(fullname, so_loader, origin=artifact)), so_loader


class ZigLoader:
    """Loader for one ``.zig`` source; created by the finder for each import."""

    def __init__(self, fullname: str, path: str, overrides: "settings_mod.Overrides | None") -> None:
        self.name = fullname
        self.path = path
        self.overrides = overrides
        self.artifact: str | None = None  # the binary actually loaded, for introspection
        self.entry: Entry | None = None  # the cache entry it came from
        self._created: "ModuleType | None" = None
        self._so_loader: "_frozen_importlib_external.ExtensionFileLoader | None" = None

    def _create(self) -> "ModuleType":
        entry = Entry(self.name, self.path, settings_mod.resolve(self.overrides))
        artifact = resolve(entry)
        try:
            module, so_loader = _load_binary(self.name, artifact)
        except ImportError as exc:
            self._explain_load_failure(entry, str(exc))
            # The binary vanished (pruned by a newer build) or is unreadable: build it afresh, once.
            from . import log

            log.warning("could not load %s (%s); rebuilding", artifact, exc)
            artifact = resolve(entry, force_build=True)
            module, so_loader = _load_binary(self.name, artifact)
        self.artifact = artifact
        self.entry = entry  # for the hit record the finder writes next (finder.write_record)
        self._so_loader = so_loader
        return module

    def _explain_load_failure(self, entry: Entry, text: str) -> None:
        """Raise a clear error for load failures a rebuild cannot fix."""
        if f"PyInit_{entry.tail}" in text:
            from .errors import ZigImportError  # on error only: errors.py is not on the hit path
            raise ZigImportError(
                f"{self.path} compiled, but the binary exports no PyInit_{entry.tail}: a zig_core module needs "
                f"`comptime {{ py.module(@This()); }}`, a raw extension `export fn PyInit_{entry.tail}`",
                name=self.name, path=self.path,
            ) from None
        if "undefined symbol" in text or entry.settings.norecompile:
            from .errors import ZigImportError  # on error only: errors.py is not on the hit path
            raise ZigImportError(f"cannot load {self.path} as built: {text}", name=self.name, path=self.path) from None

    def create_module(self, spec: _frozen_importlib.ModuleSpec) -> "ModuleType":
        try:
            module = self._create()
        except ImportError as exc:
            from .errors import ZigImportError  # on error only: errors.py is not on the hit path

            if not isinstance(exc, ZigImportError):
                raise
            # The message says everything; our internal frames would only bury it.
            raise exc.with_traceback(None) from None
        self._created = module
        return module

    def exec_module(self, module: "ModuleType") -> None:
        if module is not self._created:
            # importlib.reload(): rebuild if the source changed and refresh the existing module in place.
            core_digest.forget()  # a reload re-checks zig_core's files too (a source checkout being worked on)
            fresh = self._create()
            assert self._so_loader is not None
            self._so_loader.exec_module(fresh)
            module.__dict__.update({k: v for k, v in fresh.__dict__.items() if k not in _IMPORT_ATTRS})
        else:
            assert self._so_loader is not None
            self._so_loader.exec_module(module)
        module.__file__ = self.path  # point users, tools and tracebacks at the source, not the cache

    def __repr__(self) -> str:
        return f"<zigimport.ZigLoader {self.name!r} from {self.path!r}>"
