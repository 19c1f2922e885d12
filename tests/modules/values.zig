//! Test module for the value conversions of docs/values.md.
const std = @import("std");
const py = @import("zig_core");

const C64 = std.math.Complex(f64);
const C32 = std.math.Complex(f32);

// ---- N-dimensional arrays ----

/// Sum of every element, whatever the memory order.
pub fn nd_sum(a: py.NDArray(f64)) f64 {
    var total: f64 = 0;
    return sumRec(a, 0, 0, &total);
}

fn sumRec(a: py.NDArray(f64), dim: usize, offset: isize, total: *f64) f64 {
    if (dim == a.ndim) {
        total.* += a.atOffset(offset);
        return total.*;
    }
    for (0..a.shape[dim]) |i| _ = sumRec(a, dim + 1, offset + @as(isize, @intCast(i)) * a.strides[dim], total);
    return total.*;
}

/// shape, strides (in elements), C- and Fortran-contiguity.
pub fn nd_info(alloc: std.mem.Allocator, a: py.NDArray(f64)) !struct { []const usize, []const isize, bool, bool } {
    return .{ try alloc.dupe(usize, a.shape), try alloc.dupe(isize, a.strides), a.isContiguous(), a.isFortranContiguous() };
}

/// a[i, j] of a 2-D array.
pub fn at2(a: py.NDArrayView(f64, .{ .ndim = 2 }), i: usize, j: usize) f64 {
    return a.at(.{ i, j });
}

/// Matrix trace (2-D, int32).
pub fn trace_i32(a: py.NDArrayView(i32, .{ .ndim = 2 })) i64 {
    var t: i64 = 0;
    for (0..@min(a.shape[0], a.shape[1])) |i| t += a.at(.{ i, i });
    return t;
}

/// a[i, j] = i * 10 + j, in place.
pub fn fill_index(a: py.NDArrayView(f64, .{ .ndim = 2, .writable = true })) void {
    for (0..a.shape[0]) |i| {
        for (0..a.shape[1]) |j| a.set(.{ i, j }, @floatFromInt(i * 10 + j));
    }
}

/// Scale every element of any writable array.
pub fn scale(a: py.NDArrayMut(f32), k: f32) void {
    if (a.flat()) |xs| {
        for (xs) |*x| x.* *= k;
        return;
    }
    scaleRec(a, 0, 0, k);
}

fn scaleRec(a: py.NDArrayMut(f32), dim: usize, offset: isize, k: f32) void {
    if (dim == a.ndim) {
        a.ptrAtOffset(offset).* *= k;
        return;
    }
    for (0..a.shape[dim]) |i| scaleRec(a, dim + 1, offset + @as(isize, @intCast(i)) * a.strides[dim], k);
}

/// Number of dimensions and elements of a complex array.
pub fn nd_complex(a: py.NDArray(C64)) struct { usize, usize } {
    return .{ a.ndim, a.len };
}

/// Keyword form: views, paths and sets as fields of the argument struct.
pub fn kw_views(args: struct { a: ?py.NDArray(f64) = null, p: ?py.Path = null, s: ?py.SetOf(i64) = null }) struct { f64, usize, i64 } {
    var total: f64 = 0;
    if (args.a) |a| {
        if (a.flat()) |xs| {
            for (xs) |x| total += x;
        }
    }
    var sum: i64 = 0;
    if (args.s) |s| {
        for (s.items) |x| sum += x;
    }
    return .{ total, if (args.p) |p| p.path.len else 0, sum };
}

// ---- complex ----

pub fn cmul(a: C64, b: C64) C64 {
    return a.mul(b);
}
pub fn conj32(a: C32) C32 {
    return a.conjugate();
}
pub fn csum(xs: []const C64) C64 {
    var t = C64.init(0, 0);
    for (xs) |x| t = t.add(x);
    return t;
}
pub fn cdouble(xs: []C64) void {
    for (xs) |*x| x.* = x.mul(C64.init(2, 0));
}
pub fn croots(alloc: std.mem.Allocator, n: usize) ![]C64 {
    const out = try alloc.alloc(C64, n);
    for (out, 0..) |*o, k| {
        const angle = 2 * std.math.pi * @as(f64, @floatFromInt(k)) / @as(f64, @floatFromInt(n));
        o.* = C64.init(@cos(angle), @sin(angle));
    }
    return out;
}

// ---- datetime ----

