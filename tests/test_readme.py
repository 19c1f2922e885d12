"""The README's promises: its first two commands are what CI runs, and its examples work.

The guide pages in docs/ (one per topic) are held to the same rule: every
```zig block headed `// file: NAME` is written out and every ```python block
is run, in order, in a fresh folder per page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from support import REPO, run_python

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
PAGES = sorted((REPO / "docs").glob("*.md")) if (REPO / "docs").is_dir() else []


def blocks(page: Path) -> list[tuple[str, str]]:
    return BLOCK.findall(page.read_text())


def run_page(page: Path, folder: Path) -> int:
    """Write the page's files into *folder*, run its Python blocks; return how many ran."""
    ran = 0
    for lang, body in blocks(page):
        first = body.splitlines()[0] if body.strip() else ""
        if lang in ("zig", "json", "toml", "c") and first.startswith(("// file: ", "# file: ")):
            name = first.split("file: ", 1)[1].strip()
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body.split("\n", 1)[1] if lang == "json" else body)  # JSON has no comments
        elif lang == "python":
            run_python(body, cwd=folder)
            ran += 1
    return ran


def test_readme_opens_with_the_two_commands_ci_runs() -> None:
    lang, body = blocks(REPO / "README.md")[0]
    assert lang == "sh"
    commands = body.strip().splitlines()
    assert len(commands) == 2
    assert "pip install -e" in commands[0] and "examples/" in commands[0]
    assert "pytest" in commands[1]
    printed = subprocess.run([str(REPO / ".ci/run"), "--print"], capture_output=True, text=True, check=True).stdout
    assert printed.splitlines() == commands


def test_readme_examples_run(tmp_path: Path) -> None:
    assert run_page(REPO / "README.md", tmp_path) >= 3


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_guide_page_examples_run(page: Path, tmp_path: Path) -> None:
    """Each guide page shows at least one Python example, and all of them pass."""
    assert run_page(page, tmp_path) >= 1, f"{page.name} has no runnable ```python example"
