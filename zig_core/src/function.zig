//! Python-callable wrappers for Zig functions, generated at comptime.
//!
//! Each wrapper is a METH_FASTCALL C function (with METH_KEYWORDS for the
//! keyword form): it checks the argument count, binds keywords, converts each
//! argument, calls the Zig function directly and converts the result -- the
//! work a hand-written C extension does, and nothing more.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const errors = @import("errors.zig");
const signature = @import("signature.zig");
const docs = @import("docs.zig");
const CallContext = @import("allocator.zig").CallContext;

const Signature = signature.Signature;
const PythonException = convert.PythonException;

/// The PyMethodDef for the Zig function `f`, exposed to Python as `name`.
/// `receiver` is the class type for methods (issue: classes), null for functions.
pub fn methodDef(comptime name: [:0]const u8, comptime f: anytype, comptime info: ?signature.FnInfo) c.PyMethodDef {
    const sig = comptime signature.analyze(@TypeOf(f), name, info, null);
    const W = Wrapper(sig, f);
    return if (sig.kwargs != null)
        .{ .ml_name = name, .ml_meth = @ptrCast(&W.callKeywords), .ml_flags = c.METH_FASTCALL | c.METH_KEYWORDS, .ml_doc = docs.docstring(sig) }
    else
        .{ .ml_name = name, .ml_meth = @ptrCast(&W.callPositional), .ml_flags = c.METH_FASTCALL, .ml_doc = docs.docstring(sig) };
}

/// Holders for the Python-visible parameters (buffer views etc.).
fn Holders(comptime sig: Signature) type {
    var types: [sig.python.len]type = undefined;
    for (sig.python, 0..) |p, i| types[i] = convert.Holder(p.T);
    return @Tuple(&types);
}

fn initHolders(comptime sig: Signature) Holders(sig) {
    var h: Holders(sig) = undefined;
    inline for (0..sig.python.len) |i| h[i] = .{};
    return h;
}

fn releaseHolders(comptime sig: Signature, h: *Holders(sig)) void {
    inline for (0..sig.python.len) |i| h[i].release();
}

pub fn Wrapper(comptime sig: Signature, comptime f: anytype) type {
    const F = @TypeOf(f);
    return struct {
        fn callPositional(_: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject {
            if (nargs < sig.required or nargs > sig.python.len) return argCountError(sig, nargs);
            var ctx: CallContext = if (sig.needs_context) .init() else undefined;
            defer if (sig.needs_context) ctx.deinit();
            var holders = initHolders(sig);
            defer releaseHolders(sig, &holders);
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                switch (zp.role) {
                    .allocator => zargs[i] = ctx.allocator(),
                    .receiver => unreachable,
                    .python => {
                        const k = zp.python_index;
                        if (k < nargs) {
                            zargs[i] = convert.fromPython(zp.T, args[k], &holders[k], &ctx, sig.describe(k)) catch return null;
                        } else if (comptime k >= sig.required) {
                            zargs[i] = null; // an omitted trailing optional
                        } else unreachable; // nargs >= sig.required was checked

                    },
                }
            }
            return finish(@call(.auto, f, zargs));
        }

        fn callKeywords(_: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const S = sig.kwargs.?;
            var slots: [sig.python.len]?*c.PyObject = @splat(null);
            bindArguments(sig, args, nargs, kwnames, &slots) catch return null;
            var ctx: CallContext = if (sig.needs_context) .init() else undefined;
            defer if (sig.needs_context) ctx.deinit();
            var holders = initHolders(sig);
            defer releaseHolders(sig, &holders);
            var kw: S = undefined;
            inline for (sig.python, 0..) |p, k| {
                if (slots[k]) |obj| {
                    @field(kw, p.name) = convert.fromPython(p.T, obj, &holders[k], &ctx, sig.describe(k)) catch return null;
                } else if (comptime reflect.fieldDefault(S, p.index)) |default| {
                    @field(kw, p.name) = default;
                } else {
                    return missingArgument(sig, k);
                }
            }
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                switch (zp.role) {
                    .allocator => zargs[i] = ctx.allocator(),
                    .receiver => unreachable,
                    .python => zargs[i] = kw,
                }
            }
            return finish(@call(.auto, f, zargs));
        }

        /// Convert the result; for an error, raise it (with the Zig error return trace if recorded).
        inline fn finish(result: sig.Return) ?*c.PyObject {
            if (comptime reflect.kind(sig.Return) == .error_union) {
                const payload = result catch |err| {
                    errors.setFromZigError(err, @errorReturnTrace(), sig.what());
                    return null;
                };
                return convert.toPython(payload);
            }
            return convert.toPython(result);
        }
    };
}

