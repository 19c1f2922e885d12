"""Where a zigimport build's compile time goes, from the Zig compiler's own ``--time-report``.

    python benchmarks/zig_time_report.py MODULE.zig [--mode ReleaseSafe] [--top 25] [--passes]

Builds MODULE.zig once through zigimport (in a temporary cache, so the exact ``zig build-lib``
command is the one zigimport runs), then runs that command again with ``--listen=- --time-report``
and reads the report over the compiler protocol (std/zig/Server.zig, std/Build/abi.zig:
``time_report``): the phase totals (parse, AstGen, Sema, codegen, link, LLVM emit), the declarations
whose semantic analysis and code generation took longest, grouped by file too, and with ``--passes``
LLVM's own pass timings.  The report's numbers are inflated by its instrumentation (and the
timed run re-reads every file), so compare them with each other, not with ``bench_build.py``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent

# std.zig.Client.Message.Tag and std.zig.Server.Message.Tag (Zig 0.17).
CLIENT_EXIT, CLIENT_UPDATE = 0, 1
SERVER_ERROR_BUNDLE, SERVER_EMIT_DIGEST, SERVER_TIME_REPORT = 1, 2, 11
STATS = ("n_reachable_files", "n_imported_files", "n_generic_instances", "n_inline_calls",
         "cpu_ns_parse", "cpu_ns_astgen", "cpu_ns_sema", "cpu_ns_codegen", "cpu_ns_link",
         "real_ns_files", "real_ns_decls", "real_ns_llvm_emit", "real_ns_link_flush")

_CAPTURE = """\
import json, sys
sys.path.insert(0, {folder!r})
import zigimport
from zigimport.build import locked_build
run = locked_build._run
def capture(args, entry):
    with open({out!r}, "w") as f:
        json.dump(args, f)
    return run(args, entry)
locked_build._run = capture
import {name}
"""


_PRIME = 'const py = @import("zig_core");\npub fn one() i64 {\n    return 1;\n}\ncomptime {\n    py.module(@This());\n}\n'


def compile_command(module: Path, mode: str, work: Path) -> list[str]:
    """The ``zig build-lib`` arguments zigimport uses for *module* in *mode* (built once to find out)."""
    out = work / "args.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIG_", "ZIGIMPORT_"))}
    env.update(ZIG_RELEASEMODE=mode, ZIGIMPORT_CACHE_DIR=str(work / "cache"), ZIGIMPORT_STUBS="off", ZIGIMPORT_QUIET="1",
               PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]))
    # A one-function module first: a cache's first build compiles zig_core into the module, every later one
    # links zig_core's runtime object (zigimport/build/core_object.py), and the later ones are what we time.
    (work / "zig_time_report_prime.zig").write_text(_PRIME)
    subprocess.run([sys.executable, "-c", "import zigimport, zig_time_report_prime"], cwd=work, env=env, check=True,
                   capture_output=True)
    code = _CAPTURE.format(folder=str(module.parent), out=str(out), name=module.stem)
    done = subprocess.run([sys.executable, "-c", code], cwd=module.parent, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"building {module} failed:\n{done.stderr[-4000:]}")
    args: list[str] = json.loads(out.read_text())
    return args


def _read_message(stream: IO[bytes]) -> tuple[int, bytes] | None:
    header = stream.read(8)
    if len(header) < 8:
        return None
    tag, size = struct.unpack("<II", header)
    return tag, stream.read(size)


def time_report(args: list[str], work: Path) -> bytes:
    """Run the compile once more (fresh local cache, no output file) and return the report's body."""
    args = [a for a in args if not a.startswith("-femit-bin=")]
    args[args.index("--cache-dir") + 1] = str(work / "timed-local")
    proc = subprocess.Popen(args + ["--listen=-", "--time-report"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(struct.pack("<II", CLIENT_UPDATE, 0))
    proc.stdin.flush()
    report = None
    while (message := _read_message(proc.stdout)) is not None:
        tag, body = message
        if tag == SERVER_TIME_REPORT:
            report = body
        if tag in (SERVER_ERROR_BUNDLE, SERVER_EMIT_DIGEST) and report is not None:
            break
    proc.stdin.write(struct.pack("<II", CLIENT_EXIT, 0))
    proc.stdin.close()
    proc.wait()
    if report is None:
        raise SystemExit("the compiler sent no time report")
    return report


def show(report: bytes, top: int, passes: bool) -> None:
    stats = dict(zip(STATS, struct.unpack_from("<4I9Q", report, 0)))
    off = 16 + 72
    passes_len, files_len, decls_len, _flags = struct.unpack_from("<4I", report, off)
    off += 16
    for name, value in stats.items():
        print(f"{name:20s} {value / 1e9:8.3f} s" if "_ns_" in name else f"{name:20s} {value:8d}")
    llvm = report[off:off + passes_len].decode("ascii", "replace")
    off += passes_len
    files = []
    for _ in range(files_len):
        end = report.index(b"\0", off)
        files.append(report[off:end].decode("utf-8", "replace"))
        off = end + 1
    decls = []
    for _ in range(decls_len):
        end = report.index(b"\0", off)
        name = report[off:end].decode("utf-8", "replace")
        file_index, _count, sema, codegen, link = struct.unpack_from("<IIQQQ", report, end + 1)
        off = end + 1 + 32
        decls.append((name, files[file_index] if file_index < len(files) else "?", sema, codegen, link))
    by_file: collections.Counter[str] = collections.Counter()
    for _name, file, sema, codegen, _link in decls:
        by_file[file] += sema + codegen
    print("\nslowest files (Sema + codegen of their declarations):")
    for file, ns in by_file.most_common(top):
        print(f"  {ns / 1e6:8.1f} ms  {file}")
    print("\nslowest declarations (Sema ms, codegen ms):")
    for name, file, sema, codegen, _link in sorted(decls, key=lambda d: -(d[2] + d[3]))[:top]:
        print(f"  {sema / 1e6:8.1f} {codegen / 1e6:8.1f}  {os.path.basename(file)}:{name[:100]}")
    if passes:
        print("\n" + llvm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("module", type=Path)
    parser.add_argument("--mode", default="ReleaseSafe")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--passes", action="store_true", help="print LLVM's pass timings too")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zigimport-time-report-"))
    try:
        show(time_report(compile_command(args.module.resolve(), args.mode, work), work), args.top, args.passes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
