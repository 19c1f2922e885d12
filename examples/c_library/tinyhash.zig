//! Python bindings for the vendored C library in vendor/: compiled with the module,
//! its header translated into the Zig module `c`-like import "tinyhash".
const py = @import("zig_core");
const th = @import("tinyhash");

const zigimport_build = .{
    .c_sources = .{.{ .path = "vendor/tinyhash.c", .flags = .{ "-O2", "-std=c99" } }},
    .include_dirs = .{"vendor"},
    .c_headers = .{ .tinyhash = "vendor/tinyhash.h" },
};

/// The version of the C library (a #define, translated to a Zig constant).
pub fn version() i64 {
    return th.TINYHASH_VERSION;
}

/// 64-bit FNV-1a of data.
pub fn fnv1a64(data: []const u8) u64 {
    return th.tinyhash_fnv1a64(data.ptr, data.len);
}

/// FNV-1a mixed with the library's compiled-in seed.
pub fn seeded(data: []const u8) u64 {
    return th.tinyhash_seeded(data.ptr, data.len);
}

/// libm's cube root: a system library linked by naming it on the extern, with no configuration.
pub fn cube_root(x: f64) f64 {
    return cbrt(x);
}
extern "m" fn cbrt(x: f64) f64;

comptime {
    py.module(@This());
}
