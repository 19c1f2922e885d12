"""Where the Zig compiler and the zig_core library are, and which Zig this is.

The compiler always comes from the ``ziglang`` wheel installed for this
interpreter, never from a ``zig`` on PATH: the cache key and the supported
version depend on knowing exactly which compiler built a binary.
"""

import os
import sys


SUPPORTED_ZIG = (0, 17)
INSTALL_HINT = "pip install 'ziglang>=0.17,<0.18'"

_ZIG_EXE = "zig.exe" if os.name == "nt" else "zig"
_binary: str | None = None  # found once per process; a missing wheel is re-looked-up each time
_core_dir: str | None = None
_identity: str | None = None


def zig_binary() -> str:
    """Path of the compiler inside the ``ziglang`` package, found without importing it.

    The ``ziglang`` installed beside zigimport (where pip puts a dependency),
    else the first ``ziglang/zig`` along ``sys.path`` (the package ``import
    ziglang`` would load).  One ``stat`` per place tried, where asking
    ``PathFinder`` lists directories (~0.2 ms in a fresh process).
    """
    global _binary
    if _binary is None:
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for entry in [here, *sys.path]:
            if not isinstance(entry, str):
                continue
            candidate = os.path.join(entry or os.curdir, "ziglang", _ZIG_EXE)
            if os.path.isfile(candidate):
                _binary = os.path.abspath(candidate)
                break
        else:
            from .errors import ZigToolchainError  # on error only: errors.py is not on the hit path
            raise ZigToolchainError(
                f"zigimport needs the Zig compiler from the 'ziglang' package, which is not installed "
                f"for {sys.executable}; install it with: {INSTALL_HINT}"
            )
    return _binary


def toolchain_identity() -> str:
    """Cheap stand-in for the Zig version in cache keys: the binary's path, size and mtime.

    Upgrading or reinstalling ``ziglang`` replaces the binary, so this
    changes whenever the version can have changed, without running ``zig``.
    """
    global _identity
    if _identity is None:  # once per process: a process keeps the compiler it started with
        binary = zig_binary()
        st = os.stat(binary)
        _identity = f"{binary}:{st.st_size}:{st.st_mtime_ns}"
    return _identity


def zig_core_dir() -> str:
    """The zig_core library, installed beside the ``zigimport`` package (wheel and editable); found once per process."""
    global _core_dir
    if _core_dir is None:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(os.path.dirname(here), "zig_core")
        if not os.path.isfile(os.path.join(path, "zig_core.zig")):
            from .errors import ZigToolchainError  # on error only: errors.py is not on the hit path
            raise ZigToolchainError(f"zig_core is missing from the zigimport installation (looked in {path}); reinstall zigimport")
        _core_dir = path
    return _core_dir


def zig_version(binary: str) -> str:
    """Run ``zig version`` (build path only) and check it is a supported release."""
    import subprocess

    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        from .errors import ZigToolchainError  # on error only: errors.py is not on the hit path
        raise ZigToolchainError(f"cannot run the Zig compiler {binary}: {exc}; reinstall it with: {INSTALL_HINT}") from None
    try:
        major, minor = (int(p) for p in out.split(".")[:2])
    except ValueError:
        major, minor = -1, -1
    if (major, minor) != SUPPORTED_ZIG:
        want = ".".join(map(str, SUPPORTED_ZIG))
        from .errors import ZigToolchainError  # on error only: errors.py is not on the hit path
        raise ZigToolchainError(f"zigimport supports Zig {want}.x but the 'ziglang' package provides Zig {out}; {INSTALL_HINT}")
    return out
