//! Zig enums as Python `enum` classes.
//!
//! Every `pub const Color = enum { ... };` of the module becomes `mod.Color`, made
//! when the module is executed; an enum declared elsewhere (inside a class, in
//! another file) gets its class on first use (same kind, not a module attribute).
//! Results of enum type are the members (`mod.Color.red`); parameters accept a
//! member, its name (str) or its value (int).
//!
//! Which kind of enum:
//! - `enum { red, green }` (tag type inferred, values 0..n-1 in order): str-valued,
//!   `Color.red == "red"` (enum.StrEnum on 3.11+, a `str` + `Enum` class with
//!   StrEnum's str()/format() on 3.10).
//! - an explicit tag type or explicit values (`enum(u8) { ... }`, `enum { a = 3, b }`),
//!   or a non-exhaustive enum: `enum.IntEnum` with the Zig values; a non-exhaustive
//!   enum's unnamed values come back as plain ints.
//!   (`enum(u1) { a, b }` cannot be told from `enum { a, b }`: it is str-valued.)
//! An enum with a member Python's enum refuses (`mro`, `_sunder_` names) has no class and
//! converts to its names as str (see hasClass).
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const options = @import("zigimport_options");

const PythonException = convert.PythonException;

/// The user's module (as class.zig finds it), to name enum classes after their declarations.
const user = blk: {
    const root = @import("root");
    break :blk if (@hasDecl(root, "zigimport_user_module")) root.zigimport_user_module else struct {};
};

/// The first `pub const` of the module that is E (aliases share that name's class), or null.
pub fn moduleName(comptime E: type) ?[:0]const u8 {
    @setEvalBranchQuota(100_000);
    for (enumNames(user)) |name| {
        if (@field(user, name) == E) return name;
    }
    return null;
}

fn className(comptime E: type) [:0]const u8 {
    return moduleName(E) orelse shortName(E);
}

/// Whether E can be a Python enum class: `enum` refuses the member name `mro` and reserves
/// `_sunder_`/`__dunder__` names.  Such an enum keeps converting to and from its names (str).
pub fn hasClass(comptime E: type) bool {
    for (reflect.fieldNames(E)) |n| {
        if (std.mem.eql(u8, n, "mro")) return false;
        if (n.len >= 2 and n[0] == '_' and n[n.len - 1] == '_') return false;
    }
    return true;
}

/// Whether enum E becomes an IntEnum (else a str-valued enum).
pub fn isIntEnum(comptime E: type) bool {
    if (!reflect.enumIsExhaustive(E)) return true;
    const values = reflect.enumValues(E);
    for (values, 0..) |v, i| {
        if (v != i) return true;
    }
    const Inferred = std.math.IntFittingRange(0, if (values.len == 0) 0 else values.len - 1);
    return reflect.enumTag(E) != Inferred;
}

fn shortName(comptime E: type) [:0]const u8 {
    const full = @typeName(E);
    const short = if (std.mem.lastIndexOfScalar(u8, full, '.')) |i| full[i + 1 ..] else full;
    // Anonymous enums are named after where they appear, e.g. "f__enum_123".
    if (std.mem.indexOf(u8, short, "__enum_") != null or std.mem.indexOfAny(u8, short, "(),") != null) return "Enum";
    return short ++ "";
}

