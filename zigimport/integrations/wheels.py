"""Build a package's Zig modules for a wheel: binaries under their import names, stubs, the wheel tag.

Used by the hatchling build hook (``hatch_hook.py``, docs/wheels.md).  Every module goes through the
import hook's own build (its entry, lock and cache; its ``zigimport_build`` configuration honoured), with
two wheel-only compiler flags in the entry's key: ``-target`` (an explicit target: an old glibc for
manylinux, or another platform) and ``-mcpu=baseline`` (a wheel runs on any CPU of its architecture,
not only this machine's).
"""

from __future__ import annotations

import os
import platform
import re
import sys
import sysconfig
from dataclasses import dataclass
from typing import Any

from .. import loader, settings as settings_mod
from ..entry import Entry
from .sources import SCHEMA, Source, collect

# The glibc a Linux wheel is built against unless the target names one: manylinux2014's.
DEFAULT_GLIBC = "2.17"
DEFAULT_MACOS = {"x86_64": "10.13", "aarch64": "11.0"}
_ARCHES = {"x86_64", "aarch64"}
_OSES = {"linux", "macos", "windows"}
_TARGET = re.compile(r"^(?P<arch>[a-z0-9_]+)-(?P<os>[a-z]+)(?:\.(?P<osver>[0-9.]+))?(?:-(?P<abi>[a-z]+)(?:\.(?P<libcver>[0-9.]+))?)?$")


class WheelConfigError(ValueError):
    """A bad option of ``[tool.hatch.build.hooks.zigimport]`` (the option, the value, what is valid)."""


@dataclass(frozen=True)
class Target:
    """A wheel's platform: the Zig target triple passed to ``-target``, its wheel platform tag and extension suffix."""

    arch: str
    os: str
    zig: str          # e.g. x86_64-linux-gnu.2.17
    platform_tag: str  # e.g. manylinux_2_17_x86_64.manylinux2014_x86_64
    ext_suffix: str    # e.g. .cpython-312-x86_64-linux-gnu.so

    @property
    def native(self) -> bool:
        """Whether this machine can load the binaries (same architecture and OS)."""
        return self.arch == _host_arch() and self.os == _host_os()


def _host_arch() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(m, m)


def _host_os() -> str:
    return {"darwin": "macos", "win32": "windows"}.get(sys.platform, "linux" if sys.platform.startswith("linux") else sys.platform)


def parse_target(text: str | None) -> Target:
    """The :class:`Target` for the option ``target`` (None: this machine, as a manylinux wheel on Linux).

    Accepted: ``<arch>-linux-gnu[.<glibc>]`` (default glibc 2.17), ``<arch>-macos[.<version>]``,
    ``x86_64-windows[-gnu]``, with arch ``x86_64`` or ``aarch64``."""
    if text is None:
        text = f"{_host_arch()}-{_host_os()}"
    m = _TARGET.match(text.strip())
    if m is None or m["arch"] not in _ARCHES or m["os"] not in _OSES:
        raise WheelConfigError(f"target = {text!r}: expected <arch>-<os>[-<abi>] with arch one of "
                               f"{', '.join(sorted(_ARCHES))} and os one of {', '.join(sorted(_OSES))}, "
                               "e.g. 'x86_64-linux-gnu.2.17', 'aarch64-macos'")
    arch, os_name = m["arch"], m["os"]
    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    if os_name == "linux":
        if m["abi"] not in (None, "gnu"):
            raise WheelConfigError(f"target = {text!r}: only glibc Linux wheels (-gnu, manylinux) are supported, not -{m['abi']}")
        glibc = m["libcver"] or DEFAULT_GLIBC
        major, _, minor = glibc.partition(".")
        tag = f"manylinux_{major}_{minor}_{arch}"
        legacy = {"2.17": "manylinux2014", "2.12": "manylinux2010", "2.5": "manylinux1"}.get(glibc)
        if legacy is not None:
            tag += f".{legacy}_{arch}"
        return Target(arch, os_name, f"{arch}-linux-gnu.{glibc}", tag, f".cpython-{py}-{arch}-linux-gnu.so")
    if os_name == "macos":
        version = m["osver"] or DEFAULT_MACOS[arch]
        major, _, minor = version.partition(".")
        mac_arch = "arm64" if arch == "aarch64" else arch
        return Target(arch, os_name, f"{arch}-macos.{version}", f"macosx_{major}_{minor or 0}_{mac_arch}",
                      f".cpython-{py}-darwin.so")
    if arch != "x86_64":
        raise WheelConfigError(f"target = {text!r}: Windows wheels are x86_64 only")
    return Target(arch, os_name, "x86_64-windows-gnu", "win_amd64", f".cp{py}-win_amd64.pyd")


