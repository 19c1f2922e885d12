"""Calls by the hundred thousand that allocate, convert strings, copy lists and raise: memory must not grow."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run_python

pytestmark = pytest.mark.per_interpreter  # reference counting differs between CPython versions (3.12+: immortal objects)

LEAK_CHECK = """\
import gc, sys
import zigimport, conv, contract

PAGE = 4096

def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE

def refs() -> int:
    return sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else 0  # debug builds only

marker = object()
data = [1.0, 2.0, 3.5]
def batch(n: int) -> int:
    calls = 0
    for i in range(n):
        contract.shout("hello wörld")                      # arena allocation + str out
        conv.echo(b"bytes in, str out")                    # borrowed bytes, new str
        conv.repeat("ab", 8)                                # ArrayList growth in the arena
        conv.join(["a", "b", "c"], ", ")                    # list of str copied
        contract.mean(data)                                 # list copied to a slice
        conv.stats(data)                                    # named tuple out
        conv.identity(marker)                               # borrowed object returned
        try:
            contract.safe_div(1.0, 0.0)                     # Zig error -> ZeroDivisionError + trace
        except ZeroDivisionError:
            pass
        try:
            conv.check_positive(-i)                         # py.raise with a formatted message
        except ValueError:
            pass
        try:
            conv.id_u8(300)                                 # conversion error
        except OverflowError:
            pass
        calls += 10
    return calls

batch(20_000)  # warm up: caches, interned strings, allocator pools
gc.collect()
rss0, refs0, marker0, blocks0 = rss(), refs(), sys.getrefcount(marker), sys.getallocatedblocks()
calls = batch(25_000)
gc.collect()
print(calls, rss() - rss0, refs() - refs0, sys.getrefcount(marker) - marker0, sys.getallocatedblocks() - blocks0)
"""


def test_250_000_calls_do_not_grow_memory(zig_modules: Path) -> None:
    out = run_python(LEAK_CHECK, cwd=zig_modules, timeout=600, log_level=None)
    calls, rss_growth, ref_growth, marker_growth, block_growth = (int(v) for v in out.stdout.split())
    assert calls >= 250_000
    # A leak of one Python object per call would be 250 000 more allocated blocks here, of one small
    # Zig or C allocation (16 bytes or more) per call, 4 MB or more of RSS.
    assert block_growth < 1000, f"{block_growth} more Python objects/blocks after {calls} calls"
    assert rss_growth < 2 * 1024 * 1024, f"RSS grew by {rss_growth / 1e6:.1f} MB over {calls} calls"
    assert abs(ref_growth) < 1000 and marker_growth == 0


CLASS_CHURN = """\
import gc
import zigimport, classes

PAGE = 4096

def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE

payload = object()
def churn(n: int) -> int:
    made = 0
    for i in range(n):
        c = classes.Counter(start=i)                 # construct + __init__ with keywords
        c.bump()
        v = classes.Vec2(1.0, 2.0) + classes.Vec2(3.0, 4.0)   # a new instance per operator call
        r = classes.Ring(8)                           # Zig memory freed by deinit
        r.push(1.0)
        node = classes.Node(i)
        node.link(payload)                            # an owned py.Object field
        a, b = classes.Node(1), classes.Node(2)       # a cycle, left to the GC
        a.link(b)
        b.link(a)
        made += 6
    return made

churn(20_000)
gc.collect()
rss0, frees0 = rss(), classes.ring_frees_count()
made = churn(170_000)
gc.collect()
print(made, rss() - rss0, classes.ring_frees_count() - frees0)
"""


def test_a_million_instances_created_and_destroyed(zig_modules: Path) -> None:
    out = run_python(CLASS_CHURN, cwd=zig_modules, timeout=600, log_level=None)
    made, rss_growth, frees = (int(v) for v in out.stdout.split())
    assert made >= 1_000_000
    assert frees == 170_000  # every ring's deinit ran
    assert rss_growth < 2 * 1024 * 1024, f"RSS grew by {rss_growth / 1e6:.1f} MB over {made} instances"
