"""The README's promises: its first two commands are what CI runs, and its examples work.

The guide pages in docs/ (one per topic) are held to the same rule: every block of every page runs, in
order, in a fresh folder per page, each kind the way tests/guide_blocks.py says (files written and checked
by zigimport's own readers, python/sh/ipython run, output compared).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import guide_blocks
from support import REPO

PAGES = sorted((REPO / "docs").glob("*.md")) if (REPO / "docs").is_dir() else []

# Every sh block marked `# not run: REASON` (page, reason): the few that need the network or take minutes.
# A new marked block fails its page's test until it is listed here, so none escapes unnoticed.
NOT_RUN = {
    ("docs/index.md", "installs zigimport from PyPI (the network)"),
    ("docs/internals.md", "the whole suite and every benchmark take minutes"),
    ("docs/wheels.md", "builds a wheel and an sdist (tests/test_wheels.py and tests/test_sdist.py do)"),
    ("docs/wheels.md", "installs from the network into a fresh venv (tests/test_sdist.py does)"),
    ("docs/wheels.md", "builds four wheels (minutes on a cold cache)"),
}


def blocks(page: Path) -> list[tuple[str, str]]:
    return [(b.lang, b.body) for b in guide_blocks.blocks(page.read_text(), page.name)]


def run_page(page: Path, folder: Path, *, skip_first: bool = False) -> guide_blocks.PageRun:
    run = guide_blocks.run_page(page, folder, skip_first=skip_first)
    name = page.relative_to(REPO).as_posix()
    marked = {(name, reason) for _, reason in run.not_run}
    listed = {(p, reason) for p, reason in NOT_RUN if p == name}
    assert marked == listed, f"{name}: blocks marked `# not run:` {sorted(marked)} but NOT_RUN lists {sorted(listed)}"
    return run


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
    run = run_page(REPO / "README.md", tmp_path, skip_first=True)  # the first block: .ci/run's two commands
    assert run.counts.get("python", 0) >= 1 and run.counts.get("zig file", 0) >= 1, run.counts


def test_readme_links_every_guide_page_in_nav_order() -> None:
    """README's guide list is one line per page, in mkdocs.yml's nav order (a page added to the nav is linked)."""
    import yaml

    from test_docs_site import nav_pages

    nav = nav_pages(yaml.safe_load((REPO / "mkdocs.yml").read_text())["nav"])
    linked = re.findall(r"^- \[[^\]]+\]\(docs/([\w-]+\.md)\)", (REPO / "README.md").read_text(), re.M)
    assert linked == nav


def test_the_pages_the_guide_promises_exist() -> None:
    """Issue 12's list of guide topics, each a page in the nav."""
    import yaml

    from test_docs_site import nav_pages

    nav = set(nav_pages(yaml.safe_load((REPO / "mkdocs.yml").read_text())["nav"]))
    topics = {"quickstart": "quickstart.md", "writing modules": "modules.md", "conversions": "values.md",
              "classes": "classes.md", "errors": "errors.md", "GIL": "gil.md", "C libraries": "c-libraries.md",
              "comptime parameters": "specialize.md", "zetaclass": "zetaclass.md", "schema modules": "schema.md",
              "pytest": "pytest.md", "CLI": "cli.md", "wheels": "wheels.md", "notebooks": "notebooks.md",
              "settings": "settings.md", "the cache": "cache.md", "coming from Pydust": "from-pydust.md",
              "how it works inside": "internals.md"}
    missing = {topic: page for topic, page in topics.items() if page not in nav or not (REPO / "docs" / page).is_file()}
    assert not missing, missing


def test_readme_pydust_table_is_the_guide_pages() -> None:
    """README's "Coming from Pydust" table (issue 7 asks for it there) is docs/from-pydust.md's, row for row."""
    readme = (REPO / "README.md").read_text().split("<summary>Coming from Pydust", 1)[1].split("</details>", 1)[0]
    page = (REPO / "docs" / "from-pydust.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("|")]
    assert len(rows) > 10
    assert [line for line in readme.splitlines() if line.startswith("|")] == \
        [re.sub(r"\]\(([\w-]+\.md)", r"](docs/\1", line) for line in rows]


def test_readme_stays_short() -> None:
    """The commands, a taste and the links; the keyword table folded away in <details>."""
    text = (REPO / "README.md").read_text()
    before_table = text.split("<details>", 1)[0]
    assert len(before_table.splitlines()) <= 80, len(before_table.splitlines())
    langs = [lang for lang, _ in blocks(REPO / "README.md")]
    assert langs == ["sh", "zig", "python"], langs


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_guide_page_examples_run(page: Path, tmp_path: Path) -> None:
    """Each guide page shows at least one Python example, and every block of it runs (tests/guide_blocks.py)."""
    run = run_page(page, tmp_path)
    assert run.counts.get("python", 0) >= 1, f"{page.name} has no runnable ```python example"


def test_the_runner_refuses_what_it_cannot_run(tmp_path: Path) -> None:
    """Blocks the runner would otherwise skip, or a wrong config, fail the page with the page's line."""
    cases = {
        "```\nplain\n```\n": "a code block of language '(none)'",
        "```zig\npub fn f() void {}\n```\n": "needs `// file: NAME.zig`",
        "```zig\n// fragment: a sketch\npub fn f( void {}\n```\n": "zig ast-check failed",
        "```toml\n[tool.zigimport]\nabi3 = true\n```\n": "[tool.zigimport]: zigimport reads no such table",
        "```toml\n[tool.hatch.build.hooks.zigimport]\nrelease-mode = \"Fast\"\n```\n": "is not a Zig release mode",
        "```toml\n[tool.pytest.ini_options]\nzigimport_mode = \"Debug\"\n```\n": "no pytest option zigimport_mode",
        "```sh\necho hi\n```\n\n```text\nbye\n```\n": "the output differs from the text block",
        "```sh\nfalse\n```\n": "the commands failed",
        "```json\n// file: bad.zig.json\n{\"type\": \"object\", \"contains\": {}}\n```\n": "'contains' is not supported",
        "```zon\n.{ .a = }\n```\n": "expected a ZON value",
    }
    for n, (text, message) in enumerate(cases.items()):
        page = tmp_path / f"page{n}.md"
        page.write_text(text)
        folder = tmp_path / f"run{n}"
        folder.mkdir()
        with pytest.raises(Exception) as info:
            guide_blocks.run_page(page, folder, name=f"page{n}.md")
        assert message in str(info.value), (text, str(info.value))
    ok = tmp_path / "ok.md"
    ok.write_text("```sh\nzigimport --help | head -1\npython -c 'print(6 * 7)'\n```\n\n```text\nusage: ...\n42\n```\n")
    (tmp_path / "okrun").mkdir()
    run = guide_blocks.run_page(ok, tmp_path / "okrun", name="ok.md")
    assert run.counts == {"sh": 1, "text (output)": 1}, run.counts
