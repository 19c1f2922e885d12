//! Named structs returned to Python become real named tuples: a
//! `collections.namedtuple` class per struct, created when the module executes
//! and added to it under the struct's name, so the runtime matches the stub
//! (`class Stats(NamedTuple)`): `_fields`, `_asdict()`, `_replace()`, `_make()`,
//! pickling, `isinstance(r, mod.Stats)`.
//!
//! Names: a struct's Python name is its declaration name (`Stats`; `Pair` for
//! `Pair(i64)`); an anonymous struct returned by `min_max` is `MinMaxResult`.
//! `pub const __name__ = "Name";` inside the struct overrides it.  Two structs
//! with the same Python name, or one named like a function or class of the
//! module, are a compile error (the module attribute would be ambiguous).
//!
//! Results are built like structseq builds its own: allocate the tuple
//! subclass instance with `PyType_GenericAlloc(type, n)` and fill its items --
//! no call into Python per result.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const signature = @import("signature.zig");
const source_info = @import("source_info.zig");
const options = @import("zigimport_options");

/// The Python name of a struct's named-tuple type (also used by the stubs).
pub fn pythonName(comptime T: type) [:0]const u8 {
    if (@hasDecl(T, "__name__")) return T.__name__;
    const full = @typeName(T);
    // Generic instances ("mod.Pair(i64)") are named after the generic.
    const base = if (std.mem.indexOfScalar(u8, full, '(')) |i| full[0..i] else full;
    const short = if (std.mem.lastIndexOfScalar(u8, base, '.')) |i| base[i + 1 ..] else base;
    // Anonymous structs are named after where they appear: "min_max__struct_123" is the
    // result of min_max (a struct nested in it: "min_max__struct_1__struct_2").
    if (std.mem.indexOf(u8, short, "__struct_")) |i| {
        const depth = std.mem.count(u8, short, "__struct_");
        const name = camelCase(short[0..i]) ++ "Result" ++ (if (depth > 1) @import("comptime_text.zig").integer(depth) else "");
        return if (isIdentifier(name)) name ++ "" else "Result";
    }
    return if (isIdentifier(short)) short ++ "" else "Result";
}

fn camelCase(comptime s: []const u8) []const u8 {
    var out: []const u8 = "";
    var upper = true;
    for (s) |ch| {
        if (ch == '_') {
            upper = true;
            continue;
        }
        out = out ++ &[_]u8{if (upper) std.ascii.toUpper(ch) else ch};
        upper = false;
    }
    return out;
}

fn isIdentifier(comptime s: []const u8) bool {
    if (s.len == 0 or std.ascii.isDigit(s[0])) return false;
    for (s) |ch| {
        if (!std.ascii.isAlphanumeric(ch) and ch != '_') return false;
    }
    return true;
}

const python_keywords = [_][]const u8{
    "False", "None",   "True",  "and",    "as",       "assert", "async", "await",  "break",
    "class", "continue", "def", "del",    "elif",     "else",   "except", "finally", "for",
    "from",  "global", "if",    "import", "in",       "is",     "lambda", "nonlocal", "not",
    "or",    "pass",   "raise", "return", "try",      "while",  "with",  "yield",
};

/// namedtuple refuses `_`-prefixed field names and keywords: say so at compile time.
fn checkFieldNames(comptime T: type) void {
    for (reflect.fieldNames(T)) |n| {
        const bad = n[0] == '_' or for (python_keywords) |k| {
            if (std.mem.eql(u8, k, n)) break true;
        } else false;
        if (bad) @compileError("zig_core: field '" ++ n ++ "' of " ++ @typeName(T) ++
            " cannot be a named-tuple field in Python (a keyword, or a name starting with '_'); rename it, or return a tuple struct");
    }
}

/// The `///` doc of the struct's declaration in the module's root file, if any.
pub fn doc(comptime T: type) ?[:0]const u8 {
    return source_info.declDoc(source_info.root, pythonName(T));
}

// ---- which structs a module returns ----

/// The named structs reachable from what the module hands to Python: function and method
/// results, property getters, class attributes, and structs nested in them.
pub fn moduleRecords(comptime M: type, comptime function_names: []const [:0]const u8, comptime class_names: []const [:0]const u8) []const type {
    @setEvalBranchQuota(10_000_000);
    var records: []const type = &.{};
    for (function_names) |name| {
        records = collect(signature.unwrapError(reflect.returnType(@TypeOf(@field(M, name)), name)), records);
    }
    const class = @import("class.zig");
    for (class_names) |cname| {
        const S = @field(M, cname);
        for (reflect.fieldNames(S), reflect.fieldTypes(S)) |n, F| {
            if (class.exposedFieldKind(S, n, F) != .hidden) records = collect(F, records);
        }
        for (reflect.declNames(S)) |n| {
            const D = @TypeOf(@field(S, n));
            if (class.isProperty(S, n)) {
                const P = @field(S, n);
                records = collect(signature.unwrapError(reflect.returnType(@TypeOf(P.getter), n)), records);
            } else if (reflect.isFunction(D) and !std.mem.eql(u8, n, "deinit") and !std.mem.eql(u8, n, "__buffer__")) {
                records = collect(signature.unwrapError(reflect.returnType(D, n)), records);
            }
        }
    }
    checkNames(records, function_names, class_names);
    return records;
}

