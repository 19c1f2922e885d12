"""An entry's record of its current build: the binary and every input it was built from.

A line-oriented text file (cheap to parse on the hit path; no ``json``
import), replaced atomically.  Each input carries its content digest and a
stat signature ``(inode, size, mtime_ns, ctime_ns)``.  When the signature
still matches, the file is unchanged without reading it.  A file modified
within ``RACY_NS`` of being hashed is *racy*: a second edit in the same
timestamp tick could keep its signature (coarse-mtime filesystems), so
racy inputs are always re-hashed, never trusted on stat.
"""

import os
import time

from .cache_key import file_digest

MAGIC = "zigimport-manifest 2"
RACY_NS = 2_000_000_000


class Input:
    __slots__ = ("path", "digest", "sig", "racy")

    def __init__(self, path: str, digest: str, sig: tuple[int, int, int, int], racy: bool) -> None:
        self.path = path
        self.digest = digest
        self.sig = sig
        self.racy = racy


class Manifest:
    """*key* is the entry's full key text (cache_key.entry_key_text), *core* the digest of
    the zig_core tree it was built with (core_digest.py); *inputs* are the module's own files."""

    __slots__ = ("build_id", "artifact", "zig_version", "link_libc", "inputs", "key", "core")

    def __init__(self, build_id: str, artifact: str, zig_version: str, link_libc: bool, inputs: list[Input],
                 key: str = "", core: str = "") -> None:
        self.build_id = build_id
        self.artifact = artifact
        self.zig_version = zig_version
        self.link_libc = link_libc
        self.inputs = inputs
        self.key = key
        self.core = core


def _sig(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def snapshot(path: str) -> Input:
    """Digest *path* and record its signature (build path, before compiling)."""
    before = os.stat(path)
    digest = file_digest(path)
    after = os.stat(path)
    # ctime too: a tool that restores mtimes leaves only the ctime to show an edit (hitpath)
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


def read_small(path: str) -> str | None:
    """The text of a small file, or None if it cannot be read.  Plain ``os.read``: on the
    hit path ``open()``'s three io objects and codec lookup cost more than the read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks).decode("utf-8", "surrogateescape")


def parse_input(rest: str) -> Input:
    """An input from its record line (the part after ``input ``); ValueError if malformed."""
    digest, ino, size, mtime, ctime, racy, p = rest.split(" ", 6)
    return Input(p, digest, (int(ino), int(size), int(mtime), int(ctime)), racy == "1")


def format_input(i: Input) -> str:
    ino, size, mtime, ctime = i.sig
    return f"{i.digest} {ino} {size} {mtime} {ctime} {int(i.racy)} {i.path}"


def settle_inputs(inputs: list[Input]) -> bool:
    """Clear the racy flag of inputs just confirmed by content that are now old enough; whether any was."""
    now = time.time_ns()
    changed = False
    for inp in inputs:
        if inp.racy and now - max(inp.sig[2], inp.sig[3]) >= RACY_NS:
            try:
                same = _sig(os.stat(inp.path)) == inp.sig
            except OSError:
                return False
            if same:
                inp.racy = False
                changed = True
    return changed


def settle(path: str, m: Manifest) -> None:
    """Record *m*'s racy inputs as settled once they are old enough (hit path, after a hit).

    A racy input is re-hashed at every import until its record says otherwise.
    Once its mtime is outside the racy window, the signature that the hit just
    confirmed by content can be trusted: rewrite the manifest (atomically, no
    lock; if a build replaced it meanwhile, ours loses nothing but this shortcut).
    """
    again = read(path) if settle_inputs(m.inputs) else None
    if again is not None and again.build_id == m.build_id:
        try:
            write(path, m)
        except OSError:
            pass  # a read-only cache: keep re-hashing


def read(path: str) -> "Manifest | None":
    """Parse the manifest at *path*; None if absent or not a complete, known-format record."""
    text = read_small(path)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or lines[0] != MAGIC or lines[-1] != "":
        return None
    fields: dict[str, str] = {}
    inputs: list[Input] = []
    try:
        for line in lines[1:-1]:
            key, _, rest = line.partition(" ")
            if key == "input":
                inputs.append(parse_input(rest))
            else:
                fields[key] = rest
        return Manifest(fields["build"], fields["artifact"], fields["zig"], fields["libc"] == "1", inputs,
                        fields["key"], fields["core"])
    except (KeyError, ValueError):
        return None


def write(path: str, m: Manifest) -> None:
    """Atomically replace the manifest at *path* (caller holds the entry lock)."""
    lines = [MAGIC, f"build {m.build_id}", f"artifact {m.artifact}", f"zig {m.zig_version}", f"libc {int(m.link_libc)}",
             f"key {m.key}", f"core {m.core}"]
    lines.extend(f"input {format_input(i)}" for i in m.inputs)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
