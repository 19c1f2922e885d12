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
const arg_messages = @import("arg_messages.zig");
const CallContext = @import("allocator.zig").CallContext;

const Signature = signature.Signature;
const PythonException = convert.PythonException;

/// The PyMethodDef for the module function `f`, exposed to Python as `name`.
pub fn methodDef(comptime name: [:0]const u8, comptime f: anytype, comptime info: ?signature.FnInfo) c.PyMethodDef {
    return methodDefFor(name, f, info, null);
}

/// The PyMethodDef for `f` as a method of class `Receiver` (or a module function if null):
/// `self` methods, `py.Type` first parameter -> classmethod, no self -> staticmethod.
pub fn methodDefFor(comptime name: [:0]const u8, comptime f: anytype, comptime info: ?signature.FnInfo, comptime Receiver: ?type) c.PyMethodDef {
    const sig = comptime signature.analyze(@TypeOf(f), name, info, Receiver);
    const W = Wrapper(sig, f, false);
    const kind: c_int = if (Receiver == null or sig.hasRole(.receiver)) 0 else if (sig.hasRole(.class_type)) c.METH_CLASS else c.METH_STATIC;
    const first = if (Receiver == null) "$module" else if (sig.hasRole(.receiver)) "$self" else if (sig.hasRole(.class_type)) "$type" else "";
    const doc = comptime docs.docstring(sig, first);
    return if (sig.kwargs != null)
        .{ .ml_name = name, .ml_meth = @ptrCast(&W.callKeywords), .ml_flags = c.METH_FASTCALL | c.METH_KEYWORDS | kind, .ml_doc = doc }
    else
        .{ .ml_name = name, .ml_meth = @ptrCast(&W.callPositional), .ml_flags = c.METH_FASTCALL | kind, .ml_doc = doc };
}

/// Holders for the Python-visible parameters (buffer views etc.).
fn Holders(comptime sig: Signature) type {
    var types: [sig.python.len]type = undefined;
    for (sig.python, 0..) |p, i| types[i] = convert.Holder(p.T);
    return @Tuple(&types);
}

/// `inline` here and below: a separate function per signature would be one more function per
/// Python function for the compiler to generate and optimise (docs/build-performance.md).
inline fn initHolders(comptime sig: Signature) Holders(sig) {
    var h: Holders(sig) = undefined;
    inline for (0..sig.python.len) |i| h[i] = .{};
    return h;
}

inline fn releaseHolders(comptime sig: Signature, h: *Holders(sig)) void {
    inline for (0..sig.python.len) |i| h[i].release();
}

