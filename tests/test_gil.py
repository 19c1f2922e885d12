"""Releasing the GIL, checked structurally: another Python thread runs while a GIL-free call is
in progress, and cannot while a GIL-holding call is.  No timings are asserted (how much faster
two threads are depends on free cores: that figure is in benchmarks/bench_gil.py)."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

WAIT_MS = 60_000  # only reached if the GIL was not released: a failure, not a slow pass
LOCKED_WAIT_MS = 200  # a GIL-holding call waits this long, during which no Python thread can run


@pytest.fixture(scope="module")
def gil(zig_modules: Path) -> Any:
    import zigimport  # noqa: F401

    return importlib.import_module("gil")


def _set_flag_once_entered(flags: bytearray, log: list[str]) -> threading.Thread:
    """A Python thread that waits until the Zig call has entered, then sets the flag it waits for."""
    def run() -> None:
        while not flags[1]:  # Python bytecode: runs only while this thread holds the GIL
            pass
        log.append("python thread ran")
        flags[0] = 1
    t = threading.Thread(target=run)
    t.start()
    return t


@pytest.mark.parametrize("form", ["NoGil parameter", "allowThreads block"])
def test_a_python_thread_runs_while_a_gil_free_call_is_in_progress(gil: Any, form: str) -> None:
    flags = bytearray(2)
    log: list[str] = []
    setter = _set_flag_once_entered(flags, log)
    if form == "NoGil parameter":
        seen = gil.wait_for_flag(flags, WAIT_MS)
    else:
        seen = gil.wait_for_flag_block(lambda s: s, flags, WAIT_MS)
    setter.join()
    # The call returned True only because the Python thread set the flag while it was running.
    assert seen is True and log == ["python thread ran"]


def test_a_gil_holding_call_blocks_other_python_threads(gil: Any) -> None:
    flags = bytearray(2)
    log: list[str] = []
    setter = _set_flag_once_entered(flags, log)
    seen = gil.wait_for_flag_locked(flags, LOCKED_WAIT_MS)
    log.append("call returned")
    setter.join()
    # However long it waited, no Python thread ran during the call: it timed out, and the
    # other thread set the flag only afterwards.
    assert seen is False and flags[0] == 1 and sorted(log) == ["call returned", "python thread ran"]


def test_gil_free_calls_in_many_threads_give_every_thread_its_result(classes: Any) -> None:
    results: list[int] = []
    workers = [threading.Thread(target=lambda: results.append(classes.spin(200_000))) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert results == [classes.spin(200_000)] * 4


def test_gil_free_functions_read_buffers_safely_while_other_threads_run(classes: Any) -> None:
    import math

    data = np.arange(1_000_000, dtype=np.float64)
    expected = math.fsum(float(x) * float(x) for x in data)
    results: list[float] = []
    workers = [threading.Thread(target=lambda: results.append(classes.sum_squares(data))) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(set(results)) == 1 and len(results) == 4  # every thread read the same, intact data
    assert abs(results[0] - expected) / expected < 1e-9
