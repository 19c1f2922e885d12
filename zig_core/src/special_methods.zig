//! Which `__dunder__` declarations a `py.class` may have.  A misspelt or
//! unsupported one (`pub fn __foo__`, `pub fn __del__`) is a compile error
//! listing the supported names: exported as a plain method it would silently
//! never be called by Python.
const std = @import("std");
const reflect = @import("reflect.zig");
const slots = @import("slots.zig");

/// Dunders zig_core gives a meaning of its own (not a slot, not a plain method).
const hooks = [_][]const u8{ "__init__", "__buffer__", "__getattr__", "__setattr__", "__delattr__" };

/// Dunders Python looks up on the type like ordinary methods, so a plain method is right.
const plain = [_][]const u8{
    "__enter__",     "__exit__",    "__reversed__", "__format__",   "__sizeof__",   "__copy__",
    "__deepcopy__",  "__reduce__",  "__getstate__", "__setstate__", "__round__",    "__trunc__",
    "__floor__",     "__ceil__",    "__complex__",  "__bytes__",    "__fspath__",   "__dir__",
    "__length_hint__",
};

/// Declarations (not functions) with a meaning.
const constants = [_][]const u8{ "__base__", "__new__", "__readonly__", "__doc__" };

pub fn isDunder(comptime n: []const u8) bool {
    return n.len > 4 and std.mem.startsWith(u8, n, "__") and std.mem.endsWith(u8, n, "__");
}

fn contains(comptime list: []const []const u8, comptime n: []const u8) bool {
    for (list) |x| {
        if (std.mem.eql(u8, x, n)) return true;
    }
    return false;
}

pub fn isSupported(comptime n: []const u8) bool {
    return contains(&hooks, n) or contains(&plain, n) or slots.isSlotMethod(n);
}

fn supportedList() []const u8 {
    var s: []const u8 = "";
    for (hooks ++ slots.slot_method_names ++ plain) |n| s = s ++ (if (s.len == 0) "" else ", ") ++ n;
    return s;
}

fn hint(comptime n: []const u8) []const u8 {
    if (std.mem.eql(u8, n, "__new__")) return " (zig_core creates instances itself: fields take their defaults, then __init__ runs; `pub const __new__ = null;` makes a class Python cannot construct)";
    if (std.mem.eql(u8, n, "__del__")) return " (use `pub fn deinit(self: *Self) void`, run when the instance is freed)";
    if (std.mem.eql(u8, n, "__getattribute__")) return " (use __getattr__, called when the normal lookup fails)";
    return "";
}

/// Compile errors for dunder declarations of class `name` (= S) that zig_core would not honour.
pub fn check(comptime S: type, comptime name: []const u8) void {
    @setEvalBranchQuota(1_000_000);
    for (reflect.declNames(S)) |n| {
        if (!isDunder(n)) continue;
        const D = @TypeOf(@field(S, n));
        if (reflect.isFunction(D)) {
            if (!isSupported(n)) @compileError(name ++ "." ++ n ++ " is not a special method zig_core supports" ++ hint(n) ++ "; supported: " ++ supportedList());
        } else if (std.mem.eql(u8, n, "__new__")) {
            if (D != @TypeOf(null)) @compileError(name ++ ".__new__ must be `null` (a class Python cannot construct), not a " ++ @typeName(D));
            if (@hasDecl(S, "__init__")) @compileError(name ++ " declares both __init__ and `__new__ = null`: Python could never run that __init__; remove one");
        } else if (!contains(&constants, n) and !slots.isSlotMethod(n) and !contains(&plain, n) and !contains(&hooks, n)) {
            // A property named like a dunder, or a misspelling of __readonly__ / __base__.
            if (!(D == type and @hasDecl(@field(S, n), "zig_core_property")))
                @compileError(name ++ "." ++ n ++ " is not a declaration zig_core supports; supported: __base__, __new__ = null, __readonly__, __doc__, and special methods (pub fn)");
        }
    }
}

/// Whether Python may construct instances (`pub const __new__ = null;` says no).
pub fn constructible(comptime S: type) bool {
    return !@hasDecl(S, "__new__");
}
