"""C inputs of a build: the compiler flags a configuration adds, and every file the C side reads.

* :func:`root_args` -- ``-I``, ``-D``, ``-mcpu`` and the C sources (each with its own
  ``-cflags``) for the root module; :func:`link_args` -- ``-lc`` and ``-l<lib>``.
* :func:`dependencies` -- the files a C source or header reaches through ``#include``,
  asked of the compiler (``zig cc -MM``, clang's dependency output), never guessed.
  Headers in the system's include directories are left out (``-MM``): a package
  upgrade of ``zlib1g-dev`` is the system's business, and tracking ``stdio.h``'s
  forty includes would cost forty ``stat`` calls on every cache hit.
* :func:`explain` -- a missing header or library, named, with the Debian/Ubuntu
  package that usually provides it.

Build path only.
"""

from __future__ import annotations

import os
import re
import subprocess

from .config import BuildConfig

__all__ = ["dependencies", "explain", "link_args", "parse_depfile", "root_args", "define_flags"]

# The -dev package that usually ships a header or a library, on Debian and Ubuntu.
_DEB_LIBS = {
    "z": "zlib1g-dev", "m": "libc6-dev", "dl": "libc6-dev", "pthread": "libc6-dev", "rt": "libc6-dev",
    "sqlite3": "libsqlite3-dev", "ssl": "libssl-dev", "crypto": "libssl-dev", "png": "libpng-dev",
    "jpeg": "libjpeg-dev", "bz2": "libbz2-dev", "lzma": "liblzma-dev", "zstd": "libzstd-dev", "ffi": "libffi-dev",
    "curl": "libcurl4-openssl-dev", "xml2": "libxml2-dev", "yaml": "libyaml-dev", "uv": "libuv1-dev",
    "gmp": "libgmp-dev", "openblas": "libopenblas-dev", "blas": "libblas-dev", "lapack": "liblapack-dev",
    "readline": "libreadline-dev", "ncurses": "libncurses-dev", "uuid": "uuid-dev", "fftw3": "libfftw3-dev",
    "sodium": "libsodium-dev", "lz4": "liblz4-dev", "expat": "libexpat1-dev", "pq": "libpq-dev",
    "gsl": "libgsl-dev", "archive": "libarchive-dev", "event": "libevent-dev", "pcre2-8": "libpcre2-dev",
    "hdf5": "libhdf5-dev", "sdl2": "libsdl2-dev", "SDL2": "libsdl2-dev", "glfw": "libglfw3-dev", "GL": "libgl-dev",
}
_DEB_HEADERS = {
    "zlib.h": "zlib1g-dev", "zconf.h": "zlib1g-dev", "sqlite3.h": "libsqlite3-dev", "openssl/": "libssl-dev",
    "png.h": "libpng-dev", "jpeglib.h": "libjpeg-dev", "bzlib.h": "libbz2-dev", "lzma.h": "liblzma-dev",
    "zstd.h": "libzstd-dev", "ffi.h": "libffi-dev", "curl/": "libcurl4-openssl-dev", "libxml/": "libxml2-dev",
    "yaml.h": "libyaml-dev", "uv.h": "libuv1-dev", "gmp.h": "libgmp-dev", "cblas.h": "libopenblas-dev",
    "lapacke.h": "liblapacke-dev", "readline/": "libreadline-dev", "ncurses.h": "libncurses-dev",
    "curses.h": "libncurses-dev", "uuid/uuid.h": "uuid-dev", "fftw3.h": "libfftw3-dev", "sodium.h": "libsodium-dev",
    "lz4.h": "liblz4-dev", "expat.h": "libexpat1-dev", "libpq-fe.h": "libpq-dev", "gsl/": "libgsl-dev",
    "archive.h": "libarchive-dev", "event2/": "libevent-dev", "pcre2.h": "libpcre2-dev", "hdf5.h": "libhdf5-dev",
    "SDL2/": "libsdl2-dev", "GLFW/": "libglfw3-dev", "GL/": "libgl-dev",
}
_MISSING_HEADER = re.compile(r"^(?P<where>\S.*?:\d+:\d+): (?:fatal )?error: '(?P<header>[^']+)' (?:file )?not found", re.M)
_MISSING_LIB = re.compile(r'unable to find (?:dynamic |static )?system library "(?P<lib>[^"]+)"')


