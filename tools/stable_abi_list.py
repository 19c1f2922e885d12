"""Write tests/data/stable_abi.tsv: the functions and data of CPython's stable ABI, each with the version that added it.

Source: CPython's ``Misc/stable_abi.toml`` as packaged by abi3info (https://pypi.org/project/abi3info/,
generated from that file).  Run ``python tools/stable_abi_list.py`` with abi3info importable to refresh it;
tests/test_abi3.py reads the result (it does not need abi3info).
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import abi3info  # type: ignore[import-not-found]


def main() -> None:
    """Render the list, one symbol a line: name, kind, added (3.x), abi_only, ifdef."""
    out = Path(__file__).resolve().parent.parent / "tests" / "data" / "stable_abi.tsv"
    rows = []
    for kind, table in (("function", abi3info.FUNCTIONS), ("data", abi3info.DATAS)):
        for sym, item in table.items():
            ifdef = item.ifdef.name if item.ifdef is not None else ""
            abi_only = "abi_only" if getattr(item, "abi_only", False) else ""
            rows.append(f"{sym.name}\t{kind}\t{item.added.major}.{item.added.minor}\t{abi_only}\t{ifdef}")
    header = (f"# CPython's stable ABI (functions and data): Misc/stable_abi.toml as packaged by abi3info {version('abi3info')}\n"
              "# written by tools/stable_abi_list.py; columns: name, kind, added, abi_only, ifdef\n")
    out.write_text(header + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{len(rows)} symbols -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
