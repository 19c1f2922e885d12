//! The smallest zigimport module: every `pub fn` becomes a Python function.
const std = @import("std");
const py = @import("zig_core");

/// a + b; OverflowError if the sum does not fit in 64 bits.
pub fn add(a: i64, b: i64) !i64 {
    return std.math.add(i64, a, b);
}

/// The length of the vector (x, y).
pub fn hypot(x: f64, y: f64) f64 {
    return @sqrt(x * x + y * y);
}

comptime {
    py.module(@This());
}
