"""Entry: one cache entry, a source as built for this interpreter, mode and toolchain.

Its own module so that the loader (which creates entries) and the build
(which fills them) both import it, and neither imports the other back.
On the cache-hit path: imports nothing heavy.
"""

import os

from . import cache_dir, cache_key, toolchain

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the hit path
if TYPE_CHECKING:
    from .settings import Settings


class Entry:
    """One cache entry: a source as built for this interpreter, mode and toolchain."""

    __slots__ = ("fullname", "tail", "source", "settings", "root", "key_text", "key", "dir", "extra_modules", "extra_flags", "kind", "abi3")

    def __init__(self, fullname: str, source: str, settings: "Settings", *,
                 extra_modules: "tuple[tuple[str, str], ...]" = (), extra_flags: "tuple[str, ...]" = (),
                 kind: str = "module", abi3: "str | None" = None) -> None:
        self.fullname = fullname
        self.tail = fullname.rpartition(".")[2]
        self.source = os.path.realpath(source)
        self.settings = settings
        self.root = cache_dir.root(settings.cache_dir)
        # specialize/: generated Zig modules (name, text) the source imports, e.g. ``params``, and
        # per-call compiler flags; both are part of the key, and () for a plain import.
        self.extra_modules = extra_modules
        self.extra_flags = extra_flags
        variant = cache_key.variant(extra_modules, extra_flags)
        # What is built from the source: "module" (an import), or "zig-tests" (build/test_binary.py).
        self.kind = kind
        if kind != "module":
            variant = "\0".join(filter(None, [variant, f"kind {kind}"]))
        # abi3 (build/abi3.py): a stable-ABI build for this minimum ("3.11"), never mixed with a version-specific one
        self.abi3 = abi3
        if abi3 is not None:
            variant = "\0".join(filter(None, [variant, f"abi3 {abi3}"]))
        self.key_text = cache_key.entry_key_text(self.source, fullname, settings.release_mode, toolchain.toolchain_identity(), variant)
        self.key = cache_key.key_hash(self.key_text)
        self.dir = os.path.join(cache_dir.entries_dir(self.root), self.key)

    @property
    def manifest_path(self) -> str:
        return os.path.join(self.dir, "manifest")

    def artifact_name(self, build_id: str) -> str:
        return f"{self.tail}.{build_id[:16]}{cache_key.EXTENSION_SUFFIX}"
