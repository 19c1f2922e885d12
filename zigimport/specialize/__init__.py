"""Specialise at compile time from Python: comptime parameters and ``@zetaclass``.

Imported only when the user calls ``zigimport.load``/``compiled``/``zetaclass``
(never on the plain import path).  Modules:

    (filled in by the modules of this package as they land)
"""
