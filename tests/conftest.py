"""Session-wide test setup: a private zigimport cache shared by all tests (and all xdist workers).

Sharing one cache root means Zig's compiler_rt is built once per run
(~4 s) and compiled fixtures are reused; each test writes its modules into
its own tmp_path, so entries never collide (the source path is in the key).
The suite runs on pytest-xdist workers (pyproject addopts): the cache root,
the tests/modules copy and every `shared_folder` live in one folder per run
that all workers see, so a module is compiled once per run, not once per
worker (zigimport's entry lock makes the second worker wait for the first
one's build and load it).  tests/README.md says how to add a test cheaply.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import shared_folder  # noqa: E402

_OUR_ENV = ("ZIG_RELEASEMODE", "ZIG_NORECOMPILE", "ZIGIMPORT_QUIET", "ZIGIMPORT_LOCK_TIMEOUT", "ZIGIMPORT_STUBS")


# The heaviest setups open the run, one group on each of the first two workers, and the wait for the other
# interpreters' runs (started at the beginning of the session, below) comes last: the order changes no result,
# only how the work overlaps.  xdist's load scheduling hands each worker a block of consecutive tests to begin
# with (len(items) // workers // 4; then more as it finishes them), so the second group starts that far in.
# Worker one: the wheels (three cross-compiled, ~25 CPU-s each); worker two: the largest single compile.  At the
# end of the run these would leave one worker busy and the other idle.  (The editable venv, mostly disk waits,
# is made in a thread meanwhile: `early_setups`.)
_OPENERS = (("tests/test_wheels.py", "tests/test_windows_wheel.py"), ("tests/test_large_modules.py",))
_LAST = "tests/test_interpreters.py"
# Half-way, so that what they need is ready by then: the C-build tests translate headers, and on a machine whose
# Zig cache is empty Zig's C translator is built first (`zig_translator` starts that with the session; minutes of
# one core); the editable install's venv is made in a thread started with the session (`early_setups`).  The
# Windows wheel (its first build on a machine compiles MinGW's C runtime: minutes of one core) opens with the
# wheels, on one worker, so that the other does not wait on the same build.
_MIDDLE = ("tests/test_c_build.py", "tests/test_editable.py", "tests/test_readme.py::test_guide_page_examples_run[c-libraries]")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def path(item: pytest.Item) -> str:
        return item.nodeid.split("::", 1)[0]

    first, second = ([i for i in items if path(i) in group] for group in _OPENERS)
    middle = [i for i in items if path(i) in _MIDDLE or i.nodeid in _MIDDLE]
    last = [i for i in items if path(i) == _LAST]
    placed = {id(i) for i in [*first, *second, *middle, *last]}
    rest = [i for i in items if id(i) not in placed]  # in their own order
    rest[len(rest) // 2:len(rest) // 2] = middle
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    block = max(2, len(items) // workers // 4)  # each worker's first batch (xdist's LoadScheduling)
    head = max(0, block - len(first))
    items[:] = [*first, *rest[:head], *second, *rest[head:], *last]


@pytest.fixture(scope="session", autouse=True)
def zigimport_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """ZIGIMPORT_CACHE_DIR for this run (inherited by every subprocess, shared by every xdist worker)."""
    saved = {k: os.environ.get(k) for k in ("ZIGIMPORT_CACHE_DIR", "ZIGIMPORT_TEST_MYPY_CACHE", *_OUR_ENV)}
    shared = os.environ.get("ZIGIMPORT_TEST_CACHE_DIR")  # a parent test run lends its cache (tests/test_interpreters.py)
    root = Path(shared) if shared else shared_folder(tmp_path_factory, "zigimport-cache")
    os.environ["ZIGIMPORT_CACHE_DIR"] = str(root)
    # mypy's incremental cache, one per worker (support.mypy): a warm run takes ~0.3 s, a cold one ~6 s.
    os.environ["ZIGIMPORT_TEST_MYPY_CACHE"] = str(tmp_path_factory.mktemp("mypy-cache"))
    for k in _OUR_ENV:  # a developer's own settings must not change what the tests see
        os.environ.pop(k, None)
    yield root
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def cache(zigimport_cache: Path) -> Path:
    return zigimport_cache


@pytest.fixture(scope="session")
def zig_modules(tmp_path_factory: pytest.TempPathFactory, zigimport_cache: Path) -> Iterator[Path]:
    """tests/modules/*.zig and examples/ (its .zig modules and the scripts that use them) copied to one
    folder per run on sys.path (stubs land there, not in the repo); every worker imports the same files."""
    import shutil

    def populate(folder: Path) -> None:
        here = Path(__file__).parent
        for src in [*(here / "modules").glob("*.zig"), *(here.parent / "examples").glob("*.zig"),
                    *(here.parent / "examples").glob("*.py")]:
            shutil.copy(src, folder / src.name)

    folder = shared_folder(tmp_path_factory, "zig-modules", populate)
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


@pytest.fixture(scope="session")
def conv(zig_modules: Path):  # type: ignore[no-untyped-def]
    """The conversions test module, compiled once per session."""
    import importlib

    import zigimport  # noqa: F401

    return importlib.import_module("conv")


@pytest.fixture(scope="session")
def classes(zig_modules: Path):  # type: ignore[no-untyped-def]
    """The classes test module, compiled once per session."""
    import importlib

    import zigimport  # noqa: F401

    return importlib.import_module("classes")


def _compiled(name: str):  # type: ignore[no-untyped-def]
    """Import tests/modules/<name>.zig (compiled once per session: the cache is shared)."""
    import importlib

    import zigimport  # noqa: F401

    return importlib.import_module(name)


@pytest.fixture(scope="session")
def values(zig_modules: Path):  # type: ignore[no-untyped-def]
    """The value-conversions test module (tests/modules/values.zig)."""
    return _compiled("values")


@pytest.fixture(scope="session")
def classes2(zig_modules: Path):  # type: ignore[no-untyped-def]
    """Inheritance, attribute hooks and read-only buffers (tests/test_classes2.py)."""
    return _compiled("classes2")


@pytest.fixture(scope="session")
def module_contents(zig_modules: Path):  # type: ignore[no-untyped-def]
    """The module-contents test module (constants, submodules, exceptions)."""
    return _compiled("module_contents")


@pytest.fixture(scope="session")
def objects(zig_modules: Path):  # type: ignore[no-untyped-def]
    """The object-API test module (py.Dict, py.List, ...)."""
    return _compiled("objects")


@pytest.fixture(scope="session")
def sigs(zig_modules: Path):  # type: ignore[no-untyped-def]
    """The signatures test module (tests/modules/sigs.zig)."""
    return _compiled("sigs")


def _zigimport_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import subprocess

    from support import REPO

    def build(folder: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZIGIMPORT_CACHE_DIR")}
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                               str(folder), str(REPO)], capture_output=True, text=True, timeout=600, env=env)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    (wheel,) = shared_folder(tmp_path_factory, "zigimport-wheel", build).glob("zigimport-*.whl")
    return wheel


@pytest.fixture(scope="session")
def zigimport_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout built as a wheel by ``pip wheel``, once per run for every test and xdist worker that needs it
    (tests/test_editable.py installs it into a fresh venv; others read it).  ``--no-build-isolation``: the backend
    is the hatchling of the test environment (pyproject's `test` extra), the same build without resolving and
    installing it from the index into a throw-away environment each run (CI's ``pip install -e .`` of README's
    first command builds through build-system.requires in isolation)."""
    return _zigimport_wheel(tmp_path_factory)


@pytest.fixture(scope="session", autouse=True)
def early_setups(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                 zigimport_cache: Path) -> Iterator[None]:
    """Setups that mostly wait on the disk start in a thread of every worker when the session starts, so that
    they overlap the compiles instead of holding a worker: the editable install's venv (`support.editable_venv`,
    which unpacks the 400 MB ziglang wheel) when tests/test_editable.py is in the session.  They run under
    `shared_folder`'s lock, so a test that needs one before it is ready waits for it (or, if the thread failed,
    makes it itself and sees the error)."""
    import threading

    from support import editable_venv

    if not any(item.nodeid.startswith("tests/test_editable.py") for item in request.session.items):
        yield
        return

    def run() -> None:
        try:
            editable_venv(tmp_path_factory, _zigimport_wheel(tmp_path_factory))
        except BaseException:  # noqa: BLE001 - the test's own call repeats it and reports the error
            pass

    thread = threading.Thread(target=run, name="early-setups", daemon=True)
    thread.start()
    yield
    thread.join(timeout=1800)


@pytest.fixture(scope="session", autouse=True)
def other_interpreter_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                           zigimport_cache: Path) -> Iterator[Path | None]:
    """When tests/test_interpreters.py is part of the session, start its runs on the other CPython versions
    now, once per run (whichever xdist worker comes first), so that they overlap the whole suite; its
    tests, collected last, wait for their results.  Yields the folder of their logs (None otherwise)."""
    import subprocess

    from interpreters import OTHER_MINORS

    if not any(item.nodeid.startswith(_LAST) for item in request.session.items):
        yield None
        return
    started: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, "ZIGIMPORT_TEST_CACHE_DIR": str(zigimport_cache)}  # share Zig's compiler_rt build

    def start(folder: Path) -> None:
        for minor in OTHER_MINORS:  # side by side: each is its own process and venv
            started.append(subprocess.Popen([sys.executable, str(Path(__file__).parent / "interpreters.py"), str(minor),
                                             str(folder)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    yield shared_folder(tmp_path_factory, "interpreters", start)
    for proc in started:  # normally over already: the tests waited for them
        try:
            proc.wait(timeout=2400)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# The tests that translate C headers (`.c_headers`): the C-build tests and the c-libraries guide page.
_TRANSLATING = ("tests/test_c_build.py", "tests/test_readme.py")


@pytest.fixture(scope="session", autouse=True)
def zig_translator(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The first ``zig translate-c`` on a machine builds Zig's C translator into the machine's Zig cache (about
    a minute of CPU, once per machine: zigimport/build/translate_c.py).  When tests that translate headers are in
    the session, start that build when the session starts (once per run; a no-op when it is built already), beside
    the first tests, instead of inside one of those tests while the other worker waits on Zig's lock for it."""
    import subprocess

    from zigimport.build.translate_c import machine_zig_cache
    from zigimport.toolchain import zig_binary

    if not any(item.nodeid.startswith(_TRANSLATING) for item in request.session.items):
        yield
        return
    started: list[subprocess.Popen[bytes]] = []

    def start(folder: Path) -> None:
        (folder / "tiny.h").write_text("int tiny(void);\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZIG_")}  # as zigimport runs translate-c
        started.append(subprocess.Popen([zig_binary(), "translate-c", "--global-cache-dir", machine_zig_cache(),
                                         str(folder / "tiny.h")], cwd=folder, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))

    shared_folder(tmp_path_factory, "zig-translator", start)
    yield
    for proc in started:  # long over, normally: the C tests needed the translator
        try:
            proc.wait(timeout=1800)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
