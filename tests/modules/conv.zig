//! Every conversion zig_core supports, for tests/test_conversions.py.
const std = @import("std");
const py = @import("zig_core");

// ---- integers, floats, bools ----
pub fn id_i8(x: i8) i8 {
    return x;
}
pub fn id_u8(x: u8) u8 {
    return x;
}
pub fn id_i16(x: i16) i16 {
    return x;
}
pub fn id_u16(x: u16) u16 {
    return x;
}
pub fn id_i32(x: i32) i32 {
    return x;
}
pub fn id_u32(x: u32) u32 {
    return x;
}
pub fn id_i64(x: i64) i64 {
    return x;
}
pub fn id_u64(x: u64) u64 {
    return x;
}
pub fn id_i128(x: i128) i128 {
    return x;
}
pub fn id_u128(x: u128) u128 {
    return x;
}
pub fn id_i256(x: i256) i256 {
    return x;
}
pub fn id_u1(x: u1) u1 {
    return x;
}
pub fn id_i7(x: i7) i7 {
    return x;
}
pub fn id_usize(x: usize) usize {
    return x;
}
pub fn id_f32(x: f32) f32 {
    return x;
}
pub fn id_f64(x: f64) f64 {
    return x;
}
pub fn id_bool(x: bool) bool {
    return x;
}
pub fn negate(x: bool) bool {
    return !x;
}

// ---- strings and bytes ----
pub fn echo(s: []const u8) []const u8 {
    return s;
}
pub fn echo_z(s: [:0]const u8) usize {
    return std.mem.len(s.ptr);
}
pub fn length(s: []const u8) usize {
    return s.len;
}
pub fn as_bytes(s: []const u8) py.Bytes {
    return .{ .data = s };
}
pub fn bytes_len(b: py.Bytes) usize {
    return b.data.len;
}
pub fn invalid_utf8() []const u8 {
    return "ab\xffcd";
}
pub fn literal() *const [5:0]u8 {
    return "hello";
}
pub fn upper_in_place(buf: []u8) void {
    for (buf) |*ch| ch.* = std.ascii.toUpper(ch.*);
}
pub fn repeat(alloc: std.mem.Allocator, s: []const u8, n: usize) ![]u8 {
    var out: std.ArrayList(u8) = .empty;
    for (0..n) |_| try out.appendSlice(alloc, s);
    return out.toOwnedSlice(alloc);
}

// ---- optionals, void ----
pub fn maybe_double(x: ?i64) ?i64 {
    return if (x) |v| v * 2 else null;
}
/// The second argument may be left out (it defaults to None).
pub fn add_maybe(a: i64, b: ?i64) i64 {
    return a + (b orelse 100);
}
pub fn nothing() void {}

// ---- tuples, records, arrays, enums ----
pub const Stats = struct { mean: f64, count: usize, name: []const u8 };
pub const Point = struct { x: f64, y: f64 };
pub const Color = enum { red, green, blue };

