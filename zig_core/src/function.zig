//! Python-callable wrappers for Zig functions, generated at comptime.
//!
//! Each wrapper is a METH_FASTCALL C function (with METH_KEYWORDS when any
//! parameter takes keywords): it checks the argument count, binds keywords
//! (CPython's rules and messages), converts each argument, calls the Zig
//! function directly and converts the result -- the work a hand-written C
//! extension does, and nothing more.  A call without keywords converts straight
//! from CPython's argument array, whichever flags the function has.
//!
//! Compile time: everything that does not depend on the Zig function is shared
//! by all wrappers -- keyword binding and its messages (binding.zig), conversions
//! (one copy per type, arg_messages.zig), releasing held buffers (one copy per
//! holder shape) -- so a wrapper is a count check, the conversion calls, the call
//! and the result (docs/build-performance.md).
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const errors = @import("errors.zig");
const signature = @import("signature.zig");
const docs = @import("docs.zig");
const varargs = @import("varargs.zig");
const arg_messages = @import("arg_messages.zig");
const binding = @import("binding.zig");
const CallContext = @import("allocator.zig").CallContext;

const Signature = signature.Signature;

/// The PyMethodDef for the module function `f`, exposed to Python as `name`.
pub fn methodDef(comptime name: [:0]const u8, comptime f: anytype, comptime info: ?signature.FnInfo) c.PyMethodDef {
    return methodDefFor(name, f, info, null);
}

/// The PyMethodDef for `f` as a method of class `Receiver` (or a module function if null):
/// `self` methods, `py.Type` first parameter -> classmethod, no self -> staticmethod.
pub fn methodDefFor(comptime name: [:0]const u8, comptime f: anytype, comptime info: ?signature.FnInfo, comptime Receiver: ?type) c.PyMethodDef {
    return methodDefOf(comptime signature.analyze(@TypeOf(f), name, info, Receiver), f, Receiver);
}

