//! Inheritance, attribute hooks, non-constructible classes, `!=` from `__eq__` and
//! read-only buffers, for tests/test_classes2.py.
const std = @import("std");
const py = @import("zig_core");

var animal_deinits: u64 = 0;
var dog_deinits: u64 = 0;

// Declared before its base on purpose: registration puts the base first.
/// A dog: an Animal that fetches.
pub const Dog = py.class(struct {
    const Self = @This();
    pub const __base__ = Animal;
    base: Animal,
    tricks: u32 = 0,

    pub fn __init__(self: *Self, args: struct { name: []const u8 = "Rex", legs: u8 = 4, tricks: u32 = 0 }) !void {
        try self.base.__init__(.{ .name = args.name, .legs = args.legs });
        self.tricks = args.tricks;
    }
    /// Overrides Animal.speak, and calls it.
    pub fn speak(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        const base = try self.base.speak(alloc); // the base's method, from Zig
        return std.fmt.allocPrint(alloc, "{s} Woof!", .{base});
    }
    /// Stores into the base's py.Object field from a Dog method.
    pub fn adopt(self: *Self, friend: py.Object) void {
        self.base.friend = friend;
    }
    pub fn fetch(self: *Self) u32 {
        self.tricks += 1;
        return self.tricks;
    }
    pub fn deinit(self: *Self) void {
        _ = self;
        dog_deinits += 1;
    }
});

/// Something alive.
pub const Animal = py.class(struct {
    const Self = @This();
    legs: u8 = 4,
    _name: [16]u8 = @splat(0),
    _name_len: u8 = 0,
    friend: ?py.Object = null,

    pub fn __init__(self: *Self, args: struct { name: []const u8 = "animal", legs: u8 = 4 }) !void {
        if (args.name.len > self._name.len) return py.raise(.ValueError, "name too long ({d} bytes, at most 16)", .{args.name.len});
        @memcpy(self._name[0..args.name.len], args.name);
        self._name_len = @intCast(args.name.len);
        self.legs = args.legs;
    }
    pub fn name(self: *const Self) []const u8 {
        return self._name[0..self._name_len];
    }
    pub fn speak(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "{s} makes a sound.", .{self.name()});
    }
    pub fn __repr__(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "<{s} with {d} legs>", .{ self.name(), self.legs });
    }
    pub fn __eq__(self: *const Self, other: *const Self) bool {
        return self.legs == other.legs and std.mem.eql(u8, self.name(), other.name());
    }
    pub fn __lt__(self: *const Self, other: *const Self) bool {
        return self.legs < other.legs;
    }
    pub fn befriend(self: *Self, other: py.Object) void {
        self.friend = other; // zig_core takes the reference when the method returns
    }
    pub fn deinit(self: *Self) void {
        _ = self;
        animal_deinits += 1;
    }
});

/// Three levels: a puppy is a dog.
pub const Puppy = py.class(struct {
    const Self = @This();
    pub const __base__ = Dog;
    base: Dog,
    age_weeks: u16 = 8,

    // No __init__: Dog's runs (the nearest base's), and age_weeks keeps its default.
    pub fn speak(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "{s} (squeaky)", .{try Dog.speak(&self.base, alloc)});
    }
    pub fn __eq__(self: *const Self, other: *const Self) bool {
        return self.age_weeks == other.age_weeks and self.base.base.__eq__(&other.base.base);
    }
});

pub fn legs_of(a: *const Animal) u8 {
    return a.legs;
}

pub fn make_dog(tricks: u32) Dog {
    var d: Dog = .{ .base = .{}, .tricks = tricks };
    @memcpy(d.base._name[0..3], "Zig");
    d.base._name_len = 3;
    return d;
}

pub fn deinit_counts() struct { u64, u64 } {
    return .{ animal_deinits, dog_deinits };
}

/// `!=` comes from `__eq__` (there is no `__ne__`), NotImplemented passing through.
pub const Money = py.class(struct {
    const Self = @This();
    cents: i64,

    pub fn __init__(self: *Self, cents: i64) void {
        self.cents = cents;
    }
    pub fn __eq__(self: *const Self, other: *const Self) bool {
        return self.cents == other.cents;
    }
    pub fn __hash__(self: *const Self) i64 {
        return self.cents;
    }
});

/// Equal by value, and hashable.
pub const Coin = py.class(struct {
    const Self = @This();
    value: i64 = 0,

    pub fn __init__(self: *Self, value: i64) void {
        self.value = value;
    }
    pub fn __eq__(self: *const Self, other: *const Self) bool {
        return self.value == other.value;
    }
    pub fn __hash__(self: *const Self) i64 {
        return self.value;
    }
});

/// Declares only __hash__: == is still Coin's.
pub const MarkedCoin = py.class(struct {
    pub const __base__ = Coin;
    base: Coin,

    pub fn __hash__(self: *const @This()) i64 {
        return self.base.value * 1000;
    }
});

/// Declares only __lt__: == and hashing are still Coin's.
pub const RankedCoin = py.class(struct {
    pub const __base__ = Coin;
    base: Coin,

    pub fn __lt__(self: *const @This(), other: *const @This()) bool {
        return self.base.value < other.base.value;
    }
});

