//! Pickling and copying of class instances: `__reduce__` returns
//! `copyreg.__newobj__(cls)` plus the fields' values; `__setstate__` puts them back.
//! A class with a field that has no Python value (a slice, a pointer, an allocator)
//! cannot be pickled: `__reduce__` raises TypeError naming the field.  A derived
//! class's pickle holds its base's fields beside its own (one flat dict).  A class
//! Python cannot construct (`__new__ = null`) cannot be unpickled, so it refuses.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const class = @import("class.zig");
const inheritance = @import("inheritance.zig");
const CallContext = @import("allocator.zig").CallContext;

/// The first field of `S` (or of a class it extends) with no Python value, or null.
fn unpicklableField(comptime S: type) ?[]const u8 {
    for (reflect.fieldNames(S), reflect.fieldTypes(S)) |n, T| {
        if (inheritance.isBaseField(S, n)) {
            if (unpicklableField(T)) |f| return f;
        } else if (!class.isValueType(T)) return n;
    }
    return null;
}

/// The type of a field of `S`'s chain named `field`, for messages.
fn ChainFieldType(comptime S: type, comptime field: []const u8) type {
    if (@hasField(S, field)) return @FieldType(S, field);
    return ChainFieldType(inheritance.baseOf(S).?, field);
}

/// The fields of `S` and the classes it extends, to and from one dict.
fn Fields(comptime S: type, comptime cls_name: []const u8) type {
    return struct {
        fn store(p: *const S, fields: *c.PyObject) bool {
            inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S)) |n, T| {
                if (comptime inheritance.isBaseField(S, n)) {
                    if (!Fields(T, cls_name).store(&@field(p.*, n), fields)) return false;
                } else {
                    const v = convert.toPython(@field(p.*, n)) orelse return false;
                    defer c.decref(v);
                    if (c.PyDict_SetItemString(fields, n, v) < 0) return false;
                }
            }
            return true;
        }

        fn load(value: *S, fields: *c.PyObject, ctx: *CallContext) bool {
            inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S)) |n, T| {
                if (comptime inheritance.isBaseField(S, n)) {
                    if (!Fields(T, cls_name).load(&@field(value.*, n), fields, ctx)) return false;
                } else {
                    const item = c.PyDict_GetItemString(fields, n.ptr) orelse {
                        _ = c.PyErr_Format(c.exc("KeyError"), cls_name ++ ".__setstate__: missing field '" ++ n ++ "'");
                        return false;
                    };
                    @field(value.*, n) = convert.nested(T, item, ctx, cls_name ++ "." ++ n) catch return false;
                }
            }
            return true;
        }
    };
}

pub fn Pickling(comptime S: type, comptime C: type) type {
    const unpicklable: ?[]const u8 = unpicklableField(S);
    const constructible = @import("special_methods.zig").constructible(S);
    return struct {
        pub const defs = [_]c.PyMethodDef{
            .{ .ml_name = "__reduce__", .ml_meth = @ptrCast(&reduce), .ml_flags = c.METH_NOARGS, .ml_doc = null },
            .{ .ml_name = "__setstate__", .ml_meth = @ptrCast(&setState), .ml_flags = c.METH_O, .ml_doc = null },
        };

        fn reduce(self: *c.PyObject, _: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            if (comptime unpicklable) |field| {
                const T = ChainFieldType(S, field);
                c.PyErr_SetString(c.exc("TypeError"), "cannot pickle '" ++ C.name ++ "' object: field '" ++ field ++ "' (" ++ @typeName(T) ++ ") has no Python value");
                return null;
            }
            if (comptime !constructible) {
                c.PyErr_SetString(c.exc("TypeError"), "cannot pickle '" ++ C.name ++ "' object: Python cannot create " ++ C.name ++ " instances (it declares __new__ = null)");
                return null;
            }
            const p = C.payload(self);
            const fields = c.PyDict_New() orelse return null;
            defer c.decref(fields);
            if (!Fields(S, C.name).store(p, fields)) return null;
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
                !c.hasFlag(c.tupleItem(state, 0), c.Py_TPFLAGS_DICT_SUBCLASS))
            {
                c.PyErr_SetString(c.exc("TypeError"), C.name ++ ".__setstate__ expects (fields dict, instance dict or None)");
                return null;
            }
            const fields = c.tupleItem(state, 0);
            var ctx = CallContext.init();
            defer ctx.deinit();
            const p = C.payload(self);
            var value: S = p.*;
            if (!Fields(S, C.name).load(&value, fields, &ctx)) return null;
            const before = class.FieldOwnership(S).snapshot(p);
            p.* = value;
            class.FieldOwnership(S).settle(p, before);
            const instance_dict = c.tupleItem(state, 1);
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
