"""The zigimport package passes mypy --strict (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from support import REPO


def test_package_passes_mypy_strict() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Success: no issues found" in out.stdout
