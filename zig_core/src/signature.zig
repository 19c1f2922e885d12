//! How a Zig function's parameters become a Python signature.
//!
//! - `std.mem.Allocator` parameters are injected (the per-call arena), not Python arguments.
//! - If exactly one Python-visible parameter remains and it is a named or
//!   anonymous struct (not a tuple, not a zig_core handle), its fields are the
//!   Python parameters: names, keywords and defaults, like a Python signature.
//! - Otherwise every parameter is positional-only, in order; trailing optional
//!   (`?T`) parameters may be omitted and default to None.
//! Parameter names cannot be reflected in Zig 0.17: zigimport scans them from
//! the source (see zigimport/signature_scan.py) and passes them in `FnInfo`.
const std = @import("std");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");

/// What zigimport's source scan knows about a function (absent: null).
pub const FnInfo = struct {
    doc: ?[:0]const u8,
    params: []const [:0]const u8,
    line: u32,
};

/// python: a Python argument; allocator: the per-call arena; receiver: `self` (a class
/// instance); class_type: the class of a classmethod (`py.Type`); nogil: `py.NoGil`, the
/// request to run without the GIL.
pub const ParamRole = enum { python, allocator, receiver, class_type, nogil };

pub const ZigParam = struct {
    role: ParamRole,
    T: type,
    /// Index among the Python parameters (role == .python).
    python_index: usize = 0,
};

pub const PyParam = struct {
    name: [:0]const u8,
    T: type,
    /// Index of the struct field (keyword form) or Zig parameter (positional form).
    index: usize,
    optional: bool,
};

pub const Signature = struct {
    name: [:0]const u8,
    /// The class whose method this is, or null for a module function.
    receiver: ?type,
    zig_params: []const ZigParam,
    python: []const PyParam,
    /// The struct whose fields are the Python parameters, in the keyword form.
    kwargs: ?type,
    /// Zig parameter index of that struct.
    kwargs_index: usize,
    /// Python parameters before the first trailing run of optional ones.
    required: usize,
    Return: type,
    doc: ?[:0]const u8,
    needs_context: bool,

    pub fn what(comptime self: Signature) []const u8 {
        return self.name ++ "()";
    }

    pub fn hasRole(comptime self: Signature, comptime role: ParamRole) bool {
        for (self.zig_params) |p| {
            if (p.role == role) return true;
        }
        return false;
    }

    /// "f() argument 2 (b)" or "f() argument 'x'": how messages name a parameter.
    pub fn describe(comptime self: Signature, comptime i: usize) []const u8 {
        const p = self.python[i];
        // Concatenation, not comptimePrint: this runs per function and parameter (comptime_text.zig).
        if (self.kwargs != null) return self.name ++ "() argument '" ++ p.name ++ "'";
        return self.name ++ "() argument " ++ @import("comptime_text.zig").decimal(i + 1) ++ " (" ++ p.name ++ ")";
    }
};

pub fn isAllocator(comptime T: type) bool {
    return T == std.mem.Allocator;
}

/// A struct parameter that stands for keyword arguments.
fn isKwargsStruct(comptime T: type) bool {
    return convert.category(T) == .record;
}

/// `receiver`: the type of a method's `self` (a pointer to it), or null for functions.
pub fn analyze(comptime F: type, comptime name: [:0]const u8, comptime info: ?FnInfo, comptime receiver: ?type) Signature {
    @setEvalBranchQuota(100_000);
    const what = name ++ "()";
    const params = reflect.paramTypes(F, what);
    const Return = reflect.returnType(F, what);
    var zig_params: [params.len]ZigParam = undefined;
    var visible: usize = 0;
    var last_visible: usize = 0;
    const object = @import("object.zig");
    for (params, 0..) |T, i| {
        if (isAllocator(T)) {
            zig_params[i] = .{ .role = .allocator, .T = T };
        } else if (T == object.NoGil) {
            zig_params[i] = .{ .role = .nogil, .T = T };
        } else if (i == 0 and receiver != null and isReceiver(T, receiver.?)) {
            zig_params[i] = .{ .role = .receiver, .T = T };
        } else if (i == 0 and receiver != null and T == object.Type) {
            zig_params[i] = .{ .role = .class_type, .T = T };
        } else {
            zig_params[i] = .{ .role = .python, .T = T, .python_index = visible };
            visible += 1;
            last_visible = i;
        }
    }
    const kw_form = visible == 1 and isKwargsStruct(params[last_visible]);
    const python = if (kw_form) kwParams(params[last_visible], what) else positionalParams(params, &zig_params, visible, info, what);
    // Python arguments needed at minimum (trailing optional/defaulted ones may be left out).
    var required: usize = python.len;
    while (required > 0 and python[required - 1].optional) required -= 1;
    if (!convert.isResultType(unwrapError(Return))) @compileError(what ++ ": zig_core cannot convert the return type " ++ displayName(Return) ++ " to a Python object");
    const final = zig_params;
    for (final) |zp| {
        if (zp.role == .nogil) checkNoGil(params, what);
    }
    return .{
        .name = name,
        .receiver = receiver,
        .zig_params = &final,
        .python = python,
        .kwargs = if (kw_form) params[last_visible] else null,
        .kwargs_index = last_visible,
        .required = required,
        .Return = Return,
        .doc = if (info) |fi| fi.doc else null,
        .needs_context = needsContext(params, if (kw_form) params[last_visible] else null),
    };
}