/// Fill `slots` from positional arguments and keyword names, like CPython's own binding.
pub fn bindArguments(comptime sig: Signature, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject, slots: []?*c.PyObject) PythonException!void {
    if (nargs > sig.python.len) {
        _ = argCountError(sig, nargs);
        return error.PythonException;
    }
    const n: usize = @intCast(nargs);
    // Unrolled: a copy loop becomes a memcpy whose 4-byte stores stall the 8-byte loads that
    // read the slots back (store forwarding), ~6 ns per call with one positional argument.
    inline for (0..sig.python.len) |i| {
        if (i < n) slots[i] = args[i];
    }
    const kw = kwnames orelse return;
    const names = c.tupleItems(kw)[0..@intCast(c.varSize(kw))];
    for (names, 0..) |key, j| {
        const k = keywordIndex(sig, key) orelse {
            _ = c.PyErr_Format(c.exc("TypeError"), comptime sig.what() ++ " got an unexpected keyword argument '%U'", key);
            return error.PythonException;
        };
        if (slots[k] != null) {
            _ = c.PyErr_Format(c.exc("TypeError"), comptime sig.what() ++ " got multiple values for argument '%U'", key);
            return error.PythonException;
        }
        slots[k] = args[n + j];
    }
}

fn keywordIndex(comptime sig: Signature, key: *c.PyObject) ?usize {
    // Keyword names at call sites are interned strings, so a pointer comparison with our own
    // interned names almost always decides; text comparison is the fallback.
    const Names = struct {
        // Created on the first keyword call (with the GIL held) and kept for the process.
        var interned: [sig.python.len]?*c.PyObject = @splat(null);
    };
    inline for (0..sig.python.len) |k| {
        if (Names.interned[k] == key) return k;
    }
    if (Names.interned.len > 0 and Names.interned[0] == null) {
        inline for (sig.python, 0..) |p, k| Names.interned[k] = c.PyUnicode_InternFromString(p.name);
        if (c.PyErr_Occurred() != null) c.PyErr_Clear(); // interning is an optimisation only
    }
    var len: c.Py_ssize_t = 0;
    const ptr = c.PyUnicode_AsUTF8AndSize(key, &len) orelse {
        c.PyErr_Clear(); // e.g. a lone surrogate: no field has that name
        return null;
    };
    const text = ptr[0..@intCast(len)];
    inline for (sig.python, 0..) |p, k| {
        if (std.mem.eql(u8, text, p.name)) return k;
    }
    return null;
}

fn missingArgument(comptime sig: Signature, comptime k: usize) ?*c.PyObject {
    c.PyErr_SetString(c.exc("TypeError"), comptime sig.what() ++ " missing required argument '" ++ sig.python[k].name ++ "'");
    return null;
}

fn argCountError(comptime sig: Signature, given: c.Py_ssize_t) ?*c.PyObject {
    const max = sig.python.len;
    const expected = if (sig.kwargs != null or sig.required != max)
        std.fmt.comptimePrint("from {d} to {d} positional arguments", .{ sig.required, max })
    else
        std.fmt.comptimePrint("{d} positional argument{s}", .{ max, if (max == 1) "" else "s" });
    _ = c.PyErr_Format(c.exc("TypeError"), comptime sig.what() ++ " takes " ++ expected ++ " but %zd %s given", given, @as([*:0]const u8, if (given == 1) "was" else "were"));
    return null;
}
