"""What a module's build configuration adds to its compile: flags, named modules and input files.

:func:`plan` reads the configuration (:mod:`.config`), translates its C headers
(:mod:`.translate_c`), resolves its Zig packages (:mod:`.zig_packages`) and asks
the compiler which headers its C sources include (:mod:`.c_inputs`).  The
locked build puts :attr:`BuildPlan.inputs` in the manifest beside the Zig
sources, so an edit to any of them -- a header two ``#include`` s away, a C file,
a package's file -- rebuilds on the next import.  Build path only; a module
without a declaration gets an empty plan after one read of its source.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import cache_dir, source_graph, toolchain
from ..errors import ZigCompileError
from . import abi3, c_inputs, config, translate_c, zig_packages

if TYPE_CHECKING:
    from ..entry import Entry

__all__ = ["BuildPlan", "plan"]


@dataclass(slots=True)
class BuildPlan:
    """Compiler arguments and input files one module's configuration adds."""

    root_args: list[str] = field(default_factory=list)  # per-module options of the root module (-I, -D, C files)
    user_deps: list[str] = field(default_factory=list)  # --dep NAME for the user's module
    modules: list[str] = field(default_factory=list)  # the named modules themselves (--dep ... -MNAME=path)
    link_args: list[str] = field(default_factory=list)  # -lNAME
    link_libc: bool = False
    inputs: list[str] = field(default_factory=list)  # files beyond the module's own Zig graph
    abi3: tuple[int, int] | None = None  # the stable-ABI minimum (build/abi3.py: a wheel's or the declaration's), or None


def plan(entry: Entry, binary: str, env: dict[str, str], cwd: str) -> BuildPlan:
    """The :class:`BuildPlan` for *entry*'s source (raises ZigSettingsError / ZigCompileError)."""
    cfg = config.read(entry.source)
    out = BuildPlan(abi3=abi3.minimum(entry, cfg.abi3 if entry.kind == "module" else None))
    if cfg.is_plain:
        return out
    out.root_args = c_inputs.root_args(cfg)
    out.link_args = c_inputs.link_args(cfg)
    out.link_libc = c_inputs.link_libc(cfg)
    inputs: list[str] = []
    base_flags = [*([] if cfg.cpu == "native" else [f"-mcpu={cfg.cpu}"]), *(f"-I{d}" for d in cfg.include_dirs),
                  *c_inputs.define_flags(cfg)]
    for src in cfg.c_sources:
        files, error = c_inputs.dependencies(binary, src.path, [*base_flags, *src.flags], env=env, cwd=cwd)
        if error is not None:
            explained = c_inputs.explain(error)
            head = explained or f"failed to compile the C source {src.path}"
            raise ZigCompileError(f"{head}:\n{error}", name=entry.fullname, path=entry.source, diagnostics=error,
                                  release_mode=entry.settings.release_mode)
        inputs += files

    named: dict[str, tuple[str, bool]] = {}  # import name -> (module root, is Zig code that may import the others)
    for name in cfg.c_headers:
        t = translate_c.translate(cfg, name, binary=binary, toolchain=toolchain.toolchain_identity(), root=entry.root,
                                  env=env, cwd=cwd, quiet=entry.settings.quiet, fullname=entry.fullname,
                                  release_mode=entry.settings.release_mode)
        inputs += t.headers
        named[name] = (t.path, False)
    for name, path in cfg.zig_modules.items():
        inputs += source_graph.local_files(path)
        named[name] = (path, True)
    for pkg in zig_packages.resolve(cfg, cache_dir.zig_cache_dirs(entry.root)[0]):
        inputs += pkg.files + source_graph.local_files(pkg.root)
        named[pkg.name] = (pkg.root, True)

    for name, (path, is_zig) in named.items():
        out.user_deps += ["--dep", name]
        if is_zig:
            for other in ("zig_core", *(n for n in named if n != name)):
                out.modules += ["--dep", other]
        out.modules.append(f"-M{name}={path}")
    # The source itself is already an input; list every other file once, in order.
    out.inputs = [p for p in dict.fromkeys(inputs) if p != entry.source and os.path.isfile(p)]
    return out
