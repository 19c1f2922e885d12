"""``python -m zigimport`` / ``zigimport``: build ahead of time, look into and tidy the cache, write stubs, run Zig tests.

Exit codes: 0 success, 1 a build (or test, or ``stubs --check``) failed, 2 bad usage.  Every
subcommand takes ``--json`` and then prints one JSON object on stdout and nothing else there.
Only argparse is imported to parse the command line: each subcommand imports what it needs
when it runs, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..settings import Settings
    from .sources import Source

PROG = "zigimport"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Usage(Exception):
    """A bad argument found after parsing: exit code 2 with the message."""


def _release_mode(value: str) -> str:
    from ..errors import ZigSettingsError
    from ..settings import parse_release_mode

    try:
        return parse_release_mode(value, "--release-mode")
    except ZigSettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not days >= 0:
        raise argparse.ArgumentTypeError(f"--older-than={value!r} must be a number of days, 0 or more")
    return days


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"--jobs={value!r} must be a positive integer")
    return jobs


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON object on stdout (for scripts)")
    common.add_argument("--cache-dir", metavar="DIR", help="the cache to use (default: $ZIGIMPORT_CACHE_DIR, else the user cache)")

    p = argparse.ArgumentParser(prog=PROG, description="Build Zig modules ahead of time and manage zigimport's cache.",
                                epilog="Exit codes: 0 ok, 1 a build or test failed, 2 bad usage.")
    from .. import __version__

    p.add_argument("--version", action="version", version=f"zigimport {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    b = sub.add_parser("build", parents=[common], help="compile modules into the cache ahead of time",
                       description="Compile modules into the cache, as `import` would (a later import is a cache hit). "
                                   "A folder is searched for module sources (files that define a module).")
    b.add_argument("paths", nargs="+", metavar="PATH", help="a module source, or a folder to search")
    modes = b.add_mutually_exclusive_group()
    modes.add_argument("--release-mode", "-O", type=_release_mode, metavar="MODE",
                       help="Debug, ReleaseSafe, ReleaseFast or ReleaseSmall (default: $ZIG_RELEASEMODE, else ReleaseSafe)")
    modes.add_argument("--all-modes", action="store_true", help="build every release mode")
    b.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="compilers to run at once (default: one per core)")
    b.add_argument("--force", action="store_true", help="compile even when the cache has a current build")

    c = sub.add_parser("clean", parents=[common], help="remove cache entries (of these sources, or all)",
                       description="Remove the cache entries built from the given sources (files, or every source "
                                   "under a folder), or every entry. Zig's own global cache stays unless --zig-cache.")
    c.add_argument("paths", nargs="*", metavar="PATH")
    c.add_argument("--zig-cache", action="store_true", help="also remove Zig's global cache (std, compiler_rt)")

    i = sub.add_parser("info", parents=[common], help="the toolchain, the cache and its entries",
                       description="Show the Zig toolchain, the cache root and every entry (or those of PATHs).")
    i.add_argument("paths", nargs="*", metavar="PATH")

    s = sub.add_parser("stubs", parents=[common], help="write the .pyi stubs of modules beside their sources",
                       description="Build (or find in the cache) each module and write its .pyi stub beside the source; "
                                   "stubs zigimport wrote for deleted modules are removed.")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--check", action="store_true", help="write nothing; exit 1 if a stub is missing or out of date")

    r = sub.add_parser("prune", parents=[common], help="remove entries whose sources are gone (or that are old)",
                       description="Remove the entries whose source file no longer exists, entries of an older "
                                   "cache format, unfinished entries older than a day, and with --older-than those not built or used for DAYS days.")
    r.add_argument("--older-than", type=_days, metavar="DAYS", help="also remove entries unused for this many days")
    r.add_argument("--dry-run", action="store_true", help="only list what would be removed")

    t = sub.add_parser("test", help="run the Zig `test` blocks of modules (without pytest)", add_help=False,
                       description="Run Zig tests; the arguments go to zigimport.integrations.zig_tests.")
    t.add_argument("args", nargs=argparse.REMAINDER)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["test"]:
        return _test(args[1:])
    ns = parser().parse_args(args)
    if ns.cache_dir:
        os.environ["ZIGIMPORT_CACHE_DIR"] = os.path.abspath(ns.cache_dir)
    command = {"build": _build, "clean": _clean, "info": _info, "stubs": _stubs, "prune": _prune}[ns.command]
    out = _Output(ns.json)
    try:
        return command(ns, out)
    except _Usage as exc:
        return out.usage(ns.command, str(exc))
    except KeyboardInterrupt:
        sys.stderr.write("zigimport: interrupted\n")
        return 130
    finally:
        try:
            out.flush()
        except BrokenPipeError:  # `zigimport info | head`: the reader left; say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _Output:
    """Human lines on stdout, or one JSON object at the end (``--json``)."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.data: dict[str, Any] = {}
        self.closed = False

    def line(self, text: str = "") -> None:
        if not self.as_json and not self.closed:
            try:
                sys.stdout.write(text + "\n")
            except BrokenPipeError:
                self.closed = True

    def usage(self, command: str, message: str) -> int:
        sys.stderr.write(f"{PROG} {command}: error: {message}\n")
        if self.as_json:
            self.data = {"ok": False, "error": message}
        return EXIT_USAGE

    def flush(self) -> None:
        if self.as_json:
            import json

            sys.stdout.write(json.dumps(self.data, indent=2, sort_keys=True) + "\n")
        sys.stdout.flush()


