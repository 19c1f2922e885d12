"""Where the Zig compiler and the zig_core library are, and which Zig this is.

The compiler always comes from the ``ziglang`` wheel installed for this
interpreter, never from a ``zig`` on PATH: the cache key and the supported
version depend on knowing exactly which compiler built a binary.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import PathFinder

from .errors import ZigToolchainError

SUPPORTED_ZIG = (0, 17)
INSTALL_HINT = "pip install 'ziglang>=0.17,<0.18'"

_ZIG_EXE = "zig.exe" if os.name == "nt" else "zig"
_binary: str | None = None  # found once per process; a missing wheel is re-looked-up each time


def zig_binary() -> str:
    """Path of the compiler inside the ``ziglang`` package, found without importing it."""
    global _binary
    if _binary is None:
        spec = PathFinder.find_spec("ziglang")
        locations = spec.submodule_search_locations if spec is not None else None
        candidate = os.path.join(locations[0], _ZIG_EXE) if locations else None
        if candidate is None or not os.path.isfile(candidate):
            raise ZigToolchainError(
                f"zigimport needs the Zig compiler from the 'ziglang' package, which is not installed "
                f"for {sys.executable}; install it with: {INSTALL_HINT}"
            )
        _binary = candidate
    return _binary


def toolchain_identity() -> str:
    """Cheap stand-in for the Zig version in cache keys: the binary's path, size and mtime.

    Upgrading or reinstalling ``ziglang`` replaces the binary, so this
    changes whenever the version can have changed, without running ``zig``.
    """
    binary = zig_binary()
    st = os.stat(binary)
    return f"{binary}:{st.st_size}:{st.st_mtime_ns}"


def zig_core_dir() -> str:
    """The zig_core library, installed beside the ``zigimport`` package (wheel and editable)."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(os.path.dirname(here), "zig_core")
    if not os.path.isfile(os.path.join(path, "zig_core.zig")):
        raise ZigToolchainError(f"zig_core is missing from the zigimport installation (looked in {path}); reinstall zigimport")
    return path


def zig_version(binary: str) -> str:
    """Run ``zig version`` (build path only) and check it is a supported release."""
    import subprocess

    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise ZigToolchainError(f"cannot run the Zig compiler {binary}: {exc}; reinstall it with: {INSTALL_HINT}") from None
    try:
        major, minor = (int(p) for p in out.split(".")[:2])
    except ValueError:
        major, minor = -1, -1
    if (major, minor) != SUPPORTED_ZIG:
        want = ".".join(map(str, SUPPORTED_ZIG))
        raise ZigToolchainError(f"zigimport supports Zig {want}.x but the 'ziglang' package provides Zig {out}; {INSTALL_HINT}")
    return out
