"""`%load_ext zigimport` and `%%zig` through a real Jupyter kernel (ipykernel, driven by jupyter_client).

One kernel for the whole file: its cells run in order, as a user runs a notebook, and each test reads
the outputs of the cells it executes.  Release modes are Debug (fastest to compile) except where the
mode itself is checked.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest



class Cell:
    """What executing one cell produced: status, stdout, stderr, the error's name and traceback lines."""

    def __init__(self) -> None:
        self.status = ""
        self.stdout = ""
        self.stderr = ""
        self.ename = ""
        self.evalue = ""
        self.traceback: list[str] = []

    @property
    def shown_error(self) -> str:
        import re

        return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(self.traceback))  # without IPython's colours


class Kernel:
    def __init__(self, client: Any) -> None:
        self.client = client

    def run(self, code: str, timeout: float = 300) -> Cell:
        cell = Cell()

        def hook(msg: dict[str, Any]) -> None:
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                if content["name"] == "stdout":
                    cell.stdout += content["text"]
                else:
                    cell.stderr += content["text"]
            elif kind == "error":
                cell.ename, cell.evalue, cell.traceback = content["ename"], content["evalue"], content["traceback"]

        reply = self.client.execute_interactive(textwrap.dedent(code), timeout=timeout, output_hook=hook)
        cell.status = reply["content"]["status"]
        if cell.status == "error" and not cell.ename:
            cell.ename = reply["content"].get("ename", "")
        return cell


@pytest.fixture(scope="module")
def kernel(zigimport_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kernel]:
    """A python3 kernel of this interpreter, started in a folder of its own with the run's cache."""
    from jupyter_client.manager import start_new_kernel

    cwd = tmp_path_factory.mktemp("notebook")
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120, cwd=str(cwd), env={**os.environ})
    try:
        k = Kernel(kc)
        loaded = k.run("%load_ext zigimport")
        assert loaded.status == "ok", loaded.shown_error
        yield k
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


KERNELS = """\
%%zig --name kernels --release-mode Debug
//! Cell kernels.
/// a + b
pub fn add(a: i64, b: i64) i64 {
    return a + b;
}

pub const Acc = py.class(struct {
    total: f64 = 0,
    pub fn __init__(self: *@This()) void {
        self.* = .{};
    }
    pub fn push(self: *@This(), x: f64) f64 {
        self.total += x;
        return self.total;
    }
});
"""


def test_cell_binds_functions_classes_and_the_module(kernel: Kernel) -> None:
    built = kernel.run(KERNELS)
    assert built.status == "ok", built.shown_error
    used = kernel.run("""\
        acc = Acc()
        acc.push(1.5)
        print(add(2, 3), acc.push(2.0), kernels.__name__, kernels.__doc__, add.__doc__, type(acc).__name__)
        """)
    assert used.status == "ok", used.shown_error
    assert used.stdout == "5 3.5 kernels Cell kernels. a + b Acc\n"


def test_rerunning_an_edited_cell_rebuilds_and_rebinds(kernel: Kernel) -> None:
    assert kernel.run(KERNELS).status == "ok"
    assert kernel.run("old = Acc(); old.push(1.0)").status == "ok"
    edited = kernel.run(KERNELS.replace("return a + b;", "return a + b + 100;").replace("pub const Acc", "const Acc"))
    assert edited.status == "ok", edited.shown_error
    after = kernel.run("print(add(2, 3), 'Acc' in globals(), kernels.add is add)")
    assert after.stdout == "105 False True\n"  # the new add; Acc is no longer public, so no longer bound
    assert kernel.run("print(old.push(2.0))").stdout == "3.0\n"  # an object of the old binary keeps working
    again = kernel.run(KERNELS)  # back to the first text: a cache hit, and the first binding again
    assert again.status == "ok" and again.stderr == ""
    assert kernel.run("print(add(2, 3), Acc().push(1.0))").stdout == "5 1.0\n"


