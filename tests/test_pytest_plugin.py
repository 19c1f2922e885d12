"""The pytest plugin (zigimport.integrations.pytest_plugin) and `zigimport test` (zig_tests.cli_main), end to end.

One Zig file of tests (passing, failing, skipped, leaking, panicking, using Python objects, a decltest,
an imported file's test) is written once per run into a shared folder, so its test binary is compiled
once per run (Debug: the cheap mode) and every pytester run below reuses it.  The pytester runs are
in-process, except the one that checks the real ``pytest11`` entry point.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
from pathlib import Path

import pytest

from support import shared_folder
from zigimport.integrations import zig_tests

pytest_plugins = ["pytester"]

KERNELS = r"""//! Zig tests for tests/test_pytest_plugin.py.
const std = @import("std");
const py = @import("zig_core");
const helper = @import("plugin_helper.zig");

pub fn sum(xs: []const i64) i64 {
    var total: i64 = 0;
    for (xs) |x| total += x;
    return total;
}

fn add(a: i64, b: i64) i64 {
    return a + b;
}

test "sum of empty" {
    try std.testing.expectEqual(@as(i64, 0), sum(&.{}));
}

test "sum is wrong" {
    try std.testing.expectEqual(@as(i64, 7), sum(&.{ 1, 2 }));
}

test "not ready" {
    return error.SkipZigTest;
}

test "python list" {
    const list = try py.List.new();
    defer list.deinit();
    try list.append(1);
    try list.append("two");
    try std.testing.expectEqual(@as(usize, 2), list.len());
}

test "python function" {
    const mod = try py.import("plugin_pyhelper");
    defer mod.deinit();
    const r = try mod.callMethod("triple", .{14});
    defer r.deinit();
    try std.testing.expectEqual(@as(i64, 42), try r.as(i64));
}

test "python exception" {
    const mod = try py.import("plugin_pyhelper");
    defer mod.deinit();
    const r = try mod.callMethod("fail", .{"from zig"});
    r.deinit();
}

test "leaks" {
    _ = try std.testing.allocator.alloc(u8, 8);
}

test "overflow panics" {
    var x: i64 = std.math.maxInt(i64);
    _ = &x;
    _ = add(x, 1);
}

test "after the panic" {
    try std.testing.expect(sum(&.{ 2, 3 }) == 5);
}

test sum {
    try std.testing.expect(sum(&.{1}) == 1);
}

