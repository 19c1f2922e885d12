//! Signatures like Python's: keywords by Zig name, positional-only and keyword-only
//! parameters, *args and **kwargs (tests/test_signatures.py).
const std = @import("std");
const py = @import("zig_core");

pub fn add(a: i64, b: i64) i64 {
    return a + b;
}

/// Positional-only, like `def add_po(a, b, /)`.
pub fn add_po(a: i64, b: i64, _: py.PositionalOnly) i64 {
    return a + b;
}

/// Mixed: `(a, /, b, c=None)`.
pub fn mixed(a: i64, _: py.PositionalOnly, b: i64, c: ?i64) i64 {
    return a * 100 + b * 10 + (c orelse 0);
}

/// Plain parameters, then keyword-only ones: `(x, *, y=42.0, scale=1.0)`.
pub fn kwonly(x: f64, opts: struct { y: f64 = 42.0, scale: f64 = 1.0 }) f64 {
    return (x + opts.y) * opts.scale;
}

/// A required keyword-only field: `(x, *, y)`.
pub fn need_y(x: i64, opts: struct { y: i64 }) i64 {
    return x - opts.y;
}

/// The struct alone: positional-or-keyword fields.
pub fn clamp(args: struct { x: f64, lo: f64 = 0, hi: f64 = 1 }) f64 {
    return @min(@max(args.x, args.lo), args.hi);
}

/// *args: `(first, *rest)`.
pub fn total(first: i64, rest: py.Args) !i64 {
    var t = first;
    for (0..rest.len()) |i| t += try rest.as(i64, i);
    return t;
}

/// *args only, counted.
pub fn count(items: py.Args) usize {
    var it = items.iterator();
    var n: usize = 0;
    while (it.next()) |_| n += 1;
    return n;
}

/// *args then a keyword-only plain parameter: `(*values, sep)`.
pub fn joined(alloc: std.mem.Allocator, values: py.Args, sep: []const u8) ![]u8 {
    var out: std.ArrayList(u8) = .empty;
    for (0..values.len()) |i| {
        if (i > 0) try out.appendSlice(alloc, sep);
        try out.print(alloc, "{d}", .{try values.as(i64, i)});
    }
    return out.toOwnedSlice(alloc);
}

/// Text items are borrowed: `(*words)`.
pub fn shout_all(alloc: std.mem.Allocator, words: py.Args) ![]u8 {
    var out: std.ArrayList(u8) = .empty;
    for (0..words.len()) |i| {
        for (try words.as([]const u8, i)) |ch| try out.append(alloc, std.ascii.toUpper(ch));
    }
    return out.toOwnedSlice(alloc);
}

/// **kwargs as a dict: `(a, **kw)`.
pub fn collect(a: i64, kw: py.Kwargs) !struct { i64, py.Owned } {
    return .{ a, try kw.toDict() };
}

/// **kwargs read one by one: `(**options)`.
pub fn get_option(options: py.Kwargs) !i64 {
    if (options.get("verbose")) |v| return @intFromBool(v.isNone());
    return try options.as(i64, "level") orelse -1;
}

/// Sum of the kwargs' values and their count.
pub fn kw_sum(kw: py.Kwargs) !struct { usize, i64 } {
    var it = kw.iterator();
    var t: i64 = 0;
    while (it.next()) |e| {
        _ = try e.name();
        t += try e.as(i64);
    }
    return .{ kw.len(), t };
}

/// Everything: `(a, /, b, *rest, c=1, **extra)`.
pub fn everything(a: i64, _: py.PositionalOnly, b: i64, rest: py.Args, opts: struct { c: i64 = 1 }, extra: py.Kwargs) struct { i64, i64, usize, i64, usize } {
    return .{ a, b, rest.len(), opts.c, extra.len() };
}

/// A positional-only name passed as keyword lands in **kwargs, as in Python.
pub fn po_kwargs(a: i64, _: py.PositionalOnly, kw: py.Kwargs) !struct { i64, py.Owned } {
    return .{ a, try kw.toDict() };
}

/// A named struct parameter is a record (tuple or dict), not keywords.
pub const Point = struct { x: f64, y: f64 };
pub fn norm(p: Point) f64 {
    return @sqrt(p.x * p.x + p.y * p.y);
}

/// Parameter names clashing with declarations: a trailing `_` is dropped for Python.
pub fn num() i64 {
    return 7;
}
pub fn scaled(num_: i64, type_: []const u8) !i64 {
    return num_ * @as(i64, @intCast(type_.len));
}

/// Names that are Python keywords keep (or get) PEP 8's trailing `_`.
pub fn span(from_: i64, to: i64, is: bool) i64 {
    return if (is) to - from_ else 0;
}

/// Three required parameters, for the "missing 2 ... 'b' and 'c'" message.
pub fn three(a: i64, b: i64, c: i64) i64 {
    return a + b + c;
}

/// Methods and __init__ get the same rules.
pub const Greeter = py.class(struct {
    const Self = @This();
    loud: bool = false,
    times: i64 = 1,

    pub fn __init__(self: *Self, times: i64, opts: struct { loud: bool = false }) void {
        self.* = .{ .times = times, .loud = opts.loud };
    }
    /// `(self, a, /, *rest, **kw)`
    pub fn tally(self: *Self, a: i64, _: py.PositionalOnly, rest: py.Args, kw: py.Kwargs) struct { i64, usize, usize } {
        return .{ a * self.times, rest.len(), kw.len() };
    }
    pub fn scale(self: *const Self, by: i64, opts: struct { offset: i64 = 0 }) i64 {
        return self.times * by + opts.offset;
    }
    pub fn make(cls: py.Type, times: i64) !py.Owned {
        return cls.call(.{times});
    }
});

comptime {
    py.module(@This());
}
