"""zig_core's ~45 source files as one digest, confirmed on a cache hit without reading them.

Every binary is built from zig_core, so every manifest used to list its files
and every hit stat'ed them all.  Instead the build writes one record per
zig_core tree (``zig_core/<hash of its path>`` in the cache root: each file's digest and
stat signature, and the digest of them all), manifests name that digest, and
a hit confirms it once per process:

* **installed** (a wheel: ``zigimport-<version>.dist-info`` beside zig_core):
  the files change only by reinstalling, which rewrites ``RECORD``; manifests
  carry ``RECORD``'s stat signature, compared with one ``stat`` per process,
  and the record is not even read.
* **source tree** (a checkout on ``sys.path``, an editable install): zig_core
  is being worked on, so its files are stat'ed: by the first import of a
  process that needs them, and again after ``importlib.invalidate_caches()``
  or an ``importlib.reload()`` of a zigimport module (:func:`forget`), the
  calls that tell Python files changed.  A process importing many modules
  stats the ~45 files once, not once per module.
"""

import os
import sys

from . import cache_dir, manifest
from .cache_key import key_hash

MAGIC = "zigimport-core 1"

_stamps: dict[str, str] = {}  # zig_core dir -> stamp, installed trees only (once per process)
_confirmed: dict[tuple[str, str], str] = {}  # (cache root, zig_core dir) -> tree digest its files matched, source trees


def forget() -> None:
    """Check a source-tree zig_core's files again at the next import (``importlib.invalidate_caches()``, reload)."""
    _confirmed.clear()


def install_record(core_dir: str) -> str | None:
    """The wheel's ``RECORD`` if zig_core is an installed copy, else None."""
    version = sys.modules[__package__].__version__  # initialised before any import reaches here (no import cycle)
    path = os.path.join(os.path.dirname(core_dir), f"zigimport-{version}.dist-info", "RECORD")
    return path if os.path.isfile(path) else None


def stamp(core_dir: str) -> str:
    """``installed <RECORD's inode size mtime>`` for a wheel install (once per process), else ``source``."""
    known = _stamps.get(core_dir)
    if known is not None:
        return known
    record = install_record(core_dir)
    if record is None:
        return "source"
    st = os.stat(record)
    _stamps[core_dir] = value = f"installed {st.st_ino} {st.st_size} {st.st_mtime_ns}"
    return value


def record_path(root: str, core_dir: str) -> str:
    return os.path.join(cache_dir.core_records_dir(root), key_hash(core_dir))


def matches(root: str, core_dir: str, recorded: str) -> bool:
    """Whether zig_core is still the tree *recorded* (a manifest's ``core`` field) names (hit path).

    Installed, built with this install: the stamp alone decides (RECORD
    unchanged, files unchanged).  Otherwise the tree's record decides: trusted
    as it is for an installed tree, checked file by file for a source tree.
    """
    tree, _, recorded_stamp = recorded.partition(" ")
    try:
        now = stamp(core_dir)
    except OSError:
        return False
    if now != "source" and recorded_stamp == now:
        return True
    if now == "source" and _confirmed.get((root, core_dir)) == tree:
        return True  # its files matched earlier in this process
    current = current_tree(root, core_dir, now)
    if now == "source" and current is not None:
        _confirmed[(root, core_dir)] = current
    return current == tree


def current_tree(root: str, core_dir: str, now: str) -> str | None:
    """The tree digest of zig_core if its record (written under stamp *now*) confirms it, else None."""
    text = manifest.read_small(record_path(root, core_dir))
    if text is None:
        return None
    lines = text.split("\n")
    if len(lines) < 4 or lines[0] != MAGIC or lines[-1] != "" or lines[2] != now:
        return None
    if now != "source":
        return lines[1]
    try:
        inputs = [manifest.parse_input(line) for line in lines[3:-1]]
    except ValueError:
        return None
    if manifest.first_changed(inputs) is not None:
        return None
    if any(i.racy for i in inputs) and manifest.settle_inputs(inputs):
        _write(record_path(root, core_dir), lines[1], now, inputs)  # hashed once more, then trusted on stat
    return lines[1]


def recorded_inputs(root: str, core_dir: str) -> "list[manifest.Input] | None":
    """The zig_core files (with digests) the tree's record lists, or None if it has none (hit_record.py)."""
    text = manifest.read_small(record_path(root, core_dir))
    lines = [] if text is None else text.split("\n")
    if len(lines) < 4 or lines[0] != MAGIC or lines[-1] != "":
        return None
    try:
        return [manifest.parse_input(line) for line in lines[3:-1]]
    except ValueError:
        return None


def _write(path: str, tree: str, now: str, inputs: list[manifest.Input]) -> None:
    lines = [MAGIC, tree, now] + [manifest.format_input(i) for i in inputs]
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, path)
    except OSError:
        pass


def refresh(root: str, core_dir: str, files: list[str]) -> tuple[str, str, list[manifest.Input]]:
    """Digest zig_core's *files* and write the record (build path, entry lock held).

    Returns (tree digest, the ``core`` field for manifests, the files as inputs).
    """
    _stamps.pop(core_dir, None)
    _confirmed.clear()
    now = stamp(core_dir)
    inputs = [manifest.snapshot(p) for p in files]
    from .cache_key import digest

    tree = digest("\0".join(f"{os.path.relpath(i.path, core_dir)}\0{i.digest}" for i in inputs).encode())
    path = record_path(root, core_dir)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    _write(path, tree, now, inputs)
    return tree, f"{tree} {now}", inputs
