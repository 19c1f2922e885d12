//! Iterating any Python iterable from Zig.
const std = @import("std");
const c = @import("capi.zig");
const objects = @import("object.zig");

pub const PythonException = @import("errors.zig").PythonException;

/// `iter(obj)`, from `obj.iter()`; it owns the Python iterator:
///
///     var it = try obj.iter();
///     defer it.deinit();
///     while (try it.next()) |item| { ... }
///
/// Each item is borrowed until the next `next()` or `deinit()` (the iterator holds it);
/// keep one longer with `item.newRef()`.  An exception raised by the iterator is
/// returned as `error.PythonException`; the end of the iteration is `null`.
pub const Iterator = struct {
    iterator: *c.PyObject,
    current: ?*c.PyObject = null,

    pub fn next(self: *Iterator) PythonException!?objects.Object {
        self.dropCurrent();
        const item = c.PyIter_Next(self.iterator) orelse {
            if (c.PyErr_Occurred() != null) return error.PythonException;
            return null;
        };
        self.current = item;
        return .{ .ptr = item };
    }

    /// The next item converted to T (as a parameter of type T would be).
    pub fn nextAs(self: *Iterator, comptime T: type) PythonException!?T {
        const item = (try self.next()) orelse return null;
        return try item.as(T);
    }

    pub fn deinit(self: *Iterator) void {
        self.dropCurrent();
        c.decref(self.iterator);
        self.* = undefined;
    }

    fn dropCurrent(self: *Iterator) void {
        if (self.current) |p| {
            self.current = null;
            c.decref(p);
        }
    }
};