test {
    _ = helper;
}
"""
HELPER = 'test "helper works" {}\n'
PYHELPER = '''\
def triple(x):
    return 3 * x


def fail(why):
    raise ValueError(f"refused {why}")
'''
NAMES = ['test "sum of empty"', 'test "sum is wrong"', 'test "not ready"', 'test "python list"',
         'test "python function"', 'test "python exception"', 'test "leaks"', 'test "overflow panics"',
         'test "after the panic"', "test sum", "test_0", 'plugin_helper.test "helper works"']
ALL = {"passed": 7, "failed": 4, "skipped": 1}


def line_of(text: str) -> int:
    """The 1-based line of KERNELS where *text* first appears."""
    return KERNELS[: KERNELS.index(text)].count("\n") + 1


def _plugin_args() -> list[str]:
    """``-p`` the plugin, unless its entry point is installed (then pytest loads it, and -p would register it twice)."""
    installed = any(ep.name == "zigimport" for ep in importlib.metadata.entry_points(group="pytest11"))
    return [] if installed else ["-p", "zigimport.integrations.pytest_plugin"]


@pytest.fixture(scope="module")
def zig_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def populate(folder: Path) -> None:
        (folder / "plugin_kernels.zig").write_text(KERNELS)
        (folder / "plugin_helper.zig").write_text(HELPER)
        (folder / "plugin_pyhelper.py").write_text(PYHELPER)
        (folder / "notes.zig").write_text("// no tests here: not collected\npub const testing_value = 1;\n")

    return shared_folder(tmp_path_factory, "pytest-plugin", populate)


def _run(pytester: pytest.Pytester, zig_dir: Path, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(*_plugin_args(), "--rootdir", str(zig_dir), "-p", "no:cacheprovider",
                                        "-o", "zigimport_release_mode=Debug", *args)


def test_items_and_reports(pytester: pytest.Pytester, zig_dir: Path) -> None:
    """One item per Zig test, named after it; pass/fail/skip per item; failures show the values and the
    Zig file:line; Python objects work; a leak and a Python exception fail their test; a panic fails its
    item only (the next test runs in a new worker)."""
    collected = _run(pytester, zig_dir, str(zig_dir), f"--ignore={zig_dir / 'plugin_helper.zig'}", "--collect-only", "-q")
    ids = [line for line in collected.outlines if "::" in line]
    assert ids == [f"plugin_kernels.zig::{n}" for n in NAMES]  # notes.zig (no tests) is not collected

    result = _run(pytester, zig_dir, str(zig_dir / "plugin_kernels.zig"), "-rA")
    result.assert_outcomes(**ALL)
    out = result.stdout.str()
    # the failed assertion: expectEqual's values and the Zig file:line, relative to the rootdir
    expect_line = line_of("try std.testing.expectEqual(@as(i64, 7)")
    assert f'plugin_kernels.zig:{expect_line}: Zig test "sum is wrong" failed: error.TestExpectedEqual' in out
    assert "expected 7, found 3" in out and "Zig error return trace (most recent call last):" in out
    # the Python exception behind error.PythonException, with its Python traceback
    assert "ValueError: refused from zig" in out and 'plugin_pyhelper.py", line 6, in fail' in out
    assert 'test "leaks" failed: memory leaked (std.testing.allocator)' in out
    # the panic: zig_core's report, with the line of the overflow and the test's frame
    add_line, call_line = line_of("return a + b;"), line_of("_ = add(x, 1);")
    assert f'plugin_kernels.zig:{add_line}: Zig test "overflow panics" panicked: integer overflow' in out
    assert f"{zig_dir}/plugin_kernels.zig:{call_line}:12 in plugin_kernels.test.overflow panics" in out
    skip_line = line_of('test "not ready"')
    result.stdout.fnmatch_lines([  # the summary names paths relative to the invocation folder
        'PASSED *plugin_kernels.zig::test "python function"',
        'PASSED *plugin_kernels.zig::test "after the panic"',
        f'SKIPPED [[]1[]] *plugin_kernels.zig:{skip_line}: Zig test "not ready" returned error.SkipZigTest',
        'FAILED *plugin_kernels.zig::test "sum is wrong"*',
    ])


def test_selection_last_failed_and_no_recompile(pytester: pytest.Pytester, zig_dir: Path) -> None:
    """-k and node ids select Zig tests; --lf reruns the failed ones; and none of these runs compiles
    anything: the test binary is cached like an import (checked in the cache entry, not by time)."""
    target = str(zig_dir / "plugin_kernels.zig")
    binary = zig_tests.build(target, zig_tests.test_settings("Debug"))  # built (or found) once
    entry = Path(binary.artifact).parent

    def binaries() -> dict[str, tuple[int, int]]:  # the manifest may be rewritten by a hit (racy inputs settle)
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in entry.iterdir() if p.name.endswith(".so")}

    before = binaries()
    assert binary.release_mode == "Debug" and list(before) == [Path(binary.artifact).name]

    _run(pytester, zig_dir, target, "-k", "python and not exception").assert_outcomes(passed=2, deselected=10)
    _run(pytester, zig_dir, f'{target}::test "sum of empty"', f"{target}::test sum").assert_outcomes(passed=2)
    cache = ["-p", "cacheprovider", "-o", f"cache_dir={pytester.path / 'lf-cache'}"]
    _run(pytester, zig_dir, target, *cache).assert_outcomes(**ALL)
    rerun = _run(pytester, zig_dir, target, *cache, "--lf", "-q")
    rerun.assert_outcomes(failed=4, deselected=8)
    assert 'FAILED' in rerun.stdout.str() and 'plugin_kernels.zig::test "leaks"' in rerun.stdout.str()

    assert binaries() == before  # the same binary, never rewritten: nothing compiled
    assert zig_tests.build(target, zig_tests.test_settings("Debug")).artifact == binary.artifact


def test_opt_out_with_the_ini_option(pytester: pytest.Pytester, zig_dir: Path) -> None:
    result = _run(pytester, zig_dir, str(zig_dir), "-o", "zigimport_collect=false", "--collect-only", "-q")
    assert not [line for line in result.outlines if ".zig::" in line]
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_xdist_workers_share_the_binary(pytester: pytest.Pytester, zig_dir: Path) -> None:
    """With pytest-xdist each worker collects (one build under the entry lock) and runs its share of the items."""
    result = _run(pytester, zig_dir, str(zig_dir / "plugin_kernels.zig"), "-n", "2")
    result.assert_outcomes(**ALL)


def test_entry_point_and_p_no_zigimport(pytester: pytest.Pytester, zig_dir: Path) -> None:
    """The plugin loads through its ``pytest11`` entry point (a dist-info on the path declares it, as the
    installed package does); ``-p no:zigimport`` turns it off."""
    dist = pytester.mkdir("site") / "zigimport_entry_point_check-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: zigimport-entry-point-check\nVersion: 0\n")
    (dist / "entry_points.txt").write_text("[pytest11]\nzigimport = zigimport.integrations.pytest_plugin\n")
    pythonpath = os.pathsep.join([str(dist.parent), os.environ.get("PYTHONPATH", ""), *sys.path])
    pytester._monkeypatch.setenv("PYTHONPATH", pythonpath)
    common = ["--rootdir", str(zig_dir), "-p", "no:cacheprovider", "-o", "zigimport_release_mode=Debug",
              "--collect-only", "-q", str(zig_dir / "plugin_kernels.zig")]
    on = pytester.runpytest_subprocess(*common)
    assert f"plugin_kernels.zig::{NAMES[0]}" in on.stdout.str()
    off = pytester.runpytest_subprocess("-p", "no:zigimport", *common)
    assert ".zig::" not in off.stdout.str()


def test_bad_input_compile_error_and_release_mode(pytester: pytest.Pytester, zig_dir: Path,
                                                  capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A Zig file that does not compile is a collection error showing Zig's diagnostics (not our frames);
    a bad zigimport_release_mode names the option and the valid values."""
    broken = pytester.path / "broken.zig"
    broken.write_text('test "uses a name that does not exist" {\n    _ = no_such_name;\n}\n')
    result = pytester.runpytest_inprocess(*_plugin_args(), "-p", "no:cacheprovider", "-o",
                                          "zigimport_release_mode=Debug", str(broken))
    assert result.ret == pytest.ExitCode.INTERRUPTED
    out = result.stdout.str()
    assert "ERROR collecting broken.zig" in out and "broken.zig:2:9: error: use of undeclared identifier 'no_such_name'" in out
    assert "locked_build.py" not in out and "test_binary.py" not in out

    # the same file through `zigimport test`: exit code 1, the diagnostics under an ERROR line
    monkeypatch.setenv("ZIG_RELEASEMODE", "Debug")
    capsys.readouterr()  # what the pytester run printed
    assert zig_tests.cli_main([str(broken)]) == 1
    shown = capsys.readouterr().out
    assert shown.startswith("ERROR broken.zig: failed to compile the tests of ")  # relative to the cwd (pytester's)
    assert "broken.zig (Debug):\n" in shown
    assert "use of undeclared identifier 'no_such_name'" in shown and "0 passed, 1 error in " in shown

    bad = _run(pytester, zig_dir, str(zig_dir / "plugin_kernels.zig"), "-o", "zigimport_release_mode=Fastest")
    assert "zigimport_release_mode='Fastest' is not a Zig release mode; valid values: Debug, ReleaseSafe" in bad.stdout.str()


