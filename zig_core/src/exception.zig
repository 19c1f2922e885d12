//! Module exception classes: `pub const ParseError = py.exception(.ValueError, "doc");`
//!
//! Each becomes a class of its module, named with the full dotted name
//! (`pkg.mod.ParseError`, so pickling and tracebacks name the right module),
//! created when the module executes.  Its base is a builtin exception or another
//! exception of the module, by name.  Returning `error.ParseError` from any
//! function, or `py.raise(.ParseError, "fmt", args)`, raises it: an error name
//! and a declaration name are the same name here, so one name is one exception
//! for the whole module (submodules included).
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const errors = @import("errors.zig");
const source_info = @import("source_info.zig");
const module = @import("module.zig");
const options = @import("zigimport_options");

/// `pub const ParseError = py.exception(.ValueError, "Raised when ...");` (doc may be null).
/// The base is a builtin exception class (`.ValueError`, `.Exception`, ...) or the
/// name of another `py.exception` of the module.
pub fn exception(comptime base: @EnumLiteral(), comptime doc: ?[:0]const u8) type {
    return struct {
        pub const zig_core_exception_base: [:0]const u8 = @tagName(base);
        pub const zig_core_exception_doc: ?[:0]const u8 = doc;
    };
}

pub fn isException(comptime T: type) bool {
    return switch (comptime reflect.kind(T)) {
        .@"struct" => @hasDecl(T, "zig_core_exception_base"),
        else => false,
    };
}

pub const Entry = struct {
    /// The declaration name, which is also the Zig error name that raises it.
    name: [:0]const u8,
    /// The Python class name: "pkg.mod.ParseError", "pkg.mod.linalg.SingularError".
    full_name: [:0]const u8,
    base: [:0]const u8,
    doc: ?[:0]const u8,
    /// The base's index in `all`, or null for a builtin base.
    base_index: ?usize = null,
};

/// The user's module (`py.module(@This())`), as the build root exposes it.
const user = blk: {
    const root = @import("root");
    break :blk if (@hasDecl(root, "zigimport_user_module")) root.zigimport_user_module else struct {};
};

/// Every exception of the module and its submodules, bases resolved.
pub const all: []const Entry = resolve(collect(user, source_info.root, ""));

/// `all` in an order where each base comes before the classes derived from it.
const creation_order: []const usize = order();

/// The class objects, in the order of `all`.  Made by the module's exec step and kept
/// for the process, like a static type (the module is single-interpreter).
var objects: [all.len]?*c.PyObject = @splat(null);

fn collect(comptime M: type, comptime info: type, comptime path: []const u8) []const Entry {
    @setEvalBranchQuota(100_000 + 1000 * reflect.declNames(M).len);
    var out: []const Entry = &.{};
    const prefix = options.module_name ++ (if (path.len == 0) "" else "." ++ path) ++ ".";
    for (reflect.declNames(M)) |name| {
        switch (module.declKind(M, info, name)) {
            .exception => {
                const E = @field(M, name);
                out = out ++ .{Entry{ .name = name, .full_name = prefix ++ name, .base = E.zig_core_exception_base, .doc = E.zig_core_exception_doc }};
            },
            .submodule => out = out ++ collect(@field(M, name), source_info.container(info, name), (if (path.len == 0) "" else path ++ ".") ++ name),
            else => {},
        }
    }
    return out;
}

fn resolve(comptime found: []const Entry) []const Entry {
    var out: [found.len]Entry = found[0..found.len].*;
    for (&out, 0..) |*e, i| {
        for (found[0..i]) |prev| {
            if (std.mem.eql(u8, prev.name, e.name)) @compileError("py.exception: " ++ prev.full_name ++ " and " ++ e.full_name ++
                " have the same name; error." ++ e.name ++ " must mean one exception, so rename one of them");
        }
        // `pub const ValueError = py.exception(.ValueError, ...)` derives from the builtin.
        if (!std.mem.eql(u8, e.base, e.name)) e.base_index = indexIn(found, e.base);
        if (e.base_index == null and !errors.isBuiltinException(e.base)) @compileError("py.exception " ++ e.full_name ++ ": base '" ++ e.base ++
            "' is neither a builtin Python exception class (.ValueError, .RuntimeError, .Exception, ...) nor an exception of this module");
    }
    // A cycle (A's base is B, B's base is A) never reaches a builtin.
    for (out) |e| {
        var at: ?usize = e.base_index;
        var steps: usize = 0;
        while (at) |j| : (at = out[j].base_index) {
            steps += 1;
            if (steps > out.len) @compileError("py.exception " ++ e.full_name ++ ": its bases form a cycle; one of them must derive from a builtin exception");
        }
    }
    const final = out;
    return &final;
}

fn indexIn(comptime entries: []const Entry, comptime name: []const u8) ?usize {
    for (entries, 0..) |e, i| {
        if (std.mem.eql(u8, e.name, name)) return i;
    }
    return null;
}

fn order() []const usize {
    var done: [all.len]bool = @splat(false);
    var out: []const usize = &.{};
    while (out.len < all.len) {
        for (all, 0..) |e, i| {
            if (done[i]) continue;
            if (e.base_index) |b| {
                if (!done[b]) continue;
            }
            done[i] = true;
            out = out ++ .{i};
        }
    }
    return out;
}

/// The index in `all` of the module exception named `name` (a Zig error name), or null.
pub fn indexOf(comptime name: []const u8) ?usize {
    return comptime indexIn(all, name);
}

/// Create every exception class (from the root module's exec step).  A module executed
/// again (importlib.reload) gets new classes, as a Python module would.
pub fn createAll() bool {
    inline for (creation_order) |i| {
        const e = comptime all[i];
        const base = if (comptime e.base_index) |b| objects[b].? else c.exc(e.base);
        const cls = c.PyErr_NewExceptionWithDoc(e.full_name, if (e.doc) |d| d.ptr else null, base, null) orelse return false;
        if (objects[i]) |old| c.decref(old);
        objects[i] = cls;
    }
    return true;
}

/// The class of exception `i` (borrowed).  Before the module has executed, which no
/// call into it can observe, this is the builtin its hierarchy derives from.
pub fn object(comptime i: usize) *c.PyObject {
    if (objects[i]) |o| return o;
    return c.exc(comptime builtinRoot(i));
}

fn builtinRoot(comptime i: usize) [:0]const u8 {
    var j = i;
    while (all[j].base_index) |b| j = b;
    return all[j].base;
}

/// The class raised for the Zig error named `name`, or null if no module exception has that name.
pub fn forErrorName(name: []const u8) ?*c.PyObject {
    inline for (all, 0..) |e, i| {
        if (std.mem.eql(u8, e.name, name)) return object(i);
    }
    return null;
}
