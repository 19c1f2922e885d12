//! The GC side of a module state that is a run of owned object references (schema modules,
//! zetaclass): visit them all (m_traverse) and drop them all (m_clear, m_free).
const c = @import("capi.zig");

/// Visit each reference that is set; a non-zero answer of `visit` stops and is returned.
pub fn visitAll(refs: []const ?*c.PyObject, visit: c.visitproc, arg: ?*anyopaque) c_int {
    for (refs) |o| {
        if (o) |x| {
            const r = visit(x, arg);
            if (r != 0) return r;
        }
    }
    return 0;
}

/// Drop each reference, its slot set to null before the decref (a finalizer it runs may look
/// at the state again).
pub fn clearAll(refs: []?*c.PyObject) void {
    for (refs) |*o| {
        const old = o.*;
        o.* = null;
        c.xdecref(old);
    }
}
