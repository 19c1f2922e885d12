//! Handles to Python objects with the reference-counting rules in their types.
//!
//! - `Object` is a *borrowed* reference: valid while whoever lent it holds it
//!   (a parameter is valid for the whole call).  Returning an `Object` from an
//!   exported function hands back a new reference to it (zig_core increfs).
//! - `Owned` is a reference you own: `deinit()` it, or return it (ownership
//!   passes to Python).  Everything zig_core creates for you is `Owned`.
//! - Typed handles (`py.Dict`, `py.List`, `py.Tuple`, `py.Str`) follow the same split:
//!   the plain name is borrowed, `.Owned` (e.g. `py.Dict.Owned`) is owned; see handle.zig.
//! Both kinds have the operations of object_ops.zig (attributes, calls, iteration,
//! repr/str/eq/hash, conversion); arguments passed to them are never consumed.
const std = @import("std");
const c = @import("capi.zig");
const errors = @import("errors.zig");

pub const PythonException = errors.PythonException;

pub const Object = struct {
    ptr: *c.PyObject,

    const Ops = @import("object_ops.zig").Methods(@This());

    pub fn borrowed(ptr: *c.PyObject) Object {
        return .{ .ptr = ptr };
    }

    /// A new, owned reference to the same object.
    pub const newRef = Ops.newRef;

    /// The Python object of a class instance, from a pointer to its Zig struct (e.g. `self`).
    pub fn of(instance: anytype) Object {
        const S = @import("reflect.zig").pointerChild(@TypeOf(instance));
        return .{ .ptr = @import("class.zig").Layout(S).objectOf(instance) };
    }

    // What every object handle has: see object_ops.zig.
    pub const isNone = Ops.isNone;
    pub const isCallable = Ops.isCallable;
    pub const getAttr = Ops.getAttr;
    pub const hasAttr = Ops.hasAttr;
    pub const setAttr = Ops.setAttr;
    pub const delAttr = Ops.delAttr;
    pub const call = Ops.call;
    pub const callKw = Ops.callKw;
    pub const callMethod = Ops.callMethod;
    pub const callMethodKw = Ops.callMethodKw;
    pub const getItem = Ops.getItem;
    pub const setItem = Ops.setItem;
    pub const delItem = Ops.delItem;
    pub const len = Ops.len;
    pub const iter = Ops.iter;
    pub const isInstance = Ops.isInstance;
    pub const isTrue = Ops.isTrue;
    pub const repr = Ops.repr;
    pub const str = Ops.str;
    pub const text = Ops.text;
    pub const eq = Ops.eq;
    pub const hash = Ops.hash;
    pub const as = Ops.as;
};

pub const Owned = struct {
    ptr: *c.PyObject,

    const Ops = @import("object_ops.zig").Methods(@This());

    /// Take ownership of a new reference returned by the C-API (null: an exception is set).
    pub fn fromNew(ptr: ?*c.PyObject) PythonException!Owned {
        return .{ .ptr = ptr orelse return error.PythonException };
    }

    pub fn borrow(self: Owned) Object {
        return .{ .ptr = self.ptr };
    }

    /// Another owned reference to the same object.
    pub const newRef = Ops.newRef;

    pub fn deinit(self: Owned) void {
        c.decref(self.ptr);
    }

    // What every object handle has: see object_ops.zig.
    pub const object = Ops.object;
    pub const isNone = Ops.isNone;
    pub const isCallable = Ops.isCallable;
    pub const getAttr = Ops.getAttr;
    pub const hasAttr = Ops.hasAttr;
    pub const setAttr = Ops.setAttr;
    pub const delAttr = Ops.delAttr;
    pub const call = Ops.call;
    pub const callKw = Ops.callKw;
    pub const callMethod = Ops.callMethod;
    pub const callMethodKw = Ops.callMethodKw;
    pub const getItem = Ops.getItem;
    pub const setItem = Ops.setItem;
    pub const delItem = Ops.delItem;
    pub const len = Ops.len;
    pub const iter = Ops.iter;
    pub const isInstance = Ops.isInstance;
    pub const isTrue = Ops.isTrue;
    pub const repr = Ops.repr;
    pub const str = Ops.str;
    pub const text = Ops.text;
    pub const eq = Ops.eq;
    pub const hash = Ops.hash;
    pub const as = Ops.as;
};

/// `value` (a Zig value, converted as a result would be, or a handle) as a new Python
/// object you own; a handle gives another reference to it (yours stays yours).
pub fn create(value: anytype) PythonException!Owned {
    return Owned.fromNew(@import("object_ops.zig").newReference(value));
}

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
