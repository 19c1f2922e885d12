//! How a Zig function's parameters become a Python signature (docs/signatures.md).
//!
//! - `std.mem.Allocator`, `py.NoGil`, `self` and a classmethod's `py.Type` are injected,
//!   not Python arguments.
//! - Plain parameters are positional-or-keyword, named as in Zig (a trailing `_` dropped:
//!   `num_` is `num`).  `_: py.PositionalOnly` makes the ones before it positional-only
//!   (Python's `/`); so do unnamed ones (`_`, or names the scan could not read).
//!   Trailing `?T` parameters may be omitted and default to None.
//! - `py.Args` takes the extra positional arguments (`*args`); plain parameters after it
//!   are keyword-only.  `py.Kwargs` takes the unknown keywords (`**kwargs`); it comes last.
//! - An anonymous `struct { ... }` written in the signature (not a named struct: that is a
//!   record, a tuple or dict) stands for keyword parameters, its fields with their
//!   defaults.  Alone, its fields are positional-or-keyword (`(x, lo=0.0, hi=1.0)`); after
//!   other parameters they are keyword-only (`(x, *, y=42.0)`).  It comes last (before a
//!   `py.Kwargs`).
//! Parameter names cannot be reflected in Zig 0.17: zigimport scans them from the
//! source (see zigimport/build/signature_scan.py) and passes them in `FnInfo`.
const std = @import("std");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const varargs = @import("varargs.zig");

/// What zigimport's source scan knows about a function (absent: null).
pub const FnInfo = struct {
    doc: ?[:0]const u8,
    params: []const [:0]const u8,
    line: u32,
};

/// python: a plain Python parameter; keywords: the anonymous struct of keyword parameters;
/// var_positional/var_keyword: `py.Args`/`py.Kwargs`; positional_only: the `py.PositionalOnly`
/// marker; allocator: the per-call arena; receiver: `self` (a class instance); class_type:
/// the class of a classmethod (`py.Type`); nogil: `py.NoGil`, the request to run without the GIL.
pub const ParamRole = enum { python, allocator, receiver, class_type, nogil, keywords, var_positional, var_keyword, positional_only };

pub const ZigParam = struct {
    role: ParamRole,
    T: type,
    /// Index among the Python parameters (role == .python).
    python_index: usize = 0,
};

/// How a Python parameter may be passed, as in `inspect.Parameter.kind`.
pub const ParamKind = enum { positional_only, positional_or_keyword, keyword_only };

pub const PyParam = struct {
    /// The Python name.
    name: [:0]const u8,
    T: type,
    /// Index of the struct field (keyword struct) or Zig parameter (plain parameter).
    index: usize,
    /// May be left out: a `?T` plain parameter (None) or a field with a default.
    optional: bool,
    kind: ParamKind = .positional_only,
    /// A field of the keyword struct (else a plain Zig parameter).
    field: bool = false,
    /// The Zig name of the field (for `@field`); the Python name may drop a trailing `_`.
    zig_name: [:0]const u8 = "",
};

pub const Signature = struct {
    name: [:0]const u8,
    /// The class whose method this is, or null for a module function.
    receiver: ?type,
    zig_params: []const ZigParam,
    /// The named Python parameters in Python order: positional ones (positional-only
    /// first), then keyword-only ones.
    python: []const PyParam,
    /// The anonymous struct whose fields are keyword parameters, if there is one.
    kwargs: ?type,
    /// Zig parameter index of that struct.
    kwargs_index: usize,
    /// Python parameters that may be passed by position: python[0..positional].
    positional: usize,
    /// Of those, the positional-only ones: python[0..positional_only].
    positional_only: usize,
    /// Positional parameters before the first trailing run of omittable ones: the fewest
    /// positional arguments a call without keywords needs.
    required: usize,
    /// The Python names of the `py.Args` / `py.Kwargs` parameters, if any.
    var_positional: ?[:0]const u8,
    var_keyword: ?[:0]const u8,
    /// Whether the function takes keyword arguments at all (METH_KEYWORDS).
    keywords: bool,
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

    /// Whether a keyword-only parameter must be given.
    pub fn hasRequiredKeywordOnly(comptime self: Signature) bool {
        for (self.python) |p| {
            if (p.kind == .keyword_only and !p.optional) return true;
        }
        return false;
    }

    /// "f() argument 2 (b)" or "f() argument 'x'": how messages name a parameter.
    pub fn describe(comptime self: Signature, comptime i: usize) []const u8 {
        const p = self.python[i];
        // Concatenation, not comptimePrint: this runs per function and parameter (comptime_text.zig).
        if (p.field or p.kind == .keyword_only) return self.name ++ "() argument '" ++ p.name ++ "'";
        return self.name ++ "() argument " ++ @import("comptime_text.zig").decimal(i + 1) ++ " (" ++ p.name ++ ")";
    }
};

