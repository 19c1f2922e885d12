"""A module's build configuration, read from its own source without compiling it (build path only).

A module declares what its build needs in one top-level declaration, a ZON
literal named ``zigimport_build``::

    const zigimport_build = .{
        .link_system_libs = .{ "z" },
        .c_sources = .{ "vendor/ring.c", .{ .path = "vendor/fast.c", .flags = .{ "-O3" } } },
        .include_dirs = .{ "vendor" },
        .defines = .{ .RING_CAPACITY = 64 },
        .c_headers = .{ .ring = "vendor/ring.h", .zlib = "zlib.h" },
        .zig_modules = .{ .util = "lib/util.zig" },
        .cpu = .baseline,
    };

Why in the source, and not a ``name.zig.zon`` sidecar or ``pyproject.toml``:

* one file is the whole module: copying ``my_ext.zig`` copies its build, and a
  notebook cell or a gist stays one file;
* the source is already an input of every build, so the cache-hit path needs
  no new stat and no parsing: an edit to the declaration changes the source's
  digest.  A sidecar would be a file whose *appearance* must also be noticed,
  one more stat per import for every module that has none;
* it is ZON, the syntax ``build.zig.zon`` uses, so Zig users know it, and Zig
  compiles it (an unused private ``const`` costs nothing);
* :func:`read` is the one reader: the import hook, the CLI and the wheel hook
  all call it with the source path.

``extern "z" fn ...`` in the source links ``libz`` with no declaration at all,
as ``extern "c"`` links libc.  Paths are relative to the source's folder.
Every mistake is a :class:`~zigimport.ZigSettingsError` naming the key and
``file:line``.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field

from ..errors import ZigSettingsError, ZigSourceError
from . import abi3, zon

__all__ = ["BuildConfig", "CSource", "DECLARATION", "KEYS", "read", "read_text"]

DECLARATION = "zigimport_build"
KEYS = ("link_libc", "link_system_libs", "c_sources", "include_dirs", "defines", "c_headers", "zig_modules",
        "zig_packages", "build_zig_zon", "flags", "cpu", "abi3")
C_EXTENSIONS = (".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m", ".S", ".s")
# Module names the build itself supplies: a c_headers/zig_modules name may not take them.
RESERVED_NAMES = frozenset({"std", "builtin", "root", "zig_core", "zigimport_user", "zigimport_options", "c"})
# Flags zigimport sets itself; passing them in `flags` would break the build or the cache.
OWNED_FLAGS = ("-O", "-femit-bin", "--name", "-M", "--dep", "--cache-dir", "--global-cache-dir", "-dynamic", "-static",
               "--zig-lib-dir", "-target", "-mcpu")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LIB = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*\Z")
_CPU = re.compile(r"[A-Za-z0-9_]+([+-][A-Za-z0-9_]+)*\Z")


@dataclass(frozen=True, slots=True)
class CSource:
    """One C (or C++/assembly) file and the flags it alone is compiled with."""

    path: str  # absolute
    flags: tuple[str, ...] = ()


@dataclass(slots=True)
class BuildConfig:
    """What a module's build needs beyond the Zig source itself.

    ``link_libc`` is None when the module did not say: libc is then linked if
    anything C is involved (C sources, headers, system libraries, ``extern "c"``)
    or if the compiler asks for it.
    """

    source: str
    line: int | None = None  # where the declaration starts; None if the source has none
    link_libc: bool | None = None
    link_system_libs: list[str] = field(default_factory=list)  # declared ones
    extern_libs: list[str] = field(default_factory=list)  # named on `extern "lib"` in the source (not "c")
    extern_c: bool = False
    c_sources: list[CSource] = field(default_factory=list)
    include_dirs: list[str] = field(default_factory=list)  # absolute
    defines: list[tuple[str, str | None]] = field(default_factory=list)
    c_headers: dict[str, list[str]] = field(default_factory=dict)  # import name -> absolute paths or "<system.h>"
    zig_modules: dict[str, str] = field(default_factory=dict)  # import name -> absolute .zig path
    zig_packages: list[str] = field(default_factory=list)  # dependency names in build_zig_zon
    build_zig_zon: str | None = None  # absolute; set when zig_packages is
    flags: list[str] = field(default_factory=list)
    cpu: str = "native"
    abi3: tuple[int, int] | None = None  # the stable-ABI minimum (build/abi3.py), or a version-specific build

    @property
    def system_libs(self) -> list[str]:
        """Declared and ``extern``-named libraries, each once, in order."""
        return list(dict.fromkeys(self.link_system_libs + self.extern_libs))

    @property
    def uses_c(self) -> bool:
        return bool(self.c_sources or self.c_headers or self.system_libs or self.extern_c)

    @property
    def is_plain(self) -> bool:
        """Nothing beyond what every module gets: the build needs no extra step."""
        return self.line is None and not self.extern_libs


def read(source: str) -> BuildConfig:
    """The build configuration of the Zig module at *source* (never compiles anything).

    Raises :class:`~zigimport.ZigSettingsError` for a malformed or invalid
    declaration, naming the key and ``file:line``, and
    :class:`~zigimport.ZigSourceError` for a source it cannot read.
    """
    try:
        with open(source, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as exc:
        raise ZigSourceError(f"cannot read {source}: {exc.strerror or exc}", path=source) from None
    return read_text(text, source)


def read_text(text: str, source: str) -> BuildConfig:
    """:func:`read` of *text*, the content of the file at *source* (paths resolve against its folder)."""
    source = os.path.abspath(source)
    try:
        tokens = zon.tokenize(text)
    except zon.ZonSyntaxError as exc:
        raise _error(source, exc.line, str(exc)) from None
    cfg = BuildConfig(source)
    _scan_externs(tokens, cfg)
    start = _find_declaration(tokens, source)
    if start is None:
        return cfg
    try:
        node, end = zon.parse_at(tokens, start)
    except zon.ZonSyntaxError as exc:
        raise _error(source, exc.line, f"{DECLARATION}: {exc}") from None
    if not (end < len(tokens) and tokens[end].text == ";"):
        raise _error(source, tokens[end - 1].line, f"{DECLARATION}: expected ';' after the declaration")
    cfg.line = node.line
    _Validator(cfg).struct(node)
    return cfg


def _error(source: str, line: int, message: str) -> ZigSettingsError:
    return ZigSettingsError(f"{source}:{line}: {message}", path=source)


def _scan_externs(tokens: list[zon.Token], cfg: BuildConfig) -> None:
    for i, tok in enumerate(tokens[:-1]):
        if tok.kind == "ident" and tok.text == "extern" and tokens[i + 1].kind == "str":
            lib = tokens[i + 1].text
            if lib == "c":
                cfg.extern_c = True
            elif lib and lib not in cfg.extern_libs:
                cfg.extern_libs.append(lib)


def _find_declaration(tokens: list[zon.Token], source: str) -> int | None:
    """Index of the value of the top-level ``[pub] const zigimport_build = ``, if there is one."""
    depth = 0
    found: int | None = None
    for i, tok in enumerate(tokens):
        if tok.kind == "punct":
            if tok.text in ("{", "(", "[", ".{"):
                depth += 1
            elif tok.text in ("}", ")", "]"):
                depth -= 1
            continue
        if depth == 0 and tok.kind == "ident" and tok.text == DECLARATION and i > 0 and tokens[i - 1].text in ("const", "var"):
            if tokens[i - 1].text == "var":
                raise _error(source, tok.line, f"{DECLARATION} must be a `const`, not a `var`")
            if i + 1 >= len(tokens) or tokens[i + 1].text != "=":
                raise _error(source, tok.line, f"{DECLARATION}: expected `= .{{ ... }};` (a ZON literal; no type annotation)")
            if found is not None:
                raise _error(source, tok.line, f"{DECLARATION} is declared twice (first on line {tokens[found].line})")
            found = i + 2
    return found


class _Validator:
    def __init__(self, cfg: BuildConfig) -> None:
        self.cfg = cfg
        self.base = os.path.dirname(cfg.source)

    def fail(self, node: zon.Node, key: str, message: str) -> ZigSettingsError:
        return _error(self.cfg.source, node.line, f"{DECLARATION}.{key}: {message}")

    def struct(self, node: zon.Node) -> None:
        value = node.value
        if value == []:
            return  # `.{}`: nothing declared
        if not isinstance(value, dict):
            raise _error(self.cfg.source, node.line,
                         f"{DECLARATION} must be a struct literal `.{{ .key = value, ... }}`; valid keys: {', '.join(KEYS)}")
        for key, item in value.items():
            if key not in KEYS:
                close = difflib.get_close_matches(key, KEYS, n=1)
                hint = f" (did you mean .{close[0]}?)" if close else ""
                raise self.fail(item, key, f"unknown key{hint}; valid keys: {', '.join(KEYS)}")
            getattr(self, "_" + key)(item, key)
        if self.cfg.zig_packages and self.cfg.build_zig_zon is None:
            self.cfg.build_zig_zon = os.path.join(self.base, "build.zig.zon")
        if self.cfg.build_zig_zon is not None and not os.path.isfile(self.cfg.build_zig_zon):
            raise self.fail(value.get("build_zig_zon", value.get("zig_packages", node)), "zig_packages",
                            f"no build.zig.zon at {self.cfg.build_zig_zon}")

    # --- helpers ---------------------------------------------------------------

    def strings(self, node: zon.Node, key: str, what: str = "strings") -> list[tuple[str, zon.Node]]:
        if isinstance(node.value, str):
            return [(node.value, node)]  # one item may be written without the tuple
        if not isinstance(node.value, list):
            raise self.fail(node, key, f"expected a tuple of {what} `.{{ \"a\", \"b\" }}`, got {_describe(node)}")
        out = []
        for k, item in enumerate(node.value):
            if not isinstance(item.value, str):
                raise self.fail(item, f"{key}[{k}]", f"expected a string, got {_describe(item)}")
            out.append((item.value, item))
        return out

    def named(self, node: zon.Node, key: str) -> dict[str, zon.Node]:
        if node.value == []:
            return {}
        if not isinstance(node.value, dict):
            raise self.fail(node, key, f"expected a struct `.{{ .name = ... }}`, got {_describe(node)}")
        return node.value

    def path(self, rel: str, node: zon.Node, key: str, *, want_dir: bool = False) -> str:
        if not rel:
            raise self.fail(node, key, "empty path")
        full = os.path.normpath(os.path.join(self.base, os.path.expanduser(rel)))
        ok = os.path.isdir(full) if want_dir else os.path.isfile(full)
        if not ok:
            kind = "directory" if want_dir else "file"
            raise self.fail(node, key, f"no such {kind}: {rel!r} (resolved against {self.base} to {full})")
        if "\n" in full:
            raise self.fail(node, key, f"zigimport cannot track a path containing a newline: {full!r}")
        return full

    def import_name(self, name: str, node: zon.Node, key: str) -> str:
        if not _IDENT.match(name):
            raise self.fail(node, f"{key}.{name}", "an import name must be a Zig identifier (letters, digits, _)")
        if name in RESERVED_NAMES or name.startswith("zigimport_"):
            raise self.fail(node, f"{key}.{name}", f"{name!r} is a module name the build supplies; choose another")
        if name in self.cfg.c_headers or name in self.cfg.zig_modules or name in self.cfg.zig_packages:
            raise self.fail(node, f"{key}.{name}", "this import name is already used by another key")
        return name

    # --- keys ------------------------------------------------------------------

    def _link_libc(self, node: zon.Node, key: str) -> None:
        if not isinstance(node.value, bool):
            raise self.fail(node, key, f"expected true or false, got {_describe(node)}")
        self.cfg.link_libc = node.value

    def _link_system_libs(self, node: zon.Node, key: str) -> None:
        for lib, item in self.strings(node, key, "library names"):
            if lib.startswith("-l") or _looks_like_filename(lib):
                bare = lib[2:] if lib.startswith("-l") else re.sub(r"^lib|\.so.*$|\.a$", "", os.path.basename(lib))
                raise self.fail(item, key, f"{lib!r}: name the library as the linker's -l does, e.g. {bare!r}")
            if not _LIB.match(lib):
                raise self.fail(item, key, f"{lib!r} is not a library name (like \"z\", \"m\" or \"sqlite3\")")
            if lib == "c":
                self.cfg.link_libc = True
            elif lib not in self.cfg.link_system_libs:
                self.cfg.link_system_libs.append(lib)

    def _c_sources(self, node: zon.Node, key: str) -> None:
        items = [node] if isinstance(node.value, str) else node.value
        if not isinstance(items, list):
            raise self.fail(node, key, f"expected a tuple of files `.{{ \"a.c\", .{{ .path = \"b.c\", .flags = .{{...}} }} }}`, "
                                       f"got {_describe(node)}")
        for k, item in enumerate(items):
            where = f"{key}[{k}]"
            flags: list[str] = []
            if isinstance(item.value, str):
                rel, path_node = item.value, item
            elif isinstance(item.value, dict):
                extra = set(item.value) - {"path", "flags"}
                if extra:
                    raise self.fail(item, where, f"unknown field .{sorted(extra)[0]}; a C source has .path and .flags")
                if "path" not in item.value:
                    raise self.fail(item, where, "missing .path")
                path_node = item.value["path"]
                if not isinstance(path_node.value, str):
                    raise self.fail(path_node, where + ".path", f"expected a string, got {_describe(path_node)}")
                rel = path_node.value
                if "flags" in item.value:
                    flags = [f for f, _ in self.strings(item.value["flags"], where + ".flags", "compiler flags")]
                    for f in flags:
                        if f == "--":
                            raise self.fail(item.value["flags"], where + ".flags", "'--' cannot be a C flag")
            else:
                raise self.fail(item, where, f"expected a file name or .{{ .path = ..., .flags = ... }}, got {_describe(item)}")
            if not rel.endswith(C_EXTENSIONS):
                raise self.fail(path_node, where, f"{rel!r} is not a C, C++ or assembly source ({', '.join(C_EXTENSIONS)})")
            self.cfg.c_sources.append(CSource(self.path(rel, path_node, where), tuple(flags)))

    def _include_dirs(self, node: zon.Node, key: str) -> None:
        for k, (rel, item) in enumerate(self.strings(node, key, "directories")):
            self.cfg.include_dirs.append(self.path(rel, item, f"{key}[{k}]", want_dir=True))

    def _defines(self, node: zon.Node, key: str) -> None:
        if isinstance(node.value, dict):
            for name, item in node.value.items():
                v = item.value
                if isinstance(v, bool):
                    value: str | None = "1" if v else "0"
                elif isinstance(v, (int, float)):
                    value = str(v)
                elif isinstance(v, str) or v is None:
                    value = v
                else:
                    raise self.fail(item, f"{key}.{name}", f"expected a string, number, true/false or null, got {_describe(item)}")
                self.cfg.defines.append((name, value))
            return
        for text, item in self.strings(node, key, '"NAME=value" strings'):
            name, eq, value_text = text.partition("=")
            if not _IDENT.match(name):
                raise self.fail(item, key, f"{text!r}: a define is NAME or NAME=value, NAME a C identifier")
            self.cfg.defines.append((name, value_text if eq else None))

    def _c_headers(self, node: zon.Node, key: str) -> None:
        for name, item in self.named(node, key).items():
            self.import_name(name, item, key)
            headers: list[str] = []
            for rel, h in self.strings(item, f"{key}.{name}", "header names"):
                local = os.path.normpath(os.path.join(self.base, rel))
                if os.path.isfile(local):
                    headers.append(local)
                elif os.path.isabs(rel) or rel.startswith("."):
                    raise self.fail(h, f"{key}.{name}", f"no such header: {rel!r} (resolved to {local})")
                else:
                    headers.append(f"<{rel}>")  # found through include_dirs or the system's include path
            if not headers:
                raise self.fail(item, f"{key}.{name}", "name at least one header")
            self.cfg.c_headers[name] = headers

    def _zig_modules(self, node: zon.Node, key: str) -> None:
        for name, item in self.named(node, key).items():
            self.import_name(name, item, key)
            if not isinstance(item.value, str):
                raise self.fail(item, f"{key}.{name}", f"expected the path of a .zig file, got {_describe(item)}")
            if not item.value.endswith(".zig"):
                raise self.fail(item, f"{key}.{name}", f"{item.value!r} is not a .zig file")
            self.cfg.zig_modules[name] = self.path(item.value, item, f"{key}.{name}")

    def _zig_packages(self, node: zon.Node, key: str) -> None:
        for name, item in self.strings(node, key, "dependency names from build.zig.zon"):
            self.cfg.zig_packages.append(self.import_name(name, item, key))

    def _build_zig_zon(self, node: zon.Node, key: str) -> None:
        if not isinstance(node.value, str):
            raise self.fail(node, key, f"expected the path of a build.zig.zon file, got {_describe(node)}")
        self.cfg.build_zig_zon = self.path(node.value, node, key)

    def _flags(self, node: zon.Node, key: str) -> None:
        for k, (flag, item) in enumerate(self.strings(node, key, "compiler flags")):
            if not flag.startswith("-"):
                raise self.fail(item, f"{key}[{k}]", f"{flag!r} is not a flag (flags start with '-'); C files go in .c_sources")
            owned = next((o for o in OWNED_FLAGS if flag == o or flag.startswith(o + "=") or
                          (o in ("-O", "-M") and flag.startswith(o))), None)
            if owned is not None:
                hint = " (use .cpu)" if owned == "-mcpu" else " (set ZIG_RELEASEMODE)" if owned == "-O" else ""
                raise self.fail(item, f"{key}[{k}]", f"{flag!r}: zigimport sets {owned} itself{hint}")
            self.cfg.flags.append(flag)

    def _cpu(self, node: zon.Node, key: str) -> None:
        v = node.value
        name = v.name if isinstance(v, zon.EnumLiteral) else v if isinstance(v, str) else None
        if name is None or not _CPU.match(name):
            raise self.fail(node, key, f"expected .native, .baseline or a CPU model name like \"x86_64_v3\", got {_describe(node)}")
        self.cfg.cpu = name


    def _abi3(self, node: zon.Node, key: str) -> None:
        v = node.value
        if not isinstance(v, (bool, str)):
            raise self.fail(node, key, f"expected {abi3.VALID}, got {_describe(node)}")
        try:
            self.cfg.abi3 = abi3.parse(v, key)
        except ZigSettingsError as exc:
            raise _error(self.cfg.source, node.line, f"{DECLARATION}.{exc}") from None  # "zigimport_build.abi3 = '3.10': ..."


def _looks_like_filename(lib: str) -> bool:
    return lib.endswith((".so", ".a")) or ".so." in lib


def _describe(node: zon.Node) -> str:
    v = node.value
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return f"the string {v!r}"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, zon.EnumLiteral):
        return f".{v.name}"
    if isinstance(v, dict):
        return "a struct literal"
    return "a tuple"
