"""Build a package's own ``build.zig`` project under the entry lock, into the cache (build path only).

The contract a ``build.zig`` follows (docs/c-libraries.md has the example):

* it declares a step (default ``python-ext``; ``const zigimport_build = .{ .step = "name" };``
  in build.zig changes it) that installs the extension modules, each named
  ``<module><EXT_SUFFIX>``, ``<module>.so`` or ``lib<module>.so``, anywhere under the prefix;
* zigimport runs ``zig build <step> -Doptimize=<ZIG_RELEASEMODE> --prefix <cache>``
  in the project folder, adding ``-Dpython-include=<CPython's include dir>`` and
  ``-Dpython-ext-suffix=<EXT_SUFFIX>`` when build.zig declares those options (zig build
  rejects options a build does not declare), plus ``.options = .{ .name = "value" }``;
* extension modules link against nothing of CPython's (``linker_allow_shlib_undefined``).

What the build read decides when it rebuilds: ``build.zig``, ``build.zig.zon``, the
project's ``.zig`` files and every file in the Zig cache manifests of the build
(``zig cache-cat``: C sources and the headers they include), except system and
toolchain files.  The build runner and its compiler_rt come from the machine's
Zig cache, as for ``zig build`` on the command line (a fresh cache costs minutes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from importlib.machinery import EXTENSION_SUFFIXES
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from .. import cache_dir, cache_key, log, manifest, toolchain
from ..errors import ZigCacheError, ZigCompileError, ZigSettingsError
from . import c_inputs, config, locked_build, zig_process, zon
from .translate_c import machine_zig_cache

if TYPE_CHECKING:
    from ..entry import Entry

__all__ = ["DEFAULT_STEP", "ProjectConfig", "build", "read_project_config"]

DEFAULT_STEP = "python-ext"
_SKIP_DIRS = frozenset({".zig-cache", "zig-cache", "zig-out", ".git", "__pycache__"})


class ProjectConfig:
    """The ``zigimport_build`` declaration of a ``build.zig``: the step and extra ``-D`` options."""

    __slots__ = ("step", "options")

    def __init__(self, step: str = DEFAULT_STEP, options: dict[str, str] | None = None) -> None:
        self.step = step
        self.options = options or {}


def read_project_config(build_zig: str) -> ProjectConfig:
    """Read (never run) *build_zig*'s ``const zigimport_build = .{ .step = ..., .options = ... };``."""
    with open(build_zig, encoding="utf-8", errors="replace") as f:
        text = f.read()
    tokens = zon.tokenize(text)
    start = config._find_declaration(tokens, build_zig)
    out = ProjectConfig()
    if start is None:
        return out
    try:
        node, _ = zon.parse_at(tokens, start)
    except zon.ZonSyntaxError as exc:
        raise ZigSettingsError(f"{build_zig}:{exc.line}: zigimport_build: {exc}", path=build_zig) from None
    fields = node.value if isinstance(node.value, dict) else None
    if fields is None and node.value != []:
        raise ZigSettingsError(f"{build_zig}:{node.line}: zigimport_build must be a struct literal .{{ .step = \"...\" }}",
                               path=build_zig)
    for key, item in (fields or {}).items():
        where = f"{build_zig}:{item.line}: zigimport_build.{key}"
        if key == "step":
            if not isinstance(item.value, str) or not item.value:
                raise ZigSettingsError(f"{where}: expected the name of a build step, a string", path=build_zig)
            out.step = item.value
        elif key == "options":
            if not isinstance(item.value, dict):
                raise ZigSettingsError(f"{where}: expected a struct .{{ .name = \"value\" }}", path=build_zig)
            for name, v in item.value.items():
                if not isinstance(v.value, (str, int, float, bool)):
                    raise ZigSettingsError(f"{where}.{name}: expected a string, number or bool", path=build_zig)
                out.options[name] = str(v.value).lower() if isinstance(v.value, bool) else str(v.value)
        else:
            raise ZigSettingsError(f"{where}: unknown key; a build.zig declares .step and .options", path=build_zig)
    return out


def build(entry: Entry, *, force: bool = False) -> str:
    """Build *entry*'s project (``entry.source`` is its build.zig); return the install prefix."""
    cache_dir.ensure_root(entry.root)
    locked_build._prepare_entry_dir(entry)
    lock = FileLock(os.path.join(entry.dir, "lock"), timeout=entry.settings.lock_timeout)
    try:
        lock.acquire()
    except Timeout:
        raise ZigCacheError(locked_build._lock_timeout_message(entry), name=entry.fullname, path=entry.source) from None
    try:
        return _build_locked(entry, force)
    finally:
        lock.release()


def _project_files(folder: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        found += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith((".zig", ".zon"))]
    return found