def abi3_target(target: Target) -> Target:
    """*target* with the stable-ABI extension suffix (``.abi3.so``, which CPython 3.2+ imports; ``.pyd`` on Windows)."""
    from dataclasses import replace

    return replace(target, ext_suffix=".pyd" if target.os == "windows" else ".abi3.so")


def wheel_tag(target: Target, abi3: tuple[int, int] | None = None) -> str:
    """``cp312-cp312-<platform>``: a version-specific extension for this interpreter's minor version;
    with *abi3* (the minimum version) ``cp311-abi3-<platform>``, for that version and every later one."""
    if abi3 is not None:
        return f"cp{abi3[0]}{abi3[1]}-abi3-{target.platform_tag}"
    py = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    abiflags = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    return f"{py}-{py}{abiflags}-{target.platform_tag}"


@dataclass(frozen=True)
class BuiltModule:
    """One module built for a wheel: its binary in the cache, where it goes in the wheel, its stub text."""

    source: Source
    artifact: str
    wheel_path: str  # e.g. fastpkg/kernels.cpython-312-x86_64-linux-gnu.so
    stub: str | None


def build_modules(paths: list[str], release_mode: str, target: Target, *, strip: bool = True,
                  cache_dir: str | None = None, abi3: tuple[int, int] | None = None,
                  exclude: frozenset[str] = frozenset()) -> list[BuiltModule]:
    """Build every module source under *paths* for *target*; raises the build's own errors (ZigCompileError...).

    *strip*: no debug info (``-fstrip``): a third to a half of the size; a panic report then names no file:line.
    *abi3*: the stable-ABI minimum version (build/abi3.py): every module built for it, named ``name.abi3.so``."""
    from ..build import abi3 as abi3_mod, config
    from ..errors import ZigSettingsError

    if abi3 is not None:
        try:
            abi3_mod.check_interpreter(abi3, "[tool.hatch.build.hooks.zigimport] abi3")
        except ZigSettingsError as exc:
            raise WheelConfigError(str(exc)) from None
        target = abi3_target(target)
    base = settings_mod.resolve(settings_mod.Overrides(release_mode=release_mode, cache_dir=cache_dir))
    s = settings_mod.Settings(base.release_mode, False, True, base.cache_dir, base.lock_timeout, "off")
    flags = ("-target", target.zig, "-mcpu=baseline") + (("-fstrip",) if strip else ())
    built = []
    for src in collect(paths):
        if os.path.realpath(src.path) in exclude:  # built only specialised (build_specializations)
            continue
        source_path = src.path
        if src.kind is SCHEMA:  # the generated Zig text of the schema (as import renders it), built like a .zig
            from ..schema import loader as schema_loader, resolve

            spec, _read = resolve.resolve_file(src.path, src.fullname)
            source_path, _digest = schema_loader.write_text(spec, s, src.path)
        if src.kind is not SCHEMA and abi3 is not None and (declared := config.read(src.path).abi3) is not None and declared > abi3:
            raise WheelConfigError(f"{src.path} declares .abi3 = \"{abi3_mod.text(declared)}\", newer than the wheel's "
                                   f"abi3 = \"{abi3_mod.text(abi3)}\": raise the hook's minimum to {abi3_mod.text(declared)}")
        entry_flags = flags
        if target.os == "windows":  # link the C API from python3XY.dll through an import library (windows_implib.py)
            entry_flags = flags + _windows_link_inputs(src.fullname, source_path, s)
        artifact = loader.resolve(Entry(src.fullname, source_path, s, extra_flags=entry_flags,
                                        abi3=None if abi3 is None else abi3_mod.text(abi3)))
        stub = _stub(src, s, target, artifact)
        wheel_path = "/".join(src.fullname.split(".")) + target.ext_suffix
        built.append(BuiltModule(src, artifact, wheel_path, stub))
    return built


