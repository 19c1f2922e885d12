"""What importing a cached ``.zig.json`` schema module costs, against baselines measured in the same run.

    python benchmarks/bench_schema_import.py [--quick] [--classes N]

For a generated schema of N object classes (default 20; each with 8 properties: strings with lengths and a
pattern, an enum, a nullable string, an array, a number range, a $ref to the next class), prints medians of:
 1. reading + resolving + rendering the schema (+ the text's digest): what the import did on every hit
    without schema/record.py -- the baseline
 2. the record lookup that replaces it on a hit (a stat per input and per schema code file, one small read)
 3. the whole hit path of ``import_schema`` (record, entry key, manifest check, module creation), against
    loading the same built binary directly with ExtensionFileLoader (create + exec: the engine's own cost)
``--quick`` builds in Debug and times fewer rounds (the module's creation cost barely depends on the mode).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def schema(n: int) -> dict[str, object]:
    defs = {}
    for i in range(n):
        defs[f"C{i}"] = {"type": "object", "description": f"class {i}", "required": ["id", "name"], "properties": {
            "id": {"type": "integer", "minimum": 0}, "name": {"type": "string", "minLength": 1, "maxLength": 80},
            "email": {"type": ["string", "null"], "maxLength": 200}, "kind": {"enum": ["a", "b", "c"]},
            "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}, "uniqueItems": True},
            "score": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
            "next": {"$ref": f"#/$defs/C{(i + 1) % n}"}, "note": {"type": "string"}}}
    return {"title": "Big", "type": "object", "properties": {f"c{i}": {"$ref": f"#/$defs/C{i}"} for i in range(n)},
            "$defs": defs}


def median_ms(fn: object, rounds: int, number: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(number):
            fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t) / number)
    return statistics.median(times) * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--classes", type=int, default=20)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-schema-"))
    os.environ.setdefault("ZIGIMPORT_CACHE_DIR", str(folder / "cache"))
    if args.quick:
        os.environ["ZIG_RELEASEMODE"] = "Debug"
    import zigimport  # noqa: F401
    from importlib.machinery import ExtensionFileLoader, ModuleSpec

    from zigimport import cache_dir, settings
    from zigimport.schema import loader, record, resolve

    path = folder / "big.zig.json"
    path.write_text(json.dumps(schema(args.classes), indent=2))
    s = settings.resolve(None)
    t = time.perf_counter()
    loader.import_schema(str(path), "big", s)  # the build
    build_s = time.perf_counter() - t
    root = cache_dir.root(s.cache_dir)
    hit = record.lookup(root, str(path), "big")
    assert hit is not None
    from zigimport.entry import Entry
    from zigimport.loader import resolve as resolve_entry

    artifact = resolve_entry(Entry("big", hit[0], s))

    def render() -> None:
        spec, _ = resolve.resolve_file(str(path), "big")
        loader.write_text(spec, s, str(path))

    def direct() -> None:
        so = ExtensionFileLoader("big", artifact)
        so.exec_module(so.create_module(ModuleSpec("big", so, origin=artifact)))

    rounds, number = (5, 10) if args.quick else (15, 40)
    full = median_ms(render, rounds, number)
    look = median_ms(lambda: record.lookup(root, str(path), "big"), rounds, number)
    whole = median_ms(lambda: loader.import_schema(str(path), "big", s), rounds, number)
    so = median_ms(direct, rounds, number)
    spec, _ = resolve.resolve_file(str(path), "big")
    print(f"schema of {len(spec.classes)} classes, {len(spec.nodes)} nodes ({path.stat().st_size} bytes); "
          f"built in {build_s:.1f} s ({s.release_mode})")
    print(f"{'step':58} {'median':>10} {'ratio':>8}")
    print(f"{'1. read + resolve + render (baseline: the hit without a record)':58} {full:8.3f} ms {1:8.2f}")
    print(f"{'2. record lookup (what a hit does instead)':58} {look:8.3f} ms {look / full:8.2f}")
    print(f"{'3a. load the built .so directly (baseline)':58} {so:8.3f} ms {1:8.2f}")
    print(f"{'3b. whole import_schema hit':58} {whole:8.3f} ms {whole / so:8.2f}")


if __name__ == "__main__":
    main()
