//! Zig errors as Python exceptions.
//!
//! - `error.X` where X names an exception of the module (`pub const X =
//!   py.exception(.ValueError, "doc")`, see src/exception.zig) raises that class;
//! - `error.X` where X is a builtin exception name (ValueError, KeyError, …)
//!   raises that exception;
//! - well-known Zig names map to their Python counterpart (OutOfMemory →
//!   MemoryError, FileNotFound → FileNotFoundError, …; see `zig_to_python`);
//! - any other error raises `zigimport.ZigError` with the name in `.zig_error`;
//! - `error.PythonException` means a Python exception is already set
//!   (by `py.raise`, a failed conversion, or a Python callback).
const std = @import("std");
const builtin = @import("builtin");
const c = @import("capi.zig");
const trace = @import("trace.zig");
const exception = @import("exception.zig");
const runtime = @import("runtime_link.zig");

pub const PythonException = error{PythonException};

/// Exceptions a Zig error name (or `py.raise`) may name.
pub const builtin_exceptions = [_][]const u8{
    "ArithmeticError",    "AssertionError",         "AttributeError",       "BaseException",
    "BlockingIOError",    "BrokenPipeError",        "BufferError",          "ChildProcessError",
    "ConnectionAbortedError", "ConnectionError",    "ConnectionRefusedError", "ConnectionResetError",
    "EOFError",           "Exception",              "FileExistsError",      "FileNotFoundError",
    "FloatingPointError", "GeneratorExit",          "ImportError",          "IndexError",
    "InterruptedError",   "IsADirectoryError",      "KeyError",             "KeyboardInterrupt",
    "LookupError",        "MemoryError",            "ModuleNotFoundError",  "NameError",
    "NotADirectoryError", "NotImplementedError",    "OSError",              "OverflowError",
    "PermissionError",    "ProcessLookupError",     "RecursionError",       "ReferenceError",
    "RuntimeError",       "StopAsyncIteration",     "StopIteration",        "SystemError",
    "SystemExit",         "TimeoutError",           "TypeError",            "UnboundLocalError",
    "UnicodeError",       "ValueError",             "ZeroDivisionError",
};

/// Zig std error names with an obvious Python counterpart.
pub const zig_to_python = [_][2][]const u8{
    .{ "OutOfMemory", "MemoryError" },
    .{ "Overflow", "OverflowError" },
    .{ "Underflow", "ArithmeticError" },
    .{ "DivisionByZero", "ZeroDivisionError" },
    .{ "InvalidCharacter", "ValueError" },
    .{ "InvalidValue", "ValueError" },
    .{ "InvalidArgument", "ValueError" },
    .{ "InvalidUtf8", "UnicodeError" },
    .{ "OutOfBounds", "IndexError" },
    .{ "IndexOutOfBounds", "IndexError" },
    .{ "NotFound", "KeyError" },
    .{ "EndOfStream", "EOFError" },
    .{ "FileNotFound", "FileNotFoundError" },
    .{ "AccessDenied", "PermissionError" },
    .{ "PermissionDenied", "PermissionError" },
    .{ "PathAlreadyExists", "FileExistsError" },
    .{ "IsDir", "IsADirectoryError" },
    .{ "NotDir", "NotADirectoryError" },
    .{ "BrokenPipe", "BrokenPipeError" },
    .{ "ConnectionRefused", "ConnectionRefusedError" },
    .{ "ConnectionResetByPeer", "ConnectionResetError" },
    .{ "ConnectionTimedOut", "TimeoutError" },
    .{ "Timeout", "TimeoutError" },
    .{ "WouldBlock", "BlockingIOError" },
    .{ "NotImplemented", "NotImplementedError" },
    .{ "Unsupported", "NotImplementedError" },
};

pub fn isBuiltinException(comptime name: []const u8) bool {
    for (builtin_exceptions) |n| {
        if (std.mem.eql(u8, n, name)) return true;
    }
    return false;
}

/// A Zig error name and the address of the `PyExc_*` variable it raises.
const ExceptionEntry = struct { zig_name: []const u8, exception: *const *c.PyObject };

/// Every name `exceptionFor` knows, built once at comptime: looked up by a plain loop at run
/// time (an `inline for` unrolled ~75 string comparisons into the binary, and into each
/// build's optimiser work).
const exception_table = blk: {
    var table: [builtin_exceptions.len + zig_to_python.len]ExceptionEntry = undefined;
    for (builtin_exceptions, 0..) |n, i| table[i] = .{ .zig_name = n, .exception = pyExc(n) };
    for (zig_to_python, builtin_exceptions.len..) |pair, i| table[i] = .{ .zig_name = pair[0], .exception = pyExc(pair[1]) };
    break :blk table;
};

fn pyExc(comptime name: []const u8) *const *c.PyObject {
    return @extern(*const *c.PyObject, .{ .name = "PyExc_" ++ name });
}

/// The builtin exception class a Zig error name maps to, or null for "use ZigError".
fn builtinFor(name: []const u8) ?*c.PyObject {
    for (&exception_table) |*entry| {
        if (std.mem.eql(u8, entry.zig_name, name)) return entry.exception.*;
    }
    return null;
}

