"""The user guide builds as a site: `mkdocs build --strict`, and every page in docs/ is in the nav.

The examples on the pages are run by tests/test_readme.py::test_guide_page_examples_run; this file
checks the site around them: broken links or anchors between pages, pages missing from the nav, and
pages the nav names that do not exist all fail the strict build or the checks below.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from support import REPO

QUIET = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's end-of-life banner is not a build warning


def nav_pages(nav: Any) -> list[str]:
    """Every page file named in a mkdocs nav (a list of strings, {title: page} or {title: [sections]})."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_pages(value)]
    raise AssertionError(f"unexpected nav entry {nav!r}")


def test_every_page_is_in_the_nav_once() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    named = nav_pages(config["nav"])
    pages = sorted(p.name for p in (REPO / "docs").glob("*.md"))
    assert sorted(set(named)) == pages, f"not in the nav: {set(pages) - set(named)}; no such page: {set(named) - set(pages)}"
    assert len(named) == len(set(named)), "a page is in the nav twice"
    assert named[:2] == ["index.md", "quickstart.md"], "a newcomer starts at the home page, then the quickstart"


def test_site_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                           cwd=REPO, capture_output=True, text=True, env=QUIET)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "WARNING" not in build.stderr, build.stderr
    built = {p.parent.name for p in site.glob("*/index.html")}
    expected = {p.stem for p in (REPO / "docs").glob("*.md")} - {"index"}
    assert expected <= built, f"pages not built: {expected - built}"
    home = (site / "index.html").read_text()
    assert "quickstart/" in home and "zigimport" in home   # the nav links from the home page


def test_a_broken_link_fails_the_strict_build(tmp_path: Path) -> None:
    """The strict build really catches a link to a page that does not exist (the check above is not vacuous)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nSee [the missing page](missing.md).\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nnav:\n  - Home: index.md\n")
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                           cwd=tmp_path, capture_output=True, text=True, env=QUIET)
    assert build.returncode != 0
    assert "missing.md" in build.stderr
