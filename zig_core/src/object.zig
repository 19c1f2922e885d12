//! Handles to Python objects with the reference-counting rules in their types.
//!
//! - `Object` is a *borrowed* reference: valid while whoever lent it holds it
//!   (a parameter is valid for the whole call).  Returning an `Object` from an
//!   exported function hands back a new reference to it (zig_core increfs).
//! - `Owned` is a reference you own: `deinit()` it, or return it (ownership
//!   passes to Python).  Everything zig_core creates for you is `Owned`.
const std = @import("std");
const c = @import("capi.zig");
const errors = @import("errors.zig");

pub const PythonException = errors.PythonException;

pub const Object = struct {
    ptr: *c.PyObject,

    pub fn borrowed(ptr: *c.PyObject) Object {
        return .{ .ptr = ptr };
    }

    /// A new, owned reference to the same object.
    pub fn newRef(self: Object) Owned {
        c.incref(self.ptr);
        return .{ .ptr = self.ptr };
    }

    /// The Python object of a class instance, from a pointer to its Zig struct (e.g. `self`).
    pub fn of(instance: anytype) Object {
        const S = @import("reflect.zig").pointerChild(@TypeOf(instance));
        return .{ .ptr = @import("class.zig").Layout(S).objectOf(instance) };
    }

    pub fn isNone(self: Object) bool {
        return self.ptr == c.none();
    }

    pub fn isCallable(self: Object) bool {
        return c.PyCallable_Check(self.ptr) != 0;
    }

    /// `getattr(self, name)`.
    pub fn getAttr(self: Object, name: [:0]const u8) PythonException!Owned {
        return Owned.fromNew(c.PyObject_GetAttrString(self.ptr, name.ptr));
    }

    /// `setattr(self, name, value)`.
    pub fn setAttr(self: Object, name: [:0]const u8, value: Object) PythonException!void {
        if (c.PyObject_SetAttrString(self.ptr, name.ptr, value.ptr) < 0) return error.PythonException;
    }

    /// `self(*args)`: `args` is a tuple of Zig values (converted like return values)
    /// or Python objects; the result is an owned reference.
    pub fn call(self: Object, args: anytype) PythonException!Owned {
        const convert = @import("convert.zig");
        const n = comptime @import("reflect.zig").fieldTypes(@TypeOf(args)).len;
        var argv: [n]*c.PyObject = undefined;
        var made: usize = 0;
        defer for (argv[0..made]) |a| c.decref(a);
        inline for (0..n) |i| {
            argv[i] = convert.toPython(args[i]) orelse return error.PythonException;
            made += 1;
        }
        return Owned.fromNew(c.call(self.ptr, &argv));
    }

    /// Convert to a Zig value (as a parameter of type T would be).
    pub fn as(self: Object, comptime T: type) PythonException!T {
        const convert = @import("convert.zig");
        return convert.fromPythonOwnedless(T, self.ptr, "value");
    }
};

pub const Owned = struct {
    ptr: *c.PyObject,

    /// Take ownership of a new reference returned by the C-API (null: an exception is set).
    pub fn fromNew(ptr: ?*c.PyObject) PythonException!Owned {
        return .{ .ptr = ptr orelse return error.PythonException };
    }

    pub fn borrow(self: Owned) Object {
        return .{ .ptr = self.ptr };
    }

    pub fn deinit(self: Owned) void {
        c.decref(self.ptr);
    }
};

/// `import name` (an owned reference to the module).
pub fn import(name: [:0]const u8) PythonException!Owned {
    return Owned.fromNew(c.PyImport_ImportModule(name.ptr));
}

/// The class a classmethod is called on: `pub fn make(cls: py.Type, ...) ...` (borrowed).
/// `cls.call(.{...})` constructs an instance, so subclasses get instances of themselves.
pub const Type = struct {
    ptr: *c.PyObject,

    pub fn object(self: Type) Object {
        return .{ .ptr = self.ptr };
    }

    pub fn call(self: Type, args: anytype) PythonException!Owned {
        return self.object().call(args);
    }
};

/// A parameter of this type makes zig_core release the GIL while the function runs (after
/// its arguments are converted, before its result is): two Python threads can then run it
/// in parallel.  Such a function must not touch Python objects; zig_core refuses parameters
/// that hold them (a compile error).  Buffers it receives stay valid: their exports are held.
pub const NoGil = struct {};

/// Release the GIL for a block of Zig code that touches no Python objects:
///     const threads = py.allowThreads();
///     defer threads.end();
pub fn allowThreads() ThreadsAllowed {
    return .{ .state = c.PyEval_SaveThread() };
}

pub const ThreadsAllowed = struct {
    state: ?*c.PyThreadState,

    /// Take the GIL back.
    pub fn end(self: ThreadsAllowed) void {
        c.PyEval_RestoreThread(self.state);
    }
};
