"""zig_core ships with the package: in the wheel, and beside zigimport in editable installs."""

from __future__ import annotations

import zipfile
from pathlib import Path

from support import REPO

import zigimport
from zigimport import toolchain


def test_wheel_contains_zig_core_beside_the_package(zigimport_wheel: Path) -> None:
    names = set(zipfile.ZipFile(zigimport_wheel).namelist())
    zig_sources = {str(p.relative_to(REPO)) for p in (REPO / "zig_core").rglob("*.zig")}
    assert zig_sources and zig_sources <= names
    py_sources = {str(p.relative_to(REPO)) for p in (REPO / "zigimport").rglob("*.py")}
    # Subpackages too (build/, diagnostics/): a wheel missing one fails only on a cache miss or an error.
    assert {"zigimport/__init__.py", "zigimport/build/__init__.py", "zigimport/diagnostics/zig_trace.py"} <= py_sources
    assert py_sources <= names


def test_installed_package_finds_zig_core() -> None:
    core = Path(toolchain.zig_core_dir())
    assert core.parent == Path(zigimport.__file__).parent.parent
    assert (core / "zig_core.zig").is_file()
