"""``%load_ext zigimport`` and the ``%%zig`` cell magic: a notebook cell compiled as a Zig module.

The cell's text becomes ``<cache root>/notebook/<digest of the text>/<name>.zig`` and goes through
the import hook's machinery (its entry, the manifest check, the locked build), so re-running an
unchanged cell, also in a new kernel, is a cache hit, and an edited cell is a new source that is
compiled and bound in place of the old one.  The file's line 1 stands for the ``%%zig`` line, so
Zig's line numbers are the cell's.  ``py`` (zig_core) and ``py.module(@This())`` are added at the
end of the file when the cell does not write them (Zig's declarations are order-independent).
"""

from __future__ import annotations

import argparse
import os
import re
from importlib.machinery import ExtensionFileLoader, ModuleSpec
from types import ModuleType
from typing import Any

from .. import cache_dir, cache_key, loader
from .. import settings as settings_mod
from ..entry import Entry
from ..errors import ZigCompileError, ZigImportError

NOTEBOOK_DIR = "notebook"
DEFAULT_NAME = "zig_cell"
_DECLARES_PY = re.compile(r"^[ \t]*(?:pub[ \t]+)?const[ \t]+py[ \t]*=", re.M)
_DEFINES_MODULE = re.compile(r"\.module\(\s*@This\(\)\s*\)|\bexport\s+fn\s+PyInit")
# A file:line[:col] (an ANSI colour code before it is skipped, not taken as part of the path).
_LOCATION = re.compile(r"\x1b\[[0-9;]*m|(?P<path>[^\s:()\x1b]+\.zig):(?P<line>\d+)(?::(?P<col>\d+))?")


class ZigCellError(ZigCompileError):
    """A ``%%zig`` cell did not compile: Zig's diagnostics, located by *cell* line, and no traceback.

    IPython shows an exception through its ``_render_traceback_`` when it has one, so the
    notebook shows the compiler's message and the cell's code, not zigimport's frames.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self.name} did not compile ({self.release_mode}):", *self.diagnostics.splitlines()]


class ZigCellImportError(ZigImportError):
    """A ``%%zig`` cell compiled but could not be loaded (e.g. it defines no module), shown without a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


def cell_source(cell: str) -> str:
    """The Zig file for *cell*: a first line standing for the ``%%zig`` line, the cell, and what it leaves out."""
    text = "\n" + cell
    if not text.endswith("\n"):
        text += "\n"
    if not _DEFINES_MODULE.search(cell):
        text += "comptime {\n    py.module(@This());\n}\n"
    if not _DECLARES_PY.search(cell) and "py." in text:
        text += 'const py = @import("zig_core");\n'
    return text


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="%%zig", add_help=False, exit_on_error=False,
                                description="Compile the cell as a Zig module and bind its public names.")
    p.add_argument("--release-mode", "-O", metavar="MODE")
    p.add_argument("--name", "-n", default=None, metavar="NAME")
    p.add_argument("--quiet", "-q", action="store_true")
    return p


def parse_line(line: str) -> argparse.Namespace:
    """The options of a ``%%zig`` line; ValueError with a message naming the bad option."""
    import shlex

    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise ValueError(f"%%zig {line.strip()}: {exc}") from None
    p = _parser()
    try:
        ns, extra = p.parse_known_args(words)
    except argparse.ArgumentError as exc:
        raise ValueError(f"%%zig: {exc}") from None
    except SystemExit:  # argparse's own exit for a malformed line
        raise ValueError(f"%%zig: cannot parse {line.strip()!r}; usage: %%zig [--release-mode MODE] [--name NAME] [--quiet]") from None
    if extra:
        raise ValueError(f"%%zig: unknown option {extra[0]!r}; valid: --release-mode MODE, --name NAME, --quiet")
    if ns.release_mode is not None:
        try:
            ns.release_mode = settings_mod.parse_release_mode(ns.release_mode, "--release-mode")
        except settings_mod_error() as exc:
            raise ValueError(f"%%zig: {exc}") from None
    if ns.name is not None and not (ns.name.isidentifier() and ns.name.isascii()):
        raise ValueError(f"%%zig: --name={ns.name!r} must be a Python identifier (the module's name)")
    return ns


def settings_mod_error() -> type[Exception]:
    from ..errors import ZigSettingsError

    return ZigSettingsError


def _settings(release_mode: str | None, quiet: bool) -> settings_mod.Settings:
    from ..finder import installed_overrides

    overrides = installed_overrides()
    s = settings_mod.resolve(overrides)
    return settings_mod.Settings(release_mode or s.release_mode, s.norecompile, quiet or s.quiet, s.cache_dir,
                                 s.lock_timeout, "off")


