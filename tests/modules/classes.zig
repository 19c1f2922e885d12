//! Classes, the GIL and callbacks, for tests/test_classes.py.
const std = @import("std");
const py = @import("zig_core");

/// A counter that steps.
pub const Counter = py.class(struct {
    const Self = @This();
    count: i64 = 0,
    step: i64 = 1,

    pub fn __init__(self: *Self, args: struct { start: i64 = 0, step: i64 = 1 }) void {
        self.* = .{ .count = args.start, .step = args.step };
    }
    /// Advance and return the new count.
    pub fn bump(self: *Self) !i64 {
        self.count = try std.math.add(i64, self.count, self.step);
        return self.count;
    }
    pub fn __repr__(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "Counter({d})", .{self.count});
    }
    /// Calling a counter bumps it n times.
    pub fn __call__(self: *Self, n: u32) !i64 {
        for (0..n) |_| _ = try self.bump();
        return self.count;
    }
});

pub fn merge(a: *const Counter, b: *const Counter) !Counter {
    return .{ .count = try std.math.add(i64, a.count, b.count), .step = a.step };
}

/// A 2-D vector with arithmetic.
pub const Vec2 = py.class(struct {
    const Self = @This();
    x: f64,
    y: f64,

    pub fn __init__(self: *Self, x: f64, y: f64) void {
        self.* = .{ .x = x, .y = y };
    }
    pub fn __repr__(self: Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "Vec2({d}, {d})", .{ self.x, self.y });
    }
    pub fn __add__(self: Self, other: *const Self) Self {
        return .{ .x = self.x + other.x, .y = self.y + other.y };
    }
    pub fn __sub__(self: Self, other: *const Self) Self {
        return .{ .x = self.x - other.x, .y = self.y - other.y };
    }
    pub fn __mul__(self: Self, k: f64) Self {
        return .{ .x = self.x * k, .y = self.y * k };
    }
    pub fn __rmul__(self: Self, k: f64) Self {
        return self.__mul__(k);
    }
    pub fn __neg__(self: Self) Self {
        return .{ .x = -self.x, .y = -self.y };
    }
    pub fn __abs__(self: Self) f64 {
        return @sqrt(self.x * self.x + self.y * self.y);
    }
    pub fn __bool__(self: Self) bool {
        return self.x != 0 or self.y != 0;
    }
    pub fn __eq__(self: Self, other: *const Self) bool {
        return self.x == other.x and self.y == other.y;
    }
    pub fn __hash__(self: Self) u64 {
        return @as(u64, @bitCast(self.x)) *% 31 +% @as(u64, @bitCast(self.y));
    }
    pub fn __iadd__(self: *Self, other: *const Self) void {
        self.x += other.x;
        self.y += other.y;
    }
    /// The vector's length.
    pub const length = py.property(getLength, setLength);
    fn getLength(self: *const Self) f64 {
        return self.__abs__();
    }
    fn setLength(self: *Self, value: f64) !void {
        const l = self.__abs__();
        if (l == 0) return py.raise(.ValueError, "cannot scale a zero vector", .{});
        self.x *= value / l;
        self.y *= value / l;
    }
    pub const angle = py.property(getAngle, null);
    fn getAngle(self: *const Self) f64 {
        return std.math.atan2(self.y, self.x);
    }
    /// The zero vector.
    pub fn zero() Self {
        return .{ .x = 0, .y = 0 };
    }
    /// Build from an (x, y) pair; subclasses get instances of themselves.
    pub fn from_pair(cls: py.Type, pair: struct { f64, f64 }) !py.Owned {
        return cls.call(.{ pair[0], pair[1] });
    }
});

/// Software versions, ordered by one comparison function.
pub const Version = py.class(struct {
    const Self = @This();
    major: u32,
    minor: u32,

    pub fn __init__(self: *Self, major: u32, minor: u32) void {
        self.* = .{ .major = major, .minor = minor };
    }
    pub fn __order__(self: Self, other: *const Self) std.math.Order {
        return switch (std.math.order(self.major, other.major)) {
            .eq => std.math.order(self.minor, other.minor),
            else => |o| o,
        };
    }
    pub fn __hash__(self: Self) u64 {
        return @as(u64, self.major) << 32 | self.minor;
    }
    pub fn __repr__(self: Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "Version({d}.{d})", .{ self.major, self.minor });
    }
});

var ring_frees: u64 = 0;

