//! `format` assertions on a string's UTF-8 bytes (SCHEMA_SPEC §3): the same verdicts as the
//! checkers `jsonschema` uses (rfc3339-validator, ipaddress, fqdn), plus an RFC 5321 mailbox
//! for `email` (stricter than jsonschema's `"@" in s`).
const std = @import("std");
const Format = @import("spec.zig").Format;

pub fn valid(f: Format, s: []const u8) bool {
    return switch (f) {
        .none => true,
        .date => isDate(s),
        .time => isTime(s),
        .date_time => isDateTime(s),
        .email => isEmail(s),
        .uuid => isUuid(s),
        .ipv4 => isIpv4(s),
        .ipv6 => isIpv6(s),
        .hostname => isHostname(s),
    };
}

/// The keyword's spelling, for messages (`'x' is not a 'email'`).
pub fn name(f: Format) [:0]const u8 {
    return switch (f) {
        .none => "",
        .date_time => "date-time",
        .date => "date",
        .time => "time",
        .email => "email",
        .uuid => "uuid",
        .ipv4 => "ipv4",
        .ipv6 => "ipv6",
        .hostname => "hostname",
    };
}

fn digits(s: []const u8, at: usize, n: usize) ?u32 {
    if (at + n > s.len) return null;
    var v: u32 = 0;
    for (s[at .. at + n]) |ch| {
        if (!std.ascii.isDigit(ch)) return null;
        v = v * 10 + (ch - '0');
    }
    return v;
}

