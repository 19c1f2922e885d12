//! The object APIs (py.Dict, py.List, py.Tuple, py.Str, iteration, calls, exceptions,
//! py.create, string-keyed maps), for tests/test_objects.py and the leak test.
const std = @import("std");
const py = @import("zig_core");

// ---- dict ----

pub fn dict_len(d: py.Dict) usize {
    return d.len();
}

pub fn dict_get(d: py.Dict, key: py.Object) !?py.Object {
    return d.get(key);
}

/// d[key] as an int, or None; the key is a Zig string.
pub fn dict_get_int(d: py.Dict, key: []const u8) !?i64 {
    return d.getAs(i64, key);
}

pub fn dict_set(d: py.Dict, key: py.Object, value: py.Object) !void {
    try d.set(key, value);
}

/// d[key] = value with both converted from Zig values (temporaries released by zig_core).
pub fn dict_set_text(d: py.Dict, key: []const u8, value: i64) !void {
    try d.set(key, value);
}

pub fn dict_del(d: py.Dict, key: py.Object) !void {
    try d.del(key);
}

pub fn dict_contains(d: py.Dict, key: py.Object) !bool {
    return d.contains(key);
}

pub fn dict_sum_values(d: py.Dict) !i64 {
    var total: i64 = 0;
    var it = d.items();
    while (it.next()) |entry| total += try entry.value.as(i64);
    return total;
}

/// "k1=v1,k2=v2" from str() of keys and values.
pub fn dict_render(alloc: std.mem.Allocator, d: py.Dict) ![]u8 {
    var out: std.ArrayList(u8) = .empty;
    var it = d.items();
    var first = true;
    while (it.next()) |entry| {
        if (!first) try out.append(alloc, ',');
        first = false;
        try out.appendSlice(alloc, try entry.key.text(alloc));
        try out.append(alloc, '=');
        try out.appendSlice(alloc, try entry.value.text(alloc));
    }
    return out.toOwnedSlice(alloc);
}

pub fn dict_keys(d: py.Dict) !py.List.Owned {
    return d.keys();
}

pub fn dict_values(d: py.Dict) !py.List.Owned {
    return d.values();
}

pub fn dict_clear(d: py.Dict) void {
    d.clear();
}

/// {i: i * i for i in range(n)} built from Zig.
pub fn make_dict(n: usize) !py.Dict.Owned {
    const d = try py.Dict.new();
    errdefer d.deinit();
    for (0..n) |i| try d.set(i, i * i);
    return d;
}

/// dict(zip(keys, values)) built from Zig.
pub fn dict_from_lists(keys: py.List, values: py.List) !py.Dict.Owned {
    if (keys.len() != values.len()) return py.raise(.ValueError, "keys and values differ in length ({d} and {d})", .{ keys.len(), values.len() });
    const d = try py.Dict.new();
    errdefer d.deinit();
    var ks = keys.items();
    var vs = values.items();
    while (ks.next()) |k| try d.set(k, vs.next().?);
    return d;
}

/// {"a": 1, "b": 2, "é": 3} from a std.StringHashMap.
pub fn string_map(alloc: std.mem.Allocator) !std.StringHashMap(i64) {
    var m: std.StringHashMap(i64) = .init(alloc);
    try m.put("a", 1);
    try m.put("b", 2);
    try m.put("é", 3);
    return m;
}

/// An insertion-ordered map of n entries "k0".."k{n-1}" -> [i, i + 1].
pub fn ordered_map(alloc: std.mem.Allocator, n: usize) !std.array_hash_map.String([2]u32) {
    var m: std.array_hash_map.String([2]u32) = .empty;
    for (0..n) |i| try m.put(alloc, try std.fmt.allocPrint(alloc, "k{d}", .{i}), .{ @intCast(i), @intCast(i + 1) });
    return m;
}

pub fn unmanaged_map(alloc: std.mem.Allocator) !std.StringHashMapUnmanaged(?[]const u8) {
    var m: std.StringHashMapUnmanaged(?[]const u8) = .empty;
    try m.put(alloc, "some", "text");
    try m.put(alloc, "none", null);
    return m;
}

