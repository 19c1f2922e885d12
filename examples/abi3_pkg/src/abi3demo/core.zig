//! abi3demo.core: what the stable-ABI build covers, in one module.
const std = @import("std");
const py = @import("zig_core");

/// a + b (positional or keyword).
pub fn add(a: i64, b: i64) i64 {
    return a + b;
}

/// x limited to [lo, hi] (keyword arguments with defaults).
pub fn clamp(args: struct { x: f64, lo: f64 = 0, hi: f64 = 1 }) f64 {
    return @min(@max(args.x, args.lo), args.hi);
}

/// The sum of a float64 buffer (zero-copy: bytes-like, array.array('d'), numpy).
pub fn total(xs: []const f64) f64 {
    var t: f64 = 0;
    for (xs) |x| t += x;
    return t;
}

/// Double every item of a writable float64 buffer in place.
pub fn double_in_place(xs: []f64) void {
    for (xs) |*x| x.* *= 2;
}

/// s in upper case (str in, str out).
pub fn shout(alloc: std.mem.Allocator, s: []const u8) ![]u8 {
    return std.ascii.allocUpperString(alloc, s);
}

/// The items of a list or tuple of ints, summed.
pub fn sum_list(xs: []const i64) i64 {
    var t: i64 = 0;
    for (xs) |x| t += x;
    return t;
}

/// (a, b) swapped; a dict of the two by name.
pub fn swap(a: i64, b: []const u8) struct { []const u8, i64 } {
    return .{ b, a };
}

/// n! (OverflowError past 20!).
pub fn factorial(n: u8) !i64 {
    var r: i64 = 1;
    var i: i64 = 2;
    while (i <= n) : (i += 1) r = std.math.mul(i64, r, i) catch return py.raise(.OverflowError, "{d}! does not fit in 64 bits", .{n});
    return r;
}

/// Raised by parse_level for a level out of range.
pub const LevelError = py.exception(.ValueError, "A level outside 0..9.");

/// The digit s names, or LevelError.
pub fn parse_level(s: []const u8) !u8 {
    const v = std.fmt.parseInt(u8, s, 10) catch return py.raise(.ValueError, "not a number: {s}", .{s});
    if (v > 9) return py.raise(.LevelError, "level {d} is above 9", .{v});
    return v;
}

/// A 2-D vector.
pub const Vec = py.class(struct {
    const Self = @This();
    x: f64,
    y: f64,

    pub fn __init__(self: *Self, x: f64, y: f64) void {
        self.* = .{ .x = x, .y = y };
    }
    /// self scaled by k.
    pub fn scaled(self: *const Self, k: f64) Self {
        return .{ .x = self.x * k, .y = self.y * k };
    }
    pub fn __add__(self: Self, other: *const Self) Self {
        return .{ .x = self.x + other.x, .y = self.y + other.y };
    }
    pub fn __eq__(self: Self, other: *const Self) bool {
        return self.x == other.x and self.y == other.y;
    }
    pub fn __hash__(self: Self) u64 {
        return @as(u64, @bitCast(self.x)) *% 31 +% @as(u64, @bitCast(self.y));
    }
    pub fn __repr__(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "Vec({d}, {d})", .{ self.x, self.y });
    }
    /// The vector's length (read-only).
    pub const length = py.property(getLength, null);
    fn getLength(self: *const Self) f64 {
        return @sqrt(self.x * self.x + self.y * self.y);
    }
    pub fn zero() Self {
        return .{ .x = 0, .y = 0 };
    }
});

/// A fixed block of float64 samples exposed through the buffer protocol.
pub const Samples = py.class(struct {
    const Self = @This();
    data: [4]f64 = .{ 1, 2, 3, 4 },

    pub fn __buffer__(self: *Self) []f64 {
        return &self.data;
    }
});

comptime {
    py.module(@This());
}
