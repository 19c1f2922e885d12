"""Loader for extension modules a package's own ``build.zig`` produces (``import pkg._native``).

The finder hands a submodule import to this loader when the package folder
holds a ``build.zig`` and no file of the submodule's name (finder.ZigFileFinder).  The whole project is one cache
entry (keyed like a module's, with ``build.zig`` as the source); its manifest
lists every file the last ``zig build`` read, so the cache-hit path is the
same stat-only check as for a module.  ``build/build_zig.py`` runs the build,
only on a miss.
"""

from __future__ import annotations

import os
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader, ModuleSpec

from . import cache_dir, log, manifest, settings as settings_mod
from .entry import Entry
from .errors import ZigImportError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType


def installed_extension(out_dir: str, tail: str) -> str | None:
    """The binary for module *tail* anywhere under the build's install prefix *out_dir*."""
    names = {tail + s for s in EXTENSION_SUFFIXES} | {"lib" + tail + s for s in EXTENSION_SUFFIXES}
    names |= {tail + ".so", "lib" + tail + ".so"}
    for dirpath, dirnames, filenames in os.walk(out_dir):
        dirnames.sort()
        for f in sorted(filenames):
            if f in names:
                return os.path.join(dirpath, f)
    return None


def installed_names(out_dir: str) -> list[str]:
    """Module names the build installed (for the error when the wanted one is not among them)."""
    found = []
    for _, _, filenames in os.walk(out_dir):
        for f in filenames:
            if ".so" in f or f.endswith(".pyd"):
                base = f.split(".", 1)[0]
                found.append(base[3:] if base.startswith("lib") else base)
    return sorted(set(found))


def resolve(entry: Entry, *, force_build: bool = False) -> str:
    """The install prefix of a current build of the project (building it on a miss)."""
    cache_dir.check_root(entry.root)
    current = None if force_build else manifest.read(entry.manifest_path)
    if current is not None:
        out = os.path.join(entry.dir, current.artifact)
        if cache_dir.trusted(entry.dir) and cache_dir.trusted(out):
            if entry.settings.norecompile or manifest.first_changed(current.inputs) is None:
                log.debug("cache hit for %s (%s): %s", entry.source, entry.settings.release_mode, out)
                return out
    if entry.settings.norecompile:
        raise ZigImportError(f"ZIG_NORECOMPILE is set and {entry.source} was never built for this interpreter in "
                             f"{entry.settings.release_mode} mode; unset ZIG_NORECOMPILE to build it", path=entry.source)
    from .build import build_zig  # heavy: only when we must build

    return build_zig.build(entry, force=force_build)


class ProjectLoader:
    """Loads ``package.<tail>`` from what the package's ``build.zig`` installs."""

    def __init__(self, fullname: str, build_zig: str, overrides: "settings_mod.Overrides | None") -> None:
        self.name = fullname
        self.path = build_zig
        self.overrides = overrides
        self.artifact: str | None = None
        self._so_loader: ExtensionFileLoader | None = None

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        package, _, tail = self.name.rpartition(".")
        entry = Entry(package or tail, self.path, settings_mod.resolve(self.overrides))
        try:
            out = resolve(entry)
        except ZigImportError as exc:
            raise exc.with_traceback(None) from None
        artifact = installed_extension(out, tail)
        if artifact is None:
            built = ", ".join(installed_names(out)) or "no extension modules"
            raise ModuleNotFoundError(f"No module named {self.name!r}: {self.path} built {built}", name=self.name)
        self.artifact = artifact
        self._so_loader = ExtensionFileLoader(self.name, artifact)
        return self._so_loader.create_module(ModuleSpec(self.name, self._so_loader, origin=artifact))

    def exec_module(self, module: ModuleType) -> None:
        if self._so_loader is None:
            # importlib.reload(): rebuild if anything changed, then refresh the module in place.
            fresh = self.create_module(ModuleSpec(self.name, self, origin=self.path))  # type: ignore[arg-type]
            assert self._so_loader is not None
            self._so_loader.exec_module(fresh)
            module.__dict__.update({k: v for k, v in fresh.__dict__.items() if k not in ("__name__", "__spec__", "__loader__")})
            return
        self._so_loader.exec_module(module)

    def __repr__(self) -> str:
        return f"<zigimport.ProjectLoader {self.name!r} from {self.path!r}>"
