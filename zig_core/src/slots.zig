//! Dunder methods of a class as CPython type slots.
//!
//! Each slot adapts CPython's calling convention for that slot to the class's
//! FASTCALL method wrapper (function.zig), so conversions, keyword binding and
//! errors behave exactly as for ordinary methods.  Binary operators and
//! comparisons answer NotImplemented when the other operand does not convert,
//! so Python can try the reflected operation.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const signature = @import("signature.zig");
const function = @import("function.zig");
const source_info = @import("source_info.zig");
const inheritance = @import("inheritance.zig");
const vector_args = @import("vector_args.zig");

/// Dunders implemented as slots (not listed in tp_methods; CPython exposes slot wrappers for them).
const unary_slots = .{
    .{ "__repr__", c.slot.tp_repr },    .{ "__str__", c.slot.tp_str },       .{ "__iter__", c.slot.tp_iter },
    .{ "__neg__", c.slot.nb_negative }, .{ "__pos__", c.slot.nb_positive },  .{ "__abs__", c.slot.nb_absolute },
    .{ "__invert__", c.slot.nb_invert }, .{ "__int__", c.slot.nb_int },      .{ "__float__", c.slot.nb_float },
    .{ "__index__", c.slot.nb_index },
};
pub const binary_slots = .{
    .{ "__add__", "__radd__", c.slot.nb_add },             .{ "__sub__", "__rsub__", c.slot.nb_subtract },
    .{ "__mul__", "__rmul__", c.slot.nb_multiply },        .{ "__truediv__", "__rtruediv__", c.slot.nb_true_divide },
    .{ "__floordiv__", "__rfloordiv__", c.slot.nb_floor_divide }, .{ "__mod__", "__rmod__", c.slot.nb_remainder },
    .{ "__matmul__", "__rmatmul__", c.slot.nb_matrix_multiply }, .{ "__and__", "__rand__", c.slot.nb_and },
    .{ "__or__", "__ror__", c.slot.nb_or },                .{ "__xor__", "__rxor__", c.slot.nb_xor },
    .{ "__lshift__", "__rlshift__", c.slot.nb_lshift },    .{ "__rshift__", "__rrshift__", c.slot.nb_rshift },
    .{ "__divmod__", "__rdivmod__", c.slot.nb_divmod },
};
const inplace_slots = .{
    .{ "__iadd__", c.slot.nb_inplace_add },             .{ "__isub__", c.slot.nb_inplace_subtract },
    .{ "__imul__", c.slot.nb_inplace_multiply },        .{ "__itruediv__", c.slot.nb_inplace_true_divide },
    .{ "__ifloordiv__", c.slot.nb_inplace_floor_divide }, .{ "__imod__", c.slot.nb_inplace_remainder },
    .{ "__imatmul__", c.slot.nb_inplace_matrix_multiply }, .{ "__iand__", c.slot.nb_inplace_and },
    .{ "__ior__", c.slot.nb_inplace_or },               .{ "__ixor__", c.slot.nb_inplace_xor },
    .{ "__ilshift__", c.slot.nb_inplace_lshift },       .{ "__irshift__", c.slot.nb_inplace_rshift },
};
const comparisons = .{
    .{ "__lt__", c.Py_LT }, .{ "__le__", c.Py_LE }, .{ "__eq__", c.Py_EQ },
    .{ "__ne__", c.Py_NE }, .{ "__gt__", c.Py_GT }, .{ "__ge__", c.Py_GE },
};
const other_slot_methods = .{
    "__hash__",    "__len__",    "__bool__", "__next__", "__call__", "__contains__",
    "__getitem__", "__setitem__", "__delitem__", "__order__", "__pow__",  "__rpow__",
    "__ipow__",
};

/// Every dunder implemented as a slot, for messages.
pub const slot_method_names: []const []const u8 = blk: {
    var l: []const []const u8 = &.{};
    for (unary_slots) |u| l = l ++ .{u[0]};
    for (comparisons) |b| l = l ++ .{b[0]};
    l = l ++ .{"__order__"};
    for (binary_slots) |b| l = l ++ .{ b[0], b[1] };
    for (inplace_slots) |b| l = l ++ .{b[0]};
    for (other_slot_methods) |m| {
        if (!std.mem.eql(u8, m, "__order__")) l = l ++ .{m};
    }
    break :blk l;
};

