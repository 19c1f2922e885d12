"""The interpreter-specific tests on the other CPython versions installed here (3.10-3.13), each in its own venv.

Only tests marked ``per_interpreter`` run there (pyproject registers the marker; tests/interpreters.py
lists the files): what depends on the interpreter, i.e. ABI tags, loading and entry keys, import machinery,
conversions and reference counting (inlined per version: 3.12+ has immortal objects), heap types and GC.
Everything else is Python code whose behaviour does not change with the version and is covered once by
the main run.  The runs start with the session (tests/conftest.py: ``other_interpreter_runs``), side by
side, sharing this run's zigimport cache; these tests are collected last and wait for their results.
Correctness does not depend on how many cores are free: each run is independent and only its result is checked.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from interpreters import OTHER_MINORS, result_files


@pytest.mark.parametrize("minor", OTHER_MINORS, ids=[f"3.{m}" for m in OTHER_MINORS])
def test_suite_passes_on_other_interpreter(minor: int, other_interpreter_runs: Path | None) -> None:
    assert other_interpreter_runs is not None  # the session started the runs (this file was collected)
    log, rc = result_files(other_interpreter_runs, minor)
    deadline = time.monotonic() + 2400  # only reached if a run hangs: a failure, not a slow pass
    while not rc.exists():
        assert time.monotonic() < deadline, f"the run on 3.{minor} did not finish:\n" + log.read_text(errors="replace")[-6000:]
        time.sleep(0.5)
    if rc.read_text() == "missing":
        pytest.skip(f"CPython 3.{minor} is not installed on this machine")
    output = log.read_text(errors="replace")
    assert rc.read_text() == "0", output[-6000:]
    assert " passed" in output and " failed" not in output
    assert " deselected" in output  # only the per_interpreter tests ran
