//! `schema.module(spec)`: the extension module of a `.zig.json` schema.  Its state holds what
//! only exists at run time (the class objects, compiled patterns, enum values and defaults as
//! Python objects, interned names, the exception classes); everything else is specialised
//! from the spec at compile time (src/schema/decode.zig, convert.zig, encode.zig, class.zig).
const std = @import("std");
const c = @import("../capi.zig");
const spec_types = @import("spec.zig");
const context = @import("context.zig");
const reader = @import("reader.zig");
const fallback_errors = @import("fallback_errors.zig");
const state_refs = @import("../state_refs.zig");
const Spec = spec_types.Spec;
const Node = spec_types.Node;

/// Export the module init for `spec` (call from a `comptime` block of the generated file).
pub fn module(comptime spec: Spec) void {
    const M = Module(spec);
    @export(&M.init, .{ .name = @import("zigimport_options").init_symbol });
}

/// Comptime work is a bounded number of passes over nodes, classes and fields.
pub fn quota(comptime spec: Spec) u32 {
    var fields: u32 = 0;
    for (spec.classes) |k| fields += @intCast(k.fields.len);
    return 20_000 + 400 * (@as(u32, @intCast(spec.nodes.len)) + fields + @as(u32, @intCast(spec.classes.len)) + @as(u32, @intCast(spec.roots.len)));
}

fn withPlaceholderClass(comptime s: Spec) Spec {
    var out = s;
    out.classes = &.{.{ .name = "_", .qualname = "_", .pointer = "#", .fields = &.{} }};
    return out;
}

