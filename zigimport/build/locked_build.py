"""Build one cache entry under its lock and publish the binary atomically.

Imported only when the loader finds no current binary.  The sequence:

1. take the entry's ``filelock`` (never a global lock; cache hits take none),
2. check again -- another process may have built it while we waited,
3. digest the inputs (the module's source graph and zig_core) *before*
   compiling, and check after it that none changed (else compile again):
   a binary is never published under digests it was not built from; Zig's
   own local cache is the entry's, emptied whenever Zig could take an edit
   for no change (``zig_local_cache.py``),
4. compile into a temporary file inside the entry, then ``os.replace`` it to
   a name derived from the build id: a published binary is never rewritten,
   so processes that have it mapped keep running,
5. write the manifest (atomically) and prune older binaries.

A build killed at any point leaves at most a ``.tmp-*`` file, which no
manifest names and the next build removes.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import sysconfig
import time
from typing import TYPE_CHECKING

from .. import cache_dir, cache_key, core_digest, log, manifest, source_graph, toolchain
from ..atomic_files import write_if_changed
from ..zig_literal import zig_string
from ..errors import ZigCacheError, ZigCompileError, ZigSourceError
from . import build_plan, c_inputs, compiler_rt, core_object, entry_lock, signature_scan, stubs, zig_local_cache, zig_process

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..entry import Entry

# The compile step of entries that are not modules, by Entry.kind: build/test_binary.py adds itself
# (imported by whoever creates such an entry), so this module does not import it.
COMPILERS: dict[str, Callable[..., bool]] = {}
COMPILE_ATTEMPTS = 3  # compiles of a source that changes while it is compiled, before giving up
_LIBC_NEEDED = "dependency on libc must be explicitly specified"
_zig_versions: dict[str, str] = {}


def build(entry: Entry, *, force: bool = False) -> str:
    """Return the path of a freshly built (or concurrently built) binary for *entry*."""
    cache_dir.ensure_root(entry.root)
    _prepare_entry_dir(entry)
    try:
        lock = entry_lock.acquire(os.path.join(entry.dir, "lock"), entry.settings.lock_timeout)
    except entry_lock.LockTimeout:
        raise ZigCacheError(_lock_timeout_message(entry), name=entry.fullname, path=entry.source) from None
    try:
        return _build_locked(entry, force)
    finally:
        lock.release()


def _prepare_entry_dir(entry: Entry) -> None:
    os.makedirs(cache_dir.entries_dir(entry.root), mode=0o700, exist_ok=True)
    try:
        unsafe = cache_dir.is_unsafe(os.stat(entry.dir))
    except FileNotFoundError:
        unsafe = False
    if unsafe:
        log.warning("discarding cache entry %s: it is writable by other users", entry.dir)
        shutil.rmtree(entry.dir, ignore_errors=True)
    os.makedirs(entry.dir, mode=0o700, exist_ok=True)


def _lock_timeout_message(entry: Entry) -> str:
    try:
        with open(os.path.join(entry.dir, "owner"), encoding="utf-8") as f:
            owner = f"; the lock was last taken by {f.read().strip()}"
    except OSError:
        owner = ""
    return (
        f"timed out after {entry.settings.lock_timeout:g} s waiting for another process to finish building "
        f"{entry.source} (lock {os.path.join(entry.dir, 'lock')}{owner}); wait for it, stop it, or raise "
        f"ZIGIMPORT_LOCK_TIMEOUT"
    )


def _build_locked(entry: Entry, force: bool) -> str:
    previous = manifest.read(entry.manifest_path)
    if previous is not None and not force:
        artifact = os.path.join(entry.dir, previous.artifact)
        if (cache_dir.trusted(artifact) and previous.key == entry.key_text and manifest.first_changed(previous.inputs) is None
                and core_digest.matches(entry.root, toolchain.zig_core_dir(), previous.core)):
            log.debug("%s was built by another process while we waited for the lock", entry.fullname)
            return artifact

    with open(os.path.join(entry.dir, "owner"), "w", encoding="utf-8") as f:
        f.write(f"pid {os.getpid()} on {socket.gethostname()} at {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    _remove_leftovers(entry.dir)

    # C sources, headers, translated headers, Zig packages: read from the module's declaration (build/build_plan.py)
    plan = build_plan.plan(entry, toolchain.zig_binary(), _scrubbed_env(), _compiler_cwd(entry))
    binary = toolchain.zig_binary()
    version = _zig_versions.get(binary) or _zig_versions.setdefault(binary, toolchain.zig_version(binary))
    link_libc = previous.link_libc if previous is not None else False
    link_libc = link_libc or plan.link_libc

    # A binary is published only under the digests of exactly what the compiler read: inputs
    # that changed while it ran are snapshotted and compiled again (see build/zig_local_cache.py
    # for why Zig itself cannot be stale).
    changed: str | None = None
    for _attempt in range(COMPILE_ATTEMPTS):
        inputs = _snapshot_inputs(entry, plan.inputs)
        tree, core, core_inputs = core_digest.refresh(entry.root, toolchain.zig_core_dir(), zig_core_files())
        generated = [(f"<generated module {n}>", cache_key.digest(t.encode())) for n, t in entry.extra_modules]
        try:  # zig_core's module-independent code, compiled once (build/core_object.py)
            core_obj = _core_object(entry, plan, tree, core_inputs, binary)
        except core_object.CoreChanged as exc:
            changed = exc.path
            continue
        if core_obj is not None:
            generated.append(("<zig_core runtime object>", core_obj.digest))
        bid = cache_key.build_id(entry.key_text, [(i.path, i.digest) for i in inputs] + generated + [("zig_core", tree)])
        name = entry.artifact_name(bid)
        artifact = os.path.join(entry.dir, name)
        if not force and cache_dir.trusted(artifact):
            log.info("reusing %s for %s: its inputs are unchanged since it was built", name, entry.source)
            break
        tmp = os.path.join(entry.dir, f".tmp-{os.getpid()}-{name}")
        try:
            compile_fn = _compile if entry.kind == "module" else COMPILERS[entry.kind]  # a test binary: build/test_binary.py
            if core_obj is not None:
                link_libc = _compile(entry, binary, tmp, link_libc, inputs + core_inputs, plan, core=core_obj)
            else:
                link_libc = compile_fn(entry, binary, tmp, link_libc, inputs + core_inputs, plan)
            changed = manifest.changed_since_snapshot(inputs + core_inputs)
            if changed is None:
                os.replace(tmp, artifact)
                break
            log.info("%s changed while %s was compiled; compiling again", changed, entry.source)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    else:
        raise ZigSourceError(
            f"{changed} kept changing while zigimport compiled {entry.source} ({COMPILE_ATTEMPTS} attempts); "
            f"import again once it is saved", name=entry.fullname, path=changed,
        )

    manifest.write(entry.manifest_path, manifest.Manifest(bid, name, version, link_libc, inputs, entry.key_text, core))
    _prune(entry, keep={name, previous.artifact if previous is not None else name})
    stubs.write_stub(entry, artifact)
    return artifact


def _core_object(entry: Entry, plan: build_plan.BuildPlan, tree: str, core_inputs: list[manifest.Input],
                 binary: str) -> core_object.CoreObject | None:
    """The runtime object a module of *entry* links, or None (Debug, test binaries, abi3 builds: the
    object is compiled against the version-specific C API, an abi3 module compiles zig_core itself)."""
    mode = entry.settings.release_mode
    if entry.kind != "module" or not core_object.used(mode) or plan.abi3 is not None:
        return None
    flags = core_object.target_flags(cache_key.MODE_ZIG_FLAGS[mode], entry.extra_flags, plan.root_args)
    return core_object.ensure(entry.root, mode, flags, tree, core_inputs, binary=binary, env=_scrubbed_env(),
                              cwd=_compiler_cwd(entry), lock_timeout=entry.settings.lock_timeout, quiet=entry.settings.quiet)


def _snapshot_inputs(entry: Entry, planned: list[str]) -> list[manifest.Input]:
    """Digest the module's own inputs (its source graph and what its build plan reads) before
    compiling it; zig_core is core_digest's."""
    inputs = []
    for path in source_graph.local_files(entry.source) + planned:
        try:
            inputs.append(manifest.snapshot(path))
        except OSError as exc:
            raise ZigSourceError(
                f"cannot read {path}, a source of {entry.fullname}: {exc.strerror or exc}",
                name=entry.fullname, path=path,
            ) from None
    return inputs


