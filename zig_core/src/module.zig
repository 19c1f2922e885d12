//! Module registration: `py.module(@This())` exports the PyInit function of
//! the module zigimport is building (multi-phase init, PEP 489) and embeds the
//! module's `.pyi` stub.  What the module holds, from its `pub` declarations:
//!
//! - `pub fn` -> a function;
//! - `py.class(struct { ... })` -> a class (src/class.zig);
//! - `py.exception(.Base, "doc")` -> an exception class (src/exception.zig);
//! - `py.submodule(struct { ... })` -> a submodule `mod.name`, also in sys.modules;
//! - any other `pub const` whose value converts (numbers, strings, enums, arrays
//!   and tuples of them, ...) -> a constant (src/constants.zig).  Types, imports,
//!   allocators and `pub var`s stay Zig-only.
//!
//! `pub const __exclude__ = .{ "helper", ... };` keeps the named declarations
//! Zig-only, for `pub fn`s that other Zig files use but Python cannot call.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const function = @import("function.zig");
const source_info = @import("source_info.zig");
const stub = @import("stub.zig");
const options = @import("zigimport_options");
const class = @import("class.zig");
const constants = @import("constants.zig");
const exception = @import("exception.zig");
const convert = @import("convert.zig");
const signature = @import("signature.zig");

/// Register the struct `M` (a file's `@This()`) as the Python module being built.
/// Call it from a `comptime` block in the module's root file.
pub fn module(comptime M: type) void {
    // A test binary (src/test_runner.zig) exports its own init symbol; the module is not built there.
    if (@hasDecl(@import("root"), "zigimport_test_runner")) return;
    const Def = ModuleDef(M);
    @export(&Def.init, .{ .name = options.init_symbol });
    // The stub text, read out of the binary by zigimport (never loaded at run time).
    @export(&Def.stub_text, .{ .name = "zigimport_stub" });
}

/// `pub const linalg = py.submodule(struct { pub fn dot(...) ... });` makes `mod.linalg`,
/// a module object that `import mod.linalg` and `from mod.linalg import dot` find.
/// Returns `S` unchanged (Zig code calls `linalg.dot` as before); zigimport's source
/// scan tells zig_core which declarations call it.
pub fn submodule(comptime S: type) type {
    if (reflect.kind(S) != .@"struct" or reflect.isTuple(S)) @compileError("py.submodule expects a namespace struct, got " ++ @typeName(S));
    return S;
}

/// Declarations the build root reads from the user's file, not Python functions.
const reserved = [_][]const u8{ "panic", "std_options", "__doc__", "__exclude__" };

pub fn isReserved(comptime name: []const u8) bool {
    for (reserved) |r| {
        if (std.mem.eql(u8, r, name)) return true;
    }
    return false;
}

/// What a pub declaration of a namespace (the root file or a submodule) is in Python.
pub const DeclKind = enum { function, class, exception, submodule, constant, zig_only };

/// `info` is the namespace's source scan (src/source_info.zig).
pub fn declKind(comptime M: type, comptime info: type, comptime name: []const u8) DeclKind {
    if (isReserved(name) or isExcluded(M, name)) return .zig_only;
    const D = @TypeOf(@field(M, name));
    if (reflect.isFunction(D)) return .function;
    if (D == type) {
        const T = @field(M, name);
        if (exception.isException(T)) return .exception;
        if (scanned(info, "__submodules__", name)) return .submodule;
        if (scanned(info, "__classes__", name)) return .class;
        return .zig_only;
    }
    if (reflect.declIsConst(M, name) and constants.isConstantType(D)) return .constant;
    return .zig_only;
}

fn scanned(comptime info: type, comptime list: []const u8, comptime name: []const u8) bool {
    return @hasDecl(info, list) and @hasDecl(@field(info, list), name);
}

/// Names of the pub declarations of `M` of one kind, in source order.
pub fn namesOf(comptime M: type, comptime info: type, comptime kind: DeclKind) []const [:0]const u8 {
    @setEvalBranchQuota(100_000 + 1000 * reflect.declNames(M).len);
    var names: []const [:0]const u8 = &.{};
    for (reflect.declNames(M)) |name| {
        if (declKind(M, info, name) == kind) names = names ++ .{name};
    }
    return names;
}

// ---- __exclude__ ----

fn excludedNames(comptime M: type) []const []const u8 {
    if (!@hasDecl(M, "__exclude__")) return &.{};
    const list = M.__exclude__;
    var names: []const []const u8 = &.{};
    inline for (0..list.len) |i| {
        const T = @TypeOf(list[i]);
        if (T == @EnumLiteral()) {
            names = names ++ .{@as([]const u8, @tagName(list[i]))};
        } else if (convert.category(T) == .string) {
            names = names ++ .{@as([]const u8, list[i])};
        } else @compileError("__exclude__ lists declaration names, like .{ \"helper\" } or .{ .helper }; item " ++
            std.fmt.comptimePrint("{d}", .{i + 1}) ++ " is a " ++ @typeName(T));
    }
    return names;
}

