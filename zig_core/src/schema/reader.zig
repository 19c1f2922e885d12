//! JSON lexing for the schema decoder: whitespace, strings (scanned without copying, then built
//! in place with PyUnicode_New when they are ASCII), numbers, literals, and a plain JSON value
//! (for nodes that accept anything).  Messages are the `json` module's own words.
const std = @import("std");
const c = @import("../capi.zig");
const context = @import("context.zig");
const Ctx = context.Ctx;
const Fail = context.Fail;

pub const Input = struct {
    buf: []const u8,
    pos: usize = 0,

    pub inline fn peek(self: *const Input) u8 {
        return if (self.pos < self.buf.len) self.buf[self.pos] else 0;
    }

    pub inline fn skipWs(self: *Input) void {
        while (self.pos < self.buf.len) : (self.pos += 1) {
            switch (self.buf[self.pos]) {
                ' ', '\t', '\n', '\r' => {},
                else => return,
            }
        }
    }

    /// Skip whitespace and require `ch` (consumed).
    pub inline fn expect(self: *Input, ctx: *Ctx, ch: u8, comptime msg: [:0]const u8) Fail!void {
        self.skipWs();
        if (self.peek() != ch) return ctx.syntax(msg, self.pos);
        self.pos += 1;
    }

    /// The items of the array or object just opened (its `[`/`{` consumed), for
    /// `while (try it.next(ctx)) {...}`: `next` consumes the `,` between items and the closer.
    /// Inline so that each decoder loop compiles to the hand-written one.
    pub inline fn items(self: *Input, comptime close: u8) Items(close) {
        return .{ .in = self };
    }
};

/// Iterator state of `Input.items`: the closer is comptime so each loop tests a constant.
pub fn Items(comptime close: u8) type {
    return struct {
        in: *Input,
        first: bool = true,

        /// True when another item may follow (whitespace before it skipped), false
        /// once the closer is consumed; anything else is the `json` module's delimiter error.
        pub inline fn next(it: *@This(), ctx: *Ctx) Fail!bool {
            it.in.skipWs();
            const ch = it.in.peek();
            if (ch == close) {
                it.in.pos += 1;
                return false;
            }
            if (it.first) {
                it.first = false;
                return true;
            }
            if (ch != ',') return ctx.syntax("Expecting ',' delimiter", it.in.pos);
            it.in.pos += 1;
            it.in.skipWs();
            return true;
        }
    };
}

/// A string token: `raw` is the text between the quotes.
pub const Str = struct {
    raw: []const u8,
    escaped: bool,
    ascii: bool,
};

/// Scan the string starting at the opening quote; leaves `in.pos` after the closing quote.
/// 16 bytes at a time: the first byte that ends the run ('"', '\\', a control character) is
/// found with one compare and a count of trailing zeros, so short strings cost one step too.
pub noinline fn scanString(in: *Input, ctx: *Ctx) Fail!Str {
    const start = in.pos;
    std.debug.assert(in.buf[start] == '"');
    var i = start + 1;
    const buf = in.buf;
    var escaped = false;
    var high = false;
    const V = @Vector(16, u8);
    while (true) {
        while (i + 16 <= buf.len) {
            const v: V = buf[i..][0..16].*;
            const stop: u16 = @bitCast((v == @as(V, @splat('"'))) | (v == @as(V, @splat('\\'))) | (v < @as(V, @splat(0x20))));
            const hi: u16 = @bitCast(v >= @as(V, @splat(0x80)));
            if (stop == 0) {
                high = high or hi != 0;
                i += 16;
                continue;
            }
            const p = @ctz(stop);
            high = high or (hi & ((@as(u16, 1) << @intCast(p)) - 1)) != 0;
            i += p;
            break;
        } else {
            // The last few bytes of the text, one at a time.
            while (i < buf.len) : (i += 1) {
                const b = buf[i];
                if (b == '"' or b == '\\' or b < 0x20) break;
                if (b >= 0x80) high = true;
            }
        }
        if (i >= buf.len) return ctx.syntax("Unterminated string starting at", start);
        const b = buf[i];
        if (b == '"') break;
        if (b == '\\') {
            escaped = true;
            i += 2;
            continue;
        }
        return ctx.syntax("Invalid control character at", i);
    }
    in.pos = i + 1;
    return .{ .raw = buf[start + 1 .. i], .escaped = escaped, .ascii = !high };
}

