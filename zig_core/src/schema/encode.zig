//! The encoder: validated Python values to compact JSON text (`to_json`: keys in schema order,
//! extras after, `ensure_ascii=False`, floats as `repr` writes them) and to plain Python data
//! (`to_dict`: JSON property names, nested instances as dicts, absent fields omitted).
const std = @import("std");
const c = @import("../capi.zig");
const checks = @import("checks.zig");
const allocator = @import("../allocator.zig");

pub const Error = error{Python};

/// `"key":` as JSON text, made at compile time.
pub fn keyText(comptime key: []const u8) []const u8 {
    comptime {
        @setEvalBranchQuota(20_000 + 50 * key.len);
        var s: []const u8 = "\"";
        for (key) |ch| {
            s = s ++ switch (ch) {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                0x08 => "\\b",
                0x0C => "\\f",
                0...7, 0x0B, 0x0E...0x1F => std.fmt.comptimePrint("\\u{x:0>4}", .{ch}),
                else => &[_]u8{ch},
            };
        }
        return s ++ "\":";
    }
}

const Buf = struct {
    list: std.ArrayList(u8) = .empty,
    /// A lone surrogate was written (in its 3-byte form): decode the result with surrogatepass.
    surrogates: bool = false,
    /// OR of every string byte written: below 0x80, the text is ASCII and becomes a str by a copy.
    high: u8 = 0,

    const gpa = allocator.python_allocator;

    fn add(b: *Buf, s: []const u8) Error!void {
        b.list.appendSlice(gpa, s) catch {
            _ = c.PyErr_NoMemory();
            return error.Python;
        };
    }
    fn byte(b: *Buf, ch: u8) Error!void {
        b.list.append(gpa, ch) catch {
            _ = c.PyErr_NoMemory();
            return error.Python;
        };
    }
};

const hex = "0123456789abcdef";

