"""``zigimport.schema_module`` and ``zigimport.schema_class``: a schema given as a dict, compiled and loaded.

Same path as ``import person`` (resolve -> render -> the content-addressed build of specialize/generated.py),
so equal schemas share one binary.  ``module_from_roots`` (internal, for the test suite) builds one module
holding several independent roots.
"""

from __future__ import annotations

import sys

from .. import settings as settings_mod
from ..specialize import generated
from . import names, resolve
from .loader import load_spec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

    from .spec import Spec


def _settings(release_mode: str | None) -> settings_mod.Settings:
    s = generated.current_settings()
    if release_mode is None:
        return s
    if not isinstance(release_mode, str):
        raise TypeError(f"release_mode must be a str such as 'ReleaseFast', not {type(release_mode).__name__}")
    mode = settings_mod.parse_release_mode(release_mode, "release_mode")
    return settings_mod.Settings(mode, s.norecompile, s.quiet, s.cache_dir, s.lock_timeout, s.stubs)


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str (a module name such as 'person'), not {type(name).__name__}")
    if not name or not all(part.isidentifier() for part in name.split(".")):
        raise ValueError(f"name={name!r} is not a module name (dotted Python identifiers, e.g. 'person' or 'pkg.person')")
    return name


def _check_free(name: str) -> None:
    """sys.modules[name] will be replaced: refuse if it holds a module that is not a schema module (``json``)."""
    existing = sys.modules.get(name)
    if existing is not None and not all(hasattr(existing, a) for a in ("roots", "from_json", "from_python", "to_json")):
        raise ValueError(f"name={name!r} is the name of an imported module ({existing!r}), which a schema module "
                         "would replace in sys.modules; choose another name")


def _check_schema(schema: object, what: str = "schema") -> None:
    if not isinstance(schema, (dict, bool)):
        raise TypeError(f"{what} must be a JSON Schema as a dict (or True/False), not {type(schema).__name__}")


def _dict_spec(schema: object, name: str | None) -> Spec:
    _check_schema(schema)
    if name is None:
        title = schema.get("title") if isinstance(schema, dict) else None
        if not isinstance(title, str) or not title.strip():
            raise TypeError("schema_module() needs name= when the schema has no 'title'")
        name = names.module_name(title)
    name = _check_name(name)
    _check_free(name)
    return resolve.resolve_roots(name, {None: schema})


def _load(spec: Spec, release_mode: str | None) -> ModuleType:
    module = load_spec(spec, _settings(release_mode))
    sys.modules[spec.name] = module
    return module


def schema_module(schema: dict[str, Any] | bool, *, name: str | None = None, release_mode: str | None = None) -> ModuleType:
    """Compile the JSON Schema *schema* (a dict, as ``json.load`` gives it) into a module and load it.

    The module holds one class per object schema (the root's is named after its ``title``) and the
    module-level ``from_json``/``from_python``/``to_json``; it is also put in ``sys.modules[name]`` so that
    pickle finds its classes.  *name* defaults to the ``title`` in snake_case (``"Line Item"`` ->
    ``line_item``).  An unsupported keyword or a bad value is a ``zigimport.SchemaError`` naming its JSON
    pointer.  *release_mode* overrides ``ZIG_RELEASEMODE`` for this build.
    """
    spec = _dict_spec(schema, name)
    _settings(release_mode)  # a bad release_mode is reported before anything is built
    return _load(spec, release_mode)


def schema_class(schema: dict[str, Any] | bool, *, name: str | None = None, release_mode: str | None = None) -> type:
    """The root class of ``schema_module(schema, name=..., release_mode=...)`` (its module in ``sys.modules``).

    The root must be an object schema with ``properties`` (or ``required``); otherwise use
    :func:`schema_module`, whose ``from_json`` handles any root.
    """
    spec = _dict_spec(schema, name)
    root = spec.roots[0]
    if spec.nodes[root.node].class_ is None:  # checked before anything is compiled
        from .source import schema_error

        raise schema_error("schema#: the root schema is not an object with 'properties', so it has no class; "
                           "use zigimport.schema_module(...).from_json", path=None, name=spec.name)
    cls = getattr(_load(spec, release_mode), root.name)
    assert isinstance(cls, type)
    return cls


def module_from_roots(name: str, roots: dict[str, Any], *, release_mode: str | None = None) -> ModuleType:
    """One module named *name* holding a root per entry of *roots* (root name -> schema), each resolving its
    own ``#`` references; ``module.from_json(data, root="...")`` picks one.  For the test suite."""
    name = _check_name(name)
    _check_free(name)
    if not isinstance(roots, dict) or not roots:
        raise TypeError("roots must be a non-empty dict of root name -> schema")
    for k, v in roots.items():
        if not isinstance(k, str) or not k.isidentifier():
            raise ValueError(f"root name {k!r} is not an identifier")
        _check_schema(v, f"roots[{k!r}]")
    named: dict[str | None, Any] = {k: v for k, v in roots.items()}
    return _load(resolve.resolve_roots(name, named), release_mode)
