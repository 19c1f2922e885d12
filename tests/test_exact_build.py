"""A build path that is never stale (issue 10, section 2): edits Zig's own cache would miss,
sources zigimport cannot read, and build locks on filesystems without flock."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import REPO, compile_count, entry_dir, popen_python, run_python, write, zig_core_module

from zigimport import manifest
from zigimport.build import zig_local_cache


def test_same_size_same_mtime_edit_is_built_in_process_and_in_a_new_process(tmp_path: Path) -> None:
    """The edit keeps size, inode and mtime (only ctime moves): Zig's local cache alone would hand back the old code."""
    src = zig_core_module(tmp_path / "sneaky_mod.zig", value=1)
    past = time.time_ns() - 10 * manifest.RACY_NS  # outside the racy window, so only content can tell
    os.utime(src, ns=(past, past))
    out = run_python(f"""\
        import importlib, os, pathlib, zigimport, sneaky_mod
        before = sneaky_mod.value()
        p = pathlib.Path({str(src)!r})
        st = p.stat()
        p.write_text(p.read_text().replace("VALUE: i64 = 1;", "VALUE: i64 = 7;"))
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
        after = p.stat()
        assert (after.st_ino, after.st_size, after.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
        importlib.reload(sneaky_mod)
        print(before, sneaky_mod.value())
        """, cwd=tmp_path)
    assert out.stdout.split() == ["1", "7"]
    assert compile_count(out.stderr) == 2
    assert "changed but kept its inode, size and mtime" in out.stderr  # Zig's cache was emptied, not trusted

    fresh = run_python("import zigimport, sneaky_mod; print(sneaky_mod.value())", cwd=tmp_path)
    assert fresh.stdout.strip() == "7"
    assert compile_count(fresh.stderr) == 0

    # And back to the first content, again in place: the binary built from it is reused, not Zig's guess.
    st = src.stat()
    src.write_text(src.read_text().replace("VALUE: i64 = 7;", "VALUE: i64 = 1;"))
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    back = run_python("import zigimport, sneaky_mod; print(sneaky_mod.value())", cwd=tmp_path)
    assert back.stdout.strip() == "1"
    assert (entry_dir(src, "sneaky_mod") / zig_local_cache.STATES).exists()


