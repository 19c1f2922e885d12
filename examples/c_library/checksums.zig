//! A system library through its header: zlib (needs zlib.h, from zlib1g-dev on Debian/Ubuntu).
const py = @import("zig_core");
const zlib = @import("zlib");

const zigimport_build = .{
    .link_system_libs = .{"z"},
    .c_headers = .{ .zlib = "zlib.h" },
};

/// zlib's CRC-32 of data (the same value as Python's zlib.crc32).
pub fn crc32(data: []const u8) u64 {
    return zlib.crc32(0, data.ptr, @intCast(data.len));
}

/// zlib's Adler-32 of data.
pub fn adler32(data: []const u8) u64 {
    return zlib.adler32(1, data.ptr, @intCast(data.len));
}

/// The version string of the zlib this module is linked with.
pub fn zlib_version() []const u8 {
    return std.mem.span(zlib.zlibVersion());
}

const std = @import("std");

comptime {
    py.module(@This());
}