/// Declares a new __eq__ and no __hash__: unhashable, as in Python.
pub const LooseCoin = py.class(struct {
    pub const __base__ = Coin;
    base: Coin,

    pub fn __eq__(self: *const @This(), other: *const @This()) bool {
        return @abs(self.base.value - other.base.value) <= 1;
    }
});

/// A record with dynamic attributes: declared fields first, then a small table.
pub const Record = py.class(struct {
    const Self = @This();
    id: i64 = 0,
    _keys: [4][8]u8 = undefined,
    _lens: [4]u8 = @splat(0),
    _values: [4]i64 = @splat(0),
    _n: u8 = 0,
    frozen: bool = false,
    sets: u32 = 0,

    fn find(self: *const Self, name: []const u8) ?usize {
        for (0..self._n) |i| {
            if (std.mem.eql(u8, self._keys[i][0..self._lens[i]], name)) return i;
        }
        return null;
    }
    /// Only called when the normal lookup fails.
    pub fn __getattr__(self: *const Self, name: []const u8) !?i64 {
        if (std.mem.eql(u8, name, "explode")) return error.Explosion;
        const i = self.find(name) orelse return null;
        return self._values[i];
    }
    /// Declared fields get the normal assignment (false); other names go to the table.
    pub fn __setattr__(self: *Self, name: []const u8, value: py.Object) !bool {
        if (self.frozen) return py.raise(.AttributeError, "Record is frozen; cannot set '{s}'", .{name});
        self.sets += 1;
        if (std.mem.eql(u8, name, "id") or std.mem.eql(u8, name, "frozen") or std.mem.eql(u8, name, "sets")) return false;
        const v = try value.as(i64);
        const i = self.find(name) orelse blk: {
            if (self._n == self._keys.len or name.len > 8) return py.raise(.AttributeError, "Record has no room for '{s}'", .{name});
            const i = self._n;
            @memcpy(self._keys[i][0..name.len], name);
            self._lens[i] = @intCast(name.len);
            self._n += 1;
            break :blk i;
        };
        self._values[i] = v;
        return true;
    }
    pub fn __delattr__(self: *Self, name: []const u8) !void {
        const i = self.find(name) orelse return error.AttributeError;
        const last = self._n - 1;
        self._keys[i] = self._keys[last];
        self._lens[i] = self._lens[last];
        self._values[i] = self._values[last];
        self._n = last;
    }
});

/// Every assignment is clamped into [0, 100]; there is nothing else to set.
pub const Gauge = py.class(struct {
    level: i64 = 0,

    pub fn __setattr__(self: *@This(), name: []const u8, value: i64) !void {
        if (!std.mem.eql(u8, name, "level")) return error.AttributeError;
        self.level = std.math.clamp(value, 0, 100);
    }
});

/// Only Zig makes these: `Token()` raises TypeError.
pub const Token = py.class(struct {
    const Self = @This();
    pub const __new__ = null;
    serial: u64,

    pub fn describe(self: *const Self, alloc: std.mem.Allocator) ![]u8 {
        return std.fmt.allocPrint(alloc, "token #{d}", .{self.serial});
    }
});

/// Python may construct these, although their base (Token) it may not.
pub const Ticket = py.class(struct {
    pub const __base__ = Token;
    base: Token,
    seat: u32 = 0,

    pub fn __init__(self: *@This(), seat: u32) void {
        self.base.serial = 1000 + @as(u64, seat);
        self.seat = seat;
    }
});

pub fn issue_token(serial: u64) Token {
    return .{ .serial = serial };
}

/// Read-only memory: numpy gets a read-only array, writable requests fail.
pub const Table = py.class(struct {
    const Self = @This();
    _data: [6]f64 = .{ 0, 1, 2, 3, 4, 5 },
    locked: bool = false,
    writable_requests: u32 = 0,

    pub fn __buffer__(self: *const Self) []const f64 {
        return &self._data;
    }
});

/// 2-D and read-only.
pub const Grid = py.class(struct {
    const Self = @This();
    _cells: [6]i32 = .{ 1, 2, 3, 4, 5, 6 },

    pub fn __buffer__(self: *const Self) py.ReadonlyBuffer(i32, 2) {
        return .{ .data = &self._cells, .shape = .{ 2, 3 } };
    }
});

/// Sees the request: writable views only while unlocked; counts writable requests.
pub const Vault = py.class(struct {
    const Self = @This();
    _data: [4]u8 = .{ 1, 2, 3, 4 },
    locked: bool = false,
    writable_requests: u32 = 0,

    pub fn __buffer__(self: *Self, flags: py.BufferFlags) !py.Buffer(u8, 1) {
        if (flags.writable) {
            if (self.locked) return py.raise(.BufferError, "the vault is locked", .{});
            self.writable_requests += 1;
        }
        return .{ .data = &self._data, .shape = .{4}, .readonly = self.locked };
    }
});

comptime {
    py.module(@This());
}
