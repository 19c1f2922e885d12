//! `*args`, `**kwargs` and the positional-only marker: parameter types that shape a
//! function's Python signature (see docs/signatures.md and signature.zig).
//!
//! Both views borrow the vectorcall argument array CPython hands a METH_FASTCALL
//! function, so they cost nothing to build; they are valid for the call only.
const std = @import("std");
const c = @import("capi.zig");
const object = @import("object.zig");
const convert = @import("convert.zig");
const reflect = @import("reflect.zig");
const CallContext = @import("allocator.zig").CallContext;

const Object = object.Object;
const Owned = object.Owned;
const PythonException = convert.PythonException;

/// `_: py.PositionalOnly` after some parameters makes them positional-only, like `/` in a
/// Python signature: `fn add(a: i64, b: i64, _: py.PositionalOnly)` is `add(a, b, /)`.
/// It takes no Python argument (Zig callers pass `.{}`).
pub const PositionalOnly = struct {};

/// The extra positional arguments of a call, like `*args`: `fn f(x: i64, rest: py.Args)`
/// is `f(x, *rest)`.  The items are borrowed for the call.
pub const Args = struct {
    items: [*]const *c.PyObject,
    n: usize,
    /// For messages: the function's name and the Python position of the first item (1-based).
    function: [*:0]const u8 = "function",
    first: usize = 1,

    pub const empty: Args = .{ .items = undefined, .n = 0 };

    pub fn len(self: Args) usize {
        return self.n;
    }

    /// Item `i` (borrowed); `i < len()` is the caller's invariant.
    pub fn get(self: Args, i: usize) Object {
        std.debug.assert(i < self.n);
        return Object.borrowed(self.items[i]);
    }

    /// Item `i` converted like a parameter of type T; a wrong type raises the exception
    /// a parameter would, naming the argument's position ("f() argument 3 must be int, not str").
    pub fn as(self: Args, comptime T: type, i: usize) PythonException!T {
        std.debug.assert(i < self.n);
        return convertValue(T, self.items[i]) catch |err| {
            renameArgument("%s() argument %zu%s", self.function, self.first + i);
            return err;
        };
    }

    pub fn iterator(self: Args) Iterator {
        return .{ .args = self };
    }

    pub const Iterator = struct {
        args: Args,
        i: usize = 0,

        pub fn next(self: *Iterator) ?Object {
            if (self.i >= self.args.n) return null;
            defer self.i += 1;
            return self.args.get(self.i);
        }
    };

    /// The items as a new tuple.
    pub fn toTuple(self: Args) PythonException!Owned {
        const t = c.PyTuple_New(@intCast(self.n)) orelse return error.PythonException;
        for (0..self.n) |i| _ = c.PyTuple_SetItem(t, @intCast(i), c.newref(self.items[i]));
        return .{ .ptr = t };
    }
};

/// The keyword arguments of a call that no named parameter took, like `**kwargs`:
/// `fn f(x: i64, opts: py.Kwargs)` is `f(x, **opts)`.  Names and values are borrowed.
pub const Kwargs = struct {
    names: c.Seq, // the kwnames tuple
    values: [*]const *c.PyObject,
    /// All keyword arguments of the call, including those bound to named parameters ...
    count: usize,
    /// ... whose indices (ascending) are listed here and skipped.
    taken: []const u32,
    /// For messages: the function's name.
    function: [*:0]const u8 = "function",

    pub const empty: Kwargs = .{ .names = undefined, .values = undefined, .count = 0, .taken = &.{} };

    pub const Entry = struct {
        key: Object,
        value: Object,
        function: [*:0]const u8 = "function",

        /// The value converted like a parameter of type T ("f() argument 'k' must be int, not str").
        pub fn as(self: Entry, comptime T: type) PythonException!T {
            return convertValue(T, self.value.ptr) catch |err| {
                renameArgument("%s() argument '%U'%s", self.function, self.key.ptr);
                return err;
            };
        }

        /// The keyword's name as UTF-8 (a keyword with a lone surrogate raises UnicodeEncodeError).
        pub fn name(self: Entry) PythonException![]const u8 {
            var n: c.Py_ssize_t = 0;
            const ptr = c.PyUnicode_AsUTF8AndSize(self.key.ptr, &n) orelse return error.PythonException;
            return ptr[0..@intCast(n)];
        }
    };

    pub fn len(self: Kwargs) usize {
        return self.count - self.taken.len;
    }

    fn isTaken(self: Kwargs, j: usize) bool {
        for (self.taken) |t| {
            if (t == j) return true;
        }
        return false;
    }

    /// The value passed as `name=`, or null.
    pub fn get(self: Kwargs, name: []const u8) ?Object {
        for (0..self.count) |j| {
            if (self.isTaken(j)) continue;
            var n: c.Py_ssize_t = 0;
            const ptr = c.PyUnicode_AsUTF8AndSize(self.names.get(j), &n) orelse {
                c.PyErr_Clear(); // not UTF-8 encodable: cannot equal `name`
                continue;
            };
            if (std.mem.eql(u8, ptr[0..@intCast(n)], name)) return Object.borrowed(self.values[j]);
        }
        return null;
    }

    /// The value passed as `name=` converted like a parameter of type T, or null if not
    /// passed; a wrong type raises what a parameter would ("f() argument 'level' must be int, not str").
    pub fn as(self: Kwargs, comptime T: type, name: [:0]const u8) PythonException!?T {
        const obj = self.get(name) orelse return null;
        return convertValue(T, obj.ptr) catch |err| {
            renameArgument("%s() argument '%s'%s", self.function, name.ptr);
            return err;
        };
    }

    pub fn iterator(self: Kwargs) Iterator {
        return .{ .kwargs = self };
    }

    pub const Iterator = struct {
        kwargs: Kwargs,
        j: usize = 0,
        t: usize = 0,

        pub fn next(self: *Iterator) ?Entry {
            const kw = self.kwargs;
            while (self.j < kw.count) {
                const j = self.j;
                self.j += 1;
                // `taken` is ascending, so one cursor skips it.
                if (self.t < kw.taken.len and kw.taken[self.t] == j) {
                    self.t += 1;
                    continue;
                }
                return .{ .key = Object.borrowed(kw.names.get(j)), .value = Object.borrowed(kw.values[j]), .function = kw.function };
            }
            return null;
        }
    };

    /// The keywords as a new dict.
    pub fn toDict(self: Kwargs) PythonException!Owned {
        const d = c.PyDict_New() orelse return error.PythonException;
        var it = self.iterator();
        while (it.next()) |e| {
            if (c.PyDict_SetItem(d, e.key.ptr, e.value.ptr) < 0) {
                c.decref(d);
                return error.PythonException;
            }
        }
        return .{ .ptr = d };
    }
};

