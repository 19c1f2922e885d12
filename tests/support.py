"""Helpers shared by the tests: real subprocesses, real compiles."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# A zig_core module whose functions report what it was built as.
ZIG_CORE_MODULE = """\
const builtin = @import("builtin");
const py = @import("zig_core");

pub fn add(a: i64, b: i64) i64 {
    return a + b;
}
pub fn value() i64 {
    return VALUE;
}
/// 0 Debug, 1 ReleaseSafe, 2 ReleaseFast, 3 ReleaseSmall
pub fn mode() i64 {
    return switch (builtin.mode) {
        .Debug => 0,
        .ReleaseSafe => 1,
        .ReleaseFast => 2,
        .ReleaseSmall => 3,
    };
}
const VALUE: i64 = {value};
comptime {
    py.module(@This());
}
"""

MODE_NUMBERS = {"Debug": 0, "ReleaseSafe": 1, "ReleaseFast": 2, "ReleaseSmall": 3}

# A raw CPython extension: its own C-API declarations and PyInit, no zig_core.
RAW_MODULE = """\
const PyObject = extern struct {{ ob_refcnt: isize, ob_type: ?*anyopaque }};
const PyMethodDef = extern struct {{ ml_name: ?[*:0]const u8, ml_meth: ?*const anyopaque, ml_flags: c_int, ml_doc: ?[*:0]const u8 }};
const PyModuleDef_Base = extern struct {{ ob_base: PyObject, m_init: ?*const anyopaque, m_index: isize, m_copy: ?*PyObject }};
const PyModuleDef = extern struct {{
    m_base: PyModuleDef_Base, m_name: [*:0]const u8, m_doc: ?[*:0]const u8, m_size: isize,
    m_methods: ?[*]PyMethodDef, m_slots: ?*anyopaque, m_traverse: ?*anyopaque, m_clear: ?*anyopaque, m_free: ?*anyopaque,
}};
extern fn PyModule_Create2(def: *PyModuleDef, api: c_int) ?*PyObject;
extern fn PyLong_FromLongLong(v: c_longlong) ?*PyObject;

fn answer(self: ?*PyObject, args: ?*PyObject) callconv(.c) ?*PyObject {{
    _ = self;
    _ = args;
    return PyLong_FromLongLong({value});
}}
var methods = [_]PyMethodDef{{
    .{{ .ml_name = "answer", .ml_meth = @ptrCast(&answer), .ml_flags = 0x0004, .ml_doc = null }},
    .{{ .ml_name = null, .ml_meth = null, .ml_flags = 0, .ml_doc = null }},
}};
var def = PyModuleDef{{
    .m_base = .{{ .ob_base = .{{ .ob_refcnt = 1, .ob_type = null }}, .m_init = null, .m_index = 0, .m_copy = null }},
    .m_name = "{name}", .m_doc = null, .m_size = -1, .m_methods = &methods,
    .m_slots = null, .m_traverse = null, .m_clear = null, .m_free = null,
}};
export fn PyInit_{name}() ?*PyObject {{
    return PyModule_Create2(&def, 1013);
}}
"""

# Takes a few seconds of comptime evaluation to compile (for kill/notice tests).
SLOW_MODULE = """\
const py = @import("zig_core");
fn churn() u64 {{
    @setEvalBranchQuota(1_000_000_000);
    var x: u64 = {seed};
    var i: u64 = 0;
    while (i < {iterations}) : (i += 1) x = x *% 6364136223846793005 +% i;
    return x;
}}
pub fn value() u64 {{
    return comptime churn();
}}
comptime {{
    py.module(@This());
}}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def zig_core_module(path: Path, value: int = 1) -> Path:
    return write(path, ZIG_CORE_MODULE.replace("{value}", str(value)))


def raw_module(path: Path, value: int = 42) -> Path:
    return write(path, RAW_MODULE.format(name=path.stem, value=value))


