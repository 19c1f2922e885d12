"""Run the ``test "..." {}`` blocks of ``.zig`` files: the runner behind the pytest plugin and ``zigimport test``.

How a file's tests run (docs/pytest.md says why):

1. :func:`build` compiles the file's tests into a *test binary* -- an extension module built like the
   file's import (same zig_core, release mode, ``zigimport_build`` declaration, cache entry lock and
   freshness check; a cache entry of its own kind, build/test_binary.py) whose functions list and run
   the tests -- and lists the tests.  An unchanged file compiles nothing.
2. A :class:`Worker`, a Python process of the same interpreter, loads the binary and runs one test
   per request, with the GIL held: a test can build Python objects and call Python code through
   zig_core.  Its stdout/stderr (``std.testing``'s "expected 7, found 3", ``std.debug.print``) are
   captured per test.  A Zig panic ends the worker, not the caller: that test fails with the panic
   report (the Zig file:line and stack), and the next test starts a new worker.

``cli_main(argv)`` is ``zigimport test PATH...`` (``python -m zigimport test``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from .. import settings as settings_mod

__all__ = ["TestBinary", "TestCase", "TestResult", "Worker", "build", "find_test_files", "has_tests", "cli_main"]

KIND = "zig-tests/1"  # build/test_binary.KIND, without importing the build package here

# A test declaration at the start of a line: `test "name" {`, `test name {` (a decltest), `test {`.
_TEST_DECL = re.compile(rb'^[ \t]*test(?:[ \t]*["{]|[ \t]+[A-Za-z_@])', re.M)
_NAMED_TEST = re.compile(r'^[ \t]*test[ \t]+"((?:[^"\\\n]|\\.)*)"[ \t]*\{', re.M)
_DECL_TEST = re.compile(r'^[ \t]*test[ \t]+(@"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*)[ \t]*\{', re.M)
# zig_core's panic report (src/panic.zig), as Py_FatalError prints it.
_PANIC = re.compile(r"zig panic in module '[^']*'(?: at (?P<where>\S+?:\d+):\d+)?: (?P<msg>.*)")
_FRAME = re.compile(r"^\s+(?P<file>\S.*?):(?P<line>\d+):\d+ in ")


def has_tests(path: str | os.PathLike[str]) -> bool:
    """Whether the file declares a Zig test (a line starting with ``test``); cheap, no compile."""
    try:
        with open(path, "rb") as f:
            return _TEST_DECL.search(f.read()) is not None
    except OSError:
        return False


@dataclass(frozen=True)
class TestCase:
    """One Zig test of a binary: its index there, Zig's qualified name, the name shown, its line (1-based, 0 unknown)."""

    index: int
    qualified: str
    name: str
    line: int


@dataclass
class TestBinary:
    """A ``.zig`` file's compiled tests."""

    source: str
    module_name: str
    artifact: str
    release_mode: str
    tests: list[TestCase] = field(default_factory=list)


@dataclass
class TestResult:
    """What one test did: ``status`` is "passed", "failed" or "skipped"; ``error`` the Zig error name or
    what went wrong; ``location`` the innermost "file:line" of the user's code that the trace or panic names."""

    status: str
    error: str | None = None
    trace: str | None = None
    output: str = ""
    duration: float = 0.0
    panicked: bool = False
    location: str | None = None
    python: str | None = None  # the Python exception behind error.PythonException, formatted

    def message(self, case: TestCase, source: str, base: str | None = None) -> str:
        """The failure as pytest and ``zigimport test`` print it: a headline, the test's output, the trace.
        *source* is the file as shown; a location under the folder *base* is shown relative to it."""
        where = self.location or f"{source}:{case.line}"
        if base and os.path.isabs(where) and where.startswith(os.path.join(base, "")):
            where = os.path.relpath(where, base)
        what = "panicked" if self.panicked else "failed"
        head = f"{where}: Zig {case.name} {what}"
        if self.error:
            head += f": {self.error}" if self.panicked or " " in self.error else f": error.{self.error}"
        parts = [head]
        if self.output.strip():
            parts.append(self.output.rstrip())
        if self.python:
            parts.append(self.python)
        if self.trace:
            parts.append(self.trace.rstrip())
        return "\n".join(parts)


