"""Concurrent imports, killed builds, and rebuilds under a running process."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from support import built_binaries, compile_count, entry_dir, popen_python, run_python, slow_module, zig_core_module


def _wait_for(predicate, timeout: float = 120.0, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_eight_processes_importing_a_new_module_at_once_compile_it_once(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "race_mod.zig", value=8)
    go = tmp_path / "go"
    code = f"""\
        import os, time
        while not os.path.exists({str(go)!r}):
            time.sleep(0.002)
        import zigimport, race_mod
        print(race_mod.value() * race_mod.add(1, 1))
        """
    procs = [popen_python(code, cwd=tmp_path) for _ in range(8)]
    time.sleep(0.3)  # let every interpreter start and reach the barrier
    go.touch()
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [err for _, err in results]
    assert [out.strip() for out, _ in results] == ["16"] * 8
    assert sum(compile_count(err) for _, err in results) == 1
    assert len(built_binaries(src, "race_mod")) == 1


@pytest.mark.parametrize("kill_group", [True, False], ids=["python-and-zig", "python-only"])
def test_sigkill_mid_build_leaves_nothing_mistaken_for_a_build(tmp_path: Path, kill_group: bool) -> None:
    name = f"killed_{int(kill_group)}"
    src = tmp_path / f"{name}.zig"
    expected = slow_module(src, seed=11 + kill_group)
    entry = entry_dir(src, name)
    victim = popen_python(f"import zigimport, {name}", cwd=tmp_path, start_new_session=True)
    owner = entry / "owner"
    _wait_for(lambda: owner.exists() and f"pid {victim.pid} " in owner.read_text(), what="the build to start")
    time.sleep(0.5)  # the compiler is now running
    assert victim.poll() is None, "the build finished before it could be killed; make SLOW_MODULE slower"
    if kill_group:
        os.killpg(victim.pid, signal.SIGKILL)
    else:
        os.kill(victim.pid, signal.SIGKILL)  # the zig child lives on as an orphan
    victim.wait()
    assert not (entry / "manifest").exists()
    assert built_binaries(src, name) == []

    out = run_python(f"import zigimport, {name}; print({name}.value())", cwd=tmp_path)
    assert out.stdout.strip() == str(expected)
    assert compile_count(out.stderr) == 1
    assert "zigimport: compiling" in out.stderr  # the >1 s build told the user
    assert len(built_binaries(src, name)) == 1


def test_quiet_silences_the_compiling_notice(tmp_path: Path) -> None:
    expected = slow_module(tmp_path / "quiet_mod.zig", seed=5)
    out = run_python("import zigimport, quiet_mod; print(quiet_mod.value())", cwd=tmp_path, env={"ZIGIMPORT_QUIET": "1"},
                     log_level=None)
    assert out.stdout.strip() == str(expected)
    assert out.stderr == ""


def test_a_running_process_survives_rebuilds_of_its_module(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "live_mod.zig", value=1)
    debug = {"ZIG_RELEASEMODE": "Debug"}  # the fastest mode to build five times; what is checked is not the mode's
    run_python("import zigimport, live_mod", cwd=tmp_path, env=debug)
    stop = tmp_path / "stop"
    runner = popen_python(f"""\
        import os, sys, time, zigimport, live_mod
        print('ready', flush=True)
        n = 0
        while not os.path.exists({str(stop)!r}):
            assert live_mod.value() == 1
            assert live_mod.add(n, 1) == n + 1
            n += 1
            time.sleep(0.0005)  # calls all along, without taking a core from the builds
        print('calls', n)
        """, cwd=tmp_path, env=debug)
    assert runner.stdout is not None
    assert runner.stdout.readline().strip() == "ready"
    for value in range(2, 6):  # each edit publishes a new binary and prunes old ones
        zig_core_module(src, value=value)
        out = run_python("import zigimport, live_mod; print(live_mod.value())", cwd=tmp_path, env=debug)
        assert out.stdout.strip() == str(value)
        assert runner.poll() is None
    stop.touch()
    out, err = runner.communicate(timeout=60)
    assert runner.returncode == 0, err
    assert out.startswith("calls ") and int(out.split()[1]) > 0
    assert 1 <= len(built_binaries(src, "live_mod", "Debug")) <= 2  # current + previous are kept, older ones pruned