def write_source(root: str, name: str, text: str) -> str:
    """``<root>/notebook/<digest>/<name>.zig`` holding *text* (created once: the folder is named by the content)."""
    folder = os.path.join(root, NOTEBOOK_DIR, cache_key.digest(text.encode())[:20])
    path = os.path.join(folder, f"{name}.zig")
    if not os.path.exists(path):
        cache_dir.ensure_root(root)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        tmp = f"{path}.tmp-{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    return path


def _cell_diagnostics(diagnostics: str, source: str, name: str, cell_lines: int) -> str:
    """Zig's diagnostics with the cell's file named ``<cell name>``; a line past the cell is zigimport's addition."""
    real = os.path.realpath(source)

    def place(m: re.Match[str]) -> str:
        path = m["path"]  # Zig prints paths relative to its working folder (the kernel's)
        if path is None:
            return m[0]
        if os.path.realpath(path if os.path.isabs(path) else os.path.join(os.getcwd(), path)) != real:
            return m[0]
        line = int(m["line"])
        where = f"<cell {name}>:{line}" if line <= cell_lines + 1 else f"<cell {name}, added by %%zig>:{line}"
        return where + (f":{m['col']}" if m["col"] else "")

    return _LOCATION.sub(place, diagnostics)


class CellModules:
    """The ``%%zig`` state of one shell: the module each name holds now and the names it bound."""

    def __init__(self) -> None:
        self.loaded: dict[str, ModuleType] = {}  # artifact -> module: an unchanged cell is not loaded again
        self.bound: dict[str, dict[str, object]] = {}  # module name -> {public name: object bound}

    def compile(self, cell: str, name: str, release_mode: str | None, quiet: bool) -> ModuleType:
        """Build (on a miss) and load the cell as the module *name*."""
        path = ""
        try:
            s = _settings(release_mode, quiet)
            path = write_source(cache_dir.root(s.cache_dir), name, cell_source(cell))
            artifact = loader.resolve(Entry(name, path, s))
        except ZigCompileError as exc:
            shown = _cell_diagnostics(exc.diagnostics, path, name, len(cell.splitlines()))
            raise ZigCellError(f"%%zig cell {name} did not compile ({s.release_mode}):\n{shown}", name=name, path=path,
                               diagnostics=shown, release_mode=s.release_mode) from None
        except ZigImportError as exc:  # a bad setting, no toolchain, an unsafe cache: its message says it all
            raise ZigCellImportError(f"%%zig cell {name}: {exc}", name=name, path=path or None) from None
        module = self.loaded.get(artifact)
        if module is None:
            so_loader = ExtensionFileLoader(name, artifact)
            try:
                module = so_loader.create_module(ModuleSpec(name, so_loader, origin=artifact))
                so_loader.exec_module(module)
            except ImportError as exc:
                raise ZigCellImportError(f"%%zig cell {name} compiled but cannot be loaded: {exc}", name=name, path=path) from None
            module.__file__ = path
            self.loaded[artifact] = module
        return module

    def bind(self, module: ModuleType, namespace: dict[str, Any], *, named: bool) -> list[str]:
        """Put the module's public functions and classes into *namespace*.  A *named* cell (``--name``) also
        binds the module, and the names its previous run bound that this one no longer defines are removed
        (unnamed cells are all ``zig_cell``, so one cannot tell an edit from another cell).  Returns the names."""
        public = {n: v for n, v in vars(module).items() if not n.startswith("_") and callable(v)}
        if named:
            public[module.__name__] = module
            for n, old in self.bound.get(module.__name__, {}).items():
                if n not in public and namespace.get(n) is old:
                    del namespace[n]
            self.bound[module.__name__] = public
        namespace.update(public)
        return sorted(public)


def load_ipython_extension(ipython: Any) -> None:
    """Register the ``%%zig`` cell magic with the shell *ipython* (``%load_ext zigimport``)."""
    from IPython.core.error import UsageError
    from IPython.core.magic import Magics, cell_magic, magics_class

    state = CellModules()

    @magics_class
    class ZigMagics(Magics):
        """``%%zig [--release-mode MODE] [--name NAME] [--quiet]``."""

        @cell_magic
        def zig(self, line: str, cell: str) -> None:
            """Compile the cell as a Zig module (zig_core is ``py``) and bind its public functions and classes.

            Options: ``--release-mode MODE`` (default: ``$ZIG_RELEASEMODE``, else ReleaseSafe), ``--name NAME``
            (the module's name, also bound; default ``zig_cell``), ``--quiet`` (no compile notice).
            Re-running an edited cell rebuilds it and rebinds the names."""
            try:
                ns = parse_line(line)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            module = state.compile(cell, ns.name or DEFAULT_NAME, ns.release_mode, ns.quiet)
            assert self.shell is not None  # registered with a shell
            state.bind(module, self.shell.user_ns, named=ns.name is not None)

    ipython.register_magics(ZigMagics)
