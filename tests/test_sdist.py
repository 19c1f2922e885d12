"""An sdist builds its Zig extensions on the installing machine (docs/wheels.md, "sdists").

``python -m build --sdist`` of examples/wheel_pkg gives an sdist holding the sources only; ``pip install <sdist>``
into a fresh venv builds its wheel there, in pip's isolated build environment (``build-system.requires``:
hatchling and zigimport, which brings ziglang), so the hatch hook compiles the modules on that machine, and the
installed package imports them without zigimport or ziglang in the venv.

zigimport is not on PyPI: the test builds its wheel from this checkout and hands it to pip with ``--find-links``.
The other build requirements (hatchling and its dependencies, ziglang, platformdirs, filelock) come from a
wheelhouse kept between runs (`support.wheelhouse`), filled once from PyPI with ``pip download``; the builds and
the install run with ``PIP_NO_INDEX``.  zigimport's wheel is the session's (`zigimport_wheel` in conftest.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from support import REPO, hatch_entry_point, offline_pip, wheelhouse

EXAMPLE = REPO / "examples" / "wheel_pkg"
PY = f"{sys.version_info[0]}{sys.version_info[1]}"


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of the installing machine: not this checkout on PYTHONPATH, no test settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZIGIMPORT_CACHE_DIR", "ZIG_RELEASEMODE")}
    env.update(extra)
    return env


def _run(args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 900) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def install_cache() -> str:
    """The installing user's zigimport cache, kept between runs (``ZIGIMPORT_TEST_SDIST_CACHE``, default
    ``~/.cache/zigimport-tests/sdist-cache``) as a user's is: Zig's compiler_rt is built into it once.  The
    modules still compile on every install -- the build environment's ziglang lives at a new temporary path each
    time, and that path is in the cache key -- and earlier runs' entries (their sources gone) are pruned."""
    from zigimport.integrations import cache_entries

    folder = os.environ.get("ZIGIMPORT_TEST_SDIST_CACHE") or str(Path.home() / ".cache" / "zigimport-tests" / "sdist-cache")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    for entry in cache_entries.entries(folder):
        if entry.complete and not entry.source_exists:
            cache_entries.remove(entry)
    return folder


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build --sdist`` of the example.  Without build isolation (hatchling resolves the project's build
    hooks even for an sdist, so the checkout's hook is registered as installing zigimport would, as in
    tests/test_wheels.py): an isolated sdist build would only install ziglang's 100 MB to run no hook at all."""
    root = tmp_path_factory.mktemp("sdist")
    project = root / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "dist", "__pycache__", "*.pyi", "*.so"))
    # Debug: the same extensions, built quicker on the "installing machine" below (the mode is the hook's option)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('release-mode = "ReleaseFast"', 'release-mode = "Debug"'))
    env = _clean_env(PYTHONPATH=os.pathsep.join([str(hatch_entry_point(root / "entry")), str(REPO)]))
    _run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--skip-dependency-check", "--outdir",
          str(root / "dist"), str(project)], env=env)
    (path,) = (root / "dist").glob("*.tar.gz")
    return path


def test_sdist_holds_sources_only(sdist: Path) -> None:
    assert sdist.name == "fastwheel-0.1.0.tar.gz"
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    for name in ("pyproject.toml", "PKG-INFO", "src/fastwheel/__init__.py", "src/fastwheel/kernels.zig",
                 "src/fastwheel/point.zig.json"):
        assert name in names, (name, sorted(names))
    assert not [n for n in names if n.endswith((".so", ".pyi", ".zigimport-prebuilt.json"))], sorted(names)
    pyproject = tarfile.open(sdist).extractfile("fastwheel-0.1.0/pyproject.toml")
    assert pyproject is not None and b'[tool.hatch.build.hooks.zigimport]' in pyproject.read()


def test_pip_install_of_the_sdist_builds_the_extensions_on_the_installing_machine(
        sdist: Path, zigimport_wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], timeout=120)
    python = venv / "bin" / "python"
    env = _clean_env(ZIGIMPORT_CACHE_DIR=install_cache())
    # --no-cache-dir: a wheel pip cached from an earlier run would skip the very build this test is about
    install = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-cache-dir", str(sdist)],
                   env=dict(env, **offline_pip(zigimport_wheel.parent, wheelhouse())))
    assert "Successfully installed fastwheel-0.1.0" in install.stdout, install.stdout

    check = _run([str(python), "-c", """
import importlib.util, pathlib, sys
# the build requirements lived in pip's isolated build environment: neither is in the venv
assert importlib.util.find_spec("zigimport") is None and importlib.util.find_spec("ziglang") is None
from fastwheel import kernels, point
for m in (kernels, point):
    assert m.__file__.endswith(f"-x86_64-linux-gnu.so") and "site-packages" in m.__file__, m.__file__
assert kernels.sum_squares([1.0, 2.0, 3.0]) == 14.0 and kernels.factorial(20) == 2432902008176640000
p = point.Point.from_json('{"x": 3, "y": 4}')
assert (p.x, p.y) == (3.0, 4.0) and p.to_json() == '{"x":3,"y":4}', p.to_json()
try:
    point.Point(x="a", y=1)
except point.SchemaValidationError as e:
    assert e.rule == "type"
else:
    raise AssertionError("no SchemaValidationError")
site = pathlib.Path(kernels.__file__).parent
assert (site / "kernels.pyi").is_file() and (site / "py.typed").is_file()
wheel_info = next(site.parent.glob("fastwheel-0.1.0.dist-info")) / "WHEEL"
print(wheel_info.read_text())
"""], env=env, cwd=tmp_path)
    # the wheel pip built from the sdist was tagged for this machine by the hook
    assert f"Tag: cp{PY}-cp{PY}-manylinux_2_17_x86_64" in check.stdout and "Root-Is-Purelib: false" in check.stdout, check.stdout
