//! `py.Tuple`: a Python tuple (and what tuples and lists share).
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const handle = @import("handle.zig");
const ops = @import("object_ops.zig");
const objects = @import("object.zig");

pub const PythonException = @import("errors.zig").PythonException;

/// A borrowed tuple (as a parameter: tuple or a subclass); `py.Tuple.Owned` is one you own.
pub const Tuple = TupleHandle(.borrowed);

fn TupleHandle(comptime ownership: handle.Ownership) type {
    return struct {
        ptr: *c.PyObject,

        const Self = @This();
        const display_name = "py.Tuple";
        pub const zig_core_handle: handle.Info = .{ .python_name = "tuple", .stub = "tuple[Any, ...]", .ownership = ownership, .display = if (ownership == .owned) display_name ++ ".Owned" else display_name };
        pub const Owned = TupleHandle(.owned);
        pub const Borrowed = TupleHandle(.borrowed);

        pub fn check(o: *c.PyObject) bool {
            return c.hasFlag(o, c.Py_TPFLAGS_TUPLE_SUBCLASS);
        }

        /// A new tuple of Zig values or handles: a tuple (`.{ 1, "a" }`), a slice or an array.
        pub fn from(values: anytype) PythonException!Owned {
            const V = @TypeOf(values);
            const n = if (comptime reflect.isTuple(V)) comptime reflect.fieldTypes(V).len else values.len;
            const t: Owned = .{ .ptr = c.PyTuple_New(@intCast(n)) orelse return error.PythonException };
            errdefer t.deinit();
            if (comptime reflect.isTuple(V)) {
                inline for (0..n) |i| _ = c.PyTuple_SetItem(t.ptr, i, ops.newReference(values[i]) orelse return error.PythonException);
            } else {
                for (values, 0..) |v, i| _ = c.PyTuple_SetItem(t.ptr, @intCast(i), ops.newReference(v) orelse return error.PythonException);
            }
            return t;
        }

        /// `len(t)`.
        pub fn len(self: Self) usize {
            return @intCast(c.varSize(self.ptr));
        }

        /// `t[i]`, borrowed from the tuple (valid while the tuple lives); any integer type, a
        /// negative `i` counting from the end as in Python; IndexError out of range.
        pub fn get(self: Self, i: anytype) PythonException!objects.Object {
            return .{ .ptr = c.PyTuple_GetItem(self.ptr, try fromEnd(self.len(), i)) orelse return error.PythonException };
        }

        /// `t[i]` converted to T.
        pub fn getAs(self: Self, comptime T: type, i: anytype) PythonException!T {
            return (try self.get(i)).as(T);
        }

        /// `value in t`.
        pub fn contains(self: Self, value: anytype) PythonException!bool {
            return containsIn(self.ptr, value);
        }

        /// The items in order, borrowed: `var it = t.items(); while (it.next()) |item| { ... }`.
        pub fn items(self: Self) Items {
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


/// A Zig index of any integer type as a Py_ssize_t, for the CPython calls that count a negative
/// index from the end themselves (PySequence_DelItem, PyList_Insert).  One past isize's range
/// cannot be an index of anything: IndexError, as CPython words it.
pub fn index(i: anytype) PythonException!c.Py_ssize_t {
    if (comptime @import("reflect.zig").kind(@TypeOf(i)) != .int) @compileError("a sequence index must be an integer, not " ++ @typeName(@TypeOf(i)));
    return std.math.cast(c.Py_ssize_t, i) orelse {
        c.PyErr_SetString(c.exc("IndexError"), "cannot fit 'int' into an index-sized integer");
        return error.PythonException;
    };
}

/// `index(i)` with Python's meaning of a negative index: `-1` is the last of `n` items.  Still
/// out of range, it is left for CPython's own IndexError ("list index out of range").
pub fn fromEnd(n: usize, i: anytype) PythonException!c.Py_ssize_t {
    const k = try index(i);
    return if (k < 0) k + @as(c.Py_ssize_t, @intCast(n)) else k;
}

pub fn containsIn(seq: *c.PyObject, value: anytype) PythonException!bool {
    const v = try ops.arg(value);
    defer v.release();
    const r = c.PySequence_Contains(seq, v.ptr);
    if (r < 0) return error.PythonException;
    return r != 0;
}

/// Append each of `values` (a tuple, slice or array) to the list `l`.
pub fn appendAll(l: anytype, values: anytype) PythonException!void {
    const V = @TypeOf(values);
    if (comptime reflect.isTuple(V)) {
        inline for (0..comptime reflect.fieldTypes(V).len) |i| try l.append(values[i]);
    } else {
        for (values) |v| try l.append(v);
    }
}

/// Items of a tuple or list by index; for a list the length is re-read each step.
pub const Items = struct {
    sequence: *c.PyObject,
    i: usize = 0,

    pub fn next(self: *Items) ?objects.Object {
        if (self.i >= @as(usize, @intCast(c.varSize(self.sequence)))) return null;
        const item = if (c.hasFlag(self.sequence, c.Py_TPFLAGS_LIST_SUBCLASS)) c.listItem(self.sequence, self.i) else c.tupleItem(self.sequence, self.i);
        self.i += 1;
        return .{ .ptr = item };
    }
};
