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

/// "name($module, a, b, /)", "name($module, /, x, lo=0.0, hi=1.0)", "name($module, x, /, *args,
/// y=42.0, **kw)"; null if a default has no Python literal form (then the docstring carries
/// no signature).
pub fn textSignature(comptime sig: signature.Signature, comptime first: []const u8) ?[:0]const u8 {
    const params = parameterList(sig, first, .{}) orelse return null;
    return sig.name ++ "(" ++ params ++ ")";
}

/// How `parameterList` writes parameters: a text signature (`x, lo=0.0`) or a stub
/// (`x: float, lo: float = 0.0`).
pub const Style = struct {
    /// The annotation of a parameter of type T (stubs), or null for none.
    annotate: ?fn (comptime type) []const u8 = null,
    /// The annotation of `*args` / `**kwargs` (stubs).
    var_annotation: []const u8 = "",
    /// What stands for a default that has no Python literal; null: no signature at all.
    unknown_default: ?[]const u8 = null,
};

/// The parameters of a Python signature, with `/`, `*`, `*args` and `**kwargs` where Python
/// puts them.  `first` is the implicit first parameter ("$module", "self", ...) or "".
pub fn parameterList(comptime sig: signature.Signature, comptime first: []const u8, comptime style: Style) ?[]const u8 {
    var items: []const []const u8 = &.{};
    if (first.len > 0) items = items ++ .{first};
    // A text signature's `$module`/`$self` must be positional-only: a `/` right after it
    // when no parameter of ours is (stubs need none: self is never passed by keyword).
    if (first.len > 0 and first[0] == '$' and sig.positional_only == 0) items = items ++ .{"/"};
    const eq = if (style.annotate != null) " = " else "=";
    var star_done = false;
    for (sig.python, 0..) |p, k| {
        if (p.kind == .keyword_only and !star_done) {
            items = items ++ .{if (sig.var_positional) |n| "*" ++ n ++ style.var_annotation else "*"};
            star_done = true;
        }
        var item: []const u8 = p.name;
        if (style.annotate) |ann| item = item ++ ": " ++ ann(p.T);
        if (p.field) {
            if (reflect.fieldDefault(sig.kwargs.?, p.index)) |d| {
                const literal: ?[]const u8 = pythonLiteral(p.T, d) orelse style.unknown_default;
                item = item ++ eq ++ (literal orelse return null);
            }
        } else if (p.optional and (k >= sig.required or p.kind == .keyword_only)) {
            item = item ++ eq ++ "None";
        }
        items = items ++ .{item};
        if (k + 1 == sig.positional_only) items = items ++ .{"/"};
    }
    if (!star_done) {
        if (sig.var_positional) |n| items = items ++ .{"*" ++ n ++ style.var_annotation};
    }
    if (sig.var_keyword) |n| items = items ++ .{"**" ++ n ++ style.var_annotation};
    var s: []const u8 = "";
    for (items, 0..) |item, i| s = s ++ (if (i == 0) "" else ", ") ++ item;
    return s;
}

/// A Zig default value written as a Python literal, when there is one.
pub fn pythonLiteral(comptime T: type, comptime value: T) ?[]const u8 {
    return switch (comptime convert.category(T)) {
        .int => @import("comptime_text.zig").integer(value), // not comptimePrint: comptime_text.integer
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
