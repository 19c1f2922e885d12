"""The warm-import fast path: a module's hit record (zigimport/finder.py: recorded_artifact, write_record).

Every check runs real imports in fresh interpreters.  A record is trusted only with stats, so each
test here changes what a stat can see (content, mtime, ctime, inode, settings, the binary, the record
itself) and asserts the import took the full check and got the right answer -- never a stale binary.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support import compile_count, hit_record_path, import_error, popen_python, run_python, shared_folder, write

from zigimport import finder, manifest

MAIN = """\
const py = @import("zig_core");
const dep = @import("hp_dep.zig");

pub fn value() i64 {
    return dep.DEP * 10 + OWN;
}
const OWN: i64 = 1;
comptime {
    py.module(@This());
}
"""
DEP = "pub const DEP: i64 = 4;\n"

# Whether the hit record or the full check decided ("record" / "full"), the module's value, and which zigimport modules the process holds; and how many
# stat/lstat calls the import made (an os.stat wrapper, as benchmarks/bench_import.py counts them).
PROBE = """\
import os, sys
import zigimport
calls = []
real_stat, real_lstat = os.stat, os.lstat
os.stat = lambda p, *a, **k: (calls.append(str(p)), real_stat(p, *a, **k))[1]
os.lstat = lambda p, *a, **k: (calls.append(str(p)), real_lstat(p, *a, **k))[1]
import hp_mod
os.stat, os.lstat = real_stat, real_lstat
print("record" if hp_mod.__spec__.loader.recorded else "full", hp_mod.value(), hp_mod.__file__ == os.path.abspath("hp_mod.zig"))
print(sorted(m for m in sys.modules if m.startswith("zigimport")))
print(len(calls))
"""


def probe(cwd: Path, env: dict[str, str] | None = None) -> tuple[str, int, list[str], int, int]:
    """("record" or "full", value, zigimport modules loaded, stat calls, compiles) of one import of hp_mod."""
    out = run_python(PROBE, cwd=cwd, env=env)
    head, mods, stats = out.stdout.strip().splitlines()[-3:]
    loader, value, file_ok = head.split()
    assert file_ok == "True"  # __file__ names the source, whichever loader ran
    return loader, int(value), eval(mods), int(stats), compile_count(out.stderr)


def settle() -> None:
    """Let every file just written leave the racy window, so the next full check can write a record."""
    time.sleep(manifest.RACY_NS / 1e9 + 0.2)


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace *old* by *new* (same length) keeping size and mtime: only the ctime can show it."""
    assert len(old) == len(new)
    st = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def same_record(a: bytes, b: bytes) -> bool:
    """Equal but for the boot time each writer computes afresh (its host name and the CPU must agree)."""
    la, lb = a.split(b"\n"), b.split(b"\n")
    return la[:6] + la[7:] == lb[:6] + lb[7:] and la[6].split(b"\0")[::2] == lb[6].split(b"\0")[::2]


def warm(tmp_path: Path) -> Path:
    src = write(tmp_path / "hp_mod.zig", MAIN)
    write(tmp_path / "hp_dep.zig", DEP)
    assert probe(tmp_path)[4] == 1  # built
    settle()
    assert probe(tmp_path)[1] == 41  # the full check writes the record (or the build already did, if it took 2 s)
    return src