pub fn isAllocator(comptime T: type) bool {
    return T == std.mem.Allocator;
}

/// An anonymous `struct { ... }` written in a signature: Zig names it after the function,
/// `<fn>__struct_<n>` (checked for Zig 0.17).  A named struct (`Point`,
/// `std.StringHashMap(i64)`, `Gen()`) is a record parameter instead, never keywords.
pub fn isKeywordStruct(comptime T: type) bool {
    if (reflect.kind(T) != .@"struct" or convert.category(T) != .record) return false;
    const full = @typeName(T);
    const last = if (std.mem.lastIndexOfScalar(u8, full, '.')) |i| full[i + 1 ..] else full;
    const marker = "__struct_";
    const at = std.mem.lastIndexOf(u8, last, marker) orelse return false;
    const digits = last[at + marker.len ..];
    if (digits.len == 0) return false;
    for (digits) |ch| {
        if (!std.ascii.isDigit(ch)) return false;
    }
    return true;
}

/// The Python name of a Zig name: a trailing `_` is dropped (`num_` -> `num`), so a
/// parameter can be named like a declaration it would clash with in Zig -- unless that
/// leaves a Python keyword, which keeps (or gets) PEP 8's trailing `_` (`from_`, `is` -> `is_`).
pub fn pythonName(comptime zig: [:0]const u8) [:0]const u8 {
    const stripped: [:0]const u8 = if (zig.len > 1 and zig[zig.len - 1] == '_') zig[0 .. zig.len - 1] ++ "" else zig;
    if (isPythonKeyword(stripped)) return stripped ++ "_";
    return stripped;
}

const python_keywords = [_][]const u8{
    "False",  "None",   "True",    "and",      "as",       "assert", "async", "await",
    "break",  "class",  "continue", "def",     "del",      "elif",   "else",  "except",
    "finally", "for",   "from",    "global",   "if",       "import", "in",    "is",
    "lambda", "nonlocal", "not",   "or",       "pass",     "raise",  "return", "try",
    "while",  "with",   "yield",
};

fn isPythonKeyword(comptime name: []const u8) bool {
    for (python_keywords) |k| {
        if (std.mem.eql(u8, k, name)) return true;
    }
    return false;
}

fn scannedName(comptime info: ?FnInfo, comptime i: usize) ?[:0]const u8 {
    const fi = info orelse return null;
    if (i >= fi.params.len) return null;
    const n = fi.params[i];
    if (n.len == 0 or std.mem.eql(u8, n, "_")) return null;
    return n;
}

/// `receiver`: the type of a method's `self` (a pointer to it), or null for functions.
pub fn analyze(comptime F: type, comptime name: [:0]const u8, comptime info: ?FnInfo, comptime receiver: ?type) Signature {
    return analyzeHinted(F, name, info, receiver, "");
}

