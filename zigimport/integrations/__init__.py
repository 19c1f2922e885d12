"""Tools around the import hook: the command line, notebooks, Zig tests in pytest (each imported only when used).

Nothing here is imported by ``import zigimport``; pytest loads the plugin through its ``pytest11``
entry point.
"""
