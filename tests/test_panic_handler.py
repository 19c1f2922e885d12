"""zig_core's panic handler (installed by the build root): the process ends through Py_FatalError
with std.debug.FullPanic's message, numbers included (formatted without std.fmt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import run_python, shared_folder, write

MODULE = """\
const py = @import("zig_core");
pub fn at(xs: []const i64, i: usize) i64 {
    return xs[i];
}
pub fn window(xs: []const i64, start: usize, end: usize) usize {
    return xs[start..end].len;
}
pub fn unwrap(fail: bool) i64 {
    const r: error{Broken}!i64 = if (fail) error.Broken else 1;
    return r catch unreachable;
}
pub fn add8(a: u8, b: u8) u8 {
    return a + b;
}
comptime {
    py.module(@This());
}
"""


@pytest.fixture(scope="module")
def panic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """panic_mod.zig in a folder every worker shares: one Debug compile for all the faults below."""
    return shared_folder(tmp_path_factory, "panic-handler", lambda folder: write(folder / "panic_mod.zig", MODULE))


@pytest.mark.parametrize("call, line, message", [
    ("m.at([1, 2], 5)", 3, "index out of bounds: index 5, len 2"),
    ("m.window([1, 2, 3], 2, 1)", 6, "start index 2 is larger than end index 1"),
    ("m.unwrap(True)", 10, "attempt to unwrap error: Broken"),
    ("m.add8(200, 100)", 13, "integer overflow"),
])
def test_panic_message_names_the_module_and_the_fault(panic_dir: Path, call: str, line: int, message: str) -> None:
    ok = run_python("import zigimport, panic_mod as m; print(m.at([1, 2], 1), m.window([1, 2, 3], 1, 3))",
                    cwd=panic_dir, env={"ZIG_RELEASEMODE": "Debug"})
    assert ok.stdout.split() == ["2", "2"]
    out = run_python(f"import zigimport, panic_mod as m; {call}", cwd=panic_dir, env={"ZIG_RELEASEMODE": "Debug"},
                     check=False)
    assert out.returncode != 0
    # The module, the user's line (docs/panics.md), then std's wording of the fault.
    pattern = rf"zig panic in module 'panic_mod' at \S*panic_mod\.zig:{line}:\d+: {re.escape(message)}$"
    assert re.search(pattern, out.stderr, re.MULTILINE), out.stderr[-2000:]
