//! The value keywords of a node, checked on Python values (shared by the decoder and the
//! validator of Python values): string lengths, pattern and format; number bounds and
//! multipleOf; array sizes and uniqueness; enum/const with JSON equality.
const std = @import("std");
const c = @import("../capi.zig");
const spec_types = @import("spec.zig");
const formats = @import("formats.zig");
const pattern = @import("pattern.zig");
const context = @import("context.zig");
const Node = spec_types.Node;
const Ctx = context.Ctx;
const Fail = context.Fail;

pub inline fn isBool(v: *c.PyObject) bool {
    return v.ob_type == c.PyBool_Type;
}
pub inline fn isInt(v: *c.PyObject) bool {
    return v.ob_type == c.PyLong_Type or (v.ob_type != c.PyBool_Type and c.typeFlags(v.ob_type) & c.Py_TPFLAGS_LONG_SUBCLASS != 0);
}
pub inline fn isFloat(v: *c.PyObject) bool {
    return v.ob_type == c.PyFloat_Type or c.isInstance(v, c.PyFloat_Type);
}
pub inline fn isStr(v: *c.PyObject) bool {
    return c.typeFlags(v.ob_type) & c.Py_TPFLAGS_UNICODE_SUBCLASS != 0;
}
pub inline fn isList(v: *c.PyObject) bool {
    return c.typeFlags(v.ob_type) & c.Py_TPFLAGS_LIST_SUBCLASS != 0;
}
pub inline fn isTuple(v: *c.PyObject) bool {
    return c.typeFlags(v.ob_type) & c.Py_TPFLAGS_TUPLE_SUBCLASS != 0;
}
pub inline fn isDict(v: *c.PyObject) bool {
    return c.typeFlags(v.ob_type) & c.Py_TPFLAGS_DICT_SUBCLASS != 0;
}

pub fn hasStringChecks(n: *const Node) bool {
    return n.min_length != null or n.max_length != null or n.pattern != null or n.format != .none;
}
pub fn hasNumberChecks(n: *const Node) bool {
    return n.minimum != null or n.maximum != null or n.exclusive_minimum != null or n.exclusive_maximum != null or n.multiple_of != null;
}
pub fn hasArrayChecks(n: *const Node) bool {
    return n.min_items != null or n.max_items != null or n.unique_items;
}

/// "'integer'", "'string', 'null'": the accepted types as jsonschema lists them.
pub fn typeList(comptime n: Node) [:0]const u8 {
    comptime {
        var s: []const u8 = "";
        const t = n.types;
        const all = [_]struct { bool, []const u8 }{
            .{ t.object, "object" },                 .{ t.array, "array" },     .{ t.string, "string" }, .{ t.number, "number" },
            .{ t.integer and !t.number, "integer" }, .{ t.boolean, "boolean" }, .{ t.none, "null" },
        };
        for (all) |e| {
            if (e[0]) s = s ++ (if (s.len == 0) "" else ", ") ++ "'" ++ e[1] ++ "'";
        }
        if (s.len == 0) s = "nothing";
        const out = (s ++ "\x00")[0..s.len :0];
        return out;
    }
}

/// A schema bound for a message: `0`, `2.5`, `1e+300` (integral values without ".0").
fn boundText(b: f64) ?*c.PyObject {
    if (@floor(b) == b and @abs(b) < 1e16) return c.PyUnicode_FromFormat("%lld", @as(c_longlong, @intFromFloat(b)));
    const s = c.PyOS_double_to_string(b, 'r', 0, 0, null) orelse return null;
    defer c.PyMem_Free(s);
    return c.PyUnicode_FromString(s);
}

fn boundFail(ctx: *Ctx, rule: [:0]const u8, fmt: [*:0]const u8, v: *c.PyObject, b: f64, pos: ?usize) Fail {
    const bt = boundText(b) orelse return ctx.python();
    defer c.decref(bt);
    return ctx.invalid(rule, c.PyUnicode_FromFormat(fmt, v, bt), pos);
}

pub const Patterns = []const ?*c.PyObject;

