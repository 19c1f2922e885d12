"""The sources the command line builds: which files are modules, their import names, how each kind builds.

Every subcommand that takes a source (``build``, ``stubs``, ``info``/``clean`` filters) goes
through :func:`kind_of`, so a new kind of module source plugs in with one line in ``KINDS``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import loader, settings as settings_mod
from ..entry import Entry

# Folders a tree walk never enters: tools' caches, virtual environments, build outputs.
SKIP_DIRS = frozenset({"__pycache__", "node_modules", "zig-out", "zig-cache", ".zig-cache", "site-packages"})
# A zig_core module ends with ``py.module(@This())`` (under any alias); a raw extension exports PyInit_.
_MODULE_MARK = re.compile(rb"\.module\(\s*@This\(\)\s*\)|\bPyInit(?:U)?_\w+")


@dataclass(frozen=True)
class Kind:
    """How one kind of module source is built.

    *build(path, fullname, settings, force)* returns the path of a current binary (compiling when the cache
    has none, or always with *force*), through the entry locks; *stub_text(path, fullname, settings, artifact)*
    the module's ``.pyi`` text (None: it has none); *is_module(path)* whether a tree walk builds the file.
    """

    name: str
    suffix: str
    build: Callable[[str, str, settings_mod.Settings, bool], str]
    stub_text: Callable[[str, str, settings_mod.Settings, str], "str | None"]
    is_module: Callable[[str], bool]


def _zig_build(path: str, fullname: str, s: settings_mod.Settings, force: bool) -> str:
    return loader.resolve(Entry(fullname, path, s), force_build=force)


def _zig_stub_text(path: str, fullname: str, s: settings_mod.Settings, artifact: str) -> str | None:
    from ..build.stubs import stub_text  # the build path: the ELF reader

    return stub_text(artifact)


def _zig_is_module(path: str) -> bool:
    """A tree walk builds only files that define a module: not the helpers they @import, build.zig or test files."""
    if os.path.basename(path) == "build.zig":
        return False
    try:
        with open(path, "rb") as f:
            return _MODULE_MARK.search(f.read()) is not None
    except OSError:
        return False


ZIG = Kind("zig", ".zig", _zig_build, _zig_stub_text, _zig_is_module)


# ---- .zig.json schema modules (zigimport/schema/, branch schemafront): written against its API, registered at merge ----

def _schema_build(path: str, fullname: str, s: settings_mod.Settings, force: bool) -> str:
    """Render (if the schema changed), build and load the schema module as ``import`` does (which also keeps its
    stub current), then the binary of its generated Zig source's entry."""
    from .. import cache_dir
    from ..schema import loader as schema_loader, record  # type: ignore[import-not-found, unused-ignore]

    schema_loader.import_schema(path, fullname, s)
    hit = record.lookup(cache_dir.root(s.cache_dir), path, fullname)
    assert hit is not None, "import_schema records the text it rendered"
    return loader.resolve(Entry(fullname, hit[0], s), force_build=force)


def _schema_stub_text(path: str, fullname: str, s: settings_mod.Settings, artifact: str) -> str | None:
    from ..schema import loader as schema_loader, resolve, stubs  # type: ignore[import-not-found, unused-ignore]

    spec, _read = resolve.resolve_file(path, fullname)
    _text_path, digest = schema_loader.write_text(spec, s, path)
    text: str = stubs.stub_text(spec, digest)
    return text


SCHEMA = Kind("schema", ".zig.json", _schema_build, _schema_stub_text, lambda path: True)

# suffix -> kind; the longest suffix that matches wins.  Schema modules join at the merge with zigimport/schema/
# by adding the line  ".zig.json": SCHEMA,
KINDS: dict[str, Kind] = {
    ".zig": ZIG,
    ".zig.json": SCHEMA,
}


def kind_of(path: str) -> Kind | None:
    """The kind of module source *path* is, by its suffix; None if it is none."""
    for suffix in sorted(KINDS, key=len, reverse=True):
        if path.endswith(suffix) and len(os.path.basename(path)) > len(suffix):
            return KINDS[suffix]
    return None


