//! The exception classes of a schema module when zigimport is not installed (a prebuilt wheel,
//! docs/wheels.md): the same names, constructors and attributes as zigimport.errors', defined by
//! running their Python text once at module init, with the module as their home (pickling finds
//! them there).  With zigimport installed the module uses zigimport.errors' own classes.
const c = @import("../capi.zig");

const source =
    \\class SchemaValidationError(ValueError):
    \\    """A value breaks a rule of its schema (zigimport.errors.SchemaValidationError's stand-in)."""
    \\    def __init__(self, message, path="$", rule=""):
    \\        super().__init__(message)
    \\        self.path = path
    \\        self.rule = rule
    \\    def __reduce__(self):
    \\        return (type(self), (str(self), self.path, self.rule))
    \\class SchemaDecodeError(ValueError):
    \\    """JSON text is not well-formed JSON (zigimport.errors.SchemaDecodeError's stand-in)."""
    \\    def __init__(self, msg, lineno, colno, pos):
    \\        super().__init__(f"{msg}: line {lineno} column {colno} (char {pos})")
    \\        self.msg, self.lineno, self.colno, self.pos = msg, lineno, colno, pos
    \\    def __reduce__(self):
    \\        return (type(self), (self.msg, self.lineno, self.colno, self.pos))
;

/// A dict holding both classes (a new reference): zigimport.errors' namespace, or, when importing
/// it fails with ImportError, a dict the stand-in classes were defined in.  Other errors propagate.
pub fn load(m: *c.PyObject) ?*c.PyObject {
    if (c.PyImport_ImportModule("zigimport.errors")) |errors| {
        defer c.decref(errors);
        const d = c.PyModule_GetDict(errors); // borrowed
        c.incref(d);
        return d;
    }
    if (c.PyErr_ExceptionMatches(c.exc("ImportError")) == 0) return null;
    c.PyErr_Clear();
    const ns = c.PyDict_New() orelse return null;
    errdefer c.decref(ns);
    const name = c.PyUnicode_FromString(c.PyModule_GetName(m) orelse return null) orelse return null;
    defer c.decref(name);
    if (c.PyDict_SetItemString(ns, "__name__", name) < 0) return null;
    const builtins = c.PyEval_GetBuiltins() orelse return null; // borrowed
    if (c.PyDict_SetItemString(ns, "__builtins__", builtins) < 0) return null;
    const exec = c.PyDict_GetItemString(builtins, "exec") orelse return null; // borrowed
    const code = c.PyUnicode_FromString(source) orelse return null;
    defer c.decref(code);
    const r = c.call(exec, &.{ code, ns }) orelse return null;
    c.decref(r);
    return ns;
}

/// Item *name* of the dict `load` returned, as a new reference.
pub fn get(ns: *c.PyObject, name: [*:0]const u8) ?*c.PyObject {
    const v = c.PyDict_GetItemString(ns, name) orelse {
        c.PyErr_SetString(c.exc("AttributeError"), name);
        return null;
    };
    c.incref(v);
    return v;
}
