"""The import hook end to end: real compiles in real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import (MODE_NUMBERS, built_binaries, compile_count, entry_dir, import_error, raw_module, run_python, write,
                     zig_core_module)

import zigimport


@pytest.mark.per_interpreter
def test_first_import_compiles_and_a_second_process_hits_the_cache(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "first_mod.zig", value=7)
    first = run_python("import zigimport, first_mod; print(first_mod.add(2, 3), first_mod.value())", cwd=tmp_path)
    assert first.stdout.split() == ["5", "7"]
    assert compile_count(first.stderr) == 1
    binaries = built_binaries(src, "first_mod")
    assert len(binaries) == 1

    second = run_python(
        "import sys, zigimport, first_mod; print(first_mod.add(2, 3), 'zigimport.build' in sys.modules)", cwd=tmp_path
    )
    assert second.stdout.split() == ["5", "False"]  # the build machinery was never even imported
    assert compile_count(second.stderr) == 0
    assert built_binaries(src, "first_mod") == binaries


@pytest.mark.per_interpreter
def test_raw_extension_with_its_own_pyinit(tmp_path: Path) -> None:
    raw_module(tmp_path / "raw_ext.zig", value=42)
    out = run_python("import zigimport, raw_ext; print(raw_ext.answer())", cwd=tmp_path)
    assert out.stdout.strip() == "42"


@pytest.mark.per_interpreter
def test_module_file_and_spec_point_at_the_zig_source(tmp_path: Path, cache: Path) -> None:
    src = zig_core_module(tmp_path / "where_mod.zig")
    out = run_python(
        "import zigimport, where_mod\n"
        "print(where_mod.__file__); print(where_mod.__spec__.origin); print(where_mod.__spec__.loader.artifact)",
        cwd=tmp_path,
    )
    file_, origin, artifact = out.stdout.splitlines()
    assert file_ == origin == str(src)
    assert Path(artifact).is_relative_to(cache) and Path(artifact).exists()


@pytest.mark.per_interpreter
def test_find_spec_does_not_build(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "spec_only.zig")
    out = run_python(
        "import importlib.util, sys, zigimport\n"
        "spec = importlib.util.find_spec('spec_only')\n"
        "print(spec.origin); print('spec_only' in sys.modules, 'zigimport.build' in sys.modules)",
        cwd=tmp_path,
    )
    assert out.stdout.splitlines() == [str(src), "False False"]
    assert compile_count(out.stderr) == 0
    assert not entry_dir(src, "spec_only").exists()


def test_editing_the_source_rebuilds_even_within_one_timestamp_tick(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "edit_mod.zig", value=1)
    assert run_python("import zigimport, edit_mod; print(edit_mod.value())", cwd=tmp_path).stdout.strip() == "1"
    # Same size, written immediately: mtime may not move on a coarse-timestamp filesystem.
    zig_core_module(src, value=2)
    out = run_python("import zigimport, edit_mod; print(edit_mod.value())", cwd=tmp_path)
    assert out.stdout.strip() == "2"
    assert compile_count(out.stderr) == 1


def test_editing_helpers_one_and_two_imports_away_rebuilds(tmp_path: Path) -> None:
    write(tmp_path / "graph_mod.zig", """\
        const py = @import("zig_core");
        const helper = @import("lib/helper.zig");
        pub fn value() i64 { return helper.value(); }
        comptime { py.module(@This()); }
        """)
    write(tmp_path / "lib/helper.zig", """\
        const deeper = @import("deep/deeper.zig");
        pub fn value() i64 { return 10 * deeper.value() + @as(i64, @embedFile("data.txt").len); }
        """)
    deep = write(tmp_path / "lib/deep/deeper.zig", "pub fn value() i64 { return 1; }\n")
    data = write(tmp_path / "lib/data.txt", "abc")
    code = "import zigimport, graph_mod; print(graph_mod.value())"
    assert run_python(code, cwd=tmp_path).stdout.strip() == "13"

    write(tmp_path / "lib/helper.zig", (tmp_path / "lib/helper.zig").read_text().replace("10 *", "20 *"))
    assert run_python(code, cwd=tmp_path).stdout.strip() == "23"  # one hop
    write(deep, "pub fn value() i64 { return 2; }\n")
    assert run_python(code, cwd=tmp_path).stdout.strip() == "43"  # two hops
    write(data, "abcdef")
    assert run_python(code, cwd=tmp_path).stdout.strip() == "46"  # an embedded file
    out = run_python(code, cwd=tmp_path)
    assert out.stdout.strip() == "46" and compile_count(out.stderr) == 0


def test_switching_release_mode_builds_a_separate_entry(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "mode_mod.zig")
    code = "import zigimport, mode_mod; print(mode_mod.mode())"
    default = run_python(code, cwd=tmp_path)
    assert default.stdout.strip() == str(MODE_NUMBERS[zigimport.DEFAULT_RELEASE_MODE])
    for mode in ("Debug", "ReleaseFast", "ReleaseSmall"):
        out = run_python(code, cwd=tmp_path, env={"ZIG_RELEASEMODE": mode})
        assert out.stdout.strip() == str(MODE_NUMBERS[mode])
        assert compile_count(out.stderr) == 1
        assert len(built_binaries(src, "mode_mod", mode)) == 1
    back = run_python(code, cwd=tmp_path, env={"ZIG_RELEASEMODE": "Debug"})
    assert back.stdout.strip() == "0" and compile_count(back.stderr) == 0


def test_install_arguments_take_precedence_over_the_environment(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "prec_mod.zig")
    out = run_python("import zigimport; zigimport.install(release_mode='ReleaseFast'); import prec_mod; print(prec_mod.mode())",
                     cwd=tmp_path, env={"ZIG_RELEASEMODE": "Debug"})
    assert out.stdout.strip() == "2"


def test_norecompile_loads_the_last_build_even_if_stale(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "frozen_mod.zig", value=1)
    code = "import zigimport, frozen_mod; print(frozen_mod.value())"
    run_python(code, cwd=tmp_path)
    zig_core_module(src, value=2)
    out = run_python(code, cwd=tmp_path, env={"ZIG_NORECOMPILE": "1"})
    assert out.stdout.strip() == "1"
    assert compile_count(out.stderr) == 0
    assert "stale" in out.stderr
    assert run_python(code, cwd=tmp_path).stdout.strip() == "2"  # and without it, the edit is built


def test_norecompile_without_a_previous_build_raises(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "never_built.zig")
    out = run_python("""\
        import zigimport
        try:
            import never_built
        except ImportError as e:
            print(type(e).__name__, e)
        """, cwd=tmp_path, env={"ZIG_NORECOMPILE": "1"})
    assert out.stdout.startswith("ZigImportError ZIG_NORECOMPILE is set and there is no earlier build")
    assert compile_count(out.stderr) == 0


def test_norecompile_via_install(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "never_built2.zig")
    out = run_python("""\
        import zigimport
        zigimport.install(norecompile=True)
        try:
            import never_built2
        except ImportError as e:
            print('refused:', 'no earlier build' in str(e))
        """, cwd=tmp_path)
    assert out.stdout.strip() == "refused: True"


@pytest.mark.parametrize("value", ["Fast", "debug mode", "3"])
def test_bad_release_mode_lists_the_valid_values(tmp_path: Path, value: str) -> None:
    zig_core_module(tmp_path / "badmode_mod.zig")
    out = run_python("""\
        import zigimport
        try:
            import badmode_mod
        except zigimport.ZigSettingsError as e:
            print(isinstance(e, ImportError), isinstance(e, ValueError)); print(e)
        """, cwd=tmp_path, env={"ZIG_RELEASEMODE": value})
    flags, message = out.stdout.splitlines()
    assert flags == "True True"
    assert f"ZIG_RELEASEMODE={value!r}" in message
    assert "Debug, ReleaseSafe, ReleaseFast, ReleaseSmall" in message


def test_bad_install_argument_raises_immediately() -> None:
    with pytest.raises(ValueError, match="valid values: Debug, ReleaseSafe, ReleaseFast, ReleaseSmall"):
        zigimport.install(release_mode="Turbo")
    with pytest.raises(ValueError, match="norecompile"):
        zigimport.install(norecompile="yes")  # type: ignore[arg-type]
    zigimport.install()


def test_release_mode_is_case_insensitive(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "case_mod.zig")
    out = run_python("import zigimport, case_mod; print(case_mod.mode())", cwd=tmp_path, env={"ZIG_RELEASEMODE": "releasefast"})
    assert out.stdout.strip() == "2"


@pytest.mark.per_interpreter
def test_compile_error_is_an_import_error_with_zig_diagnostics(tmp_path: Path) -> None:
    write(tmp_path / "broken_mod.zig", """\
        const py = @import("zig_core");
        pub fn add(a: i64, b: i64) i64 {
            return a + b + undefined_name;
        }
        comptime { py.module(@This()); }
        """)
    out = run_python("""\
        import zigimport, traceback
        try:
            import broken_mod
        except zigimport.ZigCompileError as e:
            frames = [f.filename for f in traceback.extract_tb(e.__traceback__)]
            print(isinstance(e, ImportError), e.release_mode, sum('zigimport' in f for f in frames))
            print(e)
        """, cwd=tmp_path)
    lines = out.stdout.splitlines()
    assert lines[0] == "True ReleaseSafe 1"  # one frame of ours (the loader), not a chain through the build internals
    text = "\n".join(lines[1:])
    assert "broken_mod.zig:3:20: error: use of undeclared identifier 'undefined_name'" in text
    assert "return a + b + undefined_name;" in text


def test_uncaught_compile_error_output_is_short(tmp_path: Path) -> None:
    write(tmp_path / "broken2.zig", "pub fn f() i64 { return \"x\"; }\nexport fn g() i64 { return f(); }\n")
    out = run_python("import zigimport, broken2", cwd=tmp_path, check=False, log_level=None)
    assert out.returncode == 1
    assert "zigimport.errors.ZigCompileError: failed to compile" in out.stderr
    assert "broken2.zig:1:25: error: expected type 'i64'" in out.stderr
    assert "build.py" not in out.stderr and "During handling" not in out.stderr


@pytest.mark.per_interpreter
def test_compiles_but_exports_no_pyinit(tmp_path: Path) -> None:
    write(tmp_path / "no_init.zig", "export fn helper() i32 { return 1; }\n")
    out = import_error("no_init", "ImportError", cwd=tmp_path)
    assert "exports no PyInit_no_init" in out.stdout
    assert "py.module(@This())" in out.stdout


@pytest.mark.per_interpreter
def test_package_submodule(tmp_path: Path) -> None:
    write(tmp_path / "pkg/__init__.py", "")
    sub = zig_core_module(tmp_path / "pkg/sub.zig", value=5)
    out = run_python("import zigimport, pkg.sub; print(pkg.sub.value(), pkg.sub.__name__, pkg.sub.__file__)", cwd=tmp_path)
    assert out.stdout.split() == ["5", "pkg.sub", str(sub)]


def test_same_named_modules_in_two_folders_never_share_a_build(tmp_path: Path) -> None:
    a = zig_core_module(tmp_path / "a/twin.zig", value=1)
    b = zig_core_module(tmp_path / "b/twin.zig", value=2)
    assert run_python("import zigimport, twin; print(twin.value())", cwd=tmp_path / "a").stdout.strip() == "1"
    assert run_python("import zigimport, twin; print(twin.value())", cwd=tmp_path / "b").stdout.strip() == "2"
    assert entry_dir(a, "twin") != entry_dir(b, "twin")
    assert run_python("import zigimport, twin; print(twin.value())", cwd=tmp_path / "a").stdout.strip() == "1"


def test_python_sources_and_packages_take_precedence(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "both.zig")
    write(tmp_path / "both.py", "SOURCE = 'py'\n")
    out = run_python("import zigimport, both; print(both.SOURCE)", cwd=tmp_path)
    assert out.stdout.strip() == "py" and compile_count(out.stderr) == 0


def test_unrelated_missing_module_still_raises_module_not_found(tmp_path: Path) -> None:
    out = run_python("""\
        import zigimport
        try:
            import surely_not_a_module_anywhere
        except ModuleNotFoundError as e:
            print(e.name)
        """, cwd=tmp_path)
    assert out.stdout.strip() == "surely_not_a_module_anywhere"


@pytest.mark.per_interpreter
def test_reload_picks_up_edits(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "reload_mod.zig", value=1)
    out = run_python(f"""\
        import importlib, pathlib, zigimport, reload_mod
        before = reload_mod.value()
        p = pathlib.Path({str(src)!r})
        p.write_text(p.read_text().replace("VALUE: i64 = 1", "VALUE: i64 = 9"))
        importlib.reload(reload_mod)
        print(before, reload_mod.value(), reload_mod.__file__ == str(p))
        """, cwd=tmp_path)
    assert out.stdout.split() == ["1", "9", "True"]


def test_install_is_idempotent_and_uninstall_removes_the_hook(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "hooked.zig")
    out = run_python("""\
        import sys, zigimport
        zigimport.install(); zigimport.install()
        print(sum(isinstance(h, zigimport.ZigPathHook) for h in sys.path_hooks))
        zigimport.uninstall()
        try:
            import hooked
        except ModuleNotFoundError:
            print('gone')
        zigimport.install()
        import hooked
        print(hooked.add(1, 1))
        """, cwd=tmp_path)
    assert out.stdout.split() == ["1", "gone", "2"]


def test_build_log_names_file_mode_and_duration(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "logged_mod.zig")
    out = run_python("import zigimport, logged_mod", cwd=tmp_path, env={"ZIG_RELEASEMODE": "ReleaseFast"})
    assert f"zigimport:INFO:compiling {src} (ReleaseFast)" in out.stderr
    assert f"zigimport:INFO:compiled {src} (ReleaseFast) in " in out.stderr


def test_corrupted_binary_is_rebuilt(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "corrupt_mod.zig", value=3)
    code = "import zigimport, corrupt_mod; print(corrupt_mod.value())"
    run_python(code, cwd=tmp_path)
    (binary,) = built_binaries(src, "corrupt_mod")
    binary.write_bytes(b"\x7fELF garbage")
    out = run_python(code, cwd=tmp_path)
    assert out.stdout.strip() == "3"
    assert compile_count(out.stderr) == 1


@pytest.mark.per_interpreter
def test_missing_ziglang_names_the_package(tmp_path: Path) -> None:
    """No site-packages (-S); only zigimport and its pure-Python deps on the path, not ziglang."""
    import filelock
    import platformdirs

    site = tmp_path / "site"
    site.mkdir()
    for pkg in (zigimport, filelock, platformdirs):
        (site / pkg.__name__).symlink_to(Path(pkg.__file__).parent)
    (site / "zig_core").symlink_to(Path(zigimport.__file__).parent.parent / "zig_core")
    zig_core_module(tmp_path / "needs_zig.zig")
    code = "import zigimport\ntry:\n    import needs_zig\nexcept zigimport.ZigToolchainError as e:\n    print(e)\n"
    proc = subprocess.run([sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(site)})
    assert "'ziglang' package" in proc.stdout, proc.stderr
    assert "pip install 'ziglang>=0.17,<0.18'" in proc.stdout


def test_lock_timeout_is_actionable(tmp_path: Path) -> None:
    from filelock import FileLock

    src = zig_core_module(tmp_path / "locked_mod.zig")
    d = entry_dir(src, "locked_mod")
    d.mkdir(parents=True, mode=0o700)
    with FileLock(str(d / "lock")):
        started = time.monotonic()
        out = import_error("locked_mod", "zigimport.ZigCacheError", cwd=tmp_path, env={"ZIGIMPORT_LOCK_TIMEOUT": "1"})
        assert time.monotonic() - started < 30
    assert "timed out after 1 s waiting for another process to finish building" in out.stdout
    assert "ZIGIMPORT_LOCK_TIMEOUT" in out.stdout


@pytest.mark.per_interpreter
def test_submodule_of_an_editable_style_package_and_a_namespace_package(tmp_path: Path) -> None:
    """setuptools' editable installs map a package outside sys.path with a finder of their own:
    only the package's __path__ leads to its .zig submodules."""
    init = write(tmp_path / "src/edpkg/__init__.py", "")
    zig_core_module(tmp_path / "src/edpkg/fast.zig", value=21)
    zig_core_module(tmp_path / "nspkg/inner.zig", value=22)  # no __init__.py: a namespace package
    out = run_python(f"""\
        import importlib.util, sys

        class EditableMapping:
            @classmethod
            def find_spec(cls, name, path=None, target=None):
                if name == "edpkg":
                    return importlib.util.spec_from_file_location(
                        name, {str(init)!r}, submodule_search_locations=[{str(init.parent)!r}])
                return None

        sys.meta_path.insert(0, EditableMapping)
        import zigimport, edpkg.fast, nspkg.inner
        print(edpkg.fast.value(), nspkg.inner.value(), edpkg.fast.__name__)
        """, cwd=tmp_path)
    assert out.stdout.split() == ["21", "22", "edpkg.fast"]