pub fn isSlotMethod(comptime n: []const u8) bool {
    @setEvalBranchQuota(100_000);
    inline for (unary_slots) |u| if (comptime std.mem.eql(u8, u[0], n)) return true;
    inline for (binary_slots) |b| if (comptime std.mem.eql(u8, b[0], n) or std.mem.eql(u8, b[1], n)) return true;
    inline for (inplace_slots) |b| if (comptime std.mem.eql(u8, b[0], n)) return true;
    inline for (comparisons) |b| if (comptime std.mem.eql(u8, b[0], n)) return true;
    inline for (other_slot_methods) |m| if (comptime std.mem.eql(u8, m, n)) return true;
    return false;
}

/// The method wrapper of `S.<name>` (S is the class that declares it).
fn Method(comptime S: type, comptime name: [:0]const u8, comptime not_implemented_on_bad_argument: bool) type {
    const info = source_info.function(source_info.container(source_info.root, @import("class.zig").className(S) orelse ""), name);
    const f = @field(S, name);
    const sig = signature.analyze(@TypeOf(f), name, info, S);
    return function.Wrapper(sig, f, not_implemented_on_bad_argument);
}

/// Whether `o` is an instance of class `S` (or of a subclass).
fn isInstance(comptime S: type, o: *c.PyObject) bool {
    return @import("class.zig").Class(S).check(o);
}

/// Call `f(self, [other])` through a wrapper; used by properties.
pub fn callUnary(comptime S: type, comptime f: anytype, self: *c.PyObject, comptime what: [:0]const u8) ?*c.PyObject {
    const sig = signature.analyze(@TypeOf(f), what, null, S);
    return function.Wrapper(sig, f, false).callPositional(self, undefined, 0);
}

pub const OnBadArgument = enum { raise, not_implemented };

pub fn callBinary(comptime S: type, comptime f: anytype, self: *c.PyObject, other: *c.PyObject, comptime what: [:0]const u8, comptime on_bad: OnBadArgument) ?*c.PyObject {
    const sig = signature.analyze(@TypeOf(f), what, null, S);
    const args = [_]*c.PyObject{other};
    return function.Wrapper(sig, f, on_bad == .not_implemented).callPositional(self, &args, 1);
}

/// Call a wrapper with CPython's (args tuple, kwargs dict) convention.
pub fn callWithTuple(comptime W: type, comptime keywords: bool, self: ?*c.PyObject, args: ?*c.PyObject, kwds: ?*c.PyObject) ?*c.PyObject {
    if (comptime c.limited_api) return callWithTupleLimited(W, keywords, self, args, kwds);
    const n: usize = if (args) |a| @intCast(c.varSize(a)) else 0;
    const items: [*]const *c.PyObject = if (args) |a| c.tupleItems(a) else undefined;
    const k: usize = if (kwds) |d| @intCast(c.PyDict_Size(d)) else 0;
    if (k == 0) {
        return if (keywords) W.callKeywords(self, items, @intCast(n), null) else W.callPositional(self, items, @intCast(n));
    }
    if (!keywords) {
        c.PyErr_SetString(c.exc("TypeError"), "this function takes no keyword arguments");
        return null;
    }
    var stack: [16]*c.PyObject = undefined;
    const va = vector_args.fromTupleAndDict(&stack, args, kwds) orelse return null;
    defer va.deinit();
    return W.callKeywords(self, va.items, @intCast(va.nargs), va.kwnames);
}

/// callWithTuple under abi3: the tuple's items are copied out (no in-place pointer into a tuple).
fn callWithTupleLimited(comptime W: type, comptime keywords: bool, self: ?*c.PyObject, args: ?*c.PyObject, kwds: ?*c.PyObject) ?*c.PyObject {
    if (!keywords and kwds != null and c.PyDict_Size(kwds.?) != 0) {
        c.PyErr_SetString(c.exc("TypeError"), "this function takes no keyword arguments");
        return null;
    }
    var stack: [16]*c.PyObject = undefined;
    const va = vector_args.fromTupleAndDict(&stack, args, kwds) orelse return null;
    defer va.deinit();
    if (!keywords) return W.callPositional(self, va.items, @intCast(va.nargs));
    return W.callKeywords(self, va.items, @intCast(va.nargs), va.kwnames);
}

fn isKeywordForm(comptime S: type, comptime name: [:0]const u8) bool {
    return Method(S, name, false).keywords;
}

/// tp_init from `__init__`.
pub fn Init(comptime S: type, comptime info: ?signature.FnInfo) type {
    return struct {
        // Named after the class in messages: users call `Counter(...)`, not `__init__`.
        const sig = signature.analyze(@TypeOf(S.__init__), @import("class.zig").className(S) orelse "__init__", info, S);
        pub const W = function.Wrapper(sig, S.__init__, false);
        pub const keywords = sig.keywords;

        pub fn tpInit(self: *c.PyObject, args: ?*c.PyObject, kwds: ?*c.PyObject) callconv(.c) c_int {
            const r = callWithTuple(W, keywords, self, args, kwds) orelse return -1;
            c.decref(r);
            return 0;
        }
    };
}

