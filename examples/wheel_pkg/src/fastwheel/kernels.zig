//! fastwheel's kernels.
const py = @import("zig_core");

/// The sum of the squares of xs.
pub fn sum_squares(xs: []const f64) f64 {
    var total: f64 = 0;
    for (xs) |x| total += x * x;
    return total;
}

/// n! (an error past 20!, which overflows i64).
pub fn factorial(n: u8) !i64 {
    var r: i64 = 1;
    var i: i64 = 2;
    while (i <= n) : (i += 1) r = try std.math.mul(i64, r, i);
    return r;
}

const std = @import("std");

comptime {
    py.module(@This());
}