def zig_core_files() -> list[str]:
    root = toolchain.zig_core_dir()
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".zig"))
    return found


def _remove_leftovers(entry_dir: str) -> None:
    """Temporary outputs of builds that died (we hold the lock, so no build is running)."""
    for name in os.listdir(entry_dir):
        if name.startswith(".tmp-") or name.startswith("manifest.tmp-"):
            try:
                os.remove(os.path.join(entry_dir, name))
            except OSError:
                pass


def _prune(entry: Entry, keep: set[str]) -> None:
    """Remove binaries older than the previous build.  The previous one stays for a
    process that read the old manifest and is about to load it; unlinking a binary
    that a running process has mapped is safe (the inode lives on)."""
    suffix = entry.artifact_name("")[len(entry.tail) + 1:]
    for name in os.listdir(entry.dir):
        if name.startswith(entry.tail + ".") and name.endswith(suffix) and name not in keep:
            try:
                os.remove(os.path.join(entry.dir, name))
            except OSError:
                pass


def init_symbol(tail: str) -> str:
    """The module init function CPython looks up (PEP 489 spelling for non-ASCII names)."""
    if tail.isascii():
        return "PyInit_" + tail.replace("-", "_")  # as CPython spells it (importdl.c), for specialize/'s "n=-1"
    return "PyInitU_" + tail.encode("punycode").decode("ascii").replace("-", "_")


