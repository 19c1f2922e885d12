"""Schema modules (issue 9): parse + validate a realistic nested schema against the Python anchors, one run.

    python benchmarks/bench_schema.py [--quick] [--records N]

The schema is tests/data/schemas/order.json (the corpus of tests/test_schema_hypothesis.py): an order with a
customer (email format, phone pattern, a default), shipping and nullable billing addresses ($defs/$ref, enums,
a date format), 1-5 line items (pattern, integer and number ranges, additionalProperties false), a const, unique
tags, a uuid and a date-time.  N records (100 000; 20 000 with --quick) are generated deterministically as JSON
lines (~640 B per record), all valid; every contender is checked to accept them all and to build the same
values before anything is timed.

Rows (each contender's time per record is the median of interleaved repeats; a ratio is the median of the
per-repeat ratios):

- `Order.from_json_lines(data)` against
  - `json.loads` per line + `jsonschema.Draft202012Validator(..., format_checker=FORMAT_CHECKER).validate` +
    dataclass construction (nested dataclasses): target >= 20x faster.  jsonschema runs on the first 2 000
    records only (~1 ms each), per record;
  - `json.loads` + a `fastjsonschema.compile`d validator + the same dataclasses (on the first 20 000): reported;
  - `msgspec.json.Decoder(Order).decode_lines(data)` with `msgspec.Struct`s whose `Meta` constraints mirror the
    schema (what msgspec can say: lengths, patterns, ranges, Literal enums, uuid/datetime/date types, unknown
    fields forbidden; not uniqueItems, email is a pattern): target within 1.5x of its time;
  - `json.loads` per line alone (no validation, dicts): target faster than it;
- `from_json_array` of the same records as one JSON array vs `msgspec.json.decode(..., type=list[Order])`;
- `to_json()` per record vs `json.dumps(dataclasses.asdict(x))` and vs `msgspec.json.encode(struct)`;
- memory per decoded record (tracemalloc, the whole nested value kept) vs `json.loads`'s dicts, the
  dataclasses and the msgspec Structs.

The module is compiled (or found in the cache) in this process in the release mode ZIG_RELEASEMODE selects
(ReleaseSafe by default, what users get), or --release-mode.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import tables  # beside this script: the result table every benchmark prints

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SCHEMA_PATH = REPO / "tests" / "data" / "schemas" / "order.json"

# -- the records ---------------------------------------------------------------------------------------------

_FIRST = ["Ann", "Björn", "Chloé", "Dmitri", "Eve", "Fatima", "Gustav", "Hana", "Ivan", "José", "Kai", "Lena"]
_LAST = ["Meyer", "Dupont", "de Vries", "Gruber", "Müller", "Smith", "Rossi", "Novak", "Jansen", "Weiß"]
_STREETS = ["Hauptstraße 5", "12 Rue de la Paix", "Keizersgracht 123", "Ringstraße 1a", "Bahnhofplatz 7"]
_CITIES = ["Berlin", "Paris", "Amsterdam", "Wien", "Zürich", "New York"]
_COUNTRIES = ["DE", "FR", "NL", "AT", "CH", "US"]
_PRODUCTS = ["Kaffeemühle", "Teapot", "Espresso cups (6)", "Filter papers", "Milk jug", "Scale 0.1 g"]
_TAGS = ["gift", "express", "fragile", "b2b", "repeat", "newsletter", "sale"]
_NOTES = [None, "Bitte bei Nachbarn abgeben — 2. OG", "Leave at the door", 'Call "before" delivery', "配達前に電話"]


def make_record(rng: random.Random) -> dict[str, Any]:
    """One valid order (the schema's every kind of field, optional ones present or absent at random)."""
    def address() -> dict[str, Any]:
        a: dict[str, Any] = {"street": rng.choice(_STREETS), "city": rng.choice(_CITIES),
                             "zip": f"{rng.randrange(1000, 99999):05d}", "country": rng.choice(_COUNTRIES)}
        if rng.random() < 0.5:
            a["delivery_date"] = (datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))).isoformat()
        return a

    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    customer: dict[str, Any] = {"name": f"{first} {last}",
                                "email": f"{first.lower()}.{rng.randrange(10000)}@example.com".replace("ö", "oe")
                                .replace("é", "e").replace("ß", "ss").replace("ü", "ue")}
    if rng.random() < 0.6:
        customer["phone"] = rng.choice([None, f"+49 30 {rng.randrange(1000000, 9999999)}"])
    if rng.random() < 0.3:
        customer["vip"] = rng.random() < 0.5
    stamp = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=rng.randrange(6 * 10**7))
    rec: dict[str, Any] = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "created_at": stamp.strftime("%Y-%m-%dT%H:%M:%S") + rng.choice(["Z", ".250Z", "+02:00"]),
        "status": rng.choice(["pending", "paid", "shipped", "delivered", "cancelled"]),
        "customer": customer,
        "shipping": address(),
        "items": [],
        "currency": "EUR",
    }
    if rng.random() < 0.5:
        rec["billing"] = address() if rng.random() < 0.5 else None
    for _ in range(rng.randrange(1, 6)):
        item: dict[str, Any] = {"sku": f"{rng.choice(['KAF', 'TEA', 'CUP', 'FLT'])}-{rng.randrange(10000, 999999)}",
                                "quantity": rng.randrange(1, 20), "unit_price": round(rng.uniform(0.5, 400), 2)}
        if rng.random() < 0.7:
            item["name"] = rng.choice(_PRODUCTS)
        if rng.random() < 0.2:
            item["discount_percent"] = rng.choice([5, 10, 12.5, 50])
        rec["items"].append(item)
    if rng.random() < 0.5:
        rec["tags"] = rng.sample(_TAGS, rng.randrange(0, 4))
    if rng.random() < 0.4:
        rec["notes"] = rng.choice(_NOTES)
    return rec