/// The slot list for the dunders `S` declares.
pub fn Dunders(comptime S: type, comptime C: type) type {
    return struct {
        pub const list: []const c.PyType_Slot = blk: {
            @setEvalBranchQuota(100_000);
            var l: []const c.PyType_Slot = &.{};
            for (unary_slots) |u| {
                if (@hasDecl(S, u[0])) l = l ++ .{slotEntry(u[1], &Unary(u[0]).call)};
            }
            for (binary_slots) |b| {
                if (@hasDecl(S, b[0]) or @hasDecl(S, b[1])) l = l ++ .{slotEntry(b[2], &Binary(b[0], b[1]).call)};
            }
            for (inplace_slots) |b| {
                if (@hasDecl(S, b[0])) l = l ++ .{slotEntry(b[1], &Inplace(b[0]).call)};
            }
            if (@hasDecl(S, "__pow__") or @hasDecl(S, "__rpow__")) l = l ++ .{slotEntry(c.slot.nb_power, &Power.call)};
            if (@hasDecl(S, "__ipow__")) l = l ++ .{slotEntry(c.slot.nb_inplace_power, &Power.inplace)};
            // CPython inherits tp_richcompare and tp_hash only together: a class declaring one of
            // them takes the other along its chain, so that (as in Python) only a new __eq__ drops
            // an inherited __hash__.
            const compares = hasComparison(S);
            const hash_owner = inheritance.owner(S, "__hash__");
            const new_eq = @hasDecl(S, "__eq__") or @hasDecl(S, "__order__");
            if (compares or (@hasDecl(S, "__hash__") and chainCompares())) l = l ++ .{slotEntry(c.slot.tp_richcompare, &RichCompare.call)};
            if (@hasDecl(S, "__hash__") or (compares and !new_eq and hash_owner != null)) l = l ++ .{slotEntry(c.slot.tp_hash, &Hash.call)};
            if (@hasDecl(S, "__len__")) l = l ++ .{ slotEntry(c.slot.mp_length, &Len.call), slotEntry(c.slot.sq_length, &Len.call) };
            if (@hasDecl(S, "__bool__")) l = l ++ .{slotEntry(c.slot.nb_bool, &Bool.call)};
            if (@hasDecl(S, "__contains__")) l = l ++ .{slotEntry(c.slot.sq_contains, &Contains.call)};
            if (@hasDecl(S, "__getitem__")) l = l ++ .{slotEntry(c.slot.mp_subscript, &GetItem.call)};
            if (@hasDecl(S, "__setitem__") or @hasDecl(S, "__delitem__")) l = l ++ .{slotEntry(c.slot.mp_ass_subscript, &SetItem.call)};
            if (@hasDecl(S, "__next__")) l = l ++ .{slotEntry(c.slot.tp_iternext, &Next.call)};
            if (@hasDecl(S, "__call__")) l = l ++ .{slotEntry(c.slot.tp_call, &Call.call)};
            if (@hasDecl(S, "__buffer__")) l = l ++ .{
                slotEntry(c.slot.bf_getbuffer, &@import("class_buffer.zig").Export(S, C).getBuffer),
                slotEntry(c.slot.bf_releasebuffer, &@import("class_buffer.zig").Export(S, C).releaseBuffer),
            };
            break :blk l;
        };

        fn slotEntry(comptime id: c_int, comptime f: anytype) c.PyType_Slot {
            return .{ .slot = id, .pfunc = @ptrCast(f) };
        }

        fn hasComparison(comptime T: type) bool {
            inline for (comparisons) |cmp| if (@hasDecl(T, cmp[0])) return true;
            return @hasDecl(T, "__order__");
        }

        fn chainCompares() bool {
            var T: ?type = S;
            while (T) |t| : (T = inheritance.baseOf(t)) {
                if (hasComparison(t)) return true;
            }
            return false;
        }

        fn Unary(comptime name: [:0]const u8) type {
            return struct {
                fn call(self: *c.PyObject) callconv(.c) ?*c.PyObject {
                    return Method(S, name, false).callPositional(self, undefined, 0);
                }
            };
        }

        /// One slot serves both `a.__add__(b)` and `b.__radd__(a)`; either may be declared by
        /// S or inherited from its base (the slot is S's as soon as S declares one of them).
        fn Binary(comptime name: [:0]const u8, comptime reflected: [:0]const u8) type {
            return struct {
                fn call(a: *c.PyObject, b: *c.PyObject) callconv(.c) ?*c.PyObject {
                    if (comptime inheritance.owner(S, name)) |A| {
                        if (isInstance(A, a)) return Method(A, name, true).callPositional(a, &[_]*c.PyObject{b}, 1);
                    }
                    if (comptime inheritance.owner(S, reflected)) |A| {
                        if (isInstance(A, b)) return Method(A, reflected, true).callPositional(b, &[_]*c.PyObject{a}, 1);
                    }
                    return c.notImplemented();
                }
            };
        }

        fn Inplace(comptime name: [:0]const u8) type {
            return struct {
                fn call(self: *c.PyObject, other: *c.PyObject) callconv(.c) ?*c.PyObject {
                    const r = Method(S, name, true).callPositional(self, &[_]*c.PyObject{other}, 1) orelse return null;
                    return returnsSelfIfVoid(name, self, r);
                }
            };
        }

        /// An in-place operator written as `fn __iadd__(self: *Self, x) void` leaves `self`
        /// as the result, as Python requires.
        fn returnsSelfIfVoid(comptime name: [:0]const u8, self: *c.PyObject, r: *c.PyObject) *c.PyObject {
            const R = signature.unwrapError(reflect.returnType(@TypeOf(@field(S, name)), name));
            if (comptime R == void) {
                c.decref(r);
                return c.newref(self);
            }
            return r;
        }

        const Power = struct {
            fn call(a: *c.PyObject, b: *c.PyObject, modulo: *c.PyObject) callconv(.c) ?*c.PyObject {
                if (modulo != c.none()) return c.notImplemented(); // three-argument pow() is not supported
                return Binary("__pow__", "__rpow__").call(a, b);
            }

            fn inplace(self: *c.PyObject, other: *c.PyObject, modulo: *c.PyObject) callconv(.c) ?*c.PyObject {
                if (modulo != c.none()) return c.notImplemented();
                const r = Method(S, "__ipow__", true).callPositional(self, &[_]*c.PyObject{other}, 1) orelse return null;
                return returnsSelfIfVoid("__ipow__", self, r);
            }
        };

        /// Python's rules: each comparison is the method the class (or its base chain) declares;
        /// one `__order__` answers all six; without `__ne__`, `a != b` is the inverse of
        /// `a == b` (and NotImplemented passes through), as `object.__ne__` does.
        const RichCompare = struct {
            fn call(self: *c.PyObject, other: *c.PyObject, op: c_int) callconv(.c) ?*c.PyObject {
                inline for (comparisons) |cmp| {
                    if (op == cmp[1]) return compare(cmp[0], cmp[1], self, other);
                }
                return c.notImplemented();
            }

            fn compare(comptime method: [:0]const u8, comptime op: c_int, self: *c.PyObject, other: *c.PyObject) ?*c.PyObject {
                if (comptime resolve(method)) |r| {
                    if (comptime r.via_order) return order(r.A, op, self, other);
                    return Method(r.A, method, true).callPositional(self, &[_]*c.PyObject{other}, 1);
                }
                if (comptime op == c.Py_NE and resolve("__eq__") != null) {
                    const r = compare("__eq__", c.Py_EQ, self, other) orelse return null;
                    if (r == &c._Py_NotImplementedStruct) return r;
                    const truth = c.PyObject_IsTrue(r);
                    c.decref(r);
                    if (truth < 0) return null;
                    return c.newref(if (truth == 0) &c._Py_TrueStruct else &c._Py_FalseStruct);
                }
                return c.notImplemented();
            }

            const Resolved = struct { A: type, via_order: bool };

            /// The first class of the chain declaring `method` (or `__order__`, which stands for all six).
            fn resolve(comptime method: []const u8) ?Resolved {
                var T: ?type = S;
                while (T) |t| : (T = inheritance.baseOf(t)) {
                    if (@hasDecl(t, method)) return .{ .A = t, .via_order = false };
                    if (@hasDecl(t, "__order__")) return .{ .A = t, .via_order = true };
                }
                return null;
            }

            fn order(comptime A: type, comptime op: c_int, self: *c.PyObject, other: *c.PyObject) ?*c.PyObject {
                const r = Method(A, "__order__", true).callPositional(self, &[_]*c.PyObject{other}, 1) orelse return null;
                if (r == &c._Py_NotImplementedStruct) return r;
                defer c.decref(r);
                // __order__ returns std.math.Order, converted to its name.
                var len: c.Py_ssize_t = 0;
                const text = (c.PyUnicode_AsUTF8AndSize(r, &len) orelse return null)[0..@intCast(len)];
                const o: i2 = if (std.mem.eql(u8, text, "lt")) -1 else if (std.mem.eql(u8, text, "gt")) 1 else 0;
                const result = switch (op) {
                    c.Py_LT => o < 0,
                    c.Py_LE => o <= 0,
                    c.Py_EQ => o == 0,
                    c.Py_NE => o != 0,
                    c.Py_GT => o > 0,
                    else => o >= 0,
                };
                return c.newref(if (result) &c._Py_TrueStruct else &c._Py_FalseStruct);
            }
        };

        const Hash = struct {
            fn call(self: *c.PyObject) callconv(.c) c.Py_hash_t {
                const A = comptime inheritance.owner(S, "__hash__").?;
                const r = Method(A, "__hash__", false).callPositional(self, undefined, 0) orelse return -1;
                defer c.decref(r);
                // Python's own rule: any int, reduced to the platform hash width; -1 means "error".
                const h: c.Py_hash_t = @bitCast(c.PyLong_AsUnsignedLongLongMask(r));
                if (h == -1 and c.PyErr_Occurred() != null) return -1;
                return if (h == -1) -2 else h;
            }
        };

        const Len = struct {
            fn call(self: *c.PyObject) callconv(.c) c.Py_ssize_t {
                const r = Method(S, "__len__", false).callPositional(self, undefined, 0) orelse return -1;
                defer c.decref(r);
                const n = c.PyLong_AsLongLong(r);
                if (n < 0) {
                    if (c.PyErr_Occurred() == null) c.PyErr_SetString(c.exc("ValueError"), "__len__() should return >= 0");
                    return -1;
                }
                return @intCast(n);
            }
        };

        const Bool = struct {
            fn call(self: *c.PyObject) callconv(.c) c_int {
                const r = Method(S, "__bool__", false).callPositional(self, undefined, 0) orelse return -1;
                defer c.decref(r);
                return c.PyObject_IsTrue(r);
            }
        };

        const Contains = struct {
            fn call(self: *c.PyObject, item: *c.PyObject) callconv(.c) c_int {
                // An item that cannot be the element type is simply not contained.
                const r = Method(S, "__contains__", true).callPositional(self, &[_]*c.PyObject{item}, 1) orelse return -1;
                defer c.decref(r);
                if (r == &c._Py_NotImplementedStruct) return 0;
                return c.PyObject_IsTrue(r);
            }
        };

        const GetItem = struct {
            fn call(self: *c.PyObject, key: *c.PyObject) callconv(.c) ?*c.PyObject {
                return Method(S, "__getitem__", false).callPositional(self, &[_]*c.PyObject{key}, 1);
            }
        };

        const SetItem = struct {
            fn call(self: *c.PyObject, key: *c.PyObject, value: ?*c.PyObject) callconv(.c) c_int {
                const r = if (value) |v| blk: {
                    if (comptime inheritance.owner(S, "__setitem__")) |A| {
                        break :blk Method(A, "__setitem__", false).callPositional(self, &[_]*c.PyObject{ key, v }, 2);
                    }
                    c.PyErr_SetString(c.exc("TypeError"), "object does not support item assignment");
                    return -1;
                } else blk: {
                    if (comptime inheritance.owner(S, "__delitem__")) |A| {
                        break :blk Method(A, "__delitem__", false).callPositional(self, &[_]*c.PyObject{key}, 1);
                    }
                    c.PyErr_SetString(c.exc("TypeError"), "object does not support item deletion");
                    return -1;
                };
                c.decref(r orelse return -1);
                return 0;
            }
        };

        /// __next__ returns ?T: null ends the iteration (StopIteration, without an exception object).
        const Next = struct {
            fn call(self: *c.PyObject) callconv(.c) ?*c.PyObject {
                const R = signature.unwrapError(reflect.returnType(@TypeOf(S.__next__), "__next__"));
                if (comptime reflect.kind(R) != .optional) @compileError("__next__ must return an optional (null ends the iteration)");
                const r = Method(S, "__next__", false).callPositional(self, undefined, 0) orelse return null;
                if (r == c.none()) {
                    c.decref(r);
                    return null;
                }
                return r;
            }
        };

        const Call = struct {
            fn call(self: *c.PyObject, args: ?*c.PyObject, kwds: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                return callWithTuple(Method(S, "__call__", false), isKeywordForm(S, "__call__"), self, args, kwds);
            }
        };
    };
}
