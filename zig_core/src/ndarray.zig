//! N-dimensional array parameters: `py.NDArray(T)` (read-only), `py.NDArrayMut(T)`
//! (writable) and `py.NDArrayView(T, .{ .ndim = 2, .writable = true })`.
//!
//! Any buffer (numpy array, memoryview, array.array) whose format is T is
//! accepted without copying, in any memory order: C-ordered, Fortran-ordered
//! or strided (`a[::2, 1:]`, `a.T`, negative steps).  The view is valid until
//! the call returns.
//!
//! `strides` are in *elements* (not numpy's bytes): element `(i, j)` is
//! `data[i * strides[0] + j * strides[1]]`, which `at(.{ i, j })` computes.  A
//! buffer whose byte strides are not multiples of the item size (possible
//! with views of structured arrays) is refused with a BufferError.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const buffer = @import("buffer.zig");

const PythonException = convert.PythonException;

/// PyBUF_MAX_NDIM.
pub const max_ndim = 64;

pub const Options = struct {
    /// Require exactly this many dimensions (null: any number, including 0).
    ndim: ?usize = null,
    /// Writes go to the caller's array; a read-only buffer is refused.
    writable: bool = false,
};

pub fn NDArray(comptime T: type) type {
    return NDArrayView(T, .{});
}

pub fn NDArrayMut(comptime T: type) type {
    return NDArrayView(T, .{ .writable = true });
}

pub fn NDArrayView(comptime T: type, comptime opts: Options) type {
    if (!buffer.isBufferElement(T)) @compileError("py.NDArray(" ++ @typeName(T) ++ "): the element type must be a number type, bool or std.math.Complex(f32/f64)");
    if (opts.ndim) |n| {
        if (n > max_ndim) @compileError("py.NDArrayView: ndim must be at most 64");
    }
    return struct {
        const Self = @This();
        pub const zig_core_ndarray = true;
        pub const Elem = T;
        pub const options = opts;
        pub const Ptr = if (opts.writable) [*]T else [*]const T;

        /// Points at element (0, 0, ...); other elements may lie before it (negative strides).
        data: Ptr,
        ndim: usize,
        shape: []const usize,
        /// Per dimension, the distance between neighbouring elements, in elements (may be negative).
        strides: []const isize,
        /// Number of elements (the product of `shape`).
        len: usize,

        /// Offset of an element from `data`: `index` is a tuple or array of ndim integers.
        pub fn offset(self: Self, index: anytype) isize {
            if (comptime opts.ndim) |n| {
                if (index.len != n) @compileError(std.fmt.comptimePrint("this array has {d} dimensions; the index has {d}", .{ n, index.len }));
            }
            std.debug.assert(index.len == self.ndim);
            var off: isize = 0;
            inline for (0..index.len) |k| {
                const i: usize = @intCast(index[k]);
                std.debug.assert(i < self.shape[k]);
                off += @as(isize, @intCast(i)) * self.strides[k];
            }
            return off;
        }

        /// The element at `index`, e.g. `a.at(.{ i, j })`.
        pub fn at(self: Self, index: anytype) T {
            return self.ptr(index).*;
        }

        /// A pointer to the element at `index`.
        pub fn ptr(self: Self, index: anytype) if (opts.writable) *T else *const T {
            return self.ptrAtOffset(self.offset(index));
        }

        /// A pointer to the element `off` elements from `data` (a sum of index * stride; may be negative).
        pub fn ptrAtOffset(self: Self, off: isize) if (opts.writable) *T else *const T {
            const base: isize = @bitCast(@intFromPtr(self.data));
            return @ptrFromInt(@as(usize, @bitCast(base + off * @sizeOf(T))));
        }

        /// The element `off` elements from `data`.
        pub fn atOffset(self: Self, off: isize) T {
            return self.ptrAtOffset(off).*;
        }

        /// Write the element at `index` (writable views only).
        pub fn set(self: Self, index: anytype, value: T) void {
            if (comptime !opts.writable) @compileError("set() needs a writable view: py.NDArrayMut(" ++ @typeName(T) ++ ")");
            self.ptr(index).* = value;
        }

        /// Row-major (C order) without gaps: `flat()` gives all elements.
        pub fn isContiguous(self: Self) bool {
            var expected: isize = 1;
            var k = self.ndim;
            while (k > 0) {
                k -= 1;
                if (self.shape[k] == 1) continue;
                if (self.strides[k] != expected) return self.len == 0;
                expected *= @intCast(self.shape[k]);
            }
            return true;
        }

        /// Column-major (Fortran order) without gaps.
        pub fn isFortranContiguous(self: Self) bool {
            var expected: isize = 1;
            for (self.shape, self.strides) |n, s| {
                if (n == 1) continue;
                if (s != expected) return self.len == 0;
                expected *= @intCast(n);
            }
            return true;
        }

        /// All elements in C order as one slice, or null if the view is not C-contiguous.
        pub fn flat(self: Self) ?(if (opts.writable) []T else []const T) {
            if (!self.isContiguous()) return null;
            return self.data[0..self.len];
        }
    };
}

