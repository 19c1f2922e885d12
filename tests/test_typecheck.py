"""The zigimport package passes mypy --strict (configured in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from support import REPO, mypy_code


def test_package_passes_mypy_strict() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Success: no issues found" in out.stdout


def test_py_typed_lets_mypy_strict_check_code_that_uses_zigimport(tmp_path: Path) -> None:
    """PEP 561: without py.typed, mypy --strict reports `import zigimport` as an untyped module."""
    assert (REPO / "zigimport" / "py.typed").is_file()
    user = """\
import zigimport
from zigimport.typing import BufferLike

finder = zigimport.install(release_mode="Debug", quiet=True)
zigimport.uninstall()
def passthrough(b: BufferLike) -> BufferLike:
    return b
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # found as an installed package is (not as a source file)
    ok = mypy_code(tmp_path, user, ["--strict"], env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = mypy_code(tmp_path, "import zigimport\nzigimport.install(release_mode=3)\n", ["--strict"], env=env)
    assert bad.returncode == 1 and 'Argument "release_mode" to "install" has incompatible type "int"' in bad.stdout


def test_wheel_ships_py_typed_and_the_typing_module(zigimport_wheel: Path) -> None:
    names = set(zipfile.ZipFile(zigimport_wheel).namelist())
    assert {"zigimport/py.typed", "zigimport/typing.py"} <= names


def test_typing_module_imports_nothing_heavy() -> None:
    out = subprocess.run([sys.executable, "-c", "import sys, zigimport.typing as t; print(t.BufferLike, "
                          "'numpy' in sys.modules, 'typing_extensions' in sys.modules)"],
                         capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    expected = "<class 'collections.abc.Buffer'>" if sys.version_info >= (3, 12) else "<class 'object'>"
    assert out.stdout.split() == [*expected.split(), "False", "False"], out.stdout + out.stderr
