//! Operations every object handle has (py.Object, py.Owned, py.Dict, py.List, ...).
//! Each handle re-exports them as its own declarations (`pub const repr = Ops.repr;`),
//! so `d.repr()` works on a `py.Dict` as on a `py.Object`.
//!
//! Rules: arguments are borrowed, never consumed (pass a `py.Owned` and it stays yours;
//! Zig values are converted like results); every object returned to you is `py.Owned`
//! (or a typed `.Owned`); a failure returns `error.PythonException` with the Python
//! exception set (see pending_exception.zig for catching it).
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const objects = @import("object.zig");
const handle = @import("handle.zig");
const convert = @import("convert.zig");
const Str = @import("str.zig").Str;
const Iterator = @import("iter.zig").Iterator;

pub const PythonException = @import("errors.zig").PythonException;
const Object = objects.Object;
const Owned = objects.Owned;

pub fn isObjectHandle(comptime T: type) bool {
    return T == Object or T == Owned or T == objects.Type or handle.isHandle(T);
}

/// A Python object for an argument, and whether it is a temporary to release.
pub const Arg = struct {
    ptr: *c.PyObject,
    temporary: bool,

    pub fn release(self: Arg) void {
        if (self.temporary) c.decref(self.ptr);
    }
};

/// Handles are used as they are; Zig values become temporary objects.
pub fn arg(value: anytype) PythonException!Arg {
    if (comptime isObjectHandle(@TypeOf(value))) return .{ .ptr = value.ptr, .temporary = false };
    return .{ .ptr = newReference(value) orelse return error.PythonException, .temporary = true };
}

/// A new reference for `value` (a handle: another reference to it; a Zig value: converted
/// like a result; literals too: `1` is an int, `2.5` a float, `null` None).
pub fn newReference(value: anytype) ?*c.PyObject {
    const T = @TypeOf(value);
    if (comptime isObjectHandle(T)) return c.newref(value.ptr);
    if (T == comptime_int) return convert.toPython(@as(std.math.IntFittingRange(@min(value, -1), @max(value, 0)), value));
    if (T == comptime_float) return convert.toPython(@as(f64, value));
    if (T == @TypeOf(null)) return c.newref(c.none());
    return convert.toPython(value);
}

fn check(result: c_int) PythonException!void {
    if (result < 0) return error.PythonException;
}

fn checkBool(result: c_int) PythonException!bool {
    if (result < 0) return error.PythonException;
    return result != 0;
}

/// `callable(*args, **kwargs)`: `args` a tuple (`.{1, "x"}`), `kwargs` a struct literal
/// (`.{ .sep = ", " }`), a `py.Dict`/object mapping, or null.
pub fn callWith(callable: *c.PyObject, args: anytype, kwargs: anytype) PythonException!Owned {
    const n = comptime reflect.fieldTypes(@TypeOf(args)).len;
    var argv: [n]*c.PyObject = undefined;
    var made: usize = 0;
    defer for (argv[0..made]) |a| c.decref(a);
    inline for (0..n) |i| {
        argv[i] = newReference(args[i]) orelse return error.PythonException;
        made += 1;
    }
    const K = @TypeOf(kwargs);
    if (K == @TypeOf(null)) return Owned.fromNew(c.PyObject_VectorcallDict(callable, &argv, n, null));
    if (comptime isObjectHandle(K)) {
        if (comptime handle.isHandle(K) and !std.mem.eql(u8, handle.info(K).python_name, "dict"))
            @compileError("callKw: keyword arguments are a py.Dict or a struct literal, not " ++ handle.info(K).display);
        // CPython reads kwargs with dict internals: anything else must be refused here, not crash there.
        if (!c.hasFlag(kwargs.ptr, c.Py_TPFLAGS_DICT_SUBCLASS)) return convert.wrongType("TypeError", "keyword arguments", "a dict", kwargs.ptr);
        return Owned.fromNew(c.PyObject_VectorcallDict(callable, &argv, n, kwargs.ptr));
    }
    if (comptime reflect.kind(K) != .@"struct" or reflect.isTuple(K))
        @compileError("callKw: keyword arguments are a struct literal such as .{ .sep = \", \" } or a py.Dict, not " ++ @typeName(K));
    const names = comptime reflect.fieldNames(K);
    if (names.len == 0) return Owned.fromNew(c.PyObject_VectorcallDict(callable, &argv, n, null));
    const dict = c.PyDict_New() orelse return error.PythonException;
    defer c.decref(dict);
    inline for (names) |name| {
        const v = newReference(@field(kwargs, name)) orelse return error.PythonException;
        defer c.decref(v);
        if (c.PyDict_SetItemString(dict, name.ptr, v) < 0) return error.PythonException;
    }
    return Owned.fromNew(c.PyObject_VectorcallDict(callable, &argv, n, dict));
}

