//! The CPython C-API, declared by hand (Zig 0.17 has no @cImport, and this
//! way no Python headers are needed on the user's machine).
//!
//! Only the stable-ABI layouts are relied upon (PyObject header, PyMethodDef,
//! PyModuleDef, PyType_Spec/Slot, PyMemberDef, Py_buffer), plus reference
//! counting, which is inlined per Python version for speed because each
//! binary is built for exactly one interpreter (see zigimport_options).
const std = @import("std");
const builtin = @import("builtin");
const options = @import("zigimport_options");

pub const py_minor: u8 = options.python_version[1];
comptime {
    std.debug.assert(options.python_version[0] == 3);
    if (py_minor < 10) @compileError("zig_core supports CPython 3.10 and newer");
    if (options.python_gil_disabled) @compileError("zig_core does not support free-threaded CPython builds yet");
}

pub const Py_ssize_t = isize;
pub const Py_hash_t = isize;

pub const PyObject = extern struct {
    ob_refcnt: Py_ssize_t,
    ob_type: *PyTypeObject,
};
pub const PyVarObject = extern struct {
    ob_base: PyObject,
    ob_size: Py_ssize_t,
};
/// Opaque: zig_core never reads type objects' fields (their layout changes between versions).
pub const PyTypeObject = opaque {};

pub const PyCFunctionFast = *const fn (?*PyObject, [*]const *PyObject, Py_ssize_t) callconv(.c) ?*PyObject;
pub const PyCFunctionFastWithKeywords = *const fn (?*PyObject, [*]const *PyObject, Py_ssize_t, ?*PyObject) callconv(.c) ?*PyObject;

pub const METH_VARARGS: c_int = 0x0001;
pub const METH_KEYWORDS: c_int = 0x0002;
pub const METH_NOARGS: c_int = 0x0004;
pub const METH_O: c_int = 0x0008;
pub const METH_CLASS: c_int = 0x0010;
pub const METH_STATIC: c_int = 0x0020;
pub const METH_FASTCALL: c_int = 0x0080;

pub const PyMethodDef = extern struct {
    ml_name: ?[*:0]const u8,
    ml_meth: ?*const anyopaque,
    ml_flags: c_int,
    ml_doc: ?[*:0]const u8,

    pub const sentinel: PyMethodDef = .{ .ml_name = null, .ml_meth = null, .ml_flags = 0, .ml_doc = null };
};

pub const PyModuleDef_Base = extern struct {
    ob_base: PyObject,
    m_init: ?*const fn () callconv(.c) ?*PyObject,
    m_index: Py_ssize_t,
    m_copy: ?*PyObject,
};

pub const PyModuleDef_Slot = extern struct {
    slot: c_int,
    value: ?*const anyopaque,
};
pub const Py_mod_create: c_int = 1;
pub const Py_mod_exec: c_int = 2;
pub const Py_mod_multiple_interpreters: c_int = 3; // 3.12+
pub const Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED: ?*const anyopaque = null;

pub const PyModuleDef = extern struct {
    m_base: PyModuleDef_Base,
    m_name: [*:0]const u8,
    m_doc: ?[*:0]const u8,
    m_size: Py_ssize_t,
    m_methods: ?[*]const PyMethodDef,
    m_slots: ?[*]const PyModuleDef_Slot,
    m_traverse: ?*const anyopaque,
    m_clear: ?*const anyopaque,
    m_free: ?*const anyopaque,
};

/// PyModuleDef_HEAD_INIT: the refcount is immortal-looking so it is never freed.
pub const PyModuleDef_HEAD_INIT: PyModuleDef_Base = .{
    .ob_base = .{ .ob_refcnt = 1, .ob_type = undefined },
    .m_init = null,
    .m_index = 0,
    .m_copy = null,
};

// ---- objects and reference counting ----

pub extern var _Py_NoneStruct: PyObject;
pub extern var _Py_TrueStruct: PyObject;
pub extern var _Py_FalseStruct: PyObject;
pub extern var _Py_NotImplementedStruct: PyObject;
pub extern fn _Py_Dealloc(o: *PyObject) void;
pub extern fn Py_IncRef(o: ?*PyObject) void;
pub extern fn Py_DecRef(o: ?*PyObject) void;

pub inline fn none() *PyObject {
    return &_Py_NoneStruct;
}

/// Py_INCREF as the running interpreter's headers define it.
pub inline fn incref(o: *PyObject) void {
    if (comptime options.python_debug) return Py_IncRef(o); // keeps the debug build's total refcount right
    if (comptime py_minor >= 12) {
        // 3.12+: immortal objects saturate the low 32 bits; incrementing them is a no-op.
        const low: *u32 = @ptrCast(@as([*]u32, @ptrCast(&o.ob_refcnt)) + @as(usize, if (builtin.cpu.arch.endian() == .big) 1 else 0));
        const n = low.* +% 1;
        if (n == 0) return;
        low.* = n;
    } else {
        o.ob_refcnt += 1;
    }
}

/// Py_DECREF as the running interpreter's headers define it.
pub inline fn decref(o: *PyObject) void {
    if (comptime options.python_debug) return Py_DecRef(o);
    if (comptime py_minor >= 12) {
        if (@as(i32, @truncate(o.ob_refcnt)) < 0) return; // immortal
    }
    o.ob_refcnt -= 1;
    if (o.ob_refcnt == 0) _Py_Dealloc(o);
}

pub inline fn xdecref(o: ?*PyObject) void {
    if (o) |p| decref(p);
}

/// A new reference to `o`.
pub inline fn newref(o: *PyObject) *PyObject {
    incref(o);
    return o;
}

pub inline fn typeOf(o: *PyObject) *PyTypeObject {
    return o.ob_type;
}

// ---- modules ----

pub extern fn PyModuleDef_Init(def: *PyModuleDef) ?*PyObject;
pub extern fn PyModule_AddObjectRef(m: *PyObject, name: [*:0]const u8, value: *PyObject) c_int;
pub extern fn PyModule_GetName(m: *PyObject) ?[*:0]const u8;

// ---- numbers ----

pub extern fn PyLong_AsLongLong(o: *PyObject) c_longlong;
pub extern fn PyLong_AsUnsignedLongLong(o: *PyObject) c_ulonglong;
pub extern fn PyLong_FromLongLong(v: c_longlong) ?*PyObject;
pub extern fn PyLong_FromUnsignedLongLong(v: c_ulonglong) ?*PyObject;
pub extern fn PyFloat_AsDouble(o: *PyObject) f64;
pub extern fn PyFloat_FromDouble(v: f64) ?*PyObject;

// ---- errors ----

pub extern fn PyErr_Occurred() ?*PyObject;
pub extern fn PyErr_SetString(exc: *PyObject, msg: [*:0]const u8) void;
pub extern fn PyErr_Format(exc: *PyObject, fmt: [*:0]const u8, ...) ?*PyObject;
pub extern fn PyErr_ExceptionMatches(exc: *PyObject) c_int;
pub extern fn PyErr_Clear() void;
pub extern fn Py_FatalError(msg: [*:0]const u8) noreturn;

pub extern var PyExc_TypeError: *PyObject;
pub extern var PyExc_ValueError: *PyObject;
pub extern var PyExc_OverflowError: *PyObject;
