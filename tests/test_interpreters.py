"""The suite on the other CPython versions installed here (3.10-3.13), each in its own venv."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from interpreters import OTHER_MINORS, find_python, venv_with_zigimport
from support import REPO

# Interpreter-sensitive suites: ABI tags, loading and entry keys; conversions and reference
# counting (inlined per version: 3.12+ has immortal objects), heap types and GC.
# numpy-free, so no extra installs.
SUITES = ["tests/test_import_hook.py", "tests/test_cache.py", "tests/test_conversions.py", "tests/test_leaks.py",
          "tests/test_classes.py", "tests/test_values.py"]


@pytest.fixture(scope="session")
def venvs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("venvs")


@pytest.mark.parametrize("minor", OTHER_MINORS, ids=[f"3.{m}" for m in OTHER_MINORS])
def test_suite_passes_on_other_interpreter(minor: int, venvs_dir: Path, zigimport_cache: Path) -> None:
    python = find_python(minor)
    if python is None:
        pytest.skip(f"CPython 3.{minor} is not installed on this machine")
    vpy = venv_with_zigimport(python, venvs_dir)
    env = {**os.environ, "ZIGIMPORT_TEST_CACHE_DIR": str(zigimport_cache)}  # share Zig's compiler_rt build
    proc = subprocess.run([str(vpy), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SUITES],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and " failed" not in proc.stdout
