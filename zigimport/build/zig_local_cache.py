"""The entry's own Zig local cache (``--cache-dir``), kept free of stale state (build path only).

Zig's local cache trusts a file whose inode, size and mtime are unchanged: the
ZIR of a ``.zig`` file and the object of a C file are reused without reading
the file again.  An edit that keeps all three (a coarse-timestamp filesystem,
a tool that restores mtimes, ``os.utime``) would then compile the *old* code
while our manifest records the new digest.

So each entry has its own Zig local cache (no other entry's builds write to
it), and beside it a record of every ``(path, inode, size, mtime) -> digest``
state the cache has been shown since it was last emptied.  Before a compile,
if an input is in a state Zig would take for a recorded one but its digest
differs, the cache is emptied: Zig then has nothing to confuse it with.  A
``pending`` marker is written before each compile and removed only once the
inputs are verified unchanged after it, so a compile that was killed, or that
raced an edit, empties the cache next time too.
"""

from __future__ import annotations

import os
import shutil

from .. import log
from ..manifest import Input

CACHE = "zig-local"
STATES = "zig-local.states"
PENDING = "zig-local.pending"
MAX_STATES = 4096  # a long-lived entry starts afresh rather than growing its record for ever

State = tuple[str, int, int, int]  # path, inode, size, mtime_ns: what Zig compares


def _state(inp: Input) -> State:
    ino, size, mtime, _ctime = inp.sig
    return inp.path, ino, size, mtime


def _read_states(path: str) -> dict[State, str]:
    states: dict[State, str] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f.read().split("\n"):
                if line:
                    digest, ino, size, mtime, p = line.split(" ", 4)
                    states[(p, int(ino), int(size), int(mtime))] = digest
    except (OSError, ValueError):
        return {}
    return states


def prepare(entry_dir: str, inputs: list[Input]) -> str:
    """The local cache directory to compile *inputs* with, emptied if Zig could mistake any of them.

    Call with the entry lock held, right before the compile, and :func:`confirm` after it.
    """
    cache = os.path.join(entry_dir, CACHE)
    states_path = os.path.join(entry_dir, STATES)
    pending = os.path.join(entry_dir, PENDING)
    states = _read_states(states_path)
    reason = None
    if os.path.exists(pending):
        reason = "an earlier compile did not finish cleanly"
    elif os.path.isdir(cache) and not os.path.exists(states_path):
        reason = "it has no record of what it holds"
    elif len(states) > MAX_STATES:
        reason = "its record is full"
    else:
        for inp in inputs:
            seen = states.get(_state(inp))
            if seen is not None and seen != inp.digest:
                reason = f"{inp.path} changed but kept its inode, size and mtime"
                break
    if reason is not None:
        log.info("emptying Zig's local cache %s: %s", cache, reason)
        shutil.rmtree(cache, ignore_errors=True)
        states = {}
    for inp in inputs:
        states[_state(inp)] = inp.digest
    with open(pending, "w", encoding="utf-8"):
        pass
    lines = [f"{d} {ino} {size} {mtime} {p}" for (p, ino, size, mtime), d in states.items()]
    tmp = f"{states_path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, states_path)
    return cache


def confirm(entry_dir: str) -> None:
    """The inputs were verified unchanged across the compile: the record describes the cache."""
    try:
        os.remove(os.path.join(entry_dir, PENDING))
    except FileNotFoundError:
        pass
