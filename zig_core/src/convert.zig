//! Python ⇄ Zig value conversion.
//!
//! `fromPython(T, obj, what)` borrows `obj` and returns a Zig value, or sets a
//! Python exception naming `what` (e.g. "add() argument 1") and returns
//! `error.PythonException`.  `toPython(value)` returns a new reference, or null
//! with an exception set.  Registration (functions, modules) lives elsewhere.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");

/// A Python exception is set; unwind to the C boundary and return NULL.
pub const PythonException = error{PythonException};

pub fn fromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    return switch (comptime reflect.kind(T)) {
        .int => intFromPython(T, obj, what),
        .float => floatFromPython(T, obj, what),
        .bool => boolFromPython(obj, what),
        else => @compileError(what ++ ": zig_core cannot convert a Python object to " ++ @typeName(T)),
    };
}

pub fn toPython(value: anytype) ?*c.PyObject {
    const T = @TypeOf(value);
    return switch (comptime reflect.kind(T)) {
        .int => intToPython(T, value),
        .float => c.PyFloat_FromDouble(@floatCast(value)),
        .bool => c.newref(if (value) &c._Py_TrueStruct else &c._Py_FalseStruct),
        .void => c.newref(c.none()),
        else => @compileError("zig_core cannot convert " ++ @typeName(T) ++ " to a Python object"),
    };
}

// ---- integers ----

fn intFromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    const bits = comptime reflect.intBits(T);
    if (comptime bits > 64) @compileError(what ++ ": integers wider than 64 bits are not supported yet");
    if (comptime reflect.intSigned(T)) {
        const v = c.PyLong_AsLongLong(obj);
        if (v == -1 and c.PyErr_Occurred() != null) return intError(T, what);
        return std.math.cast(T, v) orelse overflow(T, what);
    } else {
        // AsUnsignedLongLong rejects negative ints with OverflowError, and non-ints without
        // trying __index__; take the signed path first so both behave like Python's int().
        const v = c.PyLong_AsLongLong(obj);
        if (v == -1 and c.PyErr_Occurred() != null) {
            if (c.PyErr_ExceptionMatches(c.PyExc_OverflowError) == 0) return intError(T, what);
            c.PyErr_Clear();
            const u = c.PyLong_AsUnsignedLongLong(obj);
            if (u == std.math.maxInt(c_ulonglong) and c.PyErr_Occurred() != null) return intError(T, what);
            return std.math.cast(T, u) orelse overflow(T, what);
        }
        return std.math.cast(T, v) orelse overflow(T, what);
    }
}

fn intError(comptime T: type, comptime what: []const u8) PythonException {
    if (c.PyErr_ExceptionMatches(c.PyExc_OverflowError) != 0) {
        c.PyErr_Clear();
        return overflow(T, what);
    }
    return error.PythonException; // TypeError from __index__ et al. says it well enough
}

fn overflow(comptime T: type, comptime what: []const u8) PythonException {
    const msg = std.fmt.comptimePrint("{s} is out of range for {s} ({d}..{d})", .{ what, @typeName(T), std.math.minInt(T), std.math.maxInt(T) });
    c.PyErr_SetString(c.PyExc_OverflowError, msg);
    return error.PythonException;
}

fn intToPython(comptime T: type, value: T) ?*c.PyObject {
    if (comptime reflect.intBits(T) > 64) @compileError("integers wider than 64 bits are not supported yet");
    if (comptime reflect.intSigned(T)) return c.PyLong_FromLongLong(value);
    return c.PyLong_FromUnsignedLongLong(value);
}

// ---- floats and bools ----

fn floatFromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    _ = what;
    const v = c.PyFloat_AsDouble(obj);
    if (v == -1.0 and c.PyErr_Occurred() != null) return error.PythonException;
    return @floatCast(v);
}

fn boolFromPython(obj: *c.PyObject, comptime what: []const u8) PythonException!bool {
    if (obj == &c._Py_TrueStruct) return true;
    if (obj == &c._Py_FalseStruct) return false;
    c.PyErr_SetString(c.PyExc_TypeError, what ++ " must be a bool");
    return error.PythonException;
}
