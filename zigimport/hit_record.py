"""Write a module's hit record, which finder.py checks on a warm import (after a full-check import only).

The record is written by an import whose binary the full check (loader.py) has just confirmed, and
only from facts that stay true: for each file the build read, the writer hashes it again and keeps
its stat signature only if the digest is the one the binary was built from, the signature did not
move while it was read, and its mtime and ctime were both at least ``RACY_NS`` old by then.  Any
later change to the file sets its ctime to the time of the change, which the kernel alone controls,
so a file whose (inode, size, mtime_ns, ctime_ns) still match has the content the binary was built
from (docs/cache.md: "The hit record").  A record therefore never needs to be current to be true;
concurrent writers each replace it atomically with a true one.

finder.py computes where the record goes and what it is keyed by (it reads it back with the same
functions) and passes that in, so that this module never imports finder.py, which imports it.
"""

import os
from _thread import get_ident  # threading's, without importing threading

from . import cache_key, core_digest, manifest, toolchain
from .entry import Entry


class RecordPlace:
    """What finder.py keys a record by: the mode and cache root it read, the key text, the record's path,
    the format's first line, this boot, and zigimport's own files that define the entry key."""

    __slots__ = ("mode", "root", "key", "path", "magic", "boot", "key_code", "loaded_ns")

    def __init__(self, mode: str, root: str, key: str, path: str, magic: str, boot: str, key_code: "list[str]",
                 loaded_ns: int) -> None:
        self.mode = mode
        self.root = root
        self.key = key
        self.path = path
        self.magic = magic
        self.boot = boot
        self.key_code = key_code
        self.loaded_ns = loaded_ns


def _line(kind: str, inp: manifest.Input) -> str:
    ino, size, mtime, ctime = inp.sig
    return f"{kind} {inp.path}\0{ino} {size} {mtime} {ctime}"  # as finder._same reads it


def _rehashed(files: "list[tuple[str, str]]") -> "list[manifest.Input] | None":
    """Each (path, digest) hashed again: its inputs if every digest is the recorded one and no file is racy."""
    out = []
    for path, digest in files:
        inp = manifest.snapshot(path)
        if inp.racy or inp.digest != digest:
            return None
        out.append(inp)
    return out


def _settle(path: str, m: manifest.Manifest, inputs: "list[manifest.Input]") -> None:
    """The manifest takes the signatures just confirmed by content (a touched file is hashed no more)."""
    again = manifest.read(path)
    if again is not None and again.build_id == m.build_id:  # else a build replaced it meanwhile: leave that one
        m.inputs = inputs
        manifest.write(path, m)


def _key_code(paths: "list[str]", loaded_ns: int) -> "list[manifest.Input] | None":
    """zigimport's files that decide the entry key, as this process read them (unchanged since before it did)."""
    out = []
    for path in paths:
        st = os.stat(path)
        # finder.py was read just before loaded_ns, the others after: twice the racy margin
        if max(st.st_mtime_ns, st.st_ctime_ns) > loaded_ns - 2 * manifest.RACY_NS:
            return None  # edited around the time this process imported zigimport: no record from it
        out.append(manifest.Input(path, "", (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns), False))
    return out


def write(entry: Entry, artifact: str, where: RecordPlace) -> bool:
    """Record that *artifact* is *entry*'s binary; whether a record was written (finder.ModuleLoader, after
    the full check confirmed it).  *where* is what the finder keys the record by and checks it against.

    No record is written where the finder could not check one exactly as written (a setting it leaves to
    the full path, a file still racy, a path with a newline): then every import takes the full path.
    """
    if entry.extra_modules or entry.extra_flags:
        return False  # specialize/ loads through loader.resolve, never through the finder
    if where.mode != entry.settings.release_mode or where.root != entry.root:
        return False
    m = manifest.read(entry.manifest_path)
    if m is None or m.key != entry.key_text or os.path.join(entry.dir, m.artifact) != artifact:
        return False
    core_dir = toolchain.zig_core_dir()
    if not core_digest.matches(entry.root, core_dir, m.core):
        return False
    stamp = core_digest.stamp(core_dir)
    inputs = _rehashed([(i.path, i.digest) for i in m.inputs])
    if inputs is None:
        return False
    if any(new.sig != old.sig or old.racy for new, old in zip(inputs, m.inputs)):
        _settle(entry.manifest_path, m, inputs)
    folder = os.stat(os.path.dirname(entry.source))  # the source's folder, as finder._resolved finds it again
    lines = [where.magic, where.key, artifact, entry.dir, f"{entry.source}\0{folder.st_dev} {folder.st_ino}",
             toolchain.toolchain_identity(), f"{where.boot}\0{cache_key.cpu_identity()}", stamp]
    lines += [_line("file", i) for i in inputs]
    if stamp == "source":  # zig_core and zigimport are being worked on: their files are part of the record
        recorded = core_digest.recorded_inputs(entry.root, core_dir)
        core = None if recorded is None else _rehashed([(i.path, i.digest) for i in recorded])
        code = _key_code(where.key_code, where.loaded_ns)
        if core is None or code is None:
            return False
        lines += [_line("core", i) for i in core + code]
    lines.append("end")
    text = "\n".join(lines) + "\n"
    if text.count("\n") != len(lines):
        return False  # a path with a newline in it: not representable, the full path it is
    path = where.path
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}-{get_ident()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        os.write(fd, text.encode("utf-8", "surrogateescape"))
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return True