# ---- zigimport test (zig_tests.cli_main) ----


def test_cli_runs_tests(zig_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-test lines and a summary, exit code 1 on a failure and 0 when all selected pass; --json for
    scripts; ZIG_RELEASEMODE picks the mode (Debug: the binary the plugin tests built)."""
    monkeypatch.setenv("ZIG_RELEASEMODE", "Debug")
    monkeypatch.chdir(zig_dir)
    assert zig_tests.cli_main(["plugin_kernels.zig"]) == 1
    out = capsys.readouterr().out
    assert 'PASS plugin_kernels.zig::test "python function" (' in out
    assert 'FAIL plugin_kernels.zig::test "sum is wrong" (' in out and "    expected 7, found 3" in out
    assert 'SKIP plugin_kernels.zig::test "not ready" (' in out
    assert f'plugin_kernels.zig:{line_of("return a + b;")}: Zig test "overflow panics" panicked: integer overflow' in out
    assert out.rstrip().splitlines()[-1].startswith("7 passed, 4 failed, 1 skipped in ")
    assert out.rstrip().endswith("(Debug)")
    assert max(len(line) for line in out.splitlines() if line.startswith(("PASS ", "FAIL ", "SKIP "))) <= 80

    # folders are searched for .zig files that declare tests (no compile needed to find them)
    assert [Path(p).name for p in zig_tests.find_test_files(["."])] == ["plugin_helper.zig", "plugin_kernels.zig"]
    assert zig_tests.cli_main(["plugin_kernels.zig", "-k", "python list", "-k", "SUM OF", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["release_mode"] == "Debug"
    assert doc["counts"] == {"passed": 2, "failed": 0, "skipped": 0, "errors": 0}
    assert [t["id"] for t in doc["tests"]] == ['plugin_kernels.zig::test "sum of empty"', 'plugin_kernels.zig::test "python list"']

    assert zig_tests.cli_main(["plugin_kernels.zig", "-k", "panics", "--json"]) == 1
    (panicked,) = json.loads(capsys.readouterr().out)["tests"]
    assert panicked["status"] == "failed" and panicked["panicked"] is True and panicked["error"] == "integer overflow"
    assert panicked["location"] == f"{zig_dir}/plugin_kernels.zig:{line_of('return a + b;')}"


def test_cli_bad_arguments(zig_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad arguments: exit code 2 and a message naming the problem."""
    (tmp_path / "data.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    cases = [
        ([], "the following arguments are required: PATH"),
        ([str(tmp_path / "missing.zig")], f"{tmp_path / 'missing.zig'}: no such file or directory"),
        ([str(tmp_path / "data.txt")], f"{tmp_path / 'data.txt'} is not a .zig file"),
        ([str(tmp_path / "empty")], f"no .zig file with tests in {tmp_path / 'empty'}"),
        ([str(zig_dir), "--release-mode", "Fastest"], "argument --release-mode: invalid choice: 'Fastest'"),
        ([str(zig_dir), "--bogus"], "unrecognized arguments: --bogus"),
    ]
    for argv, message in cases:
        assert zig_tests.cli_main(argv) == 2, argv
        err = capsys.readouterr().err
        assert message in err and "usage: zigimport test" in err, (argv, err)


RUNNER_LEAK_CHECK = """\
import gc, os, sys
from importlib.machinery import ExtensionFileLoader, ModuleSpec

name, artifact = sys.argv[1], sys.argv[2]
loader = ExtensionFileLoader(name, artifact)
tests = loader.create_module(ModuleSpec(name, loader, origin=artifact))
loader.exec_module(tests)
names = tests.names()
devnull = os.open(os.devnull, os.O_WRONLY)
os.dup2(devnull, 2)  # std.testing's "expected 7, found 3", once per call
picked = [names.index(f"{name}.test.{n}") for n in ("sum of empty", "sum is wrong", "not ready", "python list",
                                                     "python function", "python exception")]

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

def batch(n):
    for _ in range(n):
        tests.names()
        for i in picked:
            status, error, trace, exc = tests.run(i)
        del exc
    return n * len(picked)

batch(300)  # warm up: the trace symbolizer's tables, interned names
gc.collect()
rss0, refs0 = rss(), sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else 0
calls = batch(6000)
gc.collect()
refs = (sys.gettotalrefcount() - refs0) if hasattr(sys, "gettotalrefcount") else 0
print(calls, rss() - rss0, refs, sys.getrefcount(None) > 0)
"""


def test_runner_functions_do_not_leak(zig_dir: Path, tmp_path: Path) -> None:
    """The test binary's names() and run() (results, traces, a pending Python exception handed back):
    36 000 calls, memory and references flat (a leaked result tuple would be 2 MB)."""
    from support import run_python

    binary = zig_tests.build(zig_dir / "plugin_kernels.zig", zig_tests.test_settings("Debug"))
    script = tmp_path / "leak_check.py"
    script.write_text(RUNNER_LEAK_CHECK)
    proc = run_python(f"import runpy, sys; sys.argv = ['x', {binary.module_name!r}, {binary.artifact!r}]; "
                      f"sys.path.insert(0, {str(zig_dir)!r}); runpy.run_path({str(script)!r}, run_name='__main__')",
                      cwd=tmp_path, log_level=None)
    calls, grown, refs, _ = proc.stdout.split()
    assert int(calls) == 36_000
    assert int(grown) < 1024 * 1024, f"RSS grew {int(grown) / 1e6:.1f} MB over {calls} calls"
    assert int(refs) < 100  # debug builds of CPython only; 0 elsewhere


def test_api_bad_input(tmp_path: Path) -> None:
    """zig_tests.build and test_settings name what is wrong."""
    from zigimport import ZigSettingsError, ZigSourceError

    with pytest.raises(ZigSourceError, match=f"cannot read {tmp_path / 'missing.zig'}: No such file or directory"):
        zig_tests.build(tmp_path / "missing.zig")
    with pytest.raises(ZigSettingsError, match="mode='Fastest' is not a Zig release mode; valid values: Debug, "):
        zig_tests.test_settings("Fastest", "mode")
    assert not zig_tests.has_tests(tmp_path / "missing.zig")
