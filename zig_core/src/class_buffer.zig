//! The buffer protocol for classes: `pub fn __buffer__(self: *Self) []f64` (1-D), or
//! `py.Buffer(f64, 2)` with a shape, exposes the instance's memory to numpy,
//! memoryview and friends without copying.  The memory must stay put while a
//! view exists (do not reallocate it then).
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const function = @import("function.zig");

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
    const R = reflect.returnType(@TypeOf(S.__buffer__), "__buffer__");
    const is_view = reflect.kind(R) == .@"struct" and @hasDecl(R, "zig_core_buffer");
    const Elem = if (is_view) R.Elem else reflect.pointerChild(R);
    const ndim = if (is_view) R.dims else 1;
    const format = formatOf(Elem);
    return struct {
        pub fn getBuffer(self: *c.PyObject, view: *c.Py_buffer, flags: c_int) callconv(.c) c_int {
            const p = C.payload(self);
            const r: R = p.__buffer__();
            const data = if (is_view) r.data else r;
            const readonly = if (is_view) r.readonly else reflect.pointerIsConst(R);
            if (readonly and flags & c.PyBUF_WRITABLE != 0) {
                c.PyErr_SetString(c.exc("BufferError"), "this object's buffer is read-only");
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
                .buf = @ptrCast(data.ptr),
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
