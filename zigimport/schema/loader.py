"""SchemaLoader: ``import person`` from ``person.zig.json`` (created by the finder, zigimport/finder.py).

Every import reads the schema (and the files it ``$ref`` s), resolves and renders it: the Zig text is the
content-addressed key (specialize/generated.py), so an edit anywhere -- the schema or a file it refers to --
is a new text and a rebuild, and an unchanged schema is a cache hit: one ``stat``, the manifest check and
a ``dlopen``, as for ``.zig``.  The stub is rewritten when its first line names another digest.
"""

from __future__ import annotations

import os

from .. import cache_key, settings as settings_mod
from ..specialize import generated
from . import codegen, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

    import _frozen_importlib

    from .spec import Spec

# Attributes of the module object that describe the import, not the binary's contents (as in ../loader.py).
_IMPORT_ATTRS = frozenset({"__name__", "__spec__", "__loader__", "__file__", "__package__", "__path__", "__builtins__"})


def render_text(spec: Spec, path: str | None) -> str:
    """The Zig text of *spec*; a string that cannot be UTF-8 (a lone surrogate escape) is a SchemaError."""
    try:
        return codegen.render(spec)
    except UnicodeEncodeError as exc:
        from .source import schema_error

        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        raise schema_error(f"{spec.source}: the schema holds {bad.encode('unicode_escape').decode()!r}, a lone "
                           "surrogate, which is not text", path=path, name=spec.name) from None


def load_spec(spec: Spec, settings: settings_mod.Settings, *, schema_path: str | None = None) -> ModuleType:
    """Build (on a miss) and load *spec* as a module named ``spec.name``; keep its stub current."""
    text = render_text(spec, schema_path)
    tail = spec.name.rpartition(".")[2]
    module = generated.load(tail, text, fullname=spec.name, settings=settings)
    if settings.stubs != "off" and schema_path is not None:
        digest = cache_key.digest(text.encode())[:20]
        _ensure_stub(spec, settings, schema_path, tail, digest)
    return module


def _ensure_stub(spec: Spec, settings: settings_mod.Settings, schema_path: str, tail: str, digest: str) -> None:
    from . import stubs  # noqa: PLC0415 - the check below needs only its header format

    root = settings.cache_dir
    from .. import cache_dir

    cache_file = os.path.join(cache_dir.root(root), generated.GENERATED_DIR, f"{tail}_{digest}.pyi")
    paths = stubs.stub_paths(schema_path, tail, cache_file, settings.stubs)
    want = stubs.header(spec.source, digest)
    for p in paths:
        try:
            with open(p, encoding="utf-8") as f:
                if f.readline() == want:
                    return  # current
        except OSError:
            continue
    stubs.write_stub(spec, digest, paths)


class SchemaLoader:
    """Loader for one ``.zig.json`` schema; created by the finder for each import."""

    def __init__(self, fullname: str, path: str, overrides: settings_mod.Overrides | None) -> None:
        self.name = fullname
        self.path = path
        self.overrides = overrides
        self.inputs: list[str] = []  # the schema and every file it $refs, as last read
        self._created: ModuleType | None = None

    def _create(self) -> ModuleType:
        spec, self.inputs = resolve.resolve_file(self.path, self.name)
        return load_spec(spec, settings_mod.resolve(self.overrides), schema_path=self.path)

    def create_module(self, spec: _frozen_importlib.ModuleSpec) -> ModuleType:
        try:
            module = self._create()
        except ImportError as exc:
            from ..errors import ZigImportError  # on error only

            if not isinstance(exc, ZigImportError):
                raise
            raise exc.with_traceback(None) from None  # the message says everything; our frames would bury it
        self._created = module
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The module was executed when it was created (generated.load); a reload builds the current schema
        # and refreshes the existing module in place.
        if module is not self._created:
            fresh = self.create_module(module.__spec__)  # type: ignore[arg-type]
            module.__dict__.update({k: v for k, v in fresh.__dict__.items() if k not in _IMPORT_ATTRS})
        module.__file__ = self.path  # point users, tools and tracebacks at the schema, not the cache

    def __repr__(self) -> str:
        return f"<zigimport.SchemaLoader {self.name!r} from {self.path!r}>"
