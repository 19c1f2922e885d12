"""A package with Zig modules (examples/editable_pkg) installed the ways users install it, in a real venv with real pip.

One venv per run (shared by every test and xdist worker): zigimport installed from this checkout's
wheel (the `zigimport_wheel` fixture) with its dependencies (ziglang ...), then the example package installed
editable from a copy, its build backend in pip's isolated build environment; pip resolves all of them from
`support.wheelhouse()`, the index's wheels kept between runs, not from the network (`support.editable_venv`,
started when the session starts).  The venv's python runs without PYTHONPATH, so it imports the installed
zigimport, as a user's would.
Builds are Debug (the fastest to compile); each test edits its own module so that they do not race.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from support import REPO, compile_count, editable_venv, offline_pip, wheelhouse

EXAMPLE = REPO / "examples" / "editable_pkg"


class Venv:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.python = folder / "venv" / "bin" / "python"
        self.package = folder / "pkg" / "src" / "fastpkg"  # the editable install's source tree

    def subpackage(self, name: str) -> Path:
        """fastpkg.<name>, a folder of the editable tree only one test writes into (tests may run at once)."""
        folder = self.package / name
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").write_text("")
        return folder

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZIG_NORECOMPILE", "ZIG_RELEASEMODE")}
        return {**env, "ZIG_RELEASEMODE": "Debug", **extra}

    def run(self, code: str, *, cwd: Path, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        prelude = "import logging; logging.basicConfig(level=logging.INFO, format='%(name)s:%(levelname)s:%(message)s')\n"
        proc = subprocess.run([str(self.python), "-c", prelude + textwrap.dedent(code)], cwd=cwd, env=self.env(**env),
                              capture_output=True, text=True, timeout=600)
        if check and proc.returncode != 0:
            raise AssertionError(f"failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc


def _pip(python: Path, *args: str) -> None:
    """pip install into the venv of *python*, run by this interpreter's pip (the venv has none: ensurepip is slow),
    from the wheelhouse (a build backend too, in pip's isolated build environment)."""
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", *args],
                          capture_output=True, text=True, timeout=900, env={**os.environ, **offline_pip(wheelhouse())})
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, zigimport_wheel: Path, zigimport_cache: Path) -> Venv:
    return Venv(editable_venv(tmp_path_factory, zigimport_wheel))  # started by conftest's early_setups


def test_the_package_imports_zigimport_from_the_venv_and_its_module_from_the_source_tree(venv: Venv, tmp_path: Path) -> None:
    proc = venv.run("""\
        import zigimport, fastpkg, fastpkg.kernels as k
        print(zigimport.__file__)
        print(k.__file__)
        assert k.sum_squares([1.0, 2.0, 3.0]) == 14.0 and fastpkg.kernels is k
        """, cwd=tmp_path)
    zigimport_file, kernels_file = proc.stdout.splitlines()
    assert zigimport_file.startswith(str(venv.folder / "venv")) and "site-packages" in zigimport_file
    assert kernels_file == str(venv.package / "kernels.zig")
    # the package's schema module, from the source tree as well: a validating class, its stub beside it
    schema = venv.run("""\
        import zigimport, fastpkg.point as pt
        p = pt.Point(x=1.5, y=2.0, label="origin")
        assert pt.Point.from_json(p.to_json()) == p and p.__module__ == "fastpkg.point"
        try:
            pt.Point(x=0.0, y=0.0, label="x" * 33)
        except zigimport.SchemaValidationError as e:
            assert e.path == "label" and e.rule == "maxLength", e
        else:
            raise AssertionError("maxLength not checked")
        print(pt.__file__)
        """, cwd=tmp_path)
    assert schema.stdout.strip() == str(venv.package / "point.zig.json")
    assert "class Point" in (venv.package / "point.pyi").read_text()
    # the console script is installed with zigimport
    info = subprocess.run([str(venv.folder / "venv" / "bin" / "zigimport"), "info", str(venv.package)],
                          env=venv.env(), capture_output=True, text=True, timeout=300)
    assert info.returncode == 0 and "fastpkg.kernels" in info.stdout, info.stdout + info.stderr


def write_module(path: Path, version: int, extra: str = "") -> None:
    path.write_text(textwrap.dedent(f"""\
        const py = @import("zig_core");
        pub fn version() i64 {{
            return {version};
        }}
        {extra}
        comptime {{
            py.module(@This());
        }}
        """))


