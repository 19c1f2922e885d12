"""Locating other CPython versions on this machine, and venvs with zigimport installed for them."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # also run as a script (run_suite)
from support import REPO  # noqa: E402


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


def shared_ziglang(where: Path) -> Path:
    """ziglang (the version this interpreter has) unpacked once into where/ziglang-site for every venv made by
    `venv_with_zigimport`: the wheel is pure (one binary for every CPython), 400 MB unpacked, and which
    interpreter runs it makes no difference to what the tests check."""
    from filelock import FileLock

    from support import _ziglang_requirement, offline_pip, wheelhouse

    site = where / "ziglang-site"
    with FileLock(str(where / ".ziglang-site.lock")):
        if not (site / ".done").exists():
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                            _ziglang_requirement()], check=True, capture_output=True, timeout=1800,
                           env={**os.environ, **offline_pip(wheelhouse())})
            (site / ".done").touch()
    return site


def venv_with_zigimport(python: str, where: Path, extras: str = "") -> Path:
    """A venv for *python* with this checkout installed editable (as the README says) plus pytest, from
    `support.wheelhouse` (no network once it is filled); ziglang is `shared_ziglang`'s, through a .pth file."""
    from support import offline_pip, wheelhouse

    venv = where / f"venv-{Path(python).name}"
    vpy = venv / "bin" / "python"
    if not vpy.exists():
        # No pip of its own (ensurepip is the slow part of a venv): this interpreter's pip installs into it.
        subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
        (next(venv.glob("lib/python3*/site-packages")) / "ziglang_shared.pth").write_text(f"{shared_ziglang(where)}\n")
        subprocess.run([sys.executable, "-m", "pip", "--python", str(vpy), "install", "-q", "-e", f"{REPO}{extras}",
                        "pytest"], check=True, capture_output=True, timeout=1800,
                       env={**os.environ, **offline_pip(wheelhouse("pytest", python=str(vpy)))})
    return vpy


OTHER_MINORS = [m for m in (10, 11, 12, 13) if m != sys.version_info[1]]


# The files holding per_interpreter tests; numpy-free, so the venvs need nothing but zigimport and pytest.
SUITE = ["-m", "per_interpreter", *(f"tests/{name}.py" for name in ("test_import_hook", "test_layout", "test_conversions",
                                                                     "test_classes", "test_values", "test_leaks", "test_zetaclass",
                                                                     "test_schema_native"))]


def result_files(where: Path, minor: int) -> tuple[Path, Path]:
    """(log, returncode file) of the run on 3.<minor>; the returncode file appears when the run is over
    (it holds "missing" if that interpreter is not installed)."""
    return where / f"suite-3.{minor}.log", where / f"suite-3.{minor}.rc"


def run_suite(minor: int, where: Path) -> None:
    """Set up the venv for 3.<minor> and run the per_interpreter tests there (log and returncode into *where*).
    Runs as its own process (``python tests/interpreters.py MINOR DIR``), started by tests/conftest.py."""
    log, rc = result_files(where, minor)

    def finish(result: str) -> None:  # atomically: the tests wait for this file to appear
        rc.with_suffix(".tmp").write_text(result)
        os.replace(rc.with_suffix(".tmp"), rc)

    python = find_python(minor)
    if python is None:
        finish("missing")
        return
    with open(log, "wb") as out:
        try:
            vpy = venv_with_zigimport(python, where)
            # -o addopts= : no xdist there (not installed in these venvs; the runs side by side are the parallelism).
            code = subprocess.run([str(vpy), "-m", "pytest", "-o", "addopts=", "-q", "-x", "-p", "no:cacheprovider",
                                   *SUITE], cwd=REPO, stdout=out, stderr=subprocess.STDOUT).returncode
        except subprocess.CalledProcessError as e:  # the venv could not be set up: say why
            out.write(f"setting up the venv failed: {e}\n".encode() + (e.stdout or b"") + (e.stderr or b""))
            code = 1
    finish(str(code))


if __name__ == "__main__":
    run_suite(int(sys.argv[1]), Path(sys.argv[2]))
