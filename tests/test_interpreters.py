"""The suite on the other CPython versions installed here (3.10-3.13), each in its own venv."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def other_interpreter_runs(venvs_dir: Path, zigimport_cache: Path) -> Iterator[dict[int, tuple[subprocess.Popen[bytes], Path]]]:
    """The suites started on every other interpreter at once (each its own process and venv), so the
    runs overlap instead of queueing; each test below waits for its own.  Correctness does not depend
    on how many cores are free: each run is independent and only its result is checked."""
    env = {**os.environ, "ZIGIMPORT_TEST_CACHE_DIR": str(zigimport_cache)}  # share Zig's compiler_rt build
    runs: dict[int, tuple[subprocess.Popen[bytes], Path]] = {}
    for minor in OTHER_MINORS:
        python = find_python(minor)
        if python is None:
            continue
        vpy = venv_with_zigimport(python, venvs_dir)
        log = venvs_dir / f"suite-3.{minor}.log"
        with open(log, "wb") as out:
            runs[minor] = (subprocess.Popen([str(vpy), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SUITES],
                                            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT), log)
    yield runs
    for proc, _ in runs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("minor", OTHER_MINORS, ids=[f"3.{m}" for m in OTHER_MINORS])
def test_suite_passes_on_other_interpreter(minor: int, other_interpreter_runs: dict[int, tuple[subprocess.Popen[bytes], Path]]) -> None:
    if minor not in other_interpreter_runs:
        pytest.skip(f"CPython 3.{minor} is not installed on this machine")
    proc, log = other_interpreter_runs[minor]
    returncode = proc.wait(timeout=2400)
    output = log.read_text(errors="replace")
    assert returncode == 0, output[-6000:]
    assert " passed" in output and " failed" not in output
