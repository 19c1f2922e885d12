//! `__getattr__`, `__setattr__` and `__delattr__` of a class, as tp_getattro / tp_setattro.
//!
//! - `fn __getattr__(self, name: []const u8) ?T` runs only when the normal lookup
//!   (fields, methods, properties, a Python subclass's `__dict__`) fails, as in
//!   Python.  `null` (or `error.AttributeError`) means "no such attribute": the
//!   original AttributeError is raised, so `hasattr` and `getattr(o, n, default)` work.
//! - `fn __setattr__(self, name: []const u8, value: T) void` runs for every
//!   assignment, as in Python.  Returning `bool` lets it decline: `false` does the
//!   normal assignment (declared fields, properties), so a hook can handle only the
//!   names it knows.  `fn __delattr__(self, name: []const u8) void` (or `bool`) likewise
//!   for `del o.name`.
//! Any of them may also take an allocator (the per-call arena) and return an error union.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const signature = @import("signature.zig");
const errors = @import("errors.zig");
const source_info = @import("source_info.zig");
const inheritance = @import("inheritance.zig");
const CallContext = @import("allocator.zig").CallContext;
const options = @import("zigimport_options");

pub fn isHook(comptime n: []const u8) bool {
    return std.mem.eql(u8, n, "__getattr__") or std.mem.eql(u8, n, "__setattr__") or std.mem.eql(u8, n, "__delattr__");
}

fn className(comptime S: type) [:0]const u8 {
    return @import("class.zig").className(S) orelse @typeName(S);
}

fn isNameType(comptime T: type) bool {
    return T == []const u8 or T == [:0]const u8;
}

/// The analysed signature of `A.<hook>`, or a compile error naming it and the expected form.
fn hookSignature(comptime A: type, comptime hook: [:0]const u8) signature.Signature {
    const cls = className(A);
    const info = source_info.function(@import("class.zig").Class(A).info, hook);
    const F = @TypeOf(@field(A, hook));
    const sig = signature.analyze(F, hook, info, A);
    const expected = if (std.mem.eql(u8, hook, "__getattr__"))
        "fn (self: *" ++ cls ++ ", name: []const u8) T (return null or error.AttributeError for no such attribute)"
    else if (std.mem.eql(u8, hook, "__setattr__"))
        "fn (self: *" ++ cls ++ ", name: []const u8, value: T) void (or bool: false does the normal assignment)"
    else
        "fn (self: *" ++ cls ++ ", name: []const u8) void (or bool: false does the normal deletion)";
    const arity: usize = if (std.mem.eql(u8, hook, "__setattr__")) 2 else 1;
    const bad = !sig.hasRole(.receiver) or sig.kwargs != null or sig.python.len != arity or !isNameType(sig.python[0].T) or
        sig.hasRole(.nogil) or sig.hasRole(.class_type);
    if (bad) @compileError(cls ++ "." ++ hook ++ " must be " ++ expected ++ ", not " ++ @typeName(F));
    if (arity == 2 or !std.mem.eql(u8, hook, "__getattr__")) {
        const R = signature.unwrapError(sig.Return);
        if (R != void and R != bool) @compileError(cls ++ "." ++ hook ++ " must return void or bool (false: do the normal " ++
            (if (arity == 2) "assignment" else "deletion") ++ "), not " ++ @typeName(sig.Return));
    }
    return sig;
}

/// The type slots for the hooks `S` declares (its base's are inherited by CPython otherwise).
pub fn Hooks(comptime S: type) type {
    return struct {
        pub const list: []const c.PyType_Slot = blk: {
            var l: []const c.PyType_Slot = &.{};
            if (@hasDecl(S, "__getattr__")) l = l ++ .{c.PyType_Slot{ .slot = c.slot.tp_getattro, .pfunc = @ptrCast(&GetAttr(S).call) }};
            if (@hasDecl(S, "__setattr__") or @hasDecl(S, "__delattr__")) l = l ++ .{c.PyType_Slot{ .slot = c.slot.tp_setattro, .pfunc = @ptrCast(&SetAttr(S).call) }};
            break :blk l;
        };
    };
}

fn GetAttr(comptime S: type) type {
    return struct {
        fn call(o: *c.PyObject, name: *c.PyObject) callconv(.c) ?*c.PyObject {
            if (c.PyObject_GenericGetAttr(o, name)) |r| return r;
            if (c.PyErr_ExceptionMatches(c.exc("AttributeError")) == 0) return null;
            // Keep the lookup's own AttributeError (CPython's wording, with .name and .obj) for "missing".
            var t: ?*c.PyObject = null;
            var v: ?*c.PyObject = null;
            var tb: ?*c.PyObject = null;
            c.PyErr_Fetch(&t, &v, &tb);
            const outcome = Invoke(S, "__getattr__").run(o, name, null);
            if (outcome == .missing) {
                c.PyErr_Restore(t, v, tb);
                return null;
            }
            c.xdecref(t);
            c.xdecref(v);
            c.xdecref(tb);
            return switch (outcome) {
                .value => |r| r,
                else => null,
            };
        }
    };
}

