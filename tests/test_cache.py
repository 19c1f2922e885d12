"""The cache: location, permissions, manifest records and the source graph."""

from __future__ import annotations

import logging
import os
import stat
import time
from pathlib import Path

import pytest
from support import built_binaries, compile_count, entry_dir, import_error, run_python, write, zig_core_module

from zigimport import cache_dir, manifest, source_graph


def test_default_root_matches_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache_dir.default_root() == platformdirs.user_cache_dir("zigimport", appauthor=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir.default_root() == platformdirs.user_cache_dir("zigimport", appauthor=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "   ")
    assert cache_dir.default_root() == platformdirs.user_cache_dir("zigimport", appauthor=False)


def test_cache_root_and_entries_are_private(tmp_path: Path) -> None:
    root = tmp_path / "private-cache"
    src = zig_core_module(tmp_path / "private_mod.zig")
    run_python("import zigimport, private_mod", cwd=tmp_path, env={"ZIGIMPORT_CACHE_DIR": str(root)})
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    (entry,) = (root / "v1").iterdir()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o700
    assert not any((p.stat().st_mode & 0o022) for p in entry.iterdir())
    # Nothing is written next to the source but the module's stub.
    assert sorted(p.name for p in src.parent.iterdir()) == ["private-cache", "private_mod.pyi", "private_mod.zig"]


def test_cache_root_writable_by_others_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    zig_core_module(tmp_path / "refused_mod.zig")
    out = import_error("refused_mod", "zigimport.ZigCacheError", cwd=tmp_path, env={"ZIGIMPORT_CACHE_DIR": str(shared)})
    assert "can be written by other users" in out.stdout and f"chmod 700 {shared}" in out.stdout
    assert compile_count(out.stderr) == 0


@pytest.mark.parametrize("target", ["entry", "binary"])
def test_entry_writable_by_others_is_discarded_and_rebuilt(tmp_path: Path, target: str) -> None:
    src = zig_core_module(tmp_path / f"tampered_{target}.zig", value=4)
    code = f"import zigimport, tampered_{target} as m; print(m.value())"
    run_python(code, cwd=tmp_path)
    entry = entry_dir(src, f"tampered_{target}")
    (binary,) = built_binaries(src, f"tampered_{target}")
    (entry if target == "entry" else binary).chmod(0o777)
    out = run_python(code, cwd=tmp_path)
    assert out.stdout.strip() == "4"
    assert compile_count(out.stderr) == 1
    assert stat.S_IMODE(entry.stat().st_mode) == 0o700
    assert not any(p.stat().st_mode & 0o022 for p in built_binaries(src, f"tampered_{target}"))


# ---- manifest ----

def _old(path: Path) -> None:
    """Backdate *path* so it is outside the racy window: its mtime, and (by waiting) its ctime, which
    utime sets to now and which the racy rule covers too (a tool that restores mtimes)."""
    past = time.time_ns() - 10 * manifest.RACY_NS
    os.utime(path, ns=(past, past))
    time.sleep(manifest.RACY_NS / 1e9 + 0.1)


def test_manifest_round_trip(tmp_path: Path) -> None:
    f = write(tmp_path / "a b.zig", "const x = 1;\n")  # a space in the path
    _old(f)
    m = manifest.Manifest("id", "a.so", "0.17.0", True, [manifest.snapshot(str(f))])
    manifest.write(str(tmp_path / "manifest"), m)
    back = manifest.read(str(tmp_path / "manifest"))
    assert back is not None
    assert (back.build_id, back.artifact, back.zig_version, back.link_libc) == ("id", "a.so", "0.17.0", True)
    assert [(i.path, i.digest, i.sig, i.racy) for i in back.inputs] == [(str(f), m.inputs[0].digest, m.inputs[0].sig, False)]
    assert manifest.first_changed(back.inputs) is None


def test_truncated_manifest_is_ignored(tmp_path: Path) -> None:
    f = write(tmp_path / "m.zig", "x")
    manifest.write(str(tmp_path / "manifest"), manifest.Manifest("id", "a.so", "0.17.0", False, [manifest.snapshot(str(f))]))
    text = (tmp_path / "manifest").read_text()
    (tmp_path / "manifest").write_text(text[: len(text) // 2])
    assert manifest.read(str(tmp_path / "manifest")) is None


def test_same_size_edit_with_restored_mtime_is_detected(tmp_path: Path) -> None:
    f = write(tmp_path / "m.zig", "return 1;")
    _old(f)
    rec = manifest.snapshot(str(f))
    assert not rec.racy
    st = f.stat()
    f.write_text("return 2;")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: only the ctime moved
    assert manifest.first_changed([rec]) == str(f)


def test_recently_modified_inputs_are_racy_and_rehashed(tmp_path: Path) -> None:
    f = write(tmp_path / "m.zig", "return 1;")
    rec = manifest.snapshot(str(f))
    assert rec.racy
    assert manifest.first_changed([rec]) is None
    f.write_text("return 1;")  # rewritten with identical content: still current
    assert manifest.first_changed([rec]) is None
    f.unlink()
    assert manifest.first_changed([rec]) == str(f)


# ---- source graph ----

def test_source_graph_follows_imports_and_embeds_transitively(tmp_path: Path) -> None:
    root = write(tmp_path / "root.zig", """\
        const std = @import("std");
        const py = @import("zig_core");
        const a = @import("a.zig");
        const cfg = @import("cfg.zon");
        // const gone = @import("commented_out.zig");
        const s = "@import(\\"in_a_string.zig\\")";
        const m =
            \\\\ @import("in_multiline.zig")
        ;
        const weird = @import( "sub/b.zig" );
        """)
    write(tmp_path / "a.zig", 'const root = @import("root.zig");\nconst d = @embedFile("data/blob.bin");\n')
    write(tmp_path / "cfg.zon", ".{ .x = 1 }\n")
    write(tmp_path / "sub/b.zig", 'const c = @import("../c\\x2ezig");\n')  # an escaped path
    write(tmp_path / "c.zig", "")
    write(tmp_path / "data/blob.bin", "\x00")
    for decoy in ("commented_out.zig", "in_a_string.zig", "in_multiline.zig"):
        write(tmp_path / decoy, "")
    files = source_graph.local_files(str(root))
    assert files == [str(tmp_path / p) for p in ("root.zig", "a.zig", "cfg.zon", "sub/b.zig", "data/blob.bin", "c.zig")]


def test_computed_embed_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = write(tmp_path / "root.zig", 'const name = "x.txt";\nconst d = @embedFile(name);\n')
    with caplog.at_level(logging.WARNING, logger="zigimport"):
        assert source_graph.local_files(str(root)) == [str(root)]
    assert f"{root}:2: @embedFile with a computed argument is not tracked" in caplog.text
