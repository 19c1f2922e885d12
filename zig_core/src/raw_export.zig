//! Exports for a library loaded without a module (zigimport.build_library + load_function):
//! a Zig function's `PyMethodDef` as a C symbol, so Python can make it a built-in function.
const c = @import("capi.zig");
const function = @import("function.zig");
const source_info = @import("source_info.zig");
const options = @import("zigimport_options");

/// `comptime { py.exportFunction("scale", scale); }` exports the C symbol `scale`: the
/// `PyMethodDef` of `scale` with zig_core's conversions, keywords and docstring -- what
/// `zigimport.load_function(lib, "scale")` loads.  `name` is also the Python name, and must
/// be the function's name in the root file for its parameter names and `///` doc to be found.
/// A library that uses this is not a module: do not also call `py.module`.
pub fn exportFunction(comptime name: [:0]const u8, comptime f: anytype) void {
    const Holder = struct {
        const def: c.PyMethodDef = function.methodDef(name, f, source_info.function(source_info.root, name));
    };
    @export(&Holder.def, .{ .name = name });
    _ = Anchor;
}

/// zig_core's error traces locate the binary through its init symbol (src/trace.zig), so a
/// library of raw exports has one too; importing the library as a module says what it is.
const Anchor = struct {
    fn init() callconv(.c) ?*c.PyObject {
        c.PyErr_SetString(c.exc("ImportError"), options.module_name ++ " is a library of raw exports (py.exportFunction), " ++
            "not a module: load its functions with zigimport.load_function()");
        return null;
    }
    comptime {
        @export(&init, .{ .name = options.init_symbol });
    }
};
