//! Zig structs as Python classes: `pub const Counter = py.class(struct { ... });`.
//!
//! An instance is a PyObject header, the Zig struct (at its alignment), and a
//! weakref list.  The type is a heap type made from a PyType_Spec when the
//! module executes: methods (instance, static, class), fields as typed
//! attributes, properties, dunders as slots, GC support for `py.Object`
//! fields, weakrefs, pickling and the buffer protocol.
//!
//! `py.Object` fields are owned by the instance.  Methods may assign borrowed
//! objects to them: when a method returns, zig_core takes a reference to each
//! new value and drops the one it replaced.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const object = @import("object.zig");
const signature = @import("signature.zig");
const function = @import("function.zig");
const errors = @import("errors.zig");
const docs = @import("docs.zig");
const source_info = @import("source_info.zig");
const slots = @import("slots.zig");
const inheritance = @import("inheritance.zig");
const special_methods = @import("special_methods.zig");
const attribute_hooks = @import("attribute_hooks.zig");
const options = @import("zigimport_options");

/// Make the struct `S` a Python class of the module being built.  Returns `S`
/// unchanged; zigimport's source scan tells zig_core which declarations call it.
pub fn class(comptime S: type) type {
    if (reflect.kind(S) != .@"struct" or reflect.isTuple(S)) @compileError("py.class expects a struct, got " ++ @typeName(S));
    return S;
}

/// The user's module (`py.module(@This())`), as the build root exposes it.
const user = blk: {
    const root = @import("root");
    break :blk if (@hasDecl(root, "zigimport_user_module")) root.zigimport_user_module else struct {};
};

/// The declaration name under which `S` is a class of the module, or null.
pub fn className(comptime S: type) ?[:0]const u8 {
    @setEvalBranchQuota(100_000);
    if (reflect.kind(S) != .@"struct") return null;
    const classes = if (@hasDecl(source_info.root, "__classes__")) source_info.root.__classes__ else struct {};
    for (reflect.declNames(user)) |name| {
        if (@hasDecl(classes, name) and @TypeOf(@field(user, name)) == type and @field(user, name) == S) return name;
    }
    return null;
}

pub fn isClass(comptime S: type) bool {
    return className(S) != null;
}

/// Where things live in an instance.
pub fn Layout(comptime S: type) type {
    return struct {
        pub const payload_offset = std.mem.alignForward(usize, @sizeOf(c.PyObject), @alignOf(S));
        pub const weaklist_offset = std.mem.alignForward(usize, payload_offset + @sizeOf(S), @alignOf(?*c.PyObject));
        pub const basicsize = weaklist_offset + @sizeOf(?*c.PyObject);

        comptime {
            if (@alignOf(S) > 16) @compileError(@typeName(S) ++ ": Python objects are 16-byte aligned; a class cannot need more");
            // A derived payload starts where its base's does (the base is its field at offset 0).
            if (inheritance.baseOf(S)) |B| std.debug.assert(Layout(B).payload_offset == payload_offset);
        }

        pub inline fn payload(o: *c.PyObject) *S {
            return @ptrCast(@alignCast(@as([*]u8, @ptrCast(o)) + payload_offset));
        }

        pub inline fn objectOf(p: *const S) *c.PyObject {
            return @ptrCast(@alignCast(@as([*]u8, @ptrCast(@constCast(p))) - payload_offset));
        }

        pub inline fn weaklist(o: *c.PyObject) *?*c.PyObject {
            return @ptrCast(@alignCast(@as([*]u8, @ptrCast(o)) + weaklist_offset));
        }
    };
}

// ---- fields ----

pub fn isObjectField(comptime T: type) bool {
    return T == object.Object or T == ?object.Object;
}

/// Whether `S` (with the classes it extends) holds `py.Object` fields.
fn hasObjectFields(comptime S: type) bool {
    for (reflect.fieldTypes(S)) |T| {
        if (isObjectField(T)) return true;
    }
    return if (inheritance.baseOf(S)) |B| hasObjectFields(B) else false;
}

/// Values that can be read and written as attributes (owned by the instance, no borrowed memory).
pub fn isValueType(comptime T: type) bool {
    return switch (convert.category(T)) {
        .int, .float, .bool, .@"enum", .object => true,
        .complex, .datetime, .date, .time, .timedelta => true, // plain values (docs/values.md)
        .optional => isValueType(reflect.optionalChild(T)),
        .array => isValueType(reflect.arrayChild(T)),
        .tuple, .record => for (reflect.fieldTypes(T)) |F| {
            if (!isValueType(F)) break false;
        } else true,
        else => false,
    };
}

