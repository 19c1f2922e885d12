"""pytest plugin (``pytest11`` entry point ``zigimport``): the Zig tests of ``.zig`` files as pytest items.

Every ``.zig`` file pytest visits (the test paths, or the files named on the command line) that declares
a ``test`` block becomes a collector; each Zig test is one item, named after it::

    tests/kernels.zig::test "sum of empty"

so ``-k empty``, ``--lf`` and ``pytest 'tests/kernels.zig::test "sum of empty"'`` select it.  The file's
tests are compiled once into a test binary, cached like an import (zig_tests.build); each item runs
in a worker process with the GIL held (zig_tests.Worker), so a test can use Python objects, and a
Zig panic fails that item only.  Opt out with ``-p no:zigimport`` or ``zigimport_collect = false``
in the ini file; ``zigimport_release_mode`` picks the build mode (default: the hook's,
``ZIG_RELEASEMODE`` or ReleaseSafe).  Guide: docs/pytest.md.

Importing this module is cheap (pytest loads it in every run): zigimport's build machinery is
imported only when a ``.zig`` file with tests is collected.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .zig_tests import TestBinary, TestCase, TestResult, Worker

INI_COLLECT = "zigimport_collect"
INI_RELEASE_MODE = "zigimport_release_mode"
MAX_WORKERS = 4  # live worker processes per pytest process (one per test binary, least recently used ends)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI_COLLECT, "collect the Zig tests of .zig files (zigimport)", type="bool", default=True)
    parser.addini(INI_RELEASE_MODE, "Zig release mode of test binaries (default: ZIG_RELEASEMODE, else ReleaseSafe)",
                  default="")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_POOL] = _WorkerPool()


def pytest_unconfigure(config: pytest.Config) -> None:
    pool = config.stash.get(_POOL, None)
    if pool is not None:
        pool.close()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ZigFile | None:
    if file_path.suffix != ".zig" or not parent.config.getini(INI_COLLECT):
        return None
    from .zig_tests import has_tests

    if not has_tests(file_path):
        return None
    zig_file: ZigFile = ZigFile.from_parent(parent, path=file_path)
    return zig_file


class ZigTestFailure(Exception):
    """A Zig test failed or panicked (the item's report shows :meth:`TestResult.message`)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ZigFile(pytest.File):
    """A ``.zig`` file's Zig tests."""

    binary: TestBinary | None = None

    def collect(self) -> Iterator[ZigTestItem]:
        from . import zig_tests

        mode = self.config.getini(INI_RELEASE_MODE).strip() or None
        self.binary = zig_tests.build(self.path, zig_tests.test_settings(mode, INI_RELEASE_MODE))
        for case in self.binary.tests:
            yield ZigTestItem.from_parent(self, name=case.name, case=case)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | Any:
        from ..errors import ZigImportError

        if isinstance(excinfo.value, ZigImportError):  # a compile error: Zig's diagnostics, not our frames
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ZigTestItem(pytest.Item):
    """One Zig test."""

    def __init__(self, *, case: TestCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.result: TestResult | None = None

    @property
    def zig_file(self) -> ZigFile:
        assert isinstance(self.parent, ZigFile)
        return self.parent

    def runtest(self) -> None:
        binary = self.zig_file.binary
        assert binary is not None
        result = self.result = self.config.stash[_POOL].worker(binary).run(self.case)
        if result.output and result.status != "failed":
            self.add_report_section("call", "zig output", result.output)
        if result.status == "skipped":
            reason = f"Zig {self.case.name} returned error.SkipZigTest"
            try:  # reported at the Zig test's line (reportinfo), as a skip marker is, not at this line
                raise pytest.skip.Exception(reason, _use_item_location=True)
            except TypeError:  # a pytest without the keyword
                pytest.skip(reason)
        if result.status == "failed":
            raise ZigTestFailure(result.message(self.case, self._shown_source(), str(self.config.rootpath)))

    def _shown_source(self) -> str:
        try:
            return os.path.relpath(self.path, self.config.rootpath)
        except ValueError:
            return str(self.path)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | Any:
        if isinstance(excinfo.value, ZigTestFailure):
            return excinfo.value.text
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return self.path, (self.case.line - 1) if self.case.line else None, f"zig {self.case.name}"


class _WorkerPool:
    """The live workers of this pytest process, a few at a time (xdist: each pytest worker has its own)."""

    def __init__(self) -> None:
        self._workers: OrderedDict[str, Worker] = OrderedDict()

    def worker(self, binary: TestBinary) -> Worker:
        from .zig_tests import Worker

        w = self._workers.pop(binary.artifact, None)
        if w is None:
            w = Worker(binary)
        self._workers[binary.artifact] = w
        while len(self._workers) > MAX_WORKERS:
            _, oldest = self._workers.popitem(last=False)
            oldest.close()
        return w

    def close(self) -> None:
        while self._workers:
            _, w = self._workers.popitem()
            w.close()


_POOL = pytest.StashKey[_WorkerPool]()
