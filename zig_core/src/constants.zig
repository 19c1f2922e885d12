//! Module constants: the Python value of a `pub const` (a comptime-known value).
//!
//! Conversion only; src/module.zig decides which declarations are constants.
//! Beyond what function results can be (src/convert.zig), a constant may be a
//! comptime_int of any size, a comptime_float, an enum literal (its name) or a
//! tuple literal with comptime fields, as `pub const X = .{ 1, "a" };` is.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");

/// Whether a `pub const` of type `T` becomes a module attribute.  Types, functions,
/// allocators, pointers and zig_core handles do not (they are Zig-side declarations).
pub fn isConstantType(comptime T: type) bool {
    if (T == comptime_int or T == comptime_float or T == @EnumLiteral()) return true;
    return switch (comptime convert.category(T)) {
        .int, .float, .bool, .@"enum", .string, .bytes, .complex => true,
        .optional => isConstantType(reflect.optionalChild(T)),
        .array => isConstantType(reflect.arrayChild(T)),
        .numeric_slice, .sequence_slice => isConstantType(reflect.pointerChild(T)),
        .tuple => for (reflect.fieldTypes(T)) |F| {
            if (!isConstantType(F)) break false;
        } else true,
        // A struct value stays Zig-only: as a named tuple its class would be reachable from
        // no module attribute (so it could not be pickled) and from no stub.
        .record, .void, .object, .owned, .mutable_bytes, .class_value, .class_ref, .type_object, .unsupported => false,
        // Zig-side values or views (dates are built at run time, handles and maps hold memory).
        .datetime, .date, .time, .timedelta, .set, .path, .ndarray, .handle, .string_map => false,
    };
}

/// Compile errors for values that have a type Python accepts but could not be converted
/// when the module is imported (strings that are not UTF-8); `what` names the declaration.
pub fn check(comptime value: anytype, comptime what: []const u8) void {
    const T = @TypeOf(value);
    if (T == comptime_int or T == comptime_float or T == @EnumLiteral()) return;
    switch (comptime convert.category(T)) {
        .string => {
            @setEvalBranchQuota(10_000 + 100 * value.len);
            if (!std.unicode.utf8ValidateSlice(value[0..])) @compileError(what ++ " is a string that is not valid UTF-8, so it has no Python str; " ++
                "for binary data use py.Bytes{ .data = ... }");
        },
        .optional => if (value) |v| check(v, what),
        .tuple, .array => for (0..value.len) |i| check(value[i], what),
        else => {},
    }
}

/// A new reference to the Python value of the comptime-known `value`, or null with an exception set.
pub fn toPython(comptime value: anytype) ?*c.PyObject {
    const T = @TypeOf(value);
    if (T == comptime_int) {
        if (value >= std.math.minInt(i64) and value <= std.math.maxInt(i64)) return c.PyLong_FromLongLong(value);
        return c.PyLong_FromString((comptime @import("comptime_text.zig").integer(value)).ptr, null, 10); // not comptimePrint: comptime_text.integer
    }
    if (T == comptime_float) return c.PyFloat_FromDouble(value);
    if (T == @EnumLiteral()) return c.PyUnicode_FromString(@tagName(value));
    switch (comptime convert.category(T)) {
        .optional => return if (value) |v| toPython(v) else c.newref(c.none()),
        .tuple => {
            const fields = comptime reflect.fieldTypes(T);
            const t = c.PyTuple_New(fields.len) orelse return null;
            inline for (0..fields.len) |i| {
                const item = toPython(value[i]) orelse {
                    c.decref(t);
                    return null;
                };
                _ = c.PyTuple_SetItem(t, i, item);
            }
            return t;
        },
        .array => {
            const n = comptime reflect.arrayLen(T);
            const l = c.PyList_New(n) orelse return null;
            inline for (0..n) |i| {
                const item = toPython(value[i]) orelse {
                    c.decref(l);
                    return null;
                };
                _ = c.PyList_SetItem(l, i, item);
            }
            return l;
        },
        else => {
            const runtime: T = value; // a copy in the binary's constant data
            return convert.toPython(runtime);
        },
    }
}