def module_name_for(source: str) -> str:
    """The test binary's module name: the file's stem, made an identifier (it names the init symbol)."""
    stem = os.path.basename(source)[: -len(".zig")] if source.endswith(".zig") else os.path.basename(source)
    name = re.sub(r"\W", "_", stem) or "zig_tests"
    return name if not name[0].isdigit() else "_" + name


def test_settings(release_mode: str | None = None, source: str = "release_mode") -> settings_mod.Settings:
    """The hook's settings (``install()`` overrides, then the environment), with *release_mode* if given
    (a bad one raises ZigSettingsError naming *source*)."""
    from ..specialize.generated import current_settings

    s = current_settings()
    if release_mode is None:
        return s
    mode = settings_mod.parse_release_mode(release_mode, source)
    return settings_mod.Settings(mode, s.norecompile, s.quiet, s.cache_dir, s.lock_timeout, s.stubs)


def build(source: str | os.PathLike[str], settings: settings_mod.Settings | None = None) -> TestBinary:
    """Compile (on a cache miss) the tests of *source* and list them.  Raises ZigCompileError etc."""
    from .. import loader
    from ..build import test_binary  # registers the test binary's compile step with the locked build
    from ..entry import Entry

    assert test_binary.KIND == KIND

    path = os.path.realpath(os.fspath(source))
    s = settings or test_settings()
    name = module_name_for(path)
    entry = Entry(name, path, s, kind=KIND)
    artifact = loader.resolve(entry)
    try:
        qualified = _list_tests(name, artifact)
    except ImportError:  # pruned or unreadable: build afresh, once (as the loader does)
        artifact = loader.resolve(entry, force_build=True)
        qualified = _list_tests(name, artifact)
    return TestBinary(path, name, artifact, s.release_mode, _cases(path, qualified))


def _list_tests(name: str, artifact: str) -> list[str]:
    """The binary's test names.  Loading it runs no test code (its init only creates the module)."""
    from importlib.machinery import ExtensionFileLoader, ModuleSpec

    so_loader = ExtensionFileLoader(name, artifact)
    module = so_loader.create_module(ModuleSpec(name, so_loader, origin=artifact))
    so_loader.exec_module(module)
    names: list[str] = module.names()
    return names


