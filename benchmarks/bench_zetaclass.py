"""``@zetaclass`` against ``@dataclass(slots=True)`` and ``msgspec.Struct``, measured in the same run.

    python benchmarks/bench_zetaclass.py [--quick]

One class, three ways -- ``x: int, y: float, name: str`` with ``order=True`` and a hash
(``unsafe_hash=True`` for the dataclass and the zetaclass, ``frozen=True`` for the msgspec
Struct used by the hash row, since msgspec hashes only frozen structs) -- decorated in
this process with a fresh temporary zigimport cache (so the zetaclass is compiled here,
in the release mode ``ZIG_RELEASEMODE`` selects, ReleaseSafe by default).

Rows, with their targets (ratios are baseline_time / zetaclass_time for "x faster", and
zetaclass / baseline for "time"; both the median of per-repeat ratios):

- construction, positional and keyword: >= 3x faster than the slots dataclass, and no
  slower than msgspec.Struct (time ratio <= 1.0);
- attribute reads (four per statement, so the loop's own cost weighs less): <= 1.1x the slots
  dataclass's time; write ``p.x = 5``: reported;
- ``p == q`` (equal values, distinct objects) and ``hash(p)``: >= 3x faster;
- ``repr(p)``: reported;
- memory per instance (tracemalloc over 20 000 instances sharing their field values, so
  only the instances count): <= the slots dataclass; the default (non-slots) zetaclass,
  which has ``__dict__`` and ``__weakref__`` like a default dataclass, against that;
- ``sorted()`` of 100 000 instances (``order=True``): reported against both;
- decoration time of the first ``@zetaclass`` in a fresh process: warm cache (target
  <= 2 ms; median of 5 processes) and cold (a new class: compiles; and an empty cache,
  which also builds Zig's compiler_rt once).  ``import`` of zigimport/dataclasses is
  excluded from the decoration time and reported on its own row.

Statements are timed with ``timeit`` in interleaved blocks (bench_calls.interleaved: the
order rotates every repeat), each block >= 40 ms (20 ms with ``--quick``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench_calls import interleaved, timer  # noqa: E402
import tables  # noqa: E402  (beside this script: the result table every benchmark prints)

Samples = dict[str, list[float]]

DECORATE_CHILD = """\
import json, sys, time
t0 = time.perf_counter()
import dataclasses
import zigimport
from zigimport import zetaclass
t1 = time.perf_counter()

@zetaclass(order=True, unsafe_hash=True)
class {name}:
    x: int
    y: float
    name: str = "p"

