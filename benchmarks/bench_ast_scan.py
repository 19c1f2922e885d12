"""Prototype: std.zig.Ast-based signature scanner (tools/zig_ast_scan) vs zigimport's Python scanner, same run.

    python benchmarks/bench_ast_scan.py [--quick] [--modes Debug,ReleaseSafe]

zigimport.build.signature_scan (the baseline) tokenizes Zig in Python to
recover parameter names and doc comments.  The prototype asks Zig's own
parser instead: a small program compiled once (here into a fresh temporary
cache, as zigimport would into its own) that prints the same information as
JSON.  The build would run it once per compile of a module, so per file we
time one subprocess run, against the Python scan of the same text in
process.  The cold ``import zigimport.build`` is shown for scale (a build
pays it with either scanner), and the compile of the Zig scanner into an
empty cache (paid once per machine and Zig version).  The outputs are
compared too: a fast wrong answer would not count.

Files: tests/modules/*.zig and examples/*.zig.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SOURCE = REPO / "tools" / "zig_ast_scan" / "ast_scan.zig"
sys.path.insert(0, str(REPO))


def zig() -> list[str]:
    spec = importlib.util.find_spec("ziglang")
    assert spec is not None and spec.origin is not None
    return [os.path.join(os.path.dirname(spec.origin), "zig")]


def compile_scanner(work: Path, mode: str) -> tuple[Path, float, float]:
    """The scanner built in *mode* into an empty cache: (path, wall seconds, CPU seconds of the compiler)."""
    out = work / f"ast_scan-{mode}"
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([*zig(), "build-exe", "-O", mode, str(SOURCE), f"-femit-bin={out}",
                    "--cache-dir", str(work / "local"), "--global-cache-dir", str(work / "global")],
                   check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return out, wall, (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)


def python_cold_import() -> float:
    code = ("import time; t = time.perf_counter(); import zigimport.build; "
            "print(time.perf_counter() - t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": str(REPO)}).stdout) for _ in range(5)]
    return statistics.median(runs)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 repeats per file instead of 20")
    parser.add_argument("--modes", default="Debug,ReleaseSafe", help="optimize modes to build the scanner in")
    opts = parser.parse_args()
    repeats = 5 if opts.quick else 20
    from zigimport.build.signature_scan import scan

    files = sorted([*(REPO / "tests" / "modules").glob("*.zig"), *(REPO / "examples").glob("*.zig")])
    texts = {f: f.read_text() for f in files}
    work = Path(tempfile.mkdtemp(prefix="zigimport-ast-scan-"))
    try:
        scanners = {mode: compile_scanner(work, mode) for mode in opts.modes.split(",")}
        cold = python_cold_import()
        print("| file | lines | Python scan (in process) | " + " | ".join(f"Zig Ast, {m} (subprocess) | ×" for m in scanners)
              + " | same answer |")
        print("|---|---|---|" + "---|---|" * len(scanners) + "---|")
        totals = {"python": 0.0, **{m: 0.0 for m in scanners}}
        for f, text in texts.items():
            py_times, z_times = [], {m: [] for m in scanners}
            expected = dataclasses.asdict(scan(text))
            same = True
            for _ in range(repeats):  # interleaved, so drift of the shared machine affects both alike
                t = time.perf_counter()
                scan(text)
                py_times.append(time.perf_counter() - t)
                for mode, (exe, _, _) in scanners.items():
                    t = time.perf_counter()
                    out = subprocess.run([str(exe), str(f)], check=True, capture_output=True, text=True).stdout
                    z_times[mode].append(time.perf_counter() - t)
                    same = same and json.loads(out)["info"] == expected
            py = statistics.median(py_times)
            totals["python"] += py
            cells = []
            for mode in scanners:
                z = statistics.median(z_times[mode])
                totals[mode] += z
                cells.append(f"{ms(z)} | {z / py:.1f}×")
            print(f"| {f.relative_to(REPO)} | {text.count(chr(10))} | {ms(py)} | " + " | ".join(cells) + f" | {same} |")
        print(f"| **all {len(files)} files** | | {ms(totals['python'])} | "
              + " | ".join(f"{ms(totals[m])} | {totals[m] / totals['python']:.1f}×" for m in scanners) + " | |")
        print(f"\nonce per build process, either scanner: cold `import zigimport.build` {ms(cold)}; once per machine: "
              + "; ".join(f"compiling the {m} scanner into an empty cache {ms(w)} wall, {ms(c)} CPU"
                           for m, (_, w, c) in scanners.items()))
        print(f"median of {repeats} runs per cell")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