fn isReceiver(comptime T: type, comptime Self: type) bool {
    if (T == Self) return true; // self by value: a copy
    return reflect.kind(T) == .pointer and reflect.pointerSize(T) == .one and reflect.pointerChild(T) == Self;
}

/// Without the GIL, Python objects must not be touched: refuse parameters that are or hold them.
fn checkNoGil(comptime params: []const type, comptime what: []const u8) void {
    for (params, 0..) |T, i| {
        if (holdsObjects(T)) @compileError(std.fmt.comptimePrint(
            "{s}: parameter {d} ({s}) holds Python objects, which a function that releases the GIL (py.NoGil) must not use",
            .{ what, i + 1, displayName(T) },
        ));
    }
}

/// How messages name a type: zig_core's own as users write them (`py.Object`).
pub fn displayName(comptime T: type) []const u8 {
    const object = @import("object.zig");
    if (T == object.Object) return "py.Object";
    if (T == object.Owned) return "py.Owned";
    if (T == object.Type) return "py.Type";
    if (T == ?object.Object) return "?py.Object";
    if (reflect.kind(T) == .error_union) return errorSetName(reflect.errorSet(T)) ++ "!" ++ displayName(reflect.errorPayload(T));
    return @typeName(T);
}

/// An inferred error set (`!T`) has no name of its own: @typeName spells out the
/// reflection that reaches it (`@typeInfo(@typeInfo(@TypeOf(f)).@"fn".return_type.?)...`).
fn errorSetName(comptime E: type) []const u8 {
    const name = @typeName(E);
    return if (std.mem.startsWith(u8, name, "@typeInfo(")) "" else name;
}

fn holdsObjects(comptime T: type) bool {
    const object = @import("object.zig");
    if (T == object.Object or T == object.Owned or T == object.Type) return true;
    return switch (convert.category(T)) {
        .optional => holdsObjects(reflect.optionalChild(T)),
        .array => holdsObjects(reflect.arrayChild(T)),
        .sequence_slice => holdsObjects(reflect.pointerChild(T)),
        .tuple, .record => for (reflect.fieldTypes(T)) |F| {
            if (holdsObjects(F)) break true;
        } else false,
        else => false,
    };
}

pub fn unwrapError(comptime R: type) type {
    return if (reflect.kind(R) == .error_union) reflect.errorPayload(R) else R;
}

fn positionalParams(comptime params: []const type, comptime zig_params: []const ZigParam, comptime visible: usize, comptime info: ?FnInfo, comptime what: []const u8) []const PyParam {
    var out: [visible]PyParam = undefined;
    for (zig_params, 0..) |zp, i| {
        if (zp.role != .python) continue;
        const T = params[i];
        const pname: [:0]const u8 = if (info != null and i < info.?.params.len) info.?.params[i] else std.fmt.comptimePrint("arg{d}", .{zp.python_index});
        if (!convert.isParameterType(T)) @compileError(std.fmt.comptimePrint(
            "{s}: parameter {d} ({s}) has type {s}, which zig_core cannot convert from Python",
            .{ what, i + 1, pname, displayName(T) },
        ));
        out[zp.python_index] = .{ .name = pname, .T = T, .index = i, .optional = reflect.kind(T) == .optional };
    }
    // A required parameter after an omittable one would make the omission ambiguous.
    const final = out;
    return &final;
}

fn kwParams(comptime S: type, comptime what: []const u8) []const PyParam {
    const names = reflect.fieldNames(S);
    const types = reflect.fieldTypes(S);
    var out: [names.len]PyParam = undefined;
    for (names, types, 0..) |n, T, i| {
        if (reflect.fieldIsComptime(S, i)) @compileError(what ++ ": keyword field '" ++ n ++ "' must not be comptime");
        if (!convert.isParameterType(T)) @compileError(what ++ ": keyword parameter '" ++ n ++ "' has type " ++ displayName(T) ++ ", which zig_core cannot convert from Python");
        out[i] = .{ .name = n, .T = T, .index = i, .optional = reflect.fieldDefault(S, i) != null };
    }
    const final = out;
    return &final;
}

/// Whether a call needs an arena: an injected allocator, or a parameter that may be copied.
/// In the keyword form the struct's fields are converted one by one, like parameters.
fn needsContext(comptime params: []const type, comptime kwargs: ?type) bool {
    for (params) |T| {
        if (isAllocator(T) or (T != kwargs and mayCopy(T))) return true;
    }
    if (kwargs) |S| {
        for (reflect.fieldTypes(S)) |T| {
            if (mayCopy(T)) return true;
        }
    }
    return false;
}

pub fn mayCopy(comptime T: type) bool {
    return switch (comptime convert.category(T)) {
        .numeric_slice, .sequence_slice, .array, .tuple, .record => true,
        .optional => mayCopy(reflect.optionalChild(T)),
        else => false,
    };
}
