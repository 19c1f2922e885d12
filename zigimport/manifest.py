"""An entry's record of its current build: the binary and every input it was built from.

A line-oriented text file (cheap to parse on the hit path; no ``json``
import), replaced atomically.  Each input carries its content digest and a
stat signature ``(inode, size, mtime_ns, ctime_ns)``.  When the signature
still matches, the file is unchanged without reading it.  A file modified
within ``RACY_NS`` of being hashed is *racy*: a second edit in the same
timestamp tick could keep its signature (coarse-mtime filesystems), so
racy inputs are always re-hashed, never trusted on stat.
"""

from __future__ import annotations

import os
import time

from .cache_key import file_digest

MAGIC = "zigimport-manifest 1"
RACY_NS = 2_000_000_000


class Input:
    __slots__ = ("path", "digest", "sig", "racy")

    def __init__(self, path: str, digest: str, sig: tuple[int, int, int, int], racy: bool) -> None:
        self.path = path
        self.digest = digest
        self.sig = sig
        self.racy = racy


class Manifest:
    __slots__ = ("build_id", "artifact", "zig_version", "link_libc", "inputs")

    def __init__(self, build_id: str, artifact: str, zig_version: str, link_libc: bool, inputs: list[Input]) -> None:
        self.build_id = build_id
        self.artifact = artifact
        self.zig_version = zig_version
        self.link_libc = link_libc
        self.inputs = inputs


def _sig(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def snapshot(path: str) -> Input:
    """Digest *path* and record its signature (build path, before compiling)."""
    before = os.stat(path)
    digest = file_digest(path)
    after = os.stat(path)
    racy = _sig(before) != _sig(after) or time.time_ns() - max(after.st_mtime_ns, after.st_ctime_ns) < RACY_NS
    return Input(path, digest, _sig(after), racy)


def changed_since_snapshot(inputs: list[Input]) -> str | None:
    """The first input that is not exactly as :func:`snapshot` saw it, or None (build path, after compiling).

    Stricter than :func:`first_changed`: any change of the stat signature counts,
    and a racy input is hashed again, so a compile that raced an edit is caught.
    """
    for inp in inputs:
        try:
            if _sig(os.stat(inp.path)) != inp.sig or (inp.racy and file_digest(inp.path) != inp.digest):
                return inp.path
        except OSError:
            return inp.path
    return None


def first_changed(inputs: list[Input]) -> str | None:
    """The first input whose content differs from the record, or None (hit path)."""
    for inp in inputs:
        try:
            st = os.stat(inp.path)
        except OSError:
            return inp.path
        sig = _sig(st)
        if sig == inp.sig and not inp.racy:
            continue
        if st.st_size != inp.sig[1]:
            return inp.path
        try:
            if file_digest(inp.path) != inp.digest:
                return inp.path
        except OSError:
            return inp.path
    return None


def read(path: str) -> Manifest | None:
    """Parse the manifest at *path*; None if absent or not a complete, known-format record."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != MAGIC or lines[-1] != "":
        return None
    fields: dict[str, str] = {}
    inputs: list[Input] = []
    try:
        for line in lines[1:-1]:
            key, _, rest = line.partition(" ")
            if key == "input":
                digest, ino, size, mtime, ctime, racy, p = rest.split(" ", 6)
                inputs.append(Input(p, digest, (int(ino), int(size), int(mtime), int(ctime)), racy == "1"))
            else:
                fields[key] = rest
        return Manifest(fields["build"], fields["artifact"], fields["zig"], fields["libc"] == "1", inputs)
    except (KeyError, ValueError):
        return None


def write(path: str, m: Manifest) -> None:
    """Atomically replace the manifest at *path* (caller holds the entry lock)."""
    lines = [MAGIC, f"build {m.build_id}", f"artifact {m.artifact}", f"zig {m.zig_version}", f"libc {int(m.link_libc)}"]
    for i in m.inputs:
        ino, size, mtime, ctime = i.sig
        lines.append(f"input {i.digest} {ino} {size} {mtime} {ctime} {int(i.racy)} {i.path}")
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