def build_specializations(paths: list[str], specs: list[tuple[Any, str]], target: Target, *, strip: bool = True,
                          abi3: tuple[int, int] | None = None) -> list[tuple[str, str, str]]:
    """Build each (hatch_hook.Specialization, its absolute source) as ``zigimport.load()`` would, for *target*:
    (binary in the cache, its path in the wheel ``<package>/_zigimport_prebuilt/<stem>.<digest><ext>``, record text)."""
    from ..build import abi3 as abi3_mod
    from ..specialize.compile_api import Request
    from . import prebuilt_params

    if target.os == "windows" and specs:
        raise WheelConfigError("[tool.hatch.build.hooks.zigimport] specializations: Windows wheels do not prebuild specialisations yet")
    if abi3 is not None:
        target = abi3_target(target)
    names = {os.path.realpath(src.path): src.fullname for src in collect(paths)}
    flags = ("-target", target.zig, "-mcpu=baseline") + (("-fstrip",) if strip else ())
    out = []
    for i, (spec, source) in enumerate(specs):
        where = f"[tool.hatch.build.hooks.zigimport] specializations[{i}]"
        fullname = names.get(source)
        if fullname is None:
            raise WheelConfigError(f"{where}.source = {spec.source!r}: not a module of the wheel's packages "
                                   f"({', '.join(paths)})" if os.path.isfile(source) else f"{where}.source = {spec.source!r}: no such file")
        req = Request(source, prebuilt_params.param_values(spec.params), spec.params_module, spec.release_mode, spec.flags, where=f"{where}.params")
        entry = req.entry
        wheel_entry = Entry(entry.fullname, entry.source, entry.settings, extra_modules=entry.extra_modules,
                            extra_flags=entry.extra_flags + flags, abi3=None if abi3 is None else abi3_mod.text(abi3))
        artifact = loader.resolve(wheel_entry)
        digest = prebuilt_params.request_digest(source, req.params.text, spec.params_module, spec.release_mode, spec.flags)
        binary = f"{prebuilt_params.stem_of(source)}.{digest}{target.ext_suffix}"
        package = "/".join(fullname.split(".")[:-1])
        wheel_path = "/".join(filter(None, [package, prebuilt_params.PREBUILT_DIR, binary]))
        record = prebuilt_params.record(source, spec.params, spec.params_module, spec.release_mode, spec.flags, binary,
                                        target.zig, None if abi3 is None else abi3_mod.text(abi3))
        out.append((artifact, wheel_path, record))
    return out


def _windows_link_inputs(fullname: str, source_path: str, s: settings_mod.Settings) -> tuple[str, ...]:
    """What a Windows module links besides itself (windows_implib.py): the import library of the C-API symbols
    it uses (read from this machine's build of it), MinGW's C runtime (``-lc``: its DLL entry point applies the
    runtime pseudo-relocations that static references to the C API's data need), and ``dladdr``."""
    from .. import cache_dir
    from . import windows_implib

    native = loader.resolve(Entry(fullname, source_path, s))
    names = windows_implib.c_api_names(native)
    lib = windows_implib.import_library(names, windows_implib.python_dll(sys.version_info[:2]), cache_dir.root(s.cache_dir))
    return (lib, "-lc", windows_implib.DLADDR_SOURCE)


def _stub(src: Source, s: settings_mod.Settings, target: Target, artifact: str) -> str | None:
    """The module's stub text: read from the binary (the ELF reader: Linux builds), or, for another format, from
    this machine's build of the same module (the stub does not depend on the target)."""
    if src.kind is not SCHEMA and target.os != "linux":
        artifact = src.kind.build(src.path, src.fullname, s, False)
    return src.kind.stub_text(src.path, src.fullname, s, artifact)


def package_roots(built: list[BuiltModule]) -> list[str]:
    """The folders (in the wheel) of the packages holding modules: each gets a ``py.typed``."""
    return sorted({b.wheel_path.rpartition("/")[0] for b in built if "/" in b.wheel_path})



# ---- the record of what a prebuilt binary was built from (``python -m zigimport info`` compares it) ----

PREBUILT_SUFFIX = ".zigimport-prebuilt.json"


def source_digest(src: Source) -> str:
    """sha256 of the module's source files (a .zig and the local files it @imports, or the schema file),
    by name relative to the module's folder (prebuilt_params.files_digest)."""
    from .. import source_graph
    from . import prebuilt_params

    files = [src.path] if src.kind is SCHEMA else source_graph.local_files(src.path)
    return prebuilt_params.files_digest(os.path.dirname(src.path), files)


def prebuilt_record(b: BuiltModule, release_mode: str, target: Target, abi3: tuple[int, int] | None = None) -> str:
    """The JSON text shipped beside *b*'s binary as ``<name>.zigimport-prebuilt.json`` (``abi3``: the stable-ABI minimum, or null)."""
    import json

    return json.dumps({"module": b.source.fullname, "source": os.path.basename(b.source.path), "binary": os.path.basename(b.wheel_path),
                       "sha256": source_digest(b.source), "release_mode": release_mode, "target": target.zig,
                       "abi3": None if abi3 is None else f"{abi3[0]}.{abi3[1]}"}, indent=1) + "\n"


@dataclass(frozen=True)
class Prebuilt:
    """A prebuilt binary found beside a module source: whether the source is the one it was built from."""

    source: Source
    record: str
    binary: str
    current: bool


def prebuilt_status(src: Source) -> Prebuilt | None:
    """The :class:`Prebuilt` of *src* (a wheel's shipped source), or None when no record lies beside it."""
    import json

    tail = src.fullname.rpartition(".")[2]
    record = os.path.join(os.path.dirname(src.path), tail + PREBUILT_SUFFIX)
    try:
        with open(record, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    binary = os.path.join(os.path.dirname(src.path), str(data.get("binary", "")))
    return Prebuilt(src, record, binary, data.get("sha256") == source_digest(src) and os.path.isfile(binary))