@pytest.fixture(scope="module")
def warm_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build, record written, for the tests that only read it (the others change files: their own)."""
    return shared_folder(tmp_path_factory, "hit_path_warm", warm)


def test_warm_import_is_checked_by_the_record_alone(warm_folder: Path) -> None:
    tmp_path = warm_folder
    src = tmp_path / "hp_mod.zig"
    loader, value, mods, stats, compiles = probe(tmp_path)
    assert (loader, value, compiles) == ("record", 41, 0)
    assert mods == ["zigimport", "zigimport.finder"]  # no loader.py, settings.py, ...
    record = hit_record_path(src, "hp_mod").read_text()
    lines = record.split("\n")
    assert lines[0] == finder.RECORD_MAGIC and lines[-2:] == ["end", ""]
    files = [line.split(" ", 1)[1].split("\0")[0] for line in lines if line.startswith("file ")]
    assert files == [str(src), str(tmp_path / "hp_dep.zig")]  # the source graph, each with its signature
    core = [line for line in lines if line.startswith("core ")]
    # a source checkout: every zig_core file and zigimport's key code, stat'ed once per process
    assert len(core) == len(list((Path(finder.package_dir()).parent / "zig_core").rglob("*.zig"))) + len(finder.KEY_CODE)
    # finder 1, root/entry/binary 3, record's path components, zig found (one per place tried), RECORD 1, files 2 + core
    assert stats <= 1 + 3 + len(src.parts) + 12 + 1 + 2 + len(core), stats

    # importlib.reload goes through the full check and refreshes the module in place
    out = run_python("""\
        import importlib, zigimport, hp_mod
        assert hp_mod.__spec__.loader.recorded
        print(importlib.reload(hp_mod).value(), hp_mod.__spec__.loader.recorded)
        """, cwd=tmp_path)
    assert out.stdout.split() == ["41", "False"] and compile_count(out.stderr) == 0  # reloaded through the full check


def test_edits_the_record_cannot_see_past(tmp_path: Path) -> None:
    src = warm(tmp_path)
    dep = tmp_path / "hp_dep.zig"
    record = hit_record_path(src, "hp_mod")

    # touched without change: the full check confirms the content, no compile
    past = time.time_ns() - 10 * manifest.RACY_NS
    os.utime(src, ns=(past, past))
    assert probe(tmp_path)[:2] == ("full", 41) and probe(tmp_path)[4] == 0

    # the source edited in place, same size, mtime restored (and within the same second)
    same_size_edit(src, "OWN: i64 = 1;", "OWN: i64 = 2;")
    loader, value, _, _, compiles = probe(tmp_path)
    assert (loader, value, compiles) == ("full", 42, 1)

    # an @import'ed file edited the same way
    same_size_edit(dep, "DEP: i64 = 4;", "DEP: i64 = 5;")
    loader, value, _, _, compiles = probe(tmp_path)
    assert (loader, value, compiles) == ("full", 52, 1)

    # an editor's save: a new file (new inode) renamed over the old one
    tmp = tmp_path / "hp_dep.zig.new"
    tmp.write_text(DEP.replace("4", "6"))
    os.replace(tmp, dep)
    assert probe(tmp_path)[:2] == ("full", 62)

    settle()
    assert probe(tmp_path)[1] == 62  # the record is written (here, or by the build if it took 2 s)
    assert probe(tmp_path)[:2] == ("record", 62)

    # the binary removed: the full check builds it again
    for so in Path(record.read_text().split("\n")[3]).glob("hp_mod.*.so"):
        so.unlink()
    loader, value, _, _, compiles = probe(tmp_path)
    assert (loader, value, compiles) == ("full", 62, 1)


def test_settings_the_record_does_not_cover_go_to_the_full_check(warm_folder: Path) -> None:
    tmp_path = warm_folder
    assert probe(tmp_path)[0] == "record"
    # another release mode is another record (and another build)
    loader, value, _, _, compiles = probe(tmp_path, env={"ZIG_RELEASEMODE": "Debug"})
    assert (loader, value, compiles) == ("full", 41, 1)
    # a bad setting is still an error naming it, record or not
    out = import_error("hp_mod", "zigimport.ZigSettingsError", cwd=tmp_path, env={"ZIGIMPORT_STUBS": "everywhere"})
    assert "ZIGIMPORT_STUBS='everywhere'" in out.stdout
    out = import_error("hp_mod", "zigimport.ZigSettingsError", cwd=tmp_path, env={"ZIG_RELEASEMODE": "fastest"})
    assert "ZIG_RELEASEMODE='fastest'" in out.stdout
    # a spelling the fast path leaves to settings.py still works, through the full check
    assert probe(tmp_path, env={"ZIG_RELEASEMODE": "releasesafe", "ZIGIMPORT_QUIET": " yes"})[:2] == ("full", 41)
    assert probe(tmp_path, env={"ZIGIMPORT_QUIET": "1", "ZIGIMPORT_LOCK_TIMEOUT": "30"})[0] == "record"


def test_damaged_records_fall_back_and_concurrent_writers_leave_a_good_one(tmp_path: Path) -> None:
    src = warm(tmp_path)
    record = hit_record_path(src, "hp_mod")
    good = record.read_bytes()
    for damaged in (good[: len(good) // 2], b"", b"\xff\xfe garbage\n\0\n", good.replace(b"file ", b"elif "),
                    good.replace(b"\nend\n", b"\n"), good.replace(str(src).encode(), str(tmp_path / "other.zig").encode())):
        record.write_bytes(damaged)
        loader, value, _, _, compiles = probe(tmp_path)
        assert (loader, value, compiles) == ("full", 41, 0), damaged[:80]
        assert same_record(record.read_bytes(), good)  # the full check wrote it again
    # a record another user could have written is not read
    record.chmod(0o666)
    assert probe(tmp_path)[0] == "full"

    record.unlink()
    procs = [popen_python("import zigimport, hp_mod; print(hp_mod.value())", cwd=tmp_path) for _ in range(6)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, outs
    assert [o.strip() for o, _ in outs] == ["41"] * 6
    assert same_record(record.read_bytes(), good) and not list(record.parent.glob(record.name + ".tmp-*"))
    assert probe(tmp_path)[:2] == ("record", 41)


def test_zig_core_in_a_source_checkout_is_part_of_the_record(tmp_path: Path) -> None:
    """A copy of the checkout: its zig_core file touched is seen (the record lists zig_core's files)."""
    import shutil

    from support import REPO

    tree = tmp_path / "tree"
    shutil.copytree(REPO / "zigimport", tree / "zigimport", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "zig_core", tree / "zig_core")
    past = time.time_ns() - 10 * manifest.RACY_NS
    for p in tree.rglob("*"):
        os.utime(p, ns=(past, past))
    work = tmp_path / "work"
    write(work / "hp_mod.zig", MAIN)
    write(work / "hp_dep.zig", DEP)
    env = {"PYTHONPATH": str(tree)}
    assert probe(work, env)[4] == 1
    settle()  # the copy's ctimes are recent: once older, a record can list them --
    settle()  # zigimport's own key files need twice the racy margin (hit_record._key_code), however fast the build
    assert probe(work, env)[0] == "full"
    assert probe(work, env)[0] == "record"
    core_file = tree / "zig_core" / "zig_core.zig"
    os.utime(core_file, ns=(past, past))  # same content, new ctime
    loader, value, _, _, compiles = probe(work, env)
    assert (loader, value, compiles) == ("full", 41, 0)
    # zig_core's file replaced by a copy of itself (a checkout, an installer): a new inode, the same content
    copy = core_file.with_name("zig_core.zig.copy")
    shutil.copy2(core_file, copy)
    os.replace(copy, core_file)
    assert probe(work, env)[:2] + (probe(work, env)[4],) == ("full", 41, 0)


def test_a_symlinked_folder_retargeted_to_a_hard_link_of_the_source(tmp_path: Path) -> None:
    """The source reached through a symlink is checked against its resolved path.  Retargeted to a folder where
    the same file (a hard link: same inode, same ctime) sits beside a different @import, the record must not
    match: the module is another build."""
    real_a, real_b, work = tmp_path / "a", tmp_path / "b", tmp_path / "work"
    write(real_a / "hp_mod.zig", MAIN)
    write(real_a / "hp_dep.zig", DEP)
    real_b.mkdir()
    os.link(real_a / "hp_mod.zig", real_b / "hp_mod.zig")
    write(real_b / "hp_dep.zig", DEP.replace("4", "7"))
    work.mkdir()
    (work / "pkgdir").symlink_to(real_a)
    env = {"PYTHONPATH": os.pathsep.join([str(work / "pkgdir"), os.environ.get("PYTHONPATH", "")])}  # and this zigimport
    code = 'import zigimport, hp_mod; print("record" if hp_mod.__spec__.loader.recorded else "full", hp_mod.value())'
    assert run_python(code, cwd=work, env=env).stdout.split()[1] == "41"
    settle()
    run_python(code, cwd=work, env=env)
    assert run_python(code, cwd=work, env=env).stdout.split() == ["record", "41"]
    (work / "pkgdir").unlink()
    (work / "pkgdir").symlink_to(real_b)
    out = run_python(code, cwd=work, env=env)
    assert out.stdout.split() == ["full", "71"] and compile_count(out.stderr) == 1


def test_the_fast_path_spells_settings_and_keys_as_the_full_check_does(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """finder.py repeats a few of settings.py's, cache_dir.py's and toolchain.py's rules (importing them would cost the
    warm import a module each): every value it accepts, the full check reads the same way."""
    from zigimport import cache_dir, settings, toolchain

    assert finder.RELEASE_MODES == settings.RELEASE_MODES and finder.DEFAULT_RELEASE_MODE == settings.DEFAULT_RELEASE_MODE
    assert finder.RACY_NS == manifest.RACY_NS
    assert finder.zig_binary_path() == toolchain.zig_binary()
    for name, values in (("ZIG_RELEASEMODE", ["", "Debug", "ReleaseFast", "debug", "fast"]),
                         ("ZIG_NORECOMPILE", ["", "1", "no", "YES", " 1", "maybe"]),
                         ("ZIGIMPORT_QUIET", ["on", "Off", "2"]), ("ZIGIMPORT_STUBS", ["cache", "OFF", "both"]),
                         ("ZIGIMPORT_LOCK_TIMEOUT", ["30", "0.5", "0", "-1", "nan", "soon"])):
        for value in values:
            monkeypatch.setenv(name, value)
            finder._ENV = getattr(os.environ, "_data", None)
            fast = finder.release_mode(None)
            try:
                full: str | None = settings.resolve(None).release_mode
            except Exception:
                full = None
            assert fast is None or fast == full, (name, value, fast, full)  # never accepts what settings refuses
            monkeypatch.delenv(name)
    for configured in [str(tmp_path / "c"), str(tmp_path) + "//c/", "~/zc", "rel/c", str(tmp_path / "." / "c")]:
        monkeypatch.setenv("ZIGIMPORT_CACHE_DIR", configured)
        assert finder.cache_root(None) == cache_dir.root(settings.resolve(None).cache_dir), configured
    monkeypatch.delenv("ZIGIMPORT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert finder.cache_root(None) == cache_dir.root(None)
    monkeypatch.delenv("XDG_CACHE_HOME")
    for home in (str(tmp_path / "home"), str(tmp_path / "home") + "//", "/"):  # ~/.cache from $HOME, as expanduser
        monkeypatch.setenv("HOME", home)
        assert finder.cache_root(None) == cache_dir.root(None), home
    texts = ("", "a\0b", "a\0c", "é" * 300, "\udcff")  # the record's name: the same in another process (int hashes
    names = [finder.record_hash(t) for t in texts]  # are not salted), and distinct
    other = run_python(f"from zigimport import finder; print([finder.record_hash(t) for t in {texts!r}])", cwd=tmp_path,
                       env={"PYTHONHASHSEED": "12345"}, log_level=None)
    assert other.stdout.strip() == repr(names) and len(set(names)) == len(names) and all(n.isdigit() for n in names)
