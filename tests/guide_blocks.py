"""Run every code block of a guide page (docs/*.md) or of the README, each kind the way it is meant.

A page runs top to bottom in one fresh folder (its cwd):

- a block whose first line is ``// file: NAME`` or ``# file: NAME`` is written there (a JSON block without that
  line), then checked by the reader zigimport itself uses: ``.zig`` files by ``zig ast-check`` (and compiled when a
  later block imports them), ``.zig.json`` by the schema resolver, ``.zig.zon`` by the ZON reader, ``.toml`` by
  tomllib and the readers of each table zigimport or a tool it plugs into owns (the hatch hook's options, the
  pytest plugin's ini options, hatchling's ``[project]`` metadata); a ``[tool.zigimport]`` table is refused, as
  nothing reads one;
- a ``zig`` block without a file line must say ``// fragment: WHY`` and is checked with ``zig ast-check``;
- ``python`` blocks run in a fresh interpreter each; ``sh`` blocks run with bash (``-euo pipefail``), ``python`` and
  ``zigimport`` on PATH being this interpreter and its CLI; consecutive ``ipython`` blocks run as the cells of one
  IPython shell;
- a ``text`` block right after a block that printed something is that block's output, compared with it (``...``
  matches anything, as doctest's ELLIPSIS); after a block that printed nothing it is an illustration;
- an ``sh`` block whose first line is ``# not run: REASON`` is not run; the test lists every such block
  (tests/test_readme.py NOT_RUN), so a new one cannot slip through unnoticed.

Pages run with ``ZIG_RELEASEMODE=Debug`` (:data:`PAGE_ENV`): a Debug build is the cheapest, and a page that
shows another mode names it explicitly; the few pages that show the default mode run in it (:data:`DEFAULT_MODE_PAGES`).
A page's pytest loads only zigimport's plugin (:data:`PYTEST_ENV`).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import REPO, run_python

OPEN = re.compile(r"^```(\S*)[ \t]*$")
CLOSE = re.compile(r"^```[ \t]*$")
FILE_LINE = re.compile(r"^(?://|#) file: (\S+)\s*$")
NOT_RUN = re.compile(r"^# not run: (.+)$")
KINDS = {"python", "sh", "zig", "json", "toml", "zon", "c", "text", "ipython"}
PAGE_ENV = {"ZIG_RELEASEMODE": "Debug"}
# pytest run by a page loads zigimport's plugin and no other: autoloading every installed plugin (hypothesis alone
# is ~1 s of imports) would cost more than the Zig tests the page runs.  PYTEST_PLUGINS loads it whether or not
# the page also names it with -p (the same module name: registered once).
PYTEST_ENV = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_PLUGINS": "zigimport.integrations.pytest_plugin"}
# Pages run in the default mode instead: their examples show it (module names, messages), or, for c-libraries (C
# sources, a build.zig project), Debug measured slower: 304 s against 40 s in the default mode, on a loaded machine.
DEFAULT_MODE_PAGES = {"docs/errors.md", "docs/specialize.md", "docs/c-libraries.md"}


@dataclass
class Block:
    lang: str
    body: str
    line: int  # the opening fence's line in the page

    @property
    def first(self) -> str:
        return self.body.split("\n", 1)[0]

    @property
    def file(self) -> str | None:
        m = FILE_LINE.match(self.first)
        return m.group(1) if m else None


@dataclass
class PageRun:
    """What running a page did: counts per kind, and the blocks marked not run (page line, reason)."""

    counts: dict[str, int] = field(default_factory=dict)
    not_run: list[tuple[int, str]] = field(default_factory=list)
    seconds: dict[int, float] = field(default_factory=dict)  # wall time per block, by page line (to find the slow ones)

    def count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1


def blocks(text: str, where: str) -> list[Block]:
    """The fenced blocks of a page; a fence without a language, or one of an unknown language, is an error."""
    out: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        lang = m.group(1)
        assert lang in KINDS, f"{where}:{i + 1}: a code block of language {lang or '(none)'!r}; " \
            f"the guide's runner knows {sorted(KINDS)}"
        j = i + 1
        while j < len(lines) and not CLOSE.match(lines[j]):
            j += 1
        assert j < len(lines), f"{where}:{i + 1}: the code block is never closed"
        out.append(Block(lang, "\n".join(lines[i + 1:j]) + "\n", i + 1))
        i = j + 1
    return out


def _bin_dir(folder: Path) -> Path:
    """``python`` and ``zigimport`` for sh blocks: this interpreter (with its PYTHONPATH) and its CLI."""
    bindir = folder / ".guide-bin"
    bindir.mkdir(exist_ok=True)
    for name, command in (("python", f"exec {shlex.quote(sys.executable)} \"$@\""),
                          ("zigimport", f"exec {shlex.quote(sys.executable)} -m zigimport \"$@\"")):
        script = bindir / name
        script.write_text(f"#!/bin/sh\n{command}\n")
        script.chmod(0o755)
    return bindir


def _env(folder: Path, name: str) -> dict[str, str]:
    env = dict(os.environ, **({} if name in DEFAULT_MODE_PAGES else PAGE_ENV), **PYTEST_ENV)
    env["PATH"] = f"{_bin_dir(folder)}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def _zig() -> list[str]:
    return [sys.executable, "-m", "ziglang"]


def ast_check(path: Path, where: str) -> None:
    proc = subprocess.run([*_zig(), "ast-check", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{where}: zig ast-check failed:\n{proc.stderr}"


def check_toml(text: str, folder: Path, where: str) -> None:
    """tomllib, then each table zigimport (or hatchling, for ``[project]``) reads, by its own reader."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AssertionError(f"{where}: not TOML: {exc}") from None
    tool: dict[str, Any] = data.get("tool", {})
    assert "zigimport" not in tool, f"{where}: [tool.zigimport]: zigimport reads no such table"
    hook = tool.get("hatch", {}).get("build", {}).get("hooks", {}).get("zigimport")
    if hook is not None:
        from zigimport.integrations.hatch_hook import read_options

        read_options(hook)
    ini: dict[str, Any] = tool.get("pytest", {}).get("ini_options", {})
    from zigimport.integrations import pytest_plugin
    from zigimport.settings import parse_release_mode

    for key, value in ini.items():
        if key.startswith("zigimport"):
            assert key in (pytest_plugin.INI_COLLECT, pytest_plugin.INI_RELEASE_MODE), f"{where}: no pytest option {key}"
            if key == pytest_plugin.INI_RELEASE_MODE:
                parse_release_mode(str(value), key)
            else:
                assert isinstance(value, bool), f"{where}: {key} = {value!r}: expected true or false"
    if "build-system" in data:
        system = data["build-system"]
        assert isinstance(system.get("requires"), list) and isinstance(system.get("build-backend"), str), \
            f"{where}: [build-system] needs requires (a list) and build-backend"
    if "project" in data:
        from hatchling.metadata.core import ProjectMetadata

        metadata = ProjectMetadata(str(folder), None, data)
        core = metadata.core  # hatchling's own checks of name, version, dependencies, entry points
        assert core.name and core.version, f"{where}: [project] without name or version"
        core.dependencies  # noqa: B018 - parsing them is the check


