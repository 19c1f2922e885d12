"""python examples/build_zig_project/demo.py -- import a package whose build.zig builds its extension."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import fastpkg  # noqa: E402

assert fastpkg.scale(14) == 42
print(f"fastpkg.scale(14) = {fastpkg.scale(14)} (from {fastpkg._speedups.__file__})")
