"""Quick check of the native schema decoder (zig_core.schema) against json.loads and msgspec.

Not the official benchmark (benchmarks/bench_schema.py); a hand-written spec of the order
record (tests/schema_native_spec.py) so the Zig side can be measured on its own:

    PYTHONPATH=. python benchmarks/bench_schema_quick.py [--records N] [--quick]

Prints one table: best-of-N seconds and each tool's time as a ratio of `Order.from_json_lines`.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import logging
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Literal, Optional, Sequence

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from schema_native_spec import order_module  # noqa: E402

log = logging.getLogger("bench_schema_quick")


def record(rng: random.Random, i: int) -> dict[str, Any]:
    n = rng.randint(1, 4)
    return {
        "id": i + 1,
        "status": rng.choice(["new", "paid", "shipped", "cancelled"]),
        "created": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:{rng.randint(10, 59)}:00Z",
        "customer": {
            "name": rng.choice(["Ann Lee", "Bob Stone", "Zoë Ł", "Carla M"]),
            "email": f"user{rng.randint(1, 9999)}@example.com",
            "address": {"street": f"{rng.randint(1, 999)} Main St", "city": rng.choice(["Springfield", "Shelbyville"]),
                        "zip": f"{rng.randint(10000, 99999)}", "country": rng.choice(["US", "CA", "DE"])},
        },
        "items": [{"sku": f"ABC-{rng.randint(1000, 9999)}", "quantity": rng.randint(1, 20),
                   "price": round(rng.uniform(0.5, 500), 2)} for _ in range(n)],
        "total": round(rng.uniform(1, 2000), 2),
        "notes": rng.choice([None, "leave at door", "gift"]),
        "tags": rng.sample(["a", "b", "c", "d"], rng.randint(0, 3)),
    }


class Address(msgspec.Struct):
    street: str
    city: str
    zip: str
    country: Literal["US", "CA", "MX", "DE", "FR"]


class Customer(msgspec.Struct):
    name: str
    email: str
    address: Address


class Item(msgspec.Struct):
    sku: str
    quantity: int
    price: float


class Order(msgspec.Struct):
    id: int
    status: Literal["new", "paid", "shipped", "cancelled"]
    created: str
    customer: Customer
    items: list[Item]
    total: float
    notes: Optional[str] = None
    tags: list[str] = []


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best time of *repeat* calls; each result is dropped outside the timing and the GC starts
    each call from the same state, so no tool pays for another's garbage."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        r = fn()
        times.append(time.perf_counter() - t)
        del r
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="20k records, 3 repeats")
    args = ap.parse_args()
    if args.quick:
        args.records, args.repeat = 20_000, 3
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("ZIG_RELEASEMODE", "ReleaseFast")
    import zigimport  # noqa: F401

    folder = Path(tempfile.mkdtemp(prefix="bench-schema-"))
    (folder / "bench_order_schema.zig").write_text(order_module("bench_order_schema"))
    sys.path.insert(0, str(folder))
    t0 = time.perf_counter()
    mod = importlib.import_module("bench_order_schema")
    log.info("build+import: %.1f s", time.perf_counter() - t0)

    rng = random.Random(7)
    recs = [record(rng, i) for i in range(args.records)]
    text = "\n".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False) for r in recs) + "\n"
    data = text.encode()
    lines = text.splitlines()
    first = mod.Order.from_json_lines(data[: data.index(b"\n") + 1])
    assert first[0].to_dict() == recs[0]
    dec = msgspec.json.Decoder(Order)
    enc = msgspec.json.Encoder()
    print(f"{args.records} order records, {len(data) / 1e6:.1f} MB, best of {args.repeat}")
    print(f"{'':44} {'seconds':>9} {'x ours':>8}")

    # Decoding first, with no decoded records alive: a full GC pass then costs every tool the same.
    decode = [
        ("Order.from_json_lines (zig_core.schema)", lambda: mod.Order.from_json_lines(data)),
        ("json.loads per line (no validation)", lambda: [json.loads(x) for x in lines]),
        ("msgspec Decoder(Order).decode_lines", lambda: dec.decode_lines(data)),
    ]
    table(decode, args.repeat)
    objs = mod.Order.from_json_lines(data)
    ms = dec.decode_lines(data)
    assert len(objs) == len(ms) == args.records
    encode = [
        ("[o.to_json() for o] (zig_core.schema)", lambda: [o.to_json() for o in objs]),
        ("[json.dumps(r) for r in dicts]", lambda: [json.dumps(r, separators=(",", ":"), ensure_ascii=False) for r in recs]),
        ("[msgspec encode(o) for o]", lambda: [enc.encode(o) for o in ms]),
    ]
    table(encode, args.repeat)


def table(rows: Sequence[tuple[str, Callable[[], object]]], repeat: int) -> None:
    """Round-robin repeats (each tool once per round) so that load changes on a shared machine
    and the state of the allocator fall on every tool alike; best time per tool."""
    times = [float("inf")] * len(rows)
    for _ in range(repeat):
        for i, (_, fn) in enumerate(rows):
            times[i] = min(times[i], best(fn, 1))
    for (label, _), t in zip(rows, times):
        print(f"{label:44} {t:9.4f} {t / times[0]:8.2f}")


if __name__ == "__main__":
    main()