/// Convert like a parameter; values that borrow nothing skip the (unused) call arena.
/// Text (`[]const u8`, `[:0]const u8`) borrows the `str`'s UTF-8 or the `bytes`' data,
/// which live as long as the call's arguments.
fn convertValue(comptime T: type, obj: *c.PyObject) PythonException!T {
    if (comptime T == []const u8 or T == [:0]const u8) return borrowedText(obj);
    // Copies (lists into slices) would need memory that outlives this function.
    if (comptime !isPlainValue(T)) @compileError("py.Args/py.Kwargs: cannot convert an item to " ++ @typeName(T) ++
        "; items convert to numbers, bools, enums, py.Object, class instances, []const u8, and tuples, arrays and structs of those");
    var unused: CallContext = undefined;
    return convert.nested(T, obj, &unused, "value");
}

fn borrowedText(obj: *c.PyObject) PythonException![:0]const u8 {
    var n: c.Py_ssize_t = 0;
    if (c.hasFlag(obj, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
        const ptr = c.PyUnicode_AsUTF8AndSize(obj, &n) orelse return error.PythonException;
        return ptr[0..@intCast(n) :0];
    }
    if (c.hasFlag(obj, c.Py_TPFLAGS_BYTES_SUBCLASS)) {
        var ptr: [*:0]u8 = undefined;
        if (c.PyBytes_AsStringAndSize(obj, &ptr, &n) < 0) return error.PythonException;
        return ptr[0..@intCast(n) :0];
    }
    return convert.wrongType("TypeError", "value", "str or bytes", obj);
}

fn isPlainValue(comptime T: type) bool {
    return switch (comptime convert.category(T)) {
        .int, .float, .bool, .@"enum", .object, .class_ref, .class_value, .type_object => true,
        .optional => isPlainValue(reflect.optionalChild(T)),
        .array => isPlainValue(reflect.arrayChild(T)),
        .tuple, .record => for (reflect.fieldTypes(T)) |F| {
            if (!isPlainValue(F)) break false;
        } else true,
        else => false,
    };
}

/// The exception just raised for "value ..." becomes "f() argument N ..." (same type);
/// `format` takes the function's name, `which` (a position or a name) and the rest.
fn renameArgument(comptime format: [*:0]const u8, function: [*:0]const u8, which: anytype) void {
    var t: ?*c.PyObject = null;
    var v: ?*c.PyObject = null;
    var tb: ?*c.PyObject = null;
    c.PyErr_Fetch(&t, &v, &tb);
    c.PyErr_NormalizeException(&t, &v, &tb);
    const text = if (v) |value| c.PyObject_Str(value) else null;
    defer if (text) |s| c.decref(s);
    const utf8: ?[*:0]const u8 = if (text) |s| c.PyUnicode_AsUTF8AndSize(s, null) else null;
    const prefix = "value";
    if (t == null or utf8 == null or !std.mem.startsWith(u8, std.mem.span(utf8.?), prefix)) {
        if (utf8 == null) c.PyErr_Clear();
        c.PyErr_Restore(t, v, tb); // not ours to reword
        return;
    }
    _ = c.PyErr_Format(t.?, format, function, which, utf8.? + prefix.len);
    c.xdecref(t);
    c.xdecref(v);
    c.xdecref(tb);
}
