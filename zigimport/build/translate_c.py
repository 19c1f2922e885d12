"""C headers translated into Zig modules with ``zig translate-c`` (Zig 0.17 has no ``@cImport``).

``.c_headers = .{ .zlib = "zlib.h" }`` makes ``@import("zlib")`` the translation
of ``#include <zlib.h>``.  A translation is cached under the zigimport root in
``translate-c/``, named by a digest of everything it depends on: the headers'
content (every file they ``#include``, from the compiler's dependency output),
the include paths, the defines, the target CPU and the Zig toolchain.  So the
same header set is translated once, however many modules use it.

The translator itself is a Zig program that Zig builds the first time it is
needed on a machine (about 40 s here, minutes on a busy machine); it is built
into the machine's Zig cache (``$ZIG_GLOBAL_CACHE_DIR`` or ``~/.cache/zig``),
not into zigimport's, so that it is built once per machine, not once per
zigimport cache.  zigimport says so on stderr while it happens.

Build path only.
"""

from __future__ import annotations

import os
import time

from .. import cache_key, log
from ..errors import ZigCompileError
from . import c_inputs, zig_process
from .config import BuildConfig

__all__ = ["Translation", "translate", "machine_zig_cache"]

class Translation:
    """A translated header module: its ``.zig`` file and the header files it was made from."""

    __slots__ = ("name", "path", "headers")

    def __init__(self, name: str, path: str, headers: list[str]) -> None:
        self.name = name
        self.path = path
        self.headers = headers


def machine_zig_cache() -> str:
    """Zig's own default global cache (where ``zig`` on the command line would build the translator)."""
    configured = os.environ.get("ZIG_GLOBAL_CACHE_DIR", "").strip()
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
    return os.path.join(base, "zig")


def _flags(cfg: BuildConfig) -> list[str]:
    cpu = [] if cfg.cpu == "native" else [f"-mcpu={cfg.cpu}"]
    return [*cpu, *(f"-I{d}" for d in cfg.include_dirs), *c_inputs.define_flags(cfg)]


def translate(cfg: BuildConfig, name: str, *, binary: str, toolchain: str, root: str, env: dict[str, str], cwd: str,
              quiet: bool, fullname: str, release_mode: str) -> Translation:
    """The Zig module for ``cfg.c_headers[name]``, translating it unless an identical translation is cached."""
    headers = cfg.c_headers[name]
    folder = os.path.join(root, "translate-c")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    wrapper_text = "".join(f'#include "{h}"\n' if not h.startswith("<") else f"#include {h}\n" for h in headers)
    wrapper = os.path.join(folder, f"{cache_key.digest(wrapper_text.encode())}.h")
    if not os.path.isfile(wrapper):
        _write_atomic(wrapper, wrapper_text.encode())
    flags = _flags(cfg)
    libc = ["-lc"] if c_inputs.link_libc(cfg) or any(h.startswith("<") for h in headers) else []

    def fail(diagnostics: str) -> ZigCompileError:
        shown = diagnostics.replace(wrapper, f"<c_headers.{name}>")
        explained = c_inputs.explain(shown)
        head = explained or f"zig translate-c could not translate .c_headers.{name} ({', '.join(headers)})"
        return ZigCompileError(f"{cfg.source}:{cfg.line}: {head}:\n{shown}", name=fullname, path=cfg.source,
                               diagnostics=shown, release_mode=release_mode)

    deps, error = c_inputs.dependencies(binary, wrapper, flags, env=env, cwd=cwd, language="c-header")
    if error is not None:
        raise fail(error)
    deps = [d for d in deps if d != wrapper]
    parts = [toolchain, wrapper_text, "\0".join(flags + libc)]
    for d in deps:
        parts.append(f"{d}\0{cache_key.file_digest(d)}")
    out = os.path.join(folder, f"{cache_key.digest(chr(0).join(parts).encode())}.zig")
    if os.path.isfile(out):
        log.debug("translation of .c_headers.%s is cached: %s", name, out)
        return Translation(name, out, deps)

    cmd = [binary, "translate-c", "--global-cache-dir", machine_zig_cache(), *libc, *flags, wrapper]
    log.info("translating .c_headers.%s (%s) with zig translate-c", name, ", ".join(headers))
    started = time.perf_counter()
    notice = None if quiet else (
        f"zigimport: translating C headers {', '.join(headers)} with zig translate-c; the first "
        f"translation on a machine builds the translator first (about 40 s, once per machine, "
        f"into {machine_zig_cache()})...")
    returncode, stdout, stderr = zig_process.run_with_notice(cmd, cwd=cwd, env=env, notice=notice, merge_stderr=False)
    if returncode != 0:
        raise fail(stderr.decode("utf-8", "replace").strip())
    log.info("translated .c_headers.%s in %.2f s", name, time.perf_counter() - started)
    _write_atomic(out, stdout)
    return Translation(name, out, deps)


def _write_atomic(path: str, data: bytes) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
