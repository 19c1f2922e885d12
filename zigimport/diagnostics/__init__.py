"""Error-path helpers: imported only when a Zig error reaches Python (never on an import).

``zig_trace`` turns the raw return addresses of a Zig error return trace
into ``file:line:column in function`` lines, reading the binary with ``elf``.
"""
