"""The worker process of zig_tests.Worker: loads one test binary and runs its tests on request.

Protocol (one JSON document a line): the parent sends ``{"name", "artifact", "sys_path"}``, the worker
answers ``{"ready": true}`` (or ``{"error": ...}``); then for each ``{"run": index, "capture": path}``
it runs that test with its stdout and stderr (file descriptors 1 and 2) written to *path*, and
answers ``{"status", "error", "trace", "python", "duration"}`` (``python``: the Python exception a failing
test left pending, formatted).  EOF on stdin ends it.  A Zig panic ends it
too (zig_core's handler calls Py_FatalError, whose report lands in the capture file); the parent
reports that test as failed.  The protocol uses private copies of the pipes, so a test that prints
or reads stdin cannot disturb it.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> int:
    """Serve one parent (see the module docstring); return the exit code."""
    proto_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    hello = json.loads(proto_in.readline() or "{}")
    sys.path[:] = hello.get("sys_path", sys.path)
    try:
        import zigimport  # noqa: F401 - the import hook, for tests that py.import() a .zig module
        from importlib.machinery import ExtensionFileLoader, ModuleSpec

        name, artifact = hello["name"], hello["artifact"]
        so_loader = ExtensionFileLoader(name, artifact)
        module = so_loader.create_module(ModuleSpec(name, so_loader, origin=artifact))
        so_loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which names the file
        proto_out.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return 1
    proto_out.write(json.dumps({"ready": True}) + "\n")
    for line in proto_in:
        request = json.loads(line)
        proto_out.write(json.dumps(_run_one(module, request["run"], request["capture"])) + "\n")
    return 0


def _run_one(module: object, index: int, capture: str) -> dict[str, object]:
    fd = os.open(capture, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    started = time.perf_counter()
    try:
        status, error, trace, exception = module.run(index)  # type: ignore[attr-defined]
    except BaseException as exc:  # noqa: BLE001 - a Python exception escaping a test fails that test
        status, error, trace, exception = "failed", f"{type(exc).__name__}: {exc}", None, None
    finally:
        duration = time.perf_counter() - started
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
    python = None
    if exception is not None:  # error.PythonException: the Python exception behind it, as Python prints it
        import traceback

        python = "".join(traceback.format_exception(type(exception), exception, exception.__traceback__)).rstrip()
    return {"status": status, "error": error, "trace": trace, "python": python, "duration": duration}


if __name__ == "__main__":
    sys.exit(main())
