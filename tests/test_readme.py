"""The README's promises: its first two commands are what CI runs, and its examples work."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from support import REPO, run_python

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def readme_blocks() -> list[tuple[str, str]]:
    return BLOCK.findall((REPO / "README.md").read_text())


def test_readme_opens_with_the_two_commands_ci_runs() -> None:
    lang, body = readme_blocks()[0]
    assert lang == "sh"
    commands = body.strip().splitlines()
    assert len(commands) == 2
    assert "pip install -e" in commands[0] and "examples/" in commands[0]
    assert "pytest" in commands[1]
    printed = subprocess.run([str(REPO / ".ci/run"), "--print"], capture_output=True, text=True, check=True).stdout
    assert printed.splitlines() == commands


def test_readme_examples_run(tmp_path: Path) -> None:
    """Every ```zig block headed `// file: NAME` is written out; every ```python block is run, in order."""
    ran = 0
    for lang, body in readme_blocks():
        first = body.splitlines()[0]
        if lang == "zig" and first.startswith("// file: "):
            (tmp_path / first.removeprefix("// file: ").strip()).write_text(body)
        elif lang == "python":
            run_python(body, cwd=tmp_path)
            ran += 1
    assert ran >= 3