/// The characters of `s` as UTF-8 (escapes resolved; a lone surrogate escape is encoded as its
/// 3-byte form, which "surrogatepass" decodes back, as `json` keeps lone surrogates).
/// `raw_start`: the offset of `s.raw` in the input, for messages.
pub noinline fn unescape(ctx: *Ctx, s: Str, raw_start: usize, out: *std.ArrayList(u8), gpa: std.mem.Allocator) Fail!void {
    out.clearRetainingCapacity();
    out.ensureTotalCapacity(gpa, s.raw.len) catch return oom(ctx);
    const raw = s.raw;
    var i: usize = 0;
    while (i < raw.len) {
        const b = raw[i];
        if (b != '\\') {
            out.appendAssumeCapacity(b);
            i += 1;
            continue;
        }
        const e = if (i + 1 < raw.len) raw[i + 1] else 0;
        const ch: u8 = switch (e) {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => 8,
            'f' => 12,
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => 0,
            else => return ctx.syntax("Invalid \\escape", raw_start + i),
        };
        if (e != 'u') {
            out.appendAssumeCapacity(ch);
            i += 2;
            continue;
        }
        var cp: u21 = hex4(raw, i + 2) orelse return ctx.syntax("Invalid \\uXXXX escape", raw_start + i + 1);
        i += 6;
        if (cp >= 0xD800 and cp < 0xDC00 and i + 1 < raw.len and raw[i] == '\\' and raw[i + 1] == 'u') {
            if (hex4(raw, i + 2)) |lo| {
                if (lo >= 0xDC00 and lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            } else return ctx.syntax("Invalid \\uXXXX escape", raw_start + i + 1);
        }
        var tmp: [4]u8 = undefined;
        const n = encodeWtf8(cp, &tmp);
        out.appendSlice(gpa, tmp[0..n]) catch return oom(ctx);
    }
}

fn oom(ctx: *Ctx) Fail {
    _ = c.PyErr_NoMemory();
    return ctx.python();
}

fn hex4(raw: []const u8, at: usize) ?u21 {
    if (at + 4 > raw.len) return null;
    var v: u21 = 0;
    for (raw[at .. at + 4]) |h| {
        const d: u21 = switch (h) {
            '0'...'9' => h - '0',
            'a'...'f' => h - 'a' + 10,
            'A'...'F' => h - 'A' + 10,
            else => return null,
        };
        v = v * 16 + d;
    }
    return v;
}

fn encodeWtf8(cp: u21, out: *[4]u8) usize {
    if (cp < 0x80) {
        out[0] = @intCast(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = @intCast(0xC0 | (cp >> 6));
        out[1] = @intCast(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = @intCast(0xE0 | (cp >> 12));
        out[1] = @intCast(0x80 | ((cp >> 6) & 0x3F));
        out[2] = @intCast(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = @intCast(0xF0 | (cp >> 18));
    out[1] = @intCast(0x80 | ((cp >> 12) & 0x3F));
    out[2] = @intCast(0x80 | ((cp >> 6) & 0x3F));
    out[3] = @intCast(0x80 | (cp & 0x3F));
    return 4;
}

/// An ASCII str made in place: one allocation and a copy.
pub fn asciiStr(bytes: []const u8) ?*c.PyObject {
    if (comptime c.limited_api) return c.PyUnicode_FromStringAndSize(bytes.ptr, @intCast(bytes.len)); // abi3: str internals are private
    const o = c.PyUnicode_New(@intCast(bytes.len), 127) orelse return null;
    const data: [*]u8 = @as([*]u8, @ptrCast(o)) + c.ascii_data_offset;
    @memcpy(data[0..bytes.len], bytes);
    return o;
}

/// The str for a scanned string token.
pub noinline fn makeStr(ctx: *Ctx, s: Str, raw_start: usize, scratch: *std.ArrayList(u8), gpa: std.mem.Allocator) Fail!*c.PyObject {
    if (!s.escaped) {
        if (s.ascii) return asciiStr(s.raw) orelse ctx.python();
        // str input holding lone surrogates was read in their 3-byte form: give them back as they were.
        // surrogatepass: as json.loads decodes bytes (and str input with lone surrogates was read in their 3-byte form)
        return c.PyUnicode_DecodeUTF8(s.raw.ptr, @intCast(s.raw.len), "surrogatepass") orelse utf8Error(ctx, s.raw);
    }
    try unescape(ctx, s, raw_start, scratch, gpa);
    const t = scratch.items;
    return c.PyUnicode_DecodeUTF8(t.ptr, @intCast(t.len), "surrogatepass") orelse utf8Error(ctx, t);
}

/// A bad UTF-8 byte in a string token: raise the UnicodeDecodeError json.loads raises, naming the
/// byte's position in the whole input (decoding the input finds the first bad byte, as json does).
noinline fn utf8Error(ctx: *Ctx, token: []const u8) Fail {
    if (c.PyErr_ExceptionMatches(c.exc("UnicodeDecodeError")) != 0 and ctx.buf.len > 0) {
        c.PyErr_Clear();
        const whole = c.PyUnicode_DecodeUTF8(ctx.buf.ptr, @intCast(ctx.buf.len), "surrogatepass") orelse return ctx.python();
        // (cannot happen: the token is part of the input) keep the token's own error
        c.decref(whole);
        if (c.PyUnicode_DecodeUTF8(token.ptr, @intCast(token.len), "surrogatepass")) |o| c.decref(o);
    }
    return ctx.python();
}

/// A number token: `int_only` when it has neither fraction nor exponent.
pub const Num = struct {
    text: []const u8,
    int_only: bool,
    /// Fraction digits all zero and no exponent (`1.0`): an integer with an exact value.
    zero_fraction: bool,
    int_digits: []const u8, // with the sign
};

pub noinline fn scanNumber(in: *Input, ctx: *Ctx) Fail!Num {
    const buf = in.buf;
    const start = in.pos;
    var i = start;
    if (i < buf.len and buf[i] == '-') i += 1;
    if (i >= buf.len or !std.ascii.isDigit(buf[i])) return ctx.syntax("Expecting value", start);
    if (buf[i] == '0') i += 1 else {
        while (i < buf.len and std.ascii.isDigit(buf[i])) i += 1;
    }
    const int_end = i;
    var zero_fraction = true;
    var int_only = true;
    if (i + 1 < buf.len and buf[i] == '.' and std.ascii.isDigit(buf[i + 1])) {
        int_only = false;
        i += 1;
        while (i < buf.len and std.ascii.isDigit(buf[i])) : (i += 1) {
            if (buf[i] != '0') zero_fraction = false;
        }
    }
    if (i < buf.len and (buf[i] == 'e' or buf[i] == 'E')) {
        var j = i + 1;
        if (j < buf.len and (buf[j] == '+' or buf[j] == '-')) j += 1;
        if (j < buf.len and std.ascii.isDigit(buf[j])) {
            while (j < buf.len and std.ascii.isDigit(buf[j])) j += 1;
            i = j;
            int_only = false;
            zero_fraction = false;
        }
    }
    in.pos = i;
    return .{ .text = buf[start..i], .int_only = int_only, .zero_fraction = zero_fraction and !int_only, .int_digits = buf[start..int_end] };
}

/// An int from decimal digits (with an optional '-'): i64 arithmetic up to 18 digits, else CPython's parser.
pub noinline fn intFromDigits(ctx: *Ctx, digits: []const u8) Fail!*c.PyObject {
    const neg = digits[0] == '-';
    const d = if (neg) digits[1..] else digits;
    if (d.len <= 18) {
        var v: i64 = 0;
        for (d) |ch| v = v * 10 + (ch - '0');
        return c.PyLong_FromLongLong(if (neg) -v else v) orelse ctx.python();
    }
    var tmp: [64]u8 = undefined;
    if (digits.len < tmp.len) {
        @memcpy(tmp[0..digits.len], digits);
        tmp[digits.len] = 0;
        return c.PyLong_FromString(@ptrCast(&tmp), null, 10) orelse ctx.python();
    }
    const heap: [*]u8 = @ptrCast(c.PyMem_RawMalloc(digits.len + 1) orelse return oom(ctx));
    defer c.PyMem_RawFree(heap);
    @memcpy(heap[0..digits.len], digits);
    heap[digits.len] = 0;
    return c.PyLong_FromString(@ptrCast(heap), null, 10) orelse ctx.python();
}

pub fn floatValue(text: []const u8) f64 {
    return std.fmt.parseFloat(f64, text) catch unreachable; // the scanner accepted only JSON number syntax
}

/// Consume `word` (true/false/null) or report "Expecting value".
pub inline fn literal(in: *Input, ctx: *Ctx, comptime word: []const u8) Fail!void {
    if (in.pos + word.len <= in.buf.len and std.mem.eql(u8, in.buf[in.pos..][0..word.len], word)) {
        in.pos += word.len;
        return;
    }
    return ctx.syntax("Expecting value", in.pos);
}

/// Any JSON value as `json.loads` would give it (dicts, lists, str, int, float, bool, None).
pub noinline fn anyValue(in: *Input, ctx: *Ctx, scratch: *std.ArrayList(u8), gpa: std.mem.Allocator) Fail!*c.PyObject {
    in.skipWs();
    const start = in.pos;
    switch (in.peek()) {
        '"' => {
            const s = try scanString(in, ctx);
            return makeStr(ctx, s, start + 1, scratch, gpa);
        },
        '{' => {
            if (c.Py_EnterRecursiveCall(" while decoding a JSON object") != 0) return ctx.python();
            defer c.Py_LeaveRecursiveCall();
            in.pos += 1;
            const d = c.PyDict_New() orelse return ctx.python();
            errdefer c.decref(d);
            var it = in.items('}');
            while (try it.next(ctx)) {
                if (in.peek() != '"') return ctx.syntax("Expecting property name enclosed in double quotes", in.pos);
                const ks = in.pos;
                const k = try makeStr(ctx, try scanString(in, ctx), ks + 1, scratch, gpa);
                defer c.decref(k);
                try in.expect(ctx, ':', "Expecting ':' delimiter");
                const v = try anyValue(in, ctx, scratch, gpa);
                defer c.decref(v);
                if (c.PyDict_SetItem(d, k, v) < 0) return ctx.python();
            }
            return d;
        },
        '[' => {
            if (c.Py_EnterRecursiveCall(" while decoding a JSON array") != 0) return ctx.python();
            defer c.Py_LeaveRecursiveCall();
            in.pos += 1;
            const l = c.PyList_New(0) orelse return ctx.python();
            errdefer c.decref(l);
            var it = in.items(']');
            while (try it.next(ctx)) {
                const v = try anyValue(in, ctx, scratch, gpa);
                defer c.decref(v);
                if (c.PyList_Append(l, v) < 0) return ctx.python();
            }
            return l;
        },
        't' => {
            try literal(in, ctx, "true");
            return c.newref(&c._Py_TrueStruct);
        },
        'f' => {
            try literal(in, ctx, "false");
            return c.newref(&c._Py_FalseStruct);
        },
        'n' => {
            try literal(in, ctx, "null");
            return c.newref(c.none());
        },
        else => {
            const n = try scanNumber(in, ctx);
            if (n.int_only) return intFromDigits(ctx, n.text);
            const f = floatValue(n.text);
            const o = c.PyFloat_FromDouble(f) orelse return ctx.python();
            if (!std.math.isFinite(f)) {
                defer c.decref(o);
                return @import("checks.zig").notFinite(ctx, o, start);
            }
            return o;
        },
    }
}