def module_name(path: str, kind: Kind) -> str:
    """The name ``import`` gives *path*: its stem, under the packages (folders with ``__init__.py``) around it."""
    folder, base = os.path.split(os.path.abspath(path))
    parts = [base[:-len(kind.suffix)]]
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        folder, package = os.path.split(folder)
        if not package.isidentifier():
            break
        parts.append(package)
    return ".".join(reversed(parts))


@dataclass(frozen=True)
class Source:
    """One module source the command line was asked about."""

    path: str
    fullname: str
    kind: Kind


class UsageError(Exception):
    """A bad argument (exit code 2): a path that does not exist or is no module source."""


def collect(paths: list[str]) -> list[Source]:
    """The module sources named by *paths*: files as given, folders walked (modules only); sorted, unique."""
    found: dict[str, Source] = {}
    for p in paths:
        if os.path.isdir(p):
            for path in _walk(p):
                kind = kind_of(path)
                if kind is not None and _importable(module_name(path, kind)) and kind.is_module(path):
                    found.setdefault(os.path.realpath(path), Source(os.path.abspath(path), module_name(path, kind), kind))
        elif os.path.isfile(p):
            kind = kind_of(p)
            if kind is None:
                raise UsageError(f"{p}: not a module source (expected {', '.join(repr(s) for s in KINDS)})")
            name = module_name(p, kind)
            if not _importable(name):
                raise UsageError(f"{p}: cannot be imported: {name!r} is not a Python module name")
            found.setdefault(os.path.realpath(p), Source(os.path.abspath(p), name, kind))
        elif _importable(p):
            for src in _named(p):
                found.setdefault(os.path.realpath(src.path), src)
        else:
            raise UsageError(f"{p}: no such file or folder")
    return sorted(found.values(), key=lambda s: s.path)


def _named(name: str) -> list[Source]:
    """The module sources of the package *name* (named under it, namespace packages too), or the module *name*
    itself, as ``import`` finds them: ``zigimport build fastpkg`` for an installed package.  Importing a
    submodule's spec imports its parents."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        raise UsageError(f"{name}: no such file or folder, and no module of that name ({exc})") from None
    if spec is None:
        raise UsageError(f"{name}: no such file or folder, and no module of that name")
    if spec.submodule_search_locations:
        out = []
        for top in spec.submodule_search_locations:
            for path in _walk(top):
                kind = kind_of(path)
                if kind is None:
                    continue
                rel = os.path.relpath(path, top)[:-len(kind.suffix)].split(os.sep)
                fullname = ".".join([name, *rel])
                if _importable(fullname) and kind.is_module(path):
                    out.append(Source(os.path.abspath(path), fullname, kind))
        return out
    kind = kind_of(spec.origin or "")
    if spec.origin and kind is not None:
        return [Source(os.path.abspath(spec.origin), name, kind)]
    raise UsageError(f"{name}: the module {name!r} is {spec.origin or 'built in'}, not a module source "
                     f"(expected {', '.join(repr(s) for s in KINDS)})")


def _importable(name: str) -> bool:
    return all(part.isidentifier() for part in name.split("."))


def _walk_dirs(top: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, file names) of the tree under *top*, without hidden folders, caches and virtual environments."""
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS
                             and not os.path.isfile(os.path.join(dirpath, d, "pyvenv.cfg")))
        yield dirpath, sorted(filenames)


def _walk(top: str) -> Iterator[str]:
    for dirpath, filenames in _walk_dirs(top):
        for f in filenames:
            yield os.path.join(dirpath, f)


def folders_of(paths: list[str]) -> list[str]:
    """Every folder a tree walk of *paths* visits (the folder arguments and their subfolders)."""
    return [os.path.abspath(d) for p in paths if os.path.isdir(p) for d, _files in _walk_dirs(p)]
