"""Symbolizing a Zig error return trace: zigimport's own ELF/DWARF reader vs pyelftools, in the same run.

    python benchmarks/bench_trace.py [--quick]

Builds one zig_core module through zigimport in Debug (Zig's self-hosted
backend, DWARF 5) and ReleaseSafe (LLVM, DWARF 4) whose function fails three
calls deep, through std.fmt.parseInt; and the same in Debug with std.debug's
symbolizer linked in (a ~10 MB binary, as when a module prints stack traces).  The addresses of its error return
trace are captured once; then fresh interpreters (``import zigimport`` done,
as in the user's process) time, per reader:

* first call: importing the reader plus symbolizing the trace -- the delay a
  user sees before the first traceback of a process,
* repeated call: the same trace again (binary already parsed and cached).

Readers: ``zigimport.diagnostics.zig_trace`` (the baseline), and
benchmarks/trace_pyelftools.py twice -- decoding only the line program of the
unit holding each address, and decoding every unit (``naive``).  Needs
``pip install pyelftools``.  The frames each reader finds are printed too, so
a faster wrong answer cannot pass unnoticed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

MODULE = """\
const std = @import("std");
const py = @import("zig_core");

noinline fn parse(text: []const u8) !u32 {
    return try std.fmt.parseInt(u32, text, 10);
}

noinline fn load(text: []const u8) !u32 {
    return try parse(text);
}

pub fn number(text: []const u8) !i64 {
    return try load(text);
}

%EXTRA%
comptime {
    py.module(@This());
}
"""

# std.debug's own symbolizer, linked in when a module prints a stack trace: a ~10 MB Debug binary.
BIG = """
pub fn dump() void {
    std.debug.dumpCurrentStackTrace(.{});
}
"""

# (label, release mode, module name, extra source)
CASES = [
    ("Debug", "Debug", "trace_bench_mod", ""),
    ("ReleaseSafe", "ReleaseSafe", "trace_bench_mod", ""),
    ("Debug + std.debug", "Debug", "trace_bench_big", BIG),
]

CAPTURE = """\
import json, sys
import zigimport
from zigimport.diagnostics import zig_trace
module = __import__(sys.argv[1])
seen = []
real = zig_trace.format_trace
zig_trace.format_trace = lambda *a, **k: (seen.append(a), real(*a, **k))[1]
try:
    module.number("x")
except Exception as exc:
    note = "\\n".join(getattr(exc, "__notes__", [])) or str(exc)
print(json.dumps({"args": seen[0], "note": note}))
"""

MEASURE = """\
import json, statistics, sys, time
import zigimport
args = json.loads(sys.argv[1])
reader = sys.argv[2]
t = time.perf_counter()
if reader == "zigimport":
    from zigimport.diagnostics import zig_trace
    def run():
        return [(f.function, f.file, f.line, f.column) for f in zig_trace.symbolize(*args)]
else:
    sys.path.insert(0, {here!r})
    import trace_pyelftools
    def run():
        return trace_pyelftools.symbolize(*args, naive=reader == "pyelftools-naive")
frames = run()
first = time.perf_counter() - t
repeats = []
for _ in range(20):
    t = time.perf_counter()
    run()
    repeats.append(time.perf_counter() - t)
print(json.dumps({{"first": first, "repeat": statistics.median(repeats), "frames": frames}}))
"""

READERS = ("zigimport", "pyelftools-units", "pyelftools-naive")


def python(code: str, cwd: Path, env: dict[str, str], *argv: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *argv], cwd=cwd, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout


def measure(work: Path, env: dict[str, str], mode: str, module: str, n: int) -> dict[str, dict[str, object]]:
    menv = {**env, "ZIG_RELEASEMODE": mode}
    captured = json.loads(python(CAPTURE, work, menv, module).splitlines()[-1])
    args = json.dumps(captured["args"])
    results: dict[str, dict[str, list[float] | list[object]]] = {r: {"first": [], "repeat": []} for r in READERS}
    for _ in range(n):  # interleaved, so drift of the shared machine affects every reader alike
        for reader in READERS:
            out = json.loads(python(MEASURE.format(here=str(HERE)), work, menv, args, reader).splitlines()[-1])
            results[reader]["first"].append(out["first"])  # type: ignore[union-attr]
            results[reader]["repeat"].append(out["repeat"])  # type: ignore[union-attr]
            results[reader]["frames"] = out["frames"]
    size = os.path.getsize(captured["args"][0])
    return {"size": size, "note": captured["note"], **results}  # type: ignore[dict-item]


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.0f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per reader instead of 7")
    opts = parser.parse_args()
    try:
        import elftools  # noqa: F401
    except ImportError:
        sys.exit("bench_trace.py compares against pyelftools: pip install pyelftools")
    n = 3 if opts.quick else 7
    work = Path(tempfile.mkdtemp(prefix="zigimport-trace-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_"))}
    env.update(ZIGIMPORT_CACHE_DIR=str(work / "cache"), ZIGIMPORT_QUIET="1")
    for _, _, module, extra in CASES:
        (work / f"{module}.zig").write_text(MODULE.replace("%EXTRA%", extra))
    try:
        print("| mode | binary | reader | first call (import + symbolize) | × zigimport | repeated call | × zigimport |")
        print("|---|---|---|---|---|---|---|")
        frames: list[str] = []
        for mode, release_mode, module, _ in CASES:
            res = measure(work, env, release_mode, module, n)
            base_first = statistics.median(res["zigimport"]["first"])  # type: ignore[index]
            base_repeat = statistics.median(res["zigimport"]["repeat"])  # type: ignore[index]
            for reader in READERS:
                first = statistics.median(res[reader]["first"])  # type: ignore[index]
                repeat = statistics.median(res[reader]["repeat"])  # type: ignore[index]
                print(f"| {mode} | {int(res['size']) // 1024} KiB | {reader} | {ms(first)} | {first / base_first:.1f}× "  # type: ignore[call-overload]
                      f"| {ms(repeat)} | {repeat / base_repeat:.1f}× |")
                for fn, file, line, col in res[reader]["frames"]:  # type: ignore[index, union-attr]
                    frames.append(f"{mode:17} {reader:17} {os.path.basename(file or '?')}:{line}:{col} in {str(fn)[:60]}")
            frames.append("")
        print(f"\nmedian of {n} fresh interpreters per cell (first call), median of 20 calls (repeated)\n")
        print("frames found (file:line:column in function, truncated):")
        print("\n".join(frames))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
