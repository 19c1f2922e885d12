//! The CPython C-API, declared by hand (Zig 0.17 has no @cImport, and this
//! way no Python headers are needed on the user's machine).
//!
//! Only the stable-ABI layouts are relied upon (PyObject header, PyMethodDef,
//! PyModuleDef, PyType_Spec/Slot, PyMemberDef, Py_buffer), plus reference
//! counting, which is inlined per Python version for speed because each
//! binary is built for exactly one interpreter (see zigimport_options), and a
//! few type-object and str/int/tuple layouts of that version.
//!
//! abi3 (`limited_api`, docs/wheels.md): a binary for a minimum version and every
//! later one.  Then only functions of that version's stable ABI are declared for
//! use (the others resolve to stand-ins in limited_api.zig), reference counting
//! calls Py_IncRef/Py_DecRef, and the layout readers either fall back to a C-API
//! call or are a compile error; the one layout still read is tp_name (typeNameOf).
const std = @import("std");
const builtin = @import("builtin");
const options = @import("zigimport_options");

/// abi3 (docs/wheels.md): built against the stable ABI of `abi3_minimum` and every later version, so
/// only stable-ABI functions are called and no version-specific layout is read (see src/limited_api.zig).
pub const limited_api: bool = @hasDecl(options, "abi3_minimum") and options.abi3_minimum != null;
/// The minor version the code is written for: the interpreter's, or under abi3 the minimum one (every
/// `py_minor >= N` choice then takes the path that works on all of them).
pub const py_minor: u8 = if (limited_api) options.abi3_minimum.?[1] else options.python_version[1];
/// Layout peeks (type-object offsets, str/int internals) are allowed: the binary runs on one minor version.
const version_specific = !limited_api;
const limited = @import("limited_api.zig");
comptime {
    if (limited_api and py_minor < 11) @compileError("abi3 needs 3.11 or newer as its minimum (Py_buffer joined the limited API in 3.11)");
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
    // abi3: the inline form changed in 3.12 (immortal objects), so the function the stable ABI exports.
    if (comptime options.python_debug or limited_api) return Py_IncRef(o); // keeps the debug build's total refcount right
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
    if (comptime options.python_debug or limited_api) return Py_DecRef(o);
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

// ---- type objects (read through @extern; their layout is never relied upon) ----

fn typeObject(comptime name: []const u8) *PyTypeObject {
    return @extern(*PyTypeObject, .{ .name = name });
}
pub const PyLong_Type = typeObject("PyLong_Type");
pub const PyFloat_Type = typeObject("PyFloat_Type");
pub const PyBool_Type = typeObject("PyBool_Type");
pub const PyUnicode_Type = typeObject("PyUnicode_Type");
pub const PyBytes_Type = typeObject("PyBytes_Type");
pub const PyTuple_Type = typeObject("PyTuple_Type");
pub const PyList_Type = typeObject("PyList_Type");

pub extern fn PyType_GetFlags(t: *PyTypeObject) c_ulong;
pub extern fn PyType_IsSubtype(a: *PyTypeObject, b: *PyTypeObject) c_int;
pub extern fn PyType_GetName(t: *PyTypeObject) ?*PyObject; // 3.11+
pub const Py_TPFLAGS_LONG_SUBCLASS: c_ulong = 1 << 24;
pub const Py_TPFLAGS_LIST_SUBCLASS: c_ulong = 1 << 25;
pub const Py_TPFLAGS_TUPLE_SUBCLASS: c_ulong = 1 << 26;
pub const Py_TPFLAGS_BYTES_SUBCLASS: c_ulong = 1 << 27;
pub const Py_TPFLAGS_UNICODE_SUBCLASS: c_ulong = 1 << 28;
pub const Py_TPFLAGS_DICT_SUBCLASS: c_ulong = 1 << 29;
pub const Py_TPFLAGS_BASE_EXC_SUBCLASS: c_ulong = 1 << 30;
pub const Py_TPFLAGS_TYPE_SUBCLASS: c_ulong = 1 << 31;

pub inline fn hasFlag(o: *PyObject, flag: c_ulong) bool {
    return PyType_GetFlags(o.ob_type) & flag != 0;
}
pub inline fn isInstance(o: *PyObject, t: *PyTypeObject) bool {
    return o.ob_type == t or PyType_IsSubtype(o.ob_type, t) != 0;
}

// ---- modules ----

pub extern fn PyModuleDef_Init(def: *PyModuleDef) ?*PyObject;
pub extern fn PyModule_AddObjectRef(m: *PyObject, name: [*:0]const u8, value: *PyObject) c_int;
pub extern fn PyModule_GetName(m: *PyObject) ?[*:0]const u8;
pub extern fn PyImport_ImportModule(name: [*:0]const u8) ?*PyObject;
// Submodules, module constants and module exceptions (src/module.zig, src/exception.zig).
pub extern fn PyModule_New(name: [*:0]const u8) ?*PyObject;
pub extern fn PyModule_AddFunctions(m: *PyObject, functions: [*]const PyMethodDef) c_int;
pub extern fn PyModule_SetDocString(m: *PyObject, doc: [*:0]const u8) c_int;
pub extern fn PyImport_GetModuleDict() *PyObject;
pub extern fn PyDict_DelItemString(d: *PyObject, key: [*:0]const u8) c_int;
pub extern fn PyLong_FromString(str: [*:0]const u8, pend: ?*[*:0]u8, base: c_int) ?*PyObject;
pub extern fn PyErr_NewExceptionWithDoc(name: [*:0]const u8, doc: ?[*:0]const u8, base: ?*PyObject, dict: ?*PyObject) ?*PyObject;

// ---- type objects made from specs (classes) ----

pub const PyType_Slot = extern struct {
    slot: c_int,
    pfunc: ?*const anyopaque,
};
pub const PyType_Spec = extern struct {
    name: [*:0]const u8,
    basicsize: c_int,
    itemsize: c_int,
    flags: c_uint,
    slots: [*]const PyType_Slot,
};
pub const PyGetSetDef = extern struct {
    name: ?[*:0]const u8,
    get: ?*const fn (*PyObject, ?*anyopaque) callconv(.c) ?*PyObject,
    set: ?*const fn (*PyObject, ?*PyObject, ?*anyopaque) callconv(.c) c_int,
    doc: ?[*:0]const u8,
    closure: ?*anyopaque,

    pub const sentinel: PyGetSetDef = .{ .name = null, .get = null, .set = null, .doc = null, .closure = null };
};
pub const PyMemberDef = extern struct {
    name: ?[*:0]const u8,
    type: c_int,
    offset: Py_ssize_t,
    flags: c_int,
    doc: ?[*:0]const u8,
};
pub const T_PYSSIZET: c_int = 19;
pub const READONLY: c_int = 1;
pub const visitproc = *const fn (*PyObject, ?*anyopaque) callconv(.c) c_int;

/// typeslots.h (stable ABI numbering).
pub const slot = struct {
    pub const bf_getbuffer = 1;
    pub const bf_releasebuffer = 2;
    pub const mp_ass_subscript = 3;
    pub const mp_length = 4;
    pub const mp_subscript = 5;
    pub const nb_absolute = 6;
    pub const nb_add = 7;
    pub const nb_and = 8;
    pub const nb_bool = 9;
    pub const nb_divmod = 10;
    pub const nb_float = 11;
    pub const nb_floor_divide = 12;
    pub const nb_index = 13;
    pub const nb_inplace_add = 14;
    pub const nb_inplace_and = 15;
    pub const nb_inplace_floor_divide = 16;
    pub const nb_inplace_lshift = 17;
    pub const nb_inplace_multiply = 18;
    pub const nb_inplace_or = 19;
    pub const nb_inplace_power = 20;
    pub const nb_inplace_remainder = 21;
    pub const nb_inplace_rshift = 22;
    pub const nb_inplace_subtract = 23;
    pub const nb_inplace_true_divide = 24;
    pub const nb_inplace_xor = 25;
    pub const nb_int = 26;
    pub const nb_invert = 27;
    pub const nb_lshift = 28;
    pub const nb_multiply = 29;
    pub const nb_negative = 30;
    pub const nb_or = 31;
    pub const nb_positive = 32;
    pub const nb_power = 33;
    pub const nb_remainder = 34;
    pub const nb_rshift = 35;
    pub const nb_subtract = 36;
    pub const nb_true_divide = 37;
    pub const nb_xor = 38;
    pub const sq_contains = 41;
    pub const sq_length = 45;
    pub const tp_alloc = 47;
    pub const tp_call = 50;
    pub const tp_clear = 51;
    pub const tp_dealloc = 52;
    pub const tp_doc = 56;
    pub const tp_free = 74;
    pub const tp_getattro = 58;
    pub const tp_hash = 59;
    pub const tp_init = 60;
    pub const tp_iter = 62;
    pub const tp_iternext = 63;
    pub const tp_methods = 64;
    pub const tp_new = 65;
    pub const tp_repr = 66;
    pub const tp_richcompare = 67;
    pub const tp_setattro = 69;
    pub const tp_str = 70;
    pub const tp_traverse = 71;
    pub const tp_members = 72;
    pub const tp_getset = 73;
    pub const nb_matrix_multiply = 75;
    pub const nb_inplace_matrix_multiply = 76;
};

pub const Py_TPFLAGS_IMMUTABLETYPE: c_uint = 1 << 8;
pub const Py_TPFLAGS_BASETYPE: c_uint = 1 << 10;
pub const Py_TPFLAGS_HAVE_GC: c_uint = 1 << 14;
pub const Py_TPFLAGS_HAVE_VERSION_TAG: c_uint = 1 << 18;
pub const Py_TPFLAGS_DEFAULT: c_uint = Py_TPFLAGS_HAVE_VERSION_TAG;

pub const Py_LT: c_int = 0;
pub const Py_LE: c_int = 1;
pub const Py_NE: c_int = 3;
pub const Py_GT: c_int = 4;
pub const Py_GE: c_int = 5;

pub const vectorcallfunc = *const fn (*PyObject, [*]const *PyObject, usize, ?*PyObject) callconv(.c) ?*PyObject;
pub const PY_VECTORCALL_ARGUMENTS_OFFSET: usize = @as(usize, 1) << (@bitSizeOf(usize) - 1);

/// Byte offset of PyTypeObject.tp_vectorcall, the one type-object field zig_core writes: a
/// vectorcall constructor spares each `Class(...)` call CPython's generic type call (which
/// builds a kwargs dict).  The spec slot for it (Py_tp_vectorcall) exists only from 3.14.
/// Same layout in the 3.10-3.13 headers (47 pointer-sized fields after the 24-byte head);
/// tests/test_classes.py re-checks it on every interpreter with ctypes.
pub const tp_vectorcall_offset: ?usize = if (version_specific and @sizeOf(usize) == 8 and py_minor >= 10 and py_minor <= 13) 400 else null;

pub fn setTypeVectorcall(t: *PyTypeObject, f: vectorcallfunc) void {
    const offset = tp_vectorcall_offset orelse return;
    @as(*?vectorcallfunc, @ptrCast(@alignCast(@as([*]u8, @ptrCast(t)) + offset))).* = f;
}

pub extern fn PyType_FromModuleAndSpec(module: ?*PyObject, spec: *PyType_Spec, bases: ?*PyObject) ?*PyObject;
pub extern fn PyType_GetSlot(t: *PyTypeObject, slot_id: c_int) ?*anyopaque;
pub extern fn PyType_GenericAlloc(t: *PyTypeObject, n: Py_ssize_t) ?*PyObject;
pub extern fn PyObject_GC_UnTrack(o: *anyopaque) void;
pub extern fn PyObject_ClearWeakRefs(o: *PyObject) void;
pub extern fn PyDict_Next(d: *PyObject, pos: *Py_ssize_t, key: *?*PyObject, value: *?*PyObject) c_int;
pub extern fn PyDict_Size(d: *PyObject) Py_ssize_t;
pub extern fn PyObject_GetItem(o: *PyObject, key: *PyObject) ?*PyObject;

pub inline fn notImplemented() *PyObject {
    return newref(&_Py_NotImplementedStruct);
}

// ---- the GIL ----

pub const PyThreadState = opaque {};
pub extern fn PyEval_SaveThread() ?*PyThreadState;
pub extern fn PyEval_RestoreThread(t: ?*PyThreadState) void;
pub extern fn PyGILState_Check() c_int;
pub const PyGILState_STATE = c_int;
pub extern fn PyGILState_Ensure() PyGILState_STATE;

// ---- generic objects ----

pub extern fn PyObject_GetAttrString(o: *PyObject, name: [*:0]const u8) ?*PyObject;
pub extern fn PyObject_SetAttrString(o: *PyObject, name: [*:0]const u8, v: ?*PyObject) c_int;
pub extern fn PyObject_Repr(o: *PyObject) ?*PyObject;
pub extern fn PyObject_Str(o: *PyObject) ?*PyObject;
pub extern fn PyObject_IsTrue(o: *PyObject) c_int;
pub extern fn PyObject_Call(callable: *PyObject, args: *PyObject, kwargs: ?*PyObject) ?*PyObject;
pub const PyObject_VectorcallDict = if (limited_api) limited.vectorcallDict else struct {
    extern fn PyObject_VectorcallDict(callable: *PyObject, args: [*]const *PyObject, nargsf: usize, kwargs: ?*PyObject) ?*PyObject;
}.PyObject_VectorcallDict;

/// `callable(*args)`.  PyObject_Vectorcall is a header inline before 3.12 (no symbol to link);
/// PyObject_VectorcallDict is exported by every supported version and does the same with no kwargs.
pub inline fn call(callable: *PyObject, args: []const *PyObject) ?*PyObject {
    return PyObject_VectorcallDict(callable, args.ptr, args.len, null);
}
pub extern fn PyCallable_Check(o: *PyObject) c_int;
/// `obj.name(*args)`, the arguments built by CPython from `format` (Py_BuildValue codes; no `#` codes:
/// before 3.13 they need PY_SSIZE_T_CLEAN, a macro).
pub extern fn PyObject_CallMethod(obj: *PyObject, name: [*:0]const u8, format: ?[*:0]const u8, ...) ?*PyObject;
pub extern fn PyObject_Length(o: *PyObject) Py_ssize_t;
pub extern fn PyObject_GetIter(o: *PyObject) ?*PyObject;
pub extern fn PyIter_Next(o: *PyObject) ?*PyObject;
pub extern fn PyEval_GetBuiltins() ?*PyObject;
pub extern fn PyDict_GetItemString(d: *PyObject, key: [*:0]const u8) ?*PyObject;
pub extern fn PyDict_New() ?*PyObject;
pub extern fn PyDict_SetItemString(d: *PyObject, key: [*:0]const u8, v: *PyObject) c_int;
pub extern fn PyDict_SetItem(d: *PyObject, key: *PyObject, v: *PyObject) c_int;

// ---- numbers ----

pub extern fn PyLong_AsLongLong(o: *PyObject) c_longlong;
pub extern fn PyLong_AsUnsignedLongLong(o: *PyObject) c_ulonglong;
pub extern fn PyLong_AsUnsignedLongLongMask(o: *PyObject) c_ulonglong;
pub extern fn PyLong_FromLongLong(v: c_longlong) ?*PyObject;
pub extern fn PyLong_FromUnsignedLongLong(v: c_ulonglong) ?*PyObject;
pub extern fn PyNumber_Index(o: *PyObject) ?*PyObject;
pub extern fn PyNumber_Rshift(a: *PyObject, b: *PyObject) ?*PyObject;
pub extern fn PyNumber_Lshift(a: *PyObject, b: *PyObject) ?*PyObject;
pub extern fn PyNumber_Or(a: *PyObject, b: *PyObject) ?*PyObject;
pub extern fn PyObject_RichCompareBool(a: *PyObject, b: *PyObject, op: c_int) c_int;
pub const Py_EQ: c_int = 2;
pub extern fn PyFloat_AsDouble(o: *PyObject) f64;
pub extern fn PyFloat_FromDouble(v: f64) ?*PyObject;

// ---- strings and bytes ----

pub extern fn PyUnicode_AsUTF8AndSize(o: *PyObject, size: ?*Py_ssize_t) ?[*:0]const u8;
pub extern fn PyUnicode_FromStringAndSize(s: ?[*]const u8, n: Py_ssize_t) ?*PyObject;
pub extern fn PyUnicode_DecodeUTF8(s: [*]const u8, n: Py_ssize_t, errors: ?[*:0]const u8) ?*PyObject;
pub extern fn PyUnicode_FromString(s: [*:0]const u8) ?*PyObject;
pub extern fn PyUnicode_InternFromString(s: [*:0]const u8) ?*PyObject;
pub extern fn PyBytes_FromStringAndSize(s: ?[*]const u8, n: Py_ssize_t) ?*PyObject;
pub extern fn PyBytes_AsStringAndSize(o: *PyObject, buf: *[*:0]u8, len: *Py_ssize_t) c_int;

// ---- tuples and lists ----

pub extern fn PyTuple_New(n: Py_ssize_t) ?*PyObject;
pub extern fn PyTuple_SetItem(t: *PyObject, i: Py_ssize_t, v: *PyObject) c_int; // steals v
pub extern fn PyList_New(n: Py_ssize_t) ?*PyObject;
pub extern fn PyList_SetItem(l: *PyObject, i: Py_ssize_t, v: *PyObject) c_int; // steals v

/// ob_size of a tuple or list (PyVarObject header, stable across versions).
pub inline fn varSize(o: *PyObject) Py_ssize_t {
    return @as(*PyVarObject, @ptrCast(o)).ob_size;
}
/// Item i of a tuple (borrowed): read in place, or under abi3 PyTuple_GetItem.
pub inline fn tupleItem(t: *PyObject, i: usize) *PyObject {
    if (comptime limited_api) return PyTuple_GetItem(t, @intCast(i)).?;
    return tupleItems(t)[i];
}
/// Item i of a list (borrowed): read in place, or under abi3 PyList_GetItem.
pub inline fn listItem(l: *PyObject, i: usize) *PyObject {
    if (comptime limited_api) return PyList_GetItem(l, @intCast(i)).?;
    return listItems(l)[i];
}
/// Fill slot i of a new list (steals v), as PyList_SET_ITEM.
pub inline fn listInit(l: *PyObject, i: usize, v: *PyObject) void {
    if (comptime limited_api) {
        _ = PyList_SetItem(l, @intCast(i), v);
        return;
    }
    listItems(l)[i] = v;
}
/// Fill slot i of a new tuple (steals v), as PyTuple_SET_ITEM.
pub inline fn tupleInit(t: *PyObject, i: usize, v: *PyObject) void {
    if (comptime limited_api) {
        _ = PyTuple_SetItem(t, @intCast(i), v);
        return;
    }
    tupleItems(t)[i] = v;
}
/// Item i of a list or tuple (borrowed).
pub inline fn seqItem(o: *PyObject, i: usize) *PyObject {
    return if (hasFlag(o, Py_TPFLAGS_LIST_SUBCLASS)) listItem(o, i) else tupleItem(o, i);
}
/// The items of a list or tuple, indexed with get(i): the object's own storage (version-specific,
/// as fast as a slice), or under abi3 the object read with PyList_GetItem/PyTuple_GetItem.
pub const Seq = if (limited_api) struct {
    obj: *PyObject,
    len: usize,
    is_list: bool,
    pub fn get(self: Seq, i: usize) *PyObject {
        return if (self.is_list) listItem(self.obj, i) else tupleItem(self.obj, i);
    }
} else struct {
    items: [*]*PyObject,
    len: usize,
    pub inline fn get(self: Seq, i: usize) *PyObject {
        return self.items[i];
    }
};
pub inline fn tupleSeq(t: *PyObject) Seq {
    const n: usize = @intCast(varSize(t));
    return if (comptime limited_api) .{ .obj = t, .len = n, .is_list = false } else .{ .items = tupleItems(t), .len = n };
}
pub inline fn listSeq(l: *PyObject) Seq {
    const n: usize = @intCast(varSize(l));
    return if (comptime limited_api) .{ .obj = l, .len = n, .is_list = true } else .{ .items = listItems(l), .len = n };
}
/// The items of a tuple, which follow its PyVarObject header (not under abi3: use tupleItem).
pub inline fn tupleItems(t: *PyObject) [*]*PyObject {
    if (comptime limited_api) @compileError("tupleItems reads the tuple's layout; abi3 code uses tupleItem");
    return @ptrCast(@alignCast(@as([*]u8, @ptrCast(t)) + @sizeOf(PyVarObject)));
}
/// The items of a list: PyListObject is { PyVarObject; PyObject **ob_item; ... }.
pub inline fn listItems(l: *PyObject) [*]*PyObject {
    if (comptime limited_api) @compileError("listItems reads the list's layout; abi3 code uses listItem");
    return @as(*const [*]*PyObject, @ptrCast(@alignCast(@as([*]u8, @ptrCast(l)) + @sizeOf(PyVarObject)))).*;
}

// ---- named tuples (struct sequences) ----

pub const PyStructSequence_Field = extern struct {
    name: ?[*:0]const u8,
    doc: ?[*:0]const u8,
};
pub const PyStructSequence_Desc = extern struct {
    name: [*:0]const u8,
    doc: ?[*:0]const u8,
    fields: [*]const PyStructSequence_Field,
    n_in_sequence: c_int,
};
pub extern fn PyStructSequence_NewType(desc: *PyStructSequence_Desc) ?*PyTypeObject;
pub extern fn PyStructSequence_New(t: *PyTypeObject) ?*PyObject;
pub extern fn PyStructSequence_SetItem(o: *PyObject, i: Py_ssize_t, v: *PyObject) void; // steals v

// ---- buffers ----

pub const Py_buffer = extern struct {
    buf: ?*anyopaque,
    obj: ?*PyObject,
    len: Py_ssize_t,
    itemsize: Py_ssize_t,
    readonly: c_int,
    ndim: c_int,
    format: ?[*:0]const u8,
    shape: ?[*]Py_ssize_t,
    strides: ?[*]Py_ssize_t,
    suboffsets: ?[*]Py_ssize_t,
    internal: ?*anyopaque,
};
pub const PyBUF_SIMPLE: c_int = 0;
pub const PyBUF_WRITABLE: c_int = 0x0001;
pub const PyBUF_FORMAT: c_int = 0x0004;
pub const PyBUF_ND: c_int = 0x0008;
pub const PyBUF_STRIDES: c_int = 0x0010 | PyBUF_ND;
pub const PyBUF_RECORDS_RO: c_int = PyBUF_STRIDES | PyBUF_FORMAT;
pub extern fn PyObject_GetBuffer(o: *PyObject, view: *Py_buffer, flags: c_int) c_int;
pub extern fn PyBuffer_Release(view: *Py_buffer) void;
pub extern fn PyMemoryView_FromObject(o: *PyObject) ?*PyObject;
pub extern fn PyObject_CheckBuffer(o: *PyObject) c_int;

// ---- memory ----

// PyMem_Raw* joined the stable ABI in 3.13: an abi3 build for an older minimum uses libc's malloc
// (equally thread-safe without the GIL; tracemalloc does not see it).
const raw_mem = if (limited_api and py_minor < 13) limited.libc_mem else struct {
    extern fn PyMem_RawMalloc(n: usize) ?*anyopaque;
    extern fn PyMem_RawRealloc(p: ?*anyopaque, n: usize) ?*anyopaque;
    extern fn PyMem_RawFree(p: ?*anyopaque) void;
};
pub const PyMem_RawMalloc = raw_mem.PyMem_RawMalloc;
pub const PyMem_RawRealloc = raw_mem.PyMem_RawRealloc;
pub const PyMem_RawFree = raw_mem.PyMem_RawFree;

// ---- errors ----

pub extern fn PyErr_Occurred() ?*PyObject;
pub extern fn PyErr_SetString(exc: *PyObject, msg: [*:0]const u8) void;
pub extern fn PyErr_SetObject(exc: *PyObject, value: *PyObject) void;
pub extern fn PyErr_Format(exc: *PyObject, fmt: [*:0]const u8, ...) ?*PyObject;
pub extern fn PyErr_ExceptionMatches(exc: *PyObject) c_int;
pub extern fn PyErr_Clear() void;
pub extern fn PyErr_NoMemory() ?*PyObject;
pub extern fn PyErr_Fetch(t: *?*PyObject, v: *?*PyObject, tb: *?*PyObject) void;
pub extern fn PyErr_Restore(t: ?*PyObject, v: ?*PyObject, tb: ?*PyObject) void;
pub extern fn PyErr_NormalizeException(t: *?*PyObject, v: *?*PyObject, tb: *?*PyObject) void;
pub extern fn PyException_SetCause(exc: *PyObject, cause: ?*PyObject) void;
pub extern fn Py_FatalError(msg: [*:0]const u8) noreturn;

/// `PyExc_<name>`, e.g. `exc("ValueError")`; an unknown name fails at load time, so
/// callers only pass names from `builtin_exceptions`.
pub inline fn exc(comptime name: []const u8) *PyObject {
    return @extern(*const *PyObject, .{ .name = "PyExc_" ++ name }).*;
}

// ---- values: complex, set/frozenset, paths, the datetime capsule (see convert.zig's friends) ----

pub const Py_complex = extern struct { real: f64, imag: f64 };
pub extern fn PyComplex_FromDoubles(re: f64, im: f64) ?*PyObject;
pub extern fn PyComplex_AsCComplex(o: *PyObject) Py_complex;

pub const PySet_Type = typeObject("PySet_Type");
pub const PyFrozenSet_Type = typeObject("PyFrozenSet_Type");
pub extern fn PySet_New(iterable: ?*PyObject) ?*PyObject;
pub extern fn PyFrozenSet_New(iterable: ?*PyObject) ?*PyObject;
pub extern fn PySet_Add(s: *PyObject, key: *PyObject) c_int;
pub extern fn PySet_Size(s: *PyObject) Py_ssize_t;

pub extern fn PyOS_FSPath(path: *PyObject) ?*PyObject;
pub extern fn PyUnicode_EncodeFSDefault(o: *PyObject) ?*PyObject;
pub extern fn PyUnicode_DecodeFSDefaultAndSize(s: [*]const u8, n: Py_ssize_t) ?*PyObject;

pub extern fn PyCapsule_Import(name: [*:0]const u8, no_block: c_int) ?*anyopaque;
pub extern fn PyObject_IsInstance(o: *PyObject, cls: *PyObject) c_int;

/// PyDateTime_CAPI (datetime.h): the same layout in 3.10-3.13 (not in the limited API).
pub const PyDateTime_CAPI = extern struct {
    DateType: *PyTypeObject,
    DateTimeType: *PyTypeObject,
    TimeType: *PyTypeObject,
    DeltaType: *PyTypeObject,
    TZInfoType: *PyTypeObject,
    TimeZone_UTC: *PyObject,
    Date_FromDate: *const fn (c_int, c_int, c_int, *PyTypeObject) callconv(.c) ?*PyObject,
    DateTime_FromDateAndTime: *const fn (c_int, c_int, c_int, c_int, c_int, c_int, c_int, *PyObject, *PyTypeObject) callconv(.c) ?*PyObject,
    Time_FromTime: *const fn (c_int, c_int, c_int, c_int, *PyObject, *PyTypeObject) callconv(.c) ?*PyObject,
    Delta_FromDelta: *const fn (c_int, c_int, c_int, c_int, *PyTypeObject) callconv(.c) ?*PyObject,
    TimeZone_FromTimeZone: *const fn (*PyObject, ?*PyObject) callconv(.c) ?*PyObject,
    DateTime_FromTimestamp: *const anyopaque,
    Date_FromTimestamp: *const anyopaque,
    DateTime_FromDateAndTimeAndFold: *const fn (c_int, c_int, c_int, c_int, c_int, c_int, c_int, *PyObject, c_int, *PyTypeObject) callconv(.c) ?*PyObject,
    Time_FromTimeAndFold: *const fn (c_int, c_int, c_int, c_int, *PyObject, c_int, *PyTypeObject) callconv(.c) ?*PyObject,
};

/// date, time and datetime objects (datetime.h): PyObject head, hash, hastzinfo, then packed
/// `data` bytes (read the way its PyDateTime_GET_* macros do), fold and tzinfo (only if hastzinfo).
pub const DateObject = extern struct {
    ob_base: PyObject,
    hashcode: Py_hash_t,
    hastzinfo: u8,
    data: [4]u8,
};
pub const DateTimeObject = extern struct {
    ob_base: PyObject,
    hashcode: Py_hash_t,
    hastzinfo: u8,
    data: [10]u8,
    fold: u8,
    tzinfo: ?*PyObject,
};
/// PyDateTime_Time: data[6], fold, tzinfo (valid only if hastzinfo).
pub const TimeObject = extern struct {
    ob_base: PyObject,
    hashcode: Py_hash_t,
    hastzinfo: u8,
    data: [6]u8,
    fold: u8,
    tzinfo: ?*PyObject,
};
/// PyDateTime_Delta.
pub const DeltaObject = extern struct {
    ob_base: PyObject,
    hashcode: Py_hash_t,
    days: c_int,
    seconds: c_int,
    microseconds: c_int,
};
// ---- classes: inheritance, attribute hooks, constructors ----

/// `struct wrapperbase` (cpython/descrobject.h, unchanged 3.10-3.13): a slot wrapper's
/// description, here for a `Cls.__init__` whose docstring carries the real signature.
pub const wrapperbase = extern struct {
    name: [*:0]const u8,
    offset: c_int,
    function: ?*anyopaque,
    wrapper: ?*const anyopaque,
    doc: ?[*:0]const u8,
    flags: c_int,
    name_strobj: ?*PyObject,
};
pub const PyWrapperFlag_KEYWORDS: c_int = 1;
pub extern fn PyDescr_NewMethod(t: *PyTypeObject, def: *PyMethodDef) ?*PyObject;
pub extern fn PyDescr_NewWrapper(t: *PyTypeObject, base: *wrapperbase, wrapped: ?*anyopaque) ?*PyObject;
pub extern fn PyType_Modified(t: *PyTypeObject) void;
/// Byte offset of PyTypeObject.tp_dict (a heap type's own dict) where zig_core knows it
/// (tests/test_classes2.py checks it on the running interpreter).
pub const tp_dict_offset: ?usize = if (version_specific and @sizeOf(usize) == 8 and py_minor >= 10 and py_minor <= 13) 264 else null;

pub fn typeDict(t: *PyTypeObject) ?*PyObject {
    const off = tp_dict_offset orelse return null;
    return @as(*const ?*PyObject, @ptrCast(@alignCast(@as([*]u8, @ptrCast(t)) + off))).*;
}
/// tp_new = NULL: `Cls()` raises "cannot create 'mod.Cls' instances" (3.10+).
pub const Py_TPFLAGS_DISALLOW_INSTANTIATION: c_uint = 1 << 7;
pub extern fn PyObject_GenericGetAttr(o: *PyObject, name: *PyObject) ?*PyObject;
pub extern fn PyObject_GenericSetAttr(o: *PyObject, name: *PyObject, value: ?*PyObject) c_int;
pub extern fn PyModule_GetDict(m: *PyObject) *PyObject; // borrowed
// ---- object handles (py.Dict, py.List, py.Tuple, py.Str, iteration, exceptions) ----

pub const PyDict_Type = typeObject("PyDict_Type");

/// `Py_TYPE(o)->tp_name`, what CPython's own messages print ("list", "numpy.bool", "mod.Class").
/// tp_name directly follows the PyVarObject header in every supported version (not free-threaded).
pub inline fn typeNameOf(o: *PyObject) [*:0]const u8 {
    return @as(*const [*:0]const u8, @ptrCast(@alignCast(@as([*]const u8, @ptrCast(o.ob_type)) + @sizeOf(PyVarObject)))).*;
}

pub extern fn PyDict_GetItemWithError(d: *PyObject, key: *PyObject) ?*PyObject; // borrowed
pub extern fn PyDict_DelItem(d: *PyObject, key: *PyObject) c_int;
pub extern fn PyDict_Contains(d: *PyObject, key: *PyObject) c_int;
pub extern fn PyDict_Clear(d: *PyObject) void;
pub extern fn PyDict_Keys(d: *PyObject) ?*PyObject;
pub extern fn PyDict_Items(d: *PyObject) ?*PyObject; // a new list of (key, value) tuples
pub extern fn PyDict_Values(d: *PyObject) ?*PyObject;
pub extern fn PyList_Append(l: *PyObject, v: *PyObject) c_int;
pub extern fn PyList_Insert(l: *PyObject, i: Py_ssize_t, v: *PyObject) c_int;
pub extern fn PyList_GetItem(l: *PyObject, i: Py_ssize_t) ?*PyObject; // borrowed
pub extern fn PyTuple_GetItem(t: *PyObject, i: Py_ssize_t) ?*PyObject; // borrowed
pub extern fn PySequence_Contains(s: *PyObject, v: *PyObject) c_int;
pub extern fn PySequence_DelItem(s: *PyObject, i: Py_ssize_t) c_int;
pub extern fn PyUnicode_GetLength(o: *PyObject) Py_ssize_t;
pub extern fn PyObject_SetItem(o: *PyObject, key: *PyObject, v: *PyObject) c_int;
pub extern fn PyObject_DelItem(o: *PyObject, key: *PyObject) c_int;
pub extern fn PyObject_HasAttrString(o: *PyObject, name: [*:0]const u8) c_int;
pub extern fn PyObject_Hash(o: *PyObject) Py_hash_t;
pub extern fn PyErr_GivenExceptionMatches(given: *PyObject, exc: *PyObject) c_int;
pub extern fn PyException_SetTraceback(exc: *PyObject, tb: *PyObject) c_int;
pub extern fn PyUnicode_FromFormat(fmt: [*:0]const u8, ...) ?*PyObject;

// ---- @zetaclass (src/zetaclass.zig): module state, typed slots, comparisons, repr ----

pub const T_OBJECT_EX: c_int = 16;
pub const tp_base_slot: c_int = 48;
pub extern var PyType_Type: PyObject;
pub extern fn PyType_GetModule(t: *PyTypeObject) ?*PyObject; // borrowed
pub extern fn PyModule_GetState(m: *PyObject) ?*anyopaque;
pub extern fn Py_ReprEnter(o: *PyObject) c_int;
pub extern fn Py_ReprLeave(o: *PyObject) void;
pub extern fn PyUnicode_Join(sep: *PyObject, seq: *PyObject) ?*PyObject;
pub const PyObject_VectorcallMethod = if (limited_api and py_minor < 12) limited.vectorcallMethod else struct {
    extern fn PyObject_VectorcallMethod(name: *PyObject, args: [*]const *PyObject, nargsf: usize, kwnames: ?*PyObject) ?*PyObject;
}.PyObject_VectorcallMethod;
pub extern fn PyLong_AsLongLongAndOverflow(o: *PyObject, overflow: *c_int) c_longlong;
pub extern fn PyIndex_Check(o: *PyObject) c_int;
pub extern fn PyObject_GenericGetDict(o: *PyObject, context: ?*anyopaque) ?*PyObject;
pub extern fn PyObject_GenericSetDict(o: *PyObject, value: ?*PyObject, context: ?*anyopaque) c_int;
pub extern fn PyObject_HashNotImplemented(o: *PyObject) Py_hash_t;
pub extern fn PyObject_RichCompare(a: *PyObject, b: *PyObject, op: c_int) ?*PyObject;
pub extern fn PyUnicode_Compare(a: *PyObject, b: *PyObject) c_int;
pub extern fn PyTuple_Size(t: *PyObject) Py_ssize_t;
pub extern fn PyUnicode_InternInPlace(s: **PyObject) void;
pub extern fn PyObject_GetAttr(o: *PyObject, name: *PyObject) ?*PyObject;
/// Byte offset of PyTypeObject.tp_flags where zig_core knows it (3.10-3.13, 64-bit: after the
/// 24-byte head and 18 pointer-sized fields); reading it inline spares a call per type check
/// on a zetaclass's construction path.  tests/test_zetaclass.py checks it with ctypes.
pub const tp_flags_offset: ?usize = if (version_specific and @sizeOf(usize) == 8 and py_minor >= 10 and py_minor <= 13) 168 else null;

pub inline fn typeFlags(t: *PyTypeObject) c_ulong {
    const off = tp_flags_offset orelse return PyType_GetFlags(t);
    return @as(*const c_ulong, @ptrCast(@alignCast(@as([*]u8, @ptrCast(t)) + off))).*;
}
pub extern fn PyObject_Malloc(n: usize) ?*anyopaque;
/// Byte offset of PyTypeObject.tp_init (3.10-3.13, 64-bit), read inline like tp_flags.
pub const tp_init_offset: ?usize = if (version_specific and @sizeOf(usize) == 8 and py_minor >= 10 and py_minor <= 13) 296 else null;

pub inline fn typeInit(t: *PyTypeObject) ?*anyopaque {
    const off = tp_init_offset orelse return PyType_GetSlot(t, slot.tp_init);
    return @as(*const ?*anyopaque, @ptrCast(@alignCast(@as([*]u8, @ptrCast(t)) + off))).*;
}
// ---- schema modules (src/schema/): strings built in place, GC tracking, exact float text ----

pub const T_OBJECT: c_int = 6; // a NULL slot reads as None (an absent schema field)
pub extern fn PyUnicode_New(size: Py_ssize_t, maxchar: u32) ?*PyObject;
pub extern fn PyUnicode_DecodeUTF8Stateful(s: [*]const u8, n: Py_ssize_t, errors: ?[*:0]const u8, consumed: ?*Py_ssize_t) ?*PyObject;
pub extern fn PyUnicode_AsEncodedString(o: *PyObject, encoding: [*:0]const u8, errors: [*:0]const u8) ?*PyObject;
pub extern fn PyObject_GC_Track(o: *anyopaque) void;
pub extern fn PyObject_GC_IsTracked(o: *PyObject) c_int;
pub extern fn PyOS_double_to_string(val: f64, format_code: u8, precision: c_int, flags: c_int, ptype: ?*c_int) ?[*:0]u8;
pub const Py_DTSF_ADD_DOT_0: c_int = 0x02;
pub extern fn PyMem_Free(p: ?*anyopaque) void;
pub extern fn PyLong_FromDouble(v: f64) ?*PyObject;
pub extern fn PyMapping_Items(o: *PyObject) ?*PyObject;
pub extern fn PyMapping_Check(o: *PyObject) c_int;
pub extern fn PyList_Reverse(l: *PyObject) c_int;
pub extern fn PyNumber_Remainder(a: *PyObject, b: *PyObject) ?*PyObject;
pub extern fn PyNumber_TrueDivide(a: *PyObject, b: *PyObject) ?*PyObject;
pub extern fn PyDict_Copy(d: *PyObject) ?*PyObject;
pub extern fn PyObject_Not(o: *PyObject) c_int;
pub extern fn PyObject_IsSubclass(a: *PyObject, b: *PyObject) c_int;
pub extern fn PyErr_SetNone(exc: *PyObject) void;
pub const PyUnicode_AsUTF8 = if (limited_api) limited.asUTF8 else struct {
    extern fn PyUnicode_AsUTF8(o: *PyObject) ?[*:0]const u8;
}.PyUnicode_AsUTF8;
pub extern fn PyLong_AsDouble(o: *PyObject) f64;
pub extern fn PyObject_Format(o: *PyObject, spec: ?*PyObject) ?*PyObject;
pub extern fn PySequence_List(o: *PyObject) ?*PyObject;
pub extern fn PyModule_AddType(m: *PyObject, t: *PyTypeObject) c_int;
pub extern fn PyType_GenericNew(t: *PyTypeObject, args: ?*PyObject, kwds: ?*PyObject) ?*PyObject;
pub extern fn Py_EnterRecursiveCall(where: [*:0]const u8) c_int;
pub extern fn Py_LeaveRecursiveCall() void;
pub extern fn PyErr_WarnEx(category: *PyObject, msg: [*:0]const u8, stack_level: Py_ssize_t) c_int;

/// Where a compact str's characters start: after PyASCIIObject (ASCII) or PyCompactUnicodeObject.
/// 3.10/3.11 carry a `wstr` pointer (48/72 bytes), 3.12+ do not (40/56).
pub const ascii_data_offset: usize = if (limited_api) @compileError("str internals are not in the stable ABI") else if (py_minor >= 12) 40 else 48;
pub const compact_data_offset: usize = if (py_minor >= 12) 56 else 72;
pub extern fn PySequence_Tuple(o: *PyObject) ?*PyObject;
/// In the stable ABI too (abi_only: what the limited API's PyObject_GC_New expands to).
pub extern fn _PyObject_GC_New(t: *PyTypeObject) ?*PyObject; // untracked, header initialised, the rest not
