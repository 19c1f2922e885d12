//! Constants, hidden functions, submodules and exceptions (tests/test_module_contents.py).
const std = @import("std");
const py = @import("zig_core");

// ---- constants ----

pub const VERSION = "1.0";
pub const __version__ = VERSION;
pub const N: i64 = 5;
pub const BIG = 1 << 100;
pub const NEGATIVE = -7;
pub const RATIO = 0.25;
pub const SMALL: f32 = 1.5;
pub const FLAG = true;
pub const PAIR = .{ 1, "a", 2.5 };
pub const PRIMES = [_]u32{ 2, 3, 5, 7 };
pub const NAMES = [_][]const u8{ "x", "y" };
pub const MODE = .fast;
pub const MAGIC = py.Bytes{ .data = "\x89PNG" };
pub const NOTHING: ?i64 = null;
pub const SOMETHING: ?i64 = 3;

// Zig-only: types, a struct value, imports, a var, an allocator, a function pointer.
pub const Point = struct { x: i64, y: i64 };
pub const ORIGIN = Point{ .x = 0, .y = 0 };
pub const math = std.math;
pub var calls: i64 = 0;
pub const page = std.heap.page_allocator;
pub const callback: *const fn () void = &nothing;
fn nothing() void {}

// ---- a pub fn other Zig files use, kept out of Python ----

pub const __exclude__ = .{ "scaleInPlace", .HIDDEN }; // a name as a string or an enum literal
pub const HIDDEN = 99;

pub fn scaleInPlace(xs: *[3]f64, k: f64) void {
    for (xs) |*x| x.* *= k;
}

pub fn scaled(k: f64) [3]f64 {
    var xs = [3]f64{ 1, 2, 3 };
    scaleInPlace(&xs, k);
    calls += 1;
    return xs;
}

// ---- exceptions ----

/// Raised when text is not a number.
pub const ParseError = py.exception(.ValueError, "Raised when text is not a number.");
pub const EmptyInput = py.exception(.ParseError, null);
pub const KeyError = py.exception(.KeyError, "Shadows the builtin name; derives from it.");

pub fn parse(s: []const u8) !i64 {
    if (s.len == 0) return error.EmptyInput;
    return std.fmt.parseInt(i64, s, 10) catch return error.ParseError;
}

pub fn parseStrict(s: []const u8) !i64 {
    return std.fmt.parseInt(i64, s, 10) catch py.raise(.ParseError, "not a number: '{s}'", .{s});
}

pub fn shadowed() !void {
    return error.KeyError;
}

pub fn unnamed() !void {
    return error.SomethingElse;
}

// ---- submodules ----

/// Linear algebra.
pub const linalg = py.submodule(struct {
    pub const DIM = 3;
    pub const SingularError = py.exception(.ArithmeticError, "The matrix is singular.");
    pub const Degenerate = py.exception(.ParseError, null);

    /// The dot product of a and b.
    pub fn dot(a: []const f64, b: []const f64) f64 {
        var t: f64 = 0;
        for (a, b) |x, y| t += x * y;
        return t;
    }

    pub fn inverse(x: f64) !f64 {
        if (x == 0) return error.SingularError;
        return 1 / x;
    }

    pub fn degenerate() !void {
        return error.Degenerate;
    }

    pub const sparse = py.submodule(struct {
        //! Sparse things.
        pub fn nnz(xs: []const f64) usize {
            var n: usize = 0;
            for (xs) |x| n += @intFromBool(x != 0);
            return n;
        }
    });
});

comptime {
    py.module(@This());
}
