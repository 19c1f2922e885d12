//! `py.Dict`: a Python dict.
const std = @import("std");
const c = @import("capi.zig");
const handle = @import("handle.zig");
const ops = @import("object_ops.zig");
const objects = @import("object.zig");
const List = @import("list.zig").List;

pub const PythonException = @import("errors.zig").PythonException;

/// A borrowed dict (as a parameter: dict or a subclass); `py.Dict.Owned` is one you own.
/// Keys and values passed in are handles or Zig values (converted like results).
pub const Dict = DictHandle(.borrowed);

/// A borrowed key and value from `Dict.items()`.
pub const Entry = struct { key: objects.Object, value: objects.Object };

fn DictHandle(comptime ownership: handle.Ownership) type {
    return struct {
        ptr: *c.PyObject,

        const Self = @This();
        const display_name = "py.Dict";
        pub const zig_core_handle: handle.Info = .{ .python_name = "dict", .stub = "dict[Any, Any]", .ownership = ownership, .display = if (ownership == .owned) display_name ++ ".Owned" else display_name };
        pub const Owned = DictHandle(.owned);
        pub const Borrowed = DictHandle(.borrowed);

        pub fn check(o: *c.PyObject) bool {
            return c.hasFlag(o, c.Py_TPFLAGS_DICT_SUBCLASS);
        }

        /// A new, empty dict.
        pub fn new() PythonException!Owned {
            return .{ .ptr = c.PyDict_New() orelse return error.PythonException };
        }

        /// `len(d)`.
        pub fn len(self: Self) usize {
            return @intCast(c.PyDict_Size(self.ptr));
        }

        /// `d.get(key)`: the value borrowed from the dict (valid while the dict holds it:
        /// until the dict is changed), or null if the key is absent.  An unhashable key raises TypeError.
        pub fn get(self: Self, key: anytype) PythonException!?objects.Object {
            const k = try ops.arg(key);
            defer k.release();
            const v = c.PyDict_GetItemWithError(self.ptr, k.ptr) orelse {
                if (c.PyErr_Occurred() != null) return error.PythonException;
                return null;
            };
            return .{ .ptr = v };
        }

        /// `d.get(key)` converted to T (as a parameter of type T would be), or null if absent.
        pub fn getAs(self: Self, comptime T: type, key: anytype) PythonException!?T {
            const v = (try self.get(key)) orelse return null;
            return try v.as(T);
        }

        /// `d[key] = value`.
        pub fn set(self: Self, key: anytype, value: anytype) PythonException!void {
            const k = try ops.arg(key);
            defer k.release();
            const v = try ops.arg(value);
            defer v.release();
            if (c.PyDict_SetItem(self.ptr, k.ptr, v.ptr) < 0) return error.PythonException;
        }

        /// `del d[key]` (KeyError if the key is absent).
        pub fn del(self: Self, key: anytype) PythonException!void {
            const k = try ops.arg(key);
            defer k.release();
            if (c.PyDict_DelItem(self.ptr, k.ptr) < 0) return error.PythonException;
        }

        /// `key in d`.
        pub fn contains(self: Self, key: anytype) PythonException!bool {
            const k = try ops.arg(key);
            defer k.release();
            const r = c.PyDict_Contains(self.ptr, k.ptr);
            if (r < 0) return error.PythonException;
            return r != 0;
        }

        /// `d.clear()`.
        pub fn clear(self: Self) void {
            c.PyDict_Clear(self.ptr);
        }

        /// `list(d.keys())`.
        pub fn keys(self: Self) PythonException!List.Owned {
            return .{ .ptr = c.PyDict_Keys(self.ptr) orelse return error.PythonException };
        }

        /// `list(d.values())`.
        pub fn values(self: Self) PythonException!List.Owned {
            return .{ .ptr = c.PyDict_Values(self.ptr) orelse return error.PythonException };
        }

        /// The entries in order, borrowed: `var it = d.items(); while (it.next()) |e| { e.key, e.value }`.
        /// The dict must not be resized while iterating (as in Python: no adding or deleting keys).
        pub fn items(self: Self) Items {
            return .{ .dict = self.ptr };
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

pub const Items = struct {
    dict: *c.PyObject,
    pos: c.Py_ssize_t = 0,

    pub fn next(self: *Items) ?Entry {
        var key: ?*c.PyObject = null;
        var value: ?*c.PyObject = null;
        if (c.PyDict_Next(self.dict, &self.pos, &key, &value) == 0) return null;
        return .{ .key = .{ .ptr = key.? }, .value = .{ .ptr = value.? } };
    }
};
