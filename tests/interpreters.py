"""Locating other CPython versions on this machine, and venvs with zigimport installed for them."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support import REPO


def find_python(minor: int) -> str | None:
    """A working python3.<minor> executable (pyenv's real binaries first: its shims may refuse to run)."""
    candidates: list[str] = []
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        root = ""
    if root:
        candidates += sorted(glob.glob(os.path.join(root, "versions", f"3.{minor}.*", "bin", f"python3.{minor}")), reverse=True)
    candidates += [p for p in (shutil.which(f"python3.{minor}"), f"/usr/bin/python3.{minor}", f"/usr/local/bin/python3.{minor}") if p]
    for exe in candidates:
        try:
            out = subprocess.run([exe, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if out.returncode == 0 and out.stdout.strip() == f"(3, {minor})":
            return exe
    return None


def venv_with_zigimport(python: str, where: Path, extras: str = "") -> Path:
    """A venv for *python* with this checkout installed editable (as the README says) plus pytest."""
    venv = where / f"venv-{Path(python).name}"
    vpy = venv / "bin" / "python"
    if not vpy.exists():
        # No pip of its own (ensurepip is the slow part of a venv): this interpreter's pip installs into it.
        subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "pip", "--python", str(vpy), "install", "-q", "-e", f"{REPO}{extras}",
                        "pytest"], check=True, capture_output=True, timeout=1800)
    return vpy


OTHER_MINORS = [m for m in (10, 11, 12, 13) if m != sys.version_info[1]]