def define_flags(cfg: BuildConfig) -> list[str]:
    """``.defines`` as ``-DNAME`` / ``-DNAME=value`` flags."""
    return [f"-D{name}" if value is None else f"-D{name}={value}" for name, value in cfg.defines]


def _cpu_flags(cfg: BuildConfig) -> list[str]:
    return [] if cfg.cpu == "native" else [f"-mcpu={cfg.cpu}"]


def root_args(cfg: BuildConfig) -> list[str]:
    """Per-module options for the root module (they must come before its ``-M``)."""
    args = [*_cpu_flags(cfg), *(f"-I{d}" for d in cfg.include_dirs), *define_flags(cfg), *cfg.flags]
    for src in cfg.c_sources:
        args += ["-cflags", *src.flags, "--", src.path]  # -cflags applies to the C files that follow it
    return args


def link_libc(cfg: BuildConfig) -> bool:
    """Whether to link libc: as declared, else whenever anything C is involved."""
    return cfg.link_libc if cfg.link_libc is not None else cfg.uses_c


def link_args(cfg: BuildConfig) -> list[str]:
    """``-l<lib>`` for every system library; ``-lc++`` when a C++ source is compiled in."""
    cxx = any(src.path.endswith((".cc", ".cpp", ".cxx", ".c++", ".C")) for src in cfg.c_sources)
    return [f"-l{lib}" for lib in cfg.system_libs] + (["-lc++"] if cxx else [])


def parse_depfile(text: str) -> list[str]:
    """The prerequisites in a Makefile dependency rule (``target: a.c b.h \\``), unescaped."""
    text = text.replace("\\\n", " ").replace("\\\r\n", " ")
    out: list[str] = []
    for rule in text.splitlines():
        _, sep, rest = rule.partition(": ")
        if not sep:
            continue
        for word in re.findall(r"(?:\\.|[^\s\\])+", rest):
            out.append(re.sub(r"\\(.)", r"\1", word).replace("$$", "$"))
    return out


def dependencies(binary: str, path: str, args: list[str], *, env: dict[str, str], cwd: str,
                 language: str | None = None) -> tuple[list[str], str | None]:
    """The files *path* reads through ``#include`` (itself first), and the compiler's error if any.

    *args* are the flags it is compiled with (``-I``, ``-D``, ``-mcpu``, its own cflags).
    """
    cmd = [binary, "cc", "-MM", "-MF", "-", *(["-x", language] if language else []), *args, path]
    proc = subprocess.run(cmd, capture_output=True, cwd=cwd, env=env)
    if proc.returncode != 0:
        return [path], (proc.stderr.decode("utf-8", "replace") + proc.stdout.decode("utf-8", "replace")).strip()
    found = [os.path.normpath(os.path.join(cwd, p)) for p in parse_depfile(proc.stdout.decode("utf-8", "replace"))]
    lib_dir = _zig_lib_dir(binary)
    files = [path] + [p for p in found if p != path and not p.startswith(lib_dir)]
    return list(dict.fromkeys(files)), None


def _zig_lib_dir(binary: str) -> str:
    return os.path.join(os.path.dirname(binary), "lib") + os.sep


def debian_package_for_header(header: str) -> str | None:
    """The Debian/Ubuntu -dev package that usually ships *header* (``"zlib.h"``, ``"openssl/ssl.h"``), if known."""
    for key, pkg in _DEB_HEADERS.items():
        if header == key or (key.endswith("/") and header.startswith(key)):
            return pkg
    return None


def explain(diagnostics: str) -> str | None:
    """A one-line explanation for a missing header or library in *diagnostics*, or None."""
    m = _MISSING_HEADER.search(diagnostics)
    if m is not None:
        header = m["header"]
        pkg = debian_package_for_header(header)
        how = (f"on Debian/Ubuntu it is usually in the {pkg} package (apt install {pkg})" if pkg else
               f"install the development package that provides it (on Debian/Ubuntu: apt-file search {header}) "
               f"or add its folder to .include_dirs")
        return f"C header {header!r} not found (included at {m['where']}): {how}"
    m = _MISSING_LIB.search(diagnostics)
    if m is not None:
        lib = m["lib"]
        pkg = _DEB_LIBS.get(lib)
        how = (f"on Debian/Ubuntu it is usually in the {pkg} package (apt install {pkg})" if pkg else
               f"install the development package that provides lib{lib}.so (on Debian/Ubuntu: apt-file search lib{lib}.so)")
        return f"system library {lib!r} (-l{lib}) not found: {how}"
    return None

