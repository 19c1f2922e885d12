"""The printed result table every benchmark ends with (a Markdown table, pasted into closing notes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def print_markdown(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print *rows* under *header* as a Markdown table, one row per line."""
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