/// minLength/maxLength (code points), pattern (`re.search`), format.
pub fn string(n: *const Node, ctx: *Ctx, patterns: Patterns, programs: []const ?pattern.Program, v: *c.PyObject, nchars: usize, utf8: ?[]const u8, pos: ?usize) Fail!void {
    if (n.min_length) |m| if (nchars < m) return ctx.invalid("minLength", c.PyUnicode_FromFormat("length %zu < minLength %u", nchars, @as(c_uint, m)), pos);
    if (n.max_length) |m| if (nchars > m) return ctx.invalid("maxLength", c.PyUnicode_FromFormat("length %zu > maxLength %u", nchars, @as(c_uint, m)), pos);
    if (n.pattern) |p| {
        const matched = blk: {
            if (programs[p]) |*prog| {
                // ASCII text (as many bytes as characters): the native matcher's verdict is re's.
                var bytes = utf8;
                if (bytes == null) {
                    var len: c.Py_ssize_t = 0;
                    if (c.PyUnicode_AsUTF8AndSize(v, &len)) |ptr| bytes = ptr[0..@intCast(len)] else c.PyErr_Clear();
                }
                if (bytes) |b| if (b.len == nchars) break :blk pattern.search(prog, b);
            }
            const argv = [_]*c.PyObject{v};
            const r = c.call(patterns[p].?, &argv) orelse return ctx.python();
            defer c.decref(r);
            break :blk r != c.none();
        };
        if (!matched) {
            const src = c.PyObject_GetAttrString(c.PyObject_GetAttrString(patterns[p].?, "__self__") orelse return ctx.python(), "pattern") orelse return ctx.python();
            defer c.decref(src);
            return ctx.invalid("pattern", c.PyUnicode_FromFormat("%R does not match %R", v, src), pos);
        }
    }
    if (n.format != .none) {
        const ok = if (utf8) |u| formats.valid(n.format, u) else false;
        if (!ok) return ctx.invalid("format", c.PyUnicode_FromFormat("%R is not a '%s'", v, formats.name(n.format).ptr), pos);
    }
}

/// A number's value as the checks read it: exact int, float, or a Python int beyond i64.
pub const NumVal = union(enum) { int: i64, float: f64, big: void };

const exact_limit: i64 = 1 << 53;

/// -1, 0, 1 as `v` compares with `b` (exactly, as Python compares int with float); null: error.
/// `exact`: the bound's decimal text when it is an integer a double cannot hold.
fn cmp(v: *c.PyObject, num: NumVal, b: f64, exact: ?[:0]const u8) ?i2 {
    if (exact == null) switch (num) {
        .float => |f| return if (f < b) -1 else if (f > b) 1 else 0,
        .int => |i| if (i > -exact_limit and i < exact_limit) {
            const f: f64 = @floatFromInt(i);
            return if (f < b) -1 else if (f > b) 1 else 0;
        },
        .big => {},
    };
    const bo = (if (exact) |e| c.PyLong_FromString(e.ptr, null, 10) else c.PyFloat_FromDouble(b)) orelse return null;
    defer c.decref(bo);
    const lt = c.PyObject_RichCompareBool(v, bo, c.Py_LT);
    if (lt < 0) return null;
    if (lt == 1) return -1;
    const gt = c.PyObject_RichCompareBool(v, bo, c.Py_GT);
    if (gt < 0) return null;
    return if (gt == 1) 1 else 0;
}

fn boundFailExact(ctx: *Ctx, rule: [:0]const u8, fmt: [*:0]const u8, v: *c.PyObject, b: f64, exact: ?[:0]const u8, pos: ?usize) Fail {
    if (exact) |e| {
        const bt = c.PyUnicode_FromString(e.ptr) orelse return ctx.python();
        defer c.decref(bt);
        return ctx.invalid(rule, c.PyUnicode_FromFormat(fmt, v, bt), pos);
    }
    return boundFail(ctx, rule, fmt, v, b, pos);
}

