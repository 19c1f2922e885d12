"""The package layout: no import cycles, and the cache-hit path stays on the top level.

The layout itself is written down in zigimport/__init__.py's docstring; these
tests keep the code honest to it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, hit_record_path, run_python, zig_core_module

import zigimport

PACKAGE = REPO / "zigimport"


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its __init__.py)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_edges(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that *name* imports anywhere: top level, inside functions, under TYPE_CHECKING.

    A lazy or type-checking-only import back is still a cycle in the design (a
    reader has to know both files to follow either), so every import counts.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            edges.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if not base.startswith("zigimport"):
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                edges.add(target if target in modules else base)  # `from . import log` names a module
    edges.discard(name)
    return edges


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_find_cycle_reports_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles() -> None:
    modules = module_names()
    graph = {name: import_edges(name, path, modules) for name, path in modules.items()}
    # Sanity: the edges the layout is about are seen at all.
    assert "zigimport.entry" in graph["zigimport.loader"]
    assert "zigimport.build" in graph["zigimport.loader"]  # the lazy import on a miss
    assert "zigimport.entry" in graph["zigimport.build.locked_build"]  # under TYPE_CHECKING
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_every_module_imports_first() -> None:
    """Each module imported first in a fresh interpreter: a cycle that only bites in some order shows here."""
    names = sorted(module_names())
    code = (
        "import importlib, json, sys\n"
        f"failed = {{}}\n"
        f"for name in {names!r}:\n"
        "    for m in [m for m in sys.modules if m == 'zigimport' or m.startswith('zigimport.')]:\n"
        "        del sys.modules[m]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed[name] = f'{type(exc).__name__}: {exc}'\n"
        "print(json.dumps(failed))\n"
    )
    out = run_python(code, cwd=REPO)
    assert json.loads(out.stdout.splitlines()[-1]) == {}


def test_layout_docstring_names_every_module() -> None:
    doc = zigimport.__doc__ or ""
    for name, path in module_names().items():
        listed = path.name if path.name != "__init__.py" else path.parent.name + "/"
        if name != "zigimport":
            assert f" {listed} " in doc or f" {listed}\n" in doc, f"{name} is missing from the layout in zigimport/__init__.py"


PROBE = "import sys, zigimport, {mod}; print({mod}.add(2, 3), sorted(m for m in sys.modules if m.startswith(('zigimport.build', 'zigimport.diagnostics'))))"


@pytest.mark.per_interpreter  # which stdlib modules an import pulls in differs by version
def test_cache_hit_imports_top_level_only(tmp_path: Path) -> None:
    zig_core_module(tmp_path / "layout_mod.zig")
    miss = run_python(PROBE.format(mod="layout_mod"), cwd=tmp_path)
    answer, loaded = miss.stdout.strip().split(" ", 1)
    assert answer == "5"
    assert "zigimport.build.locked_build" in loaded and "zigimport.diagnostics.zig_trace" not in loaded

    hit = run_python(PROBE.format(mod="layout_mod"), cwd=tmp_path)
    assert hit.stdout.split() == ["5", "[]"]


if __name__ == "__main__":  # print the import graph, for a reader of the layout
    mods = module_names()
    for n, p in mods.items():
        sys.stdout.write(f"{n}: {', '.join(sorted(import_edges(n, p, mods)))}\n")


# ---- what `import zigimport` and a cache hit load (hitpath, issue 10 section 2: the hook's own costs) ----

# `import zigimport` alone: the finder (with the hit record's check), nothing else; all else waits for the first .zig module.
IMPORT_ONLY = {"zigimport", "zigimport.finder"}
# A warm import whose hit record matches loads nothing more (tests/test_hit_path.py).
RECORDED_HIT = IMPORT_ONLY
# The full check (no record yet, or one that no longer matches) adds the hit path: settings, the entry key, the
# cache checks, the manifest, zig_core's record, and the writer of the hit record.
HIT_PATH = IMPORT_ONLY | {"zigimport.loader", "zigimport.settings", "zigimport.entry", "zigimport.cache_key",
                          "zigimport.cache_dir", "zigimport.toolchain", "zigimport.manifest", "zigimport.core_digest",
                          "zigimport.hit_record"}


def imported_by(code: str, cwd: Path) -> list[str]:
    """The modules *code* imports, in order, as ``python -X importtime`` reports them (logging left off)."""
    run_python(code, cwd=cwd, log_level=None)  # writes the .pyc files first, as any earlier run of a user's would
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=cwd, capture_output=True, text=True,
                          check=True, timeout=300)
    return [line.rpartition("|")[2].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")][1:]


def test_import_zigimport_loads_only_the_finder(tmp_path: Path) -> None:
    names = imported_by("import zigimport", tmp_path)
    ours = {n for n in names if n == "zigimport" or n.startswith("zigimport.")}
    assert ours == IMPORT_ONLY, sorted(ours)
    # Nothing else of the standard library either, beyond what any interpreter start imports.
    bare = set(imported_by("pass", tmp_path))
    assert set(names) - bare - ours == set(), sorted(set(names) - bare - ours)


def test_lazy_public_names_resolve_and_unknown_ones_raise(tmp_path: Path) -> None:
    out = run_python("""\
        import sys, zigimport
        assert "zigimport.errors" not in sys.modules and "zigimport.settings" not in sys.modules
        assert issubclass(zigimport.ZigCompileError, zigimport.ZigImportError) and zigimport.DEFAULT_RELEASE_MODE in zigimport.RELEASE_MODES
        from zigimport import *  # every name in __all__ resolves
        assert ZigSourceError is sys.modules["zigimport.errors"].ZigSourceError
        try:
            zigimport.no_such_name
        except AttributeError as e:
            print(e)
        """, cwd=tmp_path, log_level=None)
    assert out.stdout.strip() == "module 'zigimport' has no attribute 'no_such_name'"


def test_cache_hit_loads_only_the_hit_path(tmp_path: Path) -> None:
    src = zig_core_module(tmp_path / "lazy_mod.zig")
    run_python("import zigimport, lazy_mod", cwd=tmp_path)  # build
    record = hit_record_path(src, "lazy_mod")  # without it: the full check (with it: tests/test_hit_path.py)
    names = imported_by(f"import os\nif os.path.exists({str(record)!r}): os.remove({str(record)!r})\nimport zigimport, lazy_mod", tmp_path)
    ours = {n for n in names if n == "zigimport" or n.startswith("zigimport.")}
    assert ours == HIT_PATH, sorted(ours ^ HIT_PATH)  # no errors.py, log.py, build/ or diagnostics/ on a hit
    assert names.index("zigimport.loader") > names.index("zigimport.finder")
