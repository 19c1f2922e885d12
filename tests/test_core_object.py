"""zig_core's runtime object (zigimport/build/core_object.py): built once per zig_core tree and mode,
linked into every module, never linked when stale, partial or damaged.

Each test has its own cache root (so the object really is built), sharing the session's Zig global
cache (std's ZIR) through a symlink: what is measured is zigimport's object, not Zig's caches.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

from support import REPO, popen_python, run_python, write

OBJECT_MODULE = """\
const py = @import("zig_core");

/// Exercises the runtime object's entry points: the binder (keywords, messages), the arena,
/// argument renaming, Zig error -> exception with its trace.
pub fn mean(xs: []const f64, scale: f64) !f64 {
    if (xs.len == 0) return error.EmptyInput;
    var s: f64 = 0;
    for (xs) |x| s += x;
    return s / @as(f64, @floatFromInt(xs.len)) * scale + VALUE;
}
const VALUE: f64 = {value};
comptime {
    py.module(@This());
}
"""

CHECKS = """\
import os, zigimport, {name}
assert {name}.mean([1.0, 3.0], 2.0) == 4.0 + {value}, {name}.mean([1.0, 3.0], 2.0)  # a list: copied into the call arena
assert {name}.mean(scale=1.0, xs=[2.0]) == 2.0 + {value}
try:
    {name}.mean([1.0])
except TypeError as e:
    assert str(e) == "mean() missing 1 required positional argument: 'scale'", e
else:
    raise AssertionError("no TypeError")
try:
    {name}.mean("ab", 1.0)
except TypeError as e:
    assert str(e).startswith("mean() argument 1 (xs) must be"), e
else:
    raise AssertionError("no TypeError")
try:
    {name}.mean([], 1.0)
except zigimport.ZigError as e:
    assert str(e) == "error.EmptyInput returned by mean()", e
    trace = "".join(getattr(e, "__notes__", [])) or str(e.args)
    if os.environ["ZIG_RELEASEMODE"] == "ReleaseSafe":  # error return traces: Debug and ReleaseSafe
        assert "{name}.zig:6:" in trace, trace  # the user's file:line, through the object's trace code
else:
    raise AssertionError("no ZigError")
print("ok")
"""

BUILT = "zigimport:INFO:building zig_core's runtime object"
DEFERRED = "is built by the next build; this one compiles zig_core itself"


def object_module(folder: Path, name: str, value: int) -> Path:
    return write(folder / f"{name}.zig", OBJECT_MODULE.replace("{value}", str(value)))


def checks(name: str, value: int) -> str:
    return CHECKS.replace("{name}", name).replace("{value}", str(value))


def fresh_root(tmp_path: Path, label: str) -> Path:
    """An empty zigimport cache root whose Zig global cache is the session's."""
    root = tmp_path / label
    root.mkdir(mode=0o700)
    session_zig = Path(os.environ["ZIGIMPORT_CACHE_DIR"]) / "zig"
    session_zig.mkdir(mode=0o700, parents=True, exist_ok=True)
    (root / "zig").symlink_to(session_zig, target_is_directory=True)
    return root


def prime(work: Path, env: dict[str, str], value: int = 0) -> None:
    """The cache root's first build: compiles zig_core into the module and asks for the object (core_object.WANTED)."""
    object_module(work, "co_prime", value)
    first = run_python(checks("co_prime", value), cwd=work, env=env)
    assert first.stdout.strip() == "ok" and DEFERRED in first.stderr and BUILT not in first.stderr, first.stderr


def objects(root: Path) -> list[Path]:
    folder = root / "zig_core_runtime"
    return sorted(folder.glob("*.o")) if folder.exists() else []


