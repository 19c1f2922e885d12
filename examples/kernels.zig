//! Numeric kernels over float64 buffers (numpy arrays, array.array, memoryview), zero-copy.
const std = @import("std");
const py = @import("zig_core");

const lanes = 8;
const V = @Vector(lanes, f64);

/// Sum of the values, eight lanes at a time.
pub fn total(xs: []const f64) f64 {
    var acc: [4]V = @splat(@as(V, @splat(0)));
    var i: usize = 0;
    while (i + 4 * lanes <= xs.len) : (i += 4 * lanes) {
        inline for (0..4) |k| acc[k] += @as(V, xs[i + k * lanes ..][0..lanes].*);
    }
    var sum = @reduce(.Add, (acc[0] + acc[1]) + (acc[2] + acc[3]));
    while (i < xs.len) : (i += 1) sum += xs[i];
    return sum;
}

/// Arithmetic mean; ValueError for an empty input.
pub fn mean(xs: []const f64) !f64 {
    if (xs.len == 0) return py.raise(.ValueError, "mean of an empty sequence", .{});
    return total(xs) / @as(f64, @floatFromInt(xs.len));
}

/// Sample variance (Welford's algorithm: one pass, numerically stable).
pub fn variance(xs: []const f64) !f64 {
    if (xs.len < 2) return py.raise(.ValueError, "variance needs at least 2 values, got {d}", .{xs.len});
    // Shifted by the first value: for values close together (large mean, small spread, where
    // cancellation would cost most digits) the differences are exact; variance is shift-invariant.
    const shift = xs[0];
    var m: f64 = 0;
    var s: f64 = 0;
    for (xs, 1..) |x, k| {
        const d = (x - shift) - m;
        m += d / @as(f64, @floatFromInt(k));
        s += d * ((x - shift) - m);
    }
    return s / @as(f64, @floatFromInt(xs.len - 1));
}

/// Write the mean of each `window` consecutive values of xs into out (len(xs) - window + 1 values).
pub fn rolling_mean(xs: []const f64, out: []f64, window: usize) !void {
    if (window == 0 or window > xs.len) return py.raise(.ValueError, "window must be in 1..{d}, got {d}", .{ xs.len, window });
    if (out.len != xs.len - window + 1) return py.raise(.ValueError, "out must have {d} values, got {d}", .{ xs.len - window + 1, out.len });
    const w: f64 = @floatFromInt(window);
    var sum = total(xs[0..window]);
    out[0] = sum / w;
    for (window..xs.len, 1..) |i, j| {
        sum += xs[i] - xs[i - window];
        out[j] = sum / w;
    }
}

/// Clamp every value into [lo, hi], in place.
pub fn clip(args: struct { xs: []f64, lo: f64 = 0, hi: f64 = 1 }) !void {
    if (args.lo > args.hi) return py.raise(.ValueError, "lo ({d}) must not exceed hi ({d})", .{ args.lo, args.hi });
    for (args.xs) |*x| x.* = @min(@max(x.*, args.lo), args.hi);
}

comptime {
    py.module(@This());
}
