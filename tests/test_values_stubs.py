"""The .pyi stub of the values test module names the new types, and mypy accepts code using them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from support import mypy


def test_stub_types_check_with_mypy(values: Any, zig_modules: Path) -> None:
    stub = (zig_modules / "values.pyi").read_text()
    assert "class Color(str, enum.Enum):\n    red = 'red'" in stub and "class Level(enum.IntEnum):\n    low = 1" in stub
    assert "def next_color(c: Color | Literal['red', 'green', 'blue']) -> Color:" in stub
    assert "def flag(v: int) -> Flags | int:" in stub
    assert "def dt_id(d: datetime.datetime) -> datetime.datetime:" in stub
    assert "def set_sum(s: set[int] | frozenset[int]) -> int:" in stub
    assert "def path_join(dir: str | bytes | os.PathLike[str] | os.PathLike[bytes], name: str | Buffer) -> pathlib.Path:" in stub
    script = zig_modules / "uses_values.py"
    script.write_text("""\
import datetime
import pathlib
import values

c: values.Color = values.next_color(values.Color.red)
c2: values.Color = values.next_color("green")
lvl: values.Level = values.level_up(5)
when: datetime.datetime = values.dt_id(datetime.datetime(2024, 1, 1))
span: datetime.timedelta = values.td_id(datetime.timedelta(1))
words: set[str] = values.set_of_words("a b")
evens: frozenset[int] = values.frozen_evens(3)
p: pathlib.Path = values.path_join(pathlib.Path("/tmp"), "x")
z: complex = values.cmul(1j, 2)
""")
    proc = mypy(["--strict", "--python-version", f"{sys.version_info[0]}.{sys.version_info[1]}"], str(script), cwd=zig_modules)
    assert proc.returncode == 0, proc.stdout + proc.stderr