fn isExcluded(comptime M: type, comptime name: []const u8) bool {
    for (excludedNames(M)) |n| {
        if (std.mem.eql(u8, n, name)) return true;
    }
    return false;
}

/// Every name in `__exclude__` must be a pub declaration that would otherwise be exported.
fn checkExcluded(comptime M: type, comptime info: type, comptime where: []const u8) void {
    for (excludedNames(M)) |n| {
        const known = for (reflect.declNames(M)) |d| {
            if (std.mem.eql(u8, d, n)) break true;
        } else false;
        if (!known) @compileError("__exclude__ in " ++ where ++ " names '" ++ n ++ "', which is not a pub declaration there");
        if (scanned(info, "__classes__", n)) @compileError("__exclude__ in " ++ where ++ " names the py.class '" ++ n ++
            "'; to keep a struct out of Python, declare it without py.class(...)");
    }
}

// ---- what the root file holds ----

/// Comptime work per declaration of the module is bounded; the quota scales with their number.
pub fn declQuota(comptime decls: usize) u32 {
    return 10_000 + 2_000 * decls;
}

/// Names of the module's `py.class` declarations.
pub fn classNames(comptime M: type) []const [:0]const u8 {
    const decls = reflect.declNames(M);
    @setEvalBranchQuota(declQuota(decls.len));
    var names: [decls.len][:0]const u8 = undefined;
    var n: usize = 0;
    for (decls) |name| {
        if (isExcluded(M, name)) continue;
        if (@TypeOf(@field(M, name)) == type and class.className(@field(M, name)) != null) {
            names[n] = name;
            n += 1;
        }
    }
    const final = names[0..n].*; // filled in place: `++` per name would copy the list each time
    return &final;
}

/// Names of the module's `pub fn`s that become Python functions.
pub fn functionNames(comptime M: type) []const [:0]const u8 {
    return Namespace(M, source_info.root, "").function_names;
}

/// The Python side of one namespace: the root file (`path` "") or a submodule
/// (`path` "linalg", "linalg.sparse").
pub fn Namespace(comptime M: type, comptime info: type, comptime path: []const u8) type {
    return struct {
        pub const full_name: [:0]const u8 = if (path.len == 0) options.module_name else options.module_name ++ "." ++ path;
        const where = if (path.len == 0) "module " ++ options.module_name else "submodule " ++ full_name;

        pub const function_names = blk: {
            checkExcluded(M, info, where);
            const names = namesOf(M, info, .function);
            for (names) |name| _ = signatureOf(name); // a pub fn Python cannot call is an error here
            break :blk names;
        };

        /// The signature of the pub fn `name`; its errors say how to keep the fn Zig-only.
        /// Everything that analyses a module function asks here (stubs too), so each is analysed once.
        pub fn signatureOf(comptime name: [:0]const u8) signature.Signature {
            const hint = "; pub fns become Python functions: to keep " ++ name ++ " out of " ++ where ++
                ", declare `pub const __exclude__ = .{ \"" ++ name ++ "\" };` in it";
            return signature.analyzeHinted(@TypeOf(@field(M, name)), name, source_info.function(info, name), null, hint);
        }
        pub const constant_names = namesOf(M, info, .constant);
        pub const exception_names = namesOf(M, info, .exception);
        pub const submodule_names = namesOf(M, info, .submodule);

        pub const methods = blk: {
            // One evaluation analyses every function's signature: the quota scales with their number.
            @setEvalBranchQuota(declQuota(function_names.len));
            var defs: [function_names.len + 1]c.PyMethodDef = undefined;
            for (function_names, 0..) |name, i| defs[i] = function.methodDefOf(signatureOf(name), @field(M, name), null);
            defs[function_names.len] = c.PyMethodDef.sentinel;
            break :blk defs;
        };

        comptime {
            if (path.len > 0) {
                const classes = if (@hasDecl(info, "__classes__")) info.__classes__ else struct {};
                for (reflect.declNames(classes)) |n| @compileError("py.class " ++ n ++ " in " ++ where ++
                    ": classes inside a py.submodule are not supported yet; declare it in the root file");
            }
        }

        /// Add the constants, exceptions and submodules to the module object `m`.
        pub fn fill(m: *c.PyObject) bool {
            inline for (constant_names) |name| {
                comptime constants.check(@field(M, name), "pub const " ++ name ++ " of " ++ where);
                const v = constants.toPython(@field(M, name)) orelse return false;
                defer c.decref(v);
                if (c.PyModule_AddObjectRef(m, name, v) < 0) return false;
            }
            inline for (exception_names) |name| {
                if (c.PyModule_AddObjectRef(m, name, exception.object(comptime exception.indexOf(name).?)) < 0) return false;
            }
            inline for (submodule_names) |name| {
                if (!addSubmodule(m, name)) return false;
            }
            return true;
        }

        fn addSubmodule(parent: *c.PyObject, comptime name: [:0]const u8) bool {
            const sub_info = source_info.container(info, name);
            const Sub = Namespace(@field(M, name), sub_info, if (path.len == 0) name else path ++ "." ++ name);
            const m = c.PyModule_New(Sub.full_name) orelse return false;
            defer c.decref(m);
            // Functions take the submodule's name as __module__ (pickling finds them there).
            if (c.PyModule_AddFunctions(m, &Sub.methods) < 0) return false;
            if (submoduleDoc(@field(M, name), info, name)) |d| {
                if (c.PyModule_SetDocString(m, d) < 0) return false;
            }
            if (!Sub.fill(m)) return false;
            // After `mod` is imported, the import system looks for "mod.linalg" in sys.modules
            // before asking any finder: this makes `import mod.linalg` work.
            if (c.PyDict_SetItemString(c.PyImport_GetModuleDict(), Sub.full_name, m) < 0) return false;
            return c.PyModule_AddObjectRef(parent, name, m) == 0;
        }

        /// Remove this namespace's submodules from sys.modules (the module failed to execute).
        pub fn forget() void {
            inline for (submodule_names) |name| {
                const Sub = Namespace(@field(M, name), source_info.container(info, name), if (path.len == 0) name else path ++ "." ++ name);
                Sub.forget();
                if (c.PyDict_DelItemString(c.PyImport_GetModuleDict(), Sub.full_name) < 0) c.PyErr_Clear();
            }
        }
    };
}