pub fn isNDArray(comptime T: type) bool {
    return reflect.kind(T) == .@"struct" and @hasDecl(T, "zig_core_ndarray");
}

/// The buffer export and the element strides of one array parameter, until the call returns.
pub const Holder = struct {
    view: buffer.View = .{},
    strides: [max_ndim]isize = undefined,
    /// The shape of a buffer that reports none (1-D).
    shape1: [1]isize = undefined,

    pub fn release(self: *Holder) void {
        self.view.release();
    }
};

pub fn fromPython(comptime A: type, obj: *c.PyObject, holder: *Holder, comptime what: []const u8) PythonException!A {
    const T = A.Elem;
    const opts = A.options;
    const expected = comptime (if (opts.ndim) |n| "a " ++ @import("comptime_text.zig").integer(n) ++ "-dimensional array of " else "an array of ") ++ buffer.describe(T);
    if (c.PyObject_CheckBuffer(obj) == 0) {
        return convert.wrongType("TypeError", what, expected ++ " (numpy array, memoryview, array.array)", obj);
    }
    std.debug.assert(!holder.view.held);
    if (c.PyObject_GetBuffer(obj, &holder.view.view, c.PyBUF_RECORDS_RO) < 0) return error.PythonException;
    holder.view.held = true;
    const v = &holder.view.view;
    if (!buffer.formatMatches(T, v.format, v.itemsize)) {
        _ = c.PyErr_Format(c.exc("TypeError"), what ++ " must be " ++ expected ++ ", not format '%s' (itemsize %zd)", v.format orelse "B", v.itemsize);
        return error.PythonException;
    }
    if (opts.ndim) |n| {
        if (v.ndim != n) {
            _ = c.PyErr_Format(c.exc("TypeError"), what ++ " must be " ++ expected ++ ", not %d-dimensional", v.ndim);
            return error.PythonException;
        }
    }
    if (v.ndim < 0 or v.ndim > max_ndim) {
        c.PyErr_SetString(c.exc("BufferError"), what ++ ": the buffer reports an invalid number of dimensions");
        return error.PythonException;
    }
    if (opts.writable and v.readonly != 0) {
        c.PyErr_SetString(c.exc("BufferError"), what ++ " must be a writable array, but it is read-only");
        return error.PythonException;
    }
    const ndim: usize = @intCast(v.ndim);
    const item: isize = v.itemsize;
    // Without a shape the buffer is 1-D (PEP 3118); without strides, C-contiguous.
    holder.shape1 = .{@divTrunc(v.len, item)};
    const shape: []const isize = if (v.shape) |s| s[0..ndim] else holder.shape1[0..ndim];
    var len: usize = 1;
    for (shape) |n| {
        if (n < 0) {
            c.PyErr_SetString(c.exc("BufferError"), what ++ ": the buffer reports a negative shape");
            return error.PythonException;
        }
        len *= @intCast(n);
    }
    const strides = holder.strides[0..ndim];
    if (v.strides) |s| {
        for (strides, s[0..ndim]) |*out, bytes| {
            if (@rem(bytes, item) != 0) {
                _ = c.PyErr_Format(c.exc("BufferError"), what ++ " has a stride of %zd bytes, not a multiple of its %zd-byte items (copy it first, e.g. numpy.ascontiguousarray)", bytes, item);
                return error.PythonException;
            }
            out.* = @divExact(bytes, item);
        }
    } else {
        var step: isize = 1;
        var k = ndim;
        while (k > 0) {
            k -= 1;
            strides[k] = step;
            step *= shape[k];
        }
    }
    var address = @intFromPtr(v.buf);
    if (len == 0) {
        address = @alignOf(T); // never dereferenced
    } else if (address % @alignOf(T) != 0) {
        _ = c.PyErr_Format(c.exc("BufferError"), what ++ " is not aligned for " ++ @typeName(T) ++ " (address %p)", v.buf);
        return error.PythonException;
    }
    return .{
        .data = @ptrFromInt(address),
        .ndim = ndim,
        .shape = @ptrCast(shape),
        .strides = strides,
        .len = len,
    };
}