/// A map whose key is not UTF-8: UnicodeDecodeError, not a wrong answer.
/// A dict parameter as a std.StringHashMap: sum of its values plus 1000 * m["a"].
pub fn map_total(m: std.StringHashMap(i64)) i64 {
    var total: i64 = 0;
    var it = m.valueIterator();
    while (it.next()) |v| total += v.*;
    return total + 1000 * (m.get("a") orelse 0);
}

/// A dict through std.array_hash_map.String and back: the order is kept, values doubled.
pub fn map_doubled(alloc: std.mem.Allocator, m: std.array_hash_map.String(f64)) !std.array_hash_map.String(f64) {
    var out: std.array_hash_map.String(f64) = .empty;
    var it = m.iterator();
    while (it.next()) |e| try out.put(alloc, e.key_ptr.*, 2 * e.value_ptr.*);
    return out;
}

pub fn map_lookup(m: std.StringHashMapUnmanaged(?[]const u8), key: []const u8) ?[]const u8 {
    return m.get(key) orelse null;
}

pub fn bad_key_map(alloc: std.mem.Allocator) !std.StringHashMap(i64) {
    var m: std.StringHashMap(i64) = .init(alloc);
    try m.put("\xff", 1);
    return m;
}

// ---- list ----

pub fn list_len(l: py.List) usize {
    return l.len();
}

pub fn list_get(l: py.List, i: usize) !py.Object {
    return l.get(i);
}

pub fn list_set(l: py.List, i: usize, value: py.Object) !void {
    try l.set(i, value);
}

pub fn list_append(l: py.List, value: py.Object) !void {
    try l.append(value);
}

pub fn list_insert(l: py.List, i: usize, value: py.Object) !void {
    try l.insert(i, value);
}

pub fn list_del(l: py.List, i: usize) !void {
    try l.del(i);
}

/// Python's indexes: any integer type, negative ones counting from the end.
pub fn list_get_signed(l: py.List, i: i64) !py.Object {
    return l.get(i);
}

pub fn list_last(l: py.List) !py.Object {
    return l.get(-1); // a literal, as a Zig programmer writes it
}

pub fn list_set_signed(l: py.List, i: i32, value: py.Object) !void {
    try l.set(i, value);
}

pub fn list_del_signed(l: py.List, i: isize) !void {
    try l.del(i);
}

pub fn list_insert_signed(l: py.List, i: i64, value: py.Object) !void {
    try l.insert(i, value);
}

pub fn list_contains(l: py.List, value: py.Object) !bool {
    return l.contains(value);
}

pub fn list_sum(l: py.List) !f64 {
    var total: f64 = 0;
    var it = l.items();
    while (it.next()) |item| total += try item.as(f64);
    return total;
}

/// [0, 1, ..., n-1] appended one by one.
pub fn make_list(n: usize) !py.List.Owned {
    const l = try py.List.new();
    errdefer l.deinit();
    for (0..n) |i| try l.append(i);
    return l;
}

/// [1, "two", 3.5, True, <the object>] from a Zig tuple.
pub fn list_of_mixed(obj: py.Object) !py.List.Owned {
    return py.List.from(.{ 1, "two", 3.5, true, obj });
}

// ---- tuple ----

pub fn tuple_len(t: py.Tuple) usize {
    return t.len();
}

pub fn tuple_get(t: py.Tuple, i: usize) !py.Object {
    return t.get(i);
}

pub fn tuple_get_signed(t: py.Tuple, i: i64) !py.Object {
    return t.get(i);
}

pub fn tuple_contains(t: py.Tuple, value: py.Object) !bool {
    return t.contains(value);
}

pub fn tuple_of(a: i64, b: []const u8) !py.Tuple.Owned {
    return py.Tuple.from(.{ a, b, @as(f64, @floatFromInt(a)) / 2 });
}

pub fn tuple_from_slice(xs: []const i64) !py.Tuple.Owned {
    return py.Tuple.from(xs);
}

pub fn tuple_count_items(t: py.Tuple) usize {
    var n: usize = 0;
    var it = t.items();
    while (it.next()) |_| n += 1;
    return n;
}

// ---- str ----

