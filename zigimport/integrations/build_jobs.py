"""Build many (source, mode) pairs at once for the command line, with a progress line on a terminal.

Each job goes through the import hook's own path (its entry, ``loader.resolve``: the manifest
check, then the locked build), so a job whose binary is current compiles nothing and two
processes building the same entry compile it once.  Jobs run on one thread per compiler
(each thread waits on a ``zig`` process), one per core by default, as ``load_many`` does.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass

from ..settings import Settings
from .sources import Source


@dataclass(frozen=True)
class Job:
    source: Source
    settings: Settings


@dataclass
class Result:
    job: Job
    status: str  # "built" or "cached"
    artifact: str
    seconds: float
    error: str | None

    def as_json(self) -> dict[str, object]:
        return {"source": self.job.source.path, "module": self.job.source.fullname, "kind": self.job.source.kind.name,
                "mode": self.job.settings.release_mode, "status": "failed" if self.error else self.status,
                "artifact": self.artifact, "seconds": round(self.seconds, 3), "error": self.error}


def run_one(job: Job, force: bool) -> Result:
    """Build (or find current) one job's binary; a failure is the Result's error text, never raised."""
    from ..errors import ZigCompileError

    started = time.perf_counter()
    wall = time.time()
    src = job.source
    try:
        artifact = src.kind.build(src.path, src.fullname, job.settings, force)
        # A binary published by this build was written after it started; a cache hit's is older.
        built = force or os.stat(artifact).st_mtime >= wall - 0.01
        return Result(job, "built" if built else "cached", artifact, time.perf_counter() - started, None)
    except ZigCompileError as exc:
        return Result(job, "failed", "", time.perf_counter() - started, exc.diagnostics or str(exc))
    except (ImportError, OSError, ValueError) as exc:
        return Result(job, "failed", "", time.perf_counter() - started, f"{type(exc).__name__}: {exc}")


class _Progress:
    """``[3/8] building kernels (ReleaseFast), graph (Debug)`` rewritten in place on stderr."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.done = 0
        self.running: dict[int, str] = {}
        self.lock = threading.Lock()
        self.start = time.perf_counter()
        self.stop = threading.Event()
        if enabled:  # redraw twice a second, so the clock moves during a long compile
            threading.Thread(target=self._tick, name="zigimport-progress", daemon=True).start()

    def _tick(self) -> None:
        while not self.stop.wait(0.5):
            with self.lock:
                if self.running:
                    self._draw()

    def _draw(self) -> None:
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns - 1
        names = ", ".join(self.running.values())
        text = f"[{self.done}/{self.total}] {time.perf_counter() - self.start:5.1f} s  building {names}" if names else \
            f"[{self.done}/{self.total}]"
        if len(text) > width:
            text = text[:width - 3] + "..."
        sys.stderr.write("\r\x1b[2K" + text)
        sys.stderr.flush()

    def started(self, i: int, label: str) -> None:
        if self.enabled:
            with self.lock:
                self.running[i] = label
                self._draw()

    def finished(self, i: int, report: Callable[[], None] | None) -> None:
        """Job *i* is over: run *report* (which prints its line) with the progress line erased, then redraw."""
        with self.lock:
            if self.enabled:
                sys.stderr.write("\r\x1b[2K")
                sys.stderr.flush()
            if report is not None:
                report()
            self.running.pop(i, None)
            self.done += 1
            if self.enabled:
                self._draw()

    def close(self) -> None:
        self.stop.set()
        if self.enabled:
            with self.lock:
                sys.stderr.write("\r\x1b[2K")
                sys.stderr.flush()


def run_jobs(jobs: list[Job], *, workers: int, force: bool, progress: bool,
             on_done: Callable[[Result], None] | None = None) -> list[Result]:
    """Run *jobs* on *workers* threads; the results in the jobs' order.  *on_done* is called with each result
    as it comes (one at a time); *progress* draws the progress line on stderr."""
    bar = _Progress(len(jobs), progress)

    def run(i: int, job: Job) -> Result:
        bar.started(i, f"{job.source.fullname} ({job.settings.release_mode})")
        result = None
        try:
            result = run_one(job, force)
            return result
        finally:
            bar.finished(i, None if on_done is None or result is None else lambda: on_done(result))

    try:
        if workers <= 1 or len(jobs) <= 1:
            return [run(i, j) for i, j in enumerate(jobs)]
        with ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="zigimport-build") as pool:
            return list(pool.map(run, range(len(jobs)), jobs))
    finally:
        bar.close()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)