def run_python(code: str, *, cwd: Path, env: dict[str, str] | None = None, python: str | None = None,
               timeout: float = 300, check: bool = True, log_level: str | None = "INFO") -> subprocess.CompletedProcess[str]:
    """Run *code* in a fresh interpreter with *cwd* first on sys.path; zigimport's log goes to stderr."""
    prelude = ""
    if log_level:
        prelude = f"import logging; logging.basicConfig(level=logging.{log_level}, format='%(name)s:%(levelname)s:%(message)s')\n"
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([python or sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"subprocess failed ({proc.returncode}):\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def import_error(module: str, exception: str, *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Import *module* in a fresh interpreter, which must fail with *exception* (e.g. "zigimport.ZigCompileError");
    the exception's message is the process's stdout."""
    return run_python(f"""\
        import zigimport
        try:
            import {module}
        except {exception} as e:
            print(e)
        else:
            raise SystemExit("import {module} did not fail")
        """, cwd=cwd, env=env)


def compile_count(stderr: str) -> int:
    """How many builds the zigimport log reports."""
    return sum(1 for line in stderr.splitlines() if line.startswith("zigimport:INFO:compiling "))


def entry_dir(source: Path, fullname: str, mode: str = "ReleaseSafe") -> Path:
    """The cache entry directory zigimport uses for *source* imported as *fullname*."""
    from zigimport.entry import Entry
    from zigimport.settings import Overrides, resolve

    return Path(Entry(fullname, str(source), resolve(Overrides(release_mode=mode))).dir)


def built_binaries(source: Path, fullname: str, mode: str = "ReleaseSafe") -> list[Path]:
    """Published binaries of an entry (not the .tmp-* output of a build in progress or killed)."""
    d = entry_dir(source, fullname, mode)
    return sorted(p for p in d.glob("*.so") if not p.name.startswith(".")) if d.exists() else []


def popen_python(code: str, *, cwd: Path, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.Popen[str]:
    """Start *code* in a fresh interpreter (zigimport INFO log on stderr) without waiting."""
    prelude = "import logging; logging.basicConfig(level=logging.INFO, format='%(name)s:%(levelname)s:%(message)s')\n"
    return subprocess.Popen([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)  # type: ignore[call-overload]


def slow_module(path: Path, seed: int, iterations: int = 500_000) -> int:
    """Write a module that takes ~2 s to compile; return the value its value() gives."""
    write(path, SLOW_MODULE.format(seed=seed, iterations=iterations))
    x = seed
    for i in range(iterations):
        x = (x * 6364136223846793005 + i) % 2**64
    return x


# ---- sharing work between tests and xdist workers (tests/README.md) ----

def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every xdist worker sees (the controller's basetemp, keyed by
    the run's uid); without xdist, the session's own basetemp."""
    base = tmp_path_factory.getbasetemp()
    uid = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if os.environ.get("PYTEST_XDIST_WORKER") and uid:
        base = base.parent / f"run-{uid[:12]}"
        base.mkdir(mode=0o700, exist_ok=True)
    return base


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str,
                  populate: Callable[[Path], object] | None = None) -> Path:
    """<run root>/<name>, populated once per run by whichever worker asks first (the others wait).

    Use it for a module- or session-scoped fixture that compiles: the source path is part of the
    cache key, so the same folder for every worker means one compile per run."""
    from filelock import FileLock

    root = run_root(tmp_path_factory)
    folder = root / name
    with FileLock(str(root / f".{name}.lock")):
        done = root / f".{name}.populated"
        if not done.exists():
            folder.mkdir(mode=0o700, exist_ok=True)
            if populate is not None:
                populate(folder)
            done.touch()
    return folder


def mypy(options: list[str], *targets: str, cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m mypy *options *targets` with an incremental cache kept for this worker (ZIGIMPORT_TEST_MYPY_CACHE,
    set by conftest): typeshed and numpy are analysed once per worker and set of options, not once per call
    (a warm run takes ~0.3 s of CPU, a cold one ~6 s).  mypy rechecks whatever changed, as in any project."""
    current = f"{sys.version_info[0]}.{sys.version_info[1]}"
    keyed = list(options)  # `--python-version <this one>` is mypy's default: the same options, so the same cache
    if "--python-version" in keyed and keyed[keyed.index("--python-version") + 1] == current:
        del keyed[keyed.index("--python-version"):keyed.index("--python-version") + 2]
    key = "_".join(o.strip("-") for o in keyed) or "default"  # one cache per option set: they would evict each other
    cache = Path(os.environ.get("ZIGIMPORT_TEST_MYPY_CACHE") or (Path(cwd) / ".mypy_cache")) / key
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), *options, *targets], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=env)


def mypy_code(folder: Path, code: str, options: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Check *code* with `mypy(options)` as a script in *folder* (where the modules it imports are).

    The script's name comes from its content and it is written atomically: xdist workers sharing *folder*
    never see each other's scripts half-written, and mypy's cache, which trusts a file whose size and
    mtime (in whole seconds) did not change, never mistakes a rewritten script for the one it checked."""
    import hashlib

    name = f"mypy_check_{hashlib.sha1(code.encode()).hexdigest()[:16]}.py"
    tmp = Path(folder) / f".{name}.{os.getpid()}"
    tmp.write_text(code)
    os.replace(tmp, Path(folder) / name)
    return mypy(options, name, cwd=folder, env=env)


def hit_record_path(source: Path, fullname: str, mode: str = "ReleaseSafe") -> Path:
    """Where the finder looks for the hit record of *source* imported as *fullname* (zigimport/finder.py)."""
    from zigimport import finder

    root = finder.cache_root(None)
    assert root is not None
    return Path(finder.record_path(root, finder.record_key(os.path.abspath(source), fullname, mode)))


# ---- wheels and fresh venvs, shared by the packaging tests (test_editable, test_wheels, ...) ----

def hatch_entry_point(folder: Path) -> Path:
    """*folder* made a site folder that registers this checkout's hatch build hook under hatch's entry point, as
    installing zigimport would (a dist-info with an ``entry_points.txt``); put it on PYTHONPATH beside REPO."""
    info = folder / "zigimport_hatch_entry-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zigimport-hatch-entry\nVersion: 0\n")
    (info / "entry_points.txt").write_text("[hatch]\nzigimport = zigimport.integrations.hatch_hook\n")
    return folder


def _ziglang_requirement() -> str:
    from importlib.metadata import version

    return f"ziglang=={version('ziglang')}"  # the toolchain the rest of the suite runs with


# zigimport's run-time dependencies; the build backend of zigimport and the examples (hatchling, its own, and
# editables, which it asks for to build an editable install).
WHEELHOUSE_REQUIREMENTS = ["hatchling>=1.18", "editables~=0.3", "platformdirs>=3", "filelock>=3.12"]


def wheelhouse(*extra: str, python: str | None = None) -> Path:
    """A folder of wheels from the index, downloaded once and then kept between runs (``ZIGIMPORT_TEST_WHEELHOUSE``,
    default ``~/.cache/zigimport-tests/wheelhouse``): ziglang (the installed version), hatchling and zigimport's
    other dependencies, plus *extra* requirements, for this interpreter or the one at *python* (a venv's, whose
    pip resolves them: dependencies that depend on the version, like tomli before 3.11, are that version's).
    pip installs from it with `offline_pip`, as from an index (the same files, resolved the same way) without
    fetching the 100 MB ziglang wheel for every venv of every run."""
    import hashlib

    from filelock import FileLock

    folder = Path(os.environ.get("ZIGIMPORT_TEST_WHEELHOUSE") or Path.home() / ".cache" / "zigimport-tests" / "wheelhouse")
    folder.mkdir(parents=True, exist_ok=True)
    requirements = [*WHEELHOUSE_REQUIREMENTS, _ziglang_requirement(), *extra]
    version = sys.version if python is None else subprocess.run(
        [python, "-c", "import sys; print(sys.version)"], check=True, capture_output=True, text=True).stdout
    key = hashlib.sha1(repr((requirements, version.split()[0])).encode()).hexdigest()[:16]
    target = ["--python", python] if python else []
    with FileLock(str(folder / ".lock")):
        done = folder / f".complete-{key}"
        if not done.exists():
            proc = subprocess.run([sys.executable, "-m", "pip", *target, "download", "-q", "--only-binary", ":all:",
                                   "-d", str(folder), *requirements], capture_output=True, text=True, timeout=1800)
            assert proc.returncode == 0, f"pip download {requirements} failed:\n{proc.stdout}\n{proc.stderr}"
            done.touch()
    return folder


def offline_pip(*folders: Path) -> dict[str, str]:
    """PIP_* settings (for pip and for the pip a build frontend runs in its isolated environment): install only
    from the wheels in *folders* (`wheelhouse()`, the folder of `zigimport_wheel`), never from the network."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": " ".join(str(f) for f in folders)}


def fresh_venv(folder: Path, *pip_args: str, python: str | None = None, env: dict[str, str] | None = None,
               timeout: float = 900) -> Path:
    """A fresh venv at *folder* (no pip of its own: ensurepip is the slow part of a venv, this interpreter's pip
    installs into it) for *python* (default: this one), then ``pip install *pip_args`` into it if any, with *env*
    (e.g. `offline_pip(...)`) over os.environ minus PYTHONPATH.  Returns the venv's python."""
    subprocess.run([python or sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True,
                   capture_output=True, timeout=300)
    vpy = folder / "bin" / "python"
    if pip_args:
        full_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        full_env.update(env or {})
        proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(vpy), "install", "-q", *pip_args],
                              capture_output=True, text=True, timeout=timeout, env=full_env)
        assert proc.returncode == 0, f"pip install {' '.join(pip_args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return vpy


def editable_venv(tmp_path_factory: pytest.TempPathFactory, zigimport_wheel: Path) -> Path:
    """The folder of tests/test_editable.py's venv, made once per run: ``pkg/``, a copy of examples/editable_pkg,
    and ``venv/``, a fresh venv with zigimport installed from *zigimport_wheel* with its dependencies (ziglang ...)
    and the copy installed editable, its build backend in pip's isolated build environment, all from
    `wheelhouse()`.  conftest's `early_setups` starts it when the session starts."""
    import shutil

    def populate(folder: Path) -> None:
        shutil.copytree(REPO / "examples" / "editable_pkg", folder / "pkg", dirs_exist_ok=True)  # (again after a failure)
        fresh_venv(folder / "venv", str(zigimport_wheel), "-e", str(folder / "pkg"),
                   env=offline_pip(zigimport_wheel.parent, wheelhouse()))

    return shared_folder(tmp_path_factory, "editable-venv", populate)