def test_concurrent_first_imports_build_the_object_once_and_a_changed_zig_core_rebuilds_it(tmp_path: Path) -> None:
    tree = tmp_path / "tree"  # a copy of zigimport and zig_core, so that zig_core can be edited
    shutil.copytree(REPO / "zigimport", tree / "zigimport", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "zig_core", tree / "zig_core")
    root = fresh_root(tmp_path, "cache")
    work = tmp_path / "work"
    object_module(work, "co_one", 1)
    object_module(work, "co_two", 2)
    env = {"PYTHONPATH": str(tree), "ZIGIMPORT_CACHE_DIR": str(root), "ZIG_RELEASEMODE": "ReleaseSafe"}
    prime(work, env)
    assert not objects(root)

    procs = [popen_python(checks(name, value), cwd=work, env=env) for name, value in (("co_one", 1), ("co_two", 2))]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0 and out.strip() == "ok", err
    stderr = "".join(err for _out, err in results)
    assert stderr.count(BUILT) == 1, stderr  # one process built it, the other waited for its lock and linked it
    assert len(objects(root)) == 1

    # zig_core edited: a new tree digest, so the module is built again -- never against the old object:
    # the first build of the new tree compiles zig_core itself, the next builds the new object
    binding = tree / "zig_core" / "src" / "binding.zig"
    binding.write_text(binding.read_text() + "\n// edited\n")
    again = run_python(checks("co_one", 1), cwd=work, env=env)
    assert DEFERRED in again.stderr and BUILT not in again.stderr, again.stderr
    assert "zigimport:INFO:compiling " in again.stderr
    # the other module, unchanged itself, is rebuilt too, and links the new object
    other = run_python(checks("co_two", 2), cwd=work, env=env)
    assert other.stderr.count(BUILT) == 1 and "zigimport:INFO:compiling " in other.stderr, other.stderr
    assert len(objects(root)) == 2

    # an object that does not compile (never the user's fault): a warning naming it, modules compile zig_core
    # themselves as before, and later builds do not try again until zig_core changes
    exports = tree / "zig_core" / "src" / "runtime_exports.zig"  # only the object's root imports it
    exports.write_text(exports.read_text() + "\nthis is not Zig\n")
    assert DEFERRED in run_python(checks("co_one", 1), cwd=work, env=env).stderr
    failed = run_python(checks("co_two", 2), cwd=work, env=env)
    assert failed.stdout.strip() == "ok", failed.stderr
    assert "failed to compile zig_core's runtime object (ReleaseSafe)" in failed.stderr, failed.stderr
    assert "runtime_exports.zig" in failed.stderr and "compiling zig_core into each module instead" in failed.stderr
    object_module(work, "co_three", 3)
    later = run_python(checks("co_three", 3), cwd=work, env=env)
    assert later.stdout.strip() == "ok" and BUILT not in later.stderr and "failed to build earlier" in later.stderr
    assert len(objects(root)) == 2


def test_a_killed_or_damaged_object_is_never_linked(tmp_path: Path) -> None:
    work = tmp_path / "work"
    object_module(work, "co_kill", 3)
    env = {"PYTHONPATH": str(REPO), "ZIG_RELEASEMODE": "ReleaseFast"}
    for attempt in range(3):  # kill the first import while it compiles the object (retried if we were too late)
        root = fresh_root(tmp_path, f"cache{attempt}")
        env["ZIGIMPORT_CACHE_DIR"] = str(root)
        prime(work, env, attempt)
        proc = popen_python(checks("co_kill", 3), cwd=work, env=env, start_new_session=True)
        folder = root / "zig_core_runtime"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if folder.exists() and any(p.name.startswith(".tmp-") for p in folder.iterdir()):
                break
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)  # the interpreter and its compiler
        proc.communicate()
        if not objects(root):
            break
    else:
        raise AssertionError("the object build always finished before it could be killed")
    assert any(p.name.startswith(".tmp-") for p in folder.iterdir())  # what the killed build left

    done = run_python(checks("co_kill", 3), cwd=work, env=env)
    assert done.stdout.strip() == "ok" and done.stderr.count(BUILT) == 1, done.stderr
    assert not any(p.name.startswith(".tmp-") for p in folder.iterdir())  # removed under the lock
    [obj] = objects(root)

    # damaged after it was published (a truncated copy, a bad disk): detected by its digest, built again
    data = obj.read_bytes()
    obj.write_bytes(data[: len(data) // 2])
    object_module(work, "co_kill", 4)  # an edit, so that the module is built (and links) again
    damaged = run_python(checks("co_kill", 4), cwd=work, env=env)
    assert damaged.stdout.strip() == "ok", damaged.stderr
    assert "does not match its record" in damaged.stderr and damaged.stderr.count(BUILT) == 1, damaged.stderr
    assert obj.read_bytes() != data[: len(data) // 2]

    # published without its record (killed between the two renames): not trusted, built again
    obj.with_suffix(".record").unlink()
    object_module(work, "co_kill", 5)
    orphan = run_python(checks("co_kill", 5), cwd=work, env=env)
    assert orphan.stdout.strip() == "ok" and orphan.stderr.count(BUILT) == 1, orphan.stderr
