//! fastpkg's numeric kernels.
const py = @import("zig_core");

/// The sum of the squares of xs.
pub fn sum_squares(xs: []const f64) f64 {
    var total: f64 = 0;
    for (xs) |x| total += x * x;
    return total;
}

/// Which version of this file was compiled (the editable-install tests edit it).
pub fn version() i64 {
    return 1;
}

comptime {
    py.module(@This());
}
