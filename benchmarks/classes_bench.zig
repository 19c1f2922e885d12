//! The class timed by benchmarks/bench_classes.py: construction with keyword
//! arguments, a method call, and typed field attributes (get and set).
const std = @import("std");
const py = @import("zig_core");

/// A counter that advances by `step` on every bump().
pub const Counter = py.class(struct {
    const Self = @This();
    count: i64 = 0,
    step: i64 = 1,

    pub fn __init__(self: *Self, args: struct { start: i64 = 0, step: i64 = 1 }) void {
        self.* = .{ .count = args.start, .step = args.step };
    }

    /// Advance by `step`; return the new count.
    pub fn bump(self: *Self) i64 {
        self.count += self.step;
        return self.count;
    }
});

comptime {
    py.module(@This());
}
