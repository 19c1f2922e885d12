//! abi3 (docs/wheels.md): stand-ins for the C-API functions zig_core calls that are not in the stable
//! ABI of the build's minimum version (src/capi.zig picks them when `limited_api` is set; the
//! version-specific build never references this file).  Each does what the function it replaces
//! does, with stable-ABI calls only.
const std = @import("std");
const c = @import("capi.zig");

comptime {
    std.debug.assert(c.limited_api);
}

/// PyObject_VectorcallDict (not in the stable ABI): `callable(*args, **kwargs)` with a tuple of the
/// arguments -- PyObject_Vectorcall joins the stable ABI only in 3.12, and without keywords it is used there.
pub fn vectorcallDict(callable: *c.PyObject, args: [*]const *c.PyObject, nargsf: usize, kwargs: ?*c.PyObject) ?*c.PyObject {
    const n = nargsf & ~c.PY_VECTORCALL_ARGUMENTS_OFFSET;
    if (comptime c.py_minor >= 12) {
        if (kwargs == null) return PyObject_Vectorcall(callable, args, nargsf, null);
    }
    const t = c.PyTuple_New(@intCast(n)) orelse return null;
    defer c.decref(t);
    for (0..n) |i| _ = c.PyTuple_SetItem(t, @intCast(i), c.newref(args[i]));
    return c.PyObject_Call(callable, t, kwargs);
}
extern fn PyObject_Vectorcall(callable: *c.PyObject, args: [*]const *c.PyObject, nargsf: usize, kwnames: ?*c.PyObject) ?*c.PyObject; // 3.12+

/// PyObject_VectorcallMethod before 3.12: `args[0].name(*args[1..])` (keyword names are not used by zig_core here).
pub fn vectorcallMethod(name: *c.PyObject, args: [*]const *c.PyObject, nargsf: usize, kwnames: ?*c.PyObject) ?*c.PyObject {
    std.debug.assert(kwnames == null);
    const n = nargsf & ~c.PY_VECTORCALL_ARGUMENTS_OFFSET;
    std.debug.assert(n >= 1);
    const method = c.PyObject_GetAttr(args[0], name) orelse return null;
    defer c.decref(method);
    return vectorcallDict(method, args + 1, n - 1, null);
}

/// PyUnicode_AsUTF8 (limited only from 3.13): the same pointer from PyUnicode_AsUTF8AndSize.
pub fn asUTF8(o: *c.PyObject) ?[*:0]const u8 {
    return c.PyUnicode_AsUTF8AndSize(o, null);
}

/// PyMem_RawMalloc & co. before 3.13 (when they joined the stable ABI): libc's allocator, which is what
/// they call in a release build and is as safe without the GIL.
pub const libc_mem = struct {
    extern "c" fn malloc(n: usize) ?*anyopaque;
    extern "c" fn realloc(p: ?*anyopaque, n: usize) ?*anyopaque;
    extern "c" fn free(p: ?*anyopaque) void;

    pub fn PyMem_RawMalloc(n: usize) ?*anyopaque {
        return malloc(if (n == 0) 1 else n); // PyMem_RawMalloc(0) returns a unique pointer
    }
    pub fn PyMem_RawRealloc(p: ?*anyopaque, n: usize) ?*anyopaque {
        return realloc(p, if (n == 0) 1 else n);
    }
    pub fn PyMem_RawFree(p: ?*anyopaque) void {
        free(p);
    }
};