/// A JSON string literal for UTF-8 `s`, escaping as json.dumps(ensure_ascii=False) does.
fn writeString(b: *Buf, s: []const u8) Error!void {
    // Reserve the worst case (every byte as \u00XX) once: the loop then writes without checks.
    b.list.ensureUnusedCapacity(Buf.gpa, 6 * s.len + 2) catch {
        _ = c.PyErr_NoMemory();
        return error.Python;
    };
    const out = &b.list;
    out.appendAssumeCapacity('"');
    var i: usize = 0;
    const V = @Vector(16, u8);
    var high: u8 = 0;
    defer b.high |= high;
    while (i < s.len) {
        // The next byte to escape, 16 at a time (one compare and a ctz); the run before it is copied.
        var stop_at = s.len;
        var j = i;
        while (j + 16 <= s.len) : (j += 16) {
            const v: V = s[j..][0..16].*;
            high |= @reduce(.Or, v);
            const stop: u16 = @bitCast((v == @as(V, @splat('"'))) | (v == @as(V, @splat('\\'))) | (v < @as(V, @splat(0x20))));
            if (stop != 0) {
                stop_at = j + @ctz(stop);
                break;
            }
        } else {
            while (j < s.len) : (j += 1) {
                const ch = s[j];
                high |= ch;
                if (ch == '"' or ch == '\\' or ch < 0x20) {
                    stop_at = j;
                    break;
                }
            }
        }
        out.appendSliceAssumeCapacity(s[i..stop_at]);
        if (stop_at == s.len) break;
        const ch = s[stop_at];
        switch (ch) {
            '"' => out.appendSliceAssumeCapacity("\\\""),
            '\\' => out.appendSliceAssumeCapacity("\\\\"),
            '\n' => out.appendSliceAssumeCapacity("\\n"),
            '\r' => out.appendSliceAssumeCapacity("\\r"),
            '\t' => out.appendSliceAssumeCapacity("\\t"),
            0x08 => out.appendSliceAssumeCapacity("\\b"),
            0x0C => out.appendSliceAssumeCapacity("\\f"),
            else => out.appendSliceAssumeCapacity(&[_]u8{ '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] }),
        }
        i = stop_at + 1;
    }
    out.appendAssumeCapacity('"');
}

fn writeStr(b: *Buf, o: *c.PyObject) Error!void {
    var len: c.Py_ssize_t = 0;
    if (c.PyUnicode_AsUTF8AndSize(o, &len)) |p| return writeString(b, p[0..@intCast(len)]);
    // Lone surrogates: json.dumps(ensure_ascii=False) writes them as they are.
    c.PyErr_Clear();
    const bytes = c.PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass") orelse return error.Python;
    defer c.decref(bytes);
    var ptr: [*:0]u8 = undefined;
    _ = c.PyBytes_AsStringAndSize(bytes, &ptr, &len);
    b.surrogates = true;
    try writeString(b, ptr[0..@intCast(len)]);
}

fn writeInt(b: *Buf, o: *c.PyObject) Error!void {
    var overflow: c_int = 0;
    const v = c.PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow == 0) {
        if (v == -1 and c.PyErr_Occurred() != null) return error.Python;
        var tmp: [24]u8 = undefined;
        var n: usize = tmp.len;
        var u: u64 = @abs(v);
        while (true) {
            n -= 1;
            tmp[n] = @intCast('0' + u % 10);
            u /= 10;
            if (u == 0) break;
        }
        if (v < 0) {
            n -= 1;
            tmp[n] = '-';
        }
        return b.add(tmp[n..]);
    }
    // An exact int's decimal text (an int subclass's str() may say something else).
    const exact = c.PyNumber_Index(o) orelse return error.Python;
    defer c.decref(exact);
    const s = c.PyObject_Str(exact) orelse return error.Python;
    defer c.decref(s);
    var len: c.Py_ssize_t = 0;
    const p = c.PyUnicode_AsUTF8AndSize(s, &len) orelse return error.Python;
    try b.add(p[0..@intCast(len)]);
}

fn writeFloat(b: *Buf, f: f64) Error!void {
    if (!std.math.isFinite(f)) {
        const r = c.PyFloat_FromDouble(f) orelse return error.Python;
        defer c.decref(r);
        _ = c.PyErr_Format(c.exc("ValueError"), "Out of range float values are not JSON compliant: %R", r);
        return error.Python;
    }
    var tmp: [40]u8 = undefined;
    try b.add(floatRepr(f, &tmp));
}

/// `repr(f)` for a finite double: the shortest digits that read back as `f` (Ryu, as Python's
/// own shortest mode picks them), laid out as Python does (fixed for 1e-4 <= |f| < 1e16 with a
/// `.0` when integral, else `d.ddde+XX`).
pub fn floatRepr(f: f64, buf: *[40]u8) []const u8 {
    const fl = std.fmt.float;
    const d = fl.binaryToDecimal(u64, @bitCast(f), std.math.floatMantissaBits(f64), std.math.floatExponentBits(f64), false, &fl.Backend64_TablesFull);
    var n: usize = 0;
    if (d.sign) {
        buf[0] = '-';
        n = 1;
    }
    if (d.mantissa == 0) {
        @memcpy(buf[n..][0..3], "0.0");
        return buf[0 .. n + 3];
    }
    var m = d.mantissa;
    var exp: i32 = d.exponent;
    while (m % 10 == 0) {
        m /= 10;
        exp += 1;
    }
    var digits_buf: [20]u8 = undefined;
    const digits = std.fmt.bufPrint(&digits_buf, "{d}", .{m}) catch unreachable;
    const nd: i32 = @intCast(digits.len);
    const e10 = exp + nd - 1; // the exponent of the first digit
    if (e10 >= -4 and e10 < 16) {
        if (e10 >= 0) {
            const int_len: usize = @intCast(e10 + 1);
            if (digits.len <= int_len) {
                @memcpy(buf[n..][0..digits.len], digits);
                n += digits.len;
                @memset(buf[n..][0 .. int_len - digits.len], '0');
                n += int_len - digits.len;
                @memcpy(buf[n..][0..2], ".0");
                return buf[0 .. n + 2];
            }
            @memcpy(buf[n..][0..int_len], digits[0..int_len]);
            n += int_len;
            buf[n] = '.';
            n += 1;
            @memcpy(buf[n..][0 .. digits.len - int_len], digits[int_len..]);
            return buf[0 .. n + digits.len - int_len];
        }
        const zeros: usize = @intCast(-e10 - 1);
        @memcpy(buf[n..][0..2], "0.");
        n += 2;
        @memset(buf[n..][0..zeros], '0');
        n += zeros;
        @memcpy(buf[n..][0..digits.len], digits);
        return buf[0 .. n + digits.len];
    }
    buf[n] = digits[0];
    n += 1;
    if (digits.len > 1) {
        buf[n] = '.';
        n += 1;
        @memcpy(buf[n..][0 .. digits.len - 1], digits[1..]);
        n += digits.len - 1;
    }
    const ae: u32 = @abs(e10);
    const tail = std.fmt.bufPrint(buf[n..], "e{c}{d:0>2}", .{ @as(u8, if (e10 < 0) '-' else '+'), ae }) catch unreachable;
    return buf[0 .. n + tail.len];
}

pub fn Encoder(comptime M: type) type {
    const spec = M.spec;
    return struct {
        /// `to_json`: the value as compact JSON text (a str).
        pub fn toJson(st: *M.State, v: *c.PyObject) ?*c.PyObject {
            var b: Buf = .{};
            defer b.list.deinit(Buf.gpa);
            write(&b, st, v) catch return null;
            const t = b.list.items;
            if (b.high < 0x80 and M.keys_ascii) return @import("reader.zig").asciiStr(t);
            return c.PyUnicode_DecodeUTF8(t.ptr, @intCast(t.len), if (b.surrogates) "surrogatepass" else null);
        }

        fn write(b: *Buf, st: *M.State, v: *c.PyObject) Error!void {
            const t = v.ob_type;
            if (t == c.PyUnicode_Type) return writeStr(b, v);
            if (v == c.none()) return b.add("null");
            if (t == c.PyBool_Type) return b.add(if (v == &c._Py_TrueStruct) "true" else "false");
            if (t == c.PyLong_Type) return writeInt(b, v);
            if (t == c.PyFloat_Type) return writeFloat(b, c.PyFloat_AsDouble(v));
            if (M.classIndex(st, t)) |k| return writeInstance(b, st, k, v);
            if (c.Py_EnterRecursiveCall(" while encoding a JSON value") != 0) return error.Python;
            defer c.Py_LeaveRecursiveCall();
            if (checks.isList(v) or checks.isTuple(v)) {
                try b.byte('[');
                var i: usize = 0;
                while (i < c.varSize(v)) : (i += 1) {
                    if (i > 0) try b.byte(',');
                    const x = c.newref(if (checks.isList(v)) c.listItem(v, i) else c.tupleItem(v, i));
                    defer c.decref(x);
                    try write(b, st, x);
                }
                return b.byte(']');
            }
            if (checks.isDict(v)) {
                try b.byte('{');
                try writeDictItems(b, st, v);
                return b.byte('}');
            }
            if (checks.isStr(v)) return writeStr(b, v);
            if (checks.isInt(v)) return writeInt(b, v);
            if (checks.isFloat(v)) return writeFloat(b, c.PyFloat_AsDouble(v));
            _ = c.PyErr_Format(c.exc("TypeError"), "Object of type %s is not JSON serializable", c.typeNameOf(v));
            return error.Python;
        }

        fn writeInstance(b: *Buf, st: *M.State, k: u16, o: *c.PyObject) Error!void {
            const cls = &spec.classes[k];
            const K = M.Classes;
            if (c.Py_EnterRecursiveCall(" while encoding a JSON object") != 0) return error.Python;
            defer c.Py_LeaveRecursiveCall();
            try b.byte('{');
            var first = true;
            const keys = M.key_texts[M.field_offsets[k]..][0..cls.fields.len];
            for (keys, 0..) |kt, j| {
                if (K.slot(o, j + 1).*) |x| {
                    // Each key text is stored with a leading ',': the first field skips it.
                    try b.add(if (first) kt[1..] else kt);
                    first = false;
                    try write(b, st, x);
                }
            }
            if (K.slot(o, 0).*) |ex| {
                if (c.PyDict_Size(ex) > 0) {
                    if (!first) try b.byte(',');
                    try writeDictItems(b, st, ex);
                }
            }
            try b.byte('}');
        }

        /// The items of dict `d`, `,`-separated, without braces (an instance's extras follow its fields).
        fn writeDictItems(b: *Buf, st: *M.State, d: *c.PyObject) Error!void {
            var pos: c.Py_ssize_t = 0;
            var key: ?*c.PyObject = null;
            var val: ?*c.PyObject = null;
            var first = true;
            while (c.PyDict_Next(d, &pos, &key, &val) != 0) {
                if (!checks.isStr(key.?)) {
                    _ = c.PyErr_Format(c.exc("TypeError"), "keys must be str, not %s", c.typeNameOf(key.?));
                    return error.Python;
                }
                if (!first) try b.byte(',');
                first = false;
                try writeStr(b, key.?);
                try b.byte(':');
                const x = c.newref(val.?);
                defer c.decref(x);
                try write(b, st, x);
            }
        }

        /// `to_dict`/plain data: instances as dicts (JSON names), lists and dicts copied.
        pub fn toPlain(st: *M.State, v: *c.PyObject) Error!*c.PyObject {
            const t = v.ob_type;
            if (t == c.PyUnicode_Type or t == c.PyLong_Type or t == c.PyFloat_Type or t == c.PyBool_Type or v == c.none()) return c.newref(v);
            if (M.classIndex(st, t)) |k| return instanceDict(st, k, v);
            if (c.Py_EnterRecursiveCall(" while converting to plain data") != 0) return error.Python;
            defer c.Py_LeaveRecursiveCall();
            if (checks.isList(v) or checks.isTuple(v)) {
                const l = c.PyList_New(0) orelse return error.Python;
                errdefer c.decref(l);
                var i: usize = 0;
                while (i < c.varSize(v)) : (i += 1) {
                    const x = c.newref(if (checks.isList(v)) c.listItem(v, i) else c.tupleItem(v, i));
                    defer c.decref(x);
                    const y = try toPlain(st, x);
                    defer c.decref(y);
                    if (c.PyList_Append(l, y) < 0) return error.Python;
                }
                return l;
            }
            if (checks.isDict(v)) {
                const d = c.PyDict_New() orelse return error.Python;
                errdefer c.decref(d);
                try copyInto(st, d, v);
                return d;
            }
            return c.newref(v);
        }

        fn copyInto(st: *M.State, d: *c.PyObject, src: *c.PyObject) Error!void {
            var pos: c.Py_ssize_t = 0;
            var key: ?*c.PyObject = null;
            var val: ?*c.PyObject = null;
            while (c.PyDict_Next(src, &pos, &key, &val) != 0) {
                const k = c.newref(key.?);
                defer c.decref(k);
                const x = c.newref(val.?);
                defer c.decref(x);
                const y = try toPlain(st, x);
                defer c.decref(y);
                if (c.PyDict_SetItem(d, k, y) < 0) return error.Python;
            }
        }

        pub fn instanceDict(st: *M.State, k: u16, o: *c.PyObject) Error!*c.PyObject {
            const cls = &spec.classes[k];
            const K = M.Classes;
            if (c.Py_EnterRecursiveCall(" while converting to a dict") != 0) return error.Python;
            defer c.Py_LeaveRecursiveCall();
            const d = c.PyDict_New() orelse return error.Python;
            errdefer c.decref(d);
            for (0..cls.fields.len) |j| {
                if (K.slot(o, j + 1).*) |x| {
                    const y = try toPlain(st, x);
                    defer c.decref(y);
                    if (c.PyDict_SetItem(d, st.keys[M.field_offsets[k] + j].?, y) < 0) return error.Python;
                }
            }
            if (K.slot(o, 0).*) |ex| try copyInto(st, d, ex);
            return d;
        }
    };
}
