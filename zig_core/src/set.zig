//! `set` / `frozenset` ⇄ `py.SetOf(T)` / `py.FrozenSetOf(T)`.
//!
//! A result `py.SetOf(T){ .items = slice }` becomes a new `set` (duplicates
//! collapse, as in Python); `py.FrozenSetOf(T)` a `frozenset`.  As a parameter
//! either accepts a set or a frozenset (nothing else: a list may hold
//! duplicates the function does not expect); its items are converted like
//! list items into memory that lives until the call returns, in the set's
//! iteration order.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const CallContext = @import("allocator.zig").CallContext;

const PythonException = convert.PythonException;

pub const Kind = enum { set, frozenset };

/// A Python set of T (items: distinct values, in no particular order).
pub fn SetOf(comptime T: type) type {
    return SetType(T, .set);
}

/// A Python frozenset of T.
pub fn FrozenSetOf(comptime T: type) type {
    return SetType(T, .frozenset);
}

fn SetType(comptime T: type, comptime kind: Kind) type {
    return struct {
        pub const zig_core_set: Kind = kind;
        pub const Item = T;
        items: []const T,
    };
}

pub fn isSet(comptime T: type) bool {
    return reflect.kind(T) == .@"struct" and @hasDecl(T, "zig_core_set");
}

/// The memory of a top-level set parameter: its own arena, freed after the call
/// (the call's arena exists only when the signature asks for one).
pub const Holder = struct {
    ctx: CallContext = undefined,
    held: bool = false,

    pub fn release(self: *Holder) void {
        if (self.held) self.ctx.deinit();
        self.held = false;
    }
};

pub fn fromPythonHeld(comptime T: type, obj: *c.PyObject, holder: *Holder, comptime what: []const u8) PythonException!T {
    std.debug.assert(!holder.held);
    holder.ctx = CallContext.init();
    holder.held = true;
    return fromPython(T, obj, &holder.ctx, what);
}

pub fn fromPython(comptime T: type, obj: *c.PyObject, ctx: *CallContext, comptime what: []const u8) PythonException!T {
    if (!c.isInstance(obj, c.PySet_Type) and !c.isInstance(obj, c.PyFrozenSet_Type)) {
        return convert.wrongType("TypeError", what, "a set or frozenset", obj);
    }
    const n: usize = @intCast(c.PySet_Size(obj));
    const out = ctx.allocator().alloc(T.Item, n) catch return convert.noMemory();
    const it = c.PyObject_GetIter(obj) orelse return error.PythonException;
    defer c.decref(it);
    var i: usize = 0;
    // Converting an item can run Python code that changes the set; the iterator then
    // raises RuntimeError, and the count is re-checked here.
    while (c.PyIter_Next(it)) |item| {
        defer c.decref(item);
        if (i == n) break;
        out[i] = try convert.nested(T.Item, item, ctx, what ++ " item");
        i += 1;
    }
    if (c.PyErr_Occurred() != null) return error.PythonException;
    if (i != n) {
        c.PyErr_SetString(c.exc("RuntimeError"), what ++ " changed size during conversion");
        return error.PythonException;
    }
    return .{ .items = out };
}

pub fn toPython(value: anytype) ?*c.PyObject {
    const T = @TypeOf(value);
    const s = (if (T.zig_core_set == .set) c.PySet_New(null) else c.PyFrozenSet_New(null)) orelse return null;
    for (value.items) |item| {
        const o = convert.toPython(item) orelse {
            c.decref(s);
            return null;
        };
        defer c.decref(o);
        if (c.PySet_Add(s, o) < 0) {
            c.decref(s);
            return null;
        }
    }
    return s;
}