t2 = time.perf_counter()
assert {name}(1, 2.0) < {name}(2, 0.0)
print(json.dumps({{"import": t1 - t0, "decorate": t2 - t1}}))
"""


def decorate_in_fresh_process(name: str, cache: str, tree: str = str(REPO)) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", DECORATE_CHILD.format(name=name)], capture_output=True, text=True,
                         timeout=900, env={**os.environ, "ZIGIMPORT_CACHE_DIR": cache, "ZIGIMPORT_QUIET": "1",
                                           "PYTHONPATH": tree}, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def installed_tree(tmp: str) -> str:
    """This checkout installed as a wheel installs it (``pip install --target``), ziglang beside it: the
    layout users have, where zig_core is confirmed by one stat per process (docs/cache.md)."""
    import importlib.util

    site = os.path.join(tmp, "site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, str(REPO)],
                   check=True, capture_output=True, timeout=600)
    spec = importlib.util.find_spec("ziglang")
    assert spec is not None and spec.submodule_search_locations
    os.symlink(spec.submodule_search_locations[0], os.path.join(site, "ziglang"))
    return site


def make_classes() -> dict[str, Any]:
    import dataclasses

    import msgspec

    from zigimport import zetaclass

    @dataclasses.dataclass(slots=True, order=True, unsafe_hash=True)
    class DC:
        x: int
        y: float
        name: str

    @zetaclass(slots=True, order=True, unsafe_hash=True)
    class ZC:
        x: int
        y: float
        name: str

    @zetaclass(order=True, unsafe_hash=True)
    class ZCDict:
        x: int
        y: float
        name: str

    @dataclasses.dataclass(order=True, unsafe_hash=True)
    class DCDict:
        x: int
        y: float
        name: str

    class MS(msgspec.Struct, order=True):
        x: int
        y: float
        name: str

    class MSFrozen(msgspec.Struct, order=True, frozen=True):
        x: int
        y: float
        name: str

    return {"dc": DC, "zc": ZC, "ms": MS, "ms_frozen": MSFrozen, "zc_dict": ZCDict, "dc_dict": DCDict}


STATEMENTS = {
    "construct (positional)": "C(1, 2.5, 'a')",
    "construct (keyword)": "C(x=1, y=2.5, name='a')",
    "attribute read ×4 (p.x; p.y; p.name; p.x)": "p.x; p.y; p.name; p.x",
    "attribute write p.x = 5": "p.x = 5",
    "p == q": "p == q",
    "hash(p)": "hash(p)",
    "repr(p)": "repr(p)",
}


def time_statements(classes: dict[str, Any], quick: bool) -> dict[str, Samples]:
    repeats, block = (5, 0.02) if quick else (9, 0.04)
    out: dict[str, Samples] = {}
    for label, stmt in STATEMENTS.items():
        timers: dict[str, Callable[[int], float]] = {}
        for key in ("dc", "zc", "ms"):
            cls = classes["ms_frozen"] if key == "ms" and stmt == "hash(p)" else classes[key]
            p, q = cls(1, 2.5, "a"), cls(1, 2.5, "a")
            timers[key] = timer(stmt, C=cls, p=p, q=q)
        out[label] = interleaved(timers, repeats, block)
    return out


def memory_per_instance(cls: Any, n: int = 20_000) -> float:
    values = (123456, 2.5, "shared")
    cls(*values)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = [cls(*values) for _ in range(n)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    list_bytes = sys.getsizeof(keep)
    return (after - before - list_bytes) / n


def time_sorted(classes: dict[str, Any], quick: bool) -> Samples:
    rng = random.Random(7)
    rows = [(rng.randrange(1000), rng.random(), rng.choice("abcdef")) for _ in range(100_000)]
    lists = {k: [classes[k](*r) for r in rows] for k in ("dc", "zc", "ms")}
    out: Samples = {k: [] for k in lists}
    for r in range(3 if quick else 5):
        for k in list(lists)[r % 3:] + list(lists)[:r % 3]:
            t0 = time.perf_counter()
            sorted(lists[k])
            out[k].append(time.perf_counter() - t0)
    assert [(o.x, o.y, o.name) for o in sorted(lists["zc"])] == [(o.x, o.y, o.name) for o in sorted(lists["dc"])]
    return out


def ratio(s: Samples, num: str, den: str) -> float:
    return statistics.median(a / b for a, b in zip(s[num], s[den]))


def fmt(seconds: list[float]) -> str:
    med = statistics.median(seconds)
    return f"{med * 1e3:.2f} ms" if med >= 1e-4 else f"{med * 1e9:.1f} ns"


def check(ok: bool) -> str:
    return "" if ok else " **missed**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter blocks")
    args = parser.parse_args()
    mode = os.environ.get("ZIG_RELEASEMODE") or "ReleaseSafe"
    with tempfile.TemporaryDirectory(prefix="bench-zetaclass-") as tmp:
        cache = os.path.join(tmp, "cache")
        empty = decorate_in_fresh_process("ColdEmpty", cache)            # empty cache: compiler_rt too
        new_class = decorate_in_fresh_process("ColdNew", cache)          # a new class in a used cache
        site = installed_tree(tmp)
        decorate_in_fresh_process("ColdNew", cache, site)                # the installed tree's first look at zig_core
        time.sleep(2.1)  # past the racy window of a just-written source: a warm process does not re-hash it
        warm = [decorate_in_fresh_process("ColdNew", cache, site) for _ in range(7)]
        warm_src = [decorate_in_fresh_process("ColdNew", cache) for _ in range(7)]
        os.environ["ZIGIMPORT_CACHE_DIR"] = cache
        import zigimport  # noqa: F401  (the hook, with the run's cache)

        classes = make_classes()
        times = time_statements(classes, args.quick)
        mem = {k: memory_per_instance(classes[k]) for k in ("dc", "zc", "ms", "zc_dict", "dc_dict")}
        sorts = time_sorted(classes, args.quick)

    rows: list[tuple[str, str, str, str, str, str]] = []
    for label, s in times.items():
        vs_dc, vs_ms = ratio(s, "dc", "zc"), ratio(s, "zc", "ms")
        if label.startswith("construct"):
            target = f"≥ 3× faster{check(vs_dc >= 3)}; ≤ 1.0× msgspec{check(vs_ms <= 1.0)}"
        elif label.startswith("attribute read"):
            target = f"≤ 1.1× dataclass time{check(1 / vs_dc <= 1.1)}"
        elif label in ("p == q", "hash(p)"):
            target = f"≥ 3× faster{check(vs_dc >= 3)}"
        else:
            target = "report only"
        rows.append((label, fmt(s["zc"]), fmt(s["dc"]), fmt(s["ms"]),
                     f"{vs_dc:.2f}× faster ({1 / vs_dc:.2f}× time); msgspec: {vs_ms:.2f}× its time", target))
    rows.append(("memory per instance (slots)", f"{mem['zc']:.0f} B", f"{mem['dc']:.0f} B", f"{mem['ms']:.0f} B",
                 f"{mem['zc'] / mem['dc']:.2f}× dataclass", f"≤ 1.0×{check(mem['zc'] <= mem['dc'])}"))
    rows.append(("memory per instance (default, non-slots)", f"{mem['zc_dict']:.0f} B", f"{mem['dc_dict']:.0f} B", "",
                 f"{mem['zc_dict'] / mem['dc_dict']:.2f}× dataclass", "report only"))
    rows.append(("sorted() of 100k (order=True)", fmt(sorts["zc"]), fmt(sorts["dc"]), fmt(sorts["ms"]),
                 f"{ratio(sorts, 'dc', 'zc'):.2f}× faster; msgspec: {ratio(sorts, 'zc', 'ms'):.2f}× its time", "report only"))
    warm_ms = statistics.median(w["decorate"] for w in warm) * 1e3
    rows.append(("first decoration, fresh process, warm cache (installed zigimport)", f"{warm_ms:.2f} ms", "", "",
                 f"min {min(w['decorate'] for w in warm) * 1e3:.2f} ms over {len(warm)} processes", f"≤ 2 ms{check(warm_ms <= 2)}"))
    src_ms = statistics.median(w["decorate"] for w in warm_src) * 1e3
    rows.append(("same, zigimport from a source checkout (zig_core's files stat'ed once per process)", f"{src_ms:.2f} ms",
                 "", "", f"min {min(w['decorate'] for w in warm_src) * 1e3:.2f} ms", "report only"))
    rows.append(("first decoration, cold (new class: compiles)", f"{new_class['decorate'] * 1e3:.0f} ms", "", "", "", "report only"))
    rows.append(("first decoration, cold (empty cache, + compiler_rt)", f"{empty['decorate'] * 1e3:.0f} ms", "", "", "",
                 "report only"))
    rows.append(("import zigimport + dataclasses + zetaclass (not in the above)",
                 f"{statistics.median(w['import'] for w in warm) * 1e3:.1f} ms", "", "", "", "report only"))

    print(f"@zetaclass vs @dataclass(slots=True) and msgspec.Struct — {mode}, Python {sys.version.split()[0]}")
    tables.print_markdown(("measurement", "zetaclass", "dataclass(slots)", "msgspec", "ratio", "target"), rows)


if __name__ == "__main__":
    main()