def check_schema(path: Path, where: str) -> None:
    from zigimport.schema.resolve import resolve_file

    module = path.name[: -len(".zig.json")]
    resolve_file(str(path), module)  # SchemaError naming file#/pointer on anything unsupported


def check_zon(text: str, where: str) -> None:
    from zigimport.build import zon

    zon.parse(text)


def matches(expected: str, actual: str) -> bool:
    """Whether *actual* is *expected* line for line (trailing blanks ignored); ``...`` matches anything."""
    def norm(s: str) -> str:
        return "\n".join(line.rstrip() for line in s.strip("\n").splitlines())

    pattern = ".*?".join(re.escape(part) for part in norm(expected).split("..."))
    return re.fullmatch(pattern, norm(actual), re.S) is not None


IPYTHON_DRIVER = r"""
import contextlib, io, json, sys
from IPython.core.interactiveshell import InteractiveShell
ip = InteractiveShell.instance(colors="nocolor")
results = []
for cell in json.load(sys.stdin):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        result = ip.run_cell(cell)
    results.append({"ok": result.success, "output": buf.getvalue()})
print(json.dumps(results))
"""


def run_ipython(cells: list[Block], folder: Path, env: dict[str, str], where: str) -> list[dict[str, Any]]:
    env = {k: v for k, v in env.items() if k != "ZIG_RELEASEMODE"}  # the cells show the default mode in messages
    proc = subprocess.run([sys.executable, "-c", IPYTHON_DRIVER], input=json.dumps([c.body for c in cells]), cwd=folder,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{where}: the IPython shell failed:\n{proc.stderr}"
    results: list[dict[str, Any]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


def run_page(page: Path, folder: Path, *, skip_first: bool = False, name: str | None = None) -> PageRun:
    """Run every block of *page* in *folder* (see the module docstring); *skip_first* leaves out the README's opening
    commands (the ones .ci/run runs); *name* is the page in messages (default: its path in the repository)."""
    name = name or page.relative_to(REPO).as_posix()
    found = blocks(page.read_text(), name)
    if skip_first:
        found = found[1:]
    env = _env(folder, name)
    run = PageRun()
    output: str | None = None  # what the previous block printed (None: it ran nothing or printed nothing)
    ipython_results: dict[int, dict[str, Any]] = {}
    i = 0
    while i < len(found):
        block = found[i]
        where = f"{name}:{block.line}"
        started = time.perf_counter()
        if block.lang == "text":
            if output:
                assert matches(block.body, output), f"{where}: the output differs from the text block.\n" \
                    f"printed:\n{output}\nthe page says:\n{block.body}"
                run.count("text (output)")
            else:
                run.count("text")
            output = None
            i += 1
            continue
        output = None
        target = block.file
        if target is not None and block.lang in ("zig", "json", "toml", "zon", "c"):
            path = folder / target
            path.parent.mkdir(parents=True, exist_ok=True)
            body = block.body.split("\n", 1)[1] if block.lang == "json" else block.body  # JSON has no comments
            path.write_text(body)
            if target.endswith(".zig.zon") or block.lang == "zon":
                check_zon(body, where)
            elif target.endswith(".zig"):
                ast_check(path, where)
            elif target.endswith(".zig.json"):
                check_schema(path, where)
            elif target.endswith(".json"):
                json.loads(body)
            elif target.endswith(".toml"):
                check_toml(body, folder, where)
            run.count(f"{block.lang} file")
        elif block.lang == "zig":
            assert block.first.startswith("// fragment: "), \
                f"{where}: a zig block needs `// file: NAME.zig` (written, imported) or `// fragment: WHY` (syntax-checked)"
            scratch = folder / ".guide-fragments" / f"line{block.line}.zig"
            scratch.parent.mkdir(exist_ok=True)
            scratch.write_text(block.body)
            ast_check(scratch, where)
            run.count("zig fragment")
        elif block.lang == "json":
            json.loads(block.body)
            run.count("json")
        elif block.lang == "toml":
            check_toml(block.body, folder, where)
            run.count("toml")
        elif block.lang == "zon":
            check_zon(block.body, where)
            run.count("zon")
        elif block.lang == "python":
            output = run_python(block.body, cwd=folder, env=env).stdout
            run.count("python")
        elif block.lang == "sh":
            m = NOT_RUN.match(block.first)
            if m:
                run.not_run.append((block.line, m.group(1)))
            else:
                proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block.body], cwd=folder, env=env,
                                      capture_output=True, text=True, timeout=600)
                assert proc.returncode == 0, f"{where}: the commands failed ({proc.returncode}):\n" \
                    f"{proc.stdout}\n{proc.stderr}"
                output = proc.stdout
                run.count("sh")
        elif block.lang == "ipython":
            if i not in ipython_results:  # the run of ipython cells from here (text blocks between them) is one shell
                cells = [(k, b) for k, b in enumerate(found[i:], start=i) if b.lang in ("ipython", "text")]
                cells = [(k, b) for k, b in cells if all(found[n].lang in ("ipython", "text") for n in range(i, k + 1))]
                ipy = [(k, b) for k, b in cells if b.lang == "ipython"]
                for (k, _), result in zip(ipy, run_ipython([b for _, b in ipy], folder, env, where)):
                    ipython_results[k] = result
            result = ipython_results[i]
            shows_error = i + 1 < len(found) and found[i + 1].lang == "text" and \
                re.match(r"\w+(Error|Exception): ", found[i + 1].body) is not None
            assert result["ok"] or shows_error, f"{where}: the cell failed:\n{result['output']}"
            assert not (shows_error and result["ok"]), f"{where}: the page shows an error the cell did not raise"
            output = _strip_out_prompt(result["output"])
            run.count("ipython")
        else:
            raise AssertionError(f"{where}: a {block.lang} block without a `// file: NAME` line cannot be used")
        run.seconds[block.line] = time.perf_counter() - started
        i += 1
    return run


def _strip_out_prompt(text: str) -> str:
    """IPython's display of a cell's value (``Out[3]: 3.0``) is not what a page shows as output."""
    return textwrap.dedent("\n".join(line for line in text.splitlines() if not line.startswith("Out[")))
