//! A fixed-size window over a stream of samples, with running statistics.
const std = @import("std");
const py = @import("zig_core");

/// The last `capacity` samples of a stream, with O(1) mean and standard deviation.
pub const Window = py.class(struct {
    const Self = @This();
    _values: []f64,
    _head: usize = 0,
    _sum: f64 = 0,
    _sum_sq: f64 = 0,
    len: usize = 0,
    pub const __readonly__ = .{"len"};

    pub fn __init__(self: *Self, capacity: usize) !void {
        if (capacity == 0) return py.raise(.ValueError, "capacity must be positive", .{});
        self.* = .{ ._values = try py.allocator.alloc(f64, capacity) };
        @memset(self._values, 0);
    }

    pub fn deinit(self: *Self) void {
        py.allocator.free(self._values);
    }

    /// Add one sample, dropping the oldest once the window is full.
    pub fn push(self: *Self, x: f64) void {
        if (self.len == self._values.len) {
            const old = self._values[self._head];
            self._sum -= old;
            self._sum_sq -= old * old;
        } else {
            self.len += 1;
        }
        self._values[self._head] = x;
        self._sum += x;
        self._sum_sq += x * x;
        self._head = (self._head + 1) % self._values.len;
    }

    /// Add every sample of a float64 buffer (a numpy array is read without copying).
    pub fn extend(self: *Self, xs: []const f64) void {
        for (xs) |x| self.push(x);
    }

    pub fn mean(self: *const Self) !f64 {
        if (self.len == 0) return py.raise(.ValueError, "the window is empty", .{});
        return self._sum / @as(f64, @floatFromInt(self.len));
    }

    /// Population standard deviation of the samples in the window.
    pub fn stdev(self: *const Self) !f64 {
        const m = try self.mean();
        return @sqrt(@max(self._sum_sq / @as(f64, @floatFromInt(self.len)) - m * m, 0));
    }

    pub fn __len__(self: *const Self) usize {
        return self.len;
    }

    pub fn __repr__(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "Window(len={d}, capacity={d})", .{ self.len, self._values.len });
    }

    /// The storage itself (in ring order): numpy.asarray(window) is a live view.
    pub fn __buffer__(self: *Self) []f64 {
        return self._values[0..self.len];
    }
});

comptime {
    py.module(@This());
}
