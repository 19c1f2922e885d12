"""Comptime-parameter specialisations prebuilt into a wheel (docs/wheels.md, "Comptime parameters in wheels"):
the hatchling hook's ``specializations`` option, and ``zigimport.load()`` finding the prebuilt binary in a fresh
venv that has zigimport but no ziglang (no compiler), with an error naming the request when none matches."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import fresh_venv, hatch_entry_point, offline_pip, shared_folder, wheelhouse

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "wheel_pkg"

KERNEL = """\
//! A kernel specialised for a float type: params.T is a Zig type (load(T=zigimport.ZigType("f32"))).
const py = @import("zig_core");
const params = @import("params");

/// The sum of xs, accumulated in params.T.
pub fn total(xs: []const f64) f64 {
    var t: params.T = 0;
    for (xs) |x| t += @floatCast(x);
    return @floatCast(t);
}

/// The width of params.T in bits, and the label it was built with.
pub fn describe() struct { i64, []const u8 } {
    return .{ @bitSizeOf(params.T), params.label };
}

comptime {
    py.module(@This());
}
"""

SPECS = """
specializations = [
  { source = "src/fastwheel/kernels_t.zig", params = { T = { zig-type = "f32" }, label = "single" }, release-mode = "Debug" },
  { source = "src/fastwheel/kernels_t.zig", params = { T = { zig-type = "f64" }, label = "double" }, release-mode = "Debug" },
]
"""


def _build(root: Path) -> Path:
    project = root / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "dist", "__pycache__", "*.pyi", "*.so"))
    (project / "src" / "fastwheel" / "kernels_t.zig").write_text(KERNEL)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('release-mode = "ReleaseFast"', 'release-mode = "Debug"') + SPECS)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(hatch_entry_point(root / "entry")), str(REPO)])
    env["PIP_NO_INDEX"] = "1"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(root / "dist"), str(project)], env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"pip wheel failed:\n{proc.stdout}\n{proc.stderr}"
    (wheel,) = (root / "dist").glob("*.whl")
    return wheel


@pytest.fixture(scope="module")
def param_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        _build(folder)

    (wheel,) = (shared_folder(tmp_path_factory, "fastwheel-params", build) / "dist").glob("*.whl")
    return wheel


def test_wheel_carries_the_specialisations(param_wheel: Path) -> None:
    names = set(zipfile.ZipFile(param_wheel).namelist())
    prebuilt = sorted(n for n in names if n.startswith("fastwheel/_zigimport_prebuilt/"))
    binaries = [n for n in prebuilt if n.endswith(".so")]
    records = [n for n in prebuilt if n.endswith(".zigimport-prebuilt.json")]
    assert len(binaries) == 2 and len(records) == 2, prebuilt
    assert all(os.path.basename(n).startswith("kernels_t.") for n in prebuilt)
    assert "fastwheel/kernels_t.zig" in names  # the source: load() finds it, and its digest keys the lookup
    assert not any(n.startswith("fastwheel/kernels_t.cpython") for n in names)  # not built unspecialised
    assert any(n.startswith("fastwheel/kernels.cpython") for n in names)  # the plain modules still are


def test_load_uses_prebuilt_without_a_compiler(param_wheel: Path, zigimport_wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "v"
    # zigimport's wheel without its dependencies (so no ziglang), its light run-time ones from the wheelhouse
    vpy = fresh_venv(venv, "--no-deps", str(zigimport_wheel), str(param_wheel), "platformdirs", "filelock",
                     env=offline_pip(zigimport_wheel.parent, wheelhouse()))
    code = """
import importlib.util, os
assert importlib.util.find_spec("ziglang") is None
import zigimport, fastwheel
f32 = zigimport.load("fastwheel.kernels_t", T=zigimport.ZigType("f32"), label="single", release_mode="Debug")
f64 = zigimport.load("fastwheel.kernels_t", params={"T": zigimport.ZigType("f64"), "label": "double"}, release_mode="Debug")
maps = open("/proc/self/maps").read()  # the binaries mapped are the wheel's (there is no compiler to build others)
assert maps.count("site-packages/fastwheel/_zigimport_prebuilt/kernels_t.") >= 2, maps
assert f32.describe() == (32, "single") and f64.describe() == (64, "double")
assert f64.total([0.1, 0.2]) == 0.1 + 0.2
assert f32.total([0.1, 0.2]) != 0.1 + 0.2 and abs(f32.total([0.1, 0.2]) - 0.3) < 1e-6  # accumulated in f32
again = zigimport.load(os.path.join(os.path.dirname(fastwheel.__file__), "kernels_t.zig"), T=zigimport.ZigType("f32"),
                       label="single", release_mode="Debug")
