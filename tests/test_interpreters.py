"""The interpreter-specific tests on the other CPython versions installed here (3.10-3.13), each in its own venv.

Only tests marked ``per_interpreter`` run there (pyproject registers the marker): what depends on the
interpreter, i.e. ABI tags, loading and entry keys, import machinery, conversions and reference counting
(inlined per version: 3.12+ has immortal objects), heap types and GC.  Everything else is Python code
whose behaviour does not change with the version and is covered once by the main run.  The runs share
this run's zigimport cache (compiler_rt is built once; entries differ per interpreter anyway).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from interpreters import OTHER_MINORS, find_python, venv_with_zigimport
from support import REPO

# The files holding per_interpreter tests; numpy-free, so the venvs need nothing but zigimport and pytest.
SUITE = ["-m", "per_interpreter", *(f"tests/{name}.py" for name in ("test_import_hook", "test_layout",
                                                                     "test_conversions", "test_classes", "test_values",
                                                                     "test_leaks"))]

Runs = dict[int, tuple[subprocess.Popen[bytes], Path]]


@pytest.fixture(scope="session")
def venvs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("venvs")


@pytest.fixture(scope="session")
def other_interpreter_runs(venvs_dir: Path, zigimport_cache: Path) -> Iterator[Runs]:
    """The suites started on every other interpreter at once (each its own process and venv, the venvs
    set up side by side), so the runs overlap instead of queueing; each test below waits for its own.
    Correctness does not depend on how many cores are free: each run is independent and only its
    result is checked."""
    env = {**os.environ, "ZIGIMPORT_TEST_CACHE_DIR": str(zigimport_cache)}  # share Zig's compiler_rt build
    pythons = {minor: python for minor in OTHER_MINORS if (python := find_python(minor)) is not None}
    with ThreadPoolExecutor(max(1, len(pythons))) as pool:  # pip waits on I/O more than it computes
        venvs = dict(zip(pythons, pool.map(lambda python: venv_with_zigimport(python, venvs_dir), pythons.values())))
    runs: Runs = {}
    for minor, vpy in venvs.items():
        log = venvs_dir / f"suite-3.{minor}.log"
        with open(log, "wb") as out:
            # -o addopts= : no xdist there (not installed in these venvs; the three runs are the parallelism).
            runs[minor] = (subprocess.Popen([str(vpy), "-m", "pytest", "-o", "addopts=", "-q", "-x", "-p", "no:cacheprovider",
                                             *SUITE], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT), log)
    yield runs
    for proc, _ in runs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.xdist_group("interpreters")  # one worker holds the runs (a fixture per worker would start them twice)
@pytest.mark.parametrize("minor", OTHER_MINORS, ids=[f"3.{m}" for m in OTHER_MINORS])
def test_suite_passes_on_other_interpreter(minor: int, other_interpreter_runs: Runs) -> None:
    if minor not in other_interpreter_runs:
        pytest.skip(f"CPython 3.{minor} is not installed on this machine")
    proc, log = other_interpreter_runs[minor]
    returncode = proc.wait(timeout=2400)
    output = log.read_text(errors="replace")
    assert returncode == 0, output[-6000:]
    assert " passed" in output and " failed" not in output
    assert " deselected" in output  # only the per_interpreter tests ran
