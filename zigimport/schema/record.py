"""The schema import's shortcut: which generated Zig text a ``.zig.json`` file (as imported) last rendered to.

Reading, resolving and rendering a schema costs milliseconds (a 20-class schema: ~2-3 ms on a quiet
machine); a cache hit should not.  So the import records, per (schema path, module name), the generated
text's file and the stat signature and digest of every file the text came from -- the schema, each file
its ``$ref`` s reached, and zigimport's own schema code (an upgrade renders differently).  While none of
them changed (manifest.first_changed: a stat each, a re-hash for a racy one), the import loads that text's
entry without reading the schema.  Otherwise it renders afresh and records again.  The record is a hint:
it only ever names content-addressed text, so a stale or torn record costs a render, never a wrong module.
"""

from __future__ import annotations

import os

from .. import cache_dir, cache_key, manifest

MAGIC = "zigimport-schema-record 1"
RECORDS_DIR = "schema-records"
GENERATED_DIR = "generated"  # specialize/generated.py's folder (not imported here: the check needs only the name)

_HERE = os.path.dirname(os.path.abspath(__file__))
# The code a rendered text (and stub) depends on, besides the schema files themselves.
CODE_FILES = tuple(os.path.join(_HERE, f) for f in ("source.py", "keywords.py", "names.py", "spec.py", "resolve.py",
                                                    "pytypes.py", "codegen.py", "stubs.py")) + (
    os.path.join(os.path.dirname(_HERE), "zig_literal.py"),)


def record_path(root: str, schema_path: str, fullname: str) -> str:
    key = cache_key.digest(f"{MAGIC}\0{schema_path}\0{fullname}".encode("utf-8", "surrogateescape"))
    return os.path.join(root, RECORDS_DIR, key[:32])


def lookup(root: str, schema_path: str, fullname: str, *, stale_ok: bool = False) -> tuple[str, str] | None:
    """``(generated text path, text digest)`` if the record is current and its text still exists, else None.
    *stale_ok* (ZIG_NORECOMPILE): the recorded text even if an input changed since."""
    text = manifest.read_small(record_path(root, schema_path, fullname))
    if text is None:
        return None
    lines = text.split("\n")
    if len(lines) < 4 or lines[0] != MAGIC or lines[-1] != "" or not lines[1].startswith("text ") \
            or not lines[2].startswith("digest "):
        return None
    try:
        inputs = [manifest.parse_input(line[6:]) for line in lines[3:-1] if line.startswith("input ")]
    except ValueError:
        return None
    gen, digest = lines[1][5:], lines[2][7:]
    if os.path.dirname(gen) != os.path.join(root, GENERATED_DIR):  # only ever a text zigimport generated
        return None
    if not inputs or not os.path.exists(gen):
        return None
    changed = manifest.first_changed(inputs)
    if changed is not None:
        if not stale_ok:
            return None
        from .. import log

        log.warning("ZIG_NORECOMPILE is set: loading %s as built before %s changed (stale)", schema_path, changed)
        return gen, digest
    if any(i.racy for i in inputs) and manifest.settle_inputs(inputs):  # confirmed by content and now old
        _write(record_path(root, schema_path, fullname), gen, digest, inputs)  # enough: trust their stat next time
    return gen, digest


def _write(target: str, gen: str, digest: str, inputs: list[manifest.Input]) -> None:
    lines = [MAGIC, f"text {gen}", f"digest {digest}", *(f"input {manifest.format_input(i)}" for i in inputs)]
    tmp = f"{target}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, target)
    except OSError:
        pass


def store(root: str, schema_path: str, fullname: str, gen: str, digest: str, read: dict[str, str]) -> None:
    """Record that the files *read* (path -> digest of the bytes resolve.py read) rendered to *gen*.

    Each input is snapshotted now; if one no longer holds what was read (an edit during the render), no
    record is written: the next import renders again.  Never raises (a read-only cache keeps rendering)."""
    try:
        inputs = []
        for path in (*read, *CODE_FILES):
            snap = manifest.snapshot(path)
            if path in read and snap.digest != read[path]:
                return
            inputs.append(snap)
        target = record_path(root, schema_path, fullname)
        cache_dir.ensure_root(root)
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
    except OSError:
        return
    _write(target, gen, digest, inputs)
