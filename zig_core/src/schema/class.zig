//! The classes of a schema module: one heap type per `Spec.classes` entry.  An instance is a
//! PyObject head, one slot for the extra properties (a dict or NULL), and one object slot per
//! field; a NULL field slot is an *absent* optional field (it reads as None through a
//! T_OBJECT member and is left out of to_json/to_dict).  Construction is keyword-only and
//! validating, assignment validates, and the dataclass-like protocol (==, repr, copy, pickle,
//! __match_args__) is native.
const std = @import("std");
const c = @import("../capi.zig");
const context = @import("context.zig");
const decode = @import("decode.zig");
const vector_args = @import("../vector_args.zig");
const Ctx = context.Ctx;
const Fail = context.Fail;
const ClassSpec = @import("spec.zig").Class;

pub fn slotOffset(i: usize) usize {
    return @sizeOf(c.PyObject) + i * @sizeOf(?*c.PyObject);
}

pub fn Classes(comptime M: type) type {
    const spec = M.spec;
    return struct {
        /// Slot `i` of an instance: 0 holds the extras, 1 + j field j.
        pub inline fn slot(o: *c.PyObject, i: usize) *?*c.PyObject {
            return @ptrCast(@alignCast(@as([*]u8, @ptrCast(o)) + slotOffset(i)));
        }

        /// Put `v` (a new reference, or null) in slot `i`, dropping what was there.
        pub inline fn store(o: *c.PyObject, i: usize, v: ?*c.PyObject) void {
            const p = slot(o, i);
            const old = p.*;
            p.* = v;
            c.xdecref(old);
        }

        /// An unknown property `key` of a class whose additionalProperties is false.
        pub fn unexpected(ctx: *Ctx, key: *c.PyObject, pos: ?usize) Fail {
            return ctx.invalid("additionalProperties", c.PyUnicode_FromFormat("Additional properties are not allowed (%R was unexpected)", key), pos);
        }

        /// Put `v` under `key` in instance `o`'s extras (slot 0), made on first use.
        pub fn storeExtra(ctx: *Ctx, o: *c.PyObject, key: *c.PyObject, v: *c.PyObject) Fail!void {
            const ex = slot(o, 0);
            if (ex.* == null) ex.* = c.PyDict_New() orelse return ctx.python();
            if (c.PyDict_SetItem(ex.*.?, key, v) < 0) return ctx.python();
        }

        /// The field of `cls` whose JSON name is `key`: the one after the last match first
        /// (documents usually follow the schema's order), then all of them.
        pub inline fn fieldIndex(cls: *const ClassSpec, key: []const u8, next: usize) ?usize {
            const fields = cls.fields;
            if (next < fields.len and std.mem.eql(u8, fields[next].key, key)) return next;
            for (fields, 0..) |f, j| {
                if (std.mem.eql(u8, f.key, key)) return j;
            }
            return null;
        }

        /// How many properties instance `o` of class `k` has (present fields and extras).
        pub fn propertyCount(k: u16, o: *c.PyObject) usize {
            var n: usize = 0;
            for (1..spec.classes[k].fields.len + 1) |i| {
                if (slot(o, i).* != null) n += 1;
            }
            if (slot(o, 0).*) |ex| n += @intCast(c.PyDict_Size(ex));
            return n;
        }

        /// A new instance of class `k` with every slot NULL, not yet tracked by the GC (`finish`
        /// tracks it if it holds a tracked value): a flat record is never tracked at all.
        pub fn alloc(t: *c.PyTypeObject, k: u16) ?*c.PyObject {
            const o = c._PyObject_GC_New(t) orelse return null;
            const n = spec.classes[k].fields.len + 1;
            @memset(@as([*]?*c.PyObject, @ptrCast(@alignCast(@as([*]u8, @ptrCast(o)) + slotOffset(0))))[0..n], null);
            return o;
        }

        /// After the properties: required ones present, defaults in, property counts, and the
        /// instance tracked by the GC only when it holds a tracked container (as msgspec does).
        pub fn finish(ctx: *Ctx, st: *M.State, k: u16, o: *c.PyObject, pos: ?usize) Fail!void {
            const cls = &spec.classes[k];
            var present: usize = 0;
            for (cls.fields, 0..) |*f, j| {
                if (slot(o, j + 1).* == null) {
                    if (f.required) {
                        return ctx.invalid("required", c.PyUnicode_FromFormat("'%s' is a required property", f.key.ptr), pos);
                    } else if (f.default) |text| {
                        store(o, j + 1, try defaultOf(ctx, st, k, j, text));
                        present += 1;
                    }
                } else present += 1;
            }
            if (cls.min_properties != null or cls.max_properties != null) {
                if (slot(o, 0).*) |ex| present += @intCast(c.PyDict_Size(ex));
                try @import("checks.zig").properties(cls.min_properties, cls.max_properties, ctx, present, pos);
            }
            trackIfNested(o, cls.fields.len);
        }

        fn defaultOf(ctx: *Ctx, st: *M.State, k: u16, j: usize, text: [:0]const u8) Fail!*c.PyObject {
            if (M.mutableDefault(text)) {
                return M.Decoder.defaultValue(st, spec.classes[k].fields[j].node, text) orelse ctx.python();
            }
            return c.newref(st.defaults[M.field_offsets[k] + j].?);
        }

        fn holdsTracked(x: *c.PyObject) bool {
            if (c.typeFlags(x.ob_type) & c.Py_TPFLAGS_HAVE_GC == 0) return false;
            return c.PyObject_GC_IsTracked(x) != 0;
        }

        fn trackIfNested(o: *c.PyObject, nfields: usize) void {
            if (c.PyObject_GC_IsTracked(o) != 0) return;
            var nested = slot(o, 0).* != null;
            if (!nested) for (1..nfields + 1) |i| {
                if (slot(o, i).*) |x| if (holdsTracked(x)) {
                    nested = true;
                    break;
                };
            };
            if (nested) c.PyObject_GC_Track(o);
        }

        fn retrack(o: *c.PyObject, v: *c.PyObject) void {
            if (holdsTracked(v) and c.PyObject_GC_IsTracked(o) == 0) c.PyObject_GC_Track(o);
        }

        /// The state of the module that made `t` (our types are never subclassed: no BASETYPE).
        inline fn stateOf(t: *c.PyTypeObject) *M.State {
            return M.stateOfType(t);
        }

        pub fn create(m: *c.PyObject, st: *M.State, comptime k: u16) ?*c.PyObject {
            const T = Class(k);
            const t = c.PyType_FromModuleAndSpec(m, &T.type_spec, null) orelse return null;
            errdefer c.decref(t);
            c.setTypeVectorcall(@ptrCast(t), &T.vectorcallNew);
            const cls = spec.classes[k];
            const qual = c.PyUnicode_FromString(cls.qualname) orelse return null;
            defer c.decref(qual);
            if (c.PyObject_SetAttrString(t, "__qualname__", qual) < 0) return null;
            const names = c.PyTuple_New(@intCast(cls.fields.len)) orelse return null;
            st.match_args[k] = names;
            for (0..cls.fields.len) |j| _ = c.PyTuple_SetItem(names, @intCast(j), c.newref(st.attr_names[M.field_offsets[k] + j].?));
            if (c.PyObject_SetAttrString(t, "__match_args__", names) < 0) return null;
            if (c.PyObject_SetAttrString(t, "__schema_fields__", names) < 0) return null;
            return t;
        }

        /// "name, age, ...": each class's keywords, for the positional-arguments message.
        const field_lists = blk: {
            @setEvalBranchQuota(M.eval_quota);
            var t: [@max(spec.classes.len, 1)][:0]const u8 = undefined;
            for (spec.classes, 0..) |cls, k| {
                var s: []const u8 = "";
                for (cls.fields, 0..) |f, j| s = s ++ (if (j == 0) "" else ", ") ++ f.attr;
                t[k] = (s ++ "\x00")[0..s.len :0];
            }
            break :blk t;
        };

        /// The classes' behaviour, shared: `k` is a run-time argument, so a module has one copy of this
        /// code whatever its number of classes; each type's slots are thin wrappers (Class(k)).
        const Impl = struct {
            inline fn fieldCount(k: u16) usize {
                return spec.classes[k].fields.len;
            }

            // ---- construction ----

            noinline fn attrIndex(k: u16, st: *M.State, name: *c.PyObject) ?usize {
                for (0..fieldCount(k)) |j| {
                    if (st.attr_names[M.field_offsets[k] + j] == name) return j;
                }
                var len: c.Py_ssize_t = 0;
                const p = c.PyUnicode_AsUTF8AndSize(name, &len) orelse {
                    c.PyErr_Clear();
                    return null;
                };
                const s = p[0..@intCast(len)];
                for (spec.classes[k].fields, 0..) |f, j| {
                    if (std.mem.eql(u8, s, f.attr)) return j;
                }
                return null;
            }

            /// The value a field keeps for `v`; null: absent (None given for an optional
            /// field whose schema does not allow null).
            noinline fn fieldValue(k: u16, ctx: *Ctx, st: *M.State, j: usize, v: *c.PyObject) Fail!?*c.PyObject {
                if (M.Converter.field(ctx, st, k, j, v)) |r| return r else |e| {
                    if (!spec.classes[k].fields[j].required) {
                        if (v == c.none() and ctx.kind == .validation) {
                            ctx.reset();
                            return null;
                        }
                    }
                    return e;
                }
            }

            noinline fn construct(k: u16, t: *c.PyTypeObject, args: [*]const *c.PyObject, nargs: usize, kwnames: ?*c.PyObject) ?*c.PyObject {
                if (nargs > 0) {
                    _ = c.PyErr_Format(c.exc("TypeError"), "%s() takes no positional arguments (its fields are keyword-only: %s)", spec.classes[k].name.ptr, field_lists[k].ptr);
                    return null;
                }
                const st = stateOf(t);
                const o = alloc(t, k) orelse return null;
                var ctx = M.newCtx(st);
                const nk: usize = if (kwnames) |kn| @intCast(c.varSize(kn)) else 0;
                for (0..nk) |i| {
                    const name = c.tupleItem(kwnames.?, i);
                    const j = attrIndex(k, st, name) orelse {
                        c.decref(o);
                        _ = c.PyErr_Format(c.exc("TypeError"), "%s() got an unexpected keyword argument '%U'", spec.classes[k].name.ptr, name);
                        return null;
                    };
                    const r = fieldValue(k, &ctx, st, j, args[i]) catch {
                        c.decref(o);
                        ctx.raise();
                        return null;
                    };
                    store(o, j + 1, r);
                }
                if (missingRequired(k, o)) {
                    c.decref(o);
                    return null;
                }
                finish(&ctx, st, k, o, null) catch {
                    c.decref(o);
                    ctx.raise();
                    return null;
                };
                return o;
            }

            /// TypeError naming the missing required keywords, as a Python signature would.
            noinline fn missingRequired(k: u16, o: *c.PyObject) bool {
                var missing: usize = 0;
                for (spec.classes[k].fields, 0..) |f, j| {
                    if (f.required and slot(o, j + 1).* == null) missing += 1;
                }
                if (missing == 0) return false;
                const l = c.PyList_New(0) orelse return true;
                defer c.decref(l);
                for (spec.classes[k].fields, 0..) |f, j| {
                    if (f.required and slot(o, j + 1).* == null) {
                        const s = c.PyUnicode_FromFormat("'%s'", f.attr.ptr) orelse return true;
                        defer c.decref(s);
                        if (c.PyList_Append(l, s) < 0) return true;
                    }
                }
                const sep = c.PyUnicode_FromString(", ") orelse return true;
                defer c.decref(sep);
                const names = c.PyUnicode_Join(sep, l) orelse return true;
                defer c.decref(names);
                _ = c.PyErr_Format(c.exc("TypeError"), "%s() missing %zu required keyword-only argument%s: %U", spec.classes[k].name.ptr, missing, @as([*:0]const u8, if (missing == 1) "" else "s"), names);
                return true;
            }

            noinline fn vectorcallNew(k: u16, t: *c.PyObject, args: [*]const *c.PyObject, nargsf: usize, kwnames: ?*c.PyObject) ?*c.PyObject {
                return construct(k, @ptrCast(t), args, nargsf & ~c.PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
            }

            noinline fn tpNew(k: u16, t: *c.PyTypeObject, args: ?*c.PyObject, kwds: ?*c.PyObject) ?*c.PyObject {
                var stack: [16]*c.PyObject = undefined;
                const va = vector_args.fromTupleAndDict(&stack, args, kwds) orelse return null;
                defer va.deinit();
                return construct(k, t, va.items, va.nargs, va.kwnames);
            }

            // ---- attributes ----

            noinline fn tpSetattro(k: u16, o: *c.PyObject, name: *c.PyObject, value: ?*c.PyObject) c_int {
                const st = stateOf(c.typeOf(o));
                if (c.hasFlag(name, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
                    if (attrIndex(k, st, name)) |j| return setField(k, o, st, j, value);
                }
                return c.PyObject_GenericSetAttr(o, name, value);
            }

            noinline fn setField(k: u16, o: *c.PyObject, st: *M.State, j: usize, value: ?*c.PyObject) c_int {
                const f = &spec.classes[k].fields[j];
                const v = value orelse {
                    if (f.required) {
                        _ = c.PyErr_Format(c.exc("AttributeError"), "cannot delete required field '%s' of %s", f.attr.ptr, spec.classes[k].name.ptr);
                        return -1;
                    }
                    if (slot(o, j + 1).* == null) {
                        _ = c.PyErr_Format(c.exc("AttributeError"), "'%s' object's field '%s' is absent", spec.classes[k].name.ptr, f.attr.ptr);
                        return -1;
                    }
                    store(o, j + 1, null);
                    return 0;
                };
                var ctx = M.newCtx(st);
                const r = fieldValue(k, &ctx, st, j, v) catch {
                    ctx.raise();
                    return -1;
                };
                if (r) |x| retrack(o, x);
                store(o, j + 1, r);
                return 0;
            }

            noinline fn getExtra(k: u16, o: *c.PyObject, _: ?*anyopaque) ?*c.PyObject {
                _ = k;
                if (slot(o, 0).*) |ex| return c.PyDict_Copy(ex);
                return c.PyDict_New();
            }

            // ---- methods ----

            noinline fn fromJson(k: u16, t: *c.PyObject, data: *c.PyObject) ?*c.PyObject {
                return M.Decoder.fromJsonClass(stateOf(@ptrCast(t)), data, k, .single, "from_json");
            }
            noinline fn fromJsonArray(k: u16, t: *c.PyObject, data: *c.PyObject) ?*c.PyObject {
                return M.Decoder.fromJsonClass(stateOf(@ptrCast(t)), data, k, .array, "from_json_array");
            }
            noinline fn fromJsonLines(k: u16, t: *c.PyObject, data: *c.PyObject) ?*c.PyObject {
                return M.Decoder.fromJsonClass(stateOf(@ptrCast(t)), data, k, .lines, "from_json_lines");
            }
            noinline fn fromDict(k: u16, t: *c.PyObject, data: *c.PyObject) ?*c.PyObject {
                return M.Converter.topClass(stateOf(@ptrCast(t)), k, data);
            }
            noinline fn toJson(k: u16, o: *c.PyObject, _: ?*c.PyObject) ?*c.PyObject {
                _ = k;
                return M.Encoder.toJson(stateOf(c.typeOf(o)), o);
            }
            noinline fn toDict(k: u16, o: *c.PyObject, _: ?*c.PyObject) ?*c.PyObject {
                return M.Encoder.instanceDict(stateOf(c.typeOf(o)), k, o) catch null;
            }
            noinline fn copy(k: u16, o: *c.PyObject, _: ?*c.PyObject) ?*c.PyObject {
                const n = alloc(c.typeOf(o), k) orelse return null;
                for (1..fieldCount(k) + 1) |i| {
                    if (slot(o, i).*) |x| slot(n, i).* = c.newref(x);
                }
                if (slot(o, 0).*) |ex| slot(n, 0).* = c.PyDict_Copy(ex) orelse {
                    c.decref(n);
                    return null;
                };
                if (c.PyObject_GC_IsTracked(o) != 0) c.PyObject_GC_Track(n);
                return n;
            }
            /// Values are JSON data: a deep copy is the instance rebuilt from its dict form.
            noinline fn deepcopy(k: u16, o: *c.PyObject, _: *c.PyObject) ?*c.PyObject {
                const st = stateOf(c.typeOf(o));
                const d = M.Encoder.instanceDict(st, k, o) catch return null;
                defer c.decref(d);
                return M.Converter.topClass(st, k, d);
            }
            /// `(Cls.from_dict, (self.to_dict(),))`: absent fields stay absent, explicit
            /// nulls stay None, extras are kept, and loading validates.
            noinline fn reduce(k: u16, o: *c.PyObject, _: ?*c.PyObject) ?*c.PyObject {
                const st = stateOf(c.typeOf(o));
                const d = M.Encoder.instanceDict(st, k, o) catch return null;
                defer c.decref(d);
                const f = c.PyObject_GetAttrString(@ptrCast(@alignCast(c.typeOf(o))), "from_dict") orelse return null;
                defer c.decref(f);
                const args = c.PyTuple_New(1) orelse return null;
                defer c.decref(args);
                _ = c.PyTuple_SetItem(args, 0, c.newref(d));
                const r = c.PyTuple_New(2) orelse return null;
                _ = c.PyTuple_SetItem(r, 0, c.newref(f));
                _ = c.PyTuple_SetItem(r, 1, c.newref(args));
                return r;
            }

            // ---- comparison, repr ----

            noinline fn tpRichcompare(k: u16, a: *c.PyObject, b: *c.PyObject, op: c_int) ?*c.PyObject {
                if (a.ob_type != b.ob_type or (op != c.Py_EQ and op != c.Py_NE)) return c.notImplemented();
                const eq = equal(k, a, b) orelse return null;
                return c.newref(if (eq == (op == c.Py_EQ)) &c._Py_TrueStruct else &c._Py_FalseStruct);
            }

            noinline fn equal(k: u16, a: *c.PyObject, b: *c.PyObject) ?bool {
                for (1..fieldCount(k) + 1) |i| {
                    const x = slot(a, i).* orelse c.none();
                    const y = slot(b, i).* orelse c.none();
                    if (x == y) continue;
                    const r = c.PyObject_RichCompareBool(x, y, c.Py_EQ);
                    if (r < 0) return null;
                    if (r == 0) return false;
                }
                const ea = slot(a, 0).*;
                const eb = slot(b, 0).*;
                const na = if (ea) |e| c.PyDict_Size(e) else 0;
                const nb = if (eb) |e| c.PyDict_Size(e) else 0;
                if (na == 0 and nb == 0) return true;
                if (na != nb) return false;
                const r = c.PyObject_RichCompareBool(ea.?, eb.?, c.Py_EQ);
                if (r < 0) return null;
                return r == 1;
            }

            /// `Qualname(a=1, b='x')` as a dataclass writes it; `...` for a recursive reference.
            noinline fn tpRepr(k: u16, o: *c.PyObject) ?*c.PyObject {
                const entered = c.Py_ReprEnter(o);
                if (entered < 0) return null;
                if (entered > 0) return c.PyUnicode_FromString("...");
                defer c.Py_ReprLeave(o);
                const parts = c.PyList_New(0) orelse return null;
                defer c.decref(parts);
                const head = c.PyUnicode_FromFormat("%s(", spec.classes[k].qualname.ptr) orelse return null;
                defer c.decref(head);
                if (c.PyList_Append(parts, head) < 0) return null;
                for (spec.classes[k].fields, 0..) |f, j| {
                    const x = slot(o, j + 1).* orelse c.none();
                    const p = c.PyUnicode_FromFormat("%s%s=%R", @as([*:0]const u8, if (j == 0) "" else ", "), f.attr.ptr, x) orelse return null;
                    defer c.decref(p);
                    if (c.PyList_Append(parts, p) < 0) return null;
                }
                const tail = c.PyUnicode_FromString(")") orelse return null;
                defer c.decref(tail);
                if (c.PyList_Append(parts, tail) < 0) return null;
                const empty = c.PyUnicode_FromStringAndSize(null, 0) orelse return null;
                defer c.decref(empty);
                return c.PyUnicode_Join(empty, parts);
            }

            // ---- lifetime ----

            noinline fn tpDealloc(k: u16, o: *c.PyObject) void {
                const t = c.typeOf(o);
                c.PyObject_GC_UnTrack(o);
                clearSlots(k, o);
                const free_fn: *const fn (?*anyopaque) callconv(.c) void = @ptrCast(@alignCast(c.PyType_GetSlot(t, c.slot.tp_free).?));
                free_fn(o);
                c.decref(@ptrCast(@alignCast(t)));
            }

            noinline fn clearSlots(k: u16, o: *c.PyObject) void {
                for (0..fieldCount(k) + 1) |i| store(o, i, null);
            }

            noinline fn tpTraverse(k: u16, o: *c.PyObject, visit: c.visitproc, arg: ?*anyopaque) c_int {
                for (0..fieldCount(k) + 1) |i| {
                    if (slot(o, i).*) |x| {
                        const r = visit(x, arg);
                        if (r != 0) return r;
                    }
                }
                return visit(@ptrCast(@alignCast(c.typeOf(o))), arg);
            }

            noinline fn tpClear(k: u16, o: *c.PyObject) c_int {
                clearSlots(k, o);
                return 0;
            }
        };

        fn Class(comptime k: u16) type {
            const cls = spec.classes[k];
            const F = cls.fields.len;
            return struct {
                fn vectorcallNew(t: *c.PyObject, args: [*]const *c.PyObject, nargsf: usize, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.vectorcallNew(k, t, args, nargsf, kwnames);
                }
                fn tpNew(t: *c.PyTypeObject, args: ?*c.PyObject, kwds: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.tpNew(k, t, args, kwds);
                }
                fn tpSetattro(o: *c.PyObject, name: *c.PyObject, value: ?*c.PyObject) callconv(.c) c_int {
                    return Impl.tpSetattro(k, o, name, value);
                }
                fn getExtra(o: *c.PyObject, unused: ?*anyopaque) callconv(.c) ?*c.PyObject {
                    return Impl.getExtra(k, o, unused);
                }
                fn fromJson(t: *c.PyObject, data: *c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.fromJson(k, t, data);
                }
                fn fromJsonArray(t: *c.PyObject, data: *c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.fromJsonArray(k, t, data);
                }
                fn fromJsonLines(t: *c.PyObject, data: *c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.fromJsonLines(k, t, data);
                }
                fn fromDict(t: *c.PyObject, data: *c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.fromDict(k, t, data);
                }
                fn toJson(o: *c.PyObject, unused: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.toJson(k, o, unused);
                }
                fn toDict(o: *c.PyObject, unused: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.toDict(k, o, unused);
                }
                fn copy(o: *c.PyObject, unused: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.copy(k, o, unused);
                }
                fn deepcopy(o: *c.PyObject, unused: *c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.deepcopy(k, o, unused);
                }
                fn reduce(o: *c.PyObject, unused: ?*c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.reduce(k, o, unused);
                }
                fn tpRichcompare(a: *c.PyObject, b: *c.PyObject, op: c_int) callconv(.c) ?*c.PyObject {
                    return Impl.tpRichcompare(k, a, b, op);
                }
                fn tpRepr(o: *c.PyObject) callconv(.c) ?*c.PyObject {
                    return Impl.tpRepr(k, o);
                }
                fn tpDealloc(o: *c.PyObject) callconv(.c) void {
                    return Impl.tpDealloc(k, o);
                }
                fn tpTraverse(o: *c.PyObject, visit: c.visitproc, arg: ?*anyopaque) callconv(.c) c_int {
                    return Impl.tpTraverse(k, o, visit, arg);
                }
                fn tpClear(o: *c.PyObject) callconv(.c) c_int {
                    return Impl.tpClear(k, o);
                }

                // ---- the type ----

                const members = blk: {
                    @setEvalBranchQuota(M.eval_quota);
                    var defs: [F + 1]c.PyMemberDef = undefined;
                    for (cls.fields, 0..) |f, j| {
                        // READONLY for object.__setattr__: plain assignment goes through tpSetattro, which validates.
                        defs[j] = .{ .name = f.attr, .type = c.T_OBJECT, .offset = slotOffset(j + 1), .flags = c.READONLY, .doc = (f.doc orelse f.type_name).ptr };
                    }
                    defs[F] = .{ .name = null, .type = 0, .offset = 0, .flags = 0, .doc = null };
                    const final = defs;
                    break :blk final;
                };

                const getsets = [_]c.PyGetSetDef{
                    .{ .name = "__extra__", .get = &getExtra, .set = null, .doc = "The properties beyond the schema's (a new dict; {} when there are none).", .closure = null },
                    c.PyGetSetDef.sentinel,
                };

                const methods = [_]c.PyMethodDef{
                    .{ .ml_name = "from_json", .ml_meth = @ptrCast(&fromJson), .ml_flags = c.METH_O | c.METH_CLASS, .ml_doc = "from_json(data)\n--\n\nParse and validate one JSON object (str, bytes, bytearray or memoryview) as an instance." },
                    .{ .ml_name = "from_json_array", .ml_meth = @ptrCast(&fromJsonArray), .ml_flags = c.METH_O | c.METH_CLASS, .ml_doc = "from_json_array(data)\n--\n\nParse and validate a JSON array of objects as a list of instances." },
                    .{ .ml_name = "from_json_lines", .ml_meth = @ptrCast(&fromJsonLines), .ml_flags = c.METH_O | c.METH_CLASS, .ml_doc = "from_json_lines(data)\n--\n\nParse and validate one JSON object per line (blank lines skipped) as a list of instances." },
                    .{ .ml_name = "from_dict", .ml_meth = @ptrCast(&fromDict), .ml_flags = c.METH_O | c.METH_CLASS, .ml_doc = "from_dict(mapping)\n--\n\nValidate a mapping keyed by JSON property names and make an instance." },
                    .{ .ml_name = "to_json", .ml_meth = @ptrCast(&toJson), .ml_flags = c.METH_NOARGS, .ml_doc = "to_json()\n--\n\nThe instance as compact JSON text (schema order, extras after, absent fields omitted)." },
                    .{ .ml_name = "to_dict", .ml_meth = @ptrCast(&toDict), .ml_flags = c.METH_NOARGS, .ml_doc = "to_dict()\n--\n\nThe instance as a dict keyed by JSON property names (nested values converted, absent fields omitted)." },
                    .{ .ml_name = "__copy__", .ml_meth = @ptrCast(&copy), .ml_flags = c.METH_NOARGS, .ml_doc = null },
                    .{ .ml_name = "__deepcopy__", .ml_meth = @ptrCast(&deepcopy), .ml_flags = c.METH_O, .ml_doc = null },
                    .{ .ml_name = "__reduce__", .ml_meth = @ptrCast(&reduce), .ml_flags = c.METH_NOARGS, .ml_doc = null },
                    c.PyMethodDef.sentinel,
                };

                fn signatureText() []const u8 {
                    var s: []const u8 = cls.name ++ "(*";
                    for (cls.fields) |f| {
                        s = s ++ ", " ++ f.attr;
                        if (!f.required) s = s ++ "=" ++ (if (f.default) |d| defaultLiteral(d) else "None");
                    }
                    return s ++ ")\n--\n\n";
                }

                const doc: [:0]const u8 = signatureText() ++ (cls.doc orelse "A class of schema " ++ spec.name ++ " (" ++ cls.pointer ++ ").");

                const type_slots = [_]c.PyType_Slot{
                    .{ .slot = c.slot.tp_dealloc, .pfunc = @ptrCast(&tpDealloc) },
                    .{ .slot = c.slot.tp_traverse, .pfunc = @ptrCast(&tpTraverse) },
                    .{ .slot = c.slot.tp_clear, .pfunc = @ptrCast(&tpClear) },
                    .{ .slot = c.slot.tp_new, .pfunc = @ptrCast(&tpNew) },
                    .{ .slot = c.slot.tp_setattro, .pfunc = @ptrCast(&tpSetattro) },
                    .{ .slot = c.slot.tp_richcompare, .pfunc = @ptrCast(&tpRichcompare) },
                    .{ .slot = c.slot.tp_hash, .pfunc = @ptrCast(&c.PyObject_HashNotImplemented) },
                    .{ .slot = c.slot.tp_repr, .pfunc = @ptrCast(&tpRepr) },
                    .{ .slot = c.slot.tp_members, .pfunc = @ptrCast(&members) },
                    .{ .slot = c.slot.tp_getset, .pfunc = @ptrCast(&getsets) },
                    .{ .slot = c.slot.tp_methods, .pfunc = @ptrCast(&methods) },
                    .{ .slot = c.slot.tp_doc, .pfunc = doc.ptr },
                    .{ .slot = 0, .pfunc = null },
                };

                var type_spec: c.PyType_Spec = .{
                    .name = spec.name ++ "." ++ cls.name,
                    .basicsize = @intCast(slotOffset(F + 1)),
                    .itemsize = 0,
                    .flags = c.Py_TPFLAGS_DEFAULT | c.Py_TPFLAGS_HAVE_GC,
                    .slots = &type_slots,
                };
            };
        }

        /// A default as a text-signature literal: JSON scalars Python reads the same; else `...`.
        fn defaultLiteral(comptime text: []const u8) []const u8 {
            if (std.mem.eql(u8, text, "true")) return "True";
            if (std.mem.eql(u8, text, "false")) return "False";
            if (std.mem.eql(u8, text, "null")) return "None";
            if (text[0] == '-' or std.ascii.isDigit(text[0])) return text;
            if (text[0] == '"' and std.mem.indexOfScalar(u8, text, '\\') == null and text.len < 60) return text;
            return "...";
        }
    };
}
