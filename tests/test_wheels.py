"""Prebuilt wheels (docs/wheels.md): the hatchling hook, a fresh venv without ziglang or zigimport, manylinux
(auditwheel's verdict), cross-compiled wheels inspected (ELF with pyelftools, Mach-O with macholib).

One wheel per target is built per run (for every xdist worker: `support.shared_folder`) with ``pip wheel
--no-deps --no-build-isolation`` from a copy of examples/wheel_pkg; the native one is installed into one fresh venv.  The worktree's zigimport is not installed, so
its ``hatch`` entry point is registered the way installing it would: a ``.dist-info`` on PYTHONPATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import fresh_venv, hatch_entry_point, shared_folder

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "wheel_pkg"
PY = f"{sys.version_info[0]}{sys.version_info[1]}"
# Undefined symbols a wheel's extension may have: the C API (the interpreter supplies it) and libc's.
LIBC = {"memcpy", "memset", "memmove", "memcmp", "abort", "write", "__errno_location", "strlen", "bcmp", "dl_iterate_phdr",
        "getauxval", "__tls_get_addr", "_tlv_bootstrap", "dyld_stub_binder", "__bzero", "bzero", "___chkstk_darwin", "_dyld_get_image_header"}


def _env(extra_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(extra_path), str(REPO)])
    env["PIP_NO_INDEX"] = "1"
    return env


def build_wheel(root: Path, *, hook_options: str = "", target: str | None = None, check: bool = True
                ) -> tuple[Path | None, subprocess.CompletedProcess[str]]:
    """Copy the example to *root*, add *hook_options* to its hook table, ``pip wheel`` it into root/dist."""
    project = root / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "dist", "__pycache__", "*.pyi", "*.so"))
    if hook_options:
        pyproject = project / "pyproject.toml"
        pyproject.write_text(pyproject.read_text() + hook_options + "\n")
    env = _env(hatch_entry_point(root / "entry"))
    if target:
        env["ZIGIMPORT_WHEEL_TARGET"] = target
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(root / "dist"), str(project)], env=env, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"pip wheel failed:\n{proc.stdout}\n{proc.stderr}")
    wheels = sorted((root / "dist").glob("*.whl")) if (root / "dist").exists() else []
    return (wheels[0] if wheels else None), proc


def _built(tmp_path_factory: pytest.TempPathFactory, target: str | None = None) -> Path:
    """The example's wheel for *target* (None: this machine), built once per run, whichever worker asks first."""
    def build(folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
        folder.mkdir()
        build_wheel(folder, target=target)

    (path,) = (shared_folder(tmp_path_factory, f"fastwheel-{target or 'native'}", build) / "dist").glob("*.whl")
    return path


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory)


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no pip, no ziglang, no zigimport) with the wheel installed, one per run."""
    def populate(folder: Path) -> None:
        shutil.rmtree(folder / "v", ignore_errors=True)
        fresh_venv(folder / "v", "--no-deps", "--no-index", str(wheel))

    return shared_folder(tmp_path_factory, "fastwheel-venv", populate) / "v"


def _venv_python(venv: Path, code: str, *, pythonpath: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZIGIMPORT_CACHE_DIR")}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    proc = subprocess.run([str(venv / "bin" / "python"), "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, cwd=venv)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_wheel_tag_and_contents(wheel: Path) -> None:
    assert wheel.name == f"fastwheel-0.1.0-cp{PY}-cp{PY}-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (f"fastwheel/kernels.cpython-{PY}-x86_64-linux-gnu.so", f"fastwheel/point.cpython-{PY}-x86_64-linux-gnu.so",
                 "fastwheel/kernels.pyi", "fastwheel/point.pyi", "fastwheel/py.typed",
                 "fastwheel/kernels.zig", "fastwheel/point.zig.json", "fastwheel/__init__.py",
                 "fastwheel/kernels.zigimport-prebuilt.json", "fastwheel/point.zigimport-prebuilt.json"):
        assert name in names, name
    wheel_meta = zipfile.ZipFile(wheel).read("fastwheel-0.1.0.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: false" in wheel_meta
    stub = zipfile.ZipFile(wheel).read("fastwheel/kernels.pyi").decode()
    assert "def sum_squares(" in stub and "def factorial(" in stub


def test_installed_without_zigimport_or_ziglang(venv: Path) -> None:
    out = _venv_python(venv, """
