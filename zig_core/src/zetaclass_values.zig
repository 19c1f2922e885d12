//! What a zetaclass field accepts, and reading small values straight from CPython objects.
//!
//! Used by src/zetaclass.zig on its construction, assignment and hash paths.  The inline reads
//! (an int's digit count, a str's cached hash) rely on the object layouts of CPython 3.10-3.13
//! on 64-bit targets, where each is checked by tests/test_zetaclass.py; elsewhere they defer
//! to the C-API.
const c = @import("capi.zig");
const Kind = @import("zetaclass.zig").Kind;

pub inline fn hasFlag(v: *c.PyObject, flag: c_ulong) bool {
    return c.typeFlags(v.ob_type) & flag != 0;
}

/// A new reference to what a field of `kind` stores for `v`, or null with an exception set
/// ("Point.x must be int, not str").  `nested`: the zetaclass a `.nested` field holds.
pub fn accept(comptime kind: Kind, comptime optional: bool, comptime type_name: [:0]const u8, nested: ?*c.PyObject, v: *c.PyObject, comptime what: [:0]const u8) ?*c.PyObject {
    if (optional and v == c.none()) return c.newref(v);
    switch (kind) {
        .any => return c.newref(v),
        .int => {
            if (v.ob_type == c.PyLong_Type and fewDigits(v)) return c.newref(v);
            if (hasFlag(v, c.Py_TPFLAGS_LONG_SUBCLASS)) {
                if (!fitsI64(v, what)) return null;
                return c.newref(v);
            }
            if (v.ob_type != c.PyFloat_Type and !c.isInstance(v, c.PyFloat_Type) and c.PyIndex_Check(v) != 0) {
                const i = c.PyNumber_Index(v) orelse return null; // numpy integers and other __index__ types
                if (!fitsI64(i, what)) {
                    c.decref(i);
                    return null;
                }
                return i;
            }
        },
        .float => if (v.ob_type == c.PyFloat_Type or hasFlag(v, c.Py_TPFLAGS_LONG_SUBCLASS) or c.isInstance(v, c.PyFloat_Type)) return c.newref(v),
        .bool => if (v.ob_type == c.PyBool_Type) return c.newref(v),
        .str => if (hasFlag(v, c.Py_TPFLAGS_UNICODE_SUBCLASS)) return c.newref(v),
        .bytes => if (hasFlag(v, c.Py_TPFLAGS_BYTES_SUBCLASS)) return c.newref(v),
        .nested => if (nested) |t| {
            if (c.isInstance(v, @ptrCast(t))) return c.newref(v);
        },
    }
    _ = c.PyErr_Format(c.exc("TypeError"), "%s must be %s, not %s", what.ptr, type_name.ptr, c.typeNameOf(v));
    return null;
}

/// An exact int of at most two 30-bit digits (< 2**60) fits an i64 without asking CPython.
/// The digit count is ob_size before 3.12 and lv_tag >> 3 from 3.12 (both right after the
/// object header).
pub inline fn fewDigits(v: *c.PyObject) bool {
    if (comptime c.limited_api) return false; // abi3: int internals are not in the stable ABI; CPython checks
    const word = @as(*const isize, @ptrCast(@alignCast(@as([*]u8, @ptrCast(v)) + @sizeOf(c.PyObject)))).*;
    if (comptime c.py_minor >= 12) return (@as(usize, @bitCast(word)) >> 3) <= 2;
    return word >= -2 and word <= 2;
}

fn fitsI64(v: *c.PyObject, comptime what: [:0]const u8) bool {
    var overflow: c_int = 0;
    const x = c.PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow != 0) {
        _ = c.PyErr_Format(c.exc("OverflowError"), "%s does not fit in a 64-bit signed integer (%R); an int field holds -2**63 .. 2**63-1", what.ptr, v);
        return false;
    }
    return !(x == -1 and c.PyErr_Occurred() != null);
}

/// hash() of an exact str whose hash is cached, or of an exact int below 2**60, read from
/// the object (3.10-3.13 layouts: str's hash and int's digits follow a 24-byte head);
/// null: ask CPython.
pub inline fn fastHash(x: *c.PyObject) ?c.Py_hash_t {
    if (comptime c.limited_api or c.py_minor < 10 or c.py_minor > 13 or @sizeOf(usize) != 8) return null;
    const base: [*]const u8 = @ptrCast(x);
    if (x.ob_type == c.PyUnicode_Type) {
        const h = @as(*const c.Py_hash_t, @ptrCast(@alignCast(base + 24))).*;
        return if (h == -1) null else h;
    }
    if (x.ob_type == c.PyLong_Type and fewDigits(x)) {
        const word = @as(*const isize, @ptrCast(@alignCast(base + 16))).*;
        const ndigits: usize, const negative: bool = if (comptime c.py_minor >= 12)
            .{ @as(usize, @bitCast(word)) >> 3, (word & 3) == 2 }
        else
            .{ @abs(word), word < 0 };
        const digits: [*]const u32 = @ptrCast(@alignCast(base + 24));
        var v: i64 = 0;
        if (ndigits >= 1) v = digits[0];
        if (ndigits == 2) v |= @as(i64, digits[1]) << 30;
        if (negative) v = -v;
        return if (v == -1) -2 else v; // |v| < 2**60 < the hash modulus 2**61-1
    }
    return null;
}
