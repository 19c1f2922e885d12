"""The build lock of one cache entry, on filesystems with and without working ``flock`` (build path only).

Normally ``filelock.FileLock`` (``flock(2)``): the kernel releases it when the
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

from filelock import BaseFileLock, FileLock, SoftFileLock

from .. import log

# What flock(2) answers where the filesystem cannot lock (as opposed to "held by someone else").
NO_FLOCK_ERRNOS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EINVAL})
SOFT_SUFFIX = ".soft"

_warned: set[str] = set()


def acquire(path: str, timeout: float) -> BaseFileLock:
    """Take the lock at *path* (waiting up to *timeout* seconds) and return it, held.

    Raises ``filelock.Timeout`` if another build holds it that long.
    """
    lock = FileLock(path, timeout=timeout)
    try:
        lock.acquire()
        return lock
    except OSError as exc:
        if exc.errno not in NO_FLOCK_ERRNOS:
            raise
        reason = os.strerror(exc.errno)
    folder = os.path.dirname(path)
    if folder not in _warned:
        _warned.add(folder)
        log.warning("file locks do not work in %s (flock: %s); using lock files instead (%s)", folder, reason,
                    "a build killed on another host leaves one until its host is reachable again")
    soft = SoftFileLock(path + SOFT_SUFFIX, timeout=timeout)
    soft.acquire()
    return soft