/// UTF-8 bytes of s (borrowed from the str).
pub fn str_utf8_len(s: py.Str) !usize {
    return (try s.slice()).len;
}

/// Code points of s.
pub fn str_len(s: py.Str) usize {
    return s.len();
}

pub fn str_eql(s: py.Str, text: []const u8) !bool {
    return s.eql(text);
}

pub fn str_new(text: py.Bytes) !py.Str.Owned {
    return py.Str.new(text.data);
}

// ---- any object ----

pub fn iter_sum(obj: py.Object) !i64 {
    var total: i64 = 0;
    var it = try obj.iter();
    defer it.deinit();
    while (try it.nextAs(i64)) |x| total += x;
    return total;
}

/// The items of any iterable, kept past the iteration with newRef().
pub fn iter_collect(obj: py.Object) !py.List.Owned {
    const out = try py.List.new();
    errdefer out.deinit();
    var it = try obj.iter();
    defer it.deinit();
    while (try it.next()) |item| try out.append(item);
    return out;
}

/// The first item of an iterable, kept past the iterator's life.
pub fn iter_first(obj: py.Object) !?py.Owned {
    var it = try obj.iter();
    defer it.deinit();
    const item = (try it.next()) orelse return null;
    return item.newRef();
}

pub fn is_instance(obj: py.Object, cls: py.Object) !bool {
    return obj.isInstance(cls);
}

/// Which handle types obj is an instance of, e.g. "dict" or "str".
pub fn kind_of(obj: py.Object) ![]const u8 {
    if (try obj.isInstance(py.Dict)) return "dict";
    if (try obj.isInstance(py.List)) return "list";
    if (try obj.isInstance(py.Tuple)) return "tuple";
    if (try obj.isInstance(py.Str)) return "str";
    return "other";
}

/// obj.as(py.Dict): a checked downcast.
pub fn as_dict_len(obj: py.Object) !usize {
    return (try obj.as(py.Dict)).len();
}

pub fn repr_of(obj: py.Object) !py.Str.Owned {
    return obj.repr();
}

pub fn str_of(obj: py.Object) !py.Str.Owned {
    return obj.str();
}

/// str(obj) copied into the call's arena, then returned.
pub fn text_of(alloc: std.mem.Allocator, obj: py.Object) ![]u8 {
    return obj.text(alloc);
}

/// The UTF-8 of a str (or data of bytes), borrowed: valid while obj lives.
pub fn as_text(obj: py.Object) ![]const u8 {
    return obj.as([]const u8);
}

pub fn equal(a: py.Object, b: py.Object) !bool {
    return a.eq(b);
}

/// obj == 42, comparing with a Zig value.
pub fn equals_42(obj: py.Object) !bool {
    return obj.eq(@as(i64, 42));
}

pub fn hash_of(obj: py.Object) !isize {
    return obj.hash();
}

pub fn truthy(obj: py.Object) !bool {
    return obj.isTrue();
}

pub fn length_of(obj: py.Object) !usize {
    return obj.len();
}

pub fn get_item(obj: py.Object, key: py.Object) !py.Owned {
    return obj.getItem(key);
}

pub fn set_item(obj: py.Object, key: py.Object, value: py.Object) !void {
    try obj.setItem(key, value);
}

pub fn del_item(obj: py.Object, key: py.Object) !void {
    try obj.delItem(key);
}

/// setattr(obj, name, value), then delattr(obj, name) if `delete`.
pub fn set_attr(obj: py.Object, name: [:0]const u8, value: py.Object, delete: bool) !void {
    try obj.setAttr(name, value);
    if (delete) try obj.delAttr(name);
}

pub fn del_attr(obj: py.Object, name: [:0]const u8) !void {
    try obj.delAttr(name);
}

pub fn get_attr(obj: py.Object, name: [:0]const u8) !py.Owned {
    return obj.getAttr(name);
}

pub fn has_attr(obj: py.Object, name: [:0]const u8) bool {
    return obj.hasAttr(name);
}

/// f("a", 2, sep="-", flag=True)
pub fn call_kw(f: py.Object) !py.Owned {
    return f.callKw(.{ "a", @as(i64, 2) }, .{ .sep = "-", .flag = true });
}

