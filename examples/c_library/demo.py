"""python examples/c_library/demo.py -- a vendored C library and two system libraries, wrapped in Zig."""

import sys
import zlib
from pathlib import Path

import zigimport  # noqa: F401  (installs the import hook)

sys.path.insert(0, str(Path(__file__).parent))
import checksums  # noqa: E402  checksums.zig: zlib via its header, libm via extern "m"
import tinyhash  # noqa: E402  tinyhash.zig + vendor/tinyhash.c

data = b"hello, C"
assert tinyhash.fnv1a64(b"") == 0xcbf29ce484222325
print(f"tinyhash {tinyhash.version()}: fnv1a64 = {tinyhash.fnv1a64(data):#018x}, seeded = {tinyhash.seeded(data):#018x}")
assert checksums.crc32(data) == zlib.crc32(data)
assert checksums.adler32(data) == zlib.adler32(data)
print(f"crc32 = {checksums.crc32(data):#010x} (zlib {checksums.zlib_version()}), matches Python's zlib: True")
assert abs(checksums.cube_root(27.0) - 3.0) < 1e-12
print(f"cube_root(27.0) = {checksums.cube_root(27.0):.6f}")