def _cases(source: str, qualified: list[str]) -> list[TestCase]:
    stem = os.path.basename(source)[:-4] if source.endswith(".zig") else os.path.basename(source)
    try:
        with open(source, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        text = ""
    lines: dict[str, int] = {}
    for pattern, fmt in ((_NAMED_TEST, 'test "{}"'), (_DECL_TEST, "test {}")):
        for m in pattern.finditer(text):
            lines.setdefault(fmt.format(m.group(1)), text.count("\n", 0, m.start()) + 1)
    cases = []
    for i, q in enumerate(qualified):
        name = display_name(q, stem)
        cases.append(TestCase(i, q, name, lines.get(name, 0)))
    return cases


def display_name(qualified: str, stem: str) -> str:
    """Zig's qualified test name as the item is called: ``kernels.test.sum of empty`` -> ``test "sum of empty"``,
    ``kernels.decltest.add`` -> ``test add``; a test of an imported file keeps its namespace (``other.test "x"``)."""
    ns, kind, rest = "", "", qualified
    for marker in (".test.", ".decltest."):
        head, sep, tail = qualified.partition(marker)
        if sep:
            ns, kind, rest = head, marker.strip("."), tail
            break
    if not kind:  # an unnamed `test {}`: Zig calls it "<ns>.test_<n>"
        head, _, tail = qualified.rpartition(".")
        return tail if head == stem else qualified
    shown = f'test "{rest}"' if kind == "test" else f"test {rest}"
    shown = shown.replace("::", ": :")  # "::" separates pytest node ids
    return shown if ns == stem else f"{ns}.{shown}"


# ---- the worker process ----


class Worker:
    """A worker process that runs the tests of one binary, one per :meth:`run`; restarted after a panic."""

    def __init__(self, binary: TestBinary, *, sys_path: Sequence[str] | None = None) -> None:
        self.binary = binary
        self.sys_path = list(sys.path if sys_path is None else sys_path)
        # The test file's folder first, as pytest's rootdir-relative imports would: helpers beside it import.
        folder = os.path.dirname(binary.source)
        if folder not in self.sys_path:
            self.sys_path.insert(0, folder)
        self._proc: subprocess.Popen[str] | None = None
        fd, self._capture = tempfile.mkstemp(prefix="zigimport-test-", suffix=".out")
        os.close(fd)

    def _start(self) -> subprocess.Popen[str]:
        # The worker must import this zigimport even if the caller found it through a sys.path edit.
        here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])))
        proc = subprocess.Popen(
            [sys.executable, "-m", "zigimport.integrations.test_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, text=True, bufsize=1, env=env,
        )
        assert proc.stdin is not None and proc.stdout is not None
        hello = {"name": self.binary.module_name, "artifact": self.binary.artifact, "sys_path": self.sys_path}
        proc.stdin.write(json.dumps(hello) + "\n")
        proc.stdin.flush()
        ready = proc.stdout.readline()
        if not ready:
            code = proc.wait()
            raise RuntimeError(f"the Zig test worker for {self.binary.source} ended before it was ready (exit code {code})")
        answer = json.loads(ready)
        if "error" in answer:
            proc.wait()
            raise RuntimeError(f"the Zig test worker could not load the tests of {self.binary.source}: {answer['error']}")
        return proc

    def run(self, case: TestCase) -> TestResult:
        """Run one test; a panic (the worker's death) is a failed result, never an exception here."""
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        started = time.perf_counter()
        try:
            proc.stdin.write(json.dumps({"run": case.index, "capture": self._capture}) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except BrokenPipeError:
            line = ""
        if line:
            answer = json.loads(line)
            result = TestResult(answer["status"], answer["error"], answer["trace"], self._read_capture(),
                                answer["duration"], python=answer.get("python"))
            result.location = _user_location(result.trace, self.binary.source)
            return result
        code = proc.wait()
        self._proc = None
        return self._crashed(code, time.perf_counter() - started)

    def _crashed(self, code: int, duration: float) -> TestResult:
        output = self._read_capture()
        m = _PANIC.search(output)
        if m is not None:
            report = output[m.start():]
            # The report ends where CPython's fatal-error trailer (runtime state, the worker's frames) begins.
            report = report.split("\nPython runtime state:", 1)[0].rstrip()
            core = os.path.join(_zig_core_dir(), "")  # the runner's own frame is no news
            report = "\n".join(ln for ln in report.splitlines() if not ln.lstrip().startswith(core))
            before = output[: m.start()].replace("Fatal Python error: ", "").rstrip()
            return TestResult("failed", m.group("msg").strip(), None, "\n".join(filter(None, [before, report])),
                              duration, panicked=True, location=m.group("where"))
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        return TestResult("failed", f"the test ended its process ({how})", None, output, duration, panicked=True)

    def _read_capture(self) -> str:
        try:
            with open(self._capture, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def close(self) -> None:
        """End the worker process and remove its capture file."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            assert proc.stdin is not None
            try:
                proc.stdin.close()  # EOF: the worker returns
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        try:
            os.remove(self._capture)
        except OSError:
            pass

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _zig_core_dir() -> str:
    from .. import toolchain

    return toolchain.zig_core_dir()


def _user_location(trace: str | None, source: str) -> str | None:
    """The innermost frame of the trace outside Zig's std and zig_core ("file:line"), else None."""
    if not trace:
        return None
    from .. import toolchain

    skip = (os.path.join(os.path.dirname(toolchain.zig_binary()), "lib") + os.sep, toolchain.zig_core_dir() + os.sep)
    found = None
    for line in trace.splitlines():
        m = _FRAME.match(line)
        if m is not None and not m.group("file").startswith(skip):
            found = f"{m.group('file')}:{m.group('line')}"
    return found


# ---- zigimport test PATH... ----


def find_test_files(paths: Iterable[str]) -> Iterator[str]:
    """The ``.zig`` files with tests among *paths* (files, or folders searched recursively, hidden and
    ``zig-out`` folders skipped), in order.  Raises ValueError naming a path that is neither."""
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in ("zig-out", "__pycache__"))
                for f in sorted(filenames):
                    full = os.path.join(dirpath, f)
                    if f.endswith(".zig") and has_tests(full):
                        yield full
        elif os.path.isfile(p):
            if not p.endswith(".zig"):
                raise ValueError(f"{p} is not a .zig file")
            yield p
        else:
            raise ValueError(f"{p}: no such file or directory")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zigimport test", description="Run the Zig tests (test \"...\" {} blocks) of .zig files, without pytest.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".zig files, or folders to search for them")
    parser.add_argument("-k", dest="filter", metavar="TEXT", action="append", default=[],
                        help="run only tests whose name contains TEXT (repeatable: any of them)")
    parser.add_argument("--release-mode", metavar="MODE", choices=settings_mod.RELEASE_MODES,
                        help=f"build mode ({', '.join(settings_mod.RELEASE_MODES)}); default: ZIG_RELEASEMODE, "
                             f"else {settings_mod.DEFAULT_RELEASE_MODE}")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    parser.add_argument("-x", "--exitfirst", action="store_true", help="stop at the first failure")
    return parser


def cli_main(argv: list[str]) -> int:
    """``zigimport test PATH... [-k TEXT] [--release-mode MODE] [--json] [-x]``: 0 all passed, 1 a failure or a
    build error, 2 bad arguments (argparse's own code)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed the usage and the problem
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        files = list(find_test_files(args.paths))
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"zigimport test: error: {exc}", file=sys.stderr)
        return 2
    if not files:
        parser.print_usage(sys.stderr)
        print(f"zigimport test: error: no .zig file with tests in {', '.join(args.paths)}", file=sys.stderr)
        return 2
    return _run_files(files, args.filter, args.release_mode, args.json, args.exitfirst)


def _run_files(files: list[str], filters: list[str], release_mode: str | None, as_json: bool, exitfirst: bool) -> int:
    from ..errors import ZigImportError

    out: IO[str] = sys.stdout
    counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    report: list[dict[str, Any]] = []
    started = time.perf_counter()
    settings = test_settings(release_mode)
    stop = False
    for path in files:
        shown = os.path.relpath(path) if not os.path.isabs(path) or path.startswith(os.getcwd()) else path
        try:
            binary = build(path, settings)
        except ZigImportError as exc:
            counts["errors"] += 1
            report.append({"file": shown, "error": str(exc)})
            if not as_json:
                print(f"ERROR {shown}: {exc}", file=out)
            if exitfirst:
                break
            continue
        cases = [c for c in binary.tests if not filters or any(f.lower() in c.name.lower() for f in filters)]
        with Worker(binary) as worker:
            for case in cases:
                result = worker.run(case)
                counts[result.status] += 1
                item = {"id": f"{shown}::{case.name}", "file": shown, "name": case.name, "line": case.line,
                        "status": result.status, "duration": round(result.duration, 6), "error": result.error,
                        "location": result.location, "panicked": result.panicked, "output": result.output,
                        "python": result.python, "trace": result.trace}
                report.append(item)
                if not as_json:
                    label = {"passed": "PASS ", "failed": "FAIL ", "skipped": "SKIP "}[result.status]
                    print(f"{label}{shown}::{case.name} ({result.duration * 1000:.1f} ms)", file=out)
                    if result.status == "failed":
                        print(_indent(result.message(case, shown, os.getcwd())), file=out)
                if result.status == "failed" and exitfirst:
                    stop = True
                    break
        if stop:
            break
    elapsed = time.perf_counter() - started
    ok = counts["failed"] == 0 and counts["errors"] == 0
    if as_json:
        json.dump({"ok": ok, "release_mode": settings.release_mode, "counts": counts, "seconds": round(elapsed, 3),
                   "tests": report}, out, indent=2)
        out.write("\n")
    else:
        words = {"errors": "error" if counts["errors"] == 1 else "errors"}  # a file that did not compile
        summary = ", ".join(f"{n} {words.get(k, k)}" for k, n in counts.items() if n or k == "passed")
        print(f"{summary} in {elapsed:.2f} s ({settings.release_mode})", file=out)
    return 0 if ok else 1


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else line for line in text.splitlines())