pub fn number(n: *const Node, ctx: *Ctx, v: *c.PyObject, num: NumVal, pos: ?usize) Fail!void {
    if (n.minimum) |b| if ((cmp(v, num, b, n.minimum_exact) orelse return ctx.python()) < 0) return boundFailExact(ctx, "minimum", "%R < minimum %U", v, b, n.minimum_exact, pos);
    if (n.maximum) |b| if ((cmp(v, num, b, n.maximum_exact) orelse return ctx.python()) > 0) return boundFailExact(ctx, "maximum", "%R > maximum %U", v, b, n.maximum_exact, pos);
    if (n.exclusive_minimum) |b| if ((cmp(v, num, b, n.exclusive_minimum_exact) orelse return ctx.python()) <= 0) return boundFailExact(ctx, "exclusiveMinimum", "%R <= exclusiveMinimum %U", v, b, n.exclusive_minimum_exact, pos);
    if (n.exclusive_maximum) |b| if ((cmp(v, num, b, n.exclusive_maximum_exact) orelse return ctx.python()) >= 0) return boundFailExact(ctx, "exclusiveMaximum", "%R >= exclusiveMaximum %U", v, b, n.exclusive_maximum_exact, pos);
    if (n.multiple_of) |m| {
        const ok = multipleOf(v, num, m) orelse return ctx.python();
        if (!ok) return boundFail(ctx, "multipleOf", "%R is not a multiple of %U", v, m, pos);
    }
}

/// Whether the Python int `v` is a multiple of `m`, exactly. A finite double is a/2**k with `a` an
/// odd integer (k may be negative); for k >= 0, v/m = v*2**k/a is an integer iff `a` divides v.
fn intMultipleOf(v: *c.PyObject, m: f64) ?bool {
    const fr = std.math.frexp(m); // m = fr.significand * 2**fr.exponent, 0.5 <= significand < 1
    var a: u64 = @intFromFloat(std.math.ldexp(fr.significand, 53));
    var e: i32 = fr.exponent - 53; // m = a * 2**e
    while (a & 1 == 0) {
        a >>= 1;
        e += 1;
    }
    // integral m (e >= 0): v must be a multiple of a * 2**e; else of a alone
    const d = c.PyLong_FromUnsignedLongLong(a) orelse return null;
    var div = d;
    defer c.decref(div);
    if (e > 0) {
        const sh = c.PyLong_FromLongLong(e) orelse return null;
        defer c.decref(sh);
        div = c.PyNumber_Lshift(d, sh) orelse return null;
        c.decref(d);
    }
    const r = c.PyNumber_Remainder(v, div) orelse return null;
    defer c.decref(r);
    const nz = c.PyObject_IsTrue(r);
    if (nz < 0) return null;
    return nz == 0;
}

/// jsonschema's rule: an exact remainder for an int and an integral divisor; otherwise the quotient
/// must be an integral double, and where that quotient (or the int as a double) overflows, the check
/// is exact (jsonschema falls back to Fraction there): every integer is a multiple of 0.5.
fn multipleOf(v: *c.PyObject, num: NumVal, m: f64) ?bool {
    const integral_m = @floor(m) == m;
    switch (num) {
        .int => |i| {
            if (integral_m and @abs(m) < 9.0e18) return @rem(i, @as(i64, @intFromFloat(m))) == 0;
            if (integral_m) return intMultipleOf(v, m);
            const q = @as(f64, @floatFromInt(i)) / m;
            if (std.math.isFinite(q)) return @floor(q) == q;
            return intMultipleOf(v, m);
        },
        .float => |f| {
            if (!std.math.isFinite(f)) return false;
            const q = f / m;
            if (std.math.isFinite(q)) return @floor(q) == q;
            const o = c.PyLong_FromDouble(f) orelse return null; // a double that large is an integer
            defer c.decref(o);
            return intMultipleOf(o, m);
        },
        .big => {
            if (integral_m) return intMultipleOf(v, m);
            const f = c.PyLong_AsDouble(v);
            if (f == -1.0 and c.PyErr_Occurred() != null) {
                c.PyErr_Clear(); // beyond a double: exact
                return intMultipleOf(v, m);
            }
            const q = f / m;
            if (std.math.isFinite(q)) return @floor(q) == q;
            return intMultipleOf(v, m);
        },
    }
}

/// JSON has no inf or nan: a non-finite float (a literal such as 1e400, or a Python float) is refused.
pub fn notFinite(ctx: *Ctx, v: *c.PyObject, pos: ?usize) Fail {
    return ctx.invalid("type", c.PyUnicode_FromFormat("%R is not a JSON number (JSON has no inf or nan)", v), pos);
}

/// The NumVal of a Python int or float (an int beyond i64 is `.big`).
pub fn numOf(v: *c.PyObject) NumVal {
    if (isFloat(v)) return .{ .float = c.PyFloat_AsDouble(v) };
    var overflow: c_int = 0;
    const i = c.PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow != 0) return .big;
    return .{ .int = i };
}