/// A submodule's docstring: its `pub const __doc__`, the `///` doc of its declaration in
/// the parent (scanned as `parent_info`), or the `//!` lines that open its struct or file.
pub fn submoduleDoc(comptime S: type, comptime parent_info: type, comptime name: []const u8) ?[:0]const u8 {
    if (@hasDecl(S, "__doc__")) return S.__doc__;
    return source_info.declDoc(parent_info, name) orelse source_info.doc(source_info.container(parent_info, name));
}

fn ModuleDef(comptime M: type) type {
    return struct {
        const info = source_info.root;
        const Root = Namespace(M, info, "");
        const names = Root.function_names;
        const slots = [_]c.PyModuleDef_Slot{
            .{ .slot = c.Py_mod_exec, .value = @ptrCast(&exec) },
            .{ .slot = if (c.py_minor >= 12) c.Py_mod_multiple_interpreters else 0, .value = c.Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED },
            .{ .slot = 0, .value = null },
        };
        const class_names = classNames(M);

        /// Create the module's exceptions and classes (types need the module object, so
        /// this is the exec step), then its constants and submodules.
        fn exec(m: *c.PyObject) callconv(.c) c_int {
            if (!exception.createAll()) return -1;
            inline for (class_names) |name| {
                if (!class.Class(@field(M, name)).register(m)) return -1;
            }
            if (!@import("enum_class.zig").register(M, m)) return -1; // pub enums -> enum classes
            if (!@import("record.zig").registerAll(M, m)) return -1; // named-tuple types of returned structs
            if (!Root.fill(m)) {
                const saved = saveError();
                Root.forget();
                restoreError(saved);
                return -1;
            }
            return 0;
        }
        const module_doc: ?[*:0]const u8 = if (@hasDecl(M, "__doc__")) M.__doc__ else if (source_info.doc(info)) |d| d.ptr else null;
        var def: c.PyModuleDef = .{
            .m_base = c.PyModuleDef_HEAD_INIT,
            .m_name = options.module_name,
            .m_doc = module_doc,
            .m_size = 0,
            .m_methods = &Root.methods,
            .m_slots = &slots,
            .m_traverse = null,
            .m_clear = null,
            .m_free = null,
        };
        const stub_text = stub.moduleStub(M, info, names, classNames(M)).*;

        fn init() callconv(.c) ?*c.PyObject {
            return c.PyModuleDef_Init(&def);
        }
    };
}

const SavedError = struct { t: ?*c.PyObject, v: ?*c.PyObject, tb: ?*c.PyObject };

fn saveError() SavedError {
    var s: SavedError = .{ .t = null, .v = null, .tb = null };
    c.PyErr_Fetch(&s.t, &s.v, &s.tb);
    return s;
}

fn restoreError(s: SavedError) void {
    c.PyErr_Restore(s.t, s.v, s.tb);
}
