"""Zig packages from a ``build.zig.zon``, made importable by their dependency name (build path only).

``.zig_packages = .{ "ring" }`` with a ``build.zig.zon`` beside the module
(or the one ``.build_zig_zon`` names) resolves each dependency to a folder:

* ``.ring = .{ .path = "../ring" }`` -- that folder, relative to the ``build.zig.zon``;
* ``.ring = .{ .url = "...", .hash = "ring-0.1.0-..." }`` -- ``p/<hash>`` in Zig's global
  package cache (the machine's, where ``zig fetch`` puts it, or zigimport's own);
  a package that is not there is an error saying how to fetch it (zigimport never
  downloads anything on import).

The package's module is the root file its ``build.zig`` passes to
``b.addModule("<name>", .{ .root_source_file = b.path("...") })`` (read, not run),
else the first of ``<name>.zig``, ``src/root.zig``, ``src/<name>.zig``, ``root.zig``.
A package's own dependencies are not wired: list them in ``.zig_packages`` too.
"""

from __future__ import annotations

import os

from ..errors import ZigSettingsError
from . import zon
from .config import BuildConfig
from .translate_c import machine_zig_cache

__all__ = ["Package", "resolve"]


class Package:
    """One resolved dependency: its import name, module root file and the files that decided it."""

    __slots__ = ("name", "root", "files")

    def __init__(self, name: str, root: str, files: list[str]) -> None:
        self.name = name
        self.root = root
        self.files = files


def resolve(cfg: BuildConfig, zigimport_global_cache: str) -> list[Package]:
    """Every ``cfg.zig_packages`` entry as a :class:`Package`; ZigSettingsError for what cannot be resolved."""
    if not cfg.zig_packages:
        return []
    assert cfg.build_zig_zon is not None
    zon_path = cfg.build_zig_zon
    where = f"{cfg.source}:{cfg.line}: zigimport_build.zig_packages"
    try:
        with open(zon_path, encoding="utf-8") as f:
            manifest = zon.parse(f.read())
    except OSError as exc:
        raise ZigSettingsError(f"{where}: cannot read {zon_path}: {exc.strerror}", path=cfg.source) from None
    except zon.ZonSyntaxError as exc:
        raise ZigSettingsError(f"{zon_path}:{exc.line}: {exc}", path=zon_path) from None
    if not isinstance(manifest.value, dict):
        raise ZigSettingsError(f"{zon_path}:{manifest.line}: a build.zig.zon is a struct literal .{{ .name = ..., ... }}",
                               path=zon_path)
    deps_node = manifest.value.get("dependencies")
    deps: dict[str, zon.Node] = deps_node.value if deps_node is not None and isinstance(deps_node.value, dict) else {}
    out = []
    for name in cfg.zig_packages:
        if name not in deps:
            have = ", ".join(deps) or "none"
            raise ZigSettingsError(f"{where}: {zon_path} has no dependency .{name} (it declares: {have})", path=cfg.source)
        folder = _folder(name, deps[name], zon_path, zigimport_global_cache)
        root, files = _module_root(name, folder, zon_path, deps[name].line)
        out.append(Package(name, root, [zon_path, *files]))
    return out


def _folder(name: str, node: zon.Node, zon_path: str, zigimport_global_cache: str) -> str:
    fields = node.value if isinstance(node.value, dict) else {}
    path = fields.get("path")
    if path is not None and isinstance(path.value, str):
        folder = os.path.normpath(os.path.join(os.path.dirname(zon_path), path.value))
        if not os.path.isdir(folder):
            raise ZigSettingsError(f"{zon_path}:{path.line}: dependency .{name}: no such folder {folder}", path=zon_path)
        return folder
    hash_node = fields.get("hash")
    if hash_node is None or not isinstance(hash_node.value, str):
        raise ZigSettingsError(f"{zon_path}:{node.line}: dependency .{name} has neither .path nor .hash", path=zon_path)
    caches = [machine_zig_cache(), zigimport_global_cache]
    for cache in caches:
        folder = os.path.join(cache, "p", hash_node.value)
        if os.path.isdir(folder):
            return folder
    url = fields.get("url")
    fetch = f"python -m ziglang fetch {url.value}" if url is not None and isinstance(url.value, str) else "python -m ziglang fetch <its url>"
    raise ZigSettingsError(
        f"{zon_path}:{hash_node.line}: dependency .{name} ({hash_node.value}) is not in Zig's package cache "
        f"(looked in {' and '.join(os.path.join(c, 'p') for c in caches)}); zigimport does not download on import: "
        f"fetch it once with `{fetch}`", path=zon_path)


def _module_root(name: str, folder: str, zon_path: str, line: int) -> tuple[str, list[str]]:
    build_zig = os.path.join(folder, "build.zig")
    files: list[str] = []
    if os.path.isfile(build_zig):
        files.append(build_zig)
        with open(build_zig, encoding="utf-8", errors="replace") as f:
            declared = _added_modules(zon.tokenize(f.read()))
        rel = declared.get(name) or (next(iter(declared.values())) if len(declared) == 1 else None)
        if rel is not None:
            root = os.path.normpath(os.path.join(folder, rel))
            if os.path.isfile(root):
                return root, files
    for rel in (f"{name}.zig", "src/root.zig", f"src/{name}.zig", "root.zig"):
        root = os.path.join(folder, rel)
        if os.path.isfile(root):
            return root, files
    raise ZigSettingsError(
        f"{zon_path}:{line}: dependency .{name} ({folder}) has no module zigimport can find: its build.zig declares no "
        f'b.addModule("{name}", .{{ .root_source_file = b.path("...") }}) and there is no {name}.zig or src/root.zig',
        path=zon_path)


def _added_modules(tokens: list[zon.Token]) -> dict[str, str]:
    """``addModule("name", .{ ... .root_source_file = b.path("file") ... })`` calls: name -> file."""
    found: dict[str, str] = {}
    for i in range(len(tokens) - 3):
        if tokens[i].text == "addModule" and tokens[i + 1].text == "(" and tokens[i + 2].kind == "str":
            depth = 0
            for k in range(i + 1, len(tokens) - 4):
                t = tokens[k]
                if t.kind == "punct" and t.text in ("(", "{", ".{", "["):
                    depth += 1
                elif t.kind == "punct" and t.text in (")", "}", "]"):
                    depth -= 1
                    if depth == 0:
                        break
                elif (t.text == "root_source_file" and tokens[k + 1].text == "=" and tokens[k + 3].text == "."
                      and tokens[k + 4].text == "path"):
                    arg = next((tokens[j] for j in range(k + 5, min(k + 8, len(tokens))) if tokens[j].kind == "str"), None)
                    if arg is not None:
                        found.setdefault(tokens[i + 2].text, arg.text)
                    break
    return found
