"""Types for annotating code that calls zigimport modules (the generated stubs use them too).

``BufferLike`` is what a Zig buffer parameter (``[]const f64``, ``[]u8``, ``py.Bytes``, ...)
accepts: any object with the buffer protocol.  On Python 3.12+ that is
``collections.abc.Buffer`` (PEP 688).  Before 3.12 type checkers see the protocol
only where a stub declares ``__buffer__``: typeshed does so for ``bytes``,
``bytearray``, ``memoryview`` and ``array.array``, but numpy declares it only for
3.12+, so on 3.10/3.11 ``BufferLike`` is also ``numpy.ndarray`` (when numpy is
installed).

Use it in annotations.  At run time it is ``collections.abc.Buffer`` on 3.12+ and
``object`` before (there is no runtime check for the buffer protocol there);
importing this module loads neither numpy nor typing_extensions.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # mypy reads it as True; importing `typing` for it would cost more than this module
if TYPE_CHECKING:
    from typing import Any, TypeAlias, Union

    if sys.version_info >= (3, 12):
        from collections.abc import Buffer

        BufferLike: TypeAlias = Buffer
    else:
        import numpy  # type: ignore[import-not-found, unused-ignore]
        from typing_extensions import Buffer

        BufferLike: TypeAlias = Union[Buffer, numpy.ndarray[Any, Any]]
elif sys.version_info >= (3, 12):
    from collections.abc import Buffer as BufferLike
else:
    BufferLike = object  # for annotations only: before 3.12 there is no runtime check for the buffer protocol

__all__ = ["BufferLike"]