pub fn array(n: *const Node, ctx: *Ctx, list: *c.PyObject, pos: ?usize) Fail!void {
    const len: usize = @intCast(c.varSize(list));
    if (n.min_items) |m| if (len < m) return ctx.invalid("minItems", c.PyUnicode_FromFormat("length %zu < minItems %u", len, @as(c_uint, m)), pos);
    if (n.max_items) |m| if (len > m) return ctx.invalid("maxItems", c.PyUnicode_FromFormat("length %zu > maxItems %u", len, @as(c_uint, m)), pos);
    if (n.unique_items) {
        const items = c.listSeq(list);
        for (0..len) |i| for (i + 1..len) |j| {
            const eq = jsonEqual(items.get(i), items.get(j)) orelse return ctx.python();
            if (eq) return ctx.invalid("uniqueItems", c.PyUnicode_FromFormat("%R has non-unique elements", list), pos);
        };
    }
}

pub fn properties(rule_min: ?u32, rule_max: ?u32, ctx: *Ctx, count: usize, pos: ?usize) Fail!void {
    if (rule_min) |m| if (count < m) return ctx.invalid("minProperties", c.PyUnicode_FromFormat("%zu properties < minProperties %u", count, @as(c_uint, m)), pos);
    if (rule_max) |m| if (count > m) return ctx.invalid("maxProperties", c.PyUnicode_FromFormat("%zu properties > maxProperties %u", count, @as(c_uint, m)), pos);
}

/// JSON equality: 1 == 1.0, true != 1, arrays and objects deep; null on a Python error.
pub fn jsonEqual(a: *c.PyObject, b: *c.PyObject) ?bool {
    if (a == b) return true;
    if (isBool(a) or isBool(b)) return false; // distinct bools are the two singletons
    if ((isInt(a) or isFloat(a)) and (isInt(b) or isFloat(b))) {
        const r = c.PyObject_RichCompareBool(a, b, c.Py_EQ);
        return if (r < 0) null else r == 1;
    }
    if (isStr(a) and isStr(b)) {
        const r = c.PyObject_RichCompareBool(a, b, c.Py_EQ);
        return if (r < 0) null else r == 1;
    }
    if ((isList(a) or isTuple(a)) and (isList(b) or isTuple(b))) {
        const n = c.varSize(a);
        if (n != c.varSize(b)) return false;
        const ia = if (isList(a)) c.listSeq(a) else c.tupleSeq(a);
        const ib = if (isList(b)) c.listSeq(b) else c.tupleSeq(b);
        for (0..@intCast(n)) |i| {
            if (!(jsonEqual(ia.get(i), ib.get(i)) orelse return null)) return false;
        }
        return true;
    }
    if (isDict(a) and isDict(b)) {
        if (c.PyDict_Size(a) != c.PyDict_Size(b)) return false;
        var pos: c.Py_ssize_t = 0;
        var k: ?*c.PyObject = null;
        var va: ?*c.PyObject = null;
        while (c.PyDict_Next(a, &pos, &k, &va) != 0) {
            const vb = c.PyDict_GetItemWithError(b, k.?) orelse {
                if (c.PyErr_Occurred() != null) return null;
                return false;
            };
            if (!(jsonEqual(va.?, vb) orelse return null)) return false;
        }
        return true;
    }
    if (a == c.none() or b == c.none()) return false;
    const r = c.PyObject_RichCompareBool(a, b, c.Py_EQ);
    return if (r < 0) null else r == 1;
}

/// enum/const: `v` must equal one of `values` (the node's cached enum values).
pub fn enumCheck(ctx: *Ctx, values: []const ?*c.PyObject, v: *c.PyObject, is_const: bool, pos: ?usize) Fail!void {
    for (values) |e| {
        if (jsonEqual(v, e.?) orelse return ctx.python()) return;
    }
    if (is_const) return ctx.invalid("const", c.PyUnicode_FromFormat("%R was expected", values[0].?), pos);
    const l = c.PyList_New(@intCast(values.len)) orelse return ctx.python();
    defer c.decref(l);
    for (values, 0..) |e, i| _ = c.PyList_SetItem(l, @intCast(i), c.newref(e.?));
    return ctx.invalid("enum", c.PyUnicode_FromFormat("%R is not one of %R", v, l), pos);
}
