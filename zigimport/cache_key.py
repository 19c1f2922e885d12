"""Cache keys: which entry a module belongs to, and which build is current.

Two levels, so a cache hit never hashes more than it must:

* the **entry key** names a directory and is computed from cheap facts:
  resolved source path, module name, release mode, Zig toolchain identity,
  Python implementation/version/ABI, platform and CPU, and the compiler
  flags.  Same-named modules in two folders differ by path.
* the **build id** names the binary inside the entry and covers the content
  of every input file (the module, its local ``@import``/``@embedFile``
  graph, zig_core's sources); the manifest records it with each input's
  stat signature so an unchanged tree is confirmed with stats alone.
"""

import os
import sys

import _frozen_importlib_external  # importlib.machinery without importing the importlib package (and warnings)

EXTENSION_SUFFIX = _frozen_importlib_external.EXTENSION_SUFFIXES[0]

# Flags that shape every binary (zig build-lib ...); -O and paths are added by build/locked_build.py.
BASE_ZIG_FLAGS = ("build-lib", "-dynamic", "-fallow-shlib-undefined")
# Per mode.  ReleaseSafe keeps Zig's error return traces (Debug has them anyway), so an
# error reaching Python carries the Zig frames it came through.  Debug targets the baseline
# CPU: Zig's self-hosted backend (used for Debug) uses AVX registers without `vzeroupper`
# on return, and the dirty AVX state made unrelated C code in the process up to 7x slower.
MODE_ZIG_FLAGS = {"Debug": ("-mcpu=baseline",), "ReleaseSafe": ("-ferror-tracing",), "ReleaseFast": (), "ReleaseSmall": ()}
# Flags of the zig_core module alone (they go before its -M).  In the release modes it is built
# without debug info: the DWARF of the wrappers and zig_core's shared code was ~0.4 s (ReleaseSafe)
# and ~0.6 s (ReleaseFast) of a 100-function module's CPU time (docs/build-performance.md).  The
# user's module, root and std keep theirs, so error return traces and panic reports keep the
# user's and std's file:line; only zig_core's own frames show as bare addresses.  Zig 0.17's code
# generator crashes when an unstripped module's `inline fn` is inlined into a stripped one
# (std.atomic.Value.swap did, in panic.zig); build/locked_build.py compiles again without this
# flag if the compiler dies of a signal.  Debug stays as it is (Zig's own backend, for debugging).
ZIG_CORE_FLAGS: "dict[str, tuple[str, ...]]" = {
    "ReleaseSafe": ("-fstrip",), "ReleaseFast": ("-fstrip",), "ReleaseSmall": ("-fstrip",),
}
KEY_FORMAT = "2"

# Two 64-bit primes for the entry key's hash (see key_hash).
_P1 = 0xFFFFFFFFFFFFFFC5
_P2 = 0xFFFFFFFFFFFFFF43

_cpu: str | None = None


def digest(data: bytes) -> str:
    """BLAKE2b-128 of *data* in hex: content digests and build ids (build path and changed inputs only)."""
    try:  # the C module directly: ``hashlib`` costs ~2 ms to import (OpenSSL); imported on first use
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython builds without _blake2
        from hashlib import blake2b
    return blake2b(data, digest_size=16).hexdigest()


def key_hash(text: str) -> str:
    """A 128-bit hash of the entry key text, for the entry's directory name.

    Not cryptographic, and it need not be: the manifest stores the full key
    text and a hit compares it exactly, so two keys sharing a directory only
    cost a rebuild, never a wrong binary.  Two bignum remainders (C speed)
    avoid importing ``_blake2`` (~0.3 ms) into every process that imports a module.
    """
    n = int.from_bytes(text.encode("utf-8", "surrogateescape"), "little") * 257 + len(text)
    return f"{n % _P1:016x}{n % _P2:016x}"


def file_digest(path: str) -> str:
    with open(path, "rb") as f:
        return digest(f.read())


def python_abi() -> str:
    """Everything about the running interpreter that changes the extension ABI."""
    abiflags = getattr(sys, "abiflags", "")
    return f"{sys.implementation.cache_tag}|{sys.version_info[0]}.{sys.version_info[1]}|{abiflags}|{EXTENSION_SUFFIX}"


def cpu_identity() -> str:
    """The CPU model and features: Zig targets the native CPU, so a shared
    cache (NFS home on a cluster) must not hand an AVX-512 binary to an older CPU.

    On Linux ``/sys/devices/system/cpu/modalias`` lists vendor, family, model and
    every feature bit in one small file (/proc/cpuinfo, the same facts, takes
    ~0.15 ms for the kernel to produce); /proc/cpuinfo is the fallback.
    """
    global _cpu
    if _cpu is None:
        ident = ""
        if sys.platform.startswith("linux"):
            try:
                fd = os.open("/sys/devices/system/cpu/modalias", os.O_RDONLY)
                try:
                    ident = os.read(fd, 65536).decode("ascii", "replace").strip()
                finally:
                    os.close(fd)
            except OSError:
                try:
                    with open("/proc/cpuinfo", "rb") as f:
                        head = f.read(16384).split(b"\n\n", 1)[0]  # first processor's block only
                    ident = digest(b"\n".join(l for l in head.splitlines() if l.startswith((b"model name", b"flags", b"Features", b"CPU part"))))
                except OSError:
                    pass
        _cpu = f"{sys.platform}|{os.uname().machine if hasattr(os, 'uname') else ''}|{ident}"
    return _cpu


def entry_key_text(source: str, fullname: str, release_mode: str, toolchain: str, variant: str = "") -> str:
    """Every fact the entry key covers, as one line (the manifest records it; a hit compares it)."""
    flags = " ".join(BASE_ZIG_FLAGS + MODE_ZIG_FLAGS[release_mode] + ZIG_CORE_FLAGS.get(release_mode, ()))
    fields: "tuple[str, ...]" = (KEY_FORMAT, source, fullname, release_mode, toolchain, python_abi(), cpu_identity(), flags)
    if variant:  # a specialisation (specialize/); plain imports keep their keys
        fields += (variant,)
    return "\0".join(fields)


def entry_key(source: str, fullname: str, release_mode: str, toolchain: str, variant: str = "") -> str:
    return key_hash(entry_key_text(source, fullname, release_mode, toolchain, variant))


def variant(extra_modules: tuple[tuple[str, str], ...], extra_flags: tuple[str, ...]) -> str:
    """What a specialisation adds to the entry key: each generated module's name and text, and the extra flags."""
    if not extra_modules and not extra_flags:
        return ""
    parts = [f"module {name} {digest(text.encode())}" for name, text in extra_modules]
    return "\0".join(parts + ["flags " + " ".join(extra_flags)])


def build_id(entry: str, inputs: list[tuple[str, str]]) -> str:
    """Content key of one build: the entry key plus (path, content digest) of every input."""
    text = "\0".join([entry] + [f"{path}\0{sha}" for path, sha in sorted(inputs)])
    return digest(text.encode())
