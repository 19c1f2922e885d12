"""What the user can control, resolved afresh at every import.

Precedence for each setting: an argument given to ``zigimport.install()``,
then the environment variable, then the default.  Reading the environment
at each import (not once at start-up) lets tests and notebooks change it.
"""

import os

RELEASE_MODES = ("Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall")
# ReleaseSafe: optimised code that still traps overflow and out-of-bounds
# access, so the default is neither slow (Debug) nor silently wrong (ReleaseFast).
DEFAULT_RELEASE_MODE = "ReleaseSafe"

ENV_RELEASE_MODE = "ZIG_RELEASEMODE"
ENV_NORECOMPILE = "ZIG_NORECOMPILE"
ENV_CACHE_DIR = "ZIGIMPORT_CACHE_DIR"
ENV_QUIET = "ZIGIMPORT_QUIET"
ENV_LOCK_TIMEOUT = "ZIGIMPORT_LOCK_TIMEOUT"
ENV_STUBS = "ZIGIMPORT_STUBS"

# Where a built module's .pyi stub goes: beside the .zig source (falling back to the
# cache entry if that folder is not writable), only into the cache entry, or nowhere.
STUB_MODES = ("source", "cache", "off")
DEFAULT_STUB_MODE = "source"

DEFAULT_LOCK_TIMEOUT = 600.0

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class Settings:
    """One import's view of the settings (immutable by convention)."""

    __slots__ = ("release_mode", "norecompile", "quiet", "cache_dir", "lock_timeout", "stubs")

    def __init__(self, release_mode: str, norecompile: bool, quiet: bool, cache_dir: str | None, lock_timeout: float,
                 stubs: str = DEFAULT_STUB_MODE) -> None:
        self.release_mode = release_mode
        self.norecompile = norecompile
        self.quiet = quiet
        self.cache_dir = cache_dir
        self.lock_timeout = lock_timeout
        self.stubs = stubs

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__)
        return f"Settings({fields})"


def parse_release_mode(value: str, source: str) -> str:
    """Return the canonical spelling of *value*; raise naming *source* and the valid values."""
    for mode in RELEASE_MODES:
        if value.strip().lower() == mode.lower():
            return mode
    from .errors import ZigSettingsError  # on error only: errors.py is not on the hit path
    raise ZigSettingsError(
        f"{source}={value!r} is not a Zig release mode; valid values: {', '.join(RELEASE_MODES)}"
    )


def parse_stub_mode(value: str, source: str) -> str:
    v = value.strip().lower()
    if v in STUB_MODES:
        return v
    from .errors import ZigSettingsError  # on error only: errors.py is not on the hit path
    raise ZigSettingsError(f"{source}={value!r} is not a stub mode; valid values: {', '.join(STUB_MODES)}")


def parse_flag(value: str, source: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    from .errors import ZigSettingsError  # on error only: errors.py is not on the hit path
    raise ZigSettingsError(f"{source}={value!r} is not a boolean; use 1/true/yes/on or 0/false/no/off")


def parse_timeout(value: str, source: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        from .errors import ZigSettingsError  # on error only: errors.py is not on the hit path
        raise ZigSettingsError(f"{source}={value!r} must be a positive number of seconds")
    return seconds


class Overrides:
    """Values given to ``install()``; ``None`` means "use the environment"."""

    __slots__ = ("release_mode", "norecompile", "quiet", "cache_dir", "stubs")

    def __init__(self, release_mode: str | None = None, norecompile: bool | None = None,
                 quiet: bool | None = None, cache_dir: str | os.PathLike[str] | None = None,
                 stubs: str | None = None) -> None:
        self.release_mode = None if release_mode is None else parse_release_mode(release_mode, "release_mode")
        if norecompile is not None and not isinstance(norecompile, bool):
            from .errors import ZigSettingsError  # on error only: errors.py is not on the hit path
            raise ZigSettingsError(f"norecompile={norecompile!r} must be True, False or None")
        if quiet is not None and not isinstance(quiet, bool):
            from .errors import ZigSettingsError  # on error only: errors.py is not on the hit path
            raise ZigSettingsError(f"quiet={quiet!r} must be True, False or None")
        self.norecompile = norecompile
        self.quiet = quiet
        self.cache_dir = None if cache_dir is None else os.fspath(cache_dir)
        self.stubs = None if stubs is None else parse_stub_mode(stubs, "stubs")


_NO_OVERRIDES = Overrides()


def resolve(overrides: "Overrides | None") -> Settings:
    """Combine *overrides* (None: none given) with the current environment."""
    if overrides is None:
        overrides = _NO_OVERRIDES
    env = os.environ
    mode = overrides.release_mode
    if mode is None:
        raw = env.get(ENV_RELEASE_MODE, "")
        mode = parse_release_mode(raw, ENV_RELEASE_MODE) if raw else DEFAULT_RELEASE_MODE
    norecompile = overrides.norecompile
    if norecompile is None:
        norecompile = parse_flag(env.get(ENV_NORECOMPILE, ""), ENV_NORECOMPILE)
    quiet = overrides.quiet
    if quiet is None:
        quiet = parse_flag(env.get(ENV_QUIET, ""), ENV_QUIET)
    cache_dir = overrides.cache_dir or env.get(ENV_CACHE_DIR) or None
    raw_timeout = env.get(ENV_LOCK_TIMEOUT, "")
    timeout = parse_timeout(raw_timeout, ENV_LOCK_TIMEOUT) if raw_timeout else DEFAULT_LOCK_TIMEOUT
    stubs = overrides.stubs
    if stubs is None:
        raw_stubs = env.get(ENV_STUBS, "")
        stubs = parse_stub_mode(raw_stubs, ENV_STUBS) if raw_stubs else DEFAULT_STUB_MODE
    return Settings(mode, norecompile, quiet, cache_dir, timeout, stubs)
