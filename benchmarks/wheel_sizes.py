"""Wheel and binary sizes of examples/wheel_pkg per release mode, stripped and not (docs/wheels.md, "Sizes").

    python benchmarks/wheel_sizes.py [--modes ReleaseFast,ReleaseSmall] [--keep DIR]

Builds the example's wheel once per (mode, strip) with ``pip wheel --no-build-isolation`` through the hatchling
hook of this checkout (its ``release-mode`` and ``strip`` options), then prints a Markdown table of the wheel
file's size and each extension module's size inside it, with the ratio against the default build
(ReleaseFast, stripped) of the same run.  Builds go through the zigimport cache, so a second run is quick.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tables import print_markdown

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "wheel_pkg"
DEFAULT = ("ReleaseFast", True)
sys.path.insert(0, str(REPO / "tests"))  # the tests' helper that registers the checkout's hatch hook
from support import hatch_entry_point  # noqa: E402


def build(root: Path, mode: str, strip: bool) -> Path:
    """The example's wheel built in *mode*, stripped or not, into root/dist."""
    project = root / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "dist", "__pycache__", "*.pyi", "*.so"))
    pyproject = project / "pyproject.toml"
    text = re.sub(r'^release-mode = .*$', f'release-mode = "{mode}"', pyproject.read_text(), flags=re.M)
    pyproject.write_text(text + f"strip = {'true' if strip else 'false'}\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hatch_entry_point(root / "entry")), str(REPO)]), PIP_NO_INDEX="1")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(root / "dist"), str(project)], env=env, capture_output=True, text=True, timeout=1200)
    if proc.returncode != 0:
        raise SystemExit(f"pip wheel ({mode}, strip={strip}) failed:\n{proc.stdout}\n{proc.stderr}")
    (wheel,) = (root / "dist").glob("*.whl")
    return wheel


def sizes(wheel: Path) -> dict[str, int]:
    """The wheel's size ("wheel") and each extension module's uncompressed size, by module name."""
    out = {"wheel": wheel.stat().st_size}
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            if info.filename.endswith(".so"):
                out[info.filename.rsplit("/", 1)[-1].split(".", 1)[0]] = info.file_size
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", default="ReleaseFast,ReleaseSmall", help="comma-separated release modes")
    parser.add_argument("--keep", type=Path, help="keep the wheels in this folder")
    args = parser.parse_args()
    builds = [(mode, strip) for mode in args.modes.split(",") for strip in (False, True)]
    if DEFAULT not in builds:
        builds.append(DEFAULT)
    measured: dict[tuple[str, bool], dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="wheel-sizes-") as tmp:
        for mode, strip in builds:
            wheel = build(Path(tmp) / f"{mode}-{strip}", mode, strip)
            measured[(mode, strip)] = sizes(wheel)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(wheel, args.keep / f"{mode}-{'stripped' if strip else 'unstripped'}-{wheel.name}")
    base = measured[DEFAULT]
    modules = sorted(k for k in base if k != "wheel")
    header = ["mode", "strip", "wheel file", *[f"`{m}` binary" for m in modules], "wheel vs default"]
    rows = []
    for (mode, strip), got in measured.items():
        rows.append([mode, "yes" if strip else "no", f"{got['wheel']:,} B", *[f"{got[m]:,} B" for m in modules],
                     f"{got['wheel'] / base['wheel']:.2f}×"])
    print(f"examples/wheel_pkg, {sys.implementation.cache_tag}, {os.uname().machine}; "
          f"default = {DEFAULT[0]}, stripped")
    print_markdown(header, rows)


if __name__ == "__main__":
    main()
