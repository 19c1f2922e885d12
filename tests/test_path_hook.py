"""Which file wins: zigimport is a ``sys.path_hooks`` entry, so ``.zig`` and ``.zig.json`` modules are found by the
FileFinder scan that finds ``.py`` and ``.so`` files, with Python's own precedence (docs/quickstart.md).

Most checks ask the import system for a spec (finding never compiles); one module is compiled and imported from
every layout the rule decides between, so the answer is also what ``import`` does.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from support import compile_count, run_python, shared_folder, write, zig_core_module

import zigimport
from zigimport.finder import ModuleLoader, ZigFileFinder, ZigPathHook

SO = importlib.machinery.EXTENSION_SUFFIXES[0]
DEBUG = {"ZIG_RELEASEMODE": "Debug"}  # the quickest compile


def found(name: str, path: list[Path]) -> tuple[str, str | None]:
    """(the kind of loader, origin) the import system finds for *name* along *path* (a package's __path__ for a
    submodule, else as sys.path), with zigimport's hook installed in this process."""
    spec = importlib.machinery.PathFinder.find_spec(name, [str(p) for p in path])
    if spec is None:
        return "none", None
    if spec.loader is None:
        return "namespace", None
    kind = {ModuleLoader: "zig", importlib.machinery.ExtensionFileLoader: "so", importlib.machinery.SourceFileLoader: "py",
            importlib.machinery.SourcelessFileLoader: "pyc"}.get(type(spec.loader), type(spec.loader).__name__)
    return kind, spec.origin


def test_the_earlier_path_entry_wins_whatever_the_kinds(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write(first / "zig_first.zig", "")
    write(second / f"zig_first{SO}", "")  # a .so later on the path loses to an earlier .zig ...
    write(first / f"so_first{SO}", "")
    write(second / "so_first.zig", "")  # ... and an earlier .so beats a later .zig, as for .py
    write(first / "py_first.py", "")
    write(second / "py_first.zig", "")
    write(first / "zig_before_py.zig", "")
    write(second / "zig_before_py.py", "")
    write(first / "zig_before_pkg.zig", "")
    write(second / "zig_before_pkg" / "__init__.py", "")
    assert found("zig_first", [first, second]) == ("zig", str(first / "zig_first.zig"))
    assert found("zig_first", [second, first]) == ("so", str(second / f"zig_first{SO}"))
    assert found("so_first", [first, second]) == ("so", str(first / f"so_first{SO}"))
    assert found("so_first", [second, first]) == ("zig", str(second / "so_first.zig"))
    assert found("py_first", [first, second]) == ("py", str(first / "py_first.py"))
    assert found("zig_before_py", [first, second]) == ("zig", str(first / "zig_before_py.zig"))
    assert found("zig_before_pkg", [first, second]) == ("zig", str(first / "zig_before_pkg.zig"))
    assert found("zig_before_pkg", [second, first])[0] == "py"  # the package, from its __init__.py


def test_in_one_folder_extension_then_py_then_pyc_then_zig_then_zig_json(tmp_path: Path) -> None:
    order = [(f"kinds{SO}", "so"), ("kinds.py", "py"), ("kinds.pyc", "pyc"), ("kinds.zig", "zig"),
             ("kinds.zig.json", "SchemaLoader")]
    for name, _ in order:
        write(tmp_path / name, "")
    for name, kind in order:
        importlib.invalidate_caches()  # the folder changed within the same clock tick, maybe (see the last test)
        assert found("kinds", [tmp_path]) == (kind, str(tmp_path / name))
        (tmp_path / name).unlink()
    importlib.invalidate_caches()
    assert found("kinds", [tmp_path]) == ("none", None)


def test_packages_and_namespace_folders_beside_a_module_of_the_same_name(tmp_path: Path) -> None:
    write(tmp_path / "regular" / "__init__.py", "")
    write(tmp_path / "regular.zig", "")
    assert found("regular", [tmp_path]) == ("py", str(tmp_path / "regular" / "__init__.py"))  # a package wins in its folder
    (tmp_path / "spacey").mkdir()  # no __init__: a namespace portion, which a module beside it beats (as a .py would)
    write(tmp_path / "spacey.zig", "")
    assert found("spacey", [tmp_path]) == ("zig", str(tmp_path / "spacey.zig"))
    # a namespace portion in an earlier entry loses to a module in a later one, as for .py
    (tmp_path / "a" / "later").mkdir(parents=True)
    write(tmp_path / "b" / "later.zig", "")
    assert found("later", [tmp_path / "a", tmp_path / "b"]) == ("zig", str(tmp_path / "b" / "later.zig"))
    # an __init__.zig (or __init__.zig.json) makes no package: the folder stays a namespace portion
    write(tmp_path / "native" / "__init__.zig", "")
    write(tmp_path / "schemas" / "__init__.zig.json", "{}")
    assert found("native", [tmp_path]) == ("namespace", None)
    assert found("schemas", [tmp_path]) == ("namespace", None)
    write(tmp_path / "native.zig", "")
    importlib.invalidate_caches()
    assert found("native", [tmp_path]) == ("zig", str(tmp_path / "native.zig"))
    # a submodule in a package folder; a package that builds with its own build.zig gives the ones no file gives
    write(tmp_path / "proj" / "__init__.py", "")
    write(tmp_path / "proj" / "fast.zig", "")
    write(tmp_path / "proj" / "build.zig", "")
    assert found("proj.fast", [tmp_path / "proj"]) == ("zig", str(tmp_path / "proj" / "fast.zig"))
    assert found("proj._native", [tmp_path / "proj"]) == ("ProjectLoader", str(tmp_path / "proj" / "build.zig"))
    assert found("_native", [tmp_path / "proj"]) == ("none", None)  # top level: not a package's build
    assert found("regular.missing", [tmp_path / "regular"]) == ("none", None)  # no build.zig there: a plain miss


def test_a_zig_file_created_after_the_folder_was_listed(tmp_path: Path) -> None:
    folder = tmp_path / "late"
    folder.mkdir()
    assert found("late_mod", [folder]) == ("none", None)  # the folder is listed now
    st = folder.stat()
    write(folder / "late_mod.zig", "")
    os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns))  # as if created within the same timestamp tick as the listing
    assert found("late_mod", [folder]) == ("none", None)  # FileFinder's listing, as for a new .py file
    importlib.invalidate_caches()
    assert found("late_mod", [folder]) == ("zig", str(folder / "late_mod.zig"))
    write(folder / "later_mod.zig", "")  # a folder whose mtime moved is listed again, no call needed
    past = st.st_mtime_ns - 10**9
    os.utime(folder, ns=(past, past))
    assert found("later_mod", [folder]) == ("zig", str(folder / "later_mod.zig"))


