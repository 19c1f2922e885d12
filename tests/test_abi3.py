"""abi3 (docs/wheels.md, "abi3"): one wheel of examples/abi3_pkg built against CPython's stable ABI with this
interpreter, installed without ziglang or zigimport into fresh venvs of 3.11, 3.12 and 3.13, where the example's
own tests (functions, keywords, a class with methods, a property and ``__eq__``, buffers, exceptions, a schema
class) pass and no reference or memory leaks; every undefined symbol of its binaries is in the stable ABI of 3.11
(tests/data/stable_abi.tsv, CPython's Misc/stable_abi.toml by way of abi3info: tools/stable_abi_list.py), while
the version-specific build of the same module is not; bad ``abi3`` values are refused, naming the key.

One wheel per session (a module-scoped fixture: ``pip wheel --no-deps --no-build-isolation`` of a copy of the
example, with the worktree's hatch entry point registered on PYTHONPATH as tests/test_wheels.py does).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from interpreters import find_python
from support import REPO, hatch_entry_point, import_error, shared_folder, write

from zigimport.build import abi3, config
from zigimport.errors import ZigSettingsError

EXAMPLE = REPO / "examples" / "abi3_pkg"
STABLE_ABI = REPO / "tests" / "data" / "stable_abi.tsv"
PLATFORM = "manylinux_2_17_x86_64.manylinux2014_x86_64"
# Undefined symbols that are not Python's: libc (malloc & co. stand in for PyMem_Raw* before 3.13) and the C runtime.
LIBC = {"malloc", "realloc", "free", "memcpy", "memset", "memmove", "memcmp", "bcmp", "abort", "write", "strlen",
        "__errno_location", "dl_iterate_phdr", "getauxval", "__tls_get_addr", "__stack_chk_fail", "dladdr",
        "__cxa_finalize", "__gmon_start__", "_ITM_deregisterTMCloneTable", "_ITM_registerTMCloneTable"}


def stable_abi() -> dict[str, tuple[int, int]]:
    """name -> the version that added it to the stable ABI (functions and data)."""
    table = {}
    for line in STABLE_ABI.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        name, _kind, added, _abi_only, _ifdef = line.split("\t")
        major, minor = added.split(".")
        table[name] = (int(major), int(minor))
    return table


def outside_stable_abi(binary: bytes, minimum: tuple[int, int]) -> list[str]:
    """The undefined symbols of an ELF extension that neither the stable ABI of *minimum* nor libc provides."""
    from elftools.elf.elffile import ELFFile

    table = stable_abi()
    symtab = ELFFile(io.BytesIO(binary)).get_section_by_name(".dynsym")
    undefined = {s.name for s in symtab.iter_symbols() if s.name and s["st_shndx"] == "SHN_UNDEF"}
    assert any(n.startswith("Py") for n in undefined)  # it is an extension: the check below sees its C-API calls
    return sorted(n for n in undefined if n not in LIBC and not (n in table and table[n] <= minimum))


def _hook_env(root: Path) -> dict[str, str]:
    """The environment of ``pip wheel``: the worktree's zigimport with its ``hatch`` entry point, no index."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(hatch_entry_point(root / "entry")), str(REPO)]),
            "PIP_NO_INDEX": "1"}


def pip_wheel(root: Path, hook_option: str | None = None) -> tuple[Path | None, subprocess.CompletedProcess[str]]:
    """Copy the example to *root* (its hook's ``abi3 = ...`` line replaced by *hook_option*), ``pip wheel`` it."""
    project = root / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "dist", "__pycache__", "*.pyi", "*.so"))
    if hook_option is not None:
        pyproject = project / "pyproject.toml"
        lines = [hook_option if line.startswith("abi3 =") else line for line in pyproject.read_text().splitlines()]
        pyproject.write_text("\n".join(lines) + "\n")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(root / "dist"), str(project)], env=_hook_env(root), capture_output=True, text=True,
                          timeout=900)
    wheels = sorted((root / "dist").glob("*.whl")) if (root / "dist").exists() else []
    return (wheels[0] if wheels else None), proc


def _build_shared_wheel(folder: Path) -> None:
    wheel, proc = pip_wheel(folder)
    (folder / "result.txt").write_text(str(wheel) if proc.returncode == 0 and wheel is not None
                                       else f"pip wheel failed:\n{proc.stdout}\n{proc.stderr}")


@pytest.fixture(scope="module")
def abi3_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's abi3 wheel, built once per run (every xdist worker uses the same one)."""
    result = (shared_folder(tmp_path_factory, "abi3-wheel", _build_shared_wheel) / "result.txt").read_text()
    assert result.endswith(".whl"), result
    return Path(result)


