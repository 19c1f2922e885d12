//! Module registration: `py.module(@This())` exports the PyInit function of
//! the module zigimport is building (multi-phase init, PEP 489), listing
//! every `pub fn` as a Python function, and embeds the module's `.pyi` stub.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const function = @import("function.zig");
const source_info = @import("source_info.zig");
const stub = @import("stub.zig");
const options = @import("zigimport_options");
const class = @import("class.zig");

/// Register the struct `M` (a file's `@This()`) as the Python module being built.
/// Call it from a `comptime` block in the module's root file.
pub fn module(comptime M: type) void {
    const Def = ModuleDef(M);
    @export(&Def.init, .{ .name = options.init_symbol });
    // The stub text, read out of the binary by zigimport (never loaded at run time).
    @export(&Def.stub_text, .{ .name = "zigimport_stub" });
}

/// Declarations the build root reads from the user's file, not Python functions.
const reserved = [_][]const u8{ "panic", "std_options", "__doc__" };

pub fn isReserved(comptime name: []const u8) bool {
    for (reserved) |r| {
        if (std.mem.eql(u8, r, name)) return true;
    }
    return false;
}

/// Comptime work per declaration of the module is bounded; the quota scales with their number.
pub fn declQuota(comptime decls: usize) u32 {
    return 10_000 + 2_000 * decls;
}

/// Names of the module's `py.class` declarations.
pub fn classNames(comptime M: type) []const [:0]const u8 {
    const decls = reflect.declNames(M);
    @setEvalBranchQuota(declQuota(decls.len));
    var names: [decls.len][:0]const u8 = undefined;
    var n: usize = 0;
    for (decls) |name| {
        if (@TypeOf(@field(M, name)) == type and class.className(@field(M, name)) != null) {
            names[n] = name;
            n += 1;
        }
    }
    const final = names[0..n].*; // filled in place: `++` per name would copy the list each time
    return &final;
}

/// Names of the module's `pub fn`s that become Python functions.
pub fn functionNames(comptime M: type) []const [:0]const u8 {
    const decls = reflect.declNames(M);
    @setEvalBranchQuota(declQuota(decls.len));
    var names: [decls.len][:0]const u8 = undefined;
    var n: usize = 0;
    for (decls) |name| {
        if (!isReserved(name) and reflect.isFunction(@TypeOf(@field(M, name)))) {
            names[n] = name;
            n += 1;
        }
    }
    const final = names[0..n].*;
    return &final;
}

fn ModuleDef(comptime M: type) type {
    return struct {
        const info = source_info.root;
        const names = functionNames(M);
        const methods = blk: {
            var defs: [names.len + 1]c.PyMethodDef = undefined;
            for (names, 0..) |name, i| defs[i] = function.methodDef(name, @field(M, name), source_info.function(info, name));
            defs[names.len] = c.PyMethodDef.sentinel;
            break :blk defs;
        };
        const slots = [_]c.PyModuleDef_Slot{
            .{ .slot = c.Py_mod_exec, .value = @ptrCast(&exec) },
            .{ .slot = if (c.py_minor >= 12) c.Py_mod_multiple_interpreters else 0, .value = c.Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED },
            .{ .slot = 0, .value = null },
        };
        const class_names = classNames(M);

        /// Create the module's classes (types need the module object, so this is the exec step).
        fn exec(m: *c.PyObject) callconv(.c) c_int {
            inline for (class_names) |name| {
                if (!class.Class(@field(M, name)).register(m)) return -1;
            }
            return 0;
        }
        const module_doc: ?[*:0]const u8 = if (@hasDecl(M, "__doc__")) M.__doc__ else if (source_info.doc(info)) |d| d.ptr else null;
        var def: c.PyModuleDef = .{
            .m_base = c.PyModuleDef_HEAD_INIT,
            .m_name = options.module_name,
            .m_doc = module_doc,
            .m_size = 0,
            .m_methods = &methods,
            .m_slots = &slots,
            .m_traverse = null,
            .m_clear = null,
            .m_free = null,
        };
        const stub_text = stub.moduleStub(M, info, names, classNames(M)).*;

        fn init() callconv(.c) ?*c.PyObject {
            return c.PyModuleDef_Init(&def);
        }
    };
}