pub fn Module(comptime spec_: Spec) type {
    @setEvalBranchQuota(quota(spec_));
    comptime {
        std.debug.assert(spec_.roots.len >= 1);
        for (spec_.roots) |r| std.debug.assert(r.node < spec_.nodes.len);
        for (spec_.nodes) |n| {
            if (n.class) |k| std.debug.assert(k < spec_.classes.len);
            if (n.pattern) |p| std.debug.assert(p < spec_.patterns.len);
        }
    }
    return struct {
        const M = @This();
        /// A schema without objects (`{"type": "array", "items": {"type": "integer"}}`) has no classes, but
        /// the decoder, converter and encoder index `spec.classes[k]` at run time for the nodes that have
        /// one: a placeholder class (no fields, never created: NC stays 0) keeps that code compiling.
        pub const spec = if (spec_.classes.len > 0) spec_ else withPlaceholderClass(spec_);
        pub const eval_quota = quota(spec_);
        pub const NC = spec_.classes.len;

        /// Offsets of each node's enum values and each class's fields in the flat state arrays.
        pub const enum_offsets = blk: {
            var offs: [spec.nodes.len]u32 = undefined;
            var total: u32 = 0;
            for (spec.nodes, 0..) |n, i| {
                offs[i] = total;
                if (n.enum_values) |e| total += @intCast(e.len);
            }
            break :blk .{ offs, total };
        };
        pub const field_offsets = blk: {
            var offs: [NC + 1]u32 = undefined;
            var total: u32 = 0;
            for (spec.classes, 0..) |k, i| {
                offs[i] = total;
                total += @intCast(k.fields.len);
            }
            offs[NC] = total;
            break :blk offs;
        };
        pub const NE = enum_offsets[1];
        pub const NF = field_offsets[NC];

        /// Per-node flags and messages, per-field key texts: static tables the decoder reads.
        pub const flags = blk: {
            @setEvalBranchQuota(eval_quota);
            break :blk @import("decode.zig").nodeFlags(spec.nodes);
        };
        pub const type_lists = blk: {
            @setEvalBranchQuota(eval_quota);
            var t: [spec.nodes.len][:0]const u8 = undefined;
            for (spec.nodes, 0..) |n, i| t[i] = @import("checks.zig").typeList(n);
            break :blk t;
        };
        pub const key_texts = blk: {
            @setEvalBranchQuota(eval_quota);
            var t: [NF][]const u8 = undefined;
            for (spec.classes, 0..) |cls, k| {
                for (cls.fields, 0..) |f, j| t[field_offsets[k] + j] = "," ++ @import("encode.zig").keyText(f.key);
            }
            break :blk t;
        };

        /// The patterns the native matcher takes (src/schema/pattern.zig); null: Python's `re` only.
        pub const programs = blk: {
            var t: [@max(spec.patterns.len, 1)]?@import("pattern.zig").Program = undefined;
            t[0] = null;
            for (spec.patterns, 0..) |src, i| t[i] = @import("pattern.zig").compile(src);
            break :blk t;
        };

        /// Whether every property name is ASCII (then to_json's text is ASCII when its strings are).
        pub const keys_ascii = blk: {
            @setEvalBranchQuota(eval_quota);
            for (spec.classes) |cls| for (cls.fields) |f| for (f.key) |ch| if (ch >= 0x80) break :blk false;
            break :blk true;
        };

        /// enum/const for node `n`; an instance is compared in its JSON form (enum values are plain JSON).
        pub fn enumCheck(ctx: *context.Ctx, st: *State, n: u16, v: *c.PyObject, pos: ?usize) context.Fail!void {
            if (classIndex(st, v.ob_type) != null) {
                const p = Encoder.toPlain(st, v) catch return ctx.python();
                defer c.decref(p);
                return @import("checks.zig").enumCheck(ctx, st.enumValues(n), p, spec.nodes[n].is_const, pos);
            }
            return @import("checks.zig").enumCheck(ctx, st.enumValues(n), v, spec.nodes[n].is_const, pos);
        }

        /// The index of the class whose type is `t` (exact), if any.
        pub inline fn classIndex(st: *State, t: *c.PyTypeObject) ?u16 {
            for (st.types[0..NC], 0..) |x, k| {
                if (@as(*c.PyTypeObject, @ptrCast(x.?)) == t) return @intCast(k);
            }
            return null;
        }

        pub const State = struct {
            // (at least one entry each: the decoder indexes them at run time)
            types: [@max(NC, 1)]?*c.PyObject,
            patterns: [@max(spec.patterns.len, 1)]?*c.PyObject, // bound `re.Pattern.search`
            enums: [@max(NE, 1)]?*c.PyObject,
            defaults: [@max(NF, 1)]?*c.PyObject, // immutable defaults, decoded once
            attr_names: [@max(NF, 1)]?*c.PyObject, // interned
            keys: [@max(NF, 1)]?*c.PyObject, // interned JSON property names
            match_args: [@max(NC, 1)]?*c.PyObject,
            root_names: ?*c.PyObject,
            validation_error: ?*c.PyObject,
            decode_error: ?*c.PyObject,

            fn objects(st: *State) []?*c.PyObject {
                const first: [*]?*c.PyObject = @ptrCast(st);
                return first[0 .. @sizeOf(State) / @sizeOf(?*c.PyObject)];
            }

            pub fn enumValues(st: *State, n: u16) []const ?*c.PyObject {
                const e = spec.nodes[n].enum_values.?;
                return st.enums[enum_offsets[0][n]..][0..e.len];
            }
        };

        pub const Decoder = @import("decode.zig").Decoder(M);
        pub const Converter = @import("convert.zig").Converter(M);
        pub const Encoder = @import("encode.zig").Encoder(M);
        pub const Classes = @import("class.zig").Classes(M);

        pub fn stateOfModule(m: *c.PyObject) *State {
            return @ptrCast(@alignCast(c.PyModule_GetState(m).?));
        }
        pub fn stateOfType(t: *c.PyTypeObject) *State {
            return stateOfModule(c.PyType_GetModule(t).?);
        }

        /// A fresh context for one API call.
        pub fn newCtx(st: *State) context.Ctx {
            return .{ .validation_error = st.validation_error.?, .decode_error = st.decode_error.? };
        }

        /// Whether a default's JSON text is a container (decoded afresh for each instance).
        pub fn mutableDefault(text: []const u8) bool {
            return text[0] == '[' or text[0] == '{';
        }

        // ---- module functions: from_json, from_python, to_json ----

        /// The index of `root` (None: 0) in spec.roots, or null with KeyError/TypeError set.
        fn rootIndex(st: *State, root: ?*c.PyObject) ?usize {
            const r = root orelse return 0;
            if (r == c.none()) return 0;
            if (c.hasFlag(r, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
                var n: c.Py_ssize_t = 0;
                if (c.PyUnicode_AsUTF8AndSize(r, &n)) |p| {
                    const s = p[0..@intCast(n)];
                    for (spec.roots, 0..) |ro, i| if (std.mem.eql(u8, s, ro.name)) return i;
                } else c.PyErr_Clear();
                const msg = c.PyUnicode_FromFormat("unknown root %R; the roots are %R", r, st.root_names.?) orelse return null;
                c.PyErr_SetObject(c.exc("KeyError"), msg);
                c.decref(msg);
                return null;
            }
            _ = c.PyErr_Format(c.exc("TypeError"), "root must be a str or None, not %s", c.typeNameOf(r));
            return null;
        }

        /// Parse `(value, *, root=None)` from a fastcall.
        fn oneArgAndRoot(comptime fname: [:0]const u8, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) ?struct { *c.PyObject, ?*c.PyObject } {
            const nk: usize = if (kwnames) |k| @intCast(c.varSize(k)) else 0;
            if (nargs != 1) {
                _ = c.PyErr_Format(c.exc("TypeError"), fname ++ "() takes exactly 1 positional argument (%zd given)", nargs);
                return null;
            }
            var root: ?*c.PyObject = null;
            for (0..nk) |i| {
                const k = c.tupleItem(kwnames.?, i);
                const s = c.PyUnicode_AsUTF8(k) orelse return null;
                if (!std.mem.eql(u8, std.mem.span(s), "root")) {
                    _ = c.PyErr_Format(c.exc("TypeError"), fname ++ "() got an unexpected keyword argument '%U'", k);
                    return null;
                }
                root = args[@as(usize, @intCast(nargs)) + i];
            }
            return .{ args[0], root };
        }

        fn modFromJson(m: *c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const a = oneArgAndRoot("from_json", args, nargs, kwnames) orelse return null;
            const st = stateOfModule(m);
            const ri = rootIndex(st, a[1]) orelse return null;
            return Decoder.fromJson(st, a[0], spec.roots[ri].node, "from_json");
        }

        fn modFromPython(m: *c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const a = oneArgAndRoot("from_python", args, nargs, kwnames) orelse return null;
            const st = stateOfModule(m);
            const ri = rootIndex(st, a[1]) orelse return null;
            return Converter.top(st, spec.roots[ri].node, a[0]);
        }

        fn modToJson(m: *c.PyObject, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const a = oneArgAndRoot("to_json", args, nargs, kwnames) orelse return null;
            const st = stateOfModule(m);
            const ri = rootIndex(st, a[1]) orelse return null;
            const v = Converter.top(st, spec.roots[ri].node, a[0]) orelse return null;
            defer c.decref(v);
            return Encoder.toJson(st, v);
        }

        // ---- module init ----

        fn exec(m: *c.PyObject) callconv(.c) c_int {
            @setEvalBranchQuota(eval_quota);
            const st = stateOfModule(m);
            // zigimport.errors' classes, or stand-ins when zigimport is not installed (a prebuilt wheel)
            const errors = fallback_errors.load(m) orelse return -1;
            defer c.decref(errors);
            st.validation_error = fallback_errors.get(errors, "SchemaValidationError") orelse return -1;
            st.decode_error = fallback_errors.get(errors, "SchemaDecodeError") orelse return -1;
            if (spec.patterns.len > 0) {
                const re = c.PyImport_ImportModule("re") orelse return -1;
                defer c.decref(re);
                for (spec.patterns, 0..) |p, i| {
                    const compiled = c.PyObject_CallMethod(re, "compile", "s", p.ptr) orelse return -1;
                    defer c.decref(compiled);
                    st.patterns[i] = c.PyObject_GetAttrString(compiled, "search") orelse return -1;
                }
            }
            for (spec.classes, 0..) |cls, k| {
                for (cls.fields, 0..) |f, j| {
                    st.attr_names[field_offsets[k] + j] = c.PyUnicode_InternFromString(f.attr) orelse return -1;
                    st.keys[field_offsets[k] + j] = c.PyUnicode_InternFromString(f.key) orelse return -1;
                }
            }
            // Classes before enum values and defaults: those may be instances.
            inline for (0..NC) |k| {
                st.types[k] = Classes.create(m, st, k) orelse return -1;
                if (c.PyModule_AddObjectRef(m, spec.classes[k].name, st.types[k].?) < 0) return -1;
            }
            for (spec.nodes, 0..) |n, i| {
                if (n.enum_values) |vals| {
                    for (vals, 0..) |text, j| {
                        var v = Decoder.plainText(st, text) orelse return -1;
                        // Enum strings come back as these objects: interned, so `is` and dict lookups are fast.
                        if (v.ob_type == c.PyUnicode_Type) c.PyUnicode_InternInPlace(&v);
                        st.enums[enum_offsets[0][i] + j] = v;
                    }
                }
            }
            for (spec.classes, 0..) |cls, k| {
                for (cls.fields, 0..) |f, j| {
                    if (f.default) |text| {
                        if (!mutableDefault(text)) {
                            st.defaults[field_offsets[k] + j] = Decoder.defaultValue(st, f.node, text) orelse return -1;
                        }
                    }
                }
            }
            const names = c.PyTuple_New(@intCast(spec.roots.len)) orelse return -1;
            st.root_names = names;
            for (spec.roots, 0..) |ro, i| _ = c.PyTuple_SetItem(names, @intCast(i), c.PyUnicode_FromString(ro.name) orelse return -1);
            if (c.PyModule_AddObjectRef(m, "roots", names) < 0) return -1;
            if (c.PyModule_AddObjectRef(m, "SchemaValidationError", st.validation_error.?) < 0) return -1;
            if (c.PyModule_AddObjectRef(m, "SchemaDecodeError", st.decode_error.?) < 0) return -1;
            return 0;
        }

        fn stateTraverse(m: *c.PyObject, visit: c.visitproc, arg: ?*anyopaque) callconv(.c) c_int {
            const st: *State = @ptrCast(@alignCast(c.PyModule_GetState(m) orelse return 0));
            return state_refs.visitAll(st.objects(), visit, arg);
        }

        fn stateClear(m: *c.PyObject) callconv(.c) c_int {
            const st: *State = @ptrCast(@alignCast(c.PyModule_GetState(m) orelse return 0));
            state_refs.clearAll(st.objects());
            return 0;
        }

        fn stateFree(m: ?*anyopaque) callconv(.c) void {
            _ = stateClear(@ptrCast(@alignCast(m.?)));
        }

        const methods = [_]c.PyMethodDef{
            .{ .ml_name = "from_json", .ml_meth = @ptrCast(&modFromJson), .ml_flags = c.METH_FASTCALL | c.METH_KEYWORDS, .ml_doc = "from_json(data, *, root=None)\n--\n\nParse and validate JSON text (str, bytes, bytearray or memoryview) against a root of the schema (default: the first)." },
            .{ .ml_name = "from_python", .ml_meth = @ptrCast(&modFromPython), .ml_flags = c.METH_FASTCALL | c.METH_KEYWORDS, .ml_doc = "from_python(value, *, root=None)\n--\n\nValidate and convert a Python value (mappings become class instances) against a root of the schema." },
            .{ .ml_name = "to_json", .ml_meth = @ptrCast(&modToJson), .ml_flags = c.METH_FASTCALL | c.METH_KEYWORDS, .ml_doc = "to_json(value, *, root=None)\n--\n\nValidate a Python value against a root of the schema and write it as compact JSON text." },
            c.PyMethodDef.sentinel,
        };
        const mod_slots = [_]c.PyModuleDef_Slot{
            .{ .slot = c.Py_mod_exec, .value = @ptrCast(&exec) },
            .{ .slot = if (c.py_minor >= 12) c.Py_mod_multiple_interpreters else 0, .value = c.Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED },
            .{ .slot = 0, .value = null },
        };
        var def: c.PyModuleDef = .{
            .m_base = c.PyModuleDef_HEAD_INIT,
            .m_name = @import("zigimport_options").module_name,
            .m_doc = if (spec.doc) |d| d.ptr else "Schema module " ++ spec.name ++ " (generated by zigimport).",
            .m_size = @sizeOf(State),
            .m_methods = &methods,
            .m_slots = &mod_slots,
            .m_traverse = @ptrCast(&stateTraverse),
            .m_clear = @ptrCast(&stateClear),
            .m_free = @ptrCast(&stateFree),
        };

        pub fn init() callconv(.c) ?*c.PyObject {
            return c.PyModuleDef_Init(&def);
        }
    };
}