/// `Cls.__getattr__(self, name)` in the type's dict, calling the hook: tp_getattro alone puts only
/// `__getattribute__` there, yet the stub (and stubtest) name the method the user wrote.
pub fn GetAttrMethod(comptime S: type) type {
    return struct {
        var def: c.PyMethodDef = .{
            .ml_name = "__getattr__",
            .ml_meth = @ptrCast(&call),
            .ml_flags = c.METH_O,
            .ml_doc = "__getattr__($self, name, /)\n--\n\nCalled when the normal attribute lookup fails.",
        };

        fn call(o: *c.PyObject, name: *c.PyObject) callconv(.c) ?*c.PyObject {
            const str_type: *c.PyObject = @ptrCast(@alignCast(c.PyUnicode_Type));
            const is_str = c.PyObject_IsInstance(name, str_type);
            if (is_str < 0) return null;
            if (is_str == 0) return c.PyErr_Format(c.exc("TypeError"), "attribute name must be string, not '%.200s'", c.typeNameOf(name));
            return switch (Invoke(S, "__getattr__").run(o, name, null)) {
                .value => |r| r,
                .missing => c.PyErr_Format(c.exc("AttributeError"), "'%.200s' object has no attribute '%U'", c.typeNameOf(o), name),
                .declined, .failed => null,
            };
        }

        pub fn install(t: *c.PyTypeObject) bool {
            const dict = c.typeDict(t) orelse return true; // an unknown layout: the hook still runs via tp_getattro
            const descr = c.PyDescr_NewMethod(t, &def) orelse return false;
            defer c.decref(descr);
            if (c.PyDict_SetItemString(dict, "__getattr__", descr) < 0) return false;
            c.PyType_Modified(t);
            return true;
        }
    };
}

fn SetAttr(comptime S: type) type {
    return struct {
        fn call(o: *c.PyObject, name: *c.PyObject, value: ?*c.PyObject) callconv(.c) c_int {
            const setter = comptime inheritance.owner(S, "__setattr__");
            const deleter = comptime inheritance.owner(S, "__delattr__");
            const outcome: Outcome = if (value) |v|
                (if (setter) |A| Invoke(A, "__setattr__").run(o, name, v) else .declined)
            else
                (if (deleter) |A| Invoke(A, "__delattr__").run(o, name, null) else .declined);
            switch (outcome) {
                .value => |r| {
                    c.decref(r);
                    return 0;
                },
                .declined => return c.PyObject_GenericSetAttr(o, name, value),
                .missing => {
                    _ = c.PyErr_Format(c.exc("AttributeError"), comptime "'" ++ options.module_name ++ "." ++ className(S) ++ "' object has no attribute '%U'", name);
                    return -1;
                },
                .failed => return -1,
            }
        }
    };
}

/// value: the hook's result (None for a void setter); declined: a setter/deleter returned false;
/// missing: null or error.AttributeError (no such attribute); failed: an exception is set.
const Outcome = union(enum) { value: *c.PyObject, declined, missing, failed };

/// Call `A.<hook>(self, name[, value])` with the arena and receiver it asks for.
fn Invoke(comptime A: type, comptime hook: [:0]const u8) type {
    const sig = hookSignature(A, hook);
    const f = @field(A, hook);
    const F = @TypeOf(f);
    const R = signature.unwrapError(sig.Return);
    const what = className(A) ++ "." ++ hook ++ "()";
    return struct {
        fn run(o: *c.PyObject, name_obj: *c.PyObject, value: ?*c.PyObject) Outcome {
            var len: c.Py_ssize_t = 0;
            const ptr = c.PyUnicode_AsUTF8AndSize(name_obj, &len) orelse return .failed;
            const name = ptr[0..@intCast(len) :0];
            var ctx: CallContext = if (sig.needs_context) .init() else undefined;
            defer if (sig.needs_context) ctx.deinit();
            const class = @import("class.zig");
            const p = class.Layout(A).payload(o);
            const V = if (sig.python.len == 2) sig.python[1].T else void;
            var holder: convert.Holder(V) = .{};
            defer if (V != void) holder.release();
            var zargs: std.meta.ArgsTuple(F) = undefined;
            inline for (sig.zig_params, 0..) |zp, i| {
                zargs[i] = switch (comptime zp.role) {
                    .receiver => if (comptime reflect.kind(zp.T) == .pointer) p else p.*,
                    .allocator => ctx.allocator(),
                    .python => if (comptime zp.python_index == 0) name else convert.fromPython(V, value.?, &holder, &ctx, comptime sig.describe(1)) catch return .failed,
                    else => unreachable, // refused by hookSignature
                };
            }
            const Own = class.FieldOwnership(A);
            const before = Own.snapshot(p);
            const result = @call(.auto, f, zargs);
            Own.settle(p, before);
            const got = if (comptime reflect.kind(sig.Return) == .error_union) result catch |err| {
                if (@as(anyerror, err) == error.AttributeError) return .missing;
                errors.setFromZigError(err, @errorReturnTrace(), what);
                return .failed;
            } else result;
            if (comptime R == bool and !std.mem.eql(u8, hook, "__getattr__")) {
                if (!got) return .declined;
                return .{ .value = c.newref(c.none()) };
            }
            if (comptime R == void) return .{ .value = c.newref(c.none()) };
            const present = if (comptime reflect.kind(R) == .optional) got orelse return .missing else got;
            return if (convert.toPython(present)) |r| .{ .value = r } else .failed;
        }
    };
}
