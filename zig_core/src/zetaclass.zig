//! `@zetaclass`: a Python dataclass as a native type.
//!
//! zigimport (zigimport/specialize/zetaclass_codegen.py) writes one small Zig file per
//! decorated class: `comptime { zc.module(.{ ...spec... }); }`, the class's fields and
//! `__init__` parameters as the dataclass machinery resolved them.  This file turns the spec
//! into a module whose `_create(...)` makes the heap type.  What is native:
//!
//! - storage: one object slot per field (values are checked on the way in: an `int` field
//!   holds only ints that fit an i64, a `str` field only str, ...), plus `__dict__` and
//!   `__weakref__` slots when the class is not `slots=True`;
//! - reads: member descriptors (T_OBJECT_EX), which CPython's attribute cache specialises
//!   exactly as for a `slots=True` dataclass;
//! - construction: a vectorcall that binds positional/keyword arguments, applies defaults and
//!   factories, checks types and calls `__post_init__`; binding errors are delegated to the
//!   dataclass-generated `__init__` so the TypeError messages are CPython's own;
//! - assignment (`tp_setattro`, the same checks), `==`/ordering (tuple semantics), `hash`
//!   (the tuple hash of the fields, so `hash()` equals the dataclass's) and `repr`.
//!
//! Runtime values the spec cannot hold (defaults, factories, nested types, the fallback
//! `__init__`) live in the module's state, one module object per created type, so the same
//! binary can back several decorations in one process (a notebook cell run twice).
const std = @import("std");
const c = @import("capi.zig");
const field_values = @import("zetaclass_values.zig");
const vector_args = @import("vector_args.zig");
const state_refs = @import("state_refs.zig");

/// What a field accepts.  Everything is stored as an object reference.
pub const Kind = enum { any, int, float, bool, str, bytes, nested };
pub const Default = enum { none, value, factory };
pub const HashMode = enum { fields, unhashable, inherit };

pub const Field = struct {
    name: [:0]const u8,
    slot: u16,
    kind: Kind = .any,
    /// `X | None`: None is accepted as well.
    optional: bool = false,
    /// The `__init__` parameter that sets it, or null (`init=False`: its default, or unset).
    param: ?u16 = null,
    default: Default = .none,
    compare: bool = true,
    hash: bool = true,
    repr: bool = true,
    /// Shown in messages: "int", "str | None", "Inner".
    type_name: [:0]const u8 = "object",
    /// `del obj.f` puts the default back (a non-slots dataclass then reads the class attribute).
    reset_on_delete: bool = false,
};

pub const Param = struct {
    name: [:0]const u8,
    /// The field it sets, or null for an InitVar (passed to `__post_init__`).
    field: ?u16 = null,
    kw_only: bool = false,
    default: Default = .none,
};

pub const Spec = struct {
    name: [:0]const u8,
    qualname: [:0]const u8,
    fields: []const Field,
    params: []const Param,
    /// Object slots in the instance (fields, `__dict__`, `__weakref__`), base's included.
    nslots: u16,
    dict_slot: ?u16 = null,
    weak_slot: ?u16 = null,
    /// Whether the dict/weakref slots are this type's (false: inherited from the base zetaclass).
    own_dict: bool = false,
    own_weak: bool = false,
    gc: bool = false,
    native_init: bool = true,
    native_repr: bool = true,
    native_eq: bool = true,
    native_order: bool = false,
    frozen: bool = false,
    hash: HashMode = .inherit,
    post_init: bool = false,
};

/// Export the module for `spec` (call from a `comptime` block of the generated file).
pub fn module(comptime spec: Spec) void {
    @setEvalBranchQuota(comptime quota(spec));
    const Z = Zetaclass(spec);
    @export(&Z.init, .{ .name = @import("zigimport_options").init_symbol });
}

/// Comptime work is a few passes over the fields and parameters: the quota scales with them.
fn quota(comptime spec: Spec) u32 {
    return 10_000 + 500 * @as(u32, @intCast(spec.fields.len + spec.params.len));
}

fn slotOffset(comptime s: u16) usize {
    return @sizeOf(c.PyObject) + @as(usize, s) * @sizeOf(?*c.PyObject);
}

