"""The ``sys.meta_path`` finder: maps ``import name`` to ``name.zig`` on the search path.

It sits *after* the standard ``PathFinder``, so ``.py`` files, packages and
compiled extensions anywhere on ``sys.path`` win over ``.zig`` sources (a
wheel's prebuilt binary beats its source), and the finder costs nothing on
imports Python resolves itself.  On a miss it does one ``stat`` per path
entry and no directory listing, so it can never serve a stale listing.
It never compiles: that happens in the loader, when the module is executed.
In each entry, ``name.zig`` wins over ``name.zig.json`` (a JSON Schema module, zigimport/schema/); the
latter is looked up in the listing PathFinder just refreshed, so a miss costs no extra ``stat`` for it.
"""

import os
import stat
import sys

import _frozen_importlib  # importlib.machinery's classes without importing the importlib package
import _frozen_importlib_external

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
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
                # The loader and the hit path behind it (entry key, manifest, zig_core check) are imported
                # only now, when a .zig module is found: `import zigimport` alone stays light.
                from .loader import ZigLoader

                # ZigLoader is a Loader by protocol; subclassing importlib.abc.Loader would import
                # importlib.abc (and typing) into every process that imports zigimport.
                loader = ZigLoader(fullname, origin, self.overrides)
                spec = _frozen_importlib.ModuleSpec(fullname, loader, origin=origin)  # type: ignore[arg-type]
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
