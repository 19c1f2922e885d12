//! The smallest zigimport module: every `pub fn` becomes a Python function.
const py = @import("zig_core");

pub fn add(a: i64, b: i64) i64 {
    return a + b;
}

pub fn hypot(x: f64, y: f64) f64 {
    return @sqrt(x * x + y * y);
}

comptime {
    py.module(@This());
}