/// A fixed-capacity ring buffer of floats; its memory is readable by numpy without copying.
pub const Ring = py.class(struct {
    const Self = @This();
    _items: []f64,
    _start: usize = 0,
    len: usize = 0,
    pub const __readonly__ = .{"len"};

    pub fn __init__(self: *Self, capacity: usize) !void {
        if (capacity == 0) return py.raise(.ValueError, "capacity must be positive", .{});
        self.* = .{ ._items = try py.allocator.alloc(f64, capacity) };
        @memset(self._items, 0);
    }
    pub fn deinit(self: *Self) void {
        if (self._items.len > 0) py.allocator.free(self._items);
        ring_frees += 1;
    }
    /// Append, dropping the oldest value when full.
    pub fn push(self: *Self, x: f64) void {
        const cap = self._items.len;
        self._items[(self._start + self.len) % cap] = x;
        if (self.len < cap) self.len += 1 else self._start = (self._start + 1) % cap;
    }
    pub fn __len__(self: *const Self) usize {
        return self.len;
    }
    fn slot(self: *const Self, i: i64) !usize {
        const n: i64 = @intCast(self.len);
        const k = if (i < 0) i + n else i;
        if (k < 0 or k >= n) return py.raise(.IndexError, "ring index {d} out of range for length {d}", .{ i, n });
        return (self._start + @as(usize, @intCast(k))) % self._items.len;
    }
    pub fn __getitem__(self: *const Self, i: i64) !f64 {
        return self._items[try self.slot(i)];
    }
    pub fn __setitem__(self: *Self, i: i64, x: f64) !void {
        self._items[try self.slot(i)] = x;
    }
    pub fn __contains__(self: *const Self, x: f64) bool {
        for (0..self.len) |k| {
            if (self._items[(self._start + k) % self._items.len] == x) return true;
        }
        return false;
    }
    pub fn __iter__(self: *const Self) RingIter {
        return .{ .ring = py.Object.of(self), .index = 0 };
    }
    pub fn __enter__(self: *Self) *Self {
        return self;
    }
    /// Leaving a `with` block empties the ring.
    pub fn __exit__(self: *Self, exc_type: ?py.Object, exc: ?py.Object, tb: ?py.Object) bool {
        _ = .{ exc_type, exc, tb };
        self.len = 0;
        self._start = 0;
        return false;
    }
    /// The storage, in storage order (not rotated).
    pub fn __buffer__(self: *Self) []f64 {
        return self._items;
    }
});

pub fn ring_frees_count() u64 {
    return ring_frees;
}

/// Iterates a Ring; holds a reference to it.
pub const RingIter = py.class(struct {
    const Self = @This();
    ring: py.Object,
    index: usize = 0,

    pub fn __iter__(self: *Self) *Self {
        return self;
    }
    pub fn __next__(self: *Self) !?f64 {
        const ring = try self.ring.as(*const Ring);
        if (self.index >= ring.len) return null;
        defer self.index += 1;
        return try ring.__getitem__(@intCast(self.index));
    }
});

/// A 2-D matrix exposed to numpy as a (rows, cols) float64 array.
pub const Matrix = py.class(struct {
    const Self = @This();
    _data: []f64,
    rows: usize,
    cols: usize,
    pub const __readonly__ = .{ "rows", "cols" };

    pub fn __init__(self: *Self, rows: usize, cols: usize) !void {
        const n = try std.math.mul(usize, rows, cols);
        self.* = .{ ._data = try py.allocator.alloc(f64, n), .rows = rows, .cols = cols };
        for (self._data, 0..) |*v, i| v.* = @floatFromInt(i);
    }
    pub fn deinit(self: *Self) void {
        py.allocator.free(self._data);
    }
    pub fn __buffer__(self: *Self) py.Buffer(f64, 2) {
        return .{ .data = self._data, .shape = .{ self.rows, self.cols } };
    }
    pub fn trace(self: *const Self) f64 {
        var t: f64 = 0;
        for (0..@min(self.rows, self.cols)) |i| t += self._data[i * self.cols + i];
        return t;
    }
});

var node_deinits: u64 = 0;

/// A linked node: its `next` may point anywhere, including back to itself (a cycle).
pub const Node = py.class(struct {
    const Self = @This();
    value: i64 = 0,
    next: ?py.Object = null,

    pub fn __init__(self: *Self, value: i64) void {
        self.value = value;
    }
    pub fn link(self: *Self, other: py.Object) void {
        self.next = other; // zig_core takes its own reference when the method returns
    }
    pub fn deinit(self: *Self) void {
        _ = self;
        node_deinits += 1;
    }
});

pub fn node_deinit_count() u64 {
    return node_deinits;
}

