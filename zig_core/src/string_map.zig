//! String-keyed Zig hash maps as Python dicts (results only): `std.StringHashMap(V)`,
//! `std.StringHashMapUnmanaged(V)` and `std.array_hash_map.String(V)` (insertion order kept;
//! what older Zig called `StringArrayHashMapUnmanaged`).  Keys must be UTF-8 (str keys);
//! values are converted like any result.
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
