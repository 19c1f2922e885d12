//! Fixture for tests/test_specialize.py: built with many `params` modules (zigimport.load),
//! it reports every declaration of the one it got -- Zig type and value, as JSON -- so the
//! test can check that each Python value arrived exactly.
const std = @import("std");
const py = @import("zig_core");
const params = @import("params");

/// JSON: {"name": {"type": "<@typeName>", "value": ...}} for every pub decl of `params`.
pub fn dump() []const u8 {
    return comptime dumpDecls();
}

/// A comptime branch on a parameter: the branch not taken holds a @compileError that must not fire.
pub fn mode() []const u8 {
    if (@hasDecl(params, "use_simd")) {
        if (params.use_simd) return "simd";
        return "scalar";
    }
    return "none";
}

/// A type chosen from Python: the branches for other types hold a @compileError.
pub fn width() i64 {
    if (comptime !@hasDecl(params, "T")) return 0;
    return if (params.T == f32) 32 else if (params.T == f64) 64 else @compileError("T must be f32 or f64");
}

/// An array sized by a parameter, at run time.
pub fn sum_to(x: i64) i64 {
    if (!@hasDecl(params, "n")) return -1;
    var a: [params.n]i64 = undefined;
    for (&a, 0..) |*v, i| v.* = x * @as(i64, @intCast(i));
    var t: i64 = 0;
    for (a) |v| t += v;
    return t;
}

comptime {
    if (@hasDecl(params, "poison") and params.poison) @compileError("poison=True reached the compiler");
    py.module(@This());
}

fn dumpDecls() []const u8 {
    @setEvalBranchQuota(200_000);
    var out: []const u8 = "{";
    for (@typeInfo(params).@"struct".decl_names, 0..) |name, i| {
        const v = @field(params, name);
        out = out ++ (if (i > 0) "," else "") ++ "\"" ++ name ++ "\":{\"type\":" ++ quote(@typeName(@TypeOf(v))) ++
            ",\"value\":" ++ dumpValue(v) ++ "}";
    }
    return out ++ "}";
}

fn quote(comptime s: []const u8) []const u8 {
    var out: []const u8 = "\"";
    for (s) |ch| out = out ++ (if (ch == '"' or ch == '\\') "\\" else "") ++ .{ch};
    return out ++ "\"";
}

fn num(comptime v: anytype) []const u8 {
    return std.fmt.comptimePrint("{d}", .{v});
}

fn list(comptime v: anytype) []const u8 {
    var out: []const u8 = "[";
    for (0..v.len) |i| out = out ++ (if (i > 0) "," else "") ++ dumpValue(v[i]);
    return out ++ "]";
}

fn bytes(comptime v: []const u8) []const u8 {
    var out: []const u8 = "{\"bytes\":[";
    for (v, 0..) |b, i| out = out ++ (if (i > 0) "," else "") ++ num(b);
    return out ++ "]}";
}

fn floatBits(comptime v: anytype) []const u8 {
    const F = @TypeOf(v);
    const bits = @typeInfo(F).float.bits;
    const U = switch (bits) {
        16 => u16,
        32 => u32,
        64 => u64,
        80 => u80,
        else => u128,
    };
    return "{\"float\":" ++ num(bits) ++ ",\"bits\":" ++ num(@as(U, @bitCast(v))) ++ "}";
}

fn dumpValue(comptime v: anytype) []const u8 {
    const T = @TypeOf(v);
    return switch (@typeInfo(T)) {
        .comptime_int, .int => num(v),
        .comptime_float => floatBits(@as(f64, v)),
        .float => floatBits(v),
        .bool => if (v) "true" else "false",
        .null => "null",
        .optional => if (v) |x| dumpValue(x) else "null",
        .@"enum" => "{\"tag\":" ++ quote(@tagName(v)) ++ ",\"int\":" ++ num(@intFromEnum(v)) ++ "}",
        .pointer => |p| switch (p.size) {
            .one => dumpValue(v.*),
            .slice => if (p.child == u8) bytes(v) else list(v),
            else => @compileError("dump: " ++ @typeName(T)),
        },
        .array => |a| if (a.child == u8) bytes(&v) else list(v),
        .@"struct" => |s| if (s.is_tuple) tuple(v) else fields(v),
        .type => dumpType(v),
        else => @compileError("dump: " ++ @typeName(T)),
    };
}

fn tuple(comptime v: anytype) []const u8 {
    const s = @typeInfo(@TypeOf(v)).@"struct";
    var out: []const u8 = "[";
    for (s.field_names, 0..) |f, i| out = out ++ (if (i > 0) "," else "") ++ dumpValue(@field(v, f));
    return out ++ "]";
}

fn fields(comptime v: anytype) []const u8 {
    const s = @typeInfo(@TypeOf(v)).@"struct";
    var out: []const u8 = "{";
    for (s.field_names, 0..) |f, i| out = out ++ (if (i > 0) "," else "") ++ quote(f) ++ ":" ++ dumpValue(@field(v, f));
    return out ++ "}";
}

/// A type: its name, and for a struct its fields' names, types and defaults (what @typeInfo reflects);
/// for an enum its members.
fn dumpType(comptime T: type) []const u8 {
    var out: []const u8 = "{\"name\":" ++ quote(@typeName(T));
    switch (@typeInfo(T)) {
        .@"struct" => |s| {
            out = out ++ ",\"fields\":[";
            for (s.field_names, s.field_types, s.field_attrs, 0..) |f, FT, attrs, i| {
                const d = attrs.defaultValue(FT);
                out = out ++ (if (i > 0) "," else "") ++ "[" ++ quote(f) ++ "," ++ quote(@typeName(FT)) ++ "," ++
                    (if (d) |x| dumpValue(x) else "\"-\"") ++ "]";
            }
            out = out ++ "]";
        },
        .@"enum" => |e| {
            out = out ++ ",\"tag_type\":" ++ quote(@typeName(e.tag_type)) ++ ",\"members\":[";
            for (e.field_names, e.field_values, 0..) |f, fv, i| out = out ++ (if (i > 0) "," else "") ++ "[" ++ quote(f) ++ "," ++ num(fv) ++ "]";
            out = out ++ "]";
        },
        else => {},
    }
    return out ++ "}";
}
