//! One `py.class` extending another: `pub const __base__ = Animal;` plus the
//! base's data as the first field (`base: Animal,`).
//!
//! Zig has no inheritance, so the encoding is C's: the base struct sits at
//! offset 0 of the derived struct, and every instance keeps its payload at the
//! same offset after the object header.  A pointer to a Dog's payload is then a
//! pointer to an Animal, so Animal's methods, slots and field descriptors work
//! on Dog instances unchanged; CPython sees Dog's type with tp_base = Animal.
const std = @import("std");
const reflect = @import("reflect.zig");

/// The base class `S` extends, or null.
pub fn baseOf(comptime S: type) ?type {
    if (reflect.kind(S) != .@"struct" or !@hasDecl(S, "__base__")) return null;
    return S.__base__;
}

/// The name of the field holding the base (checked by `check`), or null.
pub fn baseField(comptime S: type) ?[:0]const u8 {
    if (baseOf(S) == null) return null;
    const names = reflect.fieldNames(S);
    return if (names.len > 0) names[0] else null;
}

pub fn isBaseField(comptime S: type, comptime n: []const u8) bool {
    const f = baseField(S) orelse return false;
    return std.mem.eql(u8, f, n);
}

/// The class of `S`'s chain (S, its base, the base's base, ...) that declares `decl`, or null.
pub fn owner(comptime S: type, comptime decl: []const u8) ?type {
    var T: ?type = S;
    while (T) |t| : (T = baseOf(t)) {
        if (@hasDecl(t, decl)) return t;
    }
    return null;
}

/// Compile errors for a `__base__` that cannot work, naming the user's declarations.
pub fn check(comptime S: type, comptime name: []const u8) void {
    const B = baseOf(S) orelse return;
    const class = @import("class.zig");
    if (@TypeOf(B) != type) @compileError(name ++ ".__base__ must be a py.class type, not a value of type " ++ @typeName(@TypeOf(B)));
    if (reflect.kind(B) != .@"struct" or !class.isClass(B)) @compileError(name ++ ".__base__ = " ++ @typeName(B) ++
        " is not a py.class of this module: the base must be declared `pub const X = py.class(struct { ... });` in the module's root file");
    if (B == S) @compileError(name ++ ".__base__ names the class itself");
    const base_name = class.className(B).?;
    const names = reflect.fieldNames(S);
    if (names.len == 0 or reflect.fieldTypes(S)[0] != B) @compileError(name ++ " declares __base__ = " ++ base_name ++
        ", so its first field must hold the base's data: `base: " ++ base_name ++ ",`");
    const off = @offsetOf(S, names[0]);
    if (off != 0) @compileError(std.fmt.comptimePrint(
        "{s}: Zig's layout put the base field '{s}' at offset {d}, but it must be at offset 0 so that {s}'s methods work on {s} instances " ++
            "(Zig puts fields that need more alignment first); declare it `{s}: {s} align({d}),`",
        .{ name, names[0], off, base_name, name, names[0], base_name, @alignOf(S) },
    ));
    // A derived field named like a base field would shadow the base's attribute and
    // collide in pickles: refuse it.
    var T: ?type = B;
    while (T) |t| : (T = baseOf(t)) {
        for (names[1..]) |n| {
            if (@hasField(t, n)) @compileError(name ++ "." ++ n ++ " has the same name as a field of its base " ++ class.className(t).? ++ "; rename one");
        }
    }
}