# -- the baselines -------------------------------------------------------------------------------------------

@dataclasses.dataclass
class DCAddress:
    street: str
    city: str
    zip: str
    country: str
    delivery_date: str | None = None


@dataclasses.dataclass
class DCCustomer:
    name: str
    email: str
    phone: str | None = None
    vip: bool = False


@dataclasses.dataclass
class DCItem:
    sku: str
    quantity: int
    unit_price: float
    name: str | None = None
    discount_percent: float | None = None


@dataclasses.dataclass
class DCOrder:
    id: str
    created_at: str
    status: str
    customer: DCCustomer
    shipping: DCAddress
    items: list[DCItem]
    currency: str
    billing: DCAddress | None = None
    tags: list[str] | None = None
    notes: str | None = None


def to_dataclass(d: dict[str, Any]) -> DCOrder:
    """What a program does after json.loads + validation: typed objects (nested dataclasses)."""
    billing = d.get("billing")
    return DCOrder(id=d["id"], created_at=d["created_at"], status=d["status"], customer=DCCustomer(**d["customer"]),
                   shipping=DCAddress(**d["shipping"]), items=[DCItem(**i) for i in d["items"]],
                   currency=d["currency"], billing=DCAddress(**billing) if billing is not None else None,
                   tags=d.get("tags"), notes=d.get("notes"))


import msgspec  # noqa: E402  (the bench extra; module level so the Structs' annotations resolve)
from msgspec import Meta  # noqa: E402

_EMAIL = r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+$"


