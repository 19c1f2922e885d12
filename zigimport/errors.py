"""Exceptions raised by zigimport.

Everything that can go wrong while importing a ``.zig`` module is an
``ImportError`` subclass, so ``try: import fast_path except ImportError:``
fallbacks keep working; the subclasses say *what* went wrong.
"""


class ZigImportError(ImportError):
    """Base class for zigimport's import-time failures."""


class ZigCompileError(ZigImportError):
    """The Zig compiler rejected the module.

    ``str(err)`` holds Zig's diagnostics (``file:line:col: error: ...``);
    ``err.diagnostics`` holds them alone, ``err.path`` the module's source
    and ``err.release_mode`` the mode it was compiled in.
    """

    def __init__(self, message: str, *, name: str, path: str, diagnostics: str, release_mode: str) -> None:
        super().__init__(message, name=name, path=path)
        self.diagnostics = diagnostics
        self.release_mode = release_mode


class ZigToolchainError(ZigImportError):
    """The Zig toolchain (the ``ziglang`` package) is missing or unsupported."""


class ZigSettingsError(ZigImportError, ValueError):
    """A setting (environment variable or ``install()`` argument) has an invalid value."""


class ZigCacheError(ZigImportError):
    """The build cache cannot be used: unsafe permissions, or a build lock that timed out."""


class ZigSourceError(ZigImportError):
    """A source file of the module cannot be read (permissions, vanished), or kept changing while it was compiled.

    ``err.path`` is that file, which may be a file the module imports rather than the module itself.
    """


class ZigError(RuntimeError):
    """A Zig function returned an error that has no Python exception of the same name.

    A ``RuntimeError``, as CPython reports failures inside native code.
    ``err.zig_error`` is the Zig error name, e.g. ``"InvalidInput"`` for ``error.InvalidInput``.
    """

    def __init__(self, zig_error: str, message: str | None = None) -> None:
        super().__init__(message or f"error.{zig_error}")
        self.zig_error = zig_error


class SchemaError(ZigImportError):
    """A ``.zig.json`` schema (or a dict given to ``zigimport.schema_module``) cannot be compiled.

    ``str(err)`` names the place as a JSON pointer, e.g.
    ``person.zig.json#/properties/tags/contains: 'contains' is not supported``;
    ``err.pointer`` holds that pointer (``"#/properties/tags/contains"``) and ``err.path`` the file (or None).
    """

    def __init__(self, message: str, *, name: str | None = None, path: str | None = None, pointer: str = "#") -> None:
        super().__init__(message, name=name, path=path)
        self.pointer = pointer


class SchemaValidationError(ValueError):
    """A value breaks a rule of its schema: raised by construction, assignment, ``from_json`` and ``from_dict``.

    ``str(err)`` is ``"<path>: <what is wrong>"``, e.g. ``address.zip: length 3 < minLength 5``;
    ``err.path`` is the place in the value (``"address.zip"``, ``"items[2].sku"``, ``"$"`` for the value itself)
    and ``err.rule`` the schema keyword that failed (``"minLength"``, ``"type"``, ``"required"``, ...).
    The first violation found is reported.
    """

    def __init__(self, message: str, path: str = "$", rule: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.rule = rule

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        return (type(self), (str(self), self.path, self.rule))


class SchemaDecodeError(ValueError):
    """JSON text given to ``from_json`` (and friends) is not well-formed JSON.

    ``str(err)`` reads as :class:`json.JSONDecodeError`'s: ``Expecting ',' delimiter: line 1 column 5 (char 4)``;
    ``err.msg``, ``err.lineno``, ``err.colno`` (1-based) and ``err.pos`` (0-based offset into the text) hold the parts.
    """

    def __init__(self, msg: str, lineno: int, colno: int, pos: int) -> None:
        super().__init__(f"{msg}: line {lineno} column {colno} (char {pos})")
        self.msg, self.lineno, self.colno, self.pos = msg, lineno, colno, pos

    def __reduce__(self) -> tuple[type, tuple[str, int, int, int]]:
        return (type(self), (self.msg, self.lineno, self.colno, self.pos))
