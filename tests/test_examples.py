"""The example programs in examples/ run and print what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

EXAMPLES = {
    "quickstart.py": ["hello.add(2, 3) = 5", "hello.hypot(3, 4) = 5.0"],
    "numeric_kernel.py": ["mean      zig", "rolling", "results equal", "clip      min 5.0 max 15.0"],
    "rolling_window.py": ["Window(len=10000, capacity=10000)", "shares memory: True"],
}


@pytest.mark.parametrize("script", EXAMPLES)
def test_example_runs(script: str, zig_modules: Path) -> None:
    # The copy of examples/ in zig_modules (scripts and modules side by side, as in the repo): the modules
    # are then compiled once per run, for these scripts, the stubtest and property tests alike.
    assert (zig_modules / script).read_text() == (REPO / "examples" / script).read_text()
    out = subprocess.run([sys.executable, str(zig_modules / script)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    for expected in EXAMPLES[script]:
        assert expected in out.stdout, out.stdout