import importlib.util, pickle
assert importlib.util.find_spec("zigimport") is None and importlib.util.find_spec("ziglang") is None
from fastwheel import kernels, point
assert kernels.__file__.endswith(".so") and "site-packages" in kernels.__file__
assert kernels.sum_squares([1.0, 2.0, 3.0]) == 14.0
assert kernels.factorial(20) == 2432902008176640000
p = point.Point(x=1, y=2.5, label="a")
assert (p.x, p.y, p.label) == (1.0, 2.5, "a")
assert point.Point.from_json('{"x": 3, "y": 4}').y == 4.0
# zigimport.errors is not there: the schema module's own classes, same names, ValueError subclasses
E, D = point.SchemaValidationError, point.SchemaDecodeError
assert issubclass(E, ValueError) and issubclass(D, ValueError) and E.__module__ == "fastwheel.point"
try:
    point.Point(x="a", y=1)
except E as e:
    assert (str(e), e.path, e.rule) == ("x: 'a' is not of type 'number'", "x", "type"), (str(e), e.path, e.rule)
else:
    raise AssertionError("no SchemaValidationError")
try:
    point.Point.from_json('{"x": 1,')
except D as e:
    assert (e.lineno, e.colno, e.pos) == (1, 9, 8) and str(e).endswith("line 1 column 9 (char 8)"), str(e)
else:
    raise AssertionError("no SchemaDecodeError")
again = pickle.loads(pickle.dumps(E("x: bad", "x", "type")))
assert type(again) is E and again.path == "x" and again.rule == "type"
print("ok")
""")
    assert out.strip() == "ok"


def test_prebuilt_wins_when_zigimport_is_installed(venv: Path) -> None:
    """With zigimport importable the package's ``import zigimport`` installs the finder, yet PathFinder finds the
    wheel's binary first (nothing compiles), and the schema module uses zigimport.errors' classes."""
    out = _venv_python(venv, """
