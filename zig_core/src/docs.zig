//! Docstrings, with the signature line CPython turns into `__text_signature__`
//! (so `inspect.signature()` and `help()` show real parameter names).
const std = @import("std");
const reflect = @import("reflect.zig");
const convert = @import("convert.zig");
const signature = @import("signature.zig");

/// `first` is "$module", "$self", "$type" or "" (static methods): the implicit first argument.
pub fn docstring(comptime sig: signature.Signature, comptime first: []const u8) ?[*:0]const u8 {
    const doc = sig.doc orelse "";
    const text_sig = comptime textSignature(sig, first) orelse return if (sig.doc) |d| d.ptr else null;
    return (text_sig ++ "\n--\n\n" ++ doc).ptr;
}

/// "name($module, a, b, /)" or "name($module, /, x, lo=0.0, hi=1.0)"; null if a
/// default has no Python literal form (then the docstring carries no signature).
pub fn textSignature(comptime sig: signature.Signature, comptime first: []const u8) ?[:0]const u8 {
    var s: []const u8 = sig.name ++ "(" ++ first;
    var sep: []const u8 = if (first.len > 0) ", " else "";
    if (sig.kwargs) |S| {
        if (first.len > 0) s = s ++ ", /";
        for (sig.python) |p| {
            s = s ++ sep ++ p.name;
            sep = ", ";
            if (reflect.fieldDefault(S, p.index)) |d| s = s ++ "=" ++ (pythonLiteral(p.T, d) orelse return null);
        }
    } else {
        for (sig.python, 0..) |p, i| {
            s = s ++ sep ++ p.name;
            sep = ", ";
            if (i >= sig.required) s = s ++ "=None";
        }
        if (sig.python.len > 0 or first.len > 0) s = s ++ ", /";
    }
    return s ++ ")";
}

/// A Zig default value written as a Python literal, when there is one.
pub fn pythonLiteral(comptime T: type, comptime value: T) ?[]const u8 {
    return switch (comptime convert.category(T)) {
        .int => std.fmt.comptimePrint("{d}", .{value}),
        .bool => if (value) "True" else "False",
        .float => floatLiteral(value),
        .optional => if (value) |v| pythonLiteral(reflect.optionalChild(T), v) else "None",
        .@"enum" => "'" ++ @tagName(value) ++ "'",
        .string => stringLiteral(value[0..]),
        else => null,
    };
}

fn floatLiteral(comptime value: anytype) ?[]const u8 {
    const v: f64 = @floatCast(value);
    if (std.math.isNan(v) or std.math.isInf(v)) return null;
    const text = std.fmt.comptimePrint("{d}", .{v});
    return if (std.mem.indexOfAny(u8, text, ".e") == null) text ++ ".0" else text;
}

fn stringLiteral(comptime s: []const u8) ?[]const u8 {
    for (s) |ch| {
        if (ch < 0x20 or ch >= 0x7f or ch == '\'' or ch == '\\') return null;
    }
    return "'" ++ s ++ "'";
}
