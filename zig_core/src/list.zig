//! `py.List`: a Python list.
const std = @import("std");
const c = @import("capi.zig");
const handle = @import("handle.zig");
const ops = @import("object_ops.zig");
const objects = @import("object.zig");
const sequence = @import("tuple.zig");

pub const PythonException = @import("errors.zig").PythonException;

/// A borrowed list (as a parameter: list or a subclass); `py.List.Owned` is one you own.
pub const List = ListHandle(.borrowed);

fn ListHandle(comptime ownership: handle.Ownership) type {
    return struct {
        ptr: *c.PyObject,

        const Self = @This();
        const display_name = "py.List";
        pub const zig_core_handle: handle.Info = .{ .python_name = "list", .stub = "list[Any]", .ownership = ownership, .display = if (ownership == .owned) display_name ++ ".Owned" else display_name };
        pub const Owned = ListHandle(.owned);
        pub const Borrowed = ListHandle(.borrowed);

        pub fn check(o: *c.PyObject) bool {
            return c.hasFlag(o, c.Py_TPFLAGS_LIST_SUBCLASS);
        }

        /// A new, empty list.
        pub fn new() PythonException!Owned {
            return .{ .ptr = c.PyList_New(0) orelse return error.PythonException };
        }

        /// A new list of Zig values or handles: a slice, an array or a tuple (`.{ 1, "a" }`).
        pub fn from(values: anytype) PythonException!Owned {
            const l = try new();
            errdefer l.deinit();
            try sequence.appendAll(l, values);
            return l;
        }

        /// `len(l)`.
        pub fn len(self: Self) usize {
            return @intCast(c.varSize(self.ptr));
        }

        /// `l[i]`, borrowed from the list (valid while the list holds it).  Indexes as Python does:
        /// any integer type, a negative `i` counting from the end (`l.get(-1)` is the last item);
        /// IndexError ("list index out of range") out of range.
        pub fn get(self: Self, i: anytype) PythonException!objects.Object {
            return .{ .ptr = c.PyList_GetItem(self.ptr, try sequence.fromEnd(self.len(), i)) orelse return error.PythonException };
        }

        /// `l[i]` converted to T.
        pub fn getAs(self: Self, comptime T: type, i: anytype) PythonException!T {
            return (try self.get(i)).as(T);
        }

        /// `l[i] = value` (a negative `i` counts from the end); IndexError out of range.
        pub fn set(self: Self, i: anytype, value: anytype) PythonException!void {
            const at = try sequence.fromEnd(self.len(), i);
            const v = ops.newReference(value) orelse return error.PythonException;
            if (c.PyList_SetItem(self.ptr, at, v) < 0) return error.PythonException; // steals v, even on failure
        }

        /// `l.append(value)`.
        pub fn append(self: Self, value: anytype) PythonException!void {
            const v = try ops.arg(value);
            defer v.release();
            if (c.PyList_Append(self.ptr, v.ptr) < 0) return error.PythonException;
        }

        /// `l.insert(i, value)` (a negative `i` counts from the end; past the end: appends, as in Python).
        pub fn insert(self: Self, i: anytype, value: anytype) PythonException!void {
            const v = try ops.arg(value);
            defer v.release();
            if (c.PyList_Insert(self.ptr, try sequence.index(i), v.ptr) < 0) return error.PythonException;
        }

        /// `del l[i]` (a negative `i` counts from the end); IndexError out of range.
        pub fn del(self: Self, i: anytype) PythonException!void {
            if (c.PySequence_DelItem(self.ptr, try sequence.index(i)) < 0) return error.PythonException;
        }

        /// `value in l` (Python's `==`, which may raise).
        pub fn contains(self: Self, value: anytype) PythonException!bool {
            return sequence.containsIn(self.ptr, value);
        }

        /// The items in order, borrowed: `var it = l.items(); while (it.next()) |item| { ... }`.
        /// Each item is valid while the list holds it; the length is re-read at every step.
        pub fn items(self: Self) sequence.Items {
            return .{ .sequence = self.ptr };
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
