//! The one-pass decoder: JSON text to validated Python values, directed by the schema's nodes.
//! No intermediate tree: an object node with a class allocates the instance and fills its
//! slots as properties arrive (the next expected key is tried first, keys are compared as
//! bytes, never made into str objects); strings are built in place; enum strings come back as
//! the cached objects; composition (anyOf/oneOf) backtracks to the value's start.
//!
//! The nodes are read from the spec's static tables at run time rather than specialised per
//! node at compile time: one decoder per module whatever the schema's size, so a schema of
//! hundreds of nodes builds in about the time of a small one (a per-node specialisation cost
//! ~1 s of LLVM time per 10 nodes).  The per-node flags the hot path tests are precomputed.
const std = @import("std");
const c = @import("../capi.zig");
const context = @import("context.zig");
const reader = @import("reader.zig");
const checks = @import("checks.zig");
const allocator = @import("../allocator.zig");
const Node = @import("spec.zig").Node;
const Ctx = context.Ctx;
const Fail = context.Fail;
const Input = reader.Input;

/// Nesting deeper than this is a RecursionError, as `json` reports it.
const max_depth = 1000;

/// How `from_json*` reads the text.
pub const Mode = enum { single, array, lines };

/// Own keywords that need nothing beyond composition (the value's shape comes from a branch).
pub fn pureComposition(n: *const Node) bool {
    const t = n.types;
    const all_types = t.none and t.boolean and t.integer and t.number and t.string and t.array and t.object;
    return (n.any_of.len > 0 or n.one_of.len > 0) and all_types and n.class == null and n.enum_values == null and
        !checks.hasStringChecks(n) and !checks.hasNumberChecks(n) and !checks.hasArrayChecks(n) and
        n.prefix_items.len == 0 and n.items == null and n.values == null and n.min_properties == null and n.max_properties == null;
}
pub fn hasComposition(n: *const Node) bool {
    return n.any_of.len > 0 or n.one_of.len > 0 or n.all_of.len > 0 or n.not != null;
}

/// Whether every enum value is a string without escapes: then raw bytes are compared.
fn plainStringEnum(n: *const Node) bool {
    const vals = n.enum_values orelse return false;
    for (vals) |v| {
        if (v.len < 2 or v[0] != '"' or std.mem.indexOfScalar(u8, v, '\\') != null) return false;
    }
    return true;
}

