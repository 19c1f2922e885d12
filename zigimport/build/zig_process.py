"""Run one Zig command (build-lib, build, translate-c) and tell the user when it takes a while.

Its own module so that locked_build.py, build_zig.py and translate_c.py share it without
importing one another.
"""

from __future__ import annotations

import subprocess
import sys

NOTICE_AFTER_S = 1.0  # a command still running after this long gets a notice on stderr


def run_with_notice(args: list[str], *, cwd: str, env: dict[str, str], notice: str | None,
                    merge_stderr: bool = True) -> tuple[int, bytes, bytes]:
    """Run *args*; print *notice* (unless None) on stderr if it is still running after NOTICE_AFTER_S,
    so a long first build never looks like a hang.  Returns (returncode, stdout, stderr); with
    *merge_stderr* the command's stderr is part of stdout and the third item is empty."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
                            cwd=cwd, env=env)
    try:
        out, err = proc.communicate(timeout=NOTICE_AFTER_S)
    except subprocess.TimeoutExpired:
        if notice is not None:
            sys.stderr.write(notice + "\n")
            sys.stderr.flush()
        out, err = proc.communicate()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc.returncode, out, err or b""