import sys, zigimport, zigimport.errors
from fastwheel import kernels, point
assert "site-packages" in kernels.__file__ and "site-packages" in point.__file__
assert point.SchemaValidationError is zigimport.errors.SchemaValidationError
assert point.SchemaDecodeError is zigimport.errors.SchemaDecodeError
print("ok")
""", pythonpath=os.pathsep.join([str(REPO), *[p for p in sys.path if p.endswith("site-packages")]]))
    assert out.strip() == "ok"


def test_auditwheel_manylinux(wheel: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    m = re.search(r'consistent with the following platform tag: "manylinux_(\d+)_(\d+)_x86_64"', text)
    assert m is not None, proc.stdout
    assert (int(m[1]), int(m[2])) <= (2, 17), proc.stdout  # manylinux_2_5 today: no versioned glibc symbol at all
    assert "requires no external shared libraries" in text, proc.stdout


def _elf_facts(data: bytes) -> tuple[str, set[str], set[str], set[str]]:
    """(machine, undefined dynamic symbols, defined exported ones, GLIBC_ versions needed) of an ELF image."""
    import io

    from elftools.elf.elffile import ELFFile
    from elftools.elf.gnuversions import GNUVerNeedSection

    elf = ELFFile(io.BytesIO(data))
    undefined, exported, versions = set(), set(), set()
    for sym in elf.get_section_by_name(".dynsym").iter_symbols():
        if not sym.name:
            continue
        (undefined if sym["st_shndx"] == "SHN_UNDEF" else exported).add(sym.name)
    for section in elf.iter_sections():
        if isinstance(section, GNUVerNeedSection):
            for _need, auxes in section.iter_versions():
                versions.update(aux.name for aux in auxes)
    assert elf["e_type"] == "ET_DYN"
    return elf["e_machine"], undefined, exported, versions


def _macho_facts(path: Path) -> tuple[int, int, set[str], set[str]]:
    """(cputype, filetype, undefined external symbols, defined external ones) of a thin Mach-O file."""
    from macholib.MachO import MachO
    from macholib.SymbolTable import SymbolTable

    m = MachO(str(path))
    assert len(m.headers) == 1
    header = m.headers[0].header
    table = SymbolTable(m)
    undefined = {name.decode() for _nlist, name in table.undefsyms}
    exported = {name.decode() for _nlist, name in table.extdefsyms}
    return header.cputype, header.filetype, undefined, exported


def _python_or_libc(name: str) -> bool:
    return name.startswith(("Py", "_Py")) or name in LIBC


def test_linux_binary_is_baseline_x86_64_glibc_2_17(wheel: Path) -> None:
    z = zipfile.ZipFile(wheel)
    for tail in ("kernels", "point"):
        machine, undefined, exported, versions = _elf_facts(z.read(f"fastwheel/{tail}.cpython-{PY}-x86_64-linux-gnu.so"))
        assert machine == "EM_X86_64"
        assert f"PyInit_{tail}" in exported
        assert all(_python_or_libc(s) for s in undefined), sorted(s for s in undefined if not _python_or_libc(s))
        assert all(tuple(map(int, v[6:].split("."))) <= (2, 17) for v in versions if v.startswith("GLIBC_")), versions


CROSS = {  # target -> (wheel platform tag, extension suffix, format check)
    "aarch64-linux-gnu": ("manylinux_2_17_aarch64.manylinux2014_aarch64", f".cpython-{PY}-aarch64-linux-gnu.so", "EM_AARCH64"),
    "x86_64-macos": ("macosx_10_13_x86_64", f".cpython-{PY}-darwin.so", 0x01000007),  # CPU_TYPE_X86_64
    "aarch64-macos": ("macosx_11_0_arm64", f".cpython-{PY}-darwin.so", 0x0100000C),  # CPU_TYPE_ARM64
}


@pytest.fixture(scope="module", params=sorted(CROSS))
def cross_wheel(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """One wheel per target (a fixture per target, so xdist workers build different ones)."""
    target: str = request.param
    return target, _built(tmp_path_factory, target)


def test_cross_compiled_wheel(cross_wheel: tuple[str, Path], tmp_path: Path) -> None:
    target, wheel = cross_wheel
    tag, suffix, machine = CROSS[target]
    assert wheel.name == f"fastwheel-0.1.0-cp{PY}-cp{PY}-{tag}.whl"
    z = zipfile.ZipFile(wheel)
    assert {"fastwheel/kernels.pyi", "fastwheel/point.pyi", "fastwheel/py.typed"} <= set(z.namelist())
    for tail in ("kernels", "point"):
        name = f"fastwheel/{tail}{suffix}"
        if isinstance(machine, str):
            got, undefined, exported, versions = _elf_facts(z.read(name))
            assert all(tuple(map(int, v[6:].split("."))) <= (2, 17) for v in versions if v.startswith("GLIBC_")), versions
        else:
            path = tmp_path / f"{tail}.so"
            path.write_bytes(z.read(name))
            got, filetype, undefined, exported = _macho_facts(path)
            assert filetype == 6  # MH_DYLIB: loadable by dlopen (CPython's extension loader)
            assert f"_PyInit_{tail}" in exported  # Mach-O C symbols carry a leading underscore
            exported = {s[1:] if s.startswith("_") else s for s in exported}
            undefined = {s[1:] if s.startswith("_") else s for s in undefined}
        assert got == machine
        assert f"PyInit_{tail}" in exported
        assert all(_python_or_libc(s) for s in undefined), sorted(s for s in undefined if not _python_or_libc(s))


def test_bad_hook_options_are_named(tmp_path: Path) -> None:
    path, proc = build_wheel(tmp_path / "a", hook_options='relase-mode = "ReleaseFast"', check=False)
    assert path is None and proc.returncode != 0
    assert "[tool.hatch.build.hooks.zigimport]: unknown option 'relase-mode'" in proc.stdout + proc.stderr
    from zigimport.integrations.wheels import WheelConfigError, parse_target

    with pytest.raises(WheelConfigError, match=r"target = 'riscv64-linux'.*arch one of aarch64, x86_64"):
        parse_target("riscv64-linux")
    with pytest.raises(WheelConfigError, match=r"only glibc Linux wheels.*not -musl"):
        parse_target("x86_64-linux-musl")
    assert parse_target("x86_64-linux-gnu.2.28").platform_tag == "manylinux_2_28_x86_64"


def test_info_reports_a_prebuilt_binary_whose_source_changed(venv: Path, tmp_path: Path) -> None:
    import json

    site = next((venv / "lib").glob("python3*/site-packages"))
    pkg = shutil.copytree(site / "fastwheel", tmp_path / "fastwheel")  # a copy: the shared venv stays as built

    def info() -> dict[str, bool]:
        proc = subprocess.run([sys.executable, "-m", "zigimport", "info", "--json", str(pkg)], capture_output=True,
                              text=True, timeout=120, env=_env(tmp_path))
        assert proc.returncode == 0, proc.stderr
        return {p["module"]: p["current"] for p in json.loads(proc.stdout)["prebuilt"]}

    assert info() == {"fastwheel.kernels": True, "fastwheel.point": True}
    (pkg / "kernels.zig").write_text((pkg / "kernels.zig").read_text().replace("total += x * x", "total += x"))
    assert info() == {"fastwheel.kernels": False, "fastwheel.point": True}
    proc = subprocess.run([sys.executable, "-m", "zigimport", "info", str(pkg)], capture_output=True, text=True,
                          timeout=120, env=_env(tmp_path))
    assert "prebuilt  fastwheel.kernels  STALE: the source changed" in proc.stdout, proc.stdout