def _count(n: int, noun: str) -> str:
    """``1 entry``, ``2 entries``, ``3 builds``."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def _width() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((80, 24)).columns)


def _short_path(path: str, width: int) -> str:
    """*path* relative to the working folder or ~ when shorter, cut from the left to *width*."""
    home = os.path.expanduser("~")
    shown = path
    try:
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            shown = rel
    except ValueError:
        pass
    if home != "/" and path.startswith(home + os.sep) and len(path) - len(home) + 1 < len(shown):
        shown = "~" + path[len(home):]
    return shown if len(shown) <= width else "..." + shown[-(width - 3):]


def _sources(paths: list[str]) -> list[Source]:
    from .sources import UsageError, collect

    try:
        found = collect(paths)
    except UsageError as exc:
        raise _Usage(str(exc)) from None
    return found


def _generated_names(paths: list[str]) -> set[str]:
    """The module names of the sources under *paths* that are built from generated text (schema modules)."""
    from .sources import ZIG, UsageError, collect

    try:
        return {s.fullname for s in collect(paths) if s.kind is not ZIG}
    except UsageError:
        return set()


def _settings(mode: str | None, *, stubs: str | None = None) -> Settings:
    """The import hook's settings for a build from the command line: never ZIG_NORECOMPILE (building is the point),
    quiet (the command shows its own progress)."""
    from ..errors import ZigSettingsError
    from ..settings import Overrides, Settings, resolve

    try:
        s = resolve(Overrides(release_mode=mode))
    except ZigSettingsError as exc:
        raise _Usage(str(exc)) from None
    return Settings(s.release_mode, False, True, s.cache_dir, s.lock_timeout, stubs or s.stubs)


# ---- build ----


def _build(ns: argparse.Namespace, out: _Output) -> int:
    from ..settings import RELEASE_MODES

    sources = _sources(ns.paths)
    if not sources:
        raise _Usage(f"no module sources under {', '.join(ns.paths)} (files that define a module: "
                     f"`comptime {{ py.module(@This()); }}` or `export fn PyInit_<name>`)")
    modes = list(RELEASE_MODES) if ns.all_modes else [ns.release_mode]
    from .build_jobs import Job, Result, run_jobs

    jobs = [Job(src, _settings(mode)) for src in sources for mode in modes]
    width = _width()

    def done(r: Result) -> None:  # one line per build as it finishes (above the progress line on a terminal)
        status = "failed" if r.error is not None else r.status
        head = f"{status:<7} {r.job.settings.release_mode:<12} {r.seconds:6.1f} s  "
        out.line(head + _short_path(r.job.source.path, width - len(head)))
        sys.stdout.flush()

    results = run_jobs(jobs, workers=ns.jobs or max(1, os.cpu_count() or 1), force=ns.force,
                       progress=not out.as_json and sys.stderr.isatty(), on_done=done)
    failed = [r for r in results if r.error is not None]
    for r in failed:
        out.line()
        out.line(f"{r.job.source.path} ({r.job.settings.release_mode}):")
        out.line(r.error or "")
    built = sum(1 for r in results if r.status == "built" and r.error is None)
    out.line(f"{_count(len(results), 'build')}: {built} compiled, {len(results) - built - len(failed)} already current, "
             f"{len(failed)} failed")
    out.data = {"ok": not failed, "results": [r.as_json() for r in results]}
    return EXIT_FAILED if failed else EXIT_OK


# ---- info ----


def _info(ns: argparse.Namespace, out: _Output) -> int:
    from .. import cache_dir, toolchain
    from . import cache_entries as ce

    if ns.paths:
        for p in ns.paths:
            if not os.path.exists(p):
                raise _Usage(f"{p}: no such file or folder")
    s = _settings(None)
    root = cache_dir.root(s.cache_dir)
    try:
        zig = toolchain.zig_binary()
        version = toolchain.zig_version(zig)
        zig_error = None
    except ImportError as exc:  # ZigToolchainError: shown, and the cache is still listed
        zig, version, zig_error = "", "", str(exc)
    entries = ce.entries(root)
    if ns.paths:
        names = _generated_names(ns.paths)
        entries = [e for e in entries if ce.matches(e, ns.paths, names)]
    others = ce.other_sizes(root) if not ns.paths else {}
    total = sum(e.size for e in entries) + sum(others.values())
    now = ce.now()
    out.data = {
        "ok": zig_error is None, "zig": {"path": zig, "version": version, "error": zig_error},
        "zig_core": _zig_core_dir(), "cache_root": root, "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "entries": [e.as_json() for e in entries], "other": others, "total_size": total,
    }
    width = _width()
    out.line(f"zig       {zig_error or version + '  ' + _short_path(zig, width - 12 - len(version))}")
    out.line(f"zig_core  {_short_path(out.data['zig_core'], width - 10)}")
    out.line(f"cache     {_short_path(root, width - 10)}")
    out.line()
    if not entries:
        out.line("no entries" + (" for those sources" if ns.paths else ""))
    else:
        # MODULE MODE PY SIZE AGE SOURCE: the source takes what the terminal has left.
        mod_w = min(22, max(6, *(len(e.module) for e in entries)))
        head = f"{'MODULE':<{mod_w}} {'MODE':<12} {'PY':<5} {'SIZE':>8} {'BUILT':>7}  "
        out.line(head + "SOURCE")
        for e in entries:
            module = e.module or e.key
            module = module if len(module) <= mod_w else module[:mod_w - 3] + "..."
            if e.state == "unfinished":
                module, mode, source = e.key[:mod_w], "", "(no build: one failed or is running)"
            else:
                mode = e.mode
                note = " (old format)" if e.state != "current" else "" if e.source_exists else " (gone)"
                source = _short_path(e.source, width - len(head) - len(note)) + note
            out.line(f"{module:<{mod_w}} {mode:<12} {e.python:<5} {ce.size_text(e.size):>8} "
                     f"{ce.age_text(now - e.built):>7}  {source}")
    _prebuilt_lines(ns.paths, out, width)
    out.line()
    extra = "".join(f", {name} {ce.size_text(size)}" for name, size in sorted(others.items()))
    out.line(f"{_count(len(entries), 'entry')}, {ce.size_text(sum(e.size for e in entries))}{extra}; total {ce.size_text(total)}")
    return EXIT_OK if zig_error is None else EXIT_FAILED


def _prebuilt_lines(paths: list[str], out: _Output, width: int) -> None:
    """Binaries a wheel shipped beside these sources (integrations/wheels.py): current, or built from another source."""
    if not paths:
        return
    from .sources import UsageError, collect
    from .wheels import prebuilt_status

    try:
        found = [p for p in (prebuilt_status(s) for s in collect(paths)) if p is not None]
    except (UsageError, OSError):
        return
    out.data["prebuilt"] = [{"module": p.source.fullname, "source": p.source.path, "binary": p.binary,
                             "current": p.current} for p in found]
    if found:
        out.line()
    for p in found:
        state = "current" if p.current else "STALE: the source changed since the binary was built (reinstall or rebuild)"
        out.line(f"prebuilt  {p.source.fullname}  {state}  {_short_path(p.binary, width - 30)}")


def _zig_core_dir() -> str:
    from .. import toolchain

    try:
        return toolchain.zig_core_dir()
    except ImportError as exc:
        return f"(missing: {exc})"


# ---- clean and prune ----


def _clean(ns: argparse.Namespace, out: _Output) -> int:
    import shutil

    from .. import cache_dir
    from . import cache_entries as ce

    for p in ns.paths:
        if not os.path.exists(p) and not os.path.isabs(p):
            raise _Usage(f"{p}: no such file or folder (give a deleted source as an absolute path)")
    root = cache_dir.root(_settings(None).cache_dir)
    entries = ce.entries(root)
    names = _generated_names([p for p in ns.paths if os.path.exists(p)])
    chosen = [e for e in entries if ce.matches(e, ns.paths, names)] if ns.paths else entries
    removed, busy, freed = [], [], 0
    for e in chosen:
        if ce.remove(e):
            removed.append(e)
            freed += e.size
        else:
            busy.append(e)
    extra: list[str] = []
    if not ns.paths:  # everything else the cache holds (generated sources, cells, records), Zig's cache if asked
        for name, size in ce.other_sizes(root).items():
            if name != "zig" or ns.zig_cache:
                freed += size
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)
                extra.append(name)
    width = _width()
    for e in removed:
        out.line(f"removed {e.module or e.key:<24} {e.mode:<12} {_short_path(e.source, width - 46) if e.source else ''}")
    for e in busy:
        out.line(f"busy    {e.module or e.key:<24} {e.mode:<12} (a build holds its lock; left alone)")
    out.line(f"removed {_count(len(removed), 'entry')}" + (f" and {', '.join(extra)}" if extra else "") +
             f", {ce.size_text(freed)} freed" + (f"; {len(busy)} busy" if busy else ""))
    out.data = {"ok": True, "removed": [e.as_json() for e in removed], "busy": [e.as_json() for e in busy],
                "removed_other": extra, "freed": freed}
    return EXIT_OK


def _prune(ns: argparse.Namespace, out: _Output) -> int:
    from .. import cache_dir
    from . import cache_entries as ce

    root = cache_dir.root(_settings(None).cache_dir)
    now = ce.now()
    chosen: list[tuple[Any, str]] = []
    for e in ce.entries(root):
        if e.state == "unfinished":
            if now - e.built > 86400:  # younger: a first build may be running
                chosen.append((e, "unfinished"))
        elif e.state == "old format":  # an import would rebuild it: its binary is never loaded again
            chosen.append((e, "old format"))
        elif not e.source_exists:
            chosen.append((e, "source gone"))
        elif ns.older_than is not None and now - e.used > ns.older_than * 86400:
            chosen.append((e, f"unused for {ce.age_text(now - e.used)}"))
    removed, stubs, freed = [], [], 0
    width = _width()
    for e, why in chosen:
        if ns.dry_run or ce.remove(e):
            removed.append((e, why))
            freed += e.size
            stub = ce.orphan_stub(e.source) if why == "source gone" else None
            if stub is not None and stub not in stubs:
                if not ns.dry_run:
                    os.remove(stub)
                stubs.append(stub)
            verb = "would remove" if ns.dry_run else "removed"
            out.line(f"{verb} {e.module or e.key:<22} {e.mode:<12} {why}")
    for stub in stubs:
        out.line(f"{'would remove' if ns.dry_run else 'removed'} stub {_short_path(stub, width - 20)}")
    removed_keys = {e.key for e, _why in removed}
    cells = ce.unused_cell_sources(root, [e for e in ce.entries(root) if e.key not in removed_keys], now)
    if cells and not ns.dry_run:
        import shutil

        for folder in cells:
            shutil.rmtree(folder, ignore_errors=True)
    out.line(f"{'would remove' if ns.dry_run else 'removed'} {_count(len(removed), 'entry')}, {ce.size_text(freed)}"
             + (f", {_count(len(stubs), 'stub')}" if stubs else "") + (f", {_count(len(cells), 'notebook cell source')}" if cells else ""))
    out.data = {"ok": True, "dry_run": ns.dry_run, "freed": freed, "stubs": stubs, "cell_sources": cells,
                "removed": [{**e.as_json(), "reason": why} for e, why in removed]}
    return EXIT_OK


# ---- stubs ----


def _stubs(ns: argparse.Namespace, out: _Output) -> int:
    from ..build import stubs as stubs_mod
    from ..atomic_files import write_if_changed
    from .build_jobs import Job, run_jobs

    sources = _sources(ns.paths)
    from .sources import folders_of

    folders = sorted({os.path.dirname(s.path) for s in sources} | set(folders_of(ns.paths)))
    jobs = [Job(src, _settings(None, stubs="off")) for src in sources]
    results = run_jobs(jobs, workers=max(1, os.cpu_count() or 1), force=False, progress=not out.as_json and sys.stderr.isatty())
    width = _width()
    report: list[dict[str, object]] = []
    bad = False
    for r in results:
        target = stubs_mod.stub_path_for(r.job.source.path) or ""
        state: str
        if r.error is not None:
            state, bad = "failed", True
        else:
            src = r.job.source
            text = src.kind.stub_text(src.path, src.fullname, r.job.settings, r.artifact) if r.artifact else None
            if text is None:
                state = "none"  # a raw extension carries no stub
            else:
                try:
                    with open(target, encoding="utf-8") as f:
                        same = f.read() == text
                except OSError:
                    same = False
                if same:
                    state = "current"
                elif ns.check:
                    state, bad = "outdated" if os.path.exists(target) else "missing", True
                else:
                    state = "written" if write_if_changed(target, text) else "failed"
                    bad = bad or state == "failed"
        report.append({"source": r.job.source.path, "stub": target, "state": state, "error": r.error})
        out.line(f"{state:<8} {_short_path(target, width - 9)}")
        if r.error is not None:
            out.line(r.error)
    orphans: list[str] = []
    for folder in folders:
        orphans += stubs_mod.orphans(folder) if ns.check else stubs_mod.remove_orphans(folder)
    for o in orphans:
        out.line(f"{'orphan' if ns.check else 'removed'}  {_short_path(o, width - 9)} (its module is gone)")
    bad = bad or (ns.check and bool(orphans))
    out.data = {"ok": not bad, "stubs": report, "orphans": orphans, "check": ns.check}
    return EXIT_FAILED if bad else EXIT_OK


# ---- test ----


def _test(argv: list[str]) -> int:
    """``zigimport test ...``: zigimport.integrations.zig_tests.cli_main (0: all passed, 1: some failed, 2: usage)."""
    import importlib

    try:
        zig_tests = importlib.import_module(f"{__package__}.zig_tests")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.zig_tests":
            raise
        sys.stderr.write(f"{PROG} test: error: this zigimport has no Zig test runner "
                         f"(zigimport.integrations.zig_tests is not installed); run Zig tests with pytest instead\n")
        return EXIT_USAGE
    code: int = zig_tests.cli_main(argv)
    return code
