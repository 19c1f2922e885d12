//! `__buffer__` as a method on Python 3.10/3.11 (PEP 688 backport) for classes that
//! export a buffer.  3.12+ makes it from the buffer slot itself; before that only the
//! C slot exists, yet the stubs declare `__buffer__` -- that is how type checkers
//! know a class is a buffer (typeshed does the same for bytes and array.array).
//! With the method the runtime matches the stub on every version (stubtest agrees).
const c = @import("capi.zig");

/// The extra method definitions for class `S` (none on 3.12+, or without `__buffer__`).
pub fn defs(comptime S: type) []const c.PyMethodDef {
    if (comptime c.py_minor >= 12 or !@hasDecl(S, "__buffer__")) return &.{};
    return &.{.{
        .ml_name = "__buffer__",
        .ml_meth = @ptrCast(&buffer),
        .ml_flags = c.METH_O,
        .ml_doc = "__buffer__($self, flags, /)\n--\n\nReturn a buffer object that exposes the underlying memory of the object.",
    }};
}

fn buffer(self: *c.PyObject, flags: *c.PyObject) callconv(.c) ?*c.PyObject {
    _ = c.PyLong_AsLongLong(flags); // an int, as PEP 688 requires (TypeError otherwise)
    if (c.PyErr_Occurred() != null) return null;
    return c.PyMemoryView_FromObject(self);
}