def test_the_hook_sits_before_filefinder_and_leaves_zipimport_alone(tmp_path: Path) -> None:
    hooks = sys.path_hooks
    ours = [i for i, h in enumerate(hooks) if isinstance(h, ZigPathHook)]
    assert len(ours) == 1 and hooks[ours[0] + 1].__name__ == "path_hook_for_FileFinder"
    assert hooks[0] is __import__("zipimport").zipimporter
    with zipfile.ZipFile(tmp_path / "lib.zip", "w") as z:
        z.writestr("zipped_mod.py", "X = 3\n")
        z.writestr("zipped_zig.zig", "")
    spec = importlib.machinery.PathFinder.find_spec("zipped_mod", [str(tmp_path / "lib.zip")])
    assert spec is not None and type(spec.loader).__name__ == "zipimporter"
    assert importlib.machinery.PathFinder.find_spec("zipped_zig", [str(tmp_path / "lib.zip")]) is None  # not from a zip
    assert type(sys.path_importer_cache[str(tmp_path / "lib.zip")]).__name__ == "zipimporter"
    with pytest.raises(ImportError, match="only directories"):
        hooks[ours[0]](str(tmp_path / "lib.zip"))


# ---- end to end, one compiled module (shared by the run) ----

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """src/pp_mod.zig compiled; so/pp_mod.<ext> a copy of its binary (the same module, found as a .so)."""
    def populate(folder: Path) -> None:
        zig_core_module(folder / "src" / "pp_mod.zig", value=5)
        out = run_python("import zigimport, pp_mod; print(pp_mod.__spec__.loader.artifact)", cwd=folder / "src", env=DEBUG)
        (folder / "so").mkdir()
        shutil.copy(out.stdout.strip(), folder / "so" / f"pp_mod{SO}")

    return shared_folder(tmp_path_factory, "path-hook-precedence", populate)


def test_import_takes_the_first_entry_and_in_one_folder_the_binary(built: Path, tmp_path: Path) -> None:
    src, so = built / "src", built / "so"
    both = tmp_path / "both"
    both.mkdir()
    shutil.copy(src / "pp_mod.zig", both / "pp_mod.zig")
    shutil.copy(so / f"pp_mod{SO}", both / f"pp_mod{SO}")
    probe = "import sys, zigimport, pp_mod; print(pp_mod.value(), pp_mod.__file__)"

    def imported(*path: Path) -> str:
        out = run_python(f"import sys; sys.path[:0] = {[str(p) for p in path]!r}\n" + probe, cwd=tmp_path, env=DEBUG)
        assert compile_count(out.stderr) == 0
        return out.stdout.strip()

    assert imported(src, so) == f"5 {src / 'pp_mod.zig'}"  # the .zig, earlier on the path
    assert imported(so, src) == f"5 {so / f'pp_mod{SO}'}"  # the .so, earlier on the path
    assert imported(both) == f"5 {both / f'pp_mod{SO}'}"  # one folder: the binary


