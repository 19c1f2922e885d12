//! Functions timed by benchmarks/bench_objects.py: building and reading dicts from Zig.
const std = @import("std");
const py = @import("zig_core");

/// dict(zip(keys, values)), with py.List items and py.Dict.set.
pub fn dict_from_lists(keys: py.List, values: py.List) !py.Dict.Owned {
    if (keys.len() != values.len()) return py.raise(.ValueError, "keys and values differ in length", .{});
    const d = try py.Dict.new();
    errdefer d.deinit();
    var ks = keys.items();
    var vs = values.items();
    while (ks.next()) |k| try d.set(k, vs.next().?);
    return d;
}

/// {i: i * i for i in range(n)}, keys and values made from Zig integers.
pub fn squares(n: usize) !py.Dict.Owned {
    const d = try py.Dict.new();
    errdefer d.deinit();
    for (0..n) |i| try d.set(i, i * i);
    return d;
}

/// {"k0": 0, "k1": 1, ...} built as a std.array_hash_map.String(u64) and returned as a dict.
pub fn string_map(alloc: std.mem.Allocator, n: usize) !std.array_hash_map.String(u64) {
    var m: std.array_hash_map.String(u64) = .empty;
    try m.ensureTotalCapacity(alloc, n);
    for (0..n) |i| m.putAssumeCapacity(try std.fmt.allocPrint(alloc, "k{d}", .{i}), i);
    return m;
}

/// sum(d.values()) for a dict of ints.
pub fn sum_values(d: py.Dict) !i64 {
    var total: i64 = 0;
    var it = d.items();
    while (it.next()) |e| total += try e.value.as(i64);
    return total;
}

comptime {
    py.module(@This());
}
