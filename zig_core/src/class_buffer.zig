//! The buffer protocol for classes: `pub fn __buffer__(self: *Self) []f64` (1-D), or
//! `py.Buffer(f64, 2)` with a shape, exposes the instance's memory to numpy,
//! memoryview and friends without copying.  The memory must stay put while a
//! view exists (do not reallocate it then).
//!
//! Read-only exports: return `[]const T`, a `py.ReadonlyBuffer(T, n)`, or a
//! `py.Buffer` with `.readonly = true`; a request for a writable view then fails
//! with BufferError (numpy makes a read-only array).  `__buffer__` may take a
//! `py.BufferFlags` to see what the consumer asked for, and may return an error.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const function = @import("function.zig");
const signature = @import("signature.zig");
const errors = @import("errors.zig");

/// What a consumer asked `__buffer__` for (`fn __buffer__(self: *Self, flags: py.BufferFlags)`).
pub const BufferFlags = struct {
    /// The consumer will write (PyBUF_WRITABLE): a read-only export is refused.
    writable: bool,
    /// The PyBUF_* bits as CPython passed them.
    raw: c_int,
};

/// A C-contiguous N-dimensional view of `data` with the given shape.
pub fn Buffer(comptime T: type, comptime ndim: usize) type {
    return struct {
        pub const zig_core_buffer = true;
        pub const Elem = T;
        pub const dims = ndim;
        data: []T,
        shape: [ndim]usize,
        readonly: bool = false,
    };
}

/// Like `Buffer`, for memory Python must not write (`data` is `[]const T`).
pub fn ReadonlyBuffer(comptime T: type, comptime ndim: usize) type {
    return struct {
        pub const zig_core_buffer = true;
        pub const Elem = T;
        pub const dims = ndim;
        data: []const T,
        shape: [ndim]usize,
        comptime readonly: bool = true,
    };
}

fn formatOf(comptime T: type) [:0]const u8 {
    return switch (reflect.kind(T)) {
        .bool => "?",
        .float => switch (reflect.floatBits(T)) {
            16 => "e",
            32 => "f",
            64 => "d",
            else => @compileError("__buffer__: unsupported float type " ++ @typeName(T)),
        },
        .int => switch (reflect.intBits(T)) {
            8 => if (reflect.intSigned(T)) "b" else "B",
            16 => if (reflect.intSigned(T)) "h" else "H",
            32 => if (reflect.intSigned(T)) "i" else "I",
            64 => if (reflect.intSigned(T)) "q" else "Q",
            else => @compileError("__buffer__: unsupported integer type " ++ @typeName(T)),
        },
        else => @compileError("__buffer__: elements must be numbers, not " ++ @typeName(T)),
    };
}

pub fn Export(comptime S: type, comptime C: type) type {
    const F = @TypeOf(S.__buffer__);
    const what = C.name ++ ".__buffer__";
    const params = reflect.paramTypes(F, what);
    const takes_flags = params.len == 2 and params[1] == BufferFlags;
    const receiver_ok = params.len >= 1 and (params[0] == S or params[0] == *S or params[0] == *const S);
    if (!receiver_ok or !(params.len == 1 or takes_flags)) @compileError(what ++ " must be `fn (self: *" ++ C.name ++
        ") []T` or `fn (self: *" ++ C.name ++ ", flags: py.BufferFlags) []T` (or a py.Buffer / py.ReadonlyBuffer), not " ++ @typeName(F));
    const Full = reflect.returnType(F, what);
    const R = signature.unwrapError(Full);
    const is_view = reflect.kind(R) == .@"struct" and @hasDecl(R, "zig_core_buffer");
    if (!is_view and !(reflect.kind(R) == .pointer and reflect.pointerSize(R) == .slice)) @compileError(what ++
        " must return a slice ([]T or []const T), a py.Buffer(T, n) or a py.ReadonlyBuffer(T, n), not " ++ @typeName(Full));
    const Elem = if (is_view) R.Elem else reflect.pointerChild(R);
    const ndim = if (is_view) R.dims else 1;
    const format = formatOf(Elem);
    return struct {
        pub fn getBuffer(self: *c.PyObject, view: *c.Py_buffer, flags: c_int) callconv(.c) c_int {
            const p = C.payload(self);
            const receiver = if (comptime params[0] == S) p.* else p;
            const request: BufferFlags = .{ .writable = flags & c.PyBUF_WRITABLE != 0, .raw = flags };
            const result: Full = if (comptime takes_flags) S.__buffer__(receiver, request) else S.__buffer__(receiver);
            const r: R = if (comptime reflect.kind(Full) == .error_union) result catch |err| {
                errors.setFromZigError(err, @errorReturnTrace(), what ++ "()");
                return -1;
            } else result;
            const data = if (is_view) r.data else r;
            const readonly = if (is_view) r.readonly else reflect.pointerIsConst(R);
            if (readonly and request.writable) {
                c.PyErr_SetString(c.exc("BufferError"), C.name ++ " object's buffer is read-only; a writable buffer was requested");
                return -1;
            }
            // shape and strides live until the view is released
            const dims: [*]c.Py_ssize_t = @ptrCast(@alignCast(c.PyMem_RawMalloc(2 * ndim * @sizeOf(c.Py_ssize_t)) orelse {
                _ = c.PyErr_NoMemory();
                return -1;
            }));
            var count: usize = 1;
            for (0..ndim) |i| {
                const extent: usize = if (is_view) r.shape[i] else data.len;
                dims[i] = @intCast(extent);
                count *= extent;
            }
            if (count != data.len) {
                c.PyMem_RawFree(dims);
                c.PyErr_SetString(c.exc("BufferError"), "__buffer__: the shape does not match the length of the data");
                return -1;
            }
            var stride: c.Py_ssize_t = @sizeOf(Elem);
            var i: usize = ndim;
            while (i > 0) {
                i -= 1;
                dims[ndim + i] = stride;
                stride *= dims[i];
            }
            view.* = .{
                .buf = @ptrCast(@constCast(data.ptr)), // read-only exports say so in .readonly
                .obj = c.newref(self),
                .len = @intCast(data.len * @sizeOf(Elem)),
                .itemsize = @sizeOf(Elem),
                .readonly = @intFromBool(readonly),
                .ndim = ndim,
                .format = if (flags & c.PyBUF_FORMAT != 0) format.ptr else null,
                .shape = if (flags & c.PyBUF_ND != 0) dims else null,
                .strides = if (flags & c.PyBUF_STRIDES == c.PyBUF_STRIDES) dims + ndim else null,
                .suboffsets = null,
                .internal = dims,
            };
            return 0;
        }

        pub fn releaseBuffer(_: *c.PyObject, view: *c.Py_buffer) callconv(.c) void {
            c.PyMem_RawFree(view.internal);
        }
    };
}
