//! Validation of Python values (construction, assignment, `from_dict`, module `from_python`,
//! and the composition keywords of decoded values): a value is checked against a node and
//! converted as SCHEMA_SPEC §2 says (a mapping becomes an instance of the node's class, a tuple
//! a list, an int in a number-only node a float, an integral float in an integer node an int).
const std = @import("std");
const c = @import("../capi.zig");
const context = @import("context.zig");
const checks = @import("checks.zig");
const decode = @import("decode.zig");
const Ctx = context.Ctx;
const Fail = context.Fail;
const Node = @import("spec.zig").Node;

pub const Which = enum { any_of, one_of };

pub fn Converter(comptime M: type) type {
    const spec = M.spec;
    return struct {
        const Self = @This();
        ctx: *Ctx,
        st: *M.State,
        /// The offset of the value in the JSON text when checking a decoded value, else null.
        pos: ?usize = null,

        /// `from_python(value)` against node `n`.
        pub fn top(st: *M.State, n: u16, v: *c.PyObject) ?*c.PyObject {
            var ctx = M.newCtx(st);
            var cv: Self = .{ .ctx = &ctx, .st = st };
            return cv.value(n, v) catch {
                ctx.raise();
                return null;
            };
        }

        /// A mapping (or an instance) as an instance of class `k` (`Cls.from_dict`).
        pub fn topClass(st: *M.State, k: u16, v: *c.PyObject) ?*c.PyObject {
            var ctx = M.newCtx(st);
            var cv: Self = .{ .ctx = &ctx, .st = st };
            return cv.classValue(k, v) catch {
                ctx.raise();
                return null;
            };
        }

        /// The value for field `j` of class `k` (construction, assignment); the path starts at the attribute.
        pub fn field(ctx: *Ctx, st: *M.State, k: u16, j: usize, v: *c.PyObject) Fail!*c.PyObject {
            const f = &spec.classes[k].fields[j];
            var cv: Self = .{ .ctx = ctx, .st = st };
            return cv.value(f.node, v) catch |e| {
                ctx.pushKey(f.attr);
                return e;
            };
        }

        /// Check a decoded value against the node's composition keywords.
        pub fn composition(ctx: *Ctx, st: *M.State, n: u16, v: *c.PyObject, pos: ?usize) Fail!void {
            var cv: Self = .{ .ctx = ctx, .st = st, .pos = pos };
            try cv.allOfNot(n, v);
            try cv.checkAnyOf(n, v);
            try cv.checkOneOf(n, v);
        }

        pub fn compositionExcept(ctx: *Ctx, st: *M.State, n: u16, v: *c.PyObject, pos: ?usize, skip: Which) Fail!void {
            var cv: Self = .{ .ctx = ctx, .st = st, .pos = pos };
            try cv.allOfNot(n, v);
            if (skip != .any_of) try cv.checkAnyOf(n, v);
            if (skip != .one_of) try cv.checkOneOf(n, v);
        }

        fn allOfNot(cv: *Self, n: u16, v: *c.PyObject) Fail!void {
            const node = &spec.nodes[n];
            for (node.all_of) |b| c.decref(try cv.value(b, v));
            if (node.not) |b| {
                if (cv.value(b, v)) |r| {
                    c.decref(r);
                    return cv.ctx.invalid("not", c.PyUnicode_FromFormat("%R must not be valid under the 'not' schema", v), cv.pos);
                } else |e| {
                    if (cv.ctx.kind != .validation) return e;
                    cv.ctx.reset();
                }
            }
        }

        /// How many of `branches` accept `v` (stopping at `limit`); the first result in `first`.
        fn count(cv: *Self, branches: []const u16, v: *c.PyObject, limit: usize, first: ?*?*c.PyObject) Fail!usize {
            var n: usize = 0;
            for (branches) |b| {
                if (n < limit) {
                    if (cv.value(b, v)) |r| {
                        n += 1;
                        if (first) |f| {
                            if (f.* == null) f.* = r else c.decref(r);
                        } else c.decref(r);
                    } else |e| {
                        if (cv.ctx.kind != .validation) return e;
                        cv.ctx.reset();
                    }
                }
            }
            return n;
        }

        fn checkAnyOf(cv: *Self, n: u16, v: *c.PyObject) Fail!void {
            const node = &spec.nodes[n];
            if (node.any_of.len == 0) return;
            if (try cv.count(node.any_of, v, 1, null) == 0)
                return cv.ctx.invalid("anyOf", c.PyUnicode_FromFormat("%R is not valid under any of the given schemas", v), cv.pos);
        }

        fn checkOneOf(cv: *Self, n: u16, v: *c.PyObject) Fail!void {
            const node = &spec.nodes[n];
            if (node.one_of.len == 0) return;
            const m = try cv.count(node.one_of, v, 2, null);
            if (m == 0) return cv.ctx.invalid("oneOf", c.PyUnicode_FromFormat("%R is not valid under any of the given schemas", v), cv.pos);
            if (m > 1) return cv.ctx.invalid("oneOf", c.PyUnicode_FromFormat("%R is valid under more than one of the given schemas", v), cv.pos);
        }

        pub fn value(cv: *Self, n: u16, v: *c.PyObject) Fail!*c.PyObject {
            const node = &spec.nodes[n];
            if (node.never) return cv.ctx.invalid("false", c.PyUnicode_FromFormat("False schema does not allow %R", v), cv.pos);
            if (M.flags[n].pure_composition) {
                const which: Which = if (node.any_of.len > 0) .any_of else .one_of;
                const branches = if (which == .any_of) node.any_of else node.one_of;
                var first: ?*c.PyObject = null;
                errdefer c.xdecref(first);
                const m = try cv.count(branches, v, if (which == .any_of) 1 else 2, &first);
                if (m == 0) return cv.ctx.invalid(if (which == .any_of) "anyOf" else "oneOf", c.PyUnicode_FromFormat("%R is not valid under any of the given schemas", v), cv.pos);
                if (m > 1) return cv.ctx.invalid("oneOf", c.PyUnicode_FromFormat("%R is valid under more than one of the given schemas", v), cv.pos);
                const r = first.?;
                first = null;
                errdefer c.decref(r);
                try compositionExcept(cv.ctx, cv.st, n, r, cv.pos, which);
                return r;
            }
            const r = try cv.own(n, v);
            if (M.flags[n].composition) {
                errdefer c.decref(r);
                try composition(cv.ctx, cv.st, n, r, cv.pos);
            }
            return r;
        }

        noinline fn typeError(cv: *Self, n: u16, v: *c.PyObject) Fail {
            return cv.ctx.invalid("type", c.PyUnicode_FromFormat("%R is not of type %s", v, M.type_lists[n].ptr), cv.pos);
        }

        fn checkEnum(cv: *Self, n: u16, r: *c.PyObject) Fail!void {
            if (spec.nodes[n].enum_values != null) try M.enumCheck(cv.ctx, cv.st, n, r, cv.pos);
        }

        fn withEnum(cv: *Self, n: u16, r: *c.PyObject) Fail!*c.PyObject {
            cv.checkEnum(n, r) catch |e| {
                c.decref(r);
                return e;
            };
            return r;
        }

        /// Which of the module's classes `v` is an instance of (exact type), if any.
        pub fn classOf(st: *M.State, v: *c.PyObject) ?u16 {
            return M.classIndex(st, v.ob_type);
        }

        fn own(cv: *Self, n: u16, v: *c.PyObject) Fail!*c.PyObject {
            const node = &spec.nodes[n];
            const t = node.types;
            if (v == c.none()) {
                if (t.none) return cv.withEnum(n, c.newref(v));
            } else if (checks.isBool(v)) {
                if (t.boolean) return cv.withEnum(n, c.newref(v));
            } else if (checks.isInt(v)) {
                if (t.integer or t.number) {
                    // an int stays an exact int in a number node too (as json does)
                    const r = if (v.ob_type == c.PyLong_Type) c.newref(v) else c.PyNumber_Index(v) orelse return cv.ctx.python();
                    errdefer c.decref(r);
                    if (M.flags[n].number_checks) try checks.number(node, cv.ctx, r, checks.numOf(r), cv.pos);
                    try cv.checkEnum(n, r);
                    return r;
                }
            } else if (checks.isFloat(v)) {
                const f = c.PyFloat_AsDouble(v);
                if ((t.number or t.integer) and !std.math.isFinite(f)) return checks.notFinite(cv.ctx, v, cv.pos);
                if (t.number or (t.integer and std.math.isFinite(f) and @floor(f) == f)) {
                    const r = if (t.number) (if (v.ob_type == c.PyFloat_Type) c.newref(v) else c.PyFloat_FromDouble(f) orelse return cv.ctx.python()) else c.PyLong_FromDouble(f) orelse return cv.ctx.python();
                    errdefer c.decref(r);
                    if (M.flags[n].number_checks) try checks.number(node, cv.ctx, r, checks.numOf(r), cv.pos);
                    try cv.checkEnum(n, r);
                    return r;
                }
            } else if (checks.isStr(v)) {
                if (t.string) {
                    if (M.flags[n].string_checks) {
                        var len: c.Py_ssize_t = 0;
                        var utf8: ?[]const u8 = null;
                        if (node.format != .none) {
                            if (c.PyUnicode_AsUTF8AndSize(v, &len)) |p| utf8 = p[0..@intCast(len)] else c.PyErr_Clear();
                        }
                        try checks.string(node, cv.ctx, &cv.st.patterns, &M.programs, v, @intCast(c.PyUnicode_GetLength(v)), utf8, cv.pos);
                    }
                    return cv.withEnum(n, c.newref(v));
                }
            } else if (checks.isList(v) or checks.isTuple(v)) {
                if (t.array) return cv.withEnum(n, try cv.array(n, v));
            } else if (classOf(cv.st, v)) |vk| {
                if (t.object) {
                    if (node.class) |k| {
                        if (vk == k) return cv.withEnum(n, c.newref(v));
                    } else if (node.values == null and node.min_properties == null and node.max_properties == null) {
                        return cv.withEnum(n, c.newref(v));
                    }
                    // Another class's instance where this node wants its own shape: check its JSON form.
                    const as_dict = M.Encoder.toPlain(cv.st, v) catch return cv.ctx.python();
                    defer c.decref(as_dict);
                    return cv.own(n, as_dict);
                }
            } else if (checks.isDict(v) or c.PyMapping_Check(v) != 0) {
                if (t.object) {
                    if (node.class) |k| {
                        const o = try cv.mapping(k, v);
                        errdefer c.decref(o);
                        if (node.min_properties != null or node.max_properties != null)
                            try checks.properties(node.min_properties, node.max_properties, cv.ctx, M.Classes.propertyCount(k, o), cv.pos);
                        try cv.checkEnum(n, o);
                        return o;
                    }
                    return cv.withEnum(n, try cv.dict(n, v));
                }
            }
            return cv.typeError(n, v);
        }

        fn array(cv: *Self, n: u16, v: *c.PyObject) Fail!*c.PyObject {
            const node = &spec.nodes[n];
            // A recursive schema can meet a deeply nested value: RecursionError, not a C stack overflow.
            if (c.Py_EnterRecursiveCall(" while converting a list") != 0) return cv.ctx.python();
            defer c.Py_LeaveRecursiveCall();
            const l = try cv.listOf(node, v);
            errdefer c.decref(l);
            if (M.flags[n].array_checks) try checks.array(node, cv.ctx, l, cv.pos);
            return l;
        }

        /// A list of sequence `v`'s items, each converted by `node`'s item keywords (plain values
        /// without a node).
        fn listOf(cv: *Self, node: ?*const Node, v: *c.PyObject) Fail!*c.PyObject {
            // A tuple snapshot: converting an item runs Python code (__index__, mappings' items()) that could change a list.
            const snap = try cv.snapshot(v);
            defer c.decref(snap);
            const len: usize = @intCast(c.varSize(snap));
            const src = c.tupleSeq(snap);
            const l = c.PyList_New(@intCast(len)) orelse return cv.ctx.python();
            errdefer c.decref(l);
            for (0..len) |i| {
                c.listInit(l, i, (if (node) |nd| cv.item(nd, i, src.get(i)) else cv.plain(src.get(i))) catch |e| {
                    cv.ctx.pushIndex(i);
                    return e;
                });
            }
            return l;
        }

        inline fn item(cv: *Self, node: *const Node, i: usize, x: *c.PyObject) Fail!*c.PyObject {
            if (i < node.prefix_items.len) return cv.value(node.prefix_items[i], x);
            if (node.items) |it| return cv.value(it, x);
            return cv.plain(x);
        }

        /// A value for a node without keywords: any JSON-shaped Python value, copied into
        /// plain lists and dicts (tuples become lists).
        pub fn plain(cv: *Self, x: *c.PyObject) Fail!*c.PyObject {
            if (x == c.none() or checks.isBool(x) or checks.isStr(x) or classOf(cv.st, x) != null) return c.newref(x);
            if (checks.isInt(x)) return if (x.ob_type == c.PyLong_Type) c.newref(x) else c.PyNumber_Index(x) orelse cv.ctx.python();
            if (checks.isFloat(x)) {
                if (!std.math.isFinite(c.PyFloat_AsDouble(x))) return checks.notFinite(cv.ctx, x, cv.pos);
                return c.newref(x);
            }
            if (c.Py_EnterRecursiveCall(" while converting a value") != 0) return cv.ctx.python();
            defer c.Py_LeaveRecursiveCall();
            if (checks.isList(x) or checks.isTuple(x)) return cv.listOf(null, x);
            if (checks.isDict(x) or c.PyMapping_Check(x) != 0) return cv.dictOf(null, x);
            return cv.ctx.invalid("type", c.PyUnicode_FromFormat("%R is not a JSON value (%s)", x, c.typeNameOf(x)), cv.pos);
        }

        fn snapshot(cv: *Self, v: *c.PyObject) Fail!*c.PyObject {
            if (v.ob_type == c.PyTuple_Type) return c.newref(v);
            return c.PySequence_Tuple(v) orelse cv.ctx.python();
        }

        /// A snapshot of a mapping's (key, value) pairs, each held: converting a value can run
        /// Python code, which must not see (or break) an iteration in progress.  A dict is read
        /// with PyDict_Next (no tuples made); another mapping through its items().
        const Pairs = struct {
            buf: [32]*c.PyObject = undefined,
            heap: ?[*]*c.PyObject = null,
            n: usize = 0,

            fn items(self: *Pairs) [*]*c.PyObject {
                return self.heap orelse &self.buf;
            }
            fn key(self: *Pairs, i: usize) *c.PyObject {
                return self.items()[2 * i];
            }
            fn val(self: *Pairs, i: usize) *c.PyObject {
                return self.items()[2 * i + 1];
            }
            fn reserve(self: *Pairs, n: usize) bool {
                if (2 * n <= self.buf.len) return true;
                self.heap = @ptrCast(@alignCast(c.PyMem_RawMalloc(2 * n * @sizeOf(*c.PyObject)) orelse {
                    _ = c.PyErr_NoMemory();
                    return false;
                }));
                return true;
            }
            fn deinit(self: *Pairs) void {
                for (self.items()[0 .. 2 * self.n]) |o| c.decref(o);
                if (self.heap) |h| c.PyMem_RawFree(@ptrCast(h));
            }
        };

        fn pairsOf(cv: *Self, m: *c.PyObject, out: *Pairs) Fail!void {
            if (m.ob_type == c.PyDict_Type) {
                const n: usize = @intCast(c.PyDict_Size(m));
                if (!out.reserve(n)) return cv.ctx.python();
                var pos: c.Py_ssize_t = 0;
                var k: ?*c.PyObject = null;
                var v: ?*c.PyObject = null;
                while (out.n < n and c.PyDict_Next(m, &pos, &k, &v) != 0) : (out.n += 1) {
                    out.items()[2 * out.n] = c.newref(k.?);
                    out.items()[2 * out.n + 1] = c.newref(v.?);
                }
                return;
            }
            const l = try cv.itemsOf(m);
            defer c.decref(l);
            const n: usize = @intCast(c.varSize(l));
            if (!out.reserve(n)) return cv.ctx.python();
            for (0..n) |i| {
                const pair = c.listItem(l, i);
                out.items()[2 * i] = c.newref(c.tupleItem(pair, 0));
                out.items()[2 * i + 1] = c.newref(c.tupleItem(pair, 1));
                out.n = i + 1;
            }
        }

        /// `(key, value)` pairs of a dict or a mapping, as a list of 2-tuples.
        fn itemsOf(cv: *Self, m: *c.PyObject) Fail!*c.PyObject {
            const items = c.PyMapping_Items(m) orelse return cv.ctx.python();
            if (!checks.isList(items)) {
                c.decref(items);
                _ = c.PyErr_Format(c.exc("TypeError"), "%s.items() did not return a list", c.typeNameOf(m));
                return cv.ctx.python();
            }
            for (0..@intCast(c.varSize(items))) |i| {
                const p = c.listItem(items, i);
                if (!checks.isTuple(p) or c.varSize(p) != 2) {
                    c.decref(items);
                    c.PyErr_SetString(c.exc("TypeError"), "mapping items must be (key, value) pairs");
                    return cv.ctx.python();
                }
            }
            return items;
        }

        fn dict(cv: *Self, n: u16, v: *c.PyObject) Fail!*c.PyObject {
            const node = &spec.nodes[n];
            if (c.Py_EnterRecursiveCall(" while converting a dict") != 0) return cv.ctx.python();
            defer c.Py_LeaveRecursiveCall();
            const d = try cv.dictOf(node.values, v);
            errdefer c.decref(d);
            try checks.properties(node.min_properties, node.max_properties, cv.ctx, @intCast(c.PyDict_Size(d)), cv.pos);
            return d;
        }

        /// A dict of mapping `m`'s items (keys must be str), each value converted by node
        /// `values` (plain values without one).
        fn dictOf(cv: *Self, values: ?u16, m: *c.PyObject) Fail!*c.PyObject {
            const d = c.PyDict_New() orelse return cv.ctx.python();
            errdefer c.decref(d);
            var pairs: Pairs = .{};
            defer pairs.deinit();
            try cv.pairsOf(m, &pairs);
            for (0..pairs.n) |i| {
                const key = pairs.key(i);
                if (!checks.isStr(key)) return cv.ctx.invalid("type", c.PyUnicode_FromFormat("key %R is not a string", key), cv.pos);
                const x = pairs.val(i);
                const val = (if (values) |vn| cv.value(vn, x) else cv.plain(x)) catch |e| {
                    cv.ctx.pushKeyObject(key);
                    return e;
                };
                defer c.decref(val);
                if (c.PyDict_SetItem(d, key, val) < 0) return cv.ctx.python();
            }
            return d;
        }

        fn classValue(cv: *Self, k: u16, v: *c.PyObject) Fail!*c.PyObject {
            if (classOf(cv.st, v)) |vk| {
                if (vk == k) return c.newref(v);
            }
            if (checks.isDict(v) or (c.PyMapping_Check(v) != 0 and !checks.isList(v) and !checks.isTuple(v) and !checks.isStr(v)))
                return cv.mapping(k, v);
            return cv.ctx.invalid("type", c.PyUnicode_FromFormat("%R is not of type 'object'", v), cv.pos);
        }

        /// An instance of class `k` from a mapping keyed by JSON property names.
        fn mapping(cv: *Self, k: u16, m: *c.PyObject) Fail!*c.PyObject {
            const cls = &spec.classes[k];
            const K = M.Classes;
            if (classOf(cv.st, m) != null) {
                const p = M.Encoder.toPlain(cv.st, m) catch return cv.ctx.python();
                defer c.decref(p);
                return cv.mapping(k, p);
            }
            if (c.Py_EnterRecursiveCall(" while converting a mapping") != 0) return cv.ctx.python();
            defer c.Py_LeaveRecursiveCall();
            const o = K.alloc(@ptrCast(cv.st.types[k].?), k) orelse return cv.ctx.python();
            errdefer c.decref(o);
            var pairs: Pairs = .{};
            defer pairs.deinit();
            try cv.pairsOf(m, &pairs);
            var next: usize = 0;
            for (0..pairs.n) |i| {
                const key = pairs.key(i);
                const x = pairs.val(i);
                if (!checks.isStr(key)) return cv.ctx.invalid("type", c.PyUnicode_FromFormat("key %R is not a string", key), cv.pos);
                var len: c.Py_ssize_t = 0;
                const kp = c.PyUnicode_AsUTF8AndSize(key, &len) orelse return cv.ctx.python();
                const idx = K.fieldIndex(cls, kp[0..@intCast(len)], next);
                if (idx) |fi| {
                    next = fi + 1;
                    const f = &cls.fields[fi];
                    const val = cv.value(f.node, x) catch |e| {
                        cv.ctx.pushKey(f.key);
                        return e;
                    };
                    K.store(o, fi + 1, val);
                } else {
                    if (cls.additional == .forbid) return K.unexpected(cv.ctx, key, cv.pos);
                    const val = (if (cls.additional_node) |an| cv.value(an, x) else cv.plain(x)) catch |e| {
                        cv.ctx.pushKeyObject(key);
                        return e;
                    };
                    defer c.decref(val);
                    try K.storeExtra(cv.ctx, o, key, val);
                }
            }
            try K.finish(cv.ctx, cv.st, k, o, cv.pos);
            return o;
        }
    };
}