def test_editing_a_module_rebuilds_on_the_next_import_and_keeps_the_stub_in_sync(venv: Venv, tmp_path: Path) -> None:
    sub = venv.subpackage("editing")
    mod = sub / "edited.zig"
    stub = sub / "edited.pyi"
    write_module(mod, 1)
    first = venv.run("import fastpkg.editing.edited as m; print(m.version())", cwd=tmp_path)
    assert first.stdout == "1\n" and compile_count(first.stderr) == 1
    assert "def version() -> int:" in stub.read_text()
    written = stub.stat().st_mtime_ns
    again = venv.run("import fastpkg.editing.edited as m; print(m.version())", cwd=tmp_path)
    assert again.stdout == "1\n" and compile_count(again.stderr) == 0  # a new process: a cache hit
    time.sleep(0.01)
    write_module(mod, 2)  # the body changes, the signatures do not
    edited = venv.run("import fastpkg.editing.edited as m; print(m.version())", cwd=tmp_path)
    assert edited.stdout == "2\n" and compile_count(edited.stderr) == 1
    assert stub.stat().st_mtime_ns == written  # the same stub text: not rewritten
    write_module(mod, 3, "pub fn twice(x: i64) i64 {\n    return 2 * x;\n}")
    grown = venv.run("import fastpkg.editing.edited as m; print(m.version(), m.twice(4))", cwd=tmp_path)
    assert grown.stdout == "3 8\n" and "def twice(x: int) -> int:" in stub.read_text()
    # the module is deleted: its stub goes with the next build in that folder ...
    mod.unlink()
    write_module(sub / "sibling.zig", 1)
    venv.run("import fastpkg.editing.sibling", cwd=tmp_path)
    assert not stub.exists() and (sub / "sibling.pyi").exists()
    # ... or with `zigimport stubs` (the console script), which also writes missing ones
    (sub / "sibling.zig").unlink()
    write_module(sub / "fresh.zig", 1)
    proc = subprocess.run([str(venv.folder / "venv" / "bin" / "zigimport"), "stubs", str(sub)], env=venv.env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "removed" in proc.stdout and not (sub / "sibling.pyi").exists() and (sub / "fresh.pyi").exists(), proc.stdout


def test_workers_with_zig_norecompile_load_what_the_parent_built(venv: Venv, tmp_path: Path) -> None:
    write_module(venv.subpackage("workers") / "shared.zig", 10)
    (tmp_path / "parent.py").write_text(textwrap.dedent("""\
        import logging, multiprocessing, os, sys
        logging.basicConfig(level=logging.INFO, format="%(name)s:%(levelname)s:%(message)s")
        import fastpkg.workers.shared

        def work(i):
            import fastpkg.workers.shared as m  # the worker's own import: ZIG_NORECOMPILE=1 forbids compiling
            return m.version() + i

        if __name__ == "__main__":
            print("parent", fastpkg.workers.shared.version(), flush=True)
            os.environ["ZIG_NORECOMPILE"] = "1"  # inherited by the workers, as pyzig's test workers set it
            if len(sys.argv) > 1:  # the source is edited after the parent built it
                with open(fastpkg.workers.shared.__file__, "a") as f:
                    f.write("// edited\\n")
            with multiprocessing.get_context("spawn").Pool(2) as pool:
                print("workers", pool.map(work, [1, 2]), flush=True)
        """))
    proc = subprocess.run([str(venv.python), "parent.py"], cwd=tmp_path, env=venv.env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "parent 10\nworkers [11, 12]\n" and compile_count(proc.stderr) == 1, proc.stderr
    stale = subprocess.run([str(venv.python), "parent.py", "edit"], cwd=tmp_path, env=venv.env(), capture_output=True,
                           text=True, timeout=600)
    assert stale.returncode == 0 and stale.stdout == "parent 10\nworkers [11, 12]\n", stale.stderr
    assert compile_count(stale.stderr) == 0 and "ZIG_NORECOMPILE is set: loading fastpkg.workers.shared built before" in stale.stderr
    never = venv.run("import fastpkg.workers.shared", cwd=tmp_path, check=False, ZIG_NORECOMPILE="1", ZIG_RELEASEMODE="ReleaseSmall")
    assert never.returncode == 1 and "ZIG_NORECOMPILE is set and there is no earlier build" in never.stderr


def _read_only(folder: Path, code: str, venv: Venv, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run *code* in the venv with *folder* first on sys.path and not writable (a read-only bind mount when we
    are root, whom permission bits do not stop)."""
    script = cwd / "ro_check.py"
    script.write_text("import logging; logging.basicConfig(level=logging.INFO, format='%(name)s:%(levelname)s:%(message)s')\n"
                      + textwrap.dedent(code))
    env = venv.env(PYTHONPATH=str(folder))
    if os.geteuid() == 0:
        cmd = ["unshare", "-m", "sh", "-c", 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && exec "$2" "$3"',
               "sh", str(folder), str(venv.python), str(script)]
    else:
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        cmd = [str(venv.python), str(script)]
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    finally:
        if os.geteuid() != 0:
            for p in [folder, *folder.rglob("*")]:
                p.chmod(p.stat().st_mode | 0o200)


def test_regular_install_into_a_read_only_site_packages_imports(venv: Venv, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    _pip(venv.python, "--no-deps", "--target", str(target), str(EXAMPLE))  # a wheel built from the repo's example
    assert (target / "fastpkg" / "kernels.zig").is_file() and (target / "fastpkg" / "point.zig.json").is_file()
    proc = _read_only(target, """\
        import os, subprocess, sys
        # built ahead of time, as a Docker image's build step would (the console script's command, by package name)
        built = subprocess.run([sys.executable, "-m", "zigimport", "build", "fastpkg"], capture_output=True, text=True)
        assert built.returncode == 0, built.stdout + built.stderr
        print(built.stdout.splitlines()[-1])
        import fastpkg.kernels as k
        assert k.sum_squares([3.0, 4.0]) == 25.0
        import fastpkg.point as pt  # the schema module, built by the same command
        assert pt.Point.from_json('{"x": 1.5, "y": 2}').y == 2
        print(k.__file__)
        try:
            open(os.path.join(os.path.dirname(k.__file__), "probe"), "w")
        except OSError as e:
            print("read-only", e.errno)
        """, venv, tmp_path)
    assert proc.returncode == 0, proc.stderr
    built, origin, probe = proc.stdout.splitlines()
    # kernels.zig compiles (its entry is keyed by its path); the schema's entry is keyed by its content, so
    # it may be current already when another test imported the same point.zig.json from the source tree
    assert built in ("2 builds: 2 compiled, 0 already current, 0 failed", "2 builds: 1 compiled, 1 already current, 0 failed"), built
    assert compile_count(proc.stderr) == 0
    assert origin == str(target / "fastpkg" / "kernels.zig")
    assert probe.startswith("read-only")  # the folder really was read-only
    assert not (target / "fastpkg" / "kernels.pyi").exists()  # the stub went to the cache entry instead