fn isReadonlyField(comptime S: type, comptime name: []const u8) bool {
    if (!@hasDecl(S, "__readonly__")) return false;
    for (S.__readonly__) |r| {
        if (std.mem.eql(u8, r, name)) return true;
    }
    return false;
}

/// Fields visible as attributes: not `_`-prefixed; values read/write (or read-only
/// via `__readonly__`), strings and slices read-only (their memory belongs to Zig).
pub const FieldAccessKind = enum { hidden, readonly, readwrite };

pub fn exposedFieldKind(comptime S: type, comptime name: []const u8, comptime T: type) FieldAccessKind {
    if (name.len > 0 and name[0] == '_') return .hidden;
    if (inheritance.isBaseField(S, name)) return .hidden; // its fields are the base type's attributes
    if (isValueType(T)) return if (isReadonlyField(S, name)) .readonly else .readwrite;
    if (convert.isResultType(T) and !isObjectField(T)) return .readonly;
    return .hidden;
}

/// Take references to new `py.Object` field values when a method returns (see the file comment).
/// (A derived class's snapshot includes its base's fields: a method may set `self.base.x`.)
pub fn FieldOwnership(comptime S: type) type {
    const has_base = comptime inheritance.baseOf(S) != null;
    const Base = if (inheritance.baseOf(S)) |B| FieldOwnership(B) else struct {
        const Snapshot = void;
    };
    return struct {
        pub const active = hasObjectFields(S);
        const Snapshot = struct {
            own: [reflect.fieldNames(S).len]?*c.PyObject,
            base: Base.Snapshot,
        };

        pub inline fn snapshot(p: *const S) Snapshot {
            var s: Snapshot = .{ .own = @splat(null), .base = if (has_base) undefined else {} };
            if (comptime active) {
                inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S), 0..) |n, T, i| {
                    if (comptime isObjectField(T)) s.own[i] = objectPtr(T, @field(p.*, n));
                }
                if (comptime has_base) s.base = Base.snapshot(&@field(p.*, inheritance.baseField(S).?));
            }
            return s;
        }

        pub inline fn settle(p: *const S, before: Snapshot) void {
            if (comptime !active) return;
            inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S), 0..) |n, T, i| {
                if (comptime isObjectField(T)) {
                    const now = objectPtr(T, @field(p.*, n));
                    if (now != before.own[i]) {
                        if (now) |o| c.incref(o);
                        c.xdecref(before.own[i]);
                    }
                }
            }
            if (comptime has_base) Base.settle(&@field(p.*, inheritance.baseField(S).?), before.base);
        }
    };
}

fn objectPtr(comptime T: type, value: T) ?*c.PyObject {
    return if (T == object.Object) value.ptr else if (value) |v| v.ptr else null;
}

// ---- the class ----

