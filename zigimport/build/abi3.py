"""abi3: a module built against CPython's stable ABI, loadable by its minimum version and every later one.

The option is ``abi3 = true`` (minimum 3.11) or a minimum version ``"3.12"``: in a module's own
``zigimport_build`` declaration (``.abi3 = true``, build/config.py) or for a whole wheel
(``[tool.hatch.build.hooks.zigimport] abi3 = true``, integrations/hatch_hook.py).  zig_core then
calls only functions of that version's stable ABI and reads no version-specific layout
(zig_core/src/capi.zig ``limited_api``; src/limited_api.zig holds the stand-ins); docs/wheels.md
says what it costs.  Build path only.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from typing import TYPE_CHECKING

from ..errors import ZigSettingsError

if TYPE_CHECKING:
    from ..entry import Entry

__all__ = ["MINIMUM", "VALID", "parse", "minimum", "text", "check_interpreter"]

# Py_buffer (zig_core's buffers) joined the limited API in 3.11; METH_FASTCALL | METH_KEYWORDS in 3.10.
MINIMUM = (3, 11)
VALID = 'true (minimum 3.11), false, or a minimum version "3.11" or newer such as "3.12"'
_VERSION = re.compile(r"3\.(\d+)\Z")


def parse(value: object, where: str) -> tuple[int, int] | None:
    """The minimum version *value* asks for (None: not abi3); *where* names the option in errors.

    Raises :class:`~zigimport.ZigSettingsError` for anything but a bool or a ``"3.N"`` string with N >= 11."""
    if value is False or value is None:
        return None
    if value is True:
        return MINIMUM
    if isinstance(value, str) and (m := _VERSION.match(value.strip())) is not None:
        version = (3, int(m[1]))
        if version < MINIMUM:
            raise ZigSettingsError(f"{where} = {value!r}: abi3 needs a minimum of 3.11 or newer: Py_buffer, which zig_core's "
                                   f"buffers use, joined the limited API in 3.11; valid values: {VALID}")
        return version
    raise ZigSettingsError(f"{where} = {value!r}: expected {VALID}")


def text(version: tuple[int, int]) -> str:
    """``"3.11"``."""
    return f"{version[0]}.{version[1]}"


def check_interpreter(version: tuple[int, int], where: str) -> None:
    """Refuse an abi3 build this interpreter cannot make: older than the minimum (the binary would not load here,
    and its stubs and checks need it), or free-threaded (no stable ABI before 3.15)."""
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        raise ZigSettingsError(f"{where}: a free-threaded CPython has no stable ABI (abi3) before 3.15; "
                               f"build abi3 wheels with a regular (GIL) build of {text(version)}")
    if sys.version_info[:2] < version:
        raise ZigSettingsError(f"{where} = {text(version)!r}: this interpreter is {sys.version_info[0]}.{sys.version_info[1]}, "
                               f"older than the abi3 minimum; build with CPython {text(version)} (or lower the minimum)")


def minimum(entry: Entry, declared: tuple[int, int] | None) -> tuple[int, int] | None:
    """The abi3 minimum *entry* is built for: the entry's own (a wheel's) or the one its module *declared*
    (its ``zigimport_build``), the higher one; None for a version-specific build."""
    given = None if entry.abi3 is None else parse(entry.abi3, "abi3")
    found = [v for v in (declared, given) if v is not None]
    if not found:
        return None
    version = max(found)
    where = f"{entry.source}: zigimport_build.abi3" if version == declared else f"abi3 of {entry.fullname}"
    check_interpreter(version, where)
    return version