def test_zig_local_cache_is_emptied_only_when_zig_could_be_fooled(tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    entry.mkdir()
    f = write(tmp_path / "m.zig", "const a = 1;")
    past = time.time_ns() - 10 * manifest.RACY_NS
    os.utime(f, ns=(past, past))
    cache = Path(zig_local_cache.prepare(str(entry), [manifest.snapshot(str(f))]))
    cache.mkdir()
    (cache / "zir").write_text("kept")
    zig_local_cache.confirm(str(entry))

    f.write_text("const a = 2;")  # an ordinary edit: the mtime moves, Zig sees it itself
    zig_local_cache.prepare(str(entry), [manifest.snapshot(str(f))])
    zig_local_cache.confirm(str(entry))
    assert (cache / "zir").exists()

    st = f.stat()
    f.write_text("const a = 3;")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same inode, size and mtime as a state Zig has seen
    zig_local_cache.prepare(str(entry), [manifest.snapshot(str(f))])
    assert not (cache / "zir").exists()

    cache.mkdir()
    (cache / "zir").write_text("from a compile that never confirmed")
    zig_local_cache.prepare(str(entry), [manifest.snapshot(str(f))])  # the last compile was not confirmed
    assert not (cache / "zir").exists()


def test_a_change_during_the_compile_is_caught_after_it(tmp_path: Path) -> None:
    f = write(tmp_path / "m.zig", "const a = 1;")
    before = [manifest.snapshot(str(f))]
    assert manifest.changed_since_snapshot(before) is None
    f.write_text("const a = 2;")
    assert manifest.changed_since_snapshot(before) == str(f)
    st = f.stat()
    f.write_text("const a = 3;")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert manifest.changed_since_snapshot([manifest.snapshot(str(f))]) is None
    racy = manifest.snapshot(str(f))
    f.write_text("const a = 4;")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert manifest.changed_since_snapshot([racy]) == str(f)


# ---- unreadable sources ----

@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged user can use (pytest's tmp_path is private to us)."""
    d = Path(tempfile.mkdtemp(prefix="zigimport-unreadable-"))
    d.chmod(0o777)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_unreadable_source_raises_an_import_error_naming_it(shared_dir: Path) -> None:
    """chmod 000 on the module and on a file it imports.  Root reads anything, so as root the
    import runs in a child that has dropped to uid/gid 65534 after loading what it needs."""
    mod = write(shared_dir / "locked_out.zig", 'const py = @import("zig_core");\nconst h = @import("helper.zig");\n'
                                               "pub fn f() i64 {\n    return h.x;\n}\ncomptime {\n    py.module(@This());\n}\n")
    helper = write(shared_dir / "helper.zig", "pub const x: i64 = 1;\n")
    top = write(shared_dir / "locked_top.zig", "const x = 1;\n")
    for p in (top, helper):
        p.chmod(0)
    drop = "os.setgroups([]); os.setgid(65534); os.setuid(65534)" if os.geteuid() == 0 else "pass"
    out = run_python(f"""\
        import os, sys
        sys.path.insert(0, {str(REPO)!r})
        import zigimport, zigimport.build, zigimport.diagnostics.compile_errors, filelock, subprocess
        {drop}
        assert not os.access({str(top)!r}, os.R_OK)
        for name in ("locked_top", "locked_out"):
            try:
                __import__(name)
            except ImportError as e:
                print(type(e).__name__, isinstance(e, zigimport.ZigImportError), e.path, "|", e)
            else:
                raise SystemExit(name + " imported")
        """, cwd=shared_dir, env={"ZIGIMPORT_CACHE_DIR": str(shared_dir / "cache")})
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2, out.stdout
    for line, path in zip(lines, (top, helper)):
        kind, is_ours, where, message = line.split(" ", 3)
        assert (kind, is_ours, where) == ("ZigSourceError", "True", str(path))
        assert f"cannot read {path}" in message and "Permission denied" in message
    assert "locked_out" in lines[1]  # the module the unreadable file belongs to
    assert compile_count(out.stderr) == 0
    assert mod.exists()


# ---- build locks without flock ----

BREAK_FLOCK = """\
import errno, fcntl
def _no_flock(fd, op):
    raise OSError(errno.{errno_name}, "simulated filesystem without flock")
fcntl.flock = _no_flock
"""


@pytest.mark.parametrize("errno_name", ["ENOLCK", "EOPNOTSUPP"])
def test_lock_without_flock_falls_back_to_an_exclusive_lock_file(tmp_path: Path, errno_name: str) -> None:
    holder = popen_python(BREAK_FLOCK.format(errno_name=errno_name) + textwrap.dedent(f"""\
        import sys, time
        from zigimport.build import entry_lock
        lock = entry_lock.acquire({str(tmp_path / "lock")!r}, 5)
        print(type(lock).__name__, flush=True)
        time.sleep(3)
        lock.release()
        """), cwd=tmp_path)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "SoftFileLock"
    started = time.monotonic()
    out = run_python(BREAK_FLOCK.format(errno_name=errno_name) + textwrap.dedent(f"""\
        from zigimport.build import entry_lock
        try:
            entry_lock.acquire({str(tmp_path / "lock")!r}, 0.5)
        except entry_lock.LockTimeout:
            print("excluded")
        lock = entry_lock.acquire({str(tmp_path / "lock")!r}, 30)
        print("acquired")
        lock.release()
        """), cwd=tmp_path)
    holder.communicate(timeout=60)
    assert out.stdout.split() == ["excluded", "acquired"]
    assert time.monotonic() - started < 30
    assert f"file locks do not work in {tmp_path} (flock: {os.strerror(getattr(errno, errno_name))})" in out.stderr
    assert not (tmp_path / "lock.soft").exists()  # released


def test_import_on_a_filesystem_without_flock_builds_once(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "nolock_mod.zig", value=3)
    go = tmp_path / "go"
    code = BREAK_FLOCK.format(errno_name="ENOLCK") + textwrap.dedent(f"""\
        import os, time
        while not os.path.exists({str(go)!r}):
            time.sleep(0.002)
        import zigimport, nolock_mod
        print(nolock_mod.value())
        """)
    procs = [popen_python(code, cwd=tmp_path) for _ in range(3)]
    time.sleep(0.3)
    go.touch()
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 3, [err for _, err in results]
    assert [o.strip() for o, _ in results] == ["3"] * 3
    assert sum(compile_count(err) for _, err in results) == 1
    assert not (entry_dir(tmp_path / "nolock_mod.zig", "nolock_mod") / "lock.soft").exists()
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o022 == 0 for p in entry_dir(tmp_path / "nolock_mod.zig", "nolock_mod").iterdir())


# ---- the hit path's cost, counted (benchmarks/bench_import.py times it) ----

COUNT_STATS = """\
import os, sys
import zigimport
seen = []
real_stat, real_lstat = os.stat, os.lstat
def stat(p, *a, **k):
    seen.append(str(p))
    return real_stat(p, *a, **k)
def lstat(p, *a, **k):
    seen.append(str(p))
    return real_lstat(p, *a, **k)
os.stat, os.lstat = stat, lstat
import stat_mod
os.stat, os.lstat = real_stat, real_lstat
assert stat_mod.add(2, 3) == 5
heavy = {"__future__", "importlib", "importlib.machinery", "_blake2", "hashlib", "typing", "logging", "json", "warnings"}
assert not heavy & set(sys.modules), sorted(heavy & set(sys.modules))  # nothing heavy on the hit path
print(zigimport.__file__)
print("\\n".join(seen))
"""


AGAIN_STATS = """\
import importlib, os, sys
import zigimport
import stat_mod
def count(name):
    seen = []
    real_stat, real_lstat = os.stat, os.lstat
    os.stat = lambda p, *a, **k: (seen.append(str(p)), real_stat(p, *a, **k))[1]
    os.lstat = lambda p, *a, **k: (seen.append(str(p)), real_lstat(p, *a, **k))[1]
    try:
        del sys.modules[name]
        module = importlib.import_module(name)
    finally:
        os.stat, os.lstat = real_stat, real_lstat
    assert module.add(2, 3) == 5
    return seen
print("\\n".join(count("stat_mod")))
print("--")
importlib.invalidate_caches()
print("\\n".join(count("stat_mod")))
"""


def _installed_copy(site: Path) -> Path:
    """zigimport as a wheel installs it: the packages and their dist-info RECORD.  ziglang stays where it
    is (found along sys.path), so that the toolchain, and with it the cache entry, is the source tree's."""
    import zigimport

    site.mkdir()
    shutil.copytree(REPO / "zigimport", site / "zigimport", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "zig_core", site / "zig_core")
    info = site / f"zigimport-{zigimport.__version__}.dist-info"
    info.mkdir()
    (info / "RECORD").write_text("".join(f"{p.relative_to(site)},,\n" for p in sorted(site.rglob("*")) if p.is_file()))
    return site


def test_warm_import_stats_only_the_modules_own_files_when_installed(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    src = zig_core_module(work / "stat_mod.zig")
    past = time.time_ns() - 10 * manifest.RACY_NS
    os.utime(src, ns=(past, past))
    site = _installed_copy(tmp_path / "site")
    core_files = {str(p) for tree in (REPO, site) for p in (tree / "zig_core").rglob("*.zig")}

    run_python("import zigimport, stat_mod", cwd=work)  # built from the source tree
    installed = {"PYTHONPATH": str(site)}
    first = run_python("import zigimport, stat_mod", cwd=work, env=installed)  # same content: no compile
    assert compile_count(first.stderr) == 0
    time.sleep(manifest.RACY_NS / 1e9 + 0.2)  # the source's ctime (utime above) out of the racy window:
    run_python("import zigimport, stat_mod", cwd=work, env=installed)  # the full check writes the hit record

    out = run_python(COUNT_STATS, cwd=work, env=installed, log_level=None)  # checked by the hit record
    origin, *seen = out.stdout.strip().splitlines()
    assert origin == str(site / "zigimport" / "__init__.py")
    located = {str(site / "zig_core" / "zig_core.zig")}  # toolchain.zig_core_dir(), once per process
    assert core_files & set(seen) <= located, "an installed zig_core cannot change: its files are not stat'ed"
    # finder 1, cache root/entry/binary 3, an lstat per path component (the last one is the module's own
    # signature), ziglang one per place tried (os.access, uncounted) + its identity 1, RECORD 1
    depth = len(Path(os.path.realpath(src)).parts) - 1
    assert len(seen) <= 1 + 3 + depth + 1 + 1, seen
    assert seen.count(str(src)) == 1  # found by the finder (relative), then its lstat against the record

    # the source checkout's own record: the first import above may have found the source still racy (a
    # cache hit there takes no build time), so a full check writes it now that the ctime has settled
    run_python("import zigimport, stat_mod", cwd=work)
    source = run_python(COUNT_STATS, cwd=work, log_level=None)  # a source checkout: zig_core is being worked on
    _, *seen_src = source.stdout.strip().splitlines()
    assert {str(p) for p in (REPO / "zig_core").rglob("*.zig")} <= set(seen_src)

    # ... by the first import of the process only: a second one (another module, or this one imported
    # afresh) trusts what the first confirmed, until importlib.invalidate_caches() says files changed.
    again = run_python(AGAIN_STATS, cwd=work, log_level=None)
    second, after_invalidate = (set(part.splitlines()) for part in again.stdout.split("--\n"))
    core_src = {str(p) for p in (REPO / "zig_core").rglob("*.zig")}
    assert not core_src & second, sorted(core_src & second)
    assert str(src) in second  # the module's own file is checked at every import
    assert core_src <= after_invalidate


def test_first_build_links_without_compiler_rt_unless_it_is_needed(tmp_path: Path) -> None:
    """A 200 KB stack frame (zig_core's stack probe), in a thread; u128 division (libgcc_s);
    ``__sqrth``, which only compiler_rt has (the fallback; optimizers lower most f16/f128/u256
    operations to libm or inline code, so the module names it itself)."""
    write(tmp_path / "rt_light.zig", """\
        const py = @import("zig_core");
        pub fn big(n: i64) i64 {
            var buf: [200_000]u8 = undefined;
            for (&buf, 0..) |*b, i| b.* = @truncate(i *% @as(usize, @intCast(n)));
            var s: i64 = 0;
            for (buf) |b| s += b;
            return s;
        }
        pub fn div(a: i64, b: i64) i64 {
            const x: u128 = @as(u128, @intCast(a)) << 64;
            return @intCast((x / @as(u128, @intCast(b))) >> 64);
        }
        comptime {
            py.module(@This());
        }
        """.replace("\n        ", "\n"))
    write(tmp_path / "rt_heavy.zig", """\
        const py = @import("zig_core");
        extern fn __sqrth(x: f16) f16; // compiler_rt's f16 sqrt: no libc or libgcc has it
        pub fn sqrt16(x: f64) f64 {
            return @floatCast(__sqrth(@floatCast(x)));
        }
        comptime {
            py.module(@This());
        }
        """.replace("\n        ", "\n"))
    expected = sum((i * 3) % 256 for i in range(200_000))
    out = run_python("""\
        import threading
        import zigimport, rt_light, rt_heavy
        got = []
        t = threading.Thread(target=lambda: got.append(rt_light.big(3)))
        t.start(); t.join()
        print(got[0], rt_light.big(3), rt_light.div(10, 4), rt_heavy.sqrt16(2.25))
        """, cwd=tmp_path)
    assert out.stdout.split() == [str(expected), str(expected), str((10 << 64) // 4 >> 64), "1.5"]
    assert "rt_light.zig needs compiler_rt" not in out.stderr
    assert "rt_heavy.zig needs compiler_rt" in out.stderr
    assert (entry_dir(tmp_path / "rt_heavy.zig", "rt_heavy") / "compiler_rt").exists()
    assert not (entry_dir(tmp_path / "rt_light.zig", "rt_light") / "compiler_rt").exists()
