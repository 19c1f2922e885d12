"""The cache's entries as the command line shows them: what each was built from, how big and how old.

An entry's manifest records its full key text (cache_key.entry_key_text): the source, the
module name, the release mode, the toolchain and the interpreter, so listing the cache reads
one small file per entry and never the binaries.  Removing an entry takes its build lock
(a build in progress is left alone) and renames the folder away before deleting it, so a
concurrent import sees either the whole entry or none.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass

from filelock import Timeout

from .. import cache_dir, manifest
from ..build import entry_lock



@dataclass
class CacheEntry:
    """One entry folder under ``<root>/v1``; *source* etc. are empty when it has no complete manifest."""

    dir: str
    key: str
    source: str
    module: str
    mode: str
    python: str
    artifact: str  # the current binary's path, "" if none
    size: int  # bytes, everything in the folder (binaries, Zig's local cache, generated files)
    built: float  # when the current binary was recorded (the manifest's mtime), or the folder's mtime
    used: float  # the latest of built and the binary's access time (relatime: within a day)
    state: str  # "current" (a manifest this zigimport reads), "old format" (never loaded again) or "unfinished"

    @property
    def complete(self) -> bool:
        return self.state == "current"

    @property
    def source_exists(self) -> bool:
        return bool(self.source) and os.path.isfile(self.source)

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "dir": self.dir, "source": self.source, "module": self.module, "mode": self.mode,
                "python": self.python, "artifact": self.artifact, "size": self.size, "built": self.built,
                "used": self.used, "state": self.state, "source_exists": self.source_exists}


def folder_size(path: str) -> int:
    total = 0
    for dirpath, _dirnames, filenames in os.walk(path):
        for f in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return total


def _record_fields(path: str) -> dict[str, str]:
    """The ``key``/``artifact`` lines of a manifest of any format (older formats are listed and pruned too)."""
    text = manifest.read_small(path) or ""
    fields: dict[str, str] = {}
    for line in text.split("\n")[1:]:
        name, _, rest = line.partition(" ")
        if name in ("key", "artifact"):
            fields.setdefault(name, rest)
    return fields


def read_entry(path: str) -> CacheEntry:
    """What the entry folder *path* holds, from its manifest (never raises for a damaged one)."""
    record = os.path.join(path, "manifest")
    m = manifest.read(record)
    fields = {"key": m.key, "artifact": m.artifact} if m is not None else _record_fields(record)
    try:
        folder_mtime = os.stat(path).st_mtime
    except OSError:
        folder_mtime = 0.0
    try:
        built = os.stat(record).st_mtime
        state = "current" if m is not None else "old format"
    except OSError:
        built, state = folder_mtime, "unfinished"
    # entry_key_text: format, source, module name, mode, toolchain, python ABI, cpu, flags[, variant]
    key = fields.get("key", "").split("\0")
    source, module, mode = (key[1], key[2], key[3]) if len(key) > 3 else ("", "", "")
    python = key[5].split("|")[1] if len(key) > 5 and key[5].count("|") >= 1 else ""
    artifact = os.path.join(path, fields["artifact"]) if fields.get("artifact") else ""
    used = built
    if artifact:
        try:
            used = max(built, os.stat(artifact).st_atime)
        except OSError:
            artifact = ""
    return CacheEntry(path, os.path.basename(path), source, module, mode, python, artifact, folder_size(path), built,
                      used, state)


def entries(root: str) -> list[CacheEntry]:
    """Every entry of the cache at *root*, sorted by module name, then mode."""
    top = cache_dir.entries_dir(root)
    try:
        names = os.listdir(top)
    except FileNotFoundError:
        return []
    found = [read_entry(os.path.join(top, n)) for n in names if not n.startswith(".") and os.path.isdir(os.path.join(top, n))]
    return sorted(found, key=lambda e: (not e.complete, e.module, e.mode, e.source))


def matches(entry: CacheEntry, paths: list[str], generated_names: "set[str] | None" = None) -> bool:
    """Whether *entry* was built from one of *paths* (a file, or a file under a folder); an entry of a generated
    text (a schema module's) matches by its module name, one of *generated_names*."""
    if not entry.source:
        return False
    if generated_names and entry.module in generated_names and "generated" in entry.source.split(os.sep):
        return True
    for p in paths:
        real = os.path.realpath(p)
        if entry.source == real or entry.source.startswith(real.rstrip(os.sep) + os.sep):
            return True
    return False


def remove(entry: CacheEntry) -> bool:
    """Delete *entry*'s folder unless a build holds its lock; whether it was removed."""
    try:
        lock = entry_lock.acquire(os.path.join(entry.dir, "lock"), 0)
    except Timeout:
        return False
    except OSError:
        lock = None  # the folder is already going away
    try:
        trash = os.path.join(os.path.dirname(entry.dir), f".removed-{os.getpid()}-{entry.key}")
        try:
            os.rename(entry.dir, trash)
        except FileNotFoundError:
            return False
    finally:
        if lock is not None:
            lock.release()
    shutil.rmtree(trash, ignore_errors=True)
    return True


def other_sizes(root: str) -> dict[str, int]:
    """Sizes of what the cache holds beside the entries: Zig's global cache (``zig``), generated sources,
    notebook cells, records of other kinds of module."""
    out: dict[str, int] = {}
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return out
    for name in names:
        path = os.path.join(root, name)
        if name != cache_dir.LAYOUT_VERSION and not name.startswith(".") and os.path.isdir(path):
            out[name] = folder_size(path)
    return out


def unused_cell_sources(root: str, remaining: list[CacheEntry], now: float) -> list[str]:
    """The ``notebook/<digest>`` folders (``%%zig`` cells) no remaining entry was built from, written over
    an hour ago (a younger one may belong to a build that has not written its manifest yet)."""
    top = os.path.join(root, "notebook")
    try:
        names = sorted(os.listdir(top))
    except OSError:
        return []
    used = {os.path.dirname(e.source) for e in remaining if e.source}
    out = []
    for n in names:
        folder = os.path.join(top, n)
        try:
            old = now - os.stat(folder).st_mtime > 3600
        except OSError:
            continue
        if old and os.path.realpath(folder) not in used:
            out.append(folder)
    return out


def orphan_stub(source: str) -> str | None:
    """The stub zigimport wrote beside *source*, if *source* is gone and the stub is still there."""
    if not source or os.path.exists(source):
        return None
    from ..build.stubs import is_generated, stub_path_for

    stub = stub_path_for(source)
    if stub is not None and is_generated(stub):
        return stub
    return None


def age_text(seconds: float) -> str:
    """A short age: 40 s, 12 min, 5 h, 3 d."""
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} s"


def size_text(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} B"


def now() -> float:
    return time.time()
