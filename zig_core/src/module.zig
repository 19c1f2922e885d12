//! Module registration: `py.module(@This())` exports the PyInit function of
//! the module zigimport is building, listing every `pub fn` as a function.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const function = @import("function.zig");
const options = @import("zigimport_options");

/// Register the struct `M` (a file's `@This()`) as the Python module being built.
/// Call it from a `comptime` block in the module's root file.
pub fn module(comptime M: type) void {
    const Def = ModuleDef(M);
    @export(&Def.init, .{ .name = options.init_symbol });
}

fn ModuleDef(comptime M: type) type {
    return struct {
        const methods = collectMethods(M);
        const slots = [_]c.PyModuleDef_Slot{
            .{ .slot = if (c.py_minor >= 12) c.Py_mod_multiple_interpreters else 0, .value = c.Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED },
            .{ .slot = 0, .value = null },
        };
        var def: c.PyModuleDef = .{
            .m_base = c.PyModuleDef_HEAD_INIT,
            .m_name = options.module_name,
            .m_doc = if (@hasDecl(M, "__doc__")) M.__doc__ else null,
            .m_size = 0,
            .m_methods = &methods,
            .m_slots = &slots,
            .m_traverse = null,
            .m_clear = null,
            .m_free = null,
        };

        fn init() callconv(.c) ?*c.PyObject {
            return c.PyModuleDef_Init(&def);
        }
    };
}

fn collectMethods(comptime M: type) [countFunctions(M) + 1]c.PyMethodDef {
    var defs: [countFunctions(M) + 1]c.PyMethodDef = undefined;
    var n: usize = 0;
    for (reflect.declNames(M)) |name| {
        if (isExportedFunction(M, name)) {
            defs[n] = function.methodDef(name, @field(M, name));
            n += 1;
        }
    }
    defs[n] = c.PyMethodDef.sentinel;
    return defs;
}

fn countFunctions(comptime M: type) usize {
    var n: usize = 0;
    for (reflect.declNames(M)) |name| {
        if (isExportedFunction(M, name)) n += 1;
    }
    return n;
}

/// Declarations the build root reads from the user's file are not Python functions.
const reserved = [_][]const u8{ "panic", "std_options" };

fn isExportedFunction(comptime M: type, comptime name: []const u8) bool {
    for (reserved) |r| {
        if (std.mem.eql(u8, r, name)) return false;
    }
    return reflect.isFunction(@TypeOf(@field(M, name)));
}
