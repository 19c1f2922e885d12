//! Named structs returned to Python become named tuples (struct sequences,
//! like `os.stat_result`): indexable, unpackable, and with named fields.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const options = @import("zigimport_options");

/// The Python name of a struct's named-tuple type (also used by the stubs).
pub fn pythonName(comptime T: type) [:0]const u8 {
    const full = @typeName(T);
    const short = if (std.mem.lastIndexOfScalar(u8, full, '.')) |i| full[i + 1 ..] else full;
    // Anonymous structs are named after where they appear, e.g. "f__struct_123".
    if (std.mem.indexOf(u8, short, "__struct_") != null or std.mem.indexOfAny(u8, short, "(),") != null) return "Result";
    return short ++ "";
}

fn NamedTuple(comptime T: type) type {
    return struct {
        const names = reflect.fieldNames(T);
        const fields = blk: {
            var f: [names.len + 1]c.PyStructSequence_Field = undefined;
            for (names, 0..) |n, i| f[i] = .{ .name = n, .doc = null };
            f[names.len] = .{ .name = null, .doc = null };
            break :blk f;
        };
        var desc: c.PyStructSequence_Desc = .{
            .name = options.module_name ++ "." ++ pythonName(T),
            .doc = null,
            .fields = &fields,
            .n_in_sequence = names.len,
        };
        // Created on first use and kept for the life of the process, like a static type.
        var type_object: ?*c.PyTypeObject = null;

        fn get() ?*c.PyTypeObject {
            if (type_object) |t| return t;
            type_object = c.PyStructSequence_NewType(&desc);
            return type_object;
        }
    };
}

pub fn toPython(comptime T: type, value: T) ?*c.PyObject {
    const NT = NamedTuple(T);
    const t = NT.get() orelse return null;
    const result = c.PyStructSequence_New(t) orelse return null;
    inline for (NT.names, 0..) |n, i| {
        const item = convert.toPython(@field(value, n)) orelse {
            c.decref(result);
            return null;
        };
        c.PyStructSequence_SetItem(result, i, item);
    }
    return result;
}