def test_wheel_tag_and_names(abi3_wheel: Path) -> None:
    assert abi3_wheel.name == f"abi3demo-0.1.0-cp311-abi3-{PLATFORM}.whl"
    names = set(zipfile.ZipFile(abi3_wheel).namelist())
    for name in ("abi3demo/core.abi3.so", "abi3demo/point.abi3.so", "abi3demo/core.pyi", "abi3demo/point.pyi",
                 "abi3demo/py.typed", "abi3demo/core.zig", "abi3demo/point.zig.json"):
        assert name in names, name
    assert not [n for n in names if ".cpython-" in n], names  # nothing version-specific
    assert "Tag: cp311-abi3-" in zipfile.ZipFile(abi3_wheel).read("abi3demo-0.1.0.dist-info/WHEEL").decode()
    record = json.loads(zipfile.ZipFile(abi3_wheel).read("abi3demo/core.zigimport-prebuilt.json"))
    assert (record["binary"], record["abi3"]) == ("core.abi3.so", "3.11")


def test_auditwheel_manylinux(abi3_wheel: Path) -> None:
    """libc is linked (malloc for PyMem_Raw* before 3.13): still manylinux_2_17 at most, nothing external."""
    import re

    proc = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(abi3_wheel)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    m = re.search(r'consistent with the following platform tag: "manylinux_(\d+)_(\d+)_x86_64"', text)
    assert m is not None and (int(m[1]), int(m[2])) <= (2, 17), proc.stdout


def test_undefined_symbols_are_in_the_stable_abi(abi3_wheel: Path, tmp_path: Path) -> None:
    """Every C-API function and datum the abi3 binaries use is in 3.11's stable ABI; the version-specific build of
    a module uses some that are not (so the check can fail), and the two builds are separate cache entries."""
    wheel = zipfile.ZipFile(abi3_wheel)
    for name in ("abi3demo/core.abi3.so", "abi3demo/point.abi3.so"):
        assert outside_stable_abi(wheel.read(name), (3, 11)) == [], name

    from zigimport.integrations import wheels

    src = write(tmp_path / "a3small.zig", """\
        const std = @import("std");
        const py = @import("zig_core");

        pub fn shout(alloc: std.mem.Allocator, s: []const u8) ![]u8 {
            return std.ascii.allocUpperString(alloc, s);
        }

        comptime {
            py.module(@This());
        }
        """)
    (specific,) = wheels.build_modules([str(src)], "ReleaseFast", wheels.parse_target(None))
    assert specific.wheel_path.startswith("a3small.cpython-")
    missing = outside_stable_abi(Path(specific.artifact).read_bytes(), (3, 11))
    assert "PyMem_RawMalloc" in missing, missing  # stable only from 3.13: libc's malloc under abi3 before that

    from zigimport import settings
    from zigimport.entry import Entry

    s = settings.resolve(settings.Overrides(release_mode="ReleaseFast"))
    keys = {Entry("a3small", str(src), s).key, Entry("a3small", str(src), s, abi3="3.11").key,
            Entry("a3small", str(src), s, abi3="3.12").key}
    assert len(keys) == 3  # an abi3 build is its own cache entry: never mixed with a version-specific one


LEAK_CHECK = """\
import gc, sys
from abi3demo import core, point

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

marker = 12345.5
items = [1, 2, 3]
def batch(n):
    for i in range(n):
        core.add(1, b=2); core.clamp(x=marker, hi=2.0); core.sum_list(items); core.swap(i, "s")
        v = core.Vec(marker, 2.0); v.scaled(2.0); v.length; v == v; repr(v + v)
        point.Point(x=marker, y=1, tags=["a"]); point.Point.from_json('{"x": 1, "y": 2}')
        try:
            core.parse_level("12")
        except core.LevelError:
            pass
batch(5_000)
gc.collect()
r0, m0, i0 = rss(), sys.getrefcount(marker), sys.getrefcount(items)
batch(20_000)
gc.collect()
print(rss() - r0, sys.getrefcount(marker) - m0, sys.getrefcount(items) - i0)
"""


