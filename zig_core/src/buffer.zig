//! Slices as parameters.
//!
//! - `[]const T` / `[]T` of a number type: any object with the buffer protocol
//!   whose format matches T (numpy arrays, array.array, memoryview, bytes), 1-D
//!   and C-contiguous, without copying; `[]T` needs a writable buffer.
//!   `[]const T` also accepts a list or tuple of numbers (copied).
//! - `[]const u8` / `[:0]const u8`: `str` (its UTF-8, zero-copy) or bytes
//!   (bytes, and for `[]const u8` any u8 buffer).  `[]u8`: a writable u8 buffer.
//! - `[]const T` / `[]T` of `std.math.Complex(f64)` / `(f32)`: buffers of format
//!   'Zd' / 'Zf' (numpy complex128 / complex64), like numbers.
//! - `[]const T` of anything else: a list or tuple, converted item by item.
const std = @import("std");
const builtin = @import("builtin");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const complex = @import("complex.zig");
const CallContext = @import("allocator.zig").CallContext;

const PythonException = convert.PythonException;

/// A buffer view held for the duration of a call.
pub const View = struct {
    view: c.Py_buffer = undefined,
    held: bool = false,

    pub fn release(self: *View) void {
        if (self.held) c.PyBuffer_Release(&self.view);
        self.held = false;
    }
};

