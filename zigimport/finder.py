"""The ``sys.meta_path`` finder: maps ``import name`` to ``name.zig`` on the search path.

It sits *after* the standard ``PathFinder``, so ``.py`` files, packages and
compiled extensions anywhere on ``sys.path`` win over ``.zig`` sources (a
wheel's prebuilt binary beats its source), and the finder costs nothing on
imports Python resolves itself.  On a miss it does one ``stat`` per path
entry and no directory listing, so it can never serve a stale listing.
It never compiles: that happens in the loader, when the module is executed.

A warm import never leaves this file: the *hit record* of the module (one small file written
after an import that the full check in loader.py confirmed) names the binary and the stat
signature of everything it was built from; if every one still matches, the spec loads the
binary directly (hit_check.py; docs/cache.md says what a record proves).  Anything
else -- no record, a damaged one, one changed file -- goes to the loader's full check, which
stays the authority.  hit_check.py is imported with this file: importing it on the first ``.zig``
found would cost ~0.2 ms, most of a warm import's budget.
"""

import os
import stat
import sys

import _frozen_importlib  # importlib.machinery's classes without importing the importlib package
import _frozen_importlib_external

from . import hit_check

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from types import ModuleType

    from .loader import ZigLoader
    from .settings import Overrides

SOURCE_SUFFIX = ".zig"


class ZigFinder:
    """Finds ``<name>.zig`` in ``sys.path`` (top level) or the parent package's ``__path__``."""

    def __init__(self, overrides: "Overrides | None") -> None:  # None: every setting from the environment
        self.overrides = overrides

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> "_frozen_importlib.ModuleSpec | None":
        filename = fullname.rpartition(".")[2] + SOURCE_SUFFIX
        sep = os.sep
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
                continue
            if stat.S_ISREG(mode):
                origin = os.path.abspath(candidate)
                artifact = hit_check.recorded_artifact(fullname, origin, self.overrides)
                if artifact is not None:
                    spec = _frozen_importlib.ModuleSpec(fullname, RecordedLoader(fullname, origin, artifact, self.overrides),  # type: ignore[arg-type]
                                                        origin=origin)
                    spec.has_location = True
                    return spec
                # The loader and the hit path behind it (entry key, manifest, zig_core check) are imported
                # only now, when a .zig module is found: `import zigimport` alone stays light.
                from .loader import ZigLoader

                # ZigLoader is a Loader by protocol; subclassing importlib.abc.Loader would import
                # importlib.abc (and typing) into every process that imports zigimport.
                loader = ZigLoader(fullname, origin, self.overrides)
                spec = _frozen_importlib.ModuleSpec(fullname, loader, origin=origin)  # type: ignore[arg-type]
                spec.has_location = True
                return spec
        if path is not None:  # a submodule: the package may build its extensions with its own build.zig
            return _project_spec(fullname, path, self.overrides)
        return None

    def invalidate_caches(self) -> None:
        """The finder keeps no listings; a source-tree zig_core is checked again at the next import."""
        hit_check.forget()  # hit records' zig_core and zigimport files: stat'ed again
        core_digest = sys.modules.get(f"{__package__}.core_digest")  # only if the hit path was ever loaded
        if core_digest is not None:
            core_digest.forget()

    def __repr__(self) -> str:
        return "<zigimport.ZigFinder>"


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


# ---- the loader of a binary a hit record named (hit_check.py) ----

class RecordedLoader:
    """Loads the binary a hit record named; anything unusual (a reload, a failed load) goes to ZigLoader."""

    def __init__(self, fullname: str, path: str, artifact: str, overrides: "Overrides | None") -> None:
        self.name = fullname
        self.path = path
        self.overrides = overrides
        self._artifact = artifact
        self._full: "ZigLoader | None" = None
        self._so: "_frozen_importlib_external.ExtensionFileLoader | None" = None
        self._created: object = None

    @property
    def artifact(self) -> str | None:
        """The binary actually loaded, for introspection (as ZigLoader.artifact)."""
        return self._full.artifact if self._full is not None else self._artifact

    def _fall_back(self) -> "ZigLoader":
        from .loader import ZigLoader

        self._full = ZigLoader(self.name, self.path, self.overrides)
        return self._full

    def create_module(self, spec: "_frozen_importlib.ModuleSpec") -> object:
        so = _frozen_importlib_external.ExtensionFileLoader(self.name, self._artifact)
        try:
            module = so.create_module(_frozen_importlib.ModuleSpec(self.name, so, origin=self._artifact))
        except ImportError:  # removed since it was checked, or unloadable: the full path rebuilds or explains
            return self._fall_back().create_module(spec)
        self._so = so
        self._created = module
        return module

    def exec_module(self, module: "ModuleType") -> None:
        if self._full is None and module is not self._created:
            self._fall_back()  # importlib.reload(): the full check, and the module refreshed in place
        if self._full is not None:
            self._full.exec_module(module)
            return
        assert self._so is not None
        self._so.exec_module(module)
        module.__file__ = self.path  # as ZigLoader: the source, not the cache

    def __repr__(self) -> str:
        return f"<zigimport.RecordedLoader {self.name!r} from {self.path!r}>"
