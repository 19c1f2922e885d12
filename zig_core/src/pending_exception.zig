//! Catching a Python exception raised by a call and deciding in Zig.
//!
//! Every call into Python that fails returns `error.PythonException` with the exception
//! *set* (pending).  Then either:
//!   - look at it in place: `py.exceptionMatches(.KeyError)`, then `py.clearException()`
//!     to swallow it, or `return err` to let it propagate to the Python caller; or
//!   - take it out: `const e = py.PendingException.fetch().?;` -- the exception is no longer
//!     set; inspect it (`matches`, `typeName`, `message`, `value`), then `e.deinit()` to drop
//!     it or `return e.restore()` to raise it again.
const std = @import("std");
const c = @import("capi.zig");
const objects = @import("object.zig");
const errors = @import("errors.zig");
const convert = @import("convert.zig");
const ops = @import("object_ops.zig");

pub const PythonException = errors.PythonException;

/// The class for `exc`: a builtin's name as an enum literal (`.KeyError`) or a class object handle.
fn classOf(exc: anytype) *c.PyObject {
    const T = @TypeOf(exc);
    if (T == @EnumLiteral()) {
        const name = @tagName(exc);
        comptime {
            for (errors.builtin_exceptions) |n| {
                if (std.mem.eql(u8, n, name)) break;
            } else @compileError("'" ++ name ++ "' is not a builtin Python exception");
        }
        return c.exc(name);
    }
    if (comptime !ops.isObjectHandle(T)) @compileError("expected a builtin exception name (.KeyError) or an exception class object, not " ++ @typeName(T));
    return exc.ptr;
}

/// Whether an exception is set and is an instance of `exc` (`.KeyError`, or a class object;
/// subclasses match, so `.LookupError` matches a KeyError).
pub fn exceptionMatches(exc: anytype) bool {
    if (c.PyErr_Occurred() == null) return false;
    return c.PyErr_ExceptionMatches(classOf(exc)) != 0;
}

/// Whether an exception is set.
pub fn exceptionPending() bool {
    return c.PyErr_Occurred() != null;
}

/// Discard the pending exception (if any).
pub fn clearException() void {
    c.PyErr_Clear();
}

/// A Python exception taken out of the interpreter's "pending" slot: owned, inspectable,
/// and either dropped (`deinit`) or raised again (`restore`).
pub const PendingException = struct {
    exc_type: *c.PyObject,
    value: *c.PyObject,
    traceback: ?*c.PyObject,

    /// Take the pending exception (null if none is set); afterwards none is set.
    pub fn fetch() ?PendingException {
        var t: ?*c.PyObject = null;
        var v: ?*c.PyObject = null;
        var tb: ?*c.PyObject = null;
        c.PyErr_Fetch(&t, &v, &tb);
        if (t == null) return null;
        c.PyErr_NormalizeException(&t, &v, &tb); // v becomes an instance of t
        if (tb) |trace| _ = c.PyException_SetTraceback(v.?, trace);
        return .{ .exc_type = t.?, .value = v.?, .traceback = tb };
    }

    /// Whether it is an instance of `exc` (`.KeyError`, or a class object; subclasses match).
    pub fn matches(self: PendingException, exc: anytype) bool {
        return c.PyErr_GivenExceptionMatches(self.exc_type, classOf(exc)) != 0;
    }

    /// The exception instance (borrowed from this value).
    pub fn object(self: PendingException) objects.Object {
        return .{ .ptr = self.value };
    }

    /// The exception class's name, as CPython prints it ("KeyError", "mymodule.MyError"); valid while this lives.
    pub fn typeName(self: PendingException) []const u8 {
        return std.mem.span(c.typeNameOf(self.value));
    }

    /// `str(exception)`, copied into `allocator` (for a KeyError this is the key's repr).
    pub fn message(self: PendingException, allocator: std.mem.Allocator) PythonException![]u8 {
        return self.object().text(allocator);
    }

    /// Set it again as the pending exception and return `error.PythonException`, so that
    /// `return e.restore();` re-raises it to the caller.
    pub fn restore(self: PendingException) PythonException {
        c.PyErr_Restore(self.exc_type, self.value, self.traceback); // steals all three
        return error.PythonException;
    }

    /// Drop it (the exception is handled).
    pub fn deinit(self: PendingException) void {
        c.decref(self.exc_type);
        c.decref(self.value);
        if (self.traceback) |tb| c.decref(tb);
    }
};
