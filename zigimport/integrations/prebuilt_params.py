"""Comptime-parameter specialisations prebuilt into a wheel (docs/wheels.md, "Comptime parameters in wheels").

The hatchling hook's ``specializations`` option builds ``load()`` requests at wheel-build time; each binary goes
into ``<package>/_zigimport_prebuilt/<stem>.<digest><ext_suffix>`` with a ``.zigimport-prebuilt.json`` record.
At run time ``load()`` (specialize/compile_api.py) looks for that exact file before compiling: the digest is of
the source files' content, the parameter module's text and name, the release mode and the request's flags; the
extension suffix is the target/ABI (tried in the interpreter's own order).  A mismatch compiles as usual.
"""

from __future__ import annotations

import hashlib
import json
import os

PREBUILT_DIR = "_zigimport_prebuilt"
RECORD_SUFFIX = ".zigimport-prebuilt.json"


def param_values(params: object) -> object:
    """TOML parameter values as ``load()`` takes them: a table ``{ zig-type = "f32" }`` is ``zigimport.ZigType("f32")``."""
    if isinstance(params, dict):
        if set(params) == {"zig-type"}:
            from ..specialize.params import ZigType

            return ZigType(str(params["zig-type"]))
        return {k: param_values(v) for k, v in params.items()}
    if isinstance(params, list):
        return [param_values(v) for v in params]
    return params


def folder_of(source: str) -> str:
    """The folder of prebuilt specialisations beside *source* (a ``.zig`` path)."""
    return os.path.join(os.path.dirname(source), PREBUILT_DIR)


def stem_of(source: str) -> str:
    """``kernels_t`` for ``.../kernels_t.zig``."""
    return os.path.basename(source).rpartition(".")[0]


def source_digest(source: str) -> str:
    """sha256 of *source* and the local files it @imports (`files_digest`)."""
    from .. import source_graph

    return files_digest(os.path.dirname(source), source_graph.local_files(source))


def files_digest(folder: str, files: list[str]) -> str:
    """sha256 of *files*, each by its name relative to *folder*, its length and its bytes: what a prebuilt record
    says a binary was built from (also wheels.source_digest's, for ``zigimport info``)."""
    h = hashlib.sha256()
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        h.update(os.path.relpath(path, folder).encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return h.hexdigest()


def request_digest(source: str, params_text: str, params_module: str, release_mode: str, flags: tuple[str, ...]) -> str:
    """The 16 hex digits naming one request's prebuilt binary: everything ``load()`` keys a build by, but the toolchain."""
    text = json.dumps([source_digest(source), params_text, params_module, release_mode, list(flags)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def find(source: str, params_text: str, params_module: str, release_mode: str, flags: tuple[str, ...]) -> str | None:
    """The prebuilt binary of this exact request beside *source*, or None (no folder, or no match)."""
    folder = folder_of(source)
    if not os.path.isdir(folder):
        return None
    from importlib.machinery import EXTENSION_SUFFIXES

    name = f"{stem_of(source)}.{request_digest(source, params_text, params_module, release_mode, flags)}"
    for suffix in EXTENSION_SUFFIXES:
        path = os.path.join(folder, name + suffix)
        if os.path.isfile(path):
            return path
    return None


def available(source: str) -> list[str]:
    """What the prebuilt specialisations of *source* were built for (from their records), for an error message."""
    folder = folder_of(source)
    out: list[str] = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return out
    for n in names:
        if n.startswith(stem_of(source) + ".") and n.endswith(RECORD_SUFFIX):
            try:
                with open(os.path.join(folder, n), encoding="utf-8") as f:
                    data = json.load(f)
            except (OSError, ValueError):
                continue
            out.append(f"params={data.get('params')!r} release_mode={data.get('release_mode')!r} "
                       f"params_module={data.get('params_module')!r} flags={data.get('flags')!r} target={data.get('target')!r}"
                       + ("" if data.get("sha256") == source_digest(source) else " (built from another version of the source)"))
    return out


def record(source: str, params: object, params_module: str, release_mode: str, flags: tuple[str, ...], binary: str,
           target: str, abi3: str | None) -> str:
    """The JSON text of a prebuilt specialisation's record (``binary``: its file name)."""
    return json.dumps({"source": os.path.basename(source), "binary": binary, "sha256": source_digest(source),
                       "params": params, "params_module": params_module, "release_mode": release_mode,
                       "flags": list(flags), "target": target, "abi3": abi3}, indent=1) + "\n"
