//! The zig_core contract from the README, as a module (fuzzed by tests/test_properties.py).
const std = @import("std");
const py = @import("zig_core");

/// Add two integers (OverflowError if the sum does not fit in i64).
pub fn add(a: i64, b: i64) !i64 {
    // `a + b` would be a safety panic in Debug/ReleaseSafe, which ends the process:
    // inputs come from Python, so overflow is an error, not a bug.
    return std.math.add(i64, a, b);
}

/// Clamp x into [lo, hi].
pub fn clamp(args: struct { x: f64, lo: f64 = 0, hi: f64 = 1 }) f64 {
    return @min(@max(args.x, args.lo), args.hi);
}

pub fn shout(alloc: std.mem.Allocator, s: []const u8) ![]u8 {
    return std.ascii.allocUpperString(alloc, s);
}

pub fn safe_div(a: f64, b: f64) !f64 {
    if (b == 0) return error.ZeroDivisionError;
    return a / b;
}

pub fn mean(xs: []const f64) !f64 {
    if (xs.len == 0) return error.ValueError;
    var total: f64 = 0;
    for (xs) |x| total += x;
    return total / @as(f64, @floatFromInt(xs.len));
}

pub fn scale(xs: []f64, k: f64) void {
    for (xs) |*x| x.* *= k;
}

comptime {
    py.module(@This());
}
