//! What a decode or a validation carries: the first failure (a JSON syntax error, a schema
//! violation, or a Python exception already set), the path to it, and the text for line/column.
//!
//! Nothing is built on the success path: a violation records its detail and the offset of the
//! value, and the path is assembled while the failure unwinds (each level adds its key or index),
//! so decoding a valid document never creates a path object.
const std = @import("std");
const c = @import("../capi.zig");

/// The one error the decoder and the validator return; `Ctx.kind` says what it was.
pub const Fail = error{Fail};

pub const Kind = enum { none, python, validation, decode };

pub const Ctx = struct {
    kind: Kind = .none,
    rule: [:0]const u8 = "",
    detail: ?*c.PyObject = null,
    decode_msg: [:0]const u8 = "",
    /// Byte offset of the failing value in `buf` (decoding only).
    pos: ?usize = null,
    /// Segments (str keys, int indices), innermost first.
    path: ?*c.PyObject = null,
    buf: []const u8 = &.{},
    /// The text came from a str with lone surrogates (encoded with surrogatepass).
    surrogates: bool = false,
    validation_error: *c.PyObject,
    decode_error: *c.PyObject,

    pub fn deinit(self: *Ctx) void {
        self.reset();
    }

    /// Forget a recorded violation (an `anyOf` branch that did not match).
    pub fn reset(self: *Ctx) void {
        c.xdecref(self.detail);
        c.xdecref(self.path);
        self.detail = null;
        self.path = null;
        self.kind = .none;
        self.pos = null;
    }

    pub fn python(self: *Ctx) Fail {
        self.kind = .python;
        return error.Fail;
    }

    /// A schema violation: `detail` is a new str (null: formatting it failed, which is reported).
    pub fn invalid(self: *Ctx, rule: [:0]const u8, detail: ?*c.PyObject, pos: ?usize) Fail {
        const d = detail orelse return self.python();
        self.reset();
        self.kind = .validation;
        self.rule = rule;
        self.detail = d;
        self.pos = pos;
        return error.Fail;
    }

    pub fn syntax(self: *Ctx, msg: [:0]const u8, pos: usize) Fail {
        self.reset();
        self.kind = .decode;
        self.decode_msg = msg;
        self.pos = pos;
        return error.Fail;
    }

    fn push(self: *Ctx, seg: ?*c.PyObject) void {
        if (self.kind != .validation) {
            c.xdecref(seg);
            return;
        }
        const s = seg orelse {
            self.kind = .python;
            return;
        };
        defer c.decref(s);
        if (self.path == null) self.path = c.PyList_New(0) orelse {
            self.kind = .python;
            return;
        };
        if (c.PyList_Append(self.path.?, s) < 0) self.kind = .python;
    }

    /// The failure happened inside property `key` (UTF-8; it may hold escaped surrogates).
    pub fn pushKey(self: *Ctx, key: []const u8) void {
        if (self.kind != .validation) return;
        self.push(c.PyUnicode_DecodeUTF8(key.ptr, @intCast(key.len), "surrogatepass"));
    }
    pub fn pushKeyObject(self: *Ctx, key: *c.PyObject) void {
        if (self.kind != .validation) return;
        self.push(c.newref(key));
    }
    pub fn pushIndex(self: *Ctx, i: usize) void {
        if (self.kind != .validation) return;
        self.push(c.PyLong_FromUnsignedLongLong(i));
    }

    /// Set the Python exception for the recorded failure (call once, at the API boundary).
    pub fn raise(self: *Ctx) void {
        switch (self.kind) {
            .none, .python => {
                if (c.PyErr_Occurred() == null) c.PyErr_SetString(c.exc("SystemError"), "schema: failure without an exception");
            },
            .decode => self.raiseDecode(),
            .validation => self.raiseValidation(),
        }
        self.reset();
    }

    const Where = struct { line: usize, column: usize, char: usize };

    /// 1-based line and column and 0-based offset, counted in characters as `json` does.
    fn where(self: *Ctx, pos: usize) Where {
        var line: usize = 1;
        var col: usize = 1;
        var chars: usize = 0;
        for (self.buf[0..@min(pos, self.buf.len)]) |b| {
            if (b & 0xC0 == 0x80) continue; // a UTF-8 continuation byte is part of the previous character
            chars += 1;
            if (b == '\n') {
                line += 1;
                col = 1;
            } else col += 1;
        }
        return .{ .line = line, .column = col, .char = chars };
    }

    fn raiseDecode(self: *Ctx) void {
        const w = self.where(self.pos orelse 0);
        const args = c.PyTuple_New(4) orelse return;
        defer c.decref(args);
        const items = [_]?*c.PyObject{
            c.PyUnicode_FromString(self.decode_msg.ptr),
            c.PyLong_FromUnsignedLongLong(w.line),
            c.PyLong_FromUnsignedLongLong(w.column),
            c.PyLong_FromUnsignedLongLong(w.char),
        };
        for (items, 0..) |it, i| _ = c.PyTuple_SetItem(args, @intCast(i), it orelse return);
        const e = c.PyObject_Call(self.decode_error, args, null) orelse return;
        c.PyErr_SetObject(self.decode_error, e);
        c.decref(e);
    }

    fn raiseValidation(self: *Ctx) void {
        const path = self.pathText() orelse return;
        defer c.decref(path);
        const msg = if (self.pos) |p| blk: {
            const w = self.where(p);
            break :blk c.PyUnicode_FromFormat("%U: %U (line %zu column %zu)", path, self.detail.?, w.line, w.column);
        } else c.PyUnicode_FromFormat("%U: %U", path, self.detail.?);
        const m = msg orelse return;
        defer c.decref(m);
        const rule = c.PyUnicode_FromString(self.rule.ptr) orelse return;
        defer c.decref(rule);
        const argv = [_]*c.PyObject{ m, path, rule };
        const e = c.call(self.validation_error, &argv) orelse return;
        c.PyErr_SetObject(self.validation_error, e);
        c.decref(e);
    }

    /// `address.zip`, `items[2].sku`, `$` (the value itself), `$[3]` (an item of a top-level array).
    fn pathText(self: *Ctx) ?*c.PyObject {
        const segs = self.path orelse return c.PyUnicode_FromString("$");
        const n: usize = @intCast(c.varSize(segs));
        const parts = c.PyList_New(0) orelse return null;
        defer c.decref(parts);
        var i = n;
        while (i > 0) {
            i -= 1;
            const s = c.listItem(segs, i);
            const piece = if (c.hasFlag(s, c.Py_TPFLAGS_UNICODE_SUBCLASS))
                (if (i == n - 1) c.newref(s) else c.PyUnicode_FromFormat(".%U", s))
            else if (i == n - 1) c.PyUnicode_FromFormat("$[%S]", s) else c.PyUnicode_FromFormat("[%S]", s);
            const p = piece orelse return null;
            defer c.decref(p);
            if (c.PyList_Append(parts, p) < 0) return null;
        }
        const empty = c.PyUnicode_FromStringAndSize(null, 0) orelse return null;
        defer c.decref(empty);
        return c.PyUnicode_Join(empty, parts);
    }
};