def _read_by_build(local_cache: str, binary: str, env: dict[str, str], skip: tuple[str, ...]) -> list[str]:
    """Absolute paths in the Zig cache manifests of *local_cache* (the files the compiles read)."""
    folder = os.path.join(local_cache, "h")
    try:
        names = sorted(n for n in os.listdir(folder) if len(n) == 32)
    except OSError:
        return []
    out: list[str] = []
    for name in names:
        proc = subprocess.run([binary, "cache-cat", os.path.join(folder, name)], capture_output=True, env=env)
        if proc.returncode != 0:
            continue
        try:
            node = zon.parse(proc.stdout.decode("utf-8", "replace"))
        except zon.ZonSyntaxError:
            continue
        files = node.value.get("files") if isinstance(node.value, dict) else None
        for f in files.value if files is not None and isinstance(files.value, list) else []:
            fields = f.value if isinstance(f.value, dict) else {}
            prefix, path = fields.get("prefix"), fields.get("path")
            if prefix is not None and prefix.value == 0 and path is not None and isinstance(path.value, str):
                p = path.value
                if os.path.isabs(p) and not p.startswith(skip) and os.path.isfile(p):
                    out.append(p)
    return out


def _build_locked(entry: Entry, force: bool) -> str:
    previous = manifest.read(entry.manifest_path)
    if previous is not None and not force:
        out = os.path.join(entry.dir, previous.artifact)
        if cache_dir.trusted(out) and manifest.first_changed(previous.inputs) is None:
            return out
    for name in os.listdir(entry.dir):
        if name.startswith(".tmp-"):
            shutil.rmtree(os.path.join(entry.dir, name), ignore_errors=True)

    project = os.path.dirname(entry.source)
    cfg = read_project_config(entry.source)
    binary = toolchain.zig_binary()
    env = locked_build._scrubbed_env()
    env["ZIG_GLOBAL_CACHE_DIR"] = machine_zig_cache()
    # Snapshot what we know before building, so an edit during the build is seen next time.
    known = [entry.source, *_project_files(project), *(i.path for i in previous.inputs)] if previous else \
        [entry.source, *_project_files(project)]
    before = {p: manifest.snapshot(p) for p in dict.fromkeys(known) if os.path.isfile(p)}

    with open(entry.source, encoding="utf-8", errors="replace") as f:
        text = f.read()
    mode = entry.settings.release_mode
    args = [binary, "build", cfg.step, f"-Doptimize={mode}"]
    if '"python-include"' in text:
        args.append(f"-Dpython-include={sysconfig.get_paths()['include']}")
    if '"python-ext-suffix"' in text:
        args.append(f"-Dpython-ext-suffix={EXTENSION_SUFFIXES[0]}")
    args += [f"-D{k}={v}" for k, v in cfg.options.items()]
    tmp = os.path.join(entry.dir, f".tmp-{os.getpid()}")
    local_cache = os.path.join(entry.dir, "zig-local")
    args += ["--prefix", tmp, "--cache-dir", local_cache, "--summary", "none"]
    log.info("running zig build %s for %s (%s)", cfg.step, entry.source, mode)
    started = time.perf_counter()
    notice = None if entry.settings.quiet else f"zigimport: building {entry.source} (zig build {cfg.step}, {mode})..."
    returncode, output, _ = zig_process.run_with_notice(args, cwd=project, env=env, notice=notice)
    text_out = output.decode("utf-8", "replace").strip()
    if returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        head = c_inputs.explain(text_out) or f"zig build {cfg.step} failed for {entry.source} ({mode})"
        raise ZigCompileError(f"{head}:\n{text_out}", name=entry.fullname, path=entry.source, diagnostics=text_out,
                              release_mode=mode)
    log.info("built %s in %.2f s", entry.source, time.perf_counter() - started)
    skip = (os.path.dirname(binary) + os.sep, machine_zig_cache() + os.sep, entry.root + os.sep, "/usr/",
            sys.base_prefix + os.sep, sys.prefix + os.sep)
    inputs = dict(before)
    for p in _read_by_build(local_cache, binary, env, skip):
        if p not in inputs:
            inputs[p] = manifest.snapshot(p)
    snapshots = list(inputs.values())
    bid = cache_key.build_id(entry.key, [(i.path, i.digest) for i in snapshots])
    name = f"out-{bid[:16]}"
    final = os.path.join(entry.dir, name)
    if os.path.isdir(final):
        shutil.rmtree(tmp, ignore_errors=True)  # published prefixes are never rewritten
    else:
        os.replace(tmp, final)
    version = toolchain.zig_version(binary)
    manifest.write(entry.manifest_path, manifest.Manifest(bid, name, version, False, snapshots))
    keep = {name, previous.artifact if previous is not None else name}
    for old in os.listdir(entry.dir):
        if old.startswith("out-") and old not in keep:
            shutil.rmtree(os.path.join(entry.dir, old), ignore_errors=True)
    return final