pub fn divmod(a: i64, b: i64) !struct { i64, i64 } {
    if (b == 0) return error.ZeroDivisionError;
    return .{ @divFloor(a, b), @mod(a, b) };
}
pub fn stats(xs: []const f64) Stats {
    var total: f64 = 0;
    for (xs) |x| total += x;
    return .{ .mean = if (xs.len == 0) 0 else total / @as(f64, @floatFromInt(xs.len)), .count = xs.len, .name = "stats" };
}
/// A named struct parameter: one record (a tuple or a dict).
pub fn norm(p: Point) f64 {
    return @sqrt(p.x * p.x + p.y * p.y);
}
pub fn shift(p: Point, dx: f64) Point {
    return .{ .x = p.x + dx, .y = p.y };
}
pub fn dot3(a: [3]f64, b: [3]f64) f64 {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
pub fn pair(t: struct { i64, []const u8 }) struct { []const u8, i64 } {
    return .{ t[1], t[0] };
}
pub fn next_color(c: Color) Color {
    return switch (c) {
        .red => .green,
        .green => .blue,
        .blue => .red,
    };
}
pub fn join(alloc: std.mem.Allocator, parts: []const []const u8, sep: []const u8) ![]u8 {
    return std.mem.join(alloc, sep, parts);
}
pub fn lengths(alloc: std.mem.Allocator, words: []const []const u8) ![]usize {
    const out = try alloc.alloc(usize, words.len);
    for (words, out) |w, *o| o.* = w.len;
    return out;
}

// ---- keyword form ----
pub fn kw(args: struct { a: i64, b: f64 = 2.5, c: bool = true, d: ?[]const u8 = null, color: Color = .red }) struct { i64, f64, bool, ?[]const u8, Color } {
    return .{ args.a, args.b, args.c, args.d, args.color };
}

// ---- buffers ----
pub fn sum_f64(xs: []const f64) f64 {
    var t: f64 = 0;
    for (xs) |x| t += x;
    return t;
}
pub fn sum_f32(xs: []const f32) f64 {
    var t: f64 = 0;
    for (xs) |x| t += x;
    return t;
}
pub fn sum_i32(xs: []const i32) i64 {
    var t: i64 = 0;
    for (xs) |x| t += x;
    return t;
}
pub fn sum_u16(xs: []const u16) u64 {
    var t: u64 = 0;
    for (xs) |x| t += x;
    return t;
}
pub fn sum_i64(xs: []const i64) i64 {
    var t: i64 = 0;
    for (xs) |x| t += x;
    return t;
}
pub fn count_true(xs: []const bool) usize {
    var n: usize = 0;
    for (xs) |x| n += @intFromBool(x);
    return n;
}
pub fn fill(xs: []f64, v: f64) void {
    for (xs) |*x| x.* = v;
}
pub fn first_two(xs: []const f64) [2]f64 {
    return .{ xs[0], xs[1] };
}

// ---- objects ----
pub fn identity(o: py.Object) py.Object {
    return o;
}
pub fn type_name(o: py.Object) !py.Owned {
    const t = try o.getAttr("__class__");
    defer t.deinit();
    return t.borrow().getAttr("__name__");
}
pub fn call_with(f: py.Object, x: i64) !py.Owned {
    return f.call(.{ x, "zig" });
}
pub fn sqrt_via_math(x: f64) !f64 {
    const math = try py.import("math");
    defer math.deinit();
    const sqrt = try math.borrow().getAttr("sqrt");
    defer sqrt.deinit();
    const r = try sqrt.borrow().call(.{x});
    defer r.deinit();
    return r.borrow().as(f64);
}

// ---- errors ----
pub fn fail(name: []const u8) !void {
    const map = .{
        .{ "ValueError", error.ValueError },     .{ "KeyError", error.KeyError },
        .{ "IndexError", error.IndexError },     .{ "ZeroDivisionError", error.ZeroDivisionError },
        .{ "OutOfMemory", error.OutOfMemory },   .{ "Overflow", error.Overflow },
        .{ "FileNotFound", error.FileNotFound }, .{ "AccessDenied", error.AccessDenied },
        .{ "EndOfStream", error.EndOfStream },   .{ "InvalidCharacter", error.InvalidCharacter },
        .{ "InvalidInput", error.InvalidInput },
    };
    inline for (map) |entry| {
        if (std.mem.eql(u8, name, entry[0])) return entry[1];
    }
}
pub fn check_positive(x: i64) !i64 {
    if (x <= 0) return py.raise(.ValueError, "x must be positive, got {d}", .{x});
    return x;
}
fn parse_digit(ch: u8) !u8 {
    if (ch < '0' or ch > '9') return error.InvalidInput;
    return ch - '0';
}
fn parse_all(s: []const u8) !u64 {
    var v: u64 = 0;
    for (s) |ch| v = v * 10 + try parse_digit(ch);
    return v;
}
pub fn parse(s: []const u8) !u64 {
    return parse_all(s);
}

// ---- memory ----
pub fn python_allocator_roundtrip(n: usize) !usize {
    const buf = try py.allocator.alloc(u64, n);
    defer py.allocator.free(buf);
    for (buf, 0..) |*b, i| b.* = i;
    const big = try py.allocator.alignedAlloc(u8, .@"64", n + 1);
    defer py.allocator.free(big);
    std.debug.assert(@intFromPtr(big.ptr) % 64 == 0);
    var total: usize = 0;
    for (buf) |b| total += b;
    return total;
}

comptime {
    py.module(@This());
}