fn EnumClass(comptime E: type) type {
    return struct {
        const names = reflect.fieldNames(E);
        // The class and its members, made at module exec (or on first use) and kept for the
        // life of the process, like a static type.
        var class_object: ?*c.PyObject = null;
        var members: [names.len]*c.PyObject = undefined;

        fn get() ?*c.PyObject {
            if (class_object) |cls| return cls;
            return create(className(E));
        }

        /// Make the class `name` (replacing an earlier one: the module was executed again).
        fn create(comptime name: [:0]const u8) ?*c.PyObject {
            const cls = build(name) orelse return null;
            var got: [names.len]*c.PyObject = undefined;
            for (names, 0..) |n, i| {
                const key = c.PyUnicode_FromString(n) orelse return fail(cls, got[0..i]);
                defer c.decref(key);
                got[i] = c.PyObject_GetItem(cls, key) orelse return fail(cls, got[0..i]);
            }
            // Earlier objects stay alive: instances of the old module may still hand them out.
            class_object = cls;
            members = got;
            return cls;
        }

        fn fail(cls: *c.PyObject, got: []const *c.PyObject) ?*c.PyObject {
            for (got) |m| c.decref(m);
            c.decref(cls);
            return null;
        }

        fn build(comptime name: [:0]const u8) ?*c.PyObject {
            const int_enum = comptime isIntEnum(E);
            const enum_module = c.PyImport_ImportModule("enum") orelse return null;
            defer c.decref(enum_module);
            const base_name = if (int_enum) "IntEnum" else if (c.py_minor >= 11) "StrEnum" else "Enum";
            const base = c.PyObject_GetAttrString(enum_module, base_name) orelse return null;
            defer c.decref(base);
            const pairs = c.PyList_New(names.len) orelse return null;
            defer c.decref(pairs);
            inline for (names, 0..) |n, i| {
                // (name, value) pairs; the tuple owns both as soon as it exists.
                const pair = c.PyTuple_New(2) orelse return null;
                _ = c.PyList_SetItem(pairs, i, pair);
                const key = c.PyUnicode_FromString(n) orelse return null;
                _ = c.PyTuple_SetItem(pair, 0, key);
                const value = (if (int_enum) convert.toPython(@intFromEnum(@field(E, n))) else c.PyUnicode_FromString(n)) orelse return null;
                _ = c.PyTuple_SetItem(pair, 1, value);
            }
            const py_name = c.PyUnicode_FromString(name) orelse return null;
            defer c.decref(py_name);
            const args = [_]*c.PyObject{ py_name, pairs };
            const kwargs = c.PyDict_New() orelse return null;
            defer c.decref(kwargs);
            const module_name = c.PyUnicode_FromString(options.module_name) orelse return null;
            defer c.decref(module_name);
            if (c.PyDict_SetItemString(kwargs, "module", module_name) < 0) return null;
            if (c.PyDict_SetItemString(kwargs, "qualname", py_name) < 0) return null;
            const str_type: *c.PyObject = @ptrCast(@alignCast(c.PyUnicode_Type));
            if (!int_enum and c.py_minor < 11) {
                if (c.PyDict_SetItemString(kwargs, "type", str_type) < 0) return null;
            }
            const cls = c.PyObject_VectorcallDict(base, &args, args.len, kwargs) orelse return null;
            if (!int_enum and c.py_minor < 11) {
                // What StrEnum does on 3.11+: str(Color.red) == "red".
                inline for (.{ "__str__", "__format__" }) |attr| {
                    const f = c.PyObject_GetAttrString(str_type, attr) orelse return fail(cls, &.{});
                    defer c.decref(f);
                    if (c.PyObject_SetAttrString(cls, attr, f) < 0) return fail(cls, &.{});
                }
            }
            return cls;
        }
    };
}

/// Module exec: add the module's `pub const` enums as classes.
pub fn register(comptime M: type, module: *c.PyObject) bool {
    inline for (comptime enumNames(M)) |name| {
        const E = @field(M, name);
        const first = comptime std.mem.eql(u8, firstNameOf(M, E).?, name);
        // The first name makes the class anew (a re-executed module gets fresh classes).
        const cls = (if (first) EnumClass(E).create(name) else EnumClass(E).get()) orelse return false;
        if (c.PyModule_AddObjectRef(module, name, cls) < 0) return false;
    }
    return true;
}

fn enumNames(comptime M: type) []const [:0]const u8 {
    var out: []const [:0]const u8 = &.{};
    for (reflect.declNames(M)) |name| {
        if (@TypeOf(@field(M, name)) == type and reflect.kind(@field(M, name)) == .@"enum" and hasClass(@field(M, name))) out = out ++ .{name};
    }
    return out;
}

/// The first declaration naming E (an alias `pub const B = A;` shares A's class).
fn firstNameOf(comptime M: type, comptime E: type) ?[:0]const u8 {
    for (enumNames(M)) |name| {
        if (@field(M, name) == E) return name;
    }
    return null;
}

/// The member for `value` (a new reference); a non-exhaustive enum's unnamed value is an int.
pub fn toPython(comptime E: type, value: E) ?*c.PyObject {
    if (comptime !hasClass(E)) {
        inline for (comptime reflect.fieldNames(E)) |n| {
            if (value == @field(E, n)) return c.PyUnicode_InternFromString(n);
        }
        return convert.toPython(@intFromEnum(value));
    }
    const C = EnumClass(E);
    _ = C.get() orelse return null;
    inline for (C.names, 0..) |n, i| {
        if (value == @field(E, n)) return c.newref(C.members[i]);
    }
    return convert.toPython(@intFromEnum(value));
}

