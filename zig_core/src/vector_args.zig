//! CPython's (args tuple, kwargs dict) call convention turned into the vectorcall one (positional
//! items, then keyword values, and a tuple of the keyword names), for the slots that receive the
//! former (`tp_init`, `tp_call`) and wrappers written for the latter. Shared by class slots and
//! zetaclass construction.
const c = @import("capi.zig");

pub const VectorArgs = struct {
    items: [*]*c.PyObject,
    nargs: usize,
    /// null when there are no keyword arguments (as vectorcall spells it).
    kwnames: ?*c.PyObject,
    heap: ?[*]*c.PyObject,

    pub fn deinit(self: VectorArgs) void {
        c.xdecref(self.kwnames);
        if (self.heap) |h| c.PyMem_RawFree(@ptrCast(h));
    }
};

/// *args* and *kwds* as vectorcall arguments, in *stack* when they fit (else a heap buffer that
/// `deinit` frees). null with a Python exception set when memory runs out.
pub fn fromTupleAndDict(stack: []*c.PyObject, args: ?*c.PyObject, kwds: ?*c.PyObject) ?VectorArgs {
    const n: usize = if (args) |a| @intCast(c.varSize(a)) else 0;
    const k: usize = if (kwds) |d| @intCast(c.PyDict_Size(d)) else 0;
    const heap: ?[*]*c.PyObject = if (n + k > stack.len) @ptrCast(@alignCast(c.PyMem_RawMalloc((n + k) * @sizeOf(*c.PyObject)) orelse {
        _ = c.PyErr_NoMemory();
        return null;
    })) else null;
    const buf: [*]*c.PyObject = heap orelse stack.ptr;
    for (0..n) |i| buf[i] = c.tupleItem(args.?, i);
    var out: VectorArgs = .{ .items = buf, .nargs = n, .kwnames = null, .heap = heap };
    if (k > 0) {
        const names = c.PyTuple_New(@intCast(k)) orelse {
            out.deinit();
            return null;
        };
        var pos: c.Py_ssize_t = 0;
        var key: ?*c.PyObject = null;
        var value: ?*c.PyObject = null;
        var j: usize = 0;
        while (c.PyDict_Next(kwds.?, &pos, &key, &value) != 0) : (j += 1) {
            buf[n + j] = value.?;
            _ = c.PyTuple_SetItem(names, @intCast(j), c.newref(key.?));
        }
        out.kwnames = names;
    }
    return out;
}
