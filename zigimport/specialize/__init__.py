"""Specialise at compile time from Python: comptime parameters and ``@zetaclass``.

Imported only when the user calls ``zigimport.load``/``compiled``/``zetaclass``
(never on the plain import path).  Modules:

    zetaclass.py          @zetaclass: dataclass semantics (via dataclasses), the class body moved onto the native type
    zetaclass_codegen.py  a zetaclass's field spec -> the Zig source of its native type (zig_core/src/zetaclass.zig)
    generated.py          build and load a generated Zig source through the cache (Entry + loader.resolve)
"""