@pytest.mark.parametrize("minor", [11, 12, 13])
def test_example_tests_pass_on(minor: int, abi3_wheel: Path, tmp_path: Path) -> None:
    """The one wheel in a fresh venv of 3.<minor> (no pip, ziglang or zigimport): the example's tests pass, and
    220,000 calls through the stable-ABI paths leak no references and no memory."""
    python = find_python(minor)
    assert python is not None, f"CPython 3.{minor} is not installed (pyenv install 3.{minor})"
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZIGIMPORT_CACHE_DIR")}
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
                    "--no-index", str(abi3_wheel)], check=True, env=env, capture_output=True, timeout=300)
    vpy = str(venv / "bin" / "python")
    check = ("import importlib.util, abi3demo.core as c, abi3demo.point as p; "
             "assert importlib.util.find_spec('zigimport') is None and importlib.util.find_spec('ziglang') is None; "
             "print(c.__file__, p.__file__)")
    where = subprocess.run([vpy, "-c", check], env=env, cwd=venv, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr
    assert where.stdout.split() == [str(next(venv.glob(f"lib/python3.{minor}/site-packages/abi3demo")) / n)
                                    for n in ("core.abi3.so", "point.abi3.so")]
    tests = subprocess.run([vpy, str(EXAMPLE / "tests" / "test_abi3demo.py")], env=env, cwd=venv, capture_output=True,
                           text=True, timeout=300)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert tests.stdout.strip() == f"5 passed on 3.{minor}"
    leak = subprocess.run([vpy, "-c", LEAK_CHECK], env=env, cwd=venv, capture_output=True, text=True, timeout=600)
    assert leak.returncode == 0, leak.stderr
    grown, marker_refs, list_refs = map(int, leak.stdout.split())
    assert (marker_refs, list_refs) == (0, 0)
    assert grown < 4 * 2**20, f"RSS grew by {grown} bytes over 220,000 calls"


def test_bad_abi3_values() -> None:
    """``.abi3`` in a module's zigimport_build and ``abi3`` of the hatch hook: the key, the valid values, the reason."""
    def declared(value: str) -> str:
        with pytest.raises(ZigSettingsError) as info:
            config.read_text(f"const zigimport_build = .{{\n    .abi3 = {value},\n}};\n", "/tmp/m.zig")
        return str(info.value)

    assert config.read_text('const zigimport_build = .{ .abi3 = "3.12" };\n', "/tmp/m.zig").abi3 == (3, 12)
    assert config.read_text("const zigimport_build = .{ .abi3 = true };\n", "/tmp/m.zig").abi3 == (3, 11)
    assert config.read_text("const zigimport_build = .{ .abi3 = false };\n", "/tmp/m.zig").abi3 is None
    old = declared('"3.10"')
    assert old.startswith("/tmp/m.zig:2: zigimport_build.abi3 = '3.10': ") and "minimum of 3.11" in old and "Py_buffer" in old, old
    assert "expected true (minimum 3.11), false, or a minimum version" in declared("311"), declared("311")
    assert "expected true (minimum 3.11)" in declared('"py311"')
    assert "got .yes" in declared(".yes")
    with pytest.raises(ZigSettingsError, match=r"older than the abi3 minimum"):
        abi3.check_interpreter((3, sys.version_info[1] + 1), "abi3")
    with pytest.raises(ZigSettingsError, match=r"\[tool.hatch.build.hooks.zigimport\] abi3 = 'yes': expected true"):
        abi3.parse("yes", "[tool.hatch.build.hooks.zigimport] abi3")


def test_module_minimum_above_the_wheels_is_refused(tmp_path: Path) -> None:
    """A module declaring a newer minimum than the hook's: the wheel's tag would promise too much (no compile)."""
    from zigimport.integrations import wheels

    src = write(tmp_path / "a3newer.zig", """\
        const py = @import("zig_core");
        const zigimport_build = .{ .abi3 = "3.13" };

        comptime {
            py.module(@This());
        }
        """)
    with pytest.raises(wheels.WheelConfigError, match=r'declares \.abi3 = "3\.13", newer than the wheel\'s abi3 = "3\.11"'):
        wheels.build_modules([str(src)], "ReleaseFast", wheels.parse_target(None), abi3=(3, 11))


def test_hook_refuses_a_minimum_below_3_11(tmp_path: Path) -> None:
    wheel, proc = pip_wheel(tmp_path, 'abi3 = "3.9"')
    assert wheel is None and proc.returncode != 0
    assert "WheelConfigError: [tool.hatch.build.hooks.zigimport] abi3 = '3.9': abi3 needs a minimum of 3.11" in proc.stderr, proc.stderr


def test_datetime_is_refused_under_abi3(tmp_path: Path) -> None:
    """What the stable ABI cannot do is a compile error naming it, not a binary that breaks on another version."""
    write(tmp_path / "a3dates.zig", """\
        const py = @import("zig_core");
        const zigimport_build = .{ .abi3 = true };

        pub fn year(d: py.Date) u16 {
            return d.year;
        }

        comptime {
            py.module(@This());
        }
        """)
    message = import_error("a3dates", "zigimport.ZigCompileError", cwd=tmp_path).stdout
    assert "abi3: py.DateTime, py.Date, py.Time and py.TimeDelta are not supported in an abi3 build" in message, message