/// RFC 3339 full-date, a real calendar date.
pub fn isDate(s: []const u8) bool {
    if (s.len != 10 or s[4] != '-' or s[7] != '-') return false;
    const y = digits(s, 0, 4) orelse return false;
    const m = digits(s, 5, 2) orelse return false;
    const d = digits(s, 8, 2) orelse return false;
    if (m < 1 or m > 12 or d < 1) return false;
    const leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0;
    const days = [_]u32{ 31, if (leap) 29 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return d <= days[m - 1];
}

/// RFC 3339 full-time: HH:MM:SS[.frac](Z|±HH:MM), case-insensitive `z`.
pub fn isTime(s: []const u8) bool {
    if (s.len < 9 or s[2] != ':' or s[5] != ':') return false;
    const h = digits(s, 0, 2) orelse return false;
    const mi = digits(s, 3, 2) orelse return false;
    const sec = digits(s, 6, 2) orelse return false;
    if (h > 23 or mi > 59 or sec > 59) return false;
    var i: usize = 8;
    if (i < s.len and s[i] == '.') {
        i += 1;
        const f = i;
        while (i < s.len and std.ascii.isDigit(s[i])) i += 1;
        if (i == f) return false;
    }
    if (i >= s.len) return false;
    if (s[i] == 'Z' or s[i] == 'z') return i + 1 == s.len;
    if (s[i] != '+' and s[i] != '-') return false;
    if (s.len != i + 6 or s[i + 3] != ':') return false;
    const oh = digits(s, i + 1, 2) orelse return false;
    const om = digits(s, i + 4, 2) orelse return false;
    return oh <= 23 and om <= 59;
}

pub fn isDateTime(s: []const u8) bool {
    if (s.len < 20 or (s[10] != 'T' and s[10] != 't')) return false;
    return isDate(s[0..10]) and isTime(s[11..]);
}

pub fn isUuid(s: []const u8) bool {
    if (s.len != 36) return false;
    for (s, 0..) |ch, i| {
        if (i == 8 or i == 13 or i == 18 or i == 23) {
            if (ch != '-') return false;
        } else if (!std.ascii.isHex(ch)) return false;
    }
    return true;
}

/// Dotted quad, no leading zeros (as `ipaddress.IPv4Address`).
pub fn isIpv4(s: []const u8) bool {
    var it = std.mem.splitScalar(u8, s, '.');
    var n: usize = 0;
    while (it.next()) |part| : (n += 1) {
        if (part.len == 0 or part.len > 3) return false;
        if (part.len > 1 and part[0] == '0') return false;
        var v: u32 = 0;
        for (part) |ch| {
            if (!std.ascii.isDigit(ch)) return false;
            v = v * 10 + (ch - '0');
        }
        if (v > 255) return false;
    }
    return n == 4;
}

/// As `ipaddress.IPv6Address`, without a zone index (jsonschema rejects `%scope`).
pub fn isIpv6(s: []const u8) bool {
    if (s.len < 2 or s.len > 45) return false;
    var groups: usize = 0;
    var double_colon = false;
    var i: usize = 0;
    if (std.mem.startsWith(u8, s, "::")) {
        double_colon = true;
        i = 2;
        if (i == s.len) return true;
    } else if (s[0] == ':') return false;
    while (i < s.len) {
        // A trailing IPv4 part counts as two groups.
        const rest = s[i..];
        const end = std.mem.indexOfScalar(u8, rest, ':') orelse rest.len;
        const part = rest[0..end];
        if (end == rest.len and std.mem.indexOfScalar(u8, part, '.') != null) {
            if (!isIpv4(part)) return false;
            groups += 2;
            i = s.len;
            break;
        }
        if (part.len == 0 or part.len > 4) return false;
        for (part) |ch| if (!std.ascii.isHex(ch)) return false;
        groups += 1;
        i += end;
        if (i == s.len) break;
        // at a ':'
        if (i + 1 < s.len and s[i + 1] == ':') {
            if (double_colon) return false;
            double_colon = true;
            i += 2;
            if (i == s.len) break;
        } else {
            i += 1;
            if (i == s.len) return false; // a trailing single ':'
        }
    }
    return if (double_colon) groups <= 7 else groups == 8;
}

/// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 1-63 bytes
/// each, at most 253 bytes in all (a trailing dot allowed).
pub fn isHostname(s0: []const u8) bool {
    const s = if (std.mem.endsWith(u8, s0, ".")) s0[0 .. s0.len - 1] else s0;
    if (s.len == 0 or s.len > 253) return false;
    var it = std.mem.splitScalar(u8, s, '.');
    while (it.next()) |label| {
        if (label.len == 0 or label.len > 63) return false;
        if (label[0] == '-' or label[label.len - 1] == '-') return false;
        for (label) |ch| if (!std.ascii.isAlphanumeric(ch) and ch != '-') return false;
    }
    return true;
}

fn isAtext(ch: u8) bool {
    return std.ascii.isAlphanumeric(ch) or std.mem.indexOfScalar(u8, "!#$%&'*+/=?^_`{|}~-", ch) != null;
}

/// RFC 5321 mailbox: dot-atom or quoted-string local part (<= 64 bytes), `@`, a host name or an
/// address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`).
pub fn isEmail(s: []const u8) bool {
    const at = std.mem.lastIndexOfScalar(u8, s, '@') orelse return false;
    const local = s[0..at];
    const domain = s[at + 1 ..];
    if (local.len == 0 or local.len > 64 or domain.len == 0) return false;
    if (local[0] == '"') {
        if (local.len < 2 or local[local.len - 1] != '"') return false;
        var i: usize = 1;
        while (i < local.len - 1) : (i += 1) {
            const ch = local[i];
            if (ch == '\\') {
                i += 1;
                if (i >= local.len - 1 or local[i] < 32 or local[i] > 126) return false;
            } else if (ch < 32 or ch > 126 or ch == '"') return false;
        }
    } else {
        var prev_dot = true;
        for (local) |ch| {
            if (ch == '.') {
                if (prev_dot) return false;
                prev_dot = true;
            } else {
                if (!isAtext(ch)) return false;
                prev_dot = false;
            }
        }
        if (prev_dot) return false;
    }
    if (domain[0] == '[') {
        if (domain[domain.len - 1] != ']') return false;
        const lit = domain[1 .. domain.len - 1];
        // the tag is an ABNF string: case-insensitive (RFC 5234 §2.3)
        if (lit.len >= 5 and std.ascii.eqlIgnoreCase(lit[0..5], "IPv6:")) return isIpv6(lit[5..]);
        return isIpv4(lit);
    }
    return !std.mem.endsWith(u8, domain, ".") and isHostname(domain);
}

test "formats" {
    try std.testing.expect(isDate("2024-02-29") and !isDate("2023-02-29") and !isDate("2024-13-01"));
    try std.testing.expect(isDateTime("2024-01-02T03:04:05.123Z") and isDateTime("2024-01-02t03:04:05+01:00"));
    try std.testing.expect(!isDateTime("2024-01-02 03:04:05Z") and !isTime("24:00:00Z"));
    try std.testing.expect(isIpv6("::1") and isIpv6("2001:db8::8a2e:370:7334") and isIpv6("::ffff:1.2.3.4"));
    try std.testing.expect(!isIpv6("1:2:3:4:5:6:7:8:9") and !isIpv6(":::") and !isIpv6("1::2::3") and isIpv6("1:2:3:4:5:6:7:8"));
    try std.testing.expect(isEmail("a.b@example.com") and !isEmail("a..b@example.com") and !isEmail("x"));
    try std.testing.expect(isIpv4("1.2.3.4") and !isIpv4("01.2.3.4") and !isIpv4("256.1.1.1"));
}
