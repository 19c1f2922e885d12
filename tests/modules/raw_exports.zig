//! Fixture for tests/test_specialize.py: a library with no module, only raw exports, built with
//! a `params` module (zigimport.build_library) and loaded with load_function / load_type.
const std = @import("std");
const py = @import("zig_core");
const c = py.capi;
const params = @import("params");

/// scale(x) -> x * factor, through zig_core's conversions.
pub fn scale(x: f64) f64 {
    return x * params.factor;
}
/// The same by hand: a METH_O C function and its PyMethodDef.
fn scaleRaw(_: ?*c.PyObject, arg: ?*c.PyObject) callconv(.c) ?*c.PyObject {
    const x = c.PyFloat_AsDouble(arg.?);
    if (x == -1.0 and c.PyErr_Occurred() != null) return null;
    return c.PyFloat_FromDouble(x * params.factor);
}
export const scale_raw: c.PyMethodDef = .{ .ml_name = "scale_raw", .ml_meth = @ptrCast(&scaleRaw), .ml_flags = c.METH_O, .ml_doc = "scale_raw(x) -> x * factor" };

/// A heap type from a PyType_Spec: instances print the factor.
fn boxRepr(_: *c.PyObject) callconv(.c) ?*c.PyObject {
    return c.PyUnicode_FromString(std.fmt.comptimePrint("<Box factor={d}>", .{params.factor}));
}
extern fn PyType_GenericNew(t: *c.PyTypeObject, args: ?*c.PyObject, kwds: ?*c.PyObject) ?*c.PyObject;
const box_slots = [_]c.PyType_Slot{
    .{ .slot = c.slot.tp_repr, .pfunc = @ptrCast(&boxRepr) },
    .{ .slot = c.slot.tp_new, .pfunc = @ptrCast(&PyType_GenericNew) },
    .{ .slot = c.slot.tp_doc, .pfunc = "A box made from a PyType_Spec." },
    .{ .slot = 0, .pfunc = null },
};
export const box_spec: c.PyType_Spec = .{
    .name = "raw_exports.Box", .basicsize = @sizeOf(c.PyObject), .itemsize = 0,
    .flags = c.Py_TPFLAGS_DEFAULT, .slots = &box_slots,
};
/// The same type from a function returning a new reference.
export fn make_box_type() ?*c.PyObject {
    return c.PyType_FromModuleAndSpec(null, @constCast(&box_spec), null);
}
export const not_a_def: u32 = 7;

comptime {
    py.exportFunction("scale", scale);
}
