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