/// Set the Python exception for a Zig error returned by `what` (e.g. "parse()").
/// `error_trace` is the Zig error return trace, when the build records one.
/// Not generic and not inlined: one copy serves every function (see docs/build-performance.md).
pub noinline fn setFromZigError(err: anyerror, error_trace: ?*std.builtin.StackTrace, what: []const u8) void {
    @branchHint(.cold);
    if (err == error.PythonException) {
        std.debug.assert(c.PyErr_Occurred() != null);
        return;
    }
    const name = @errorName(err);
    const addresses: []const usize = if (error_trace) |t| t.instruction_addresses[0..@min(t.index, t.instruction_addresses.len)] else &.{};
    const custom = exception.forErrorName(name); // the module's own exception classes
    if (comptime runtime.linked) return runtime.setZigError(name.ptr, name.len, custom, what.ptr, what.len, addresses.ptr, addresses.len, &runtime.here);
    setNamedError(name, custom, what, addresses, &runtime.here);
}

/// The module-independent part of setFromZigError (the runtime object's, when linked): the
/// message, the builtin or ZigError exception unless the module's `custom` one, the trace.
pub fn setNamedError(name: []const u8, custom: ?*c.PyObject, what: []const u8, addresses: []const usize, origin: *const runtime.Origin) void {
    var buf: [256]u8 = undefined;
    // Joined by hand: std.fmt here would be the largest function of a small module's build.
    const message = joinTruncated(&buf, &.{ "error.", name, " returned by ", what });
    const py_message = c.PyUnicode_DecodeUTF8(message.ptr, @intCast(message.len), "replace") orelse return;
    defer c.decref(py_message);
    if (custom orelse builtinFor(name)) |exc_type| {
        c.PyErr_SetObject(exc_type, py_message);
    } else {
        setZigError(name, py_message);
    }
    // Without error return tracing (ReleaseFast, ReleaseSmall) there is never a trace: no code for one
    // (the runtime object is linked whole, and the trace code needs dladdr, not on every manylinux libc).
    if (comptime builtin.have_error_return_tracing) {
        if (addresses.len > 0) trace.attachFrom(origin, addresses);
    }
}

/// `parts` concatenated into `buf`, cut off at its end.
fn joinTruncated(buf: []u8, parts: []const []const u8) []const u8 {
    var n: usize = 0;
    for (parts) |part| {
        const k = @min(part.len, buf.len - n);
        @memcpy(buf[n..][0..k], part[0..k]);
        n += k;
    }
    return buf[0..n];
}

fn setZigError(name: []const u8, py_message: *c.PyObject) void {
    const module = c.PyImport_ImportModule("zigimport.errors") orelse return;
    defer c.decref(module);
    const cls = c.PyObject_GetAttrString(module, "ZigError") orelse return;
    defer c.decref(cls);
    const py_name = c.PyUnicode_FromStringAndSize(name.ptr, @intCast(name.len)) orelse return;
    defer c.decref(py_name);
    var argv = [_]*c.PyObject{ py_name, py_message };
    const instance = c.call(cls, &argv) orelse return;
    defer c.decref(instance);
    c.PyErr_SetObject(cls, instance);
}

/// Raise the exception named `exc` with a formatted message, for example
/// `return py.raise(.ValueError, "x must be positive, got {d}", .{x});`.  The name is
/// an exception of the module (`pub const ParseError = py.exception(...)`) or a builtin.
pub fn raise(comptime exc: @EnumLiteral(), comptime fmt: []const u8, args: anytype) PythonException {
    const name = @tagName(exc);
    if (comptime exception.indexOf(name)) |i| {
        setFormatted(exception.object(i), fmt, args);
        return error.PythonException;
    }
    if (comptime !isBuiltinException(name)) @compileError("py.raise: '" ++ name ++ "' is neither a builtin Python exception nor an exception of this module (pub const " ++ name ++ " = py.exception(.ValueError, \"doc\"))");
    setFormatted(c.exc(name), fmt, args);
    return error.PythonException;
}

/// Raise an exception given as a Python class (for example one imported from a module).
pub fn raiseType(exc_type: *c.PyObject, comptime fmt: []const u8, args: anytype) PythonException {
    setFormatted(exc_type, fmt, args);
    return error.PythonException;
}

fn setFormatted(exc_type: *c.PyObject, comptime fmt: []const u8, args: anytype) void {
    var stack_buf: [1024]u8 = undefined;
    const alloc = @import("allocator.zig").python_allocator;
    var heap: ?[]u8 = null;
    defer if (heap) |h| alloc.free(h);
    const message = std.fmt.bufPrint(&stack_buf, fmt, args) catch blk: {
        heap = std.fmt.allocPrint(alloc, fmt, args) catch {
            _ = c.PyErr_NoMemory();
            return;
        };
        break :blk heap.?;
    };
    const py_message = c.PyUnicode_DecodeUTF8(message.ptr, @intCast(message.len), "replace") orelse return;
    defer c.decref(py_message);
    c.PyErr_SetObject(exc_type, py_message);
}