fn collect(comptime T: type, comptime seen: []const type) []const type {
    return switch (comptime convert.category(T)) {
        .optional => collect(reflect.optionalChild(T), seen),
        .array => collect(reflect.arrayChild(T), seen),
        .sequence_slice, .numeric_slice => collect(reflect.pointerChild(T), seen),
        .string_map => collect(@import("string_map.zig").valueType(T).?, seen),
        .tuple => blk: {
            var s: []const type = seen;
            for (reflect.fieldTypes(T)) |F| s = collect(F, s);
            break :blk s;
        },
        .record => blk: {
            for (seen) |S| {
                if (S == T) break :blk seen;
            }
            var s: []const type = seen ++ .{T};
            for (reflect.fieldTypes(T)) |F| s = collect(F, s);
            break :blk s;
        },
        else => seen,
    };
}

fn checkNames(comptime records: []const type, comptime function_names: []const [:0]const u8, comptime class_names: []const [:0]const u8) void {
    for (records, 0..) |R, i| {
        const name = pythonName(R);
        for (records[0..i]) |Q| {
            if (std.mem.eql(u8, pythonName(Q), name)) @compileError("zig_core: the named structs " ++ @typeName(Q) ++ " and " ++
                @typeName(R) ++ " would both be the Python type '" ++ name ++ "'; name one with `pub const __name__ = \"...\";` in the struct");
        }
        for (function_names ++ class_names) |n| {
            if (std.mem.eql(u8, n, name)) @compileError("zig_core: the named struct " ++ @typeName(R) ++ " would be the module attribute '" ++
                name ++ "', which is already a function or class of the module; name it with `pub const __name__ = \"...\";` in the struct");
        }
    }
}

// ---- the runtime types ----

fn NamedTuple(comptime T: type) type {
    comptime checkFieldNames(T);
    return struct {
        const names = reflect.fieldNames(T);
        const name = pythonName(T);
        /// Set when the module executes (or on first use for a struct the module does not
        /// visibly return, e.g. one passed to `obj.call()`); a strong reference for the
        /// life of the process, like a static type.
        var type_object: ?*c.PyTypeObject = null;

        fn get() ?*c.PyTypeObject {
            if (type_object) |t| return t;
            type_object = @ptrCast(@alignCast(create() orelse return null));
            return type_object;
        }

        /// `collections.namedtuple(name, fields)` with `__module__` set to this module.
        fn create() ?*c.PyObject {
            const collections = c.PyImport_ImportModule("collections") orelse return null;
            defer c.decref(collections);
            const factory = c.PyObject_GetAttrString(collections, "namedtuple") orelse return null;
            defer c.decref(factory);
            const py_name = c.PyUnicode_FromString(name) orelse return null;
            defer c.decref(py_name);
            const fields = c.PyTuple_New(names.len) orelse return null;
            defer c.decref(fields);
            inline for (names, 0..) |n, i| {
                _ = c.PyTuple_SetItem(fields, i, c.PyUnicode_FromString(n) orelse return null);
            }
            var argv = [_]*c.PyObject{ py_name, fields };
            const t = c.call(factory, &argv) orelse return null;
            const module_name = c.PyUnicode_FromString(options.module_name) orelse {
                c.decref(t);
                return null;
            };
            defer c.decref(module_name);
            if (c.PyObject_SetAttrString(t, "__module__", module_name) != 0) {
                c.decref(t);
                return null;
            }
            if (doc(T)) |d| {
                const text = c.PyUnicode_FromString(d.ptr) orelse {
                    c.decref(t);
                    return null;
                };
                defer c.decref(text);
                if (c.PyObject_SetAttrString(t, "__doc__", text) != 0) {
                    c.decref(t);
                    return null;
                }
            }
            return t;
        }

        fn register(module: *c.PyObject) bool {
            const t = create() orelse return false;
            // A re-executed module (reload) gets new types; old instances keep theirs alive.
            if (type_object) |old| c.decref(@ptrCast(@alignCast(old)));
            type_object = @ptrCast(@alignCast(t));
            return c.PyModule_AddObjectRef(module, name, t) == 0;
        }
    };
}

/// Create the named-tuple types of the structs `M` returns and add them to `module`
/// (called from the module's exec slot).
pub fn registerAll(comptime M: type, module: *c.PyObject) bool {
    const mod = @import("module.zig");
    const records = comptime moduleRecords(M, mod.functionNames(M), mod.classNames(M));
    inline for (records) |R| {
        if (!NamedTuple(R).register(module)) return false;
    }
    return true;
}

pub fn toPython(comptime T: type, value: T) ?*c.PyObject {
    const NT = NamedTuple(T);
    const t = NT.get() orelse return null;
    // A namedtuple adds no fields to tuple (`__slots__ = ()`): its instances are tuples of n
    // items, laid out as capi.tupleItems assumes (3.14 adds a cached hash to tuples: revisit then).
    if (comptime c.limited_api) { // abi3: a plain tuple of the values, then the namedtuple made from it
        const plain = c.PyTuple_New(NT.names.len) orelse return null;
        defer c.decref(plain);
        inline for (NT.names, 0..) |n, i| {
            const v = convert.toPython(@field(value, n)) orelse return null;
            _ = c.PyTuple_SetItem(plain, i, v);
        }
        const type_obj: *c.PyObject = @ptrCast(@alignCast(t));
        return c.PyObject_Call(type_obj, plain, null);
    }
    const result = c.PyType_GenericAlloc(t, NT.names.len) orelse return null;
    const items = c.tupleItems(result);
    inline for (NT.names, 0..) |n, i| {
        items[i] = convert.toPython(@field(value, n)) orelse {
            c.decref(result); // unset items are NULL, which tuple's dealloc skips
            return null;
        };
    }
    return result;
}
