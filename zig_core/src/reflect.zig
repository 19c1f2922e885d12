//! Every use of @typeInfo in zig_core goes through this file, so that the
//! next Zig release's reflection changes (0.17 replaced `.fields`/`.decls`/
//! `.params` with `field_names`/`field_types`/`decl_names`/`param_types`)
//! are a change here and nowhere else.
const std = @import("std");

pub const Kind = enum { int, float, bool, void, pointer, array, @"struct", optional, error_union, @"enum", @"union", @"fn", @"opaque", other };

pub fn kind(comptime T: type) Kind {
    return switch (@typeInfo(T)) {
        .int, .comptime_int => .int,
        .float, .comptime_float => .float,
        .bool => .bool,
        .void => .void,
        .pointer => .pointer,
        .array => .array,
        .@"struct" => .@"struct",
        .optional => .optional,
        .error_union => .error_union,
        .@"enum" => .@"enum",
        .@"union" => .@"union",
        .@"fn" => .@"fn",
        .@"opaque" => .@"opaque",
        else => .other,
    };
}

// ---- integers and floats ----

pub fn intSigned(comptime T: type) bool {
    return @typeInfo(T).int.signedness == .signed;
}

pub fn intBits(comptime T: type) u16 {
    return @typeInfo(T).int.bits;
}

pub fn floatBits(comptime T: type) u16 {
    return @typeInfo(T).float.bits;
}

// ---- containers ----

/// Names of the `pub` declarations of a struct, enum, union or opaque type.
pub fn declNames(comptime T: type) []const [:0]const u8 {
    return switch (@typeInfo(T)) {
        .@"struct" => |s| s.decl_names,
        .@"enum" => |e| e.decl_names,
        .@"union" => |u| u.decl_names,
        .@"opaque" => |o| o.decl_names,
        else => &.{},
    };
}

pub fn isTuple(comptime T: type) bool {
    return @typeInfo(T) == .@"struct" and @typeInfo(T).@"struct".is_tuple;
}

pub fn fieldNames(comptime T: type) []const [:0]const u8 {
    return switch (@typeInfo(T)) {
        .@"struct" => |s| s.field_names,
        .@"enum" => |e| e.field_names,
        .@"union" => |u| u.field_names,
        else => @compileError(@typeName(T) ++ " has no fields"),
    };
}

pub fn fieldTypes(comptime T: type) []const type {
    return switch (@typeInfo(T)) {
        .@"struct" => |s| s.field_types,
        .@"union" => |u| u.field_types,
        else => @compileError(@typeName(T) ++ " has no typed fields"),
    };
}

/// The default value of struct field `i`, or null if it has none.
pub fn fieldDefault(comptime T: type, comptime i: usize) ?@typeInfo(T).@"struct".field_types[i] {
    const s = @typeInfo(T).@"struct";
    return s.field_attrs[i].defaultValue(s.field_types[i]);
}

pub fn fieldIsComptime(comptime T: type, comptime i: usize) bool {
    return @typeInfo(T).@"struct".field_attrs[i].@"comptime";
}

pub fn enumValues(comptime T: type) []const comptime_int {
    return @typeInfo(T).@"enum".field_values;
}

pub fn enumIsExhaustive(comptime T: type) bool {
    return @typeInfo(T).@"enum".mode == .exhaustive;
}

pub fn enumTag(comptime T: type) type {
    return @typeInfo(T).@"enum".tag_type;
}

// ---- pointers, arrays, optionals, errors ----

pub const PointerSize = enum { one, many, slice, c };

pub fn pointerSize(comptime T: type) PointerSize {
    return switch (@typeInfo(T).pointer.size) {
        .one => .one,
        .many => .many,
        .slice => .slice,
        .c => .c,
    };
}

pub fn pointerChild(comptime T: type) type {
    return @typeInfo(T).pointer.child;
}

pub fn pointerIsConst(comptime T: type) bool {
    return @typeInfo(T).pointer.attrs.@"const";
}

/// The sentinel of a slice or many-pointer type, or null.
pub fn pointerSentinel(comptime T: type) ?pointerChild(T) {
    return @typeInfo(T).pointer.sentinel();
}

pub fn arrayLen(comptime T: type) comptime_int {
    return @typeInfo(T).array.len;
}

pub fn arrayChild(comptime T: type) type {
    return @typeInfo(T).array.child;
}

pub fn optionalChild(comptime T: type) type {
    return @typeInfo(T).optional.child;
}

pub fn errorPayload(comptime T: type) type {
    return @typeInfo(T).error_union.payload;
}

pub fn errorSet(comptime T: type) type {
    return @typeInfo(T).error_union.error_set;
}

/// Names in an error set, or null for `anyerror` / inferred sets that are not resolved.
pub fn errorNames(comptime E: type) ?[]const [:0]const u8 {
    return @typeInfo(E).error_set.error_names;
}

// ---- functions ----

pub fn isFunction(comptime T: type) bool {
    return @typeInfo(T) == .@"fn";
}

/// Parameter types of a function; a generic (`anytype`) parameter is a compile error naming `what`.
pub fn paramTypes(comptime F: type, comptime what: []const u8) []const type {
    const info = @typeInfo(F).@"fn";
    if (info.attrs.varargs) @compileError(what ++ ": variadic functions cannot be exported to Python");
    var types: [info.param_types.len]type = undefined;
    for (info.param_types, 0..) |maybe, i| {
        types[i] = maybe orelse @compileError(std.fmt.comptimePrint(
            "{s}: parameter {d} is generic (anytype); functions exported to Python need concrete parameter types",
            .{ what, i + 1 },
        ));
    }
    const result = types;
    return &result;
}

/// Whether `F` is an `inline fn` (which cannot be called with `.never_inline`).
pub fn isInlineFunction(comptime F: type) bool {
    return @typeInfo(F).@"fn".attrs.@"callconv" == .@"inline";
}

pub fn returnType(comptime F: type, comptime what: []const u8) type {
    return @typeInfo(F).@"fn".return_type orelse
        @compileError(what ++ ": the return type is generic; functions exported to Python need a concrete return type");
}

// ---- declarations ----

/// Whether the pub declaration `name` of `T` is a `const` (not a `var`), without reading its value.
pub fn declIsConst(comptime T: type, comptime name: []const u8) bool {
    return @typeInfo(@TypeOf(&@field(T, name))).pointer.attrs.@"const";
}

/// The index of `F`'s first generic (`anytype` or `comptime`) parameter, or null.
pub fn firstGenericParam(comptime F: type) ?usize {
    for (@typeInfo(F).@"fn".param_types, 0..) |p, i| {
        if (p == null) return i;
    }
    return null;
}

pub fn returnIsGeneric(comptime F: type) bool {
    return @typeInfo(F).@"fn".return_type == null;
}