/// Holds a Python callable and calls it.
pub const Callbacks = py.class(struct {
    const Self = @This();
    handler: py.Object,
    calls: u32 = 0,

    pub fn __init__(self: *Self, handler: py.Object) !void {
        if (!handler.isCallable()) return py.raise(.TypeError, "handler must be callable", .{});
        self.handler = handler;
    }
    pub fn fire(self: *Self, x: i64) !i64 {
        self.calls += 1;
        const r = try self.handler.call(.{ x, self.calls });
        defer r.deinit();
        return r.borrow().as(i64);
    }
});

/// Has a field with no Python value, so it cannot be pickled.
pub const Opaque = py.class(struct {
    _buf: []u8 = &.{},
    tag: i64 = 7,
});

/// A 32-bit set, for the operator slots not used above.
pub const Bits = py.class(struct {
    const Self = @This();
    value: u32 = 0,

    pub fn __init__(self: *Self, value: u32) void {
        self.value = value;
    }
    pub fn __str__(self: Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "0b{b}", .{self.value});
    }
    pub fn __int__(self: Self) u32 {
        return self.value;
    }
    pub fn __index__(self: Self) u32 {
        return self.value;
    }
    pub fn __float__(self: Self) f64 {
        return @floatFromInt(self.value);
    }
    pub fn __and__(self: Self, o: *const Self) Self {
        return .{ .value = self.value & o.value };
    }
    pub fn __or__(self: Self, o: *const Self) Self {
        return .{ .value = self.value | o.value };
    }
    pub fn __xor__(self: Self, o: *const Self) Self {
        return .{ .value = self.value ^ o.value };
    }
    pub fn __invert__(self: Self) Self {
        return .{ .value = ~self.value };
    }
    pub fn __pos__(self: Self) Self {
        return self;
    }
    pub fn __lshift__(self: Self, n: u5) Self {
        return .{ .value = self.value << n };
    }
    pub fn __rshift__(self: Self, n: u5) Self {
        return .{ .value = self.value >> n };
    }
    pub fn __floordiv__(self: Self, d: u32) !Self {
        if (d == 0) return error.ZeroDivisionError;
        return .{ .value = self.value / d };
    }
    pub fn __mod__(self: Self, d: u32) !Self {
        if (d == 0) return error.ZeroDivisionError;
        return .{ .value = self.value % d };
    }
    pub fn __truediv__(self: Self, d: f64) f64 {
        return @as(f64, @floatFromInt(self.value)) / d;
    }
    pub fn __pow__(self: Self, e: u32) !Self {
        return .{ .value = try std.math.powi(u32, self.value, e) };
    }
    /// Number of bits both have set.
    pub fn __matmul__(self: Self, o: *const Self) u32 {
        return @popCount(self.value & o.value);
    }
    pub fn __eq__(self: Self, o: *const Self) bool {
        return self.value == o.value;
    }
    pub fn __ne__(self: Self, o: *const Self) bool {
        return self.value != o.value;
    }
    pub fn __ior__(self: *Self, o: *const Self) void {
        self.value |= o.value;
    }
    pub fn __imul__(self: *Self, k: u32) !Self {
        return .{ .value = try std.math.mul(u32, self.value, k) };
    }
    pub fn __len__(_: Self) usize {
        return 32;
    }
    pub fn __bool__(self: Self) bool {
        return self.value != 0;
    }
    pub fn __getitem__(self: Self, bit: u5) bool {
        return self.value & (@as(u32, 1) << bit) != 0;
    }
    pub fn __setitem__(self: *Self, bit: u5, on: bool) void {
        if (on) self.value |= @as(u32, 1) << bit else self.value &= ~(@as(u32, 1) << bit);
    }
    pub fn __delitem__(self: *Self, bit: u5) void {
        self.__setitem__(bit, false);
    }
});

// ---- the GIL ----

/// Deliberately slow pure-Zig work that runs without the GIL (a xorshift chain: each step
/// depends on the last, so the optimizer cannot shortcut it).
pub fn spin(_: py.NoGil, rounds: u64) u64 {
    var x: u64 = rounds | 1;
    var i: u64 = 0;
    while (i < rounds) : (i += 1) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

/// The same work, holding the GIL (for comparison).
pub fn spin_locked(rounds: u64) u64 {
    return spin(.{}, rounds);
}

/// Releases the GIL for a block inside a function that also uses Python objects.
pub fn spin_block(label: py.Object, rounds: u64) !py.Owned {
    var x: u64 = 0;
    {
        const threads = py.allowThreads();
        defer threads.end();
        x = spin(.{}, rounds);
    }
    return label.call(.{x});
}

pub fn sum_squares(_: py.NoGil, xs: []const f64) f64 {
    var t: f64 = 0;
    for (xs) |x| t += x * x;
    return t;
}

comptime {
    py.module(@This());
}