/// f(**kwargs) with kwargs given as a dict.
pub fn call_kw_dict(f: py.Object, kwargs: py.Dict) !py.Owned {
    return f.callKw(.{}, kwargs);
}

/// f(**kwargs) with kwargs given as any object: must be a dict.
pub fn call_kw_object(f: py.Object, kwargs: py.Object) !py.Owned {
    return f.callKw(.{}, kwargs);
}

/// obj.name(arg)
pub fn call_method(obj: py.Object, name: [:0]const u8, arg: py.Object) !py.Owned {
    return obj.callMethod(name, .{arg});
}

/// ", ".join(items) through callMethodKw-free callMethod on a py.Str.Owned.
pub fn join(items: py.List) !py.Owned {
    const sep = try py.Str.new(", ");
    defer sep.deinit();
    return sep.callMethod("join", .{items});
}

/// An owned argument stays owned by the caller: it is passed, not consumed.
pub fn pass_owned(f: py.Object) !py.Owned {
    const arg = try py.create(@as(i64, 7));
    defer arg.deinit();
    return f.call(.{arg});
}

// ---- py.create ----

/// py.create for each kind of result, in a list.
pub fn create_each(alloc: std.mem.Allocator, obj: py.Object) !py.List.Owned {
    const Point = struct { x: f64, y: f64 };
    const out = try py.List.new();
    errdefer out.deinit();
    const values = .{
        @as(i64, -3),                                 @as(u128, 1) << 100,            @as(f64, 2.5), true,
        "text",                                       py.Bytes{ .data = "raw" },      @as(?i64, null), @as(?i64, 5),
        @as([]const i64, &.{ 1, 2 }),                 [2]bool{ true, false },         .{ @as(i64, 1), "a" },
        Point{ .x = 1, .y = 2 },                      obj,                            try string_map(alloc),
    };
    inline for (values) |v| {
        const o = try py.create(v);
        defer o.deinit();
        try out.append(o);
    }
    return out;
}

/// py.create of a Zig string: str, or UnicodeDecodeError for invalid UTF-8.
pub fn create_text(data: py.Bytes) !py.Owned {
    return py.create(data.data);
}

// ---- exceptions ----

/// With nothing pending, fetch() gives null and nothing matches.
pub fn fetch_when_clear() bool {
    return py.PendingException.fetch() == null and !py.exceptionMatches(.Exception) and !py.exceptionPending();
}

/// mapping[key] as an int, or `default` when it raises KeyError (other errors propagate).
pub fn lookup_or(mapping: py.Object, key: py.Object, default: i64) !i64 {
    const v = mapping.getItem(key) catch |err| {
        if (py.exceptionMatches(.KeyError)) {
            py.clearException();
            return default;
        }
        return err;
    };
    defer v.deinit();
    return v.as(i64);
}

/// Call f(); if it raises, describe the exception instead ("TypeName: message").
pub fn describe_failure(alloc: std.mem.Allocator, f: py.Object) ![]const u8 {
    const r = f.call(.{}) catch {
        const e = py.PendingException.fetch().?;
        defer e.deinit();
        std.debug.assert(!py.exceptionPending());
        return std.fmt.allocPrint(alloc, "{s}: {s}", .{ e.typeName(), try e.message(alloc) });
    };
    r.deinit();
    return "ok";
}

/// Call f(); a ValueError becomes a RuntimeError, anything else is raised again unchanged.
pub fn translate_failure(f: py.Object) !py.Owned {
    return f.call(.{}) catch {
        const e = py.PendingException.fetch().?;
        if (e.matches(.ValueError)) {
            e.deinit();
            return py.raise(.RuntimeError, "f() failed with a ValueError", .{});
        }
        return e.restore();
    };
}

/// Call f(); report whether it raised an instance of cls (a class object).
pub fn raised_instance_of(f: py.Object, cls: py.Object) !bool {
    const r = f.call(.{}) catch {
        const matched = py.exceptionMatches(cls);
        const e = py.PendingException.fetch().?;
        defer e.deinit();
        std.debug.assert(e.matches(cls) == matched);
        return matched;
    };
    r.deinit();
    return false;
}

comptime {
    py.module(@This());
}
