//! `py.Str`: a Python str.
const std = @import("std");
const c = @import("capi.zig");
const handle = @import("handle.zig");
const ops = @import("object_ops.zig");

pub const PythonException = @import("errors.zig").PythonException;

/// A borrowed str (as a parameter: str or a subclass); `py.Str.Owned` is one you own.
pub const Str = StrHandle(.borrowed);

fn StrHandle(comptime ownership: handle.Ownership) type {
    return struct {
        ptr: *c.PyObject,

        const Self = @This();
        const display_name = "py.Str";
        pub const zig_core_handle: handle.Info = .{ .python_name = "str", .stub = "str", .ownership = ownership, .display = if (ownership == .owned) display_name ++ ".Owned" else display_name };
        pub const Owned = StrHandle(.owned);
        pub const Borrowed = StrHandle(.borrowed);

        pub fn check(o: *c.PyObject) bool {
            return c.hasFlag(o, c.Py_TPFLAGS_UNICODE_SUBCLASS);
        }

        /// A new str from UTF-8 (invalid UTF-8 raises UnicodeDecodeError).
        pub fn new(utf8: []const u8) PythonException!Owned {
            return .{ .ptr = c.PyUnicode_DecodeUTF8(utf8.ptr, @intCast(utf8.len), null) orelse return error.PythonException };
        }

        /// The str's UTF-8, borrowed from the str object: valid while it lives (NUL-terminated).
        /// A str with lone surrogates has no UTF-8 (UnicodeEncodeError).
        pub fn slice(self: Self) PythonException![:0]const u8 {
            return ops.borrowedText([:0]const u8, self.ptr, "str");
        }

        /// `len(s)`: the number of code points (not UTF-8 bytes).
        pub fn len(self: Self) usize {
            return @intCast(c.PyUnicode_GetLength(self.ptr));
        }

        /// Whether the text equals `utf8`.
        pub fn eql(self: Self, utf8: []const u8) PythonException!bool {
            return std.mem.eql(u8, try self.slice(), utf8);
        }

        // What every object handle has (object_ops.zig) and the ownership methods (handle.zig).
        const Ops = ops.Methods(@This());
        pub const object = Ops.object;
        pub const newRef = Ops.newRef;
        pub const isNone = Ops.isNone;
        pub const isCallable = Ops.isCallable;
        pub const getAttr = Ops.getAttr;
        pub const hasAttr = Ops.hasAttr;
        pub const setAttr = Ops.setAttr;
        pub const delAttr = Ops.delAttr;
        pub const call = Ops.call;
        pub const callKw = Ops.callKw;
        pub const callMethod = Ops.callMethod;
        pub const callMethodKw = Ops.callMethodKw;
        pub const iter = Ops.iter;
        pub const isInstance = Ops.isInstance;
        pub const isTrue = Ops.isTrue;
        pub const repr = Ops.repr;
        pub const str = Ops.str;
        pub const text = Ops.text;
        pub const eq = Ops.eq;
        pub const hash = Ops.hash;
        pub const as = Ops.as;
        const Own = handle.Ownable(@This(), Borrowed, ownership, display_name);
        pub const deinit = Own.deinit;
        pub const borrow = Own.borrow;
        pub const toOwned = Own.toOwned;
        pub const fromNew = Own.fromNew;
    };
}
