"""The import library a Windows extension links against: ``python3XY.dll``'s C API, made by ``zig dlltool``.

A Windows DLL cannot leave symbols for the loader to find in whatever process loads it: each import names
its DLL, through an import library at link time.  CPython's ``python3XY.lib`` comes with a Windows install,
not here, so the wheel build writes a module-definition (``.def``) file naming the C-API symbols the module
uses -- the undefined ``Py*``/``_Py*`` symbols of this machine's (ELF) build of the same module -- and has
Zig turn it into an import library.  Data symbols (``PyExc_*``, ``Py*_Type``, ``_Py_*Struct``) are marked
``DATA``: only their ``__imp_`` pointer is defined, which the MinGW linker substitutes for the ``.refptr``
indirection LLVM emits for extern variables; static data that points at C-API data (a type's base, say) needs
runtime pseudo-relocations, which the MinGW C runtime linked with ``-lc`` applies when the DLL loads.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile

from .. import toolchain

# dladdr() for Windows (zig_core asks it which binary an address is in; Windows has none): linked into each module.
DLADDR_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "windows", "dladdr.c")

# The C API's data (everything else it exports is a function): zig_core's ``extern var``s, ``exc(...)`` and
# ``typeObject(...)`` in zig_core/src/capi.zig.
_DATA = re.compile(r"^(PyExc_\w+|\w+_Type|_Py_\w+Struct|_Py_EllipsisObject)$")


def python_dll(version: tuple[int, int]) -> str:
    """``python311.dll`` for (3, 11): the DLL a version-specific extension imports from."""
    return f"python{version[0]}{version[1]}.dll"


def c_api_names(elf_binary: str) -> list[str]:
    """The C-API symbols *elf_binary* (a Linux build of the module) leaves undefined, sorted."""
    from ..diagnostics.elf import ElfFile

    return sorted({n for n in ElfFile(elf_binary).undefined_dynamic_symbols() if n.startswith(("Py", "_Py"))})


def def_text(names: list[str], dll: str) -> str:
    """The module-definition file for *dll* exporting *names* (data symbols marked ``DATA``)."""
    lines = [f"LIBRARY {dll}", "EXPORTS"]
    lines += [f"    {n} DATA" if _DATA.match(n) else f"    {n}" for n in names]
    return "\n".join(lines) + "\n"


def import_library(names: list[str], dll: str, cache_root: str) -> str:
    """An x86_64 import library for *dll* with *names*, kept in the cache under a digest of its ``.def`` text
    (so the path, which is in the module's cache key, changes exactly when the symbols do)."""
    text = def_text(names, dll)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    folder = os.path.join(cache_root, "windows-implib", digest)
    lib = os.path.join(folder, dll[:-len(".dll")] + ".lib")
    if os.path.isfile(lib):
        return lib
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        def_file = os.path.join(tmp, "exports.def")
        with open(def_file, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(tmp, "out.lib")
        proc = subprocess.run([toolchain.zig_binary(), "dlltool", "-d", def_file, "-l", out, "-m", "i386:x86-64"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            from ..errors import ZigToolchainError

            raise ZigToolchainError(f"zig dlltool could not make the import library of {dll}:\n{proc.stderr}")
        os.replace(out, lib)  # atomic: a concurrent build sees the whole file or none
    return lib
