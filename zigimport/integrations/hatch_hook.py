"""The hatchling build hook: a wheel carries its Zig modules prebuilt (docs/wheels.md).

``pyproject.toml``::

    [build-system]
    requires = ["hatchling", "zigimport"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.zigimport]
    release-mode = "ReleaseFast"          # default ReleaseFast
    target = "x86_64-linux-gnu.2.17"      # default: this machine (Linux: glibc 2.17, manylinux2014)
    strip = true                          # default true: no debug info (a panic report names no file:line)
    abi3 = true                           # default false: stable ABI, minimum 3.11 (or "3.12"), tag cp311-abi3-<platform>
    # paths = ["src/fastpkg"]             # default: the wheel target's `packages`, else the project folder

Each ``.zig`` / ``.zig.json`` module found is compiled through the import hook's build (its cache, its
``zigimport_build`` configuration) and placed in the wheel under its import name with its ``.pyi`` stub
and the package's ``py.typed``; the wheel is tagged ``cpXY-cpXY-<platform>``.  At import, the extension
beside the source wins (in one folder Python's suffixes come before zigimport's), so no compiler is needed.
Editable installs are left to the import hook (docs/editable.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from .. import log

if TYPE_CHECKING:
    from .wheels import Target

_OPTIONS = frozenset({"release-mode", "target", "paths", "strip", "abi3", "specializations", "enable-by-default", "dependencies", "require-runtime-dependencies",
                      "require-runtime-features"})


@dataclass(frozen=True)
class HookOptions:
    """The ``[tool.hatch.build.hooks.zigimport]`` table, checked: what :func:`read_options` returns."""

    release_mode: str
    target: Target
    strip: bool
    paths: object  # as given (None: the wheel's packages); ZigimportBuildHook._paths checks it against the project
    abi3: tuple[int, int] | None = None  # the stable-ABI minimum (build/abi3.py), or None: version-specific
    specializations: tuple[Specialization, ...] = ()  # load() requests prebuilt into the wheel (prebuilt_params.py)


_SPEC_KEYS = ("source", "params", "params-module", "release-mode", "flags")


@dataclass(frozen=True)
class Specialization:
    """One entry of ``specializations``: a ``zigimport.load()`` request, checked (``source`` relative to the project)."""

    source: str
    params: dict[str, Any]
    params_module: str
    release_mode: str
    flags: tuple[str, ...]


def _specializations(value: object) -> tuple[Specialization, ...]:
    """Check ``specializations = [{ source = "...", params = { ... }, release-mode = "...", ... }, ...]``."""
    from ..errors import ZigSettingsError
    from ..settings import DEFAULT_RELEASE_MODE, parse_release_mode
    from ..specialize.compile_api import _MODULE_NAME, _RESERVED_MODULES, check_flags
    from ..specialize.params import param_set
    from . import prebuilt_params, wheels

    opt = "[tool.hatch.build.hooks.zigimport] specializations"
    if not isinstance(value, list):
        raise wheels.WheelConfigError(f"{opt} = {value!r}: expected a list of tables such as "
                                      '{ source = "src/pkg/kernels.zig", params = { T = "f32" } }')
    out = []
    for i, item in enumerate(value):
        where = f"{opt}[{i}]"
        if not isinstance(item, dict):
            raise wheels.WheelConfigError(f"{where} = {item!r}: expected a table with keys {', '.join(_SPEC_KEYS)}")
        unknown = sorted(set(item) - set(_SPEC_KEYS))
        if unknown:
            raise wheels.WheelConfigError(f"{where}: unknown key {unknown[0]!r} (valid: {', '.join(_SPEC_KEYS)})")
        source = item.get("source")
        if not isinstance(source, str) or not source.endswith(".zig"):
            raise wheels.WheelConfigError(f"{where}.source = {source!r}: expected the path of a .zig file, relative to the project")
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise wheels.WheelConfigError(f"{where}.params = {params!r}: expected a table of parameter values")
        try:
            param_set(prebuilt_params.param_values(params), where=f"{where}.params")
        except (TypeError, ValueError, OverflowError) as exc:
            raise wheels.WheelConfigError(str(exc)) from None
        module = item.get("params-module", "params")
        if not isinstance(module, str) or not _MODULE_NAME.fullmatch(module) or module in _RESERVED_MODULES:
            raise wheels.WheelConfigError(f"{where}.params-module = {module!r}: expected an identifier other than "
                                          f"{', '.join(sorted(_RESERVED_MODULES))}")
        try:  # default: what load() uses without release_mode (and without ZIGIMPORT_RELEASE_MODE)
            mode = parse_release_mode(str(item.get("release-mode", DEFAULT_RELEASE_MODE)), f"{where}.release-mode")
            flags = check_flags(item.get("flags", []), f"{where}.flags")
        except (ZigSettingsError, TypeError, ValueError) as exc:
            raise wheels.WheelConfigError(str(exc)) from None
        out.append(Specialization(source, params, module, mode, flags))
    return tuple(out)


def read_options(config: Mapping[str, Any]) -> HookOptions:
    """Check the hook's table (a misspelt option, an unknown mode or target -> ``WheelConfigError`` naming the
    option and the valid values); ``ZIGIMPORT_WHEEL_TARGET`` overrides ``target``.  Nothing is built."""
    from ..errors import ZigSettingsError
    from ..settings import parse_release_mode
    from . import wheels

    config = dict(config)
    unknown = sorted(set(config) - _OPTIONS)
    if unknown:
        raise wheels.WheelConfigError(f"[tool.hatch.build.hooks.zigimport]: unknown option {unknown[0]!r} "
                                      f"(valid: release-mode, target, strip, paths, abi3, specializations)")
    try:
        mode = parse_release_mode(str(config.get("release-mode", "ReleaseFast")),
                                  "[tool.hatch.build.hooks.zigimport] release-mode")
    except ZigSettingsError as exc:
        raise wheels.WheelConfigError(str(exc)) from None
    target_text = config.get("target")
    if target_text is not None and not isinstance(target_text, str):
        raise wheels.WheelConfigError(f"[tool.hatch.build.hooks.zigimport] target = {target_text!r}: expected a string")
    target = wheels.parse_target(os.environ.get("ZIGIMPORT_WHEEL_TARGET") or target_text)
    strip = config.get("strip", True)
    if not isinstance(strip, bool):
        raise wheels.WheelConfigError(f"[tool.hatch.build.hooks.zigimport] strip = {strip!r}: expected true or false")
    from ..build import abi3 as abi3_mod

    try:  # abi3 = true | "3.12": one wheel for that CPython and every later one (docs/wheels.md)
        abi3 = abi3_mod.parse(config.get("abi3", False), "[tool.hatch.build.hooks.zigimport] abi3")
    except ZigSettingsError as exc:
        raise wheels.WheelConfigError(str(exc)) from None
    if abi3 is not None:
        target = wheels.abi3_target(target)
    specs = _specializations(config.get("specializations", []))
    return HookOptions(mode, target, strip, config.get("paths"), abi3, specs)


class ZigimportBuildHook(BuildHookInterface[Any]):
    """Compiles the package's Zig modules into the wheel (``[tool.hatch.build.hooks.zigimport]``)."""

    PLUGIN_NAME = "zigimport"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build the modules and add them (with stubs and ``py.typed``) to *build_data*'s ``force_include``."""
        if self.target_name != "wheel" or version == "editable":
            return
        from . import wheels

        options = read_options(self.config)
        mode, target, strip, abi3 = options.release_mode, options.target, options.strip, options.abi3
        paths = self._paths(options.paths)
        specs = [(sp, os.path.realpath(os.path.join(self.root, sp.source))) for sp in options.specializations]
        built = wheels.build_modules(paths, mode, target, strip=strip, abi3=abi3, exclude=frozenset(p for _, p in specs))
        prebuilt = wheels.build_specializations(paths, specs, target, strip=strip, abi3=abi3)
        if not built and not prebuilt:
            log.warning("zigimport build hook: no Zig modules under %s", ", ".join(paths))
            return
        out = os.path.join(self.directory, ".zigimport-wheel")
        os.makedirs(out, exist_ok=True)
        force = build_data.setdefault("force_include", {})
        for b in built:
            force[b.artifact] = b.wheel_path
            log.info("zigimport build hook: %s -> %s", b.source.path, b.wheel_path)
            if b.stub is not None:
                stub_file = os.path.join(out, b.wheel_path.replace("/", "__") + ".pyi")
                with open(stub_file, "w", encoding="utf-8") as f:
                    f.write(b.stub)
                force[stub_file] = b.wheel_path[:-len(target.ext_suffix)] + ".pyi"
            record = os.path.join(out, b.wheel_path.replace("/", "__") + wheels.PREBUILT_SUFFIX)
            with open(record, "w", encoding="utf-8") as f:  # `zigimport info` tells a source edited since
                f.write(wheels.prebuilt_record(b, mode, target, abi3))
            force[record] = b.wheel_path[:-len(target.ext_suffix)] + wheels.PREBUILT_SUFFIX
        for i, (artifact, wheel_path, record_text) in enumerate(prebuilt):
            force[artifact] = wheel_path
            log.info("zigimport build hook: specializations[%d] -> %s", i, wheel_path)
            record = os.path.join(out, wheel_path.replace("/", "__") + wheels.PREBUILT_SUFFIX)
            with open(record, "w", encoding="utf-8") as f:
                f.write(record_text)
            force[record] = wheel_path[:-len(target.ext_suffix)] + wheels.PREBUILT_SUFFIX
        for package in wheels.package_roots(built):
            marker = os.path.join(out, package.replace("/", "__") + ".py.typed")
            open(marker, "w").close()
            force[marker] = f"{package}/py.typed"
        build_data["pure_python"] = False
        build_data["tag"] = wheels.wheel_tag(target, abi3)

    def _paths(self, given: object) -> list[str]:
        from . import wheels

        if given is None:
            packages = self.build_config.target_config.get("packages") or []
            given = list(packages) or ["."]
        if not isinstance(given, list) or not all(isinstance(p, str) for p in given):
            raise wheels.WheelConfigError(f"[tool.hatch.build.hooks.zigimport] paths = {given!r}: expected a list of folders")
        return [os.path.join(self.root, p) for p in given]


@hookimpl
def hatch_register_build_hook() -> type[BuildHookInterface[Any]]:
    """hatchling's plugin entry point (``[project.entry-points.hatch] zigimport = ...``)."""
    return ZigimportBuildHook