assert again.describe() == (32, "single")  # by path: the same prebuilt binary (the digest is of content, not of names)
assert zigimport.load("fastwheel.kernels_t", T=zigimport.ZigType("f32"), label="single", release_mode="Debug") is f32
try:  # not prebuilt, and no compiler: the error names the request and what is prebuilt
    zigimport.load("fastwheel.kernels_t", T=zigimport.ZigType("f16"), label="half", release_mode="Debug")
except ImportError as exc:
    msg = str(exc)
    assert "has no prebuilt binary and cannot be compiled" in msg and "T=f16" in msg and "label" in msg, msg
    assert msg.count("params={") == 2 and "'double'" in msg and "'single'" in msg, msg
else:
    raise AssertionError("an f16 build without a compiler loaded")
try:  # same params, another mode: not the prebuilt one
    zigimport.load("fastwheel.kernels_t", T=zigimport.ZigType("f32"), label="single", release_mode="ReleaseFast")
except ImportError as exc:
    assert "release_mode='ReleaseFast'" in str(exc), exc
else:
    raise AssertionError("a ReleaseFast request loaded the Debug binary")
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZIGIMPORT_CACHE_DIR")}
    env["ZIGIMPORT_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.run([str(vpy), "-c", code], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stdout + proc.stderr

    # a shipped source edited after the build: its digest no longer matches, so the prebuilt binaries are not used
    (source,) = venv.glob("lib/python*/site-packages/fastwheel/kernels_t.zig")
    source.write_text(source.read_text() + "// edited\n")
    edited = """
import zigimport
try:
    zigimport.load("fastwheel.kernels_t", T=zigimport.ZigType("f32"), label="single", release_mode="Debug")
except ImportError as exc:
    assert str(exc).count("(built from another version of the source)") == 2, exc
    print("refused")
"""
    proc = subprocess.run([str(vpy), "-c", edited], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "refused", proc.stdout + proc.stderr


@pytest.mark.parametrize("value, message", [
    ("[1]", "specializations[0] = 1: expected a table"),
    ('{ source = "a.zig" }', "specializations = {'source': 'a.zig'}: expected a list"),
    ('[{ source = "a.py" }]', "specializations[0].source = 'a.py': expected the path of a .zig file"),
    ('[{ source = "a.zig" }, { source = "a.zig", mode = "Debug" }]', "specializations[1]: unknown key 'mode' (valid: source, params,"),
    ('[{ source = "a.zig", release-mode = "Fast" }]', "specializations[0].release-mode"),
    ('[{ source = "a.zig", params = { T = { zig-type = "f33" } } }]', "f33"),
    ('[{ source = "a.zig", flags = ["-O2"] }]', "specializations[0].flags[0]: '-O2' is not allowed"),
    ('[{ source = "a.zig", params-module = "std" }]', "specializations[0].params-module = 'std'"),
])
def test_bad_specializations_named(value: str, message: str) -> None:
    import tomllib

    from zigimport.integrations.hatch_hook import read_options
    from zigimport.integrations.wheels import WheelConfigError

    config = tomllib.loads(f"specializations = {value}\n")
    with pytest.raises(WheelConfigError) as info:
        read_options(config)
    assert message in str(info.value), str(info.value)


def test_good_specializations_read() -> None:
    import tomllib

    from zigimport.integrations.hatch_hook import read_options

    options = read_options(tomllib.loads(SPECS))
    assert [(s.source, s.release_mode, s.params_module, s.flags) for s in options.specializations] == [
        ("src/fastwheel/kernels_t.zig", "Debug", "params", ())] * 2
    assert read_options({}).specializations == ()