/// The runtime side of class `S`: its type object and slot functions.
pub fn Class(comptime S: type) type {
    return struct {
        const Self = @This();
        pub const L = Layout(S);
        const Own = FieldOwnership(S);
        const gc = hasObjectFields(S);
        pub const name: [:0]const u8 = className(S) orelse @typeName(S);
        /// The class this one extends (`pub const __base__ = Animal;`), or null.
        const Base: ?type = inheritance.baseOf(S);
        /// The class whose `__init__` constructs this one (its own, or the nearest base's).
        const InitOwner: ?type = inheritance.owner(S, "__init__");
        const constructible = special_methods.constructible(S);

        comptime {
            inheritance.check(S, name);
            special_methods.check(S, name);
        }

        /// The base part of an instance's payload (the field at offset 0).
        inline fn basePart(p: *S) *Base.? {
            return &@field(p.*, inheritance.baseField(S).?);
        }

        /// Set when the module executes; kept for the life of the process, like a static type.
        pub var type_object: ?*c.PyTypeObject = null;

        pub inline fn payload(o: *c.PyObject) *S {
            return L.payload(o);
        }

        pub fn check(o: *c.PyObject) bool {
            const t = type_object orelse return false;
            return c.isInstance(o, t);
        }

        /// Raise the TypeError for an argument that is not an instance.
        pub fn wrongType(o: *c.PyObject, comptime what: []const u8) convert.PythonException {
            return convert.wrongType("TypeError", what, name, o);
        }

        /// A new instance holding a copy of `value` (whose `py.Object`s are borrowed).
        pub fn new(value: S) ?*c.PyObject {
            const t = type_object orelse {
                c.PyErr_SetString(c.exc("RuntimeError"), name ++ ": the class is not registered (is it declared with py.class in the module?)");
                return null;
            };
            const o = allocate(t) orelse return null;
            payload(o).* = value;
            increfObjects(payload(o));
            return o;
        }

        fn increfObjects(p: *S) void {
            inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S)) |n, T| {
                if (comptime isObjectField(T)) {
                    if (objectPtr(T, @field(p.*, n))) |x| c.incref(x);
                }
            }
            if (comptime Base) |B| Class(B).increfObjects(basePart(p));
        }

        fn allocate(t: *c.PyTypeObject) ?*c.PyObject {
            const alloc_fn: *const fn (*c.PyTypeObject, c.Py_ssize_t) callconv(.c) ?*c.PyObject =
                @ptrCast(@alignCast(c.PyType_GetSlot(t, c.slot.tp_alloc) orelse return null));
            const o = alloc_fn(t, 0) orelse return null; // zeroed, GC-tracked, holds a type reference
            L.weaklist(o).* = null;
            return o;
        }

        /// tp_new: defaults for every field that has one, None for py.Object fields.
        fn tpNew(subtype: *c.PyTypeObject, args: ?*c.PyObject, kwds: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            if (comptime InitOwner == null) {
                const nargs = if (args) |a| c.varSize(a) else 0;
                const nkw = if (kwds) |k| c.PyDict_Size(k) else 0;
                if (nargs != 0 or nkw != 0) {
                    c.PyErr_SetString(c.exc("TypeError"), name ++ "() takes no arguments");
                    return null;
                }
            }
            const o = allocate(subtype) orelse return null;
            initFields(payload(o));
            return o;
        }

        fn initFields(p: *S) void {
            inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S), 0..) |n, T, i| {
                if (comptime inheritance.isBaseField(S, n) and reflect.fieldDefault(S, i) == null) {
                    Class(T).initFields(&@field(p.*, n)); // the base's own defaults
                } else if (comptime T == object.Object) {
                    @field(p.*, n) = .{ .ptr = c.newref(c.none()) };
                } else if (comptime reflect.fieldDefault(S, i)) |d| {
                    @field(p.*, n) = d;
                } // else: zero bytes from tp_alloc, until __init__ sets it
            }
        }

        /// `Class(...)` for the class itself (Python subclasses take tp_new + tp_init): allocate,
        /// apply defaults and run __init__ straight from the vectorcall arguments.
        fn vectorcallNew(callable: *c.PyObject, args: [*]const *c.PyObject, nargsf: usize, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const nargs: c.Py_ssize_t = @intCast(nargsf & ~c.PY_VECTORCALL_ARGUMENTS_OFFSET);
            const nkw: c.Py_ssize_t = if (kwnames) |k| c.varSize(k) else 0;
            if (comptime InitOwner == null) {
                if (nargs != 0 or nkw != 0) {
                    c.PyErr_SetString(c.exc("TypeError"), name ++ "() takes no arguments");
                    return null;
                }
            }
            const o = allocate(@ptrCast(@alignCast(callable))) orelse return null;
            initFields(payload(o));
            if (comptime InitOwner) |A| {
                const Init = slots.Init(A, source_info.function(Class(A).info, "__init__"));
                const r = (if (comptime Init.keywords)
                    Init.W.callKeywords(o, args, nargs, kwnames)
                else if (nkw != 0) blk: {
                    c.PyErr_SetString(c.exc("TypeError"), name ++ "() takes no keyword arguments");
                    break :blk null;
                } else Init.W.callPositional(o, args, nargs)) orelse {
                    c.decref(o);
                    return null;
                };
                c.decref(r);
            }
            return o;
        }

        fn tpDealloc(o: *c.PyObject) callconv(.c) void {
            const t = c.typeOf(o);
            if (comptime gc) c.PyObject_GC_UnTrack(o);
            if (L.weaklist(o).* != null) c.PyObject_ClearWeakRefs(o);
            deinitChain(payload(o));
            clearObjects(payload(o));
            const free_fn: *const fn (?*anyopaque) callconv(.c) void = @ptrCast(@alignCast(c.PyType_GetSlot(t, c.slot.tp_free).?));
            free_fn(o);
            c.decref(@ptrCast(@alignCast(t))); // instances of heap types own a reference to their type
        }

        /// `deinit` of the class, then of its base (like destructors: the derived part first).
        fn deinitChain(p: *S) void {
            if (comptime @hasDecl(S, "deinit")) p.deinit();
            if (comptime Base) |B| Class(B).deinitChain(basePart(p));
        }

        fn clearObjects(p: *S) void {
            if (comptime Base) |B| Class(B).clearObjects(basePart(p));
            inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S)) |n, T| {
                if (comptime T == object.Object) {
                    const old = @field(p.*, n).ptr;
                    @field(p.*, n) = .{ .ptr = c.newref(c.none()) };
                    c.decref(old);
                } else if (comptime T == ?object.Object) {
                    const old = @field(p.*, n);
                    @field(p.*, n) = null;
                    if (old) |x| c.decref(x.ptr);
                }
            }
        }

        fn tpTraverse(o: *c.PyObject, visit: c.visitproc, arg: ?*anyopaque) callconv(.c) c_int {
            const r = traverseObjects(payload(o), visit, arg);
            if (r != 0) return r;
            return visit(@ptrCast(@alignCast(c.typeOf(o))), arg); // heap types: the type is a referent
        }

        fn traverseObjects(p: *S, visit: c.visitproc, arg: ?*anyopaque) c_int {
            if (comptime Base) |B| {
                const r = Class(B).traverseObjects(basePart(p), visit, arg);
                if (r != 0) return r;
            }
            inline for (comptime reflect.fieldNames(S), comptime reflect.fieldTypes(S)) |n, T| {
                if (comptime isObjectField(T)) {
                    if (objectPtr(T, @field(p.*, n))) |x| {
                        const r = visit(x, arg);
                        if (r != 0) return r;
                    }
                }
            }
            return 0;
        }

        fn tpClear(o: *c.PyObject) callconv(.c) c_int {
            clearObjects(payload(o));
            return 0;
        }

        pub const info = source_info.container(source_info.root, name);

        // ---- attributes ----

        fn FieldAccess(comptime field: [:0]const u8, comptime T: type) type {
            return struct {
                fn get(o: *c.PyObject, _: ?*anyopaque) callconv(.c) ?*c.PyObject {
                    return convert.toPython(@field(payload(o).*, field));
                }

                fn set(o: *c.PyObject, value: ?*c.PyObject, _: ?*anyopaque) callconv(.c) c_int {
                    const v = value orelse {
                        c.PyErr_SetString(c.exc("AttributeError"), "cannot delete attribute '" ++ field ++ "' of '" ++ name ++ "' objects");
                        return -1;
                    };
                    const needs_arena = comptime signature.mayCopy(T);
                    var ctx: @import("allocator.zig").CallContext = if (needs_arena) .init() else undefined;
                    defer if (needs_arena) ctx.deinit();
                    const converted = convert.nested(T, v, &ctx, name ++ "." ++ field) catch return -1;
                    const p = payload(o);
                    const before = Own.snapshot(p);
                    @field(p.*, field) = converted;
                    Own.settle(p, before);
                    return 0;
                }
            };
        }

        fn PropertyAccess(comptime P: type) type {
            return struct {
                fn get(o: *c.PyObject, _: ?*anyopaque) callconv(.c) ?*c.PyObject {
                    return slots.callUnary(S, P.getter, o, "property getter");
                }

                fn set(o: *c.PyObject, value: ?*c.PyObject, _: ?*anyopaque) callconv(.c) c_int {
                    const v = value orelse {
                        c.PyErr_SetString(c.exc("AttributeError"), "cannot delete this attribute of '" ++ name ++ "' objects");
                        return -1;
                    };
                    const r = slots.callBinary(S, P.setter, o, v, "property setter", .raise) orelse return -1;
                    c.decref(r);
                    return 0;
                }
            };
        }

        const getsets = blk: {
            @setEvalBranchQuota(1_000_000);
            var defs: []const c.PyGetSetDef = &.{};
            for (reflect.fieldNames(S), reflect.fieldTypes(S)) |n, T| {
                const access = exposedFieldKind(S, n, T);
                if (access == .hidden) continue;
                const A = FieldAccess(n, T);
                defs = defs ++ .{c.PyGetSetDef{ .name = n, .get = &A.get, .set = if (access == .readwrite) &A.set else null, .doc = null, .closure = null }};
            }
            for (reflect.declNames(S)) |n| {
                if (isProperty(S, n)) {
                    const P = @field(S, n);
                    const A = PropertyAccess(P);
                    const doc = source_info.declDoc(info, n);
                    defs = defs ++ .{c.PyGetSetDef{ .name = n, .get = &A.get, .set = if (P.has_setter) &A.set else null, .doc = if (doc) |d| d.ptr else null, .closure = null }};
                }
            }
            break :blk defs ++ .{c.PyGetSetDef.sentinel};
        };

        const members = [_]c.PyMemberDef{
            .{ .name = "__weaklistoffset__", .type = c.T_PYSSIZET, .offset = L.weaklist_offset, .flags = c.READONLY, .doc = null },
            .{ .name = null, .type = 0, .offset = 0, .flags = 0, .doc = null },
        };

        // ---- methods ----

        const methods = blk: {
            @setEvalBranchQuota(1_000_000);
            var defs: []const c.PyMethodDef = &.{};
            for (reflect.declNames(S)) |n| {
                if (!reflect.isFunction(@TypeOf(@field(S, n))) or slots.isSlotMethod(n) or isLifecycle(n)) continue;
                defs = defs ++ .{function.methodDefFor(n, @field(S, n), source_info.function(info, n), S)};
            }
            // A class's own __reduce__ / __setstate__ replace zig_core's.
            for (pickling.defs) |d| {
                if (!@hasDecl(S, std.mem.span(d.ml_name.?))) defs = defs ++ .{d};
            }
            defs = defs ++ @import("buffer_method.zig").defs(S); // __buffer__ before 3.12, as the stub says
            break :blk defs ++ .{c.PyMethodDef.sentinel};
        };

        fn isLifecycle(comptime n: []const u8) bool {
            return std.mem.eql(u8, n, "__init__") or std.mem.eql(u8, n, "deinit") or std.mem.eql(u8, n, "__buffer__") or
                attribute_hooks.isHook(n);
        }

        const pickling = @import("pickle.zig").Pickling(S, Self);

        // ---- the type ----

        const type_slots = blk: {
            var list: []const c.PyType_Slot = &.{
                .{ .slot = c.slot.tp_dealloc, .pfunc = @ptrCast(&tpDealloc) },
                .{ .slot = c.slot.tp_getset, .pfunc = @ptrCast(getsets.ptr) },
                .{ .slot = c.slot.tp_members, .pfunc = @ptrCast(&members) },
                .{ .slot = c.slot.tp_methods, .pfunc = @ptrCast(methods.ptr) },
            };
            // Not constructible: no tp_new (and Py_TPFLAGS_DISALLOW_INSTANTIATION), so `Cls()` raises
            // CPython's own "cannot create 'mod.Cls' instances"; Zig still makes instances.
            if (constructible) list = list ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_new, .pfunc = @ptrCast(&tpNew) }};
            if (gc) list = list ++ &[_]c.PyType_Slot{
                .{ .slot = c.slot.tp_traverse, .pfunc = @ptrCast(&tpTraverse) },
                .{ .slot = c.slot.tp_clear, .pfunc = @ptrCast(&tpClear) },
            };
            if (@hasDecl(S, "__init__")) list = list ++ &[_]c.PyType_Slot{
                .{ .slot = c.slot.tp_init, .pfunc = @ptrCast(&slots.Init(S, source_info.function(info, "__init__")).tpInit) },
            };
            if (classDoc()) |d| list = list ++ &[_]c.PyType_Slot{.{ .slot = c.slot.tp_doc, .pfunc = d.ptr }};
            list = list ++ slots.Dunders(S, Self).list;
            list = list ++ attribute_hooks.Hooks(S).list;
            break :blk list ++ &[_]c.PyType_Slot{.{ .slot = 0, .pfunc = null }};
        };

        /// The docstring, led by the constructor's signature line (so inspect.signature(Class) works).
        fn classDoc() ?[:0]const u8 {
            const doc: ?[:0]const u8 = source_info.declDoc(source_info.root, name) orelse source_info.doc(info);
            if (!constructible) return doc; // no signature: Python cannot call it
            const init_sig: ?[:0]const u8 = if (InitOwner) |A| blk: {
                const sig = signature.analyze(@TypeOf(A.__init__), name, source_info.function(Class(A).info, "__init__"), A);
                break :blk docs.textSignature(sig, "");
            } else name ++ "()";
            const text_sig = init_sig orelse return doc;
            return text_sig ++ "\n--\n\n" ++ (doc orelse "");
        }

        var spec: c.PyType_Spec = .{
            .name = options.module_name ++ "." ++ name,
            .basicsize = L.basicsize,
            .itemsize = 0,
            // Immutable like builtin types: methods cannot be swapped behind the vectorcall constructor.
            .flags = c.Py_TPFLAGS_DEFAULT | c.Py_TPFLAGS_BASETYPE | c.Py_TPFLAGS_IMMUTABLETYPE | (if (gc) c.Py_TPFLAGS_HAVE_GC else 0) |
                (if (constructible) 0 else c.Py_TPFLAGS_DISALLOW_INSTANTIATION),
            .slots = type_slots.ptr,
        };

        /// Create the type and add it to `module` (from the module's exec slot).
        /// A base declared after its derived class is registered first, once.
        pub fn register(module: *c.PyObject) bool {
            if (registeredIn(module)) return true;
            const base: ?*c.PyObject = if (comptime Base) |B| blk: {
                if (!Class(B).register(module)) return false;
                break :blk @ptrCast(@alignCast(Class(B).type_object.?));
            } else null;
            const t = c.PyType_FromModuleAndSpec(module, &spec, base) orelse return false;
            defer c.decref(t);
            type_object = @ptrCast(@alignCast(t));
            if (constructible) c.setTypeVectorcall(type_object.?, &vectorcallNew);
            // Also on a class that inherits __init__: its own descriptor (same call) keeps
            // Cls.__init__ and the class's signature line in agreement for stubtest and inspect.
            if (comptime InitOwner != null) {
                if (!InitDescriptor.install(type_object.?)) return false;
            }
            if (comptime @hasDecl(S, "__getattr__")) {
                if (!attribute_hooks.GetAttrMethod(S).install(type_object.?)) return false;
            }
            return c.PyModule_AddObjectRef(module, name, t) == 0;
        }

        /// `Cls.__init__` is tp_init's slot wrapper, whose generic docstring says `(self, /, *args,
        /// **kwargs)`.  Replace it by a wrapper of the same kind (so inspect still reads the class's
        /// signature from its docstring) whose docstring has the real parameters, for
        /// inspect.signature(Cls.__init__), help() and IDEs.  It calls tp_init, as the original did.
        const InitDescriptor = struct {
            const A = InitOwner.?; // S, or the nearest base declaring __init__ (same payload offset)
            const Init = slots.Init(A, source_info.function(Class(A).info, "__init__"));
            const sig = signature.analyze(@TypeOf(A.__init__), "__init__", source_info.function(Class(A).info, "__init__"), A);
            var base: c.wrapperbase = .{
                .name = "__init__",
                .offset = 0,
                .function = null,
                .wrapper = @ptrCast(&call),
                .doc = docs.docstring(sig, "$self"),
                .flags = c.PyWrapperFlag_KEYWORDS,
                .name_strobj = null,
            };

            fn call(self: *c.PyObject, args: *c.PyObject, _: ?*anyopaque, kwds: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                if (Init.tpInit(self, args, kwds) < 0) return null;
                return c.newref(c.none());
            }

            fn install(t: *c.PyTypeObject) bool {
                if (comptime c.limited_api) return true; // abi3: no wrapper descriptors in the stable ABI; keep CPython's
                const dict = c.typeDict(t) orelse return true; // an unknown layout: keep CPython's wrapper
                const descr = c.PyDescr_NewWrapper(t, &base, null) orelse return false;
                defer c.decref(descr);
                if (c.PyDict_SetItemString(dict, "__init__", descr) < 0) return false;
                c.PyType_Modified(t);
                return true;
            }
        };

        /// Whether this module object already holds this class's current type.
        fn registeredIn(module: *c.PyObject) bool {
            const t = type_object orelse return false;
            const held = c.PyDict_GetItemString(c.PyModule_GetDict(module), name) orelse return false;
            return held == @as(*c.PyObject, @ptrCast(@alignCast(t)));
        }
    };
}

// ---- properties ----

/// `pub const area = py.property(getArea, setArea);` (or `null` for a read-only property).
/// The getter takes `self`; the setter takes `self` and the new value.
pub fn property(comptime getter_fn: anytype, comptime setter_fn: anytype) type {
    return struct {
        pub const zig_core_property = true;
        pub const getter = getter_fn;
        pub const has_setter = @TypeOf(setter_fn) != @TypeOf(null);
        pub const setter = setter_fn;
    };
}

pub fn isProperty(comptime S: type, comptime n: []const u8) bool {
    const D = @TypeOf(@field(S, n));
    return D == type and @hasDecl(@field(S, n), "zig_core_property");
}