/// The UTF-8 of a str (cached in the str object) or the bytes of a bytes object: valid
/// as long as that object lives.  Both end with a NUL, so `[:0]const u8` works too.
pub fn borrowedText(comptime T: type, o: *c.PyObject, comptime what: []const u8) PythonException!T {
    if (c.hasFlag(o, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
        var n: c.Py_ssize_t = 0;
        const p = c.PyUnicode_AsUTF8AndSize(o, &n) orelse return error.PythonException;
        return p[0..@intCast(n) :0];
    }
    if (c.hasFlag(o, c.Py_TPFLAGS_BYTES_SUBCLASS)) {
        var p: [*:0]u8 = undefined;
        var n: c.Py_ssize_t = 0;
        if (c.PyBytes_AsStringAndSize(o, &p, &n) < 0) return error.PythonException;
        return p[0..@intCast(n) :0];
    }
    return convert.wrongType("TypeError", what, "str or bytes", o);
}

/// Whether converting to T may copy into an arena (numbers, handles and the like never do:
/// `as(i64)` in a loop then costs no arena setup per item).
fn needsArena(comptime T: type) bool {
    return switch (comptime convert.category(T)) {
        .int, .float, .bool, .@"enum", .object, .handle, .type_object, .class_ref, .class_value => false,
        .optional => needsArena(reflect.optionalChild(T)),
        else => true,
    };
}

/// Whether a converted `T` may point into the conversion's arena (copied items, a path's
/// bytes): such a value cannot outlive `as()`, whose arena is freed on return.
fn holdsCopiedMemory(comptime T: type) bool {
    return switch (comptime convert.category(T)) {
        .string, .mutable_bytes, .bytes, .numeric_slice, .sequence_slice, .set, .path, .ndarray => true,
        .optional => holdsCopiedMemory(reflect.optionalChild(T)),
        .array => holdsCopiedMemory(reflect.arrayChild(T)),
        .tuple, .record => for (reflect.fieldTypes(T)) |F| {
            if (holdsCopiedMemory(F)) break true;
        } else false,
        else => false,
    };
}

pub fn Methods(comptime Self: type) type {
    return struct {
        /// The same object as an untyped borrowed `py.Object`.
        pub fn object(self: Self) Object {
            return .{ .ptr = self.ptr };
        }

        /// A new, owned reference to the same object.
        pub fn newRef(self: Self) Owned {
            c.incref(self.ptr);
            return .{ .ptr = self.ptr };
        }

        pub fn isNone(self: Self) bool {
            return self.ptr == c.none();
        }

        pub fn isCallable(self: Self) bool {
            return c.PyCallable_Check(self.ptr) != 0;
        }

        /// `getattr(self, name)`.
        pub fn getAttr(self: Self, name: [:0]const u8) PythonException!Owned {
            return Owned.fromNew(c.PyObject_GetAttrString(self.ptr, name.ptr));
        }

        /// `hasattr(self, name)` (an exception other than AttributeError counts as false, like hasattr in Python 2).
        pub fn hasAttr(self: Self, name: [:0]const u8) bool {
            return c.PyObject_HasAttrString(self.ptr, name.ptr) != 0;
        }

        /// `setattr(self, name, value)`; `value` is a handle or a Zig value.
        pub fn setAttr(self: Self, name: [:0]const u8, value: anytype) PythonException!void {
            const v = try arg(value);
            defer v.release();
            try check(c.PyObject_SetAttrString(self.ptr, name.ptr, v.ptr));
        }

        /// `delattr(self, name)`.
        pub fn delAttr(self: Self, name: [:0]const u8) PythonException!void {
            try check(c.PyObject_SetAttrString(self.ptr, name.ptr, null));
        }

        /// `self(*args)`: `args` is a tuple of handles or Zig values (converted like results).
        pub fn call(self: Self, args: anytype) PythonException!Owned {
            return callWith(self.ptr, args, null);
        }

        /// `self(*args, **kwargs)`: `kwargs` is a struct literal (`.{ .key = 3 }`) or a `py.Dict`.
        pub fn callKw(self: Self, args: anytype, kwargs: anytype) PythonException!Owned {
            return callWith(self.ptr, args, kwargs);
        }

        /// `self.name(*args)`.
        pub fn callMethod(self: Self, name: [:0]const u8, args: anytype) PythonException!Owned {
            return self.callMethodKw(name, args, null);
        }

        /// `self.name(*args, **kwargs)`.
        pub fn callMethodKw(self: Self, name: [:0]const u8, args: anytype, kwargs: anytype) PythonException!Owned {
            const method = c.PyObject_GetAttrString(self.ptr, name.ptr) orelse return error.PythonException;
            defer c.decref(method);
            return callWith(method, args, kwargs);
        }

        /// `self[key]`.
        pub fn getItem(self: Self, key: anytype) PythonException!Owned {
            const k = try arg(key);
            defer k.release();
            return Owned.fromNew(c.PyObject_GetItem(self.ptr, k.ptr));
        }

        /// `self[key] = value`.
        pub fn setItem(self: Self, key: anytype, value: anytype) PythonException!void {
            const k = try arg(key);
            defer k.release();
            const v = try arg(value);
            defer v.release();
            try check(c.PyObject_SetItem(self.ptr, k.ptr, v.ptr));
        }

        /// `del self[key]`.
        pub fn delItem(self: Self, key: anytype) PythonException!void {
            const k = try arg(key);
            defer k.release();
            try check(c.PyObject_DelItem(self.ptr, k.ptr));
        }

        /// `len(self)`.
        pub fn len(self: Self) PythonException!usize {
            const n = c.PyObject_Length(self.ptr);
            if (n < 0) return error.PythonException;
            return @intCast(n);
        }

        /// `iter(self)`, for any iterable: `var it = try obj.iter(); defer it.deinit();
        /// while (try it.next()) |item| { ... }`.
        pub fn iter(self: Self) PythonException!Iterator {
            return .{ .iterator = c.PyObject_GetIter(self.ptr) orelse return error.PythonException };
        }

        /// `isinstance(self, cls)`: `cls` a Python class object (`py.Object`, `py.Type`, ...),
        /// a handle type (`py.Dict`) or a `py.class` struct.
        pub fn isInstance(self: Self, cls: anytype) PythonException!bool {
            if (@TypeOf(cls) == type) {
                if (comptime handle.isHandle(cls)) return cls.check(self.ptr);
                const class = @import("class.zig");
                if (comptime class.isClass(cls)) return class.Class(cls).check(self.ptr);
                @compileError("isInstance(" ++ @typeName(cls) ++ "): pass a Python class object, a handle type (py.Dict, py.List, py.Tuple, py.Str) or a py.class struct");
            }
            if (comptime !isObjectHandle(@TypeOf(cls))) @compileError("isInstance: expected a Python class object, not " ++ @typeName(@TypeOf(cls)));
            return checkBool(c.PyObject_IsInstance(self.ptr, cls.ptr));
        }

        /// `bool(self)`.
        pub fn isTrue(self: Self) PythonException!bool {
            return checkBool(c.PyObject_IsTrue(self.ptr));
        }

        /// `repr(self)`.
        pub fn repr(self: Self) PythonException!Str.Owned {
            return .{ .ptr = c.PyObject_Repr(self.ptr) orelse return error.PythonException };
        }

        /// `str(self)`.
        pub fn str(self: Self) PythonException!Str.Owned {
            return .{ .ptr = c.PyObject_Str(self.ptr) orelse return error.PythonException };
        }

        /// The UTF-8 of `str(self)`, copied into `allocator` (the caller frees it).
        pub fn text(self: Self, allocator: std.mem.Allocator) PythonException![]u8 {
            const s = c.PyObject_Str(self.ptr) orelse return error.PythonException;
            defer c.decref(s);
            const utf8 = try borrowedText([]const u8, s, "str()");
            return allocator.dupe(u8, utf8) catch convert.noMemory();
        }

        /// `self == other` (Python's `==`, which may raise); `other` a handle or a Zig value.
        pub fn eq(self: Self, other: anytype) PythonException!bool {
            const o = try arg(other);
            defer o.release();
            return checkBool(c.PyObject_RichCompareBool(self.ptr, o.ptr, c.Py_EQ));
        }

        /// `hash(self)` (TypeError for unhashable objects).
        pub fn hash(self: Self) PythonException!isize {
            const h = c.PyObject_Hash(self.ptr);
            if (h == -1) return error.PythonException;
            return h;
        }

        /// Convert to a Zig value as a parameter of type T would be; `py.Dict` and the other
        /// handles check the type.  `[]const u8` / `[:0]const u8` borrow the UTF-8 of a str
        /// (or the data of a bytes) for as long as the object lives; copy with `text(allocator)`.
        pub fn as(self: Self, comptime T: type) PythonException!T {
            if (T == []const u8 or T == [:0]const u8) return borrowedText(T, self.ptr, "value");
            if (comptime convert.Holder(T) != convert.NoHolder)
                @compileError("as(" ++ @typeName(T) ++ "): this would borrow memory the call does not own; use as([]const u8) for a str's UTF-8 (valid while the object lives) or text(allocator) for a copy");
            if (comptime holdsCopiedMemory(T))
                @compileError("as(" ++ @typeName(T) ++ "): the converted value would point into memory freed when as() returns; " ++
                    "declare a parameter of this type instead, iterate the object (obj.iter()), or use text(allocator) for a str");
            if (comptime !needsArena(T)) {
                var unused: @import("allocator.zig").CallContext = undefined; // never touched for these types
                return convert.nested(T, self.ptr, &unused, "value");
            }
            return convert.fromPythonOwnedless(T, self.ptr, "value");
        }
    };
}