/// The PyMethodDef for `f`, whose signature `sig` the caller analysed.
pub fn methodDefOf(comptime sig: Signature, comptime f: anytype, comptime Receiver: ?type) c.PyMethodDef {
    const name = sig.name;
    const W = Wrapper(sig, f, false);
    const kind: c_int = if (Receiver == null or sig.hasRole(.receiver)) 0 else if (sig.hasRole(.class_type)) c.METH_CLASS else c.METH_STATIC;
    const first = if (Receiver == null) "$module" else if (sig.hasRole(.receiver)) "$self" else if (sig.hasRole(.class_type)) "$type" else "";
    const doc = comptime docs.docstring(sig, first);
    // Only functions that take no keywords at all stay plain METH_FASTCALL (CPython then
    // says "f() takes no keyword arguments"); the others get METH_KEYWORDS, and a call
    // without keywords takes the same path as a plain one.
    return if (sig.keywords)
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

/// Out of line, one copy per holder *shape* (the tuple type of holder types is the same
/// for every function with the same parameter types), and no call at all when nothing is held
/// (scalar parameters): inlined, the releases were ~2 ms of compile time per function.
inline fn releaseHolders(comptime sig: Signature, h: *Holders(sig)) void {
    const H = Holders(sig);
    const holds = comptime for (reflect.fieldTypes(H)) |T| {
        if (T != convert.NoHolder) break true;
    } else false;
    if (holds) releaseHeld(H, h);
}

noinline fn releaseHeld(comptime H: type, h: *H) void {
    inline for (0..comptime reflect.fieldTypes(H).len) |i| h[i].release();
}

/// `not_implemented_on_bad_argument`: for operator slots, an argument that does not convert
/// makes the call return NotImplemented (so Python tries the other operand) instead of raising.
pub fn Wrapper(comptime sig: Signature, comptime f: anytype, comptime not_implemented_on_bad_argument: bool) type {
    const F = @TypeOf(f);
    const class = @import("class.zig");
    const N = sig.python.len;
    // A call without keywords converts its arguments straight from the argument array,
    // unless something must be bound first (a keyword struct's defaults, **kwargs, or a
    // keyword-only parameter that must be given).
    const direct = sig.kwargs == null and sig.var_keyword == null and !sig.hasRequiredKeywordOnly();
    const table = comptime binding.table(sig);
    return struct {
        /// Whether the wrapper takes keywords (callKeywords) or not (callPositional only).
        pub const keywords = sig.keywords;

        pub fn callPositional(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject {
            return call(self, args, nargs, null);
        }

        pub fn callKeywords(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            return call(self, args, nargs, kwnames);
        }

        /// One path for every call: a call without keywords (when nothing must be bound)
        /// converts straight from CPython's argument array; any other call first binds its
        /// arguments to slots with the shared binder (binding.zig), then converts the same way.
        /// One copy of the conversions and the call per function, not one per way of calling.
        inline fn call(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) ?*c.PyObject {
            var slots: [N]?*c.PyObject = undefined;
            var taken: [if (sig.var_keyword != null) N else 0]u32 = undefined;
            var ntaken: usize = 0;
            // Python argument k is items[k] if k < count and it is not null.
            var items: [*]const ?*c.PyObject = undefined;
            var count: usize = undefined;
            if (direct and kwnames == null) {
                if (nargs < sig.required) return binding.tooFew(table, args, nargs);
                if ((comptime sig.var_positional == null) and nargs > sig.positional) return binding.tooMany(table, nargs, 0);
                items = @ptrCast(args);
                // With *args, arguments past the named ones are extra positional ones, not keyword-only parameters.
                count = if (comptime sig.var_positional != null) @min(@as(usize, @intCast(nargs)), sig.positional) else @intCast(nargs);
            } else {
                if (!binding.bind(table, args, nargs, kwnames, &slots, &taken, &ntaken)) return null;
                items = &slots;
                count = N;
            }
            var ctx: CallContext = if (sig.needs_context) .init() else undefined;
            defer if (sig.needs_context) ctx.deinit();
            var holders = initHolders(sig);
            defer releaseHolders(sig, &holders);
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                switch (comptime zp.role) {
                    .python => {
                        const k = zp.python_index;
                        if (comptime always(k)) {
                            zargs[i] = convert.fromPython(zp.T, present(items, k), &holders[k], &ctx, comptime arg_messages.conversionText(zp.T, sig.describe(k))) catch return badArgument(sig.describe(k));
                        } else if (given(items, count, k)) |obj| {
                            zargs[i] = convert.fromPython(zp.T, obj, &holders[k], &ctx, comptime arg_messages.conversionText(zp.T, sig.describe(k))) catch return badArgument(sig.describe(k));
                        } else if (comptime sig.python[k].optional) {
                            zargs[i] = null; // an omitted `?T`
                        } else return binding.notBound(table);
                    },
                    .keywords => {
                        const S = sig.kwargs.?;
                        var kw: S = undefined;
                        inline for (sig.python, 0..) |p, k| {
                            if (comptime !p.field) continue;
                            if (given(items, count, k)) |obj| {
                                @field(kw, p.zig_name) = convert.fromPython(p.T, obj, &holders[k], &ctx, comptime arg_messages.conversionText(p.T, sig.describe(k))) catch return badArgument(sig.describe(k));
                            } else if (comptime reflect.fieldDefault(S, p.index)) |default| {
                                @field(kw, p.zig_name) = default;
                            } else return binding.notBound(table);
                        }
                        zargs[i] = kw;
                    },
                    .var_positional => zargs[i] = extraPositional(args, nargs),
                    .var_keyword => zargs[i] = if (kwnames) |names| .{
                        .names = c.tupleSeq(names),
                        .values = args + @as(usize, @intCast(nargs)),
                        .count = @intCast(c.varSize(names)),
                        .taken = taken[0..ntaken],
                        .function = sig.name,
                    } else .{ .names = undefined, .values = undefined, .count = 0, .taken = &.{}, .function = sig.name },
                    else => zargs[i] = injected(zp, self, &ctx),
                }
            }
            return invoke(self, zargs);
        }

        /// Whether Python argument k is given in every call that reaches the conversions: a
        /// positional one that a call without keywords must pass (nargs >= required was
        /// checked) and that binding requires (it is not optional).
        fn always(comptime k: usize) bool {
            return k < sig.required and !sig.python[k].optional;
        }

        inline fn present(items: [*]const ?*c.PyObject, comptime k: usize) *c.PyObject {
            const nonnull: [*]const *c.PyObject = @ptrCast(items);
            return nonnull[k];
        }

        inline fn given(items: [*]const ?*c.PyObject, count: usize, comptime k: usize) ?*c.PyObject {
            return if (k < count) items[k] else null;
        }

        /// The positional arguments past the named ones (`*args`).
        inline fn extraPositional(args: [*]const *c.PyObject, nargs: c.Py_ssize_t) varargs.Args {
            const n: usize = @intCast(nargs);
            const first = sig.positional;
            return .{ .items = args + first, .n = if (n > first) n - first else 0, .function = sig.name, .first = first + 1 };
        }

        /// The value of a parameter Python does not pass: self, the class, the arena, the GIL marker.
        inline fn injected(comptime zp: signature.ZigParam, self: ?*c.PyObject, ctx: *CallContext) zp.T {
            return switch (zp.role) {
                .allocator => ctx.allocator(),
                .receiver => receiverValue(zp.T, self.?),
                .class_type => .{ .ptr = self.? },
                .nogil, .positional_only => .{},
                .python, .keywords, .var_positional, .var_keyword => unreachable,
            };
        }

        inline fn receiverValue(comptime T: type, self: *c.PyObject) T {
            const p = class.Layout(sig.receiver.?).payload(self);
            return if (comptime reflect.kind(T) == .pointer) p else p.*;
        }

        /// For operators, an operand of the wrong *type* means "not mine" (NotImplemented, so Python
        /// tries the other side); a right-typed value out of range keeps its OverflowError/ValueError.
        /// `what` names the argument in the message (the conversion was given the shared text,
        /// arg_messages.zig).
        inline fn badArgument(comptime what: []const u8) ?*c.PyObject {
            if (comptime not_implemented_on_bad_argument) {
                if (c.PyErr_ExceptionMatches(c.exc("TypeError")) != 0) {
                    c.PyErr_Clear();
                    return c.notImplemented();
                }
            }
            arg_messages.nameArgument(what);
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
                break :blk @call(@import("panic.zig").callModifier(F), f, zargs);
            } else @call(@import("panic.zig").callModifier(F), f, zargs);
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