ROOT_TEMPLATE = """\
//! Generated by zigimport: the build root for {source}. Do not edit.
//! The user's file is the module "zigimport_user"; this root supplies a panic
//! handler (unless the user declares `pub const panic`) so that ReleaseSafe builds
//! stay small and fast to compile, and a Zig panic reports the Python traceback.
const std = @import("std");
const user = @import("zigimport_user");
const zig_core = @import("zig_core");

pub const panic = if (@hasDecl(user, "panic")) user.panic else zig_core.panic_handler;
pub const std_options: std.Options = if (@hasDecl(user, "std_options")) user.std_options else .{{}};
/// zig_core finds the module's classes here (for class-typed parameters anywhere).
pub const zigimport_user_module = user;

comptime {{
    _ = user;
}}
"""

OPTIONS_TEMPLATE = """\
//! Generated by zigimport: build facts for zig_core. Do not edit.
/// The full dotted name the module is imported as ("pkg.sub"): __name__, tp_name prefixes, messages.
pub const module_name: [:0]const u8 = {name};
pub const init_symbol: [:0]const u8 = {init};
pub const source_path: []const u8 = {source};
pub const python_version: [2]u8 = .{{ {major}, {minor} }};
pub const python_hexversion: u32 = 0x{hexversion:08x};
pub const python_debug: bool = {debug};
pub const python_gil_disabled: bool = {nogil};
/// abi3 (build/abi3.py): the stable-ABI minimum version the binary is built for, or null (version-specific).
pub const abi3_minimum: ?[2]u8 = {abi3};
"""


def _zig_bool(value: bool) -> str:
    return "true" if value else "false"