/// `analyze`, with `hint` appended to the errors about a parameter or result type Python
/// cannot have (module.zig: how to keep a pub fn out of Python).  Every analysis of one
/// function must pass the same hint, so that Zig analyses it once (comptime calls are memoized).
pub fn analyzeHinted(comptime F: type, comptime name: [:0]const u8, comptime info: ?FnInfo, comptime receiver: ?type, comptime hint: []const u8) Signature {
    @setEvalBranchQuota(100_000);
    const what = name ++ "()";
    if (reflect.firstGenericParam(F)) |i| @compileError(what ++ ": parameter " ++ @import("comptime_text.zig").decimal(i + 1) ++
        " is generic (anytype); functions exported to Python need concrete parameter types" ++ hint);
    if (reflect.returnIsGeneric(F)) @compileError(what ++ ": the return type is generic; functions exported to Python need a concrete return type" ++ hint);
    const params = reflect.paramTypes(F, what);
    const Return = reflect.returnType(F, what);
    const object = @import("object.zig");
    var zig_params: [params.len]ZigParam = undefined;
    var python: []const PyParam = &.{};
    var kwargs: ?type = null;
    var kwargs_index: usize = 0;
    var var_positional: ?[:0]const u8 = null;
    var var_keyword: ?[:0]const u8 = null;
    var marker_at: ?usize = null; // python.len when `py.PositionalOnly` was seen
    var unnamed_upto: usize = 0; // plain parameters before this count have no usable name
    // Where in a Python signature the next parameter would go.
    const Stage = enum { positional, keyword_only, after_keywords, after_var_keyword };
    var stage: Stage = .positional;
    for (params, 0..) |T, i| {
        // Concatenation, not comptimePrint: this runs per function and parameter (comptime_text.zig).
        const pdesc = what ++ ": parameter " ++ @import("comptime_text.zig").decimal(i + 1) ++ (if (scannedName(info, i)) |n| " (" ++ n ++ ")" else "");
        if (isAllocator(T)) {
            zig_params[i] = .{ .role = .allocator, .T = T };
            continue;
        } else if (T == object.NoGil) {
            zig_params[i] = .{ .role = .nogil, .T = T };
            continue;
        } else if (i == 0 and receiver != null and isReceiver(T, receiver.?)) {
            zig_params[i] = .{ .role = .receiver, .T = T };
            continue;
        } else if (i == 0 and receiver != null and T == object.Type) {
            zig_params[i] = .{ .role = .class_type, .T = T };
            continue;
        }
        if (stage == .after_var_keyword) @compileError(pdesc ++ " comes after the py.Kwargs parameter, which must be the last Python parameter");
        if (T == varargs.PositionalOnly) {
            if (stage != .positional or marker_at != null) @compileError(pdesc ++ ": py.PositionalOnly marks the end of the positional-only parameters; it may appear once, before py.Args, keyword parameters and py.Kwargs");
            if (python.len == 0) @compileError(pdesc ++ ": py.PositionalOnly must follow the parameters it makes positional-only (like `/` in Python)");
            zig_params[i] = .{ .role = .positional_only, .T = T };
            marker_at = python.len;
        } else if (T == varargs.Args) {
            if (stage != .positional) @compileError(pdesc ++ ": py.Args must come before keyword parameters and py.Kwargs, and only once");
            zig_params[i] = .{ .role = .var_positional, .T = T };
            var_positional = pythonName(scannedName(info, i) orelse "args");
            stage = .keyword_only;
        } else if (T == varargs.Kwargs) {
            zig_params[i] = .{ .role = .var_keyword, .T = T };
            var_keyword = pythonName(scannedName(info, i) orelse "kwargs");
            stage = .after_var_keyword;
        } else if (isKeywordStruct(T)) {
            if (stage == .after_keywords) @compileError(pdesc ++ ": only one anonymous struct of keyword parameters is allowed");
            zig_params[i] = .{ .role = .keywords, .T = T };
            // Alone it is the whole signature (positional-or-keyword fields); after other
            // parameters its fields are keyword-only, like after `*` in Python.
            const alone = python.len == 0 and stage == .positional;
            python = python ++ kwParams(T, what, if (alone) .positional_or_keyword else .keyword_only, hint);
            kwargs = T;
            kwargs_index = i;
            stage = .after_keywords;
        } else {
            if (stage == .after_keywords) @compileError(pdesc ++ " comes after the anonymous struct of keyword parameters; put that struct last (only a py.Kwargs may follow it)");
            if (!convert.isParameterType(T)) @compileError(std.fmt.comptimePrint(
                "{s}: parameter {d} ({s}) has type {s}, which zig_core cannot convert from Python",
                .{ what, i + 1, scannedName(info, i) orelse std.fmt.comptimePrint("arg{d}", .{python.len}), displayName(T) },
            ) ++ hint);
            const scanned = scannedName(info, i);
            const kind: ParamKind = if (stage == .keyword_only) .keyword_only else .positional_or_keyword;
            if (scanned == null) {
                if (kind == .keyword_only) @compileError(pdesc ++ " follows py.Args, so it is keyword-only, but it has no name zigimport could read (name it, and declare the function in the module's root file)");
                unnamed_upto = python.len + 1;
            }
            zig_params[i] = .{ .role = .python, .T = T, .python_index = python.len };
            python = python ++ &[_]PyParam{.{
                .name = if (scanned) |n| pythonName(n) else "arg" ++ @import("comptime_text.zig").integer(python.len),
                .T = T,
                .index = i,
                .optional = reflect.kind(T) == .optional,
                .kind = kind,
            }};
        }
    }
    // Positional-only: up to the marker, and up to the last unnamed positional parameter.
    const positional_only = @max(marker_at orelse 0, unnamed_upto);
    var positional: usize = 0;
    var final_python: [python.len]PyParam = python[0..python.len].*;
    for (&final_python, 0..) |*p, k| {
        if (p.kind == .keyword_only) continue;
        positional = k + 1;
        if (k < positional_only) p.kind = .positional_only;
    }
    // Python arguments needed at minimum (trailing optional/defaulted ones may be left out).
    var required: usize = positional;
    while (required > 0 and final_python[required - 1].optional) required -= 1;
    checkNames(&final_python, var_positional, var_keyword, what);
    checkDefaultsOrder(&final_python, positional, what);
    if (!convert.isResultType(unwrapError(Return))) @compileError(what ++ ": zig_core cannot convert the return type " ++ displayName(Return) ++ " to a Python object" ++ hint);
    const final = zig_params;
    for (final) |zp| {
        if (zp.role == .nogil) checkNoGil(params, what);
    }
    const py_final = final_python;
    var keywords = var_keyword != null;
    for (py_final) |p| {
        if (p.kind != .positional_only) keywords = true;
    }
    return .{
        .name = name,
        .receiver = receiver,
        .zig_params = &final,
        .python = &py_final,
        .kwargs = kwargs,
        .kwargs_index = kwargs_index,
        .positional = positional,
        .positional_only = positional_only,
        .required = required,
        .var_positional = var_positional,
        .var_keyword = var_keyword,
        .keywords = keywords,
        .Return = Return,
        .doc = if (info) |fi| fi.doc else null,
        .needs_context = needsContext(params, &py_final),
    };
}

