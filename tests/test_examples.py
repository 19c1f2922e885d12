"""The example programs in examples/ run and print what they promise."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import REPO

EXAMPLES = {
    "quickstart.py": ["hello.add(2, 3) = 5", "hello.hypot(3, 4) = 5.0"],
    "numeric_kernel.py": ["mean      zig", "rolling", "results equal", "clip      min 5.0 max 15.0"],
    "rolling_window.py": ["Window(len=10000, capacity=10000)", "shares memory: True"],
}


@pytest.mark.parametrize("script", EXAMPLES)
def test_example_runs(script: str) -> None:
    out = subprocess.run([sys.executable, str(REPO / "examples" / script)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    for expected in EXAMPLES[script]:
        assert expected in out.stdout, out.stdout