pub fn dt_id(d: py.DateTime) py.DateTime {
    return d;
}
pub fn dt_offset(d: py.DateTime) ?i32 {
    return d.utc_offset;
}
pub fn dt_fields(d: py.DateTime) struct { u16, u8, u8, u8, u8, u8, u32, u1 } {
    return .{ d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, d.fold };
}
pub fn dt_make(year: u16, month: u8, day: u8, offset: ?i32) py.DateTime {
    return .{ .year = year, .month = month, .day = day, .hour = 12, .utc_offset = offset };
}
pub fn date_id(d: py.Date) py.Date {
    return d;
}
pub fn next_day(d: py.Date) py.Date {
    return .{ .year = d.year, .month = d.month, .day = d.day + 1 };
}
pub fn time_id(t: py.Time) py.Time {
    return t;
}
pub fn td_id(t: py.TimeDelta) py.TimeDelta {
    return t;
}
pub fn td_micros(t: py.TimeDelta) i128 {
    return t.totalMicroseconds();
}
pub fn td_from_micros(us: i64) py.TimeDelta {
    return py.TimeDelta.fromMicroseconds(us);
}
pub fn dates_span(ds: []const py.Date) i64 {
    var lo: i64 = std.math.maxInt(i64);
    var hi: i64 = std.math.minInt(i64);
    for (ds) |d| {
        const v = @as(i64, d.year) * 400 + @as(i64, d.month) * 32 + d.day;
        lo = @min(lo, v);
        hi = @max(hi, v);
    }
    return hi - lo;
}

// ---- sets ----

pub fn set_sum(s: py.SetOf(i64)) i64 {
    var t: i64 = 0;
    for (s.items) |x| t += x;
    return t;
}
pub fn set_of_words(alloc: std.mem.Allocator, text: []const u8) !py.SetOf([]const u8) {
    var words: std.ArrayList([]const u8) = .empty;
    var it = std.mem.tokenizeScalar(u8, text, ' ');
    while (it.next()) |w| try words.append(alloc, w);
    return .{ .items = words.items };
}
pub fn frozen_evens(alloc: std.mem.Allocator, n: i64) !py.FrozenSetOf(i64) {
    const out = try alloc.alloc(i64, @intCast(n));
    for (out, 0..) |*o, i| o.* = @as(i64, @intCast(i)) * 2;
    return .{ .items = out };
}
pub fn set_lengths(alloc: std.mem.Allocator, s: py.SetOf([]const u8)) !py.SetOf(usize) {
    const out = try alloc.alloc(usize, s.items.len);
    for (out, s.items) |*o, w| o.* = w.len;
    return .{ .items = out };
}

// ---- paths ----

pub fn path_bytes(p: py.Path) py.Bytes {
    return .{ .data = p.path };
}
pub fn path_join(alloc: std.mem.Allocator, dir: py.Path, name: []const u8) !py.Path {
    return .{ .path = try std.fmt.allocPrintSentinel(alloc, "{s}/{s}", .{ dir.path, name }, 0) };
}
pub fn path_count(ps: []const py.Path) usize {
    return ps.len;
}

// ---- enums ----

pub const Color = enum { red, green, blue };
pub const Level = enum(u8) { low = 1, mid = 5, high = 10 };
pub const Flags = enum(u8) { a = 1, b = 2, _ };
pub const Colour = Color; // an alias shares the class

pub fn next_color(c: Color) Color {
    return switch (c) {
        .red => .green,
        .green => .blue,
        .blue => .red,
    };
}
pub fn level_up(l: Level) Level {
    return switch (l) {
        .low => .mid,
        .mid, .high => .high,
    };
}
pub fn flag(v: u8) Flags {
    return @enumFromInt(v);
}
/// `mro` cannot be a Python enum member: this enum stays names-as-str.
pub const Odd = enum { mro, fine };
pub fn odd(o: Odd) Odd {
    return if (o == .mro) .fine else .mro;
}
/// An enum that is not a module declaration: a class on first use, not a module attribute.
pub fn speed(fast: bool) enum { fast, slow } {
    return if (fast) .fast else .slow;
}
pub fn palette() [3]Color {
    return .{ .red, .green, .blue };
}

// ---- bug 8: []S (not only []const S) results ----

pub const Item = struct { name: []const u8, qty: i64 };
pub fn items(alloc: std.mem.Allocator, n: usize) ![]Item {
    const out = try alloc.alloc(Item, n);
    for (out, 0..) |*o, i| o.* = .{ .name = "item", .qty = @intCast(i) };
    return out;
}
pub fn names(alloc: std.mem.Allocator) ![][]const u8 {
    const out = try alloc.alloc([]const u8, 2);
    out[0] = "a";
    out[1] = "b";
    return out;
}

// ---- as class fields ----

pub const Event = py.class(struct {
    const Self = @This();
    when: py.DateTime,
    z: C64 = .{ .re = 0, .im = 0 },
    color: Color = .red,
    span: py.TimeDelta = .{},

    pub fn __init__(self: *Self, when: py.DateTime) void {
        self.* = .{ .when = when };
    }
});

comptime {
    py.module(@This());
}