def test_finders_made_before_import_zigimport_learn_zig_and_uninstall_forgets_it(built: Path, tmp_path: Path) -> None:
    out = run_python(f"""\
        import importlib, importlib.util, sys
        src = {str(built / "src")!r}
        sys.path.insert(0, src)
        assert importlib.util.find_spec("pp_mod") is None  # Python alone: a FileFinder for src, its folder listed
        before = sys.path_importer_cache[src]
        listing = before._path_cache
        import zigimport
        after = sys.path_importer_cache[src]
        assert type(before).__name__ == "FileFinder" and type(after).__name__ == "ZigFileFinder"
        assert after._path_cache is listing and after.path == before.path  # converted, the listing kept
        import pp_mod
        print(pp_mod.value(), type(pp_mod.__spec__.loader).__name__)
        zigimport.uninstall()
        assert not any(isinstance(h, zigimport.ZigPathHook) for h in sys.path_hooks)
        assert type(sys.path_importer_cache[src]).__name__ == "FileFinder"
        del sys.modules["pp_mod"]
        print(importlib.util.find_spec("pp_mod"))
        zigimport.install()
        print(importlib.util.find_spec("pp_mod").loader)
        """, cwd=tmp_path, env=DEBUG)
    assert out.stdout.split("\n")[:3] == ["5 ModuleLoader", "None", f"<zigimport.ModuleLoader 'pp_mod' from '{built / 'src' / 'pp_mod.zig'}'>"]


def test_sys_path_changed_while_running_and_a_subinterpreter(built: Path, tmp_path: Path) -> None:
    out = run_python(f"""\
        import sys, zigimport
        sys.path.append({str(built / "src")!r})  # a folder added later gets a finder from the hook
        import pp_mod
        print(pp_mod.value())
        import _xxsubinterpreters as interpreters
        interp = interpreters.create()
        interpreters.run_string(interp, '''
        import importlib.util, sys
        sys.path.append({str(built / "src")!r})
        import zigimport
        assert sum(isinstance(h, zigimport.ZigPathHook) for h in sys.path_hooks) == 1
        assert type(importlib.util.find_spec("pp_mod").loader).__name__ == "ModuleLoader"
        ''')
        interpreters.destroy(interp)
        print("sub ok")
        """, cwd=tmp_path, env=DEBUG)
    assert out.stdout.split() == ["5", "sub", "ok"]


def test_install_twice_adds_one_hook_and_bad_input_to_the_hook() -> None:
    hook = zigimport.install()
    assert zigimport.install() is hook and sum(isinstance(h, ZigPathHook) for h in sys.path_hooks) == 1
    with pytest.raises(ImportError, match="only directories are supported"):
        hook("/no/such/folder")
    with pytest.raises(ImportError, match="only directories are supported"):
        hook(__file__)  # a file: left to the other hooks (zipimport, for a zip)
    assert isinstance(hook(os.getcwd()), ZigFileFinder)


def test_the_quick_lookup_of_a_zig_file_answers_as_filefinder_does(tmp_path: Path) -> None:
    """ZigFileFinder answers ``name.zig`` itself, keeping the two stats for the hit record, only where FileFinder's
    answer is sure to be that file; every other layout is FileFinder's, and both give the same spec."""
    write(tmp_path / "plain.zig", "")
    write(tmp_path / "elsewhere" / "target.zig", "")
    (tmp_path / "linked.zig").symlink_to(tmp_path / "elsewhere" / "target.zig")
    write(tmp_path / "both.zig", "")
    write(tmp_path / "both.py", "")
    write(tmp_path / "pkg.zig", "")
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "space.zig", "")
    (tmp_path / "space").mkdir()
    (tmp_path / "fake.zig").mkdir()  # listed, but not a file
    finder = ZigPathHook(None)(str(tmp_path))
    finder.find_spec("plain")  # lists the folder
    for name in ("plain", "linked", "both", "pkg", "space", "fake", "late", "missing"):
        if name == "late":  # created after the listing: the folder's mtime moved (or not, within its tick)
            write(tmp_path / "late.zig", "")
        ours = finder.find_spec(name)
        theirs = importlib.machinery.FileFinder.find_spec(finder, name)
        assert (ours is None) == (theirs is None), name
        if ours is not None and theirs is not None:
            assert (type(ours.loader), ours.origin, ours.submodule_search_locations) == \
                (type(theirs.loader), theirs.origin, theirs.submodule_search_locations), name
        quick = ours is not None and isinstance(ours.loader, ModuleLoader) and ours.loader.found is not None
        if name != "late":
            assert quick == (name == "plain"), name  # a symlink, a package, a kind before .zig: FileFinder's
    spec = finder.find_spec("plain")
    assert spec is not None and isinstance(spec.loader, ModuleLoader) and spec.loader.found is not None
    folder, st = spec.loader.found
    assert (folder.st_ino, st.st_ino) == (os.stat(tmp_path).st_ino, os.lstat(tmp_path / "plain.zig").st_ino)
