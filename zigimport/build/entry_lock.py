"""The build lock of one cache entry, on filesystems with and without working ``flock`` (build path only).

Normally ``flock(2)``, taken as ``filelock.FileLock`` takes it: the kernel releases it when the
holder dies, however it dies.  Some network filesystems have no working
``flock``: NFS without ``lockd`` answers ``ENOLCK``, others ``EOPNOTSUPP``,
``ENOSYS`` or ``EINVAL``.  There the lock falls back, with one warning per
directory, to ``filelock.SoftFileLock``: a marker file created exclusively
(``O_EXCL`` works on NFS), holding the owner's pid and host, which later
builds break once that process is gone.  The marker is ``lock.soft``, not
``lock``, because the failed ``flock`` attempt leaves ``lock`` in place.
"""

from __future__ import annotations

import errno
import os
import time
from typing import TYPE_CHECKING, Protocol

from .. import log

if TYPE_CHECKING:
    from filelock import BaseFileLock

# What flock(2) answers where the filesystem cannot lock (as opposed to "held by someone else").
NO_FLOCK_ERRNOS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EINVAL})
SOFT_SUFFIX = ".soft"
POLL_SECONDS = 0.05  # filelock's own interval between attempts

_warned: set[str] = set()


class HeldLock(Protocol):
    def release(self) -> None: ...


class LockTimeout(TimeoutError):
    """Another build held the lock for the whole timeout (filelock.Timeout's role, without importing it)."""


class FlockLock:
    """``flock(2)`` on the lock file, taken as ``filelock.FileLock`` takes it (an exclusive, non-blocking
    attempt every 50 ms until the timeout), without importing filelock: that import costs ~40 ms of CPU,
    paid by every first import and every edit -> re-import (hitpath, issue 10: the hook's own costs)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout: float) -> None:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:  # held by another process (or another fd of ours)
                    if time.monotonic() >= deadline:
                        raise LockTimeout(f"the lock {self.path} could not be acquired") from None
                    time.sleep(POLL_SECONDS)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            import fcntl

            fd, self._fd = self._fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)


def acquire(path: str, timeout: float) -> HeldLock:
    """Take the lock at *path* (waiting up to *timeout* seconds) and return it, held.

    Raises ``LockTimeout`` if another build holds it that long.
    """
    if os.name != "posix":  # no fcntl: filelock's own lock for the platform
        return _filelock_acquire(path, timeout, soft=False)
    lock = FlockLock(path)
    try:
        lock.acquire(timeout)
        return lock
    except OSError as exc:
        if isinstance(exc, LockTimeout) or exc.errno not in NO_FLOCK_ERRNOS:
            raise
        reason = os.strerror(exc.errno)
    folder = os.path.dirname(path)
    if folder not in _warned:
        _warned.add(folder)
        log.warning("file locks do not work in %s (flock: %s); using lock files instead (%s)", folder, reason,
                    "a build killed on another host leaves one until its host is reachable again")
    return _filelock_acquire(path + SOFT_SUFFIX, timeout, soft=True)


def _filelock_acquire(path: str, timeout: float, *, soft: bool) -> BaseFileLock:
    from filelock import FileLock, SoftFileLock, Timeout

    lock: BaseFileLock = SoftFileLock(path, timeout=timeout) if soft else FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise LockTimeout(str(exc)) from None
    return lock