/// Python names must be distinct (`x` and `x_` would both be `x`).
fn checkNames(comptime python: []const PyParam, comptime star: ?[:0]const u8, comptime starstar: ?[:0]const u8, comptime what: []const u8) void {
    var names: []const []const u8 = &.{};
    for (python) |p| names = names ++ .{p.name};
    if (star) |s| names = names ++ .{s};
    if (starstar) |s| names = names ++ .{s};
    for (names, 0..) |a, i| {
        for (names[0..i]) |b| {
            if (std.mem.eql(u8, a, b)) @compileError(what ++ ": two parameters are both named '" ++ a ++ "' in Python (a trailing '_' is dropped from Python names)");
        }
    }
}

/// In Python a positional parameter without a default cannot follow one with a default.
fn checkDefaultsOrder(comptime python: []const PyParam, comptime positional: usize, comptime what: []const u8) void {
    var defaulted: ?[]const u8 = null;
    for (python[0..positional]) |p| {
        if (!p.field) continue; // plain `?T` parameters only default when trailing
        if (p.optional) {
            defaulted = defaulted orelse p.name;
        } else if (defaulted) |d| {
            @compileError(what ++ ": keyword field '" ++ p.name ++ "' has no default but follows '" ++ d ++ "', which has one; Python requires defaults last (reorder the fields, or give '" ++ p.name ++ "' a default)");
        }
    }
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
    if (comptime @import("handle.zig").isHandle(T)) return @import("handle.zig").info(T).display;
    if (T == varargs.Args) return "py.Args";
    if (T == varargs.Kwargs) return "py.Kwargs";
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
    if (comptime @import("handle.zig").isHandle(T)) return true; // py.Dict, py.List, ...
    if (T == varargs.Args or T == varargs.Kwargs) return true;
    if (T == varargs.PositionalOnly) return false;
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

fn kwParams(comptime S: type, comptime what: []const u8, comptime kind: ParamKind, comptime hint: []const u8) []const PyParam {
    const names = reflect.fieldNames(S);
    const types = reflect.fieldTypes(S);
    var out: [names.len]PyParam = undefined;
    for (names, types, 0..) |n, T, i| {
        if (reflect.fieldIsComptime(S, i)) @compileError(what ++ ": keyword field '" ++ n ++ "' must not be comptime");
        if (!convert.isParameterType(T)) @compileError(what ++ ": keyword parameter '" ++ n ++ "' has type " ++ displayName(T) ++ ", which zig_core cannot convert from Python" ++ hint);
        out[i] = .{ .name = pythonName(n), .T = T, .index = i, .optional = reflect.fieldDefault(S, i) != null, .kind = kind, .field = true, .zig_name = n };
    }
    const final = out;
    return &final;
}

/// Whether a call needs an arena: an injected allocator, or a parameter that may be copied.
/// In the keyword form the struct's fields are converted one by one, like parameters.
fn needsContext(comptime params: []const type, comptime python: []const PyParam) bool {
    for (params) |T| {
        if (isAllocator(T)) return true;
    }
    for (python) |p| {
        if (mayCopy(p.T)) return true;
    }
    return false;
}

pub fn mayCopy(comptime T: type) bool {
    return switch (comptime convert.category(T)) {
        .numeric_slice, .sequence_slice, .array, .tuple, .record, .string_map => true,
        .optional => mayCopy(reflect.optionalChild(T)),
        else => false,
    };
}
