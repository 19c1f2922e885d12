//! `std.math.Complex(f64)` / `std.math.Complex(f32)` ⇄ Python `complex`.
//!
//! In: a complex, or anything `complex()` accepts as a number (float, int,
//! objects with `__complex__`, `__float__` or `__index__`); str is refused.
//! Out: a Python complex.  Slices of them are buffers of format 'Zd' / 'Zf'
//! (numpy complex128 / complex64), see buffer.zig.
const std = @import("std");
const c = @import("capi.zig");
const convert = @import("convert.zig");

const PythonException = convert.PythonException;

pub fn isComplex(comptime T: type) bool {
    return T == std.math.Complex(f64) or T == std.math.Complex(f32);
}

/// The float type of a complex type's parts.
pub fn Part(comptime T: type) type {
    return if (T == std.math.Complex(f32)) f32 else f64;
}

pub fn fromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    // PyComplex_AsCComplex would parse nothing from str, but say so in its own words.
    if (c.hasFlag(obj, c.Py_TPFLAGS_UNICODE_SUBCLASS)) return convert.wrongType("TypeError", what, "complex", obj);
    const v = c.PyComplex_AsCComplex(obj);
    if (v.real == -1.0 and c.PyErr_Occurred() != null) {
        if (c.PyErr_ExceptionMatches(c.exc("TypeError")) == 0) return error.PythonException; // e.g. OverflowError
        c.PyErr_Clear();
        return convert.wrongType("TypeError", what, "complex", obj);
    }
    if (comptime Part(T) == f32) {
        const re: f32 = @floatCast(v.real);
        const im: f32 = @floatCast(v.imag);
        if ((std.math.isInf(re) and !std.math.isInf(v.real)) or (std.math.isInf(im) and !std.math.isInf(v.imag))) {
            c.PyErr_SetString(c.exc("OverflowError"), what ++ " is out of range for complex64 (std.math.Complex(f32))");
            return error.PythonException;
        }
        return .{ .re = re, .im = im };
    }
    return .{ .re = v.real, .im = v.imag };
}

pub fn toPython(value: anytype) ?*c.PyObject {
    return c.PyComplex_FromDoubles(@floatCast(value.re), @floatCast(value.im));
}