# msgspec Structs mirroring the schema as far as msgspec's Meta can (module docstring).
class MsAddress(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    street: Annotated[str, Meta(min_length=1)]
    city: Annotated[str, Meta(min_length=1)]
    zip: Annotated[str, Meta(min_length=4, max_length=10, pattern=r"^[0-9A-Z -]+$")]
    country: Literal["DE", "FR", "NL", "AT", "CH", "US"]
    delivery_date: datetime.date | None = None


class MsCustomer(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    email: Annotated[str, Meta(pattern=_EMAIL)]
    phone: Annotated[str, Meta(pattern=r"^\+?[0-9 ()-]{6,20}$")] | None = None
    vip: bool = False


class MsItem(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    sku: Annotated[str, Meta(pattern=r"^[A-Z]{3}-[0-9]{4,8}$")]
    quantity: Annotated[int, Meta(ge=1, le=1000)]
    unit_price: Annotated[float, Meta(gt=0, le=100000)]
    name: Annotated[str, Meta(min_length=1)] | None = None
    discount_percent: Annotated[float, Meta(ge=0, lt=100)] | None = None


class MsOrder(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    id: uuid.UUID
    created_at: datetime.datetime
    status: Literal["pending", "paid", "shipped", "delivered", "cancelled"]
    customer: MsCustomer
    shipping: MsAddress
    items: Annotated[list[MsItem], Meta(min_length=1, max_length=50)]
    currency: Literal["EUR"]
    billing: MsAddress | None = None
    tags: Annotated[list[Annotated[str, Meta(min_length=1, max_length=20)]], Meta(max_length=10)] | None = None
    notes: Annotated[str, Meta(max_length=500)] | None = None


# -- timing --------------------------------------------------------------------------------------------------

def interleaved(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Seconds per run of each callable, one value per repeat, the order rotating every repeat."""
    names = list(runs)
    out: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeats):
        for n in names[r % len(names):] + names[:r % len(names)]:
            t0 = time.perf_counter()
            runs[n]()
            out[n].append(time.perf_counter() - t0)
    return out


def ratio(samples: dict[str, list[float]], num: str, den: str) -> float:
    """The median of the per-repeat ratios (the two ran next to each other in each repeat, so a busy machine
    slows both alike)."""
    return statistics.median(a / b for a, b in zip(samples[num], samples[den]))


def memory_per_record(decode: Callable[[], list[Any]], n: int) -> float:
    """Bytes tracemalloc sees kept per decoded record (the list itself excluded)."""
    decode()  # warm: interned names, type caches
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = decode()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(keep) == n
    return (after - before - sys.getsizeof(keep)) / n


def check(ok: bool) -> str:
    return "met" if ok else "**missed**"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.2f} µs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="20 000 records, 3 repeats, jsonschema on 500")
    ap.add_argument("--records", type=int, default=None, help="number of records (default 100 000)")
    ap.add_argument("--release-mode", default=None, help="ReleaseSafe (default), ReleaseFast, ...")
    args = ap.parse_args()
    n = args.records or (20_000 if args.quick else 100_000)
    repeats = 3 if args.quick else 5
    n_slow = min(n, 500 if args.quick else 2_000)   # jsonschema: ~1 ms per record
    n_fast = min(n, 5_000 if args.quick else 20_000)  # fastjsonschema: ~0.1 ms

    from importlib.metadata import version

    import fastjsonschema
    import jsonschema

    import zigimport

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    rng = random.Random(20261201)
    records = [make_record(rng) for _ in range(n)]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    data = ("\n".join(lines) + "\n").encode()
    array = ("[" + ",".join(lines) + "]").encode()
    slow_lines = lines[:n_slow]
    fast_lines = lines[:n_fast]

    t0 = time.perf_counter()
    module = zigimport.schema_module(schema, name="bench_schema_order", release_mode=args.release_mode)
    build_s = time.perf_counter() - t0
    Order = module.Order
    mode = args.release_mode or os.environ.get("ZIG_RELEASEMODE") or "ReleaseSafe"

    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    fast_validate = fastjsonschema.compile(schema)
    ms_lines = msgspec.json.Decoder(MsOrder)
    ms_array = msgspec.json.Decoder(list[MsOrder])

    def ours() -> list[Any]:
        return Order.from_json_lines(data)  # type: ignore[no-any-return]

    def with_jsonschema() -> list[DCOrder]:
        out = []
        for line in slow_lines:
            d = json.loads(line)
            validator.validate(d)
            out.append(to_dataclass(d))
        return out

    def with_fastjsonschema() -> list[DCOrder]:
        out = []
        for line in fast_lines:
            d = json.loads(line)
            fast_validate(d)
            out.append(to_dataclass(d))
        return out

    def with_msgspec() -> list[Any]:
        return ms_lines.decode_lines(data)

    def json_loads_alone() -> list[Any]:
        return [json.loads(line) for line in data.splitlines()]

    # Everyone accepts every record and builds the same thing, before anything is timed.
    decoded = ours()
    assert len(decoded) == n and all(type(o) is Order for o in decoded)
    for o, r in zip(decoded[:500], records[:500]):  # the schema's default (vip: false) may be filled in
        assert o.to_dict() in (r, {**r, "customer": {**r["customer"], "vip": r["customer"].get("vip", False)}}), r
    assert len(with_jsonschema()) == n_slow and len(with_fastjsonschema()) == n_fast and len(with_msgspec()) == n
    assert Order.from_json_array(array) == decoded[: n] and len(ms_array.decode(array)) == n
    dcs = [to_dataclass(r) for r in records]
    structs = with_msgspec()
    assert all(json.loads(o.to_json()) == o.to_dict() for o in decoded[:500])

    parse = interleaved({"ours": ours, "jsonschema": with_jsonschema, "fastjsonschema": with_fastjsonschema,
                         "msgspec": with_msgspec, "json.loads": json_loads_alone}, repeats)
    count = {"jsonschema": n_slow, "fastjsonschema": n_fast}
    parse = {k: [t / count.get(k, n) for t in v] for k, v in parse.items()}  # seconds per record
    per = {k: statistics.median(v) for k, v in parse.items()}
    arrays = interleaved({"ours": lambda: Order.from_json_array(array), "msgspec": lambda: ms_array.decode(array)},
                         repeats)
    arrays = {k: [t / n for t in v] for k, v in arrays.items()}
    per_arr = {k: statistics.median(v) for k, v in arrays.items()}
    enc = msgspec.json.encode
    encode = interleaved({"ours": lambda: [o.to_json() for o in decoded],
                          "json.dumps(asdict)": lambda: [json.dumps(dataclasses.asdict(x)) for x in dcs],
                          "msgspec": lambda: [enc(s) for s in structs]}, repeats)
    encode = {k: [t / n for t in v] for k, v in encode.items()}
    per_enc = {k: statistics.median(v) for k, v in encode.items()}
    m_n = min(n, 20_000)
    m_data = b"\n".join(data.splitlines()[:m_n])
    mem = {"ours": memory_per_record(lambda: Order.from_json_lines(m_data), m_n),
           "dict": memory_per_record(lambda: [json.loads(x) for x in m_data.splitlines()], m_n),
           "dataclass": memory_per_record(lambda: [to_dataclass(json.loads(x)) for x in m_data.splitlines()], m_n),
           "msgspec": memory_per_record(lambda: ms_lines.decode_lines(m_data), m_n)}

    o = per["ours"]
    vs_js, vs_fast = ratio(parse, "jsonschema", "ours"), ratio(parse, "fastjsonschema", "ours")
    vs_ms, vs_loads = ratio(parse, "ours", "msgspec"), ratio(parse, "json.loads", "ours")
    rows = [
        (f"Order.from_json_lines, {n:,} records ({len(data) / n:.0f} B each)", us(o), "", "",
         f"{1 / o:,.0f} records/s"),
        ("… vs json.loads + jsonschema + dataclasses", us(o), us(per["jsonschema"]),
         f"{vs_js:.1f}× faster", f"≥ 20× faster: {check(vs_js >= 20)}"),
        ("… vs json.loads + fastjsonschema + dataclasses", us(o), us(per["fastjsonschema"]),
         f"{vs_fast:.1f}× faster", "report only"),
        ("… vs msgspec Decoder(Order).decode_lines", us(o), us(per["msgspec"]),
         f"{vs_ms:.2f}× msgspec's time", f"≤ 1.5×: {check(vs_ms <= 1.5)}"),
        ("… vs json.loads alone (no validation, dicts)", us(o), us(per["json.loads"]),
         f"{vs_loads:.2f}× faster", f"faster: {check(vs_loads > 1)}"),
        ("Order.from_json_array vs msgspec decode(list[Order])", us(per_arr["ours"]), us(per_arr["msgspec"]),
         f"{ratio(arrays, 'ours', 'msgspec'):.2f}× msgspec's time", "report only"),
        ("to_json() vs json.dumps(asdict(x))", us(per_enc["ours"]), us(per_enc["json.dumps(asdict)"]),
         f"{ratio(encode, 'json.dumps(asdict)', 'ours'):.1f}× faster", "report only"),
        ("to_json() vs msgspec.json.encode", us(per_enc["ours"]), us(per_enc["msgspec"]),
         f"{ratio(encode, 'ours', 'msgspec'):.2f}× msgspec's time", "report only"),
        ("memory per decoded record vs json.loads dicts", f"{mem['ours']:.0f} B", f"{mem['dict']:.0f} B",
         f"{mem['ours'] / mem['dict']:.2f}× the dicts", "report only"),
        ("… vs dataclasses / msgspec Structs", f"{mem['ours']:.0f} B",
         f"{mem['dataclass']:.0f} B / {mem['msgspec']:.0f} B",
         f"{mem['ours'] / mem['dataclass']:.2f}× / {mem['ours'] / mem['msgspec']:.2f}×", "report only"),
    ]
    print(f"Schema modules (order.json) — {mode}, Python {sys.version.split()[0]}, msgspec {msgspec.__version__}, "
          f"jsonschema {version('jsonschema')}, fastjsonschema {version('fastjsonschema')}, "
          f"{repeats} repeats; module built/loaded in {build_s:.1f} s; jsonschema timed on {n_slow:,} records, "
          f"fastjsonschema on {n_fast:,}")
    tables.print_markdown(("measurement (per record)", "zigimport", "baseline", "ratio", "target"), rows)


if __name__ == "__main__":
    main()
