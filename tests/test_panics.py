"""A Zig panic ends the process with a report naming the Zig file:line and the Zig stack.

Panics stay fatal by design (docs/panics.md): Zig does not unwind, so nothing between the
panic and Python is cleaned up, and continuing would run on in an unknown state.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from support import run_python, shared_folder, write

CRASH = """\
const std = @import("std");
const py = @import("zig_core");

pub fn add(a: i64, b: i64) i64 {
    return a + b;
}
pub fn outer(a: i64) i64 {
    return add(a, 1);
}
pub fn index(xs: []const i64, i: usize) i64 {
    return xs[i];
}
pub fn nogil_mul(_: py.NoGil, a: i64, b: i64) i64 {
    return a * b;
}
pub fn explicit() void {
    @panic("invariant broken: the ring is empty");
}
comptime {
    py.module(@This());
}
"""
ADD_LINE, INDEX_LINE, NOGIL_LINE, EXPLICIT_LINE = 5, 11, 14, 17


@pytest.fixture(scope="module")
def crash_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_folder(tmp_path_factory, "panics", lambda folder: write(folder / "crash.zig", CRASH))


def _panic(folder: Path, mode: str, call: str) -> str:
    run_python("import zigimport, crash", cwd=folder, env={"ZIG_RELEASEMODE": mode})  # build first (no log noise below)
    proc = run_python(f"import zigimport, crash\nprint('before', flush=True)\ncrash.{call}\nprint('after')",
                      cwd=folder, env={"ZIG_RELEASEMODE": mode}, check=False, log_level=None)
    assert proc.returncode == -signal.SIGABRT, (proc.returncode, proc.stderr)
    assert proc.stdout == "before\n"  # the process ended inside the call
    return proc.stderr


@pytest.mark.parametrize("mode", ["Debug", "ReleaseSafe"])
@pytest.mark.parametrize("call, message, line", [
    ("add(2**63 - 1, 1)", "integer overflow", ADD_LINE),
    ("index([1, 2, 3], 5)", "index out of bounds: index 5, len 3", INDEX_LINE),
    ("nogil_mul(2**62, 4)", "integer overflow", NOGIL_LINE),  # the GIL was released: the handler takes it back
    ("explicit()", "invariant broken: the ring is empty", EXPLICIT_LINE),
])
def test_panic_report_names_the_zig_line(crash_dir: Path, mode: str, call: str, message: str, line: int) -> None:
    err = _panic(crash_dir, mode, call)
    src = crash_dir / "crash.zig"
    assert f"Fatal Python error: zig panic in module 'crash' at {src}:{line}:" in err, err
    assert f": {message}\n" in err, err
    assert f"Zig stack (most recent call last):\n" in err and f"  {src}:{line}:" in err, err
    assert "A Zig panic stops the process: it cannot unwind through Python" in err
    assert 'File "<string>", line 3 in <module>' in err  # the Python traceback, from Py_FatalError


def test_debug_panic_stack_lists_the_callers(crash_dir: Path) -> None:
    err = _panic(crash_dir, "Debug", "outer(2**63 - 1)")
    src = crash_dir / "crash.zig"
    stack = err.split("Zig stack (most recent call last):\n", 1)[1].split("A Zig panic", 1)[0].splitlines()
    ours = [frame for frame in stack if str(src) in frame]
    assert ours == [f"  {src}:8:15 in crash.outer", f"  {src}:{ADD_LINE}:14 in crash.add"], stack