def options_text(entry: Entry, scan: signature_scan.ContainerInfo, plan: build_plan.BuildPlan) -> str:
    """The ``zigimport_options`` module of *entry*: its names, this interpreter, and what the scanner read
    (names and docs Zig cannot reflect).  The module and its test binary (test_binary.py) compile the same one."""
    return OPTIONS_TEMPLATE.format(
        name=zig_string(entry.fullname), init=zig_string(init_symbol(entry.tail)), source=zig_string(entry.source, lossy=True),
        major=sys.version_info[0], minor=sys.version_info[1], hexversion=sys.hexversion,
        debug=_zig_bool(hasattr(sys, "gettotalrefcount")), nogil=_zig_bool(bool(sysconfig.get_config_var("Py_GIL_DISABLED"))),
        abi3="null" if plan.abi3 is None else f".{{ {plan.abi3[0]}, {plan.abi3[1]} }}",
    ) + signature_scan.render_zig(scan)


def _compile(entry: Entry, binary: str, out_path: str, link_libc: bool, inputs: list[manifest.Input],
             plan: build_plan.BuildPlan | None = None, strip_core: bool = True,
             core: core_object.CoreObject | None = None) -> bool:
    """Run the compiler; return whether libc was linked.  Raises ZigCompileError.

    ``strip_core``: build zig_core with its per-mode flags (cache_key.ZIG_CORE_FLAGS).
    ``core``: zig_core's runtime object to link (build/core_object.py)."""
    gen = os.path.join(entry.dir, "gen")
    os.makedirs(gen, mode=0o700, exist_ok=True)
    root_zig = os.path.join(gen, "root.zig")
    options_zig = os.path.join(gen, "options.zig")
    write_if_changed(root_zig, ROOT_TEMPLATE.format(source=entry.source))
    scan = signature_scan.scan_file(entry.source)
    plan = plan or build_plan.BuildPlan()
    write_if_changed(options_zig, options_text(entry, scan, plan) + (core_object.OPTIONS_LINE if core is not None else ""))
    extra_deps, extra_mods = _extra_modules(entry, gen)
    global_cache, _shared_local = cache_dir.zig_cache_dirs(entry.root)
    read = inputs + [manifest.snapshot(p) for p in (root_zig, options_zig, *extra_paths(entry, gen),
                                                    *([core.path] if core is not None else []))]  # everything the compiler reads
    local_cache = zig_local_cache.prepare(entry.dir, read)
    mode = entry.settings.release_mode
    core_flags = cache_key.ZIG_CORE_FLAGS.get(mode, ()) if strip_core else ()
    args = [
        binary, *cache_key.BASE_ZIG_FLAGS, *cache_key.MODE_ZIG_FLAGS[mode], *entry.extra_flags, "-O", mode, "--name", entry.tail,
        "--cache-dir", local_cache, "--global-cache-dir", global_cache,
        *plan.root_args,  # -I, -D, -mcpu, C sources: per-module options of the root
        # each --dep applies to the next -M
        "--dep", "zigimport_user", "--dep", "zig_core", f"-Mroot={root_zig}",
        *plan.user_deps, "--dep", "zig_core", *extra_deps, f"-Mzigimport_user={entry.source}",
        "--dep", "zigimport_options", *core_flags, f"-Mzig_core={os.path.join(toolchain.zig_core_dir(), 'zig_core.zig')}",
        f"-Mzigimport_options={options_zig}", *extra_mods,
        *plan.modules,  # translated C headers, zig_modules, packages
        *plan.link_args,
        *([core.path] if core is not None else []),
        f"-femit-bin={out_path}",
    ]
    if link_libc or plan.abi3 is not None:  # abi3 before 3.13: libc's malloc (zig_core/src/limited_api.zig)
        args.append("-lc")
    # A wheel's explicit -target (integrations/wheels.py): link compiler_rt, since the binary cannot be checked
    # against this process's symbols (another machine, or an older glibc).
    without_rt = not compiler_rt.needed(entry.dir) and "-target" not in entry.extra_flags
    if without_rt:
        args.append(compiler_rt.FLAG)  # see build/compiler_rt.py
        if (gcc_runtime := compiler_rt.libgcc_s()) is not None:
            args.append(gcc_runtime)
    log.info("compiling %s (%s)", entry.source, mode)
    started = time.perf_counter()
    returncode, diagnostics = _run(args, entry)
    elapsed = time.perf_counter() - started
    if manifest.changed_since_snapshot(read) is None:
        zig_local_cache.confirm(entry.dir)
    if returncode < 0 and core_flags:
        # The compiler died of a signal: Zig 0.17 crashes on some mixes of stripped and
        # unstripped modules (cache_key.ZIG_CORE_FLAGS), so build as before, zig_core unstripped.
        log.info("the compiler crashed (signal %d) on %s; compiling again with zig_core's debug info",
                    -returncode, entry.source)
        return _compile(entry, binary, out_path, link_libc, inputs, plan, strip_core=False, core=core)
    if returncode != 0 and not link_libc and _LIBC_NEEDED in diagnostics:
        log.info("%s uses libc; compiling again with -lc", entry.source)
        return _compile(entry, binary, out_path, True, inputs, plan, strip_core, core)
    if returncode != 0:
        raise compile_failure(entry, entry.source, diagnostics, scan)
    if without_rt and (missing := compiler_rt.missing_symbols(out_path)):
        compiler_rt.record_needed(entry.dir, entry.source, missing)
        return _compile(entry, binary, out_path, link_libc, inputs, plan, strip_core, core)
    log.info("compiled %s (%s) in %.2f s", entry.source, mode, elapsed)
    return link_libc