pub fn sliceFromPython(comptime T: type, obj: *c.PyObject, holder: *View, ctx: *CallContext, comptime what: []const u8) PythonException!T {
    const Elem = reflect.pointerChild(T);
    const mutable = comptime !reflect.pointerIsConst(T);
    const sentinel = comptime reflect.pointerSentinel(T) != null;
    if (Elem == u8 and !mutable) {
        if (c.hasFlag(obj, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
            var len: c.Py_ssize_t = 0;
            const ptr = c.PyUnicode_AsUTF8AndSize(obj, &len) orelse return error.PythonException;
            return ptr[0..@intCast(len) :0];
        }
        if (c.hasFlag(obj, c.Py_TPFLAGS_BYTES_SUBCLASS)) {
            var ptr: [*:0]u8 = undefined;
            var len: c.Py_ssize_t = 0;
            if (c.PyBytes_AsStringAndSize(obj, &ptr, &len) < 0) return error.PythonException;
            return ptr[0..@intCast(len) :0];
        }
        if (sentinel) return convert.wrongType("TypeError", what, "str or bytes", obj);
    }
    if (comptime !mutable and Elem != u8) {
        if (c.hasFlag(obj, c.Py_TPFLAGS_LIST_SUBCLASS) or c.hasFlag(obj, c.Py_TPFLAGS_TUPLE_SUBCLASS)) {
            return sliceFromSequence(T, obj, ctx, what);
        }
    }
    return fromBuffer(T, obj, holder, what);
}

fn fromBuffer(comptime T: type, obj: *c.PyObject, holder: *View, comptime what: []const u8) PythonException!T {
    const Elem = reflect.pointerChild(T);
    const mutable = comptime !reflect.pointerIsConst(T);
    const expected = comptime describe(Elem);
    if (c.PyObject_CheckBuffer(obj) == 0) {
        const alternatives = if (Elem == u8) (if (mutable) "a writable bytes-like object (bytearray, memoryview, numpy.uint8 array)" else "str or a bytes-like object") else if (mutable) "a writable buffer of " ++ expected ++ " (numpy array, array.array, memoryview)" else "a buffer of " ++ expected ++ " (numpy array, array.array, memoryview) or a list of numbers";
        return convert.wrongType("TypeError", what, alternatives, obj);
    }
    std.debug.assert(!holder.held);
    if (c.PyObject_GetBuffer(obj, &holder.view, c.PyBUF_RECORDS_RO) < 0) return error.PythonException;
    holder.held = true;
    const v = &holder.view;
    if (v.ndim != 1) {
        _ = c.PyErr_Format(c.exc("TypeError"), what ++ " must be a 1-dimensional buffer of " ++ expected ++ ", not %d-dimensional", v.ndim);
        return error.PythonException;
    }
    if (!formatMatches(Elem, v.format, v.itemsize)) {
        _ = c.PyErr_Format(c.exc("TypeError"), what ++ " must be a buffer of " ++ expected ++ ", not format '%s' (itemsize %zd)", v.format orelse "B", v.itemsize);
        return error.PythonException;
    }
    // Exporters are other people's code: check what they report instead of trusting it.
    const count = if (v.shape) |s| s[0] else @divTrunc(v.len, v.itemsize);
    if (count < 0 or count * v.itemsize > v.len) {
        c.PyErr_SetString(c.exc("BufferError"), what ++ ": the buffer reports an inconsistent shape");
        return error.PythonException;
    }
    const n: usize = @intCast(count);
    if (v.strides) |s| {
        if (n > 1 and s[0] != v.itemsize) {
            _ = c.PyErr_Format(c.exc("BufferError"), what ++ " must be C-contiguous, but its stride is %zd bytes for %zd-byte items (use numpy.ascontiguousarray or a copy)", s[0], v.itemsize);
            return error.PythonException;
        }
    }
    if (mutable and v.readonly != 0) {
        c.PyErr_SetString(c.exc("BufferError"), what ++ " must be a writable buffer, but it is read-only");
        return error.PythonException;
    }
    if (n == 0) return &.{};
    const address = @intFromPtr(v.buf);
    if (address % @alignOf(Elem) != 0) {
        _ = c.PyErr_Format(c.exc("BufferError"), what ++ " is not aligned for " ++ @typeName(Elem) ++ " (address %p)", v.buf);
        return error.PythonException;
    }
    const ptr: [*]Elem = @ptrFromInt(address);
    return ptr[0..n];
}

/// A list or tuple converted item by item into the call arena.
pub fn sliceFromSequence(comptime T: type, obj: *c.PyObject, ctx: *CallContext, comptime what: []const u8) PythonException!T {
    const Elem = reflect.pointerChild(T);
    if (comptime reflect.pointerSentinel(T) != null) @compileError(what ++ ": sentinel-terminated slices other than [:0]const u8 are not supported");
    const is_list = c.hasFlag(obj, c.Py_TPFLAGS_LIST_SUBCLASS);
    if (!is_list and !c.hasFlag(obj, c.Py_TPFLAGS_TUPLE_SUBCLASS)) return convert.wrongType("TypeError", what, "a list or tuple", obj);
    const out = ctx.allocator().alloc(Elem, @intCast(c.varSize(obj))) catch return convert.noMemory();
    for (out, 0..) |*slot, i| {
        // Converting an item may run Python code (__index__, __float__) that resizes
        // a list: re-read the items and re-check the length at every step.
        if (is_list and i >= c.varSize(obj)) {
            c.PyErr_SetString(c.exc("RuntimeError"), what ++ " changed size during conversion");
            return error.PythonException;
        }
        const item = if (is_list) c.listItem(obj, i) else c.tupleItem(obj, i);
        slot.* = try convert.nested(Elem, item, ctx, what ++ " item");
    }
    return out;
}

/// Element types a buffer can be viewed as: numbers, bool, std.math.Complex(f32/f64).
pub fn isBufferElement(comptime Elem: type) bool {
    return convert.isNumber(Elem) or complex.isComplex(Elem);
}

/// "float64 (format 'd')" and the like, for messages.  Joined by hand, not with
/// std.fmt.comptimePrint: a comptime formatter makes Zig generate std.Io's writer vtables
/// into every module that converts a buffer (comptime_text.zig).
pub fn describe(comptime Elem: type) []const u8 {
    const text = @import("comptime_text.zig");
    comptime {
        if (complex.isComplex(Elem)) return "complex" ++ text.decimal(2 * reflect.floatBits(complex.Part(Elem))) ++ " (format 'Z" ++ .{floatCode(complex.Part(Elem))} ++ "')";
        return switch (reflect.kind(Elem)) {
            .bool => "bool (format '?')",
            .float => "float" ++ text.decimal(reflect.floatBits(Elem)) ++ " (format '" ++ .{floatCode(Elem)} ++ "')",
            .int => (if (reflect.intSigned(Elem)) "" else "u") ++ "int" ++ text.decimal(reflect.intBits(Elem)),
            else => unreachable,
        };
    }
}

fn floatCode(comptime Elem: type) u8 {
    return switch (reflect.floatBits(Elem)) {
        16 => 'e',
        32 => 'f',
        64 => 'd',
        else => '?',
    };
}

/// Does a PEP 3118 format string describe exactly one native `Elem`?
pub fn formatMatches(comptime Elem: type, format: ?[*:0]const u8, itemsize: c.Py_ssize_t) bool {
    if (itemsize != @sizeOf(Elem)) return false;
    const f = format orelse return Elem == u8 or Elem == i8; // NULL means unsigned bytes
    var i: usize = 0;
    switch (f[0]) {
        '@', '=' => i = 1,
        '<' => if (builtin.cpu.arch.endian() == .little) {
            i = 1;
        } else return false,
        '>', '!' => if (builtin.cpu.arch.endian() == .big) {
            i = 1;
        } else return false,
        else => {},
    }
    if (comptime complex.isComplex(Elem)) {
        // 'Z' + the part's code: numpy's complex128 is 'Zd', complex64 'Zf'.
        return f[i] == 'Z' and f[i + 1] == floatCode(complex.Part(Elem)) and f[i + 2] == 0;
    }
    if (f[i] == 0 or f[i + 1] != 0) return false;
    const code = f[i];
    return switch (comptime reflect.kind(Elem)) {
        .bool => code == '?',
        .float => code == floatCode(Elem),
        .int => if (reflect.intSigned(Elem))
            std.mem.indexOfScalar(u8, "bhilqn", code) != null or (Elem == i8 and code == 'c')
        else
            std.mem.indexOfScalar(u8, "BHILQN", code) != null or (Elem == u8 and code == 'c'),
        else => false,
    };
}
