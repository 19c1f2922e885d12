"""A cross-compiled Windows wheel (docs/wheels.md, "Windows"): x86_64-windows-gnu, inspected with pefile.

We cannot load it here; what is verified is what a loader on Windows needs: a PE32+ DLL for AMD64 that exports
``PyInit_<name>``, imports from ``python3XY.dll`` exactly the C-API symbols the same module leaves undefined when
built for Linux (none silently dropped; through the import library zigimport makes with ``zig dlltool``,
zigimport/integrations/windows_implib.py), and otherwise only from the Universal CRT and the system DLLs every
process has (kernel32, ntdll).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pefile
import pytest

from support import hatch_entry_point
from test_wheels import EXAMPLE, PY, _env

IMAGE_FILE_MACHINE_AMD64 = 0x8664
IMAGE_FILE_DLL = 0x2000


def windows_cache() -> str:
    """A zigimport cache kept between runs for these builds (``ZIGIMPORT_TEST_WINDOWS_CACHE``, default
    ``~/.cache/zigimport-tests/windows-cache``): the first Windows link builds Zig's MinGW C runtime and
    compiler_rt into the cache's Zig cache (minutes); later runs reuse them (content-keyed, never stale: an edit
    of the module, zig_core or the toolchain is a new entry and a real compile)."""
    from zigimport.integrations import cache_entries

    folder = os.environ.get("ZIGIMPORT_TEST_WINDOWS_CACHE") or str(Path.home() / ".cache" / "zigimport-tests" / "windows-cache")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    for entry in cache_entries.entries(folder):  # earlier runs' modules (their temp folders are gone); Zig's cache stays
        if entry.complete and not entry.source_exists:
            cache_entries.remove(entry)  # skipped while a build holds the entry's lock
    return folder


@pytest.fixture(scope="module")
def windows_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's wheel for x86_64-windows: its hook switched to Debug (what is inspected does not depend on
    the mode) and its `kernels` module only (the schema module's Windows build adds minutes to the suite; its
    link is the same: the import library, -lc, dladdr)."""
    root = tmp_path_factory.mktemp("windows")
    project = root / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "dist", "__pycache__", "*.pyi", "*.so",
                                                                    "*.zig.json"))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('release-mode = "ReleaseFast"', 'release-mode = "Debug"'))
    env = dict(_env(hatch_entry_point(root / "entry")), ZIGIMPORT_WHEEL_TARGET="x86_64-windows", ZIGIMPORT_CACHE_DIR=windows_cache())
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(root / "dist"), str(project)], env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = (root / "dist").glob("*.whl")
    return path


def test_windows_wheel_imports_only_python_dll_and_exports_pyinit(windows_wheel: Path, tmp_path: Path) -> None:
    from zigimport.integrations import windows_implib

    assert windows_wheel.name == f"fastwheel-0.1.0-cp{PY}-cp{PY}-win_amd64.whl"
    z = zipfile.ZipFile(windows_wheel)
    assert {"fastwheel/kernels.pyi", "fastwheel/py.typed"} <= set(z.namelist())
    dll = f"python{sys.version_info[0]}{sys.version_info[1]}.dll"
    for tail in ("kernels",):
        pe = pefile.PE(data=z.read(f"fastwheel/{tail}.cp{PY}-win_amd64.pyd"))
        assert pe.FILE_HEADER.Machine == IMAGE_FILE_MACHINE_AMD64 and pe.FILE_HEADER.Characteristics & IMAGE_FILE_DLL
        assert pe.OPTIONAL_HEADER.Magic == 0x20B  # PE32+
        exported = {s.name.decode() for s in pe.DIRECTORY_ENTRY_EXPORT.symbols if s.name}
        assert f"PyInit_{tail}" in exported, exported
        imports = {e.dll.decode().lower(): {i.name.decode() for i in e.imports} for e in pe.DIRECTORY_ENTRY_IMPORT}
        assert dll in imports and all(_system_or_crt(d) for d in set(imports) - {dll}), sorted(imports)
        assert all(n.startswith(("Py", "_Py")) for n in imports[dll]), imports[dll]
        assert {"PyModuleDef_Init", "PyExc_TypeError"} <= imports[dll]  # a function, and data through __imp_


def _system_or_crt(dll: str) -> bool:
    """The Universal CRT (the C runtime CPython itself uses) and the DLLs every Windows process has."""
    return dll.startswith("api-ms-win-crt-") or dll in ("kernel32.dll", "ntdll.dll")


def test_every_c_api_symbol_is_imported_none_dropped(tmp_path: Path) -> None:
    """The DLL imports exactly what the same module leaves undefined when built for Linux (Debug: cheap)."""
    from zigimport import loader, settings as settings_mod
    from zigimport.entry import Entry
    from zigimport.integrations import windows_implib
    from zigimport.integrations.wheels import build_modules, parse_target

    source = tmp_path / "winmod.zig"
    source.write_text(MODULE)
    (built,) = build_modules([str(source)], "Debug", parse_target("x86_64-windows"), cache_dir=windows_cache())
    assert built.wheel_path == f"winmod.cp{PY}-win_amd64.pyd"
    pe = pefile.PE(built.artifact)
    tables = {e.dll.decode().lower(): e for e in pe.DIRECTORY_ENTRY_IMPORT}
    assert all(_system_or_crt(d) for d in set(tables) - {f"python{PY}.dll"}), sorted(tables)
    imported = {i.name.decode() for i in tables[f"python{PY}.dll"].imports}
    base = settings_mod.resolve(settings_mod.Overrides(release_mode="Debug", cache_dir=windows_cache()))
    native = loader.resolve(Entry("winmod", str(source), settings_mod.Settings("Debug", False, True, base.cache_dir,
                                                                                 base.lock_timeout, "off")))
    assert imported == set(windows_implib.c_api_names(native)), imported ^ set(windows_implib.c_api_names(native))
    assert {"PyList_New", "_Py_NoneStruct", "PyExc_ValueError"} <= imported


MODULE = """\
const py = @import("zig_core");

pub fn pair(a: i64) !py.List.Owned {
    if (a < 0) return py.raise(.ValueError, "negative: {d}", .{a});
    const l = try py.List.new();
    try l.append(a);
    try l.append(@as(?i64, null));
    return l;
}

comptime {
    py.module(@This());
}
"""


def test_def_text_marks_data_symbols() -> None:
    from zigimport.integrations.windows_implib import def_text, python_dll

    text = def_text(["PyExc_TypeError", "PyLong_FromLongLong", "PyList_Type", "_Py_NoneStruct", "_Py_Dealloc"],
                    python_dll((3, 12)))
    assert text == ("LIBRARY python312.dll\nEXPORTS\n    PyExc_TypeError DATA\n    PyLong_FromLongLong\n"
                    "    PyList_Type DATA\n    _Py_NoneStruct DATA\n    _Py_Dealloc\n")
