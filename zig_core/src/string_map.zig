//! String-keyed Zig hash maps and Python dicts, both ways: `std.StringHashMap(V)`,
//! `std.StringHashMapUnmanaged(V)` and `std.array_hash_map.String(V)` (insertion order kept;
//! what older Zig called `StringArrayHashMapUnmanaged`).  As a result, keys must be UTF-8
//! (str keys) and values are converted like any result; as a parameter, a dict with str keys
//! becomes a map in the call's arena (valid during the call, like a slice made from a list).
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");

/// The value type V if T is one of the supported string-keyed maps, else null.
pub fn valueType(comptime T: type) ?type {
    if (comptime reflect.kind(T) != .@"struct" or !@hasDecl(T, "KV")) return null;
    const KV = T.KV;
    if (comptime @TypeOf(KV) != type or reflect.kind(KV) != .@"struct") return null;
    const types = reflect.fieldTypes(KV);
    if (types.len != 2 or types[0] != []const u8) return null;
    const V = types[1];
    if (T == std.StringHashMap(V) or T == std.StringHashMapUnmanaged(V) or T == std.array_hash_map.String(V)) return V;
    return null;
}

pub fn isStringMap(comptime T: type) bool {
    return valueType(T) != null;
}

/// A dict (or dict subclass) with str keys as the map T, allocated in the call's arena: keys
/// copied as UTF-8, values converted like list items.  The map is valid during the call; its
/// `deinit` is allowed but not needed.  Converted from a snapshot of the items, so Python code a
/// value's conversion runs (an `__index__`) cannot change the dict under the iteration.
pub fn fromPython(comptime T: type, obj: *c.PyObject, ctx: *@import("allocator.zig").CallContext, comptime what: []const u8) !T {
    const convert = @import("convert.zig");
    const V = valueType(T).?;
    if (!c.hasFlag(obj, c.Py_TPFLAGS_DICT_SUBCLASS)) return convert.wrongType("TypeError", what, "dict", obj);
    const alloc = ctx.allocator();
    const managed = @hasField(T, "allocator"); // std.StringHashMap; the others take the allocator per call
    var map: T = if (managed) .init(alloc) else .empty;
    const entries = c.PyDict_Items(obj) orelse return error.PythonException;
    defer c.decref(entries);
    const n: usize = @intCast(c.varSize(entries));
    if (managed) map.ensureTotalCapacity(@intCast(n)) catch return convert.noMemory() else map.ensureTotalCapacity(alloc, @intCast(n)) catch return convert.noMemory();
    for (0..n) |i| {
        const entry = c.listItem(entries, i);
        const key = c.tupleItem(entry, 0);
        if (!c.hasFlag(key, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
            _ = c.PyErr_Format(c.exc("TypeError"), what ++ " keys must be str, not %.200s", c.typeNameOf(key));
            return error.PythonException;
        }
        var len: c.Py_ssize_t = 0;
        const utf8 = c.PyUnicode_AsUTF8AndSize(key, &len) orelse return error.PythonException; // a lone surrogate
        const name = alloc.dupe(u8, utf8[0..@intCast(len)]) catch return convert.noMemory();
        const value = try convert.nested(V, c.tupleItem(entry, 1), ctx, what ++ " value");
        // Distinct dict keys are distinct strings: the capacity reserved above is enough.
        if (managed) map.putAssumeCapacity(name, value) else map.putAssumeCapacity(name, value);
    }
    return map;
}

/// A new dict with the map's entries (a new reference, or null with an exception set).
pub fn toPython(map: anytype) ?*c.PyObject {
    const convert = @import("convert.zig");
    const dict = c.PyDict_New() orelse return null;
    var it = map.iterator();
    while (it.next()) |entry| {
        const key = c.PyUnicode_DecodeUTF8(entry.key_ptr.*.ptr, @intCast(entry.key_ptr.*.len), null) orelse {
            c.decref(dict);
            return null;
        };
        defer c.decref(key);
        const value = convert.toPython(entry.value_ptr.*) orelse {
            c.decref(dict);
            return null;
        };
        defer c.decref(value);
        if (c.PyDict_SetItem(dict, key, value) < 0) {
            c.decref(dict);
            return null;
        }
    }
    return dict;
}
