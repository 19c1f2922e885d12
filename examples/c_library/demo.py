"""python examples/c_library/demo.py -- a vendored C library and system libraries, wrapped in Zig."""

import sys
import zlib
from pathlib import Path

import zigimport  # installs the import hook

sys.path.insert(0, str(Path(__file__).parent))
import tinyhash  # noqa: E402  tinyhash.zig + vendor/tinyhash.c (+ libm via extern "m")

data = b"hello, C"
assert tinyhash.fnv1a64(b"") == 0xcbf29ce484222325
print(f"tinyhash {tinyhash.version()}: fnv1a64 = {tinyhash.fnv1a64(data):#018x}, seeded = {tinyhash.seeded(data):#018x}")
assert abs(tinyhash.cube_root(27.0) - 3.0) < 1e-12
print(f"cube_root(27.0) = {tinyhash.cube_root(27.0):.6f} (libm)")

try:
    import checksums  # checksums.zig: zlib through its header
except zigimport.ZigCompileError as e:
    if "zlib.h" not in str(e):
        raise
    print("zlib.h is not installed (zlib1g-dev on Debian/Ubuntu): skipping the zlib part")
else:
    assert checksums.crc32(data) == zlib.crc32(data)
    assert checksums.adler32(data) == zlib.adler32(data)
    print(f"crc32 = {checksums.crc32(data):#010x} (zlib {checksums.zlib_version()}), matches Python's zlib: True")
