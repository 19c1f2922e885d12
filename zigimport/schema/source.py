"""Read a ``.zig.json`` schema (and the local files its ``$ref`` s name): JSON errors with line and column.

Strict JSON: ``NaN``/``Infinity`` and duplicate keys are errors (a duplicate would silently drop a
property), as is a file that is not UTF-8.  On the cache-hit path (a schema module is read, resolved and
rendered on every import): the stdlib ``json`` module only.
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _Duplicate(k)
            seen.add(k)
    return d


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant)


def schema_error(message: str, *, path: str | None, pointer: str = "#", name: str | None = None) -> Exception:
    """A ``SchemaError`` (imported only now: errors.py is not on the hit path)."""
    from ..errors import SchemaError

    return SchemaError(message, name=name, path=path, pointer=pointer)


def parse(text: str, display: str, path: str | None) -> Any:
    """*text* as JSON; a SchemaError ``<display>: invalid JSON: <what>: line L column C (char N)`` otherwise."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise schema_error(f"{display}: invalid JSON: {exc}", path=path) from None
    except _Duplicate as exc:
        line, col = _find_key(text, exc.key)
        where = f": line {line} column {col}" if line else ""
        raise schema_error(f"{display}: invalid JSON: duplicate key {exc.key!r}{where}", path=path) from None
    except ValueError as exc:  # NaN, Infinity
        raise schema_error(f"{display}: invalid JSON: {exc}", path=path) from None


def _find_key(text: str, key: str) -> tuple[int, int]:
    """Line and column of the second occurrence of *key* as an object key (best effort, error path only)."""
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    if second < 0:
        return 0, 0
    line = text.count("\n", 0, second) + 1
    return line, second - (text.rfind("\n", 0, second) + 1) + 1


def read(path: str, display: str, digests: dict[str, str] | None = None) -> Any:
    """The JSON value in the file *path* (UTF-8, an optional BOM); *digests* gets path -> digest of the bytes
    read (record.py checks the files still hold them)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise schema_error(f"{display}: cannot read the schema: {exc.strerror or exc}", path=path) from None
    if digests is not None:
        from ..cache_key import digest

        digests[path] = digest(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise schema_error(f"{display}: invalid JSON: not UTF-8 (byte {exc.start}, line {line})", path=path) from None
    return parse(text, display, path)


def display_name(path: str) -> str:
    """How messages name a schema file: its base name (``person.zig.json``)."""
    return os.path.basename(path)
