//! Python-callable wrappers for Zig functions, generated at comptime.
//!
//! Each wrapper is a METH_FASTCALL C function: it checks the argument count,
//! converts each argument (convert.zig), calls the Zig function directly and
//! converts the result -- the same work a hand-written C extension does.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");

/// The PyMethodDef for the Zig function `f`, exposed to Python as `name`.
pub fn methodDef(comptime name: [:0]const u8, comptime f: anytype) c.PyMethodDef {
    const F = @TypeOf(f);
    const what = name ++ "()";
    const params = reflect.paramTypes(F, what);
    const R = reflect.returnType(F, what);
    const W = struct {
        fn call(_: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject {
            if (nargs != params.len) return argCountError(what, params.len, nargs);
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (params, 0..) |T, i| {
                zargs[i] = convert.fromPython(T, args[i], std.fmt.comptimePrint("{s} argument {d}", .{ what, i + 1 })) catch return null;
            }
            const result: R = @call(.auto, f, zargs);
            return convert.toPython(result);
        }
    };
    return .{ .ml_name = name, .ml_meth = @ptrCast(&W.call), .ml_flags = c.METH_FASTCALL, .ml_doc = null };
}

fn argCountError(comptime what: []const u8, comptime expected: usize, given: c.Py_ssize_t) ?*c.PyObject {
    _ = c.PyErr_Format(c.PyExc_TypeError, what ++ " takes %zd positional argument" ++ (if (expected == 1) "" else "s") ++ " but %zd were given", @as(c.Py_ssize_t, expected), given);
    return null;
}
