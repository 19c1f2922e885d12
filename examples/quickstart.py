"""python examples/quickstart.py -- imports hello.zig from this folder, compiling it on first use."""

import zigimport  # noqa: F401  (installs the import hook)

import hello

print(f"hello.add(2, 3) = {hello.add(2, 3)}")
print(f"hello.hypot(3, 4) = {hello.hypot(3, 4)}")
print(f"built from {hello.__file__}")
