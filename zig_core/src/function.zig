//! Python-callable wrappers for Zig functions, generated at comptime.
//!
//! Each wrapper is a METH_FASTCALL C function (with METH_KEYWORDS when any
//! parameter takes keywords): it checks the argument count, binds keywords
//! (CPython's rules and messages), converts each argument, calls the Zig
//! function directly and converts the result -- the work a hand-written C
//! extension does, and nothing more.  A call without keywords converts straight
//! from CPython's argument array, whichever flags the function has.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const errors = @import("errors.zig");
const signature = @import("signature.zig");
const docs = @import("docs.zig");
const varargs = @import("varargs.zig");
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

inline fn releaseHolders(comptime sig: Signature, h: *Holders(sig)) void {
    inline for (0..sig.python.len) |i| h[i].release();
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
    return struct {
        /// Whether the wrapper takes keywords (callKeywords) or not (callPositional only).
        pub const keywords = sig.keywords;

        pub fn callPositional(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject {
            if (comptime !direct) return bound(self, args, nargs, null);
            return positional(self, args, nargs);
        }

        pub fn callKeywords(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            if (comptime direct) {
                if (kwnames == null) return positional(self, args, nargs);
            }
            return bound(self, args, nargs, kwnames);
        }

        /// The fast path: arguments by position only.
        inline fn positional(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) ?*c.PyObject {
            if (nargs < sig.required) return tooFew(sig, args, nargs);
            if ((comptime sig.var_positional == null) and nargs > sig.positional) return argCountError(sig, nargs, 0);
            var ctx: CallContext = if (sig.needs_context) .init() else undefined;
            defer if (sig.needs_context) ctx.deinit();
            var holders = initHolders(sig);
            defer releaseHolders(sig, &holders);
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                if (comptime zp.role == .python) {
                    const k = zp.python_index;
                    if (comptime k >= sig.positional) {
                        zargs[i] = null; // an optional keyword-only parameter, not given
                    } else if (k < nargs) {
                        zargs[i] = convert.fromPython(zp.T, args[k], &holders[k], &ctx, comptime arg_messages.conversionText(zp.T, sig.describe(k))) catch return badArgument(zp.T, sig.describe(k));
                    } else if (comptime k >= sig.required) {
                        zargs[i] = null; // an omitted trailing optional
                    } else unreachable; // nargs >= sig.required was checked
                } else if (comptime zp.role == .var_positional) {
                    zargs[i] = extraPositional(args, nargs);
                } else {
                    zargs[i] = injected(zp, self, &ctx);
                }
            }
            return invoke(self, zargs);
        }

        /// Keywords, a keyword struct or **kwargs: bind every argument to its parameter first.
        fn bound(self: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) ?*c.PyObject {
            var slots: [N]?*c.PyObject = @splat(null);
            var taken: [N]u32 = undefined;
            var ntaken: usize = 0;
            bindArguments(sig, args, nargs, kwnames, &slots, &taken, &ntaken) catch return null;
            var ctx: CallContext = if (sig.needs_context) .init() else undefined;
            defer if (sig.needs_context) ctx.deinit();
            var holders = initHolders(sig);
            defer releaseHolders(sig, &holders);
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                switch (comptime zp.role) {
                    .python => {
                        const k = zp.python_index;
                        if (slots[k]) |obj| {
                            zargs[i] = convert.fromPython(zp.T, obj, &holders[k], &ctx, comptime arg_messages.conversionText(zp.T, sig.describe(k))) catch return badArgument(zp.T, sig.describe(k));
                        } else if (comptime sig.python[k].optional) {
                            zargs[i] = null;
                        } else return missingAfterBinding(); // bindArguments checked
                    },
                    .keywords => {
                        const S = sig.kwargs.?;
                        var kw: S = undefined;
                        inline for (sig.python, 0..) |p, k| {
                            if (comptime !p.field) continue;
                            if (slots[k]) |obj| {
                                @field(kw, p.zig_name) = convert.fromPython(p.T, obj, &holders[k], &ctx, comptime arg_messages.conversionText(p.T, sig.describe(k))) catch return badArgument(p.T, sig.describe(k));
                            } else if (comptime reflect.fieldDefault(S, p.index)) |default| {
                                @field(kw, p.zig_name) = default;
                            } else return missingAfterBinding();
                        }
                        zargs[i] = kw;
                    },
                    .var_positional => zargs[i] = extraPositional(args, nargs),
                    .var_keyword => zargs[i] = if (kwnames) |names| .{
                        .names = c.tupleItems(names),
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

        fn missingAfterBinding() ?*c.PyObject {
            c.PyErr_SetString(c.exc("SystemError"), comptime sig.what() ++ ": an argument was not bound");
            return null;
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

/// Fill `slots` (one per named parameter) from positional arguments and keyword names, with
/// CPython's rules and messages.  Keywords bound to named parameters are listed in `taken`
/// (for **kwargs, which gets the others).
fn bindArguments(comptime sig: Signature, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject, slots: *[sig.python.len]?*c.PyObject, taken: *[sig.python.len]u32, ntaken: *usize) PythonException!void {
    const n: usize = @intCast(nargs);
    // Unrolled: a copy loop becomes a memcpy whose 4-byte stores stall the 8-byte loads that
    // read the slots back (store forwarding), ~6 ns per call with one positional argument.
    inline for (0..sig.positional) |i| {
        if (i < n) slots[i] = args[i];
    }
    if (kwnames) |kw| {
        const names = c.tupleItems(kw)[0..@intCast(c.varSize(kw))];
        for (names, 0..) |key, j| {
            const k = keywordIndex(sig, key) orelse {
                if (comptime sig.var_keyword != null) continue; // **kwargs takes it
                if (comptime sig.positional_only > 0) {
                    if (positionalOnlyAsKeyword(sig, names)) return error.PythonException;
                }
                _ = c.PyErr_Format(c.exc("TypeError"), comptime sig.what() ++ " got an unexpected keyword argument '%U'", key);
                return error.PythonException;
            };
            if (comptime sig.python.len == 0) continue; // (keywordIndex found nothing)
            if (slots[k] != null) {
                _ = c.PyErr_Format(c.exc("TypeError"), comptime sig.what() ++ " got multiple values for argument '%U'", key);
                return error.PythonException;
            }
            slots[k] = args[n + j];
            if (comptime sig.var_keyword != null) {
                taken[ntaken.*] = @intCast(j);
                ntaken.* += 1;
            }
        }
    }
    if (comptime sig.var_positional == null) {
        if (n > sig.positional) {
            var kwonly_given: usize = 0;
            inline for (sig.python, 0..) |p, k| {
                if (p.kind == .keyword_only and slots[k] != null) kwonly_given += 1;
            }
            _ = argCountError(sig, nargs, kwonly_given);
            return error.PythonException;
        }
    }
    inline for (.{ false, true }) |keyword_only| {
        inline for (sig.python, 0..) |p, k| {
            if (comptime (p.kind == .keyword_only) == keyword_only and !p.optional) {
                if (slots[k] == null) {
                    missingArguments(sig, slots, keyword_only);
                    return error.PythonException;
                }
            }
        }
    }
}

/// The index of the keyword parameter named `key`, or null (positional-only names never match).
fn keywordIndex(comptime sig: Signature, key: *c.PyObject) ?usize {
    // Keyword names at call sites are interned strings, so a pointer comparison with our own
    // interned names almost always decides; text comparison is the fallback.
    const Names = struct {
        // Created on the first keyword call (with the GIL held) and kept for the process.
        var interned: [sig.python.len]?*c.PyObject = @splat(null);
        var ready = false;
    };
    inline for (sig.python, 0..) |p, k| {
        if (comptime p.kind != .positional_only) {
            if (Names.interned[k] == key) return k;
        }
    }
    if (!Names.ready) {
        Names.ready = true;
        inline for (sig.python, 0..) |p, k| {
            if (comptime p.kind != .positional_only) Names.interned[k] = c.PyUnicode_InternFromString(p.name);
        }
        if (c.PyErr_Occurred() != null) c.PyErr_Clear(); // interning is an optimisation only
    }
    var len: c.Py_ssize_t = 0;
    const ptr = c.PyUnicode_AsUTF8AndSize(key, &len) orelse {
        c.PyErr_Clear(); // e.g. a lone surrogate: no parameter has that name
        return null;
    };
    const text = ptr[0..@intCast(len)];
    inline for (sig.python, 0..) |p, k| {
        if (comptime p.kind != .positional_only) {
            if (std.mem.eql(u8, text, p.name)) return k;
        }
    }
    return null;
}

/// Names, quoted and joined as CPython joins them in messages.
fn NameList(comptime sig: Signature) type {
    const cap = comptime blk: {
        var n: usize = 1;
        for (sig.python) |p| n += p.name.len + 8;
        break :blk n;
    };
    return struct {
        buf: [cap]u8 = undefined,
        len: usize = 0,

        fn add(self: *@This(), s: []const u8) void {
            @memcpy(self.buf[self.len..][0..s.len], s);
            self.len += s.len;
        }

        fn text(self: *@This()) [*:0]const u8 {
            self.buf[self.len] = 0;
            return @ptrCast(&self.buf);
        }
    };
}

/// "f() got some positional-only arguments passed as keyword arguments: 'a, b'"; false if none was.
fn positionalOnlyAsKeyword(comptime sig: Signature, names: []const *c.PyObject) bool {
    var list: NameList(sig) = .{};
    var count: usize = 0;
    for (names) |key| {
        var len: c.Py_ssize_t = 0;
        const ptr = c.PyUnicode_AsUTF8AndSize(key, &len) orelse {
            c.PyErr_Clear();
            continue;
        };
        const text = ptr[0..@intCast(len)];
        inline for (sig.python[0..sig.positional_only]) |p| {
            if (std.mem.eql(u8, text, p.name)) {
                if (count > 0) list.add(", ");
                list.add(p.name);
                count += 1;
            }
        }
    }
    if (count == 0) return false;
    _ = c.PyErr_Format(c.exc("TypeError"), comptime sig.what() ++ " got some positional-only arguments passed as keyword arguments: '%s'", list.text());
    return true;
}

/// "f() missing 2 required positional arguments: 'a' and 'b'" (or keyword-only ones).
fn missingArguments(comptime sig: Signature, slots: *const [sig.python.len]?*c.PyObject, comptime keyword_only: bool) void {
    var missing: [sig.python.len][]const u8 = undefined;
    var count: usize = 0;
    inline for (sig.python, 0..) |p, k| {
        if (comptime (p.kind == .keyword_only) == keyword_only and !p.optional) {
            if (slots[k] == null) {
                missing[count] = p.name;
                count += 1;
            }
        }
    }
    var list: NameList(sig) = .{};
    for (missing[0..count], 0..) |name, i| {
        if (i > 0) list.add(if (count == 2) " and " else if (i == count - 1) ", and " else ", ");
        list.add("'");
        list.add(name);
        list.add("'");
    }
    const kind = if (keyword_only) "keyword-only" else "positional";
    _ = c.PyErr_Format(c.exc("TypeError"), comptime sig.what() ++ " missing %d required " ++ kind ++ " argument%s: %s", @as(c_int, @intCast(count)), @as([*:0]const u8, if (count == 1) "" else "s"), list.text());
}

/// Fewer positional arguments than required and no keywords: name the missing ones.
fn tooFew(comptime sig: Signature, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) ?*c.PyObject {
    var slots: [sig.python.len]?*c.PyObject = @splat(null);
    inline for (0..sig.python.len) |k| {
        if (k < nargs) slots[k] = args[k];
    }
    missingArguments(sig, &slots, false);
    return null;
}

/// "f() takes 2 positional arguments but 3 were given", worded as CPython words it.
fn argCountError(comptime sig: Signature, given: c.Py_ssize_t, kwonly_given: usize) ?*c.PyObject {
    const max = sig.positional;
    const decimal = @import("comptime_text.zig").decimal; // not comptimePrint: this runs per function
    const expected = comptime if (sig.required != max)
        "from " ++ decimal(sig.required) ++ " to " ++ decimal(max) ++ " positional arguments"
    else
        decimal(max) ++ " positional argument" ++ (if (max == 1) "" else "s");
    if (kwonly_given > 0) return raiseArgCountWithKeywords(comptime sig.what() ++ " takes " ++ expected ++
        " but %zd positional argument%s (and %zu keyword-only argument%s) were given", given, kwonly_given);
    return raiseArgCount(comptime sig.what() ++ " takes " ++ expected ++ " but %zd %s given", given);
}

/// The out-of-line bodies of every wrapper's argument-count errors (one copy, not one per function).
noinline fn raiseArgCountWithKeywords(format: [*:0]const u8, given: c.Py_ssize_t, kwonly_given: usize) ?*c.PyObject {
    @branchHint(.cold);
    _ = c.PyErr_Format(c.exc("TypeError"), format, given, @as([*:0]const u8, if (given == 1) "" else "s"), kwonly_given, @as([*:0]const u8, if (kwonly_given == 1) "" else "s"));
    return null;
}

noinline fn raiseArgCount(format: [*:0]const u8, given: c.Py_ssize_t) ?*c.PyObject {
    @branchHint(.cold);
    _ = c.PyErr_Format(c.exc("TypeError"), format, given, @as([*:0]const u8, if (given == 1) "was" else "were"));
    return null;
}