/// The text of a data argument: str (UTF-8), bytes, or any buffer (bytearray, memoryview).
pub const Data = struct {
    bytes: []const u8,
    view: c.Py_buffer = undefined,
    has_view: bool = false,
    owned: ?*c.PyObject = null,

    pub fn get(data: *c.PyObject, comptime fname: [:0]const u8) ?Data {
        if (c.hasFlag(data, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
            var n: c.Py_ssize_t = 0;
            if (c.PyUnicode_AsUTF8AndSize(data, &n)) |p| return .{ .bytes = p[0..@intCast(n)] };
            // Lone surrogates (json accepts them in text): read them in their 3-byte form.
            c.PyErr_Clear();
            const b = c.PyUnicode_AsEncodedString(data, "utf-8", "surrogatepass") orelse return null;
            var ptr: [*:0]u8 = undefined;
            var len: c.Py_ssize_t = 0;
            _ = c.PyBytes_AsStringAndSize(b, &ptr, &len);
            return .{ .bytes = ptr[0..@intCast(len)], .owned = b };
        }
        if (c.hasFlag(data, c.Py_TPFLAGS_BYTES_SUBCLASS)) {
            var ptr: [*:0]u8 = undefined;
            var len: c.Py_ssize_t = 0;
            if (c.PyBytes_AsStringAndSize(data, &ptr, &len) < 0) return null;
            return .{ .bytes = skipBom(ptr[0..@intCast(len)]) };
        }
        if (c.PyObject_CheckBuffer(data) != 0) {
            var d: Data = .{ .bytes = &.{} };
            if (c.PyObject_GetBuffer(data, &d.view, c.PyBUF_SIMPLE) < 0) return null;
            d.has_view = true;
            const v = d.view;
            d.bytes = if (v.len == 0) &.{} else skipBom(@as([*]const u8, @ptrCast(v.buf.?))[0..@intCast(v.len)]);
            return d;
        }
        _ = c.PyErr_Format(c.exc("TypeError"), fname ++ "() argument 'data' must be str, bytes, bytearray or memoryview, not %s", c.typeNameOf(data));
        return null;
    }

    /// Bytes may start with a UTF-8 BOM (files saved by Windows tools): json.loads(bytes) skips it,
    /// and positions count from after it, as there.
    fn skipBom(b: []const u8) []const u8 {
        return if (std.mem.startsWith(u8, b, "\xef\xbb\xbf")) b[3..] else b;
    }

    pub fn release(self: *Data) void {
        if (self.has_view) c.PyBuffer_Release(&self.view);
        c.xdecref(self.owned);
    }
};

/// What the hot path asks of a node, computed once per spec.
pub const NodeFlags = struct {
    pure_composition: bool,
    composition: bool,
    string_checks: bool,
    number_checks: bool,
    array_checks: bool,
    plain_string_enum: bool,
};

pub fn nodeFlags(comptime nodes: []const Node) [nodes.len]NodeFlags {
    var out: [nodes.len]NodeFlags = undefined;
    for (nodes, 0..) |*n, i| out[i] = .{
        .pure_composition = pureComposition(n),
        .composition = hasComposition(n),
        .string_checks = checks.hasStringChecks(n),
        .number_checks = checks.hasNumberChecks(n),
        .array_checks = checks.hasArrayChecks(n),
        .plain_string_enum = plainStringEnum(n),
    };
    return out;
}

pub fn Decoder(comptime M: type) type {
    const spec = M.spec;
    return struct {
        const Self = @This();
        in: Input,
        ctx: *Ctx,
        st: *M.State,
        scratch: std.ArrayList(u8) = .empty,
        depth: u32 = 0,

        const gpa = allocator.python_allocator;

        fn deinit(d: *Self) void {
            d.scratch.deinit(gpa);
        }

        // ---- entry points ----

        /// What an entry point parses: a node's value (module level) or class `k`'s instances.
        const Job = union(enum) { node: u16, class: struct { k: u16, mode: Mode } };

        /// `from_json(data)` against node `n` (module level).
        pub fn fromJson(st: *M.State, data: *c.PyObject, n: u16, comptime fname: [:0]const u8) ?*c.PyObject {
            return decode(st, data, .{ .node = n }, fname);
        }

        /// `Cls.from_json*` for class `k`.
        pub fn fromJsonClass(st: *M.State, data: *c.PyObject, k: u16, mode: Mode, comptime fname: [:0]const u8) ?*c.PyObject {
            return decode(st, data, .{ .class = .{ .k = k, .mode = mode } }, fname);
        }

        /// The input's bytes, the error context and the decoder every entry point sets up the same way.
        inline fn decode(st: *M.State, data: *c.PyObject, job: Job, comptime fname: [:0]const u8) ?*c.PyObject {
            var dt = Data.get(data, fname) orelse return null;
            defer dt.release();
            var ctx = M.newCtx(st);
            ctx.buf = dt.bytes;
            ctx.surrogates = dt.owned != null;
            var d: Self = .{ .in = .{ .buf = dt.bytes }, .ctx = &ctx, .st = st };
            defer d.deinit();
            const r = switch (job) {
                .node => |n| d.nodeTop(n),
                .class => |j| switch (j.mode) {
                    .single => d.classTop(j.k),
                    .array => d.classArray(j.k),
                    .lines => d.classLines(j.k),
                },
            };
            return r catch {
                ctx.raise();
                return null;
            };
        }

        fn end(d: *Self) Fail!void {
            d.in.skipWs();
            if (d.in.pos != d.in.buf.len) return d.ctx.syntax("Extra data", d.in.pos);
        }

        fn nodeTop(d: *Self, n: u16) Fail!*c.PyObject {
            const v = try d.value(n);
            errdefer c.decref(v);
            try d.end();
            return v;
        }

        fn classTop(d: *Self, k: u16) Fail!*c.PyObject {
            const v = try d.classValue(k);
            errdefer c.decref(v);
            try d.end();
            return v;
        }

        /// A class's JSON value must be an object.
        fn classValue(d: *Self, k: u16) Fail!*c.PyObject {
            d.in.skipWs();
            const start = d.in.pos;
            if (d.in.peek() != '{') {
                const v = try reader.anyValue(&d.in, d.ctx, &d.scratch, gpa);
                defer c.decref(v);
                return d.ctx.invalid("type", c.PyUnicode_FromFormat("%R is not of type 'object'", v), start);
            }
            return d.object(k, start);
        }

        fn classArray(d: *Self, k: u16) Fail!*c.PyObject {
            const l = c.PyList_New(0) orelse return d.ctx.python();
            errdefer c.decref(l);
            d.in.skipWs();
            if (d.in.peek() != '[') {
                const start = d.in.pos;
                const v = try reader.anyValue(&d.in, d.ctx, &d.scratch, gpa);
                defer c.decref(v);
                return d.ctx.invalid("type", c.PyUnicode_FromFormat("%R is not of type 'array'", v), start);
            }
            d.in.pos += 1;
            var it = d.in.items(']');
            var i: usize = 0;
            while (try it.next(d.ctx)) : (i += 1) {
                const v = d.classValue(k) catch |e| {
                    d.ctx.pushIndex(i);
                    return e;
                };
                const r = c.PyList_Append(l, v);
                c.decref(v);
                if (r < 0) return d.ctx.python();
            }
            try d.end();
            return l;
        }

        /// One value per line (blank lines skipped); offsets stay those of the whole text so
        /// that messages name the line.
        fn classLines(d: *Self, k: u16) Fail!*c.PyObject {
            const l = c.PyList_New(0) orelse return d.ctx.python();
            errdefer c.decref(l);
            const all = d.in.buf;
            var at: usize = 0;
            while (at < all.len) {
                const nl = std.mem.indexOfScalarPos(u8, all, at, '\n') orelse all.len;
                d.in = .{ .buf = all[0..nl], .pos = at };
                d.in.skipWs();
                if (d.in.pos < nl) {
                    const v = try d.classValue(k);
                    d.in.skipWs();
                    if (d.in.pos != nl) {
                        c.decref(v);
                        return d.ctx.syntax("Extra data", d.in.pos);
                    }
                    const r = c.PyList_Append(l, v);
                    c.decref(v);
                    if (r < 0) return d.ctx.python();
                }
                at = nl + 1;
            }
            return l;
        }

        /// A JSON text from the spec (enum values, defaults) as a plain Python value.
        pub fn plainText(st: *M.State, text: [:0]const u8) ?*c.PyObject {
            var ctx = M.newCtx(st);
            ctx.buf = text;
            var d: Self = .{ .in = .{ .buf = text }, .ctx = &ctx, .st = st };
            defer d.deinit();
            return reader.anyValue(&d.in, &ctx, &d.scratch, gpa) catch {
                ctx.raise();
                return null;
            };
        }

        /// A field's default as the field's node converts it (an object default becomes an
        /// instance); a default the node rejects is kept as plain JSON (jsonschema does not
        /// validate defaults either).
        pub fn defaultValue(st: *M.State, n: u16, text: [:0]const u8) ?*c.PyObject {
            var ctx = M.newCtx(st);
            ctx.buf = text;
            var d: Self = .{ .in = .{ .buf = text }, .ctx = &ctx, .st = st };
            defer d.deinit();
            if (d.value(n)) |v| return v else |_| {
                if (ctx.kind == .python) {
                    ctx.raise();
                    return null;
                }
                ctx.reset();
            }
            return plainText(st, text);
        }

        // ---- values ----

        fn enter(d: *Self) Fail!void {
            d.depth += 1;
            if (d.depth > max_depth) {
                c.PyErr_SetString(c.exc("RecursionError"), "maximum recursion depth exceeded while decoding a JSON document");
                return d.ctx.python();
            }
        }

        pub fn value(d: *Self, n: u16) Fail!*c.PyObject {
            const node = &spec.nodes[n];
            const fl = M.flags[n];
            d.in.skipWs();
            const start = d.in.pos;
            if (node.never) {
                const v = try reader.anyValue(&d.in, d.ctx, &d.scratch, gpa);
                defer c.decref(v);
                return d.ctx.invalid("false", c.PyUnicode_FromFormat("False schema does not allow %R", v), start);
            }
            if (fl.pure_composition) return d.composed(n, start);
            const v = try d.own(n, node, start);
            if (fl.composition) {
                errdefer c.decref(v);
                try M.Converter.composition(d.ctx, d.st, n, v, start);
            }
            return v;
        }

        noinline fn typeError(d: *Self, n: u16, start: usize) Fail {
            d.in.pos = start;
            const v = try reader.anyValue(&d.in, d.ctx, &d.scratch, gpa);
            defer c.decref(v);
            return d.ctx.invalid("type", c.PyUnicode_FromFormat("%R is not of type %s", v, M.type_lists[n].ptr), start);
        }

        inline fn checkEnum(d: *Self, n: u16, v: *c.PyObject, start: usize) Fail!void {
            if (spec.nodes[n].enum_values != null) try M.enumCheck(d.ctx, d.st, n, v, start);
        }

        fn withEnum(d: *Self, n: u16, v: *c.PyObject, start: usize) Fail!*c.PyObject {
            d.checkEnum(n, v, start) catch |e| {
                c.decref(v);
                return e;
            };
            return v;
        }

        fn own(d: *Self, n: u16, node: *const Node, start: usize) Fail!*c.PyObject {
            const t = node.types;
            switch (d.in.peek()) {
                '"' => if (t.string) return d.string(n, node, start),
                '{' => if (t.object) {
                    if (node.class) |k| {
                        const o = try d.object(k, start);
                        errdefer c.decref(o);
                        // The node's own property counts (the class's are checked by the class).
                        if (node.min_properties != null or node.max_properties != null)
                            try checks.properties(node.min_properties, node.max_properties, d.ctx, M.Classes.propertyCount(k, o), start);
                        try d.checkEnum(n, o, start);
                        return o;
                    }
                    return d.dict(n, node, start);
                },
                '[' => if (t.array) return d.array(n, node, start),
                't' => if (t.boolean) {
                    try reader.literal(&d.in, d.ctx, "true");
                    return d.withEnum(n, c.newref(&c._Py_TrueStruct), start);
                },
                'f' => if (t.boolean) {
                    try reader.literal(&d.in, d.ctx, "false");
                    return d.withEnum(n, c.newref(&c._Py_FalseStruct), start);
                },
                'n' => if (t.none) {
                    try reader.literal(&d.in, d.ctx, "null");
                    return d.withEnum(n, c.newref(c.none()), start);
                },
                '-', '0'...'9' => if (t.integer or t.number) return d.number(n, node, start),
                else => return d.ctx.syntax("Expecting value", start),
            }
            return d.typeError(n, start);
        }

        fn string(d: *Self, n: u16, node: *const Node, start: usize) Fail!*c.PyObject {
            const fl = M.flags[n];
            const s = try reader.scanString(&d.in, d.ctx);
            if (fl.plain_string_enum and !s.escaped) {
                for (node.enum_values.?, 0..) |text, i| {
                    if (std.mem.eql(u8, s.raw, text[1 .. text.len - 1])) return c.newref(d.st.enumValues(n)[i].?);
                }
            }
            const v = try reader.makeStr(d.ctx, s, start + 1, &d.scratch, gpa);
            errdefer c.decref(v);
            if (fl.string_checks) {
                const nchars: usize = if (s.ascii and !s.escaped) s.raw.len else @intCast(c.PyUnicode_GetLength(v));
                var utf8: ?[]const u8 = null;
                if (node.format != .none) {
                    if (!s.escaped) utf8 = s.raw else {
                        var len: c.Py_ssize_t = 0;
                        if (c.PyUnicode_AsUTF8AndSize(v, &len)) |p| utf8 = p[0..@intCast(len)] else c.PyErr_Clear();
                    }
                }
                try checks.string(node, d.ctx, &d.st.patterns, &M.programs, v, nchars, utf8, start);
            }
            try d.checkEnum(n, v, start);
            return v;
        }

        fn number(d: *Self, n: u16, node: *const Node, start: usize) Fail!*c.PyObject {
            const t = node.types;
            const num = try reader.scanNumber(&d.in, d.ctx);
            var nv: checks.NumVal = undefined;
            const v: *c.PyObject = blk: {
                if (num.int_only) {
                    // an integer literal stays an exact int in a number node too (exact round trips)
                    if (t.integer or t.number) {
                        const digits = if (num.text[0] == '-') num.text.len - 1 else num.text.len;
                        const o = try reader.intFromDigits(d.ctx, num.text);
                        nv = if (digits <= 18) .{ .int = c.PyLong_AsLongLong(o) } else checks.numOf(o);
                        break :blk o;
                    }
                }
                const f = reader.floatValue(num.text);
                if (t.number) {
                    if (!std.math.isFinite(f)) {
                        const o = c.PyFloat_FromDouble(f) orelse return d.ctx.python();
                        defer c.decref(o);
                        return checks.notFinite(d.ctx, o, start);
                    }
                    nv = .{ .float = f };
                    break :blk c.PyFloat_FromDouble(f) orelse return d.ctx.python();
                }
                // integer only: a zero fraction (1.0) is an integer, as JSON Schema counts.
                if (num.zero_fraction) {
                    const o = try reader.intFromDigits(d.ctx, num.int_digits);
                    nv = checks.numOf(o);
                    break :blk o;
                }
                if (std.math.isFinite(f) and @floor(f) == f) {
                    const o = c.PyLong_FromDouble(f) orelse return d.ctx.python();
                    nv = checks.numOf(o);
                    break :blk o;
                }
                return d.typeError(n, start);
            };
            errdefer c.decref(v);
            if (M.flags[n].number_checks) try checks.number(node, d.ctx, v, nv, start);
            try d.checkEnum(n, v, start);
            return v;
        }

        fn array(d: *Self, n: u16, node: *const Node, start: usize) Fail!*c.PyObject {
            try d.enter();
            defer d.depth -= 1;
            d.in.pos += 1;
            const l = c.PyList_New(0) orelse return d.ctx.python();
            errdefer c.decref(l);
            var it = d.in.items(']');
            var i: usize = 0;
            while (try it.next(d.ctx)) : (i += 1) {
                const x = d.item(node, i) catch |e| {
                    d.ctx.pushIndex(i);
                    return e;
                };
                const r = c.PyList_Append(l, x);
                c.decref(x);
                if (r < 0) return d.ctx.python();
            }
            if (M.flags[n].array_checks) try checks.array(node, d.ctx, l, start);
            try d.checkEnum(n, l, start);
            return l;
        }

        inline fn item(d: *Self, node: *const Node, i: usize) Fail!*c.PyObject {
            if (i < node.prefix_items.len) return d.value(node.prefix_items[i]);
            if (node.items) |it| return d.value(it);
            return reader.anyValue(&d.in, d.ctx, &d.scratch, gpa);
        }

        fn dict(d: *Self, n: u16, node: *const Node, start: usize) Fail!*c.PyObject {
            try d.enter();
            defer d.depth -= 1;
            d.in.pos += 1;
            const o = c.PyDict_New() orelse return d.ctx.python();
            errdefer c.decref(o);
            var it = d.in.items('}');
            while (try it.next(d.ctx)) {
                if (d.in.peek() != '"') return d.ctx.syntax("Expecting property name enclosed in double quotes", d.in.pos);
                const ks = d.in.pos;
                const k = try reader.makeStr(d.ctx, try reader.scanString(&d.in, d.ctx), ks + 1, &d.scratch, gpa);
                defer c.decref(k);
                try d.in.expect(d.ctx, ':', "Expecting ':' delimiter");
                const v = (if (node.values) |vn| d.value(vn) else reader.anyValue(&d.in, d.ctx, &d.scratch, gpa)) catch |e| {
                    d.ctx.pushKeyObject(k);
                    return e;
                };
                defer c.decref(v);
                if (c.PyDict_SetItem(o, k, v) < 0) return d.ctx.python();
            }
            try checks.properties(node.min_properties, node.max_properties, d.ctx, @intCast(c.PyDict_Size(o)), start);
            try d.checkEnum(n, o, start);
            return o;
        }

        /// An instance of class `k`, filled property by property.
        fn object(d: *Self, k: u16, start: usize) Fail!*c.PyObject {
            const cls = &spec.classes[k];
            const K = M.Classes;
            try d.enter();
            defer d.depth -= 1;
            d.in.pos += 1;
            const o = K.alloc(@ptrCast(d.st.types[k].?), k) orelse return d.ctx.python();
            errdefer c.decref(o);
            var next: usize = 0;
            var it = d.in.items('}');
            while (try it.next(d.ctx)) {
                if (d.in.peek() != '"') return d.ctx.syntax("Expecting property name enclosed in double quotes", d.in.pos);
                const ks = d.in.pos;
                const s = try reader.scanString(&d.in, d.ctx);
                const key = if (s.escaped) blk: {
                    try reader.unescape(d.ctx, s, ks + 1, &d.scratch, gpa);
                    break :blk d.scratch.items;
                } else s.raw;
                const idx = K.fieldIndex(cls, key, next);
                try d.in.expect(d.ctx, ':', "Expecting ':' delimiter");
                if (idx) |fi| {
                    next = fi + 1;
                    const f = &cls.fields[fi];
                    const v = d.value(f.node) catch |e| {
                        d.ctx.pushKey(f.key);
                        return e;
                    };
                    K.store(o, fi + 1, v);
                } else {
                    const kobj = try reader.makeStr(d.ctx, s, ks + 1, &d.scratch, gpa);
                    defer c.decref(kobj);
                    if (cls.additional == .forbid) return K.unexpected(d.ctx, kobj, ks);
                    const v = (if (cls.additional_node) |an| d.value(an) else reader.anyValue(&d.in, d.ctx, &d.scratch, gpa)) catch |e| {
                        d.ctx.pushKeyObject(kobj);
                        return e;
                    };
                    defer c.decref(v);
                    try K.storeExtra(d.ctx, o, kobj, v);
                }
            }
            try K.finish(d.ctx, d.st, k, o, start);
            return o;
        }

        /// anyOf/oneOf whose branches give the value its shape: decode each branch from the
        /// value's start; the first match (anyOf) or the only match (oneOf) is the value.
        noinline fn composed(d: *Self, n: u16, start: usize) Fail!*c.PyObject {
            const node = &spec.nodes[n];
            const is_one = node.any_of.len == 0;
            const branches = if (is_one) node.one_of else node.any_of;
            var found: ?*c.PyObject = null;
            errdefer c.xdecref(found);
            var end_pos: usize = start;
            var matches: usize = 0;
            for (branches) |b| {
                if (!is_one and found != null) break;
                d.in.pos = start;
                if (d.value(b)) |v| {
                    matches += 1;
                    end_pos = d.in.pos;
                    if (found == null) found = v else c.decref(v);
                } else |e| {
                    if (d.ctx.kind != .validation) return e;
                    d.ctx.reset();
                }
            }
            if (matches == 0 or (is_one and matches > 1)) {
                d.in.pos = start;
                const v = try reader.anyValue(&d.in, d.ctx, &d.scratch, gpa);
                defer c.decref(v);
                if (matches == 0) return d.ctx.invalid(if (is_one) "oneOf" else "anyOf", c.PyUnicode_FromFormat("%R is not valid under any of the given schemas", v), start);
                return d.ctx.invalid("oneOf", c.PyUnicode_FromFormat("%R is valid under more than one of the given schemas", v), start);
            }
            d.in.pos = end_pos;
            const v = found.?;
            found = null;
            errdefer c.decref(v);
            // The remaining composition keywords check the value made.
            try M.Converter.compositionExcept(d.ctx, d.st, n, v, start, if (is_one) .one_of else .any_of);
            return v;
        }
    };
}