/// `not_implemented_on_bad_argument`: for operator slots, an argument that does not convert
/// makes the call return NotImplemented (so Python tries the other operand) instead of raising.
pub fn Wrapper(comptime sig: Signature, comptime f: anytype, comptime not_implemented_on_bad_argument: bool) type {
    const F = @TypeOf(f);
    const class = @import("class.zig");
    return struct {
        pub fn callPositional(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject {
            if (nargs < sig.required or nargs > sig.python.len) return argCountError(sig, nargs);
            var ctx: CallContext = if (sig.needs_context) .init() else undefined;
            defer if (sig.needs_context) ctx.deinit();
            var holders = initHolders(sig);
            defer releaseHolders(sig, &holders);
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                if (comptime zp.role == .python) {
                    const k = zp.python_index;
                    if (k < nargs) {
                        zargs[i] = convert.fromPython(zp.T, args[k], &holders[k], &ctx, comptime arg_messages.conversionText(zp.T, sig.describe(k))) catch return badArgument(zp.T, sig.describe(k));
                    } else if (comptime k >= sig.required) {
                        zargs[i] = null; // an omitted trailing optional
                    } else unreachable; // nargs >= sig.required was checked
                } else {
                    zargs[i] = injected(zp, self, &ctx);
                }
            }
            return invoke(self, zargs);
        }

        pub fn callKeywords(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
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
                    @field(kw, p.name) = convert.fromPython(p.T, obj, &holders[k], &ctx, comptime arg_messages.conversionText(p.T, sig.describe(k))) catch return badArgument(p.T, sig.describe(k));
                } else if (comptime reflect.fieldDefault(S, p.index)) |default| {
                    @field(kw, p.name) = default;
                } else {
                    return missingArgument(sig, k);
                }
            }
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                zargs[i] = if (comptime zp.role == .python) kw else injected(zp, self, &ctx);
            }
            return invoke(self, zargs);
        }

        /// The value of a parameter Python does not pass: self, the class, the arena, the GIL marker.
        inline fn injected(comptime zp: signature.ZigParam, self: ?*c.PyObject, ctx: *CallContext) zp.T {
            return switch (zp.role) {
                .allocator => ctx.allocator(),
                .receiver => receiverValue(zp.T, self.?),
                .class_type => .{ .ptr = self.? },
                .nogil => .{},
                .python => unreachable,
            };
        }

        inline fn receiverValue(comptime T: type, self: *c.PyObject) T {
            const p = class.Layout(sig.receiver.?).payload(self);
            return if (comptime reflect.kind(T) == .pointer) p else p.*;
        }

        /// For operators, an operand of the wrong *type* means "not mine" (NotImplemented, so Python
        /// tries the other side); a right-typed value out of range keeps its OverflowError/ValueError.
        /// `what` names the argument in the message if the conversion of `T` was given the shared
        /// text (arg_messages.zig).
        inline fn badArgument(comptime T: type, comptime what: []const u8) ?*c.PyObject {
            if (comptime not_implemented_on_bad_argument) {
                if (c.PyErr_ExceptionMatches(c.exc("TypeError")) != 0) {
                    c.PyErr_Clear();
                    return c.notImplemented();
                }
            }
            if (comptime arg_messages.sharesConversion(T)) arg_messages.nameArgument(what);
            return null;
        }

        /// Call `f`: with the GIL released if it asks (`py.NoGil`), taking references to any
        /// `py.Object` fields the method stored in its receiver.
        inline fn invoke(self: ?*c.PyObject, zargs: std.meta.ArgsTuple(F)) ?*c.PyObject {
            const Own = if (sig.receiver) |R| class.FieldOwnership(R) else void;
            const owning = comptime sig.receiver != null and Own.active and sig.hasRole(.receiver);
            const before = if (owning) Own.snapshot(class.Layout(sig.receiver.?).payload(self.?)) else {};
            const result: sig.Return = if (comptime sig.hasRole(.nogil)) blk: {
                const state = c.PyEval_SaveThread();
                defer c.PyEval_RestoreThread(state);
                break :blk @call(.auto, f, zargs);
            } else @call(.auto, f, zargs);
            if (owning) Own.settle(class.Layout(sig.receiver.?).payload(self.?), before);
            if (comptime reflect.kind(sig.Return) == .error_union) {
                const payload = result catch |err| {
                    if (comptime not_implemented_on_bad_argument) {
                        if (err == error.NotImplemented) return c.notImplemented();
                    }
                    errors.setFromZigError(err, @errorReturnTrace(), comptime sig.what());
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

inline fn missingArgument(comptime sig: Signature, comptime k: usize) ?*c.PyObject {
    c.PyErr_SetString(c.exc("TypeError"), comptime sig.what() ++ " missing required argument '" ++ sig.python[k].name ++ "'");
    return null;
}

inline fn argCountError(comptime sig: Signature, given: c.Py_ssize_t) ?*c.PyObject {
    const max = sig.python.len;
    const decimal = @import("comptime_text.zig").decimal; // not comptimePrint: this runs per function
    const expected = comptime if (sig.kwargs != null or sig.required != max)
        "from " ++ decimal(sig.required) ++ " to " ++ decimal(max) ++ " positional arguments"
    else
        decimal(max) ++ " positional argument" ++ (if (max == 1) "" else "s");
    return raiseArgCount(comptime sig.what() ++ " takes " ++ expected ++ " but %zd %s given", given);
}

/// The one out-of-line body of every wrapper's argument-count error.
noinline fn raiseArgCount(format: [*:0]const u8, given: c.Py_ssize_t) ?*c.PyObject {
    @branchHint(.cold);
    _ = c.PyErr_Format(c.exc("TypeError"), format, given, @as([*:0]const u8, if (given == 1) "was" else "were"));
    return null;
}