def test_unnamed_cells_bind_their_names_side_by_side(kernel: Kernel) -> None:
    first = kernel.run("%%zig -O Debug -q\npub fn triple(x: i64) i64 {\n    return 3 * x;\n}\n")
    second = kernel.run("%%zig -O Debug -q\npub fn quadruple(x: i64) i64 {\n    return 4 * x;\n}\n")
    assert first.status == second.status == "ok", first.shown_error + second.shown_error
    assert kernel.run("print(triple(2), quadruple(2), 'zig_cell' in globals())").stdout == "6 8 False\n"


def test_release_mode_on_the_magic_line(kernel: Kernel) -> None:
    cell = kernel.run("""\
        %%zig --release-mode ReleaseFast --name modes --quiet
        const builtin = @import("builtin");
        pub fn mode() []const u8 {
            return @tagName(builtin.mode);
        }
        """)
    assert cell.status == "ok", cell.shown_error
    assert kernel.run("print(mode(), modes.mode())").stdout == "fast fast\n"  # Zig 0.17 spells the tag `.fast`


def test_compile_error_shows_zigs_diagnostics_at_cell_lines_without_our_traceback(kernel: Kernel) -> None:
    cell = kernel.run("""\
        %%zig --name broken -O Debug
        pub fn f(a: i64) i64 {
            return a + missing;
        }
        """)
    assert cell.status == "error" and cell.ename == "ZigCellError"
    shown = cell.shown_error
    assert "<cell broken>:3:16: error: use of undeclared identifier 'missing'" in shown, shown
    assert "return a + missing;" in shown  # Zig's excerpt of the cell
    assert "Traceback" not in shown and "File " not in shown and "zigimport/" not in shown and ".cache" not in shown
    # the error is a ZigCompileError (catchable as one), and the kernel keeps working
    caught = kernel.run("""\
        import zigimport
        try:
            get_ipython().run_cell_magic("zig", "--name broken -O Debug", "pub fn f() i64 { return nope; }")
        except zigimport.ZigCompileError as e:
            print(type(e).__name__, e.release_mode, "<cell broken>:2:" in e.diagnostics)
        """)
    assert caught.stdout == "ZigCellError Debug True\n", caught.shown_error + caught.stderr


def test_a_bad_setting_is_shown_without_a_traceback(kernel: Kernel) -> None:
    assert kernel.run("import os; os.environ['ZIG_RELEASEMODE'] = 'Fastest'").status == "ok"
    try:
        cell = kernel.run("%%zig\npub fn f() void {}\n")
    finally:
        assert kernel.run("del os.environ['ZIG_RELEASEMODE']").status == "ok"
    assert cell.status == "error" and cell.ename == "ZigCellImportError"
    assert cell.shown_error == ("ZigCellImportError: %%zig cell zig_cell: ZIG_RELEASEMODE='Fastest' is not a Zig release "
                                "mode; valid values: Debug, ReleaseSafe, ReleaseFast, ReleaseSmall")


@pytest.mark.parametrize("line, message", [
    ("--release-mode Fast", "--release-mode='Fast' is not a Zig release mode; valid values: Debug, ReleaseSafe"),
    ("--bogus", "unknown option '--bogus'; valid: --release-mode MODE, --name NAME, --quiet"),
    ("--name 2fast", "--name='2fast' must be a Python identifier"),
    ("--name", "expected one argument"),
])
def test_bad_magic_line_is_a_usage_error(kernel: Kernel, line: str, message: str) -> None:
    cell = kernel.run(f"%%zig {line}\npub fn f() void {{}}\n")
    assert cell.status == "error" and cell.ename == "UsageError", (cell.ename, cell.shown_error)
    shown = cell.stderr + cell.shown_error  # IPython prints a UsageError on stderr, without a traceback
    assert message in shown and "Traceback" not in shown, shown
