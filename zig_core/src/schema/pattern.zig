//! A native matcher for the simple patterns schemas use (`^[A-Z]{3}-[0-9]{4}$`, `^\d+$`, `[a-z]`):
//! a sequence of single-character atoms with quantifiers, optionally anchored.  It is used only on
//! ASCII strings, where it gives exactly `re.search`'s verdict (\d, \w, \s are their ASCII sets
//! there); anything else (groups, alternation, lazy quantifiers, flags, non-ASCII text) goes to
//! Python's `re`, compiled at module init.  Saves the Python call, match object and allocations.
const std = @import("std");

pub const Item = struct {
    set: u128, // the ASCII characters the atom matches
    min: u32,
    max: u32, // std.math.maxInt(u32): unbounded
};

pub const max_items = 32;

pub const Program = struct {
    items: [max_items]Item = undefined,
    len: usize = 0,
    start: bool = false, // `^`
    end: bool = false, // `$`: at the end, or before a final "\n" (Python's meaning without MULTILINE)
};

fn bit(ch: u8) u128 {
    return @as(u128, 1) << @intCast(ch);
}
fn range(a: u8, b: u8) u128 {
    var m: u128 = 0;
    var ch = a;
    while (ch <= b) : (ch += 1) m |= bit(ch);
    return m;
}
const digit = range('0', '9');
const word = range('a', 'z') | range('A', 'Z') | digit | bit('_');
// Python's \s on str: str.isspace(), which in ASCII includes the separators 0x1C-0x1F.
const space = bit(' ') | bit('\t') | bit('\n') | bit('\r') | bit(0x0B) | bit(0x0C) | range(0x1C, 0x1F);
const all: u128 = ~@as(u128, 0);

/// `\d`-style class escapes and escaped punctuation; null: not supported here.
fn escapeSet(ch: u8) ?u128 {
    return switch (ch) {
        'd' => digit,
        'D' => all & ~digit,
        'w' => word,
        'W' => all & ~word,
        's' => space,
        'S' => all & ~space,
        'n' => bit('\n'),
        't' => bit('\t'),
        'r' => bit('\r'),
        else => if (std.ascii.isPrint(ch) and !std.ascii.isAlphanumeric(ch)) bit(ch) else null,
    };
}

/// Compile `src` at compile time; null when it uses anything beyond the subset.
pub fn compile(comptime src: []const u8) ?Program {
    @setEvalBranchQuota(20_000 + 4_000 * @as(u32, @intCast(src.len)));
    var p: Program = .{};
    var i: usize = 0;
    if (i < src.len and src[i] == '^') {
        p.start = true;
        i += 1;
    }
    while (i < src.len) {
        const ch = src[i];
        if (ch == '$' and i + 1 == src.len) {
            p.end = true;
            break;
        }
        var set: u128 = 0;
        switch (ch) {
            '.' => {
                set = all & ~bit('\n');
                i += 1;
            },
            '\\' => {
                if (i + 1 >= src.len) return null;
                set = escapeSet(src[i + 1]) orelse return null;
                i += 2;
            },
            '[' => {
                i += 1;
                var negate = false;
                if (i < src.len and src[i] == '^') {
                    negate = true;
                    i += 1;
                }
                var first = true;
                while (true) {
                    if (i >= src.len) return null;
                    var lo = src[i];
                    if (lo == ']' and !first) break;
                    first = false;
                    var lo_set: u128 = undefined;
                    var single = true;
                    if (lo == '\\') {
                        if (i + 1 >= src.len) return null;
                        const e = src[i + 1];
                        lo_set = escapeSet(e) orelse return null;
                        single = !(e == 'd' or e == 'D' or e == 'w' or e == 'W' or e == 's' or e == 'S');
                        lo = if (single) (if (e == 'n') '\n' else if (e == 't') '\t' else if (e == 'r') '\r' else e) else 0;
                        i += 2;
                    } else {
                        if (lo == '[' or lo >= 0x80) return null; // nested sets, non-ASCII: leave to re
                        lo_set = bit(lo);
                        i += 1;
                    }
                    if (single and i + 1 < src.len and src[i] == '-' and src[i + 1] != ']') {
                        const hi = src[i + 1];
                        if (hi == '\\' or hi >= 0x80 or hi < lo) return null;
                        set |= range(lo, hi);
                        i += 2;
                    } else set |= lo_set;
                }
                i += 1; // ']'
                if (negate) set = all & ~set;
            },
            '(', ')', '|', '*', '+', '?', '{', '}', '^', '$' => return null,
            else => {
                if (ch >= 0x80 or !std.ascii.isPrint(ch)) return null;
                set = bit(ch);
                i += 1;
            },
        }
        var min: u32 = 1;
        var max: u32 = 1;
        if (i < src.len) switch (src[i]) {
            '*' => {
                min = 0;
                max = std.math.maxInt(u32);
                i += 1;
            },
            '+' => {
                max = std.math.maxInt(u32);
                i += 1;
            },
            '?' => {
                min = 0;
                i += 1;
            },
            '{' => {
                const close = std.mem.indexOfScalarPos(u8, src, i, '}') orelse return null;
                const body = src[i + 1 .. close];
                if (std.mem.indexOfScalar(u8, body, ',')) |comma| {
                    min = std.fmt.parseInt(u32, body[0..comma], 10) catch return null;
                    max = if (comma + 1 == body.len) std.math.maxInt(u32) else std.fmt.parseInt(u32, body[comma + 1 ..], 10) catch return null;
                } else {
                    min = std.fmt.parseInt(u32, body, 10) catch return null;
                    max = min;
                }
                if (max < min) return null;
                i = close + 1;
            },
            else => {},
        };
        if (i < src.len and (src[i] == '?' or src[i] == '+' or src[i] == '*' or src[i] == '{')) return null; // lazy/possessive/stacked
        if (p.len == max_items) return null;
        p.items[p.len] = .{ .set = set, .min = min, .max = max };
        p.len += 1;
    }
    return p;
}

/// `re.search(pattern, s) is not None` for an ASCII `s`.
pub fn search(p: *const Program, s: []const u8) bool {
    if (p.start) return matchAt(p, 0, s, 0);
    var at: usize = 0;
    while (at <= s.len) : (at += 1) {
        if (matchAt(p, 0, s, at)) return true;
    }
    return false;
}

fn matchAt(p: *const Program, k: usize, s: []const u8, pos: usize) bool {
    if (k == p.len) {
        if (!p.end) return true;
        return pos == s.len or (pos + 1 == s.len and s[pos] == '\n');
    }
    const it = p.items[k];
    // Greedy: take as many as the item allows, then give back one at a time.
    var n: usize = 0;
    while (n < it.max and pos + n < s.len and (it.set >> @intCast(s[pos + n])) & 1 == 1) n += 1;
    if (n < it.min) return false;
    while (true) {
        if (matchAt(p, k + 1, s, pos + n)) return true;
        if (n == it.min) return false;
        n -= 1;
    }
}
