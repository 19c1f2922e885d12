//! benchmarks/bench_values.py: conversions of docs/values.md, each against a Python baseline.
const std = @import("std");
const py = @import("zig_core");

pub fn dt_fields(d: py.DateTime) struct { u16, u8, u8, u8, u8, u8, u32 } {
    return .{ d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond };
}
pub fn dt_id(d: py.DateTime) py.DateTime {
    return d;
}
pub fn sum2(a: py.NDArrayView(f64, .{ .ndim = 2 })) f64 {
    var t: f64 = 0;
    for (0..a.shape[0]) |i| {
        const row = a.offset(.{ i, 0 });
        for (0..a.shape[1]) |j| t += a.atOffset(row + @as(isize, @intCast(j)) * a.strides[1]);
    }
    return t;
}
pub fn ndim_of(a: py.NDArray(f64)) usize {
    return a.ndim;
}
pub const Color = enum { red, green, blue };
pub fn next_color(c: Color) Color {
    return switch (c) {
        .red => .green,
        .green => .blue,
        .blue => .red,
    };
}
pub fn cmul(a: std.math.Complex(f64), b: std.math.Complex(f64)) std.math.Complex(f64) {
    return a.mul(b);
}
pub fn path_len(p: py.Path) usize {
    return p.path.len;
}
pub fn set_sum(s: py.SetOf(i64)) i64 {
    var t: i64 = 0;
    for (s.items) |x| t += x;
    return t;
}

comptime {
    py.module(@This());
}
