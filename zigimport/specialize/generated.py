"""Build and load a Zig source text that zigimport generated (a zetaclass's native type).

The text is written content-addressed under the cache root
(``<root>/generated/<name>_<digest>.zig``, never rewritten once there) and then
goes through the import hook's own machinery: an :class:`~zigimport.entry.Entry`
and :func:`zigimport.loader.resolve`, so it gets the same entry lock, manifest,
freshness check and compile-error reporting as ``import name``.  A cache hit
costs a ``stat`` of the text, the manifest check and a ``dlopen``; no compiler
and nothing heavy is imported.

Each call returns a *new* module object (multi-phase init), so a module whose
state belongs to one type can back several decorations in one process.
"""

from __future__ import annotations

import os
import sys

import _frozen_importlib  # importlib.machinery's classes without importing importlib and warnings (as loader.py)
import _frozen_importlib_external

from .. import cache_dir, cache_key, log, loader

try:  # cache_key.digest's hash, imported with zetaclass rather than inside the first decoration (~0.4 ms)
    import _blake2  # noqa: F401
except ImportError:  # pragma: no cover - CPython builds without _blake2 (digest falls back to hashlib)
    pass
from .. import settings as settings_mod
from ..entry import Entry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

GENERATED_DIR = "generated"
ExtensionFileLoader = _frozen_importlib_external.ExtensionFileLoader
ModuleSpec = _frozen_importlib.ModuleSpec


def current_settings() -> settings_mod.Settings:
    """The settings ``import`` would use now: the installed hook's overrides, then the environment."""
    # The finder module is imported by zigimport itself; looked up, not imported, because the finder
    # reaches this module (name.zig.json -> schema/loader.py -> here) and an import back would be a cycle.
    finder = sys.modules.get(__name__.rpartition(".")[0].rpartition(".")[0] + ".finder")
    return settings_mod.resolve(finder.installed_overrides() if finder is not None else None)


def source_path(root: str, stem: str, text: str) -> str:
    """Where *text* lives: one file per content, named ``<stem>_<digest>.zig``."""
    return os.path.join(root, GENERATED_DIR, f"{stem}_{cache_key.digest(text.encode())[:20]}.zig")


def write_source(path: str, text: str) -> None:
    """Create *path* with *text* unless it exists (its name is its content's digest)."""
    if os.path.exists(path):
        return
    folder = os.path.dirname(path)
    cache_dir.ensure_root(os.path.dirname(folder))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)  # atomic: a concurrent writer wrote the same bytes


def load(stem: str, text: str, *, fullname: str | None = None, settings: settings_mod.Settings | None = None) -> ModuleType:
    """Build (on a miss) and load the generated Zig *text* as a fresh module named after its file, or
    *fullname* (a schema module is named as it is imported, e.g. ``pkg.person``; its stem is the tail)."""
    s = settings or current_settings()
    root = cache_dir.root(s.cache_dir)
    path = source_path(root, stem, text)
    write_source(path, text)
    return load_file(path, fullname=fullname, settings=s)


def load_file(path: str, *, fullname: str | None = None, settings: settings_mod.Settings | None = None) -> ModuleType:
    """:func:`load` of a text already written at *path* (by :func:`write_source`): a schema module's hit path,
    which knows its text's file without rendering it again (zigimport/schema/record.py)."""
    s = settings or current_settings()
    name = fullname or os.path.basename(path)[:-4]
    entry = Entry(name, path, s)
    artifact = loader.resolve(entry)
    try:
        return _load_binary(name, artifact)
    except ImportError as exc:  # pruned or unreadable: build afresh, once (as ZigLoader does)
        log.warning("could not load %s (%s); rebuilding", artifact, exc)
        return _load_binary(name, loader.resolve(entry, force_build=True))


def _load_binary(name: str, artifact: str) -> ModuleType:
    so_loader = ExtensionFileLoader(name, artifact)
    module = so_loader.create_module(ModuleSpec(name, so_loader, origin=artifact))
    so_loader.exec_module(module)
    return module


def _warm_process_facts() -> None:
    """The per-process facts every entry key needs (which zig, which CPU), looked up when zetaclass is
    imported rather than inside the first decoration; a missing toolchain is reported there, not here."""
    from .. import toolchain

    try:
        toolchain.toolchain_identity()
    except Exception:  # noqa: BLE001 - the first build raises the real, explained error
        return
    cache_key.cpu_identity()


_warm_process_facts()
