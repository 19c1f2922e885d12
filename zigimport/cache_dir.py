"""Where the build cache lives, and whether it is safe to load code from it.

Layout under the root (``platformdirs.user_cache_dir("zigimport")`` or
``$ZIGIMPORT_CACHE_DIR``)::

    zig/global                Zig's global cache (std's ZIR, compiler_rt); each entry has its own local one
    zig_core/<hash of path>   the digest of each zig_core tree in use (core_digest.py)
    zig_core_runtime/<key>.o  zig_core's runtime object per tree, mode, ABI, target (build/core_object.py)
    hit/<hash of record key>  a module's hit record: what a warm import checks (finder.py)
    v1/<entry key>/           one entry per (source, interpreter, mode, ...): see cache_key.py
        lock                  the entry's build lock
        manifest              what the current binary was built from (manifest.py)
        zig-local/            Zig's local cache for this entry only (build/zig_local_cache.py)
        <name>.<build id><EXT_SUFFIX>   published binaries, never rewritten

Everything we create is mode 0700.  A directory or binary that another user
could write is never loaded: an unsafe root raises ``ZigCacheError``; an
unsafe entry is discarded and rebuilt (see build/locked_build.py).
"""

import os
import stat
import sys


LAYOUT_VERSION = "v1"


def default_root() -> str:
    """``platformdirs.user_cache_dir("zigimport")``, computed directly on XDG systems.

    Importing platformdirs costs ~15 ms, too much for a cache hit, so on
    Linux/BSD we apply its XDG rule ourselves (tests check both agree).
    """
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not base.strip():
            base = os.path.expanduser("~/.cache")
        return os.path.join(base, "zigimport")
    import platformdirs

    return platformdirs.user_cache_dir("zigimport", appauthor=False)


def root(configured: str | None) -> str:
    return os.path.abspath(os.path.expanduser(configured)) if configured else default_root()


def is_unsafe(st: os.stat_result) -> bool:
    """Owned by someone else, or writable by group/others."""
    if os.name != "posix":
        return False
    return st.st_uid != os.getuid() or bool(st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def trusted(path: str) -> bool:
    """*path* exists and only we can write it."""
    try:
        return not is_unsafe(os.stat(path))
    except OSError:
        return False


def check_root(path: str) -> None:
    """Raise unless *path* is a directory only we can write (hit path: one stat)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return  # nothing cached yet; build.ensure_root creates it safely
    if not stat.S_ISDIR(st.st_mode):
        from .errors import ZigCacheError  # on error only: errors.py is not on the hit path
        raise ZigCacheError(f"zigimport cache {path} is not a directory; remove it or set ZIGIMPORT_CACHE_DIR")
    if is_unsafe(st):
        from .errors import ZigCacheError  # on error only: errors.py is not on the hit path
        raise ZigCacheError(
            f"zigimport cache {path} can be written by other users (owner uid {st.st_uid}, mode "
            f"{stat.filemode(st.st_mode)}), so code loaded from it cannot be trusted; "
            f"fix with 'chmod 700 {path}' (as its owner) or set ZIGIMPORT_CACHE_DIR to a private directory"
        )


def ensure_root(path: str) -> None:
    """Create the root with mode 0700 if missing, then check it (build path)."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    check_root(path)


def entries_dir(root_path: str) -> str:
    return os.path.join(root_path, LAYOUT_VERSION)


def core_records_dir(root_path: str) -> str:
    return os.path.join(root_path, "zig_core")


def zig_cache_dirs(root_path: str) -> tuple[str, str]:
    """(global, local) cache directories for the Zig compiler."""
    return os.path.join(root_path, "zig", "global"), os.path.join(root_path, "zig", "local")