pub fn Zetaclass(comptime spec: Spec) type {
    @setEvalBranchQuota(comptime quota(spec));
    comptime {
        std.debug.assert(spec.fields.len <= spec.nslots);
        for (spec.fields) |f| std.debug.assert(f.slot < spec.nslots);
        for (spec.params) |p| if (p.field) |i| std.debug.assert(spec.fields[i].param != null);
    }
    const F = spec.fields.len;
    const P = spec.params.len;
    const npos = blk: {
        var n: usize = 0;
        for (spec.params) |p| {
            if (!p.kw_only) n += 1;
        }
        break :blk n;
    };
    const nrepr = blk: {
        var n: usize = 0;
        for (spec.fields) |f| {
            if (f.repr) n += 1;
        }
        break :blk n;
    };
    // Only fields that may hold arbitrary objects can make a repr recurse.
    const repr_may_recurse = for (spec.fields) |f| {
        if (f.repr and (f.kind == .any or f.kind == .nested)) break true;
    } else false;
    const nivars = blk: {
        var n: usize = 0;
        for (spec.params) |p| {
            if (p.field == null) n += 1;
        }
        break :blk n;
    };

    return struct {
        const State = extern struct {
            init_fn: ?*c.PyObject,
            post_init_name: ?*c.PyObject,
            param_names: [P]?*c.PyObject,
            field_names: [F]?*c.PyObject,
            param_defaults: [P]?*c.PyObject,
            field_defaults: [F]?*c.PyObject,
            nested: [F]?*c.PyObject,
            /// "(a=", ", b=", ..., ")": the constant parts of the repr.
            repr_pieces: [nrepr + 1]?*c.PyObject,
            qualname_name: ?*c.PyObject,
            created: bool,

            fn objects(st: *State) []?*c.PyObject {
                const first: [*]?*c.PyObject = @ptrCast(&st.init_fn);
                return first[0 .. (@offsetOf(State, "created") - @offsetOf(State, "init_fn")) / @sizeOf(?*c.PyObject)];
            }
        };

        inline fn slotPtr(o: *c.PyObject, comptime s: u16) *?*c.PyObject {
            return @ptrCast(@alignCast(@as([*]u8, @ptrCast(o)) + slotOffset(s)));
        }

        /// The last type whose state was looked up, and that state: a one-entry cache for the
        /// construction and assignment paths (cleared when that type's module goes away, so a
        /// new type at the same address never sees a stale state).
        var cached_type: ?*c.PyTypeObject = null;
        var cached_state: ?*State = null;

        inline fn stateOf(t: *c.PyTypeObject) *State {
            if (t == cached_type) return cached_state.?;
            return stateLookup(t);
        }

        fn stateLookup(t0: *c.PyTypeObject) *State {
            var t = t0;
            // A Python subclass's instances carry its type: find ours along tp_base.
            while (c.PyType_GetSlot(t, c.slot.tp_dealloc) != @as(?*anyopaque, @ptrCast(@constCast(&tpDealloc)))) {
                t = @ptrCast(c.PyType_GetSlot(t, c.tp_base_slot) orelse unreachable);
            }
            const m = c.PyType_GetModule(t) orelse unreachable;
            const st: *State = @ptrCast(@alignCast(c.PyModule_GetState(m).?));
            if (t == t0) {
                cached_type = t;
                cached_state = st;
            }
            return st;
        }

        // ---- checks (src/zetaclass_values.zig) ----

        inline fn accept(comptime f: Field, st: *State, comptime fi: usize, v: *c.PyObject, comptime what: [:0]const u8) ?*c.PyObject {
            return field_values.accept(f.kind, f.optional, f.type_name, st.nested[fi], v, what);
        }

        inline fn hasFlag(v: *c.PyObject, flag: c_ulong) bool {
            return field_values.hasFlag(v, flag);
        }

        fn store(o: *c.PyObject, comptime s: u16, new: ?*c.PyObject) void {
            const p = slotPtr(o, s);
            const old = p.*;
            p.* = new;
            c.xdecref(old);
        }

        // ---- construction ----

        fn tpNew(t: *c.PyTypeObject, _: ?*c.PyObject, _: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            return c.PyType_GenericAlloc(t, 0);
        }

        fn vectorcallNew(callable: *c.PyObject, args: [*]const *c.PyObject, nargsf: usize, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const t: *c.PyTypeObject = @ptrCast(callable);
            const nargs = nargsf & ~c.PY_VECTORCALL_ARGUMENTS_OFFSET;
            if (c.typeInit(t) != @as(?*anyopaque, @ptrCast(@constCast(&tpInit)))) {
                return genericCall(callable, args, nargs, kwnames); // a subclass or a class-body __init__ takes over
            }
            const o = (if (t == cached_type) allocExact(t) else c.PyType_GenericAlloc(t, 0)) orelse return null;
            if (fill(o, stateOf(t), args, nargs, kwnames) < 0) {
                c.decref(o);
                return null;
            }
            return o;
        }

        /// A new instance of our own type (not a subclass): what PyType_GenericAlloc does for a
        /// type without GC or items (zeroed slots, a reference to the heap type), minus its calls.
        /// Not on debug builds (reference totals) nor 3.13+ (whose _Py_NewReference also tells a
        /// PyRefTracer); tracemalloc already saw the fresh PyObject_Malloc block.
        inline fn allocExact(t: *c.PyTypeObject) ?*c.PyObject {
            if (comptime spec.gc or @import("zigimport_options").python_debug or c.py_minor >= 13 or c.limited_api) return c.PyType_GenericAlloc(t, 0);
            const size = comptime slotOffset(spec.nslots);
            const mem: [*]u8 = @ptrCast(c.PyObject_Malloc(size) orelse {
                _ = c.PyErr_NoMemory();
                return null;
            });
            @memset(mem[@sizeOf(c.PyObject)..size], 0);
            const o: *c.PyObject = @ptrCast(@alignCast(mem));
            o.ob_refcnt = 1;
            o.ob_type = t;
            c.incref(@ptrCast(@alignCast(t)));
            return o;
        }

        /// `type.__call__(cls, *args, **kwargs)`: tp_new then tp_init, as CPython does.
        fn genericCall(callable: *c.PyObject, args: [*]const *c.PyObject, nargs: usize, kwnames: ?*c.PyObject) ?*c.PyObject {
            const tuple = c.PyTuple_New(@intCast(nargs)) orelse return null;
            defer c.decref(tuple);
            for (0..nargs) |i| _ = c.PyTuple_SetItem(tuple, @intCast(i), c.newref(args[i]));
            const kwargs = kwargsDict(args + nargs, kwnames) orelse return null;
            defer c.xdecref(kwargs.dict);
            const type_call: *const fn (*c.PyObject, *c.PyObject, ?*c.PyObject) callconv(.c) ?*c.PyObject =
                @ptrCast(@alignCast(c.PyType_GetSlot(@ptrCast(&c.PyType_Type), c.slot.tp_call).?));
            return type_call(callable, tuple, kwargs.dict);
        }

        const MaybeDict = struct { dict: ?*c.PyObject };

        fn kwargsDict(values: [*]const *c.PyObject, kwnames: ?*c.PyObject) ?MaybeDict {
            const names = kwnames orelse return .{ .dict = null };
            const d = c.PyDict_New() orelse return null;
            const n: usize = @intCast(c.varSize(names));
            for (0..n) |i| {
                if (c.PyDict_SetItem(d, c.tupleItem(names, i), values[i]) < 0) {
                    c.decref(d);
                    return null;
                }
            }
            return .{ .dict = d };
        }

        fn tpInit(self: *c.PyObject, args: ?*c.PyObject, kwds: ?*c.PyObject) callconv(.c) c_int {
            var stack: [16]*c.PyObject = undefined;
            const va = vector_args.fromTupleAndDict(&stack, args, kwds) orelse return -1;
            defer va.deinit();
            return fill(self, stateOf(c.typeOf(self)), va.items, va.nargs, va.kwnames);
        }

        fn paramIndex(st: *State, key: *c.PyObject) ?usize {
            @setEvalBranchQuota(comptime quota(spec));
            inline for (0..P) |j| {
                if (st.param_names[j] == key) return j; // interned: the common case
            }
            inline for (0..P) |j| {
                if (c.PyUnicode_Compare(st.param_names[j].?, key) == 0) return j;
            }
            c.PyErr_Clear();
            return null;
        }

        /// Bind the arguments like the dataclass's `__init__`, then set every field in field
        /// order (factories run in that order too) and call `__post_init__`.
        fn fill(o: *c.PyObject, st: *State, args: [*]const *c.PyObject, nargs: usize, kwnames: ?*c.PyObject) c_int {
            @setEvalBranchQuota(comptime quota(spec));
            var vals: [P]?*c.PyObject = @splat(null);
            if (nargs > npos) return bindingError(st, args, nargs, kwnames);
            for (0..nargs) |i| vals[i] = args[i];
            if (kwnames) |names| {
                const nk: usize = @intCast(c.varSize(names));
                for (0..nk) |k| {
                    const j = paramIndex(st, c.tupleItem(names, k)) orelse return bindingError(st, args, nargs, kwnames);
                    if (vals[j] != null) return bindingError(st, args, nargs, kwnames);
                    vals[j] = args[nargs + k];
                }
            }
            inline for (spec.params, 0..) |p, j| {
                if (vals[j] == null) {
                    if (p.default == .none) return bindingError(st, args, nargs, kwnames);
                    if (p.default == .value) vals[j] = st.param_defaults[j]; // factories: below, in field order
                }
            }
            inline for (spec.fields, 0..) |f, i| {
                const what = spec.qualname ++ ".__init__() argument '" ++ f.name ++ "'";
                if (f.param) |j| {
                    var owned: ?*c.PyObject = null;
                    defer c.xdecref(owned);
                    const v = vals[j] orelse blk: {
                        owned = c.call(st.param_defaults[j].?, &.{}) orelse return -1;
                        break :blk owned.?;
                    };
                    store(o, f.slot, accept(f, st, i, v, what) orelse return -1);
                } else switch (f.default) {
                    .none => {},
                    .value => store(o, f.slot, c.newref(st.field_defaults[i].?)),
                    .factory => {
                        const v = c.call(st.field_defaults[i].?, &.{}) orelse return -1;
                        defer c.decref(v);
                        store(o, f.slot, accept(f, st, i, v, spec.qualname ++ "." ++ f.name ++ " (from its default_factory)") orelse return -1);
                    },
                }
            }
            if (comptime spec.post_init) {
                var argv: [1 + nivars]*c.PyObject = undefined;
                argv[0] = o;
                var n: usize = 1;
                inline for (spec.params, 0..) |p, j| {
                    if (p.field == null) {
                        argv[n] = vals[j].?;
                        n += 1;
                    }
                }
                // No PY_VECTORCALL_ARGUMENTS_OFFSET: argv[-1] is not ours to lend.
                const r = c.PyObject_VectorcallMethod(st.post_init_name.?, &argv, n, null) orelse return -1;
                c.decref(r);
            }
            return 0;
        }

        /// The arguments do not bind: let the dataclass-generated `__init__` (called with
        /// self=None; binding fails before its body runs) raise CPython's own TypeError.
        fn bindingError(st: *State, args: [*]const *c.PyObject, nargs: usize, kwnames: ?*c.PyObject) c_int {
            @setEvalBranchQuota(comptime quota(spec));
            const argv_mem = c.PyMem_RawMalloc((nargs + 1) * @sizeOf(*c.PyObject)) orelse {
                _ = c.PyErr_NoMemory();
                return -1;
            };
            defer c.PyMem_RawFree(argv_mem);
            const argv: [*]*c.PyObject = @ptrCast(@alignCast(argv_mem));
            argv[0] = c.none();
            for (0..nargs) |i| argv[i + 1] = args[i];
            const kwargs = kwargsDict(args + nargs, kwnames) orelse return -1;
            defer c.xdecref(kwargs.dict);
            const r = c.PyObject_VectorcallDict(st.init_fn.?, argv, nargs + 1, kwargs.dict) orelse return -1;
            c.decref(r);
            c.PyErr_SetString(c.exc("TypeError"), spec.qualname ++ ".__init__() got arguments it cannot bind");
            return -1;
        }

        // ---- attributes ----

        fn tpSetattro(o: *c.PyObject, name: *c.PyObject, value: ?*c.PyObject) callconv(.c) c_int {
            @setEvalBranchQuota(comptime quota(spec));
            const st = stateOf(c.typeOf(o));
            inline for (0..F) |i| {
                if (st.field_names[i] == name) return setField(o, st, i, value);
            }
            if (hasFlag(name, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
                inline for (0..F) |i| {
                    if (c.PyUnicode_Compare(st.field_names[i].?, name) == 0) return setField(o, st, i, value);
                }
            }
            const r = c.PyObject_GenericSetAttr(o, name, value);
            if (r < 0 and c.py_minor >= 13 and value != null) rewordNoDict(o, name);
            return r;
        }

        /// 3.13 words a failed new attribute on an object without __dict__ as "... has no attribute
        /// 'x' and no __dict__ for setting new attributes", but only when tp_setattro is CPython's
        /// own: say it the same way (the exception keeps its name/obj).
        fn rewordNoDict(o: *c.PyObject, name: *c.PyObject) void {
            if (c.PyErr_ExceptionMatches(c.exc("AttributeError")) == 0) return;
            var t: ?*c.PyObject = null;
            var v: ?*c.PyObject = null;
            var tb: ?*c.PyObject = null;
            c.PyErr_Fetch(&t, &v, &tb);
            c.PyErr_NormalizeException(&t, &v, &tb);
            defer c.PyErr_Restore(t, v, tb);
            if (c.PyObject_GenericGetDict(o, null)) |d| { // has a __dict__: CPython's message stands
                c.decref(d);
                return;
            }
            c.PyErr_Clear();
            const exc_value = v orelse return;
            const msg = c.PyUnicode_FromFormat("'%s' object has no attribute '%U' and no __dict__ for setting new attributes", c.typeNameOf(o), name) orelse {
                c.PyErr_Clear();
                return;
            };
            defer c.decref(msg);
            const args = c.PyTuple_New(1) orelse {
                c.PyErr_Clear();
                return;
            };
            defer c.decref(args);
            _ = c.PyTuple_SetItem(args, 0, c.newref(msg));
            if (c.PyObject_SetAttrString(exc_value, "args", args) < 0) c.PyErr_Clear();
        }

        fn setField(o: *c.PyObject, st: *State, comptime i: usize, value: ?*c.PyObject) c_int {
            const f = spec.fields[i];
            const v = value orelse {
                if (slotPtr(o, f.slot).* == null) {
                    c.PyErr_SetObject(c.exc("AttributeError"), st.field_names[i].?);
                    return -1;
                }
                store(o, f.slot, if (f.reset_on_delete) c.newref(st.field_defaults[i].?) else null);
                return 0;
            };
            store(o, f.slot, accept(f, st, i, v, spec.qualname ++ "." ++ f.name) orelse return -1);
            return 0;
        }

        fn getDict(o: *c.PyObject, ctx: ?*anyopaque) callconv(.c) ?*c.PyObject {
            return c.PyObject_GenericGetDict(o, ctx);
        }

        fn setDict(o: *c.PyObject, value: ?*c.PyObject, ctx: ?*anyopaque) callconv(.c) c_int {
            return c.PyObject_GenericSetDict(o, value, ctx);
        }

        // ---- comparisons, hash, repr ----

        fn fieldValue(o: *c.PyObject, comptime i: usize) ?*c.PyObject {
            return slotPtr(o, spec.fields[i].slot).* orelse {
                _ = c.PyErr_Format(c.exc("AttributeError"), "'%s' object has no attribute '%s'", c.typeNameOf(o), spec.fields[i].name.ptr);
                return null;
            };
        }

        fn tpRichcompare(a: *c.PyObject, b: *c.PyObject, op: c_int) callconv(.c) ?*c.PyObject {
            @setEvalBranchQuota(comptime quota(spec));
            if (a.ob_type != b.ob_type) return c.notImplemented(); // `other.__class__ is self.__class__`
            const is_eq = op == c.Py_EQ or op == c.Py_NE;
            if (is_eq and !spec.native_eq) return c.notImplemented();
            if (!is_eq and !spec.native_order) return c.notImplemented();
            // Tuple semantics over the compared fields: the first pair that differs decides.
            inline for (spec.fields, 0..) |f, i| {
                if (f.compare) {
                    const x = fieldValue(a, i) orelse return null;
                    const y = fieldValue(b, i) orelse return null;
                    if (x != y) {
                        const same = c.PyObject_RichCompareBool(x, y, c.Py_EQ);
                        if (same < 0) return null;
                        if (same == 0) {
                            if (op == c.Py_EQ) return c.newref(&c._Py_FalseStruct);
                            if (op == c.Py_NE) return c.newref(&c._Py_TrueStruct);
                            return c.PyObject_RichCompare(x, y, op);
                        }
                    }
                }
            }
            const equal_wins = op == c.Py_EQ or op == c.Py_LE or op == c.Py_GE;
            return c.newref(if (equal_wins) &c._Py_TrueStruct else &c._Py_FalseStruct);
        }

        /// CPython's tuple hash (Objects/tupleobject.c, xxHash-style) over the hashed fields, so
        /// `hash(obj)` equals the dataclass's `hash((self.a, self.b, ...))`.
        fn tpHash(o: *c.PyObject) callconv(.c) c.Py_hash_t {
            @setEvalBranchQuota(comptime quota(spec));
            const prime1: u64 = 11400714785074694791;
            const prime2: u64 = 14029467366897019727;
            const prime5: u64 = 2870177450012600261;
            var acc: u64 = prime5;
            comptime var n: u64 = 0;
            inline for (spec.fields, 0..) |f, i| {
                if (f.hash) {
                    n += 1;
                    const x = fieldValue(o, i) orelse return -1;
                    const h = field_values.fastHash(x) orelse c.PyObject_Hash(x);
                    if (h == -1) return -1;
                    acc +%= @as(u64, @bitCast(@as(i64, h))) *% prime2;
                    acc = std.math.rotl(u64, acc, 31);
                    acc *%= prime1;
                }
            }
            acc +%= n ^ (prime5 ^ 3527539);
            if (acc == std.math.maxInt(u64)) return 1546275796;
            return @bitCast(acc);
        }

        /// `Qualname(a=1, b='x')`, "..." for a recursive reference (as reprlib.recursive_repr).
        fn tpRepr(o: *c.PyObject) callconv(.c) ?*c.PyObject {
            @setEvalBranchQuota(comptime quota(spec));
            if (comptime repr_may_recurse) {
                const entered = c.Py_ReprEnter(o);
                if (entered < 0) return null;
                if (entered > 0) return c.PyUnicode_FromString("...");
            }
            defer if (comptime repr_may_recurse) c.Py_ReprLeave(o);
            const st = stateOf(c.typeOf(o));
            // One tuple of pieces, joined once: qualname, "(a=", repr(a), ", b=", repr(b), ")".
            const parts = c.PyTuple_New(@intCast(2 * nrepr + 2)) orelse return null;
            defer c.decref(parts);
            c.tupleInit(parts, 0, c.PyObject_GetAttr(@ptrCast(@alignCast(c.typeOf(o))), st.qualname_name.?) orelse return null);
            comptime var k: usize = 0;
            inline for (spec.fields, 0..) |f, i| {
                if (f.repr) {
                    c.tupleInit(parts, 1 + 2 * k, c.newref(st.repr_pieces[k].?));
                    const x = fieldValue(o, i) orelse return null;
                    c.tupleInit(parts, 2 + 2 * k, c.PyObject_Repr(x) orelse return null);
                    k += 1;
                }
            }
            c.tupleInit(parts, 2 * nrepr + 1, c.newref(st.repr_pieces[nrepr].?));
            const empty = c.PyUnicode_FromStringAndSize(null, 0) orelse return null;
            defer c.decref(empty);
            return c.PyUnicode_Join(empty, parts);
        }

        // ---- lifetime ----

        fn tpDealloc(o: *c.PyObject) callconv(.c) void {
            const t = c.typeOf(o);
            if (comptime spec.gc) c.PyObject_GC_UnTrack(o);
            if (comptime spec.weak_slot) |w| {
                if (slotPtr(o, w).* != null) c.PyObject_ClearWeakRefs(o);
            }
            clearSlots(o);
            const free_fn: *const fn (?*anyopaque) callconv(.c) void = @ptrCast(@alignCast(c.PyType_GetSlot(t, c.slot.tp_free).?));
            free_fn(o);
            c.decref(@ptrCast(@alignCast(t))); // instances of heap types own a reference to their type
        }

        fn clearSlots(o: *c.PyObject) void {
            @setEvalBranchQuota(comptime quota(spec));
            inline for (spec.fields) |f| store(o, f.slot, null);
            if (comptime spec.dict_slot) |d| store(o, d, null);
        }

        fn tpTraverse(o: *c.PyObject, visit: c.visitproc, arg: ?*anyopaque) callconv(.c) c_int {
            @setEvalBranchQuota(comptime quota(spec));
            inline for (spec.fields) |f| {
                if (slotPtr(o, f.slot).*) |x| {
                    const r = visit(x, arg);
                    if (r != 0) return r;
                }
            }
            if (comptime spec.dict_slot) |d| {
                if (slotPtr(o, d).*) |x| {
                    const r = visit(x, arg);
                    if (r != 0) return r;
                }
            }
            return visit(@ptrCast(@alignCast(c.typeOf(o))), arg);
        }

        fn tpClear(o: *c.PyObject) callconv(.c) c_int {
            clearSlots(o);
            return 0;
        }

        // ---- the type ----

        const members = blk: {
            @setEvalBranchQuota(quota(spec));
            var defs: [F + 3]c.PyMemberDef = undefined;
            var n: usize = 0;
            for (spec.fields) |f| {
                // Writable for object.__setattr__ (a frozen class's __post_init__); plain
                // assignment goes through tpSetattro, which checks the value.
                defs[n] = .{ .name = f.name, .type = c.T_OBJECT_EX, .offset = slotOffset(f.slot), .flags = 0, .doc = null };
                n += 1;
            }
            if (spec.own_dict) {
                defs[n] = .{ .name = "__dictoffset__", .type = c.T_PYSSIZET, .offset = slotOffset(spec.dict_slot.?), .flags = c.READONLY, .doc = null };
                n += 1;
            }
            if (spec.own_weak) {
                defs[n] = .{ .name = "__weaklistoffset__", .type = c.T_PYSSIZET, .offset = slotOffset(spec.weak_slot.?), .flags = c.READONLY, .doc = null };
                n += 1;
            }
            defs[n] = .{ .name = null, .type = 0, .offset = 0, .flags = 0, .doc = null };
            const final = defs[0 .. n + 1].*;
            break :blk final;
        };

        const getsets = [_]c.PyGetSetDef{
            .{ .name = "__dict__", .get = &getDict, .set = &setDict, .doc = null, .closure = null },
            c.PyGetSetDef.sentinel,
        };

        const type_slots = blk: {
            @setEvalBranchQuota(quota(spec));
            var l: []const c.PyType_Slot = &.{
                .{ .slot = c.slot.tp_dealloc, .pfunc = @ptrCast(&tpDealloc) },
                .{ .slot = c.slot.tp_members, .pfunc = @ptrCast(&members) },
                .{ .slot = c.slot.tp_new, .pfunc = @ptrCast(&tpNew) },
            };
            if (spec.own_dict) l = l ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_getset, .pfunc = @ptrCast(&getsets) }};
            if (spec.native_init) l = l ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_init, .pfunc = @ptrCast(&tpInit) }};
            if (spec.gc) l = l ++ &[_]c.PyType_Slot{
                .{ .slot = c.slot.tp_traverse, .pfunc = @ptrCast(&tpTraverse) },
                .{ .slot = c.slot.tp_clear, .pfunc = @ptrCast(&tpClear) },
            };
            if (!spec.frozen) l = l ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_setattro, .pfunc = @ptrCast(&tpSetattro) }};
            if (spec.native_eq or spec.native_order) l = l ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_richcompare, .pfunc = @ptrCast(&tpRichcompare) }};
            switch (spec.hash) {
                .fields => l = l ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_hash, .pfunc = @ptrCast(&tpHash) }},
                .unhashable => l = l ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_hash, .pfunc = @ptrCast(&c.PyObject_HashNotImplemented) }},
                .inherit => {},
            }
            if (spec.native_repr) l = l ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_repr, .pfunc = @ptrCast(&tpRepr) }};
            break :blk l ++ &[_]c.PyType_Slot{.{ .slot = 0, .pfunc = null }};
        };

        var type_spec: c.PyType_Spec = .{
            .name = spec.name,
            .basicsize = @intCast(slotOffset(spec.nslots)),
            .itemsize = 0,
            .flags = c.Py_TPFLAGS_DEFAULT | c.Py_TPFLAGS_BASETYPE | (if (spec.gc) c.Py_TPFLAGS_HAVE_GC else 0),
            .slots = type_slots.ptr,
        };

        /// `_create(bases, field_defaults, param_defaults, nested, init_fn)` -> the type.
        /// Each tuple has one item per field (per parameter); None where nothing applies.
        fn create(m: ?*c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject {
            @setEvalBranchQuota(comptime quota(spec));
            const mod = m.?;
            const st: *State = @ptrCast(@alignCast(c.PyModule_GetState(mod).?));
            if (nargs != 5) {
                c.PyErr_SetString(c.exc("TypeError"), "_create() takes 5 arguments");
                return null;
            }
            if (st.created) {
                c.PyErr_SetString(c.exc("RuntimeError"), "this zetaclass module already made its type; load a new module object");
                return null;
            }
            const lens = [_]usize{ F, P, F };
            for (lens, 1..) |want, i| {
                if (!c.hasFlag(args[i], c.Py_TPFLAGS_TUPLE_SUBCLASS) or c.varSize(args[i]) != want) {
                    _ = c.PyErr_Format(c.exc("TypeError"), "_create() argument %d must be a tuple of %d items", @as(c_int, @intCast(i + 1)), @as(c_int, @intCast(want)));
                    return null;
                }
            }
            inline for (0..F) |i| {
                st.field_defaults[i] = c.newref(c.tupleItem(args[1], i)); // None is a default like any other
                st.nested[i] = optionalItem(args[3], i);
                st.field_names[i] = internedName(spec.fields[i].name) orelse return null;
            }
            inline for (0..P) |j| {
                st.param_defaults[j] = c.newref(c.tupleItem(args[2], j));
                st.param_names[j] = internedName(spec.params[j].name) orelse return null;
            }
            st.init_fn = c.newref(args[4]);
            st.post_init_name = internedName("__post_init__") orelse return null;
            st.qualname_name = internedName("__qualname__") orelse return null;
            comptime var k: usize = 0;
            inline for (spec.fields) |f| {
                if (f.repr) {
                    st.repr_pieces[k] = internedName((if (k == 0) "(" else ", ") ++ f.name ++ "=") orelse return null;
                    k += 1;
                }
            }
            st.repr_pieces[nrepr] = internedName(if (nrepr == 0) "()" else ")") orelse return null;
            const bases: ?*c.PyObject = if (c.varSize(args[0]) == 0) null else args[0];
            const t = c.PyType_FromModuleAndSpec(mod, &type_spec, bases) orelse return null;
            if (spec.native_init) {
                c.setTypeVectorcall(@ptrCast(t), &vectorcallNew);
                // `Cls.__init__` is the dataclass's function (its signature, help(), an explicit
                // `Base.__init__(self, ...)`), put in the type's dict directly so that tp_init stays
                // native: a plain setattr would route construction through Python.
                if (c.typeDict(@ptrCast(t))) |d| {
                    if (args[4] != c.none()) {
                        if (c.PyDict_SetItemString(d, "__init__", args[4]) < 0) {
                            c.decref(t);
                            return null;
                        }
                        c.PyType_Modified(@ptrCast(t));
                    }
                }
            }
            st.created = true;
            return t;
        }

        fn optionalItem(tuple: *c.PyObject, i: usize) ?*c.PyObject {
            const x = c.tupleItem(tuple, i);
            return if (x == c.none()) null else c.newref(x);
        }

        fn internedName(comptime name: [:0]const u8) ?*c.PyObject {
            return c.PyUnicode_InternFromString(name);
        }

        fn stateTraverse(m: *c.PyObject, visit: c.visitproc, arg: ?*anyopaque) callconv(.c) c_int {
            const st: *State = @ptrCast(@alignCast(c.PyModule_GetState(m) orelse return 0));
            return state_refs.visitAll(st.objects(), visit, arg);
        }

        fn stateClear(m: *c.PyObject) callconv(.c) c_int {
            const st: *State = @ptrCast(@alignCast(c.PyModule_GetState(m) orelse return 0));
            if (cached_state == st) {
                cached_type = null;
                cached_state = null;
            }
            state_refs.clearAll(st.objects());
            return 0;
        }

        fn stateFree(m: ?*anyopaque) callconv(.c) void {
            _ = stateClear(@ptrCast(@alignCast(m.?)));
        }

        const methods = [_]c.PyMethodDef{
            .{ .ml_name = "_create", .ml_meth = @ptrCast(&create), .ml_flags = c.METH_FASTCALL, .ml_doc = "Make the zetaclass type (called once by zigimport.specialize.zetaclass)." },
            c.PyMethodDef.sentinel,
        };
        const mod_slots = [_]c.PyModuleDef_Slot{
            .{ .slot = if (c.py_minor >= 12) c.Py_mod_multiple_interpreters else 0, .value = c.Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED },
            .{ .slot = 0, .value = null },
        };
        var def: c.PyModuleDef = .{
            .m_base = c.PyModuleDef_HEAD_INIT,
            .m_name = @import("zigimport_options").module_name,
            .m_doc = "Native type of the @zetaclass " ++ spec.qualname ++ " (generated by zigimport).",
            .m_size = @sizeOf(State),
            .m_methods = &methods,
            .m_slots = &mod_slots,
            .m_traverse = @ptrCast(&stateTraverse),
            .m_clear = @ptrCast(&stateClear),
            .m_free = @ptrCast(&stateFree),
        };

        fn init() callconv(.c) ?*c.PyObject {
            return c.PyModuleDef_Init(&def);
        }
    };
}
