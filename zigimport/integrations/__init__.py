"""zigimport in other tools: Zig tests in pytest (``pytest_plugin``) and without it (``zig_tests``).

Nothing here is imported by ``import zigimport``; pytest loads the plugin through its ``pytest11``
entry point.
"""
