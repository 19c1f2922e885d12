//! Pickling and copying of class instances: `__reduce__` returns
//! `copyreg.__newobj__(cls)` plus the fields' values; `__setstate__` puts them back.
//! A class with a field that has no Python value (a slice, a pointer, an allocator)
//! cannot be pickled: `__reduce__` raises TypeError naming the field.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const class = @import("class.zig");
const CallContext = @import("allocator.zig").CallContext;

pub fn Pickling(comptime S: type, comptime C: type) type {
    const names = reflect.fieldNames(S);
    const types = reflect.fieldTypes(S);
    const unpicklable: ?[]const u8 = blk: {
        for (names, types) |n, T| {
            if (!class.isValueType(T)) break :blk n;
        }
        break :blk null;
    };
    return struct {
        pub const defs = [_]c.PyMethodDef{
            .{ .ml_name = "__reduce__", .ml_meth = @ptrCast(&reduce), .ml_flags = c.METH_NOARGS, .ml_doc = null },
            .{ .ml_name = "__setstate__", .ml_meth = @ptrCast(&setState), .ml_flags = c.METH_O, .ml_doc = null },
        };

        fn reduce(self: *c.PyObject, _: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            if (comptime unpicklable) |field| {
                const T = @FieldType(S, field);
                c.PyErr_SetString(c.exc("TypeError"), "cannot pickle '" ++ C.name ++ "' object: field '" ++ field ++ "' (" ++ @typeName(T) ++ ") has no Python value");
                return null;
            }
            const p = C.payload(self);
            const fields = c.PyDict_New() orelse return null;
            defer c.decref(fields);
            inline for (names) |n| {
                const v = convert.toPython(@field(p.*, n)) orelse return null;
                defer c.decref(v);
                if (c.PyDict_SetItemString(fields, n, v) < 0) return null;
            }
            // A Python subclass's instance attributes travel too.
            const instance_dict = c.PyObject_GetAttrString(self, "__dict__") orelse blk: {
                c.PyErr_Clear();
                break :blk c.newref(c.none());
            };
            defer c.decref(instance_dict);
            const copyreg = c.PyImport_ImportModule("copyreg") orelse return null;
            defer c.decref(copyreg);
            const newobj = c.PyObject_GetAttrString(copyreg, "__newobj__") orelse return null;
            defer c.decref(newobj);
            const cls_args = c.PyTuple_New(1) orelse return null;
            _ = c.PyTuple_SetItem(cls_args, 0, c.newref(@ptrCast(@alignCast(c.typeOf(self)))));
            defer c.decref(cls_args);
            const state = c.PyTuple_New(2) orelse return null;
            defer c.decref(state);
            _ = c.PyTuple_SetItem(state, 0, c.newref(fields));
            _ = c.PyTuple_SetItem(state, 1, c.newref(instance_dict));
            const result = c.PyTuple_New(3) orelse return null;
            _ = c.PyTuple_SetItem(result, 0, c.newref(newobj));
            _ = c.PyTuple_SetItem(result, 1, c.newref(cls_args));
            _ = c.PyTuple_SetItem(result, 2, c.newref(state));
            return result;
        }

        fn setState(self: *c.PyObject, state: *c.PyObject) callconv(.c) ?*c.PyObject {
            if (comptime unpicklable != null) {
                c.PyErr_SetString(c.exc("TypeError"), C.name ++ " instances cannot be unpickled");
                return null;
            }
            if (!c.hasFlag(state, c.Py_TPFLAGS_TUPLE_SUBCLASS) or c.varSize(state) != 2 or
                !c.hasFlag(c.tupleItems(state)[0], c.Py_TPFLAGS_DICT_SUBCLASS))
            {
                c.PyErr_SetString(c.exc("TypeError"), C.name ++ ".__setstate__ expects (fields dict, instance dict or None)");
                return null;
            }
            const fields = c.tupleItems(state)[0];
            var ctx = CallContext.init();
            defer ctx.deinit();
            const p = C.payload(self);
            var value: S = p.*;
            inline for (names, types) |n, T| {
                const item = c.PyDict_GetItemString(fields, n.ptr) orelse {
                    _ = c.PyErr_Format(c.exc("KeyError"), C.name ++ ".__setstate__: missing field '" ++ n ++ "'");
                    return null;
                };
                @field(value, n) = convert.nested(T, item, &ctx, C.name ++ "." ++ n) catch return null;
            }
            const before = class.FieldOwnership(S).snapshot(p);
            p.* = value;
            class.FieldOwnership(S).settle(p, before);
            const instance_dict = c.tupleItems(state)[1];
            if (instance_dict != c.none()) {
                const d = c.PyObject_GetAttrString(self, "__dict__") orelse return null;
                defer c.decref(d);
                const update = c.PyObject_GetAttrString(d, "update") orelse return null;
                defer c.decref(update);
                const r = c.call(update, &[_]*c.PyObject{instance_dict}) orelse return null;
                c.decref(r);
            }
            return c.newref(c.none());
        }
    };
}
