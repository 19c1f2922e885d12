//! Naming the argument in a conversion error, at run time.
//!
//! Conversions take the text that names what they convert ("f() argument 1 (xs)") as a
//! comptime string, so each distinct text would instantiate its own copy of the whole
//! conversion (buffer checks, float parsing, every error message): one copy per function and
//! parameter, which LLVM then optimises again and again -- most of a large module's compile
//! time.  Wrappers therefore convert with the one shared text `placeholder` (one copy of each
//! conversion per *type*; a scalar's fast path is inlined into each wrapper, its error paths
//! are shared too), and when a conversion fails they put the real name in the pending
//! exception's message (every conversion message starts with the text it was given).  This
//! runs only on the error path; the fast path is the same code as before.
const std = @import("std");
const c = @import("capi.zig");

/// The text a wrapper gives the conversion of its parameter `T` named `what`.
pub fn conversionText(comptime T: type, comptime what: []const u8) []const u8 {
    @import("convert.zig").checkItemTypes(T, what); // its compile errors name `what`, not the placeholder
    return placeholder;
}

/// What conversions called by wrappers are told they convert.  Starts with a control
/// character, so no message raised by Python code (e.g. an `__index__`) begins with it.
pub const placeholder = "\x1f(argument)";

/// Replace `placeholder` at the start of the pending exception's message with `what`.
/// Exceptions whose message does not start with it (raised by Python code during the
/// conversion, MemoryError, ...) are left exactly as they are.
pub noinline fn nameArgument(what: []const u8) void {
    @branchHint(.cold);
    const runtime = @import("runtime_link.zig");
    if (comptime runtime.linked) return runtime.nameArgument(what.ptr, what.len); // the runtime object's copy
    nameArgumentHere(what);
}

pub fn nameArgumentHere(what: []const u8) void {
    var exc_type: ?*c.PyObject = null;
    var exc_value: ?*c.PyObject = null;
    var exc_tb: ?*c.PyObject = null;
    c.PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    if (exc_type == null) return;
    c.PyErr_NormalizeException(&exc_type, &exc_value, &exc_tb);
    defer c.PyErr_Restore(exc_type, exc_value, exc_tb);
    const value = exc_value orelse return;
    if (!rename(value, what)) c.PyErr_Clear(); // keep the original message rather than fail
}

/// Set `value.args` to `(what + rest,)` when it is `(placeholder + rest,)`; false on a Python error.
fn rename(value: *c.PyObject, what: []const u8) bool {
    const args = c.PyObject_GetAttrString(value, "args") orelse return false;
    defer c.decref(args);
    if (!c.hasFlag(args, c.Py_TPFLAGS_TUPLE_SUBCLASS) or c.varSize(args) != 1) return true;
    const message = c.tupleItem(args, 0);
    if (!c.hasFlag(message, c.Py_TPFLAGS_UNICODE_SUBCLASS)) return true;
    var len: c.Py_ssize_t = 0;
    const ptr = c.PyUnicode_AsUTF8AndSize(message, &len) orelse return false;
    const text = ptr[0..@intCast(len)];
    if (!std.mem.startsWith(u8, text, placeholder)) return true;
    const rest = text[placeholder.len..];

    const alloc = @import("allocator.zig").python_allocator;
    const joined = std.mem.concat(alloc, u8, &.{ what, rest }) catch {
        _ = c.PyErr_NoMemory();
        return false;
    };
    defer alloc.free(joined);
    const renamed = c.PyUnicode_DecodeUTF8(joined.ptr, @intCast(joined.len), "replace") orelse return false;
    const new_args = c.PyTuple_New(1) orelse {
        c.decref(renamed);
        return false;
    };
    defer c.decref(new_args);
    _ = c.PyTuple_SetItem(new_args, 0, renamed); // steals `renamed`
    return c.PyObject_SetAttrString(value, "args", new_args) == 0;
}
