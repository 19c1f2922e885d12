//! Functions timed by benchmarks/bench_calls.py: per-call overhead of the
//! positional and keyword forms, a zero-copy float64 buffer, and str in/out.
const std = @import("std");
const py = @import("zig_core");

/// a + b (positional or keyword: METH_FASTCALL | METH_KEYWORDS).
pub fn add(a: i64, b: i64) i64 {
    return a + b;
}

/// a + b (positional-only: plain METH_FASTCALL).
pub fn add_po(a: i64, b: i64, _: py.PositionalOnly) i64 {
    return a + b;
}

/// The sum of every argument (`*rest` as py.Args; positional-only, so METH_FASTCALL like the C one).
pub fn sum_args(first: i64, _: py.PositionalOnly, rest: py.Args) !i64 {
    var t = first;
    for (0..rest.len()) |i| t = try std.math.add(i64, t, try rest.as(i64, i));
    return t;
}

/// The sum of the keyword values (`**kw` as py.Kwargs).
pub fn sum_kwargs(kw: py.Kwargs) !i64 {
    var t: i64 = 0;
    var it = kw.iterator();
    while (it.next()) |e| t = try std.math.add(i64, t, try e.as(i64));
    return t;
}

/// x limited to [lo, hi] (keyword arguments with defaults).
pub fn clamp(args: struct { x: f64, lo: f64 = 0, hi: f64 = 1 }) f64 {
    return @min(@max(args.x, args.lo), args.hi);
}

/// s in ASCII upper case (per-call arena; str in, str out).
pub fn shout(alloc: std.mem.Allocator, s: []const u8) ![]u8 {
    return std.ascii.allocUpperString(alloc, s);
}

/// The arithmetic mean of a C-contiguous float64 buffer (zero-copy).
pub fn mean(xs: []const f64) !f64 {
    if (xs.len == 0) return py.raise(.ValueError, "mean() of an empty buffer", .{});
    return sum(xs) / @as(f64, @floatFromInt(xs.len));
}

const lanes = 8;
const accumulators = 4;
const V = @Vector(lanes, f64);

/// Sum with `accumulators` independent vector sums (hides the add latency and
/// lets the compiler use full-width SIMD), combined pairwise, then a scalar tail.
/// Like numpy's pairwise sum, the additions are reordered relative to a plain
/// left-to-right loop, and the error grows much more slowly with length.
fn sum(xs: []const f64) f64 {
    const block = lanes * accumulators;
    var acc: [accumulators]V = @splat(@as(V, @splat(0)));
    var i: usize = 0;
    while (i + block <= xs.len) : (i += block) {
        const chunk: *const [block]f64 = xs[i..][0..block];
        inline for (0..accumulators) |k| {
            const v: V = chunk[k * lanes ..][0..lanes].*;
            acc[k] += v;
        }
    }
    var total_v: V = @splat(0);
    inline for (acc) |a| total_v += a;
    while (i + lanes <= xs.len) : (i += lanes) {
        const v: V = xs[i..][0..lanes].*;
        total_v += v;
    }
    var total: f64 = @reduce(.Add, total_v);
    for (xs[i..]) |x| total += x;
    return total;
}

comptime {
    py.module(@This());
}