/// A parameter given an enum member: E's own (which one), another enum's (TypeError: a
/// `Level.low` is not a `Color` even if its value would match), or null: not an Enum.
pub fn fromMember(comptime E: type, obj: *c.PyObject, comptime what: []const u8) PythonException!?E {
    const t = obj.ob_type;
    if (t == c.PyUnicode_Type or t == c.PyLong_Type) return null; // plain names and values
    if (comptime !hasClass(E)) return null;
    const C = EnumClass(E);
    if (C.class_object) |cls| {
        if (@as(*c.PyObject, @ptrCast(@alignCast(t))) == cls) {
            inline for (C.names, 0..) |n, i| {
                if (C.members[i] == obj) return @field(E, n);
            }
        }
    }
    const enum_module = c.PyImport_ImportModule("enum") orelse return error.PythonException;
    defer c.decref(enum_module);
    const base = c.PyObject_GetAttrString(enum_module, "Enum") orelse return error.PythonException;
    defer c.decref(base);
    const is_enum = c.PyObject_IsInstance(obj, base);
    if (is_enum < 0) return error.PythonException;
    if (is_enum == 0) return null;
    if (try isEarlierClass(E, t)) return null; // a member of the class before a re-import: by name/value
    return convert.wrongType("TypeError", what, comptime className(E) ++ " (or one of " ++ nameList(E) ++ ")", obj);
}

/// Whether `t` is E's class from an earlier execution of the module (same module and qualname).
fn isEarlierClass(comptime E: type, t: *c.PyTypeObject) PythonException!bool {
    const type_obj: *c.PyObject = @ptrCast(@alignCast(t));
    const attrs = [2][:0]const u8{ "__module__", "__qualname__" };
    const want = comptime [2][]const u8{ options.module_name, className(E) };
    inline for (attrs, want) |attr, expected| {
        const got = c.PyObject_GetAttrString(type_obj, attr) orelse return error.PythonException;
        defer c.decref(got);
        if (!c.hasFlag(got, c.Py_TPFLAGS_UNICODE_SUBCLASS)) return false;
        var len: c.Py_ssize_t = 0;
        const ptr = c.PyUnicode_AsUTF8AndSize(got, &len) orelse return error.PythonException;
        if (!std.mem.eql(u8, ptr[0..@intCast(len)], expected)) return false;
    }
    return true;
}

fn nameList(comptime E: type) []const u8 {
    var s: []const u8 = "";
    for (reflect.fieldNames(E), 0..) |n, i| s = s ++ (if (i == 0) "'" else ", '") ++ n ++ "'";
    return s;
}

// ---- stubs ----

/// The annotation for enum E: its class if the module declares it (plus its names, which
/// parameters also accept), else the names as a Literal.
pub fn pyType(comptime E: type, comptime parameter: bool) []const u8 {
    const literal = "Literal[" ++ nameList(E) ++ "]";
    const name = (if (hasClass(E)) moduleName(E) else null) orelse return literal;
    // IntEnum parameters take plain ints too; a non-exhaustive enum's unnamed values are ints.
    const int = isIntEnum(E) and (parameter or !reflect.enumIsExhaustive(E));
    return (if (parameter) name ++ " | " ++ literal else name) ++ (if (int) " | int" else "");
}

const keywords = [_][]const u8{ "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield" };

fn isKeyword(comptime n: []const u8) bool {
    for (keywords) |k| {
        if (std.mem.eql(u8, k, n)) return true;
    }
    return false;
}

/// Stub classes for the module's enums (`class Color(str, enum.Enum): ...`).
pub fn stubs(comptime M: type) []const u8 {
    @setEvalBranchQuota(1_000_000);
    var s: []const u8 = "";
    for (enumNames(M)) |name| {
        const E = @field(M, name);
        const first = firstNameOf(M, E).?;
        if (!std.mem.eql(u8, first, name)) {
            s = s ++ name ++ " = " ++ first ++ "\n\n";
            continue;
        }
        const int_enum = isIntEnum(E);
        s = s ++ "class " ++ name ++ (if (int_enum) "(enum.IntEnum):\n" else "(str, enum.Enum):\n");
        const names = reflect.fieldNames(E);
        if (names.len == 0) s = s ++ "    pass\n";
        for (names, reflect.enumValues(E)) |n, v| {
            if (isKeyword(n)) continue; // reachable with getattr only
            s = s ++ "    " ++ n ++ " = " ++ (if (int_enum) @import("comptime_text.zig").integer(v) else "'" ++ n ++ "'") ++ "\n";
        }
        // The str mixin puts Enum.__new__(cls, value) in the class at run time; without this line the
        // stub would inherit str.__new__'s signature (as typeshed's StrEnum declares it too).
        if (!int_enum) s = s ++ "    def __new__(cls, value: object) -> Self: ...\n";
        s = s ++ "\n";
    }
    return s;
}