def compile_failure(entry: Entry, what: str, diagnostics: str, scan: signature_scan.ContainerInfo) -> ZigCompileError:
    """The error of a failed compile of *what* (the source, or the tests of it): Zig's output
    tidied for the user, a missing header or library named."""
    from ..diagnostics import compile_errors as diagnostics_module  # only when a compile fails

    mode = entry.settings.release_mode
    log.debug("compiler output for %s:\n%s", what, diagnostics)
    shown = diagnostics_module.tidy(diagnostics, source=entry.source, info=scan,
                                    zig_core_dir=toolchain.zig_core_dir(), cwd=_compiler_cwd(entry))
    shown = "\n".join(filter(None, [c_inputs.explain(diagnostics), shown]))
    return ZigCompileError(f"failed to compile {what} ({mode}):\n{shown}",
                           name=entry.fullname, path=entry.source, diagnostics=shown, release_mode=mode)


def _extra_modules(entry: Entry, gen: str) -> tuple[list[str], list[str]]:
    """The generated modules the user's file imports (specialize/: ``params``): written beside
    root.zig; returns the ``--dep`` arguments for the user module and the ``-M`` definitions."""
    deps: list[str] = []
    mods: list[str] = []
    for name, text in entry.extra_modules:
        path = os.path.join(gen, f"{name}.zig")
        write_if_changed(path, text)
        deps += ["--dep", name]
        mods.append(f"-M{name}={path}")
    return deps, mods


def extra_paths(entry: Entry, gen: str) -> list[str]:
    """Where _extra_modules wrote the generated modules (files the compiler reads)."""
    return [os.path.join(gen, f"{name}.zig") for name, _text in entry.extra_modules]


def _scrubbed_env() -> dict[str, str]:
    """The compiler's environment without ZIG_* variables (ZIG_LIB_DIR etc. would change
    the output behind the cache key's back)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIG_") and k != "CLICOLOR_FORCE"}
    env["NO_COLOR"] = "1"  # diagnostics are parsed (diagnostics/compile_errors.py); Jupyter kernels force colour
    return env


def _compiler_cwd(entry: Entry) -> str:
    """Zig prints paths relative to its cwd: make them relative to the user's."""
    try:
        return os.getcwd()
    except OSError:
        return os.path.dirname(entry.source)


def _run(args: list[str], entry: Entry) -> tuple[int, str]:
    """Run the compiler, telling the user on stderr if it takes more than a second."""
    notice = None if entry.settings.quiet else f"zigimport: compiling {entry.source} ({entry.settings.release_mode})..."
    returncode, out, _ = zig_process.run_with_notice(args, cwd=_compiler_cwd(entry), env=_scrubbed_env(), notice=notice)
    return returncode, out.decode("utf-8", errors="replace").rstrip()
