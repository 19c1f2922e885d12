"""Whether a module needs Zig's compiler_rt, which most extensions do not (build path only).

Zig builds compiler_rt (integer and float helpers: ``__udivti3``,
``__fixunsdfti``, f16/f128 arithmetic, ...) once per cache, release mode and
CPU: 4-8 CPU-seconds, most of a first import on empty caches.  A typical
extension needs none of it beyond ``__zig_probe_stack``, which zig_core
supplies (zig_core/src/stack_probe.zig); ``memcpy``/``memset`` and libm come
from the Python process.  So a module is linked ``-fno-compiler-rt``, and the
binary's undefined symbols are checked: one that neither the process nor
libgcc_s can supply means compiler_rt may be needed, and the module is linked again
with it.  The entry remembers that (a ``compiler_rt`` marker file), so its
later builds link compiler_rt directly.

Debug builds (Zig's own x86_64 backend) call the standard helpers for 128-bit
integer division and f128 conversion (``__udivti3``, ``__extenddftf2``, ...),
which GCC's runtime ``libgcc_s.so.1`` provides under the same ABI; it is on
every glibc system and on the manylinux list of libraries an extension may
use (Rust extensions depend on it too), so it is linked where it exists.
"""

from __future__ import annotations

import os

from .. import log

MARKER = "compiler_rt"
FLAG = "-fno-compiler-rt"


_LIBGCC_DIRS = ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib")


def libgcc_s() -> str | None:
    """The system's ``libgcc_s.so.1`` (GCC's runtime: the standard integer and float helpers), if any."""
    if not os.uname().sysname == "Linux":
        return None
    for d in _LIBGCC_DIRS:
        path = os.path.join(d, "libgcc_s.so.1")
        if os.path.isfile(path):
            return path
    return None


def needed(entry_dir: str) -> bool:
    """An earlier build of this entry turned out to need compiler_rt."""
    return os.path.exists(os.path.join(entry_dir, MARKER))


def missing_symbols(binary: str) -> list[str]:
    """Symbols *binary* leaves undefined that neither this process nor libgcc_s supplies.

    Any of them may be compiler_rt's (``__udivti3``, but also ``sqrtq``, ``fmodq``, ...).  A symbol of
    a library the module links, or a user's misspelt ``extern``, is counted too: that costs one build
    with compiler_rt, after which the loader names whatever is still missing.
    """
    import ctypes

    from ..diagnostics.elf import ElfFile

    providers = [ctypes.CDLL(None)]
    if (gcc_runtime := libgcc_s()) is not None:
        providers.append(ctypes.CDLL(gcc_runtime))
    return [name for name in ElfFile(binary).undefined_dynamic_symbols()
            # _ITM_*: weak references of libc's crt files (-lc) to a transactional-memory runtime, never resolved
            if not name.startswith(("Py", "_Py", "__gmon", "_ITM_")) and not any(hasattr(p, name) for p in providers)]


def record_needed(entry_dir: str, source: str, missing: list[str]) -> None:
    log.info("%s needs compiler_rt (%s); linking it in", source, ", ".join(missing[:5]))
    with open(os.path.join(entry_dir, MARKER), "w", encoding="utf-8") as f:
        f.write(" ".join(missing) + "\n")
