"""Specialise at compile time from Python: comptime parameters and ``@zetaclass``.

Imported only when the user calls ``zigimport.load``/``compiled``/``zetaclass``
(never on the plain import path).  Modules:

    params.py        Python values -> the text of the generated Zig ``params`` module (the canonical
                     form that keys the cache); TypeError naming the field for an unsupported value
    compile_api.py   load, compiled, load_many, load_async; build_library, load_function, load_type
    zetaclass.py          @zetaclass: dataclass semantics (via dataclasses), the class body moved onto the native type
    zetaclass_codegen.py  a zetaclass's field spec -> the Zig source of its native type (zig_core/src/zetaclass.zig)
    generated.py          build and load a generated Zig source through the cache (Entry + loader.resolve)
"""
