//! `py.Path`: file-system paths (`str`, `bytes`, `os.PathLike` such as `pathlib.Path`).
//!
//! In: `os.fspath(obj)`, as bytes in the file-system encoding (what `os.fsencode`
//! gives: UTF-8 with surrogateescape on Linux), NUL-terminated for C APIs; a path
//! with an embedded NUL byte is a ValueError, as in `open()`.  The bytes are
//! borrowed until the call returns.
//! Out: a `pathlib.Path` (decoded with `os.fsdecode`).
const std = @import("std");
const c = @import("capi.zig");
const convert = @import("convert.zig");
const CallContext = @import("allocator.zig").CallContext;

const PythonException = convert.PythonException;

pub const Path = struct {
    /// The path's bytes (file-system encoding), without the terminating NUL.
    path: [:0]const u8,
};

/// Keeps the encoded path (a bytes object) alive until the call returns.
pub const Holder = struct {
    bytes: ?*c.PyObject = null,

    pub fn release(self: *Holder) void {
        if (self.bytes) |b| c.decref(b);
        self.bytes = null;
    }
};

pub fn fromPython(obj: *c.PyObject, holder: *Holder, comptime what: []const u8) PythonException!Path {
    std.debug.assert(holder.bytes == null);
    const fs = c.PyOS_FSPath(obj) orelse {
        if (c.PyErr_ExceptionMatches(c.exc("TypeError")) != 0) {
            c.PyErr_Clear();
            return convert.wrongType("TypeError", what, "str, bytes or os.PathLike", obj);
        }
        return error.PythonException; // __fspath__ raised something else
    };
    const bytes = if (c.hasFlag(fs, c.Py_TPFLAGS_UNICODE_SUBCLASS)) blk: {
        defer c.decref(fs);
        break :blk c.PyUnicode_EncodeFSDefault(fs) orelse return error.PythonException;
    } else fs;
    holder.bytes = bytes;
    var ptr: [*:0]u8 = undefined;
    var len: c.Py_ssize_t = 0;
    if (c.PyBytes_AsStringAndSize(bytes, &ptr, &len) < 0) return error.PythonException;
    const text = ptr[0..@intCast(len) :0];
    if (std.mem.indexOfScalar(u8, text, 0) != null) {
        c.PyErr_SetString(c.exc("ValueError"), what ++ ": embedded null byte in path");
        return error.PythonException;
    }
    return .{ .path = text };
}

/// A path inside a container: copied into the call's arena.
pub fn nested(obj: *c.PyObject, ctx: *CallContext, comptime what: []const u8) PythonException!Path {
    var holder: Holder = .{};
    defer holder.release();
    const p = try fromPython(obj, &holder, what);
    return .{ .path = ctx.allocator().dupeSentinel(u8, p.path, 0) catch return convert.noMemory() };
}

pub fn toPython(value: Path) ?*c.PyObject {
    const text = c.PyUnicode_DecodeFSDefaultAndSize(value.path.ptr, @intCast(value.path.len)) orelse return null;
    defer c.decref(text);
    const pathlib = c.PyImport_ImportModule("pathlib") orelse return null;
    defer c.decref(pathlib);
    const cls = c.PyObject_GetAttrString(pathlib, "Path") orelse return null;
    defer c.decref(cls);
    return c.call(cls, &.{text});
}
