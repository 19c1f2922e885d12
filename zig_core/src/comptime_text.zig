//! Cheap comptime text for messages built once per function.
//!
//! `std.fmt.comptimePrint` interprets the whole formatter at compile time: ~5 ms per call
//! here, which for a message per function and parameter was a third of a large module's
//! semantic analysis.  Plain concatenation with this digit writer costs next to nothing.

/// The decimal digits of `n`.
pub fn decimal(comptime n: usize) []const u8 {
    comptime {
        if (n == 0) return "0";
        var buf: [20]u8 = undefined;
        var i: usize = buf.len;
        var v = n;
        while (v > 0) : (v /= 10) {
            i -= 1;
            buf[i] = '0' + @as(u8, @intCast(v % 10));
        }
        const digits = buf[i..].*;
        return &digits;
    }
}

/// `parts` joined into one string.  `s = s ++ part` in a loop copies the text so far on
/// every step (quadratic in a module's number of functions); halving copies each byte
/// log2(n) times.  (Filling a comptime buffer byte by byte is slower still: comptime
/// arrays are not plain memory.)
pub fn join(comptime parts: []const []const u8) []const u8 {
    comptime {
        if (parts.len == 0) return "";
        if (parts.len == 1) return parts[0];
        const half = parts.len / 2;
        return join(parts[0..half]) ++ join(parts[half..]);
    }
}

/// The decimal digits of any comptime-known integer, with a '-' if it is negative (a
/// `minInt(i128)` too).  For `std.fmt.comptimePrint("{d}", ...)`: besides its own cost, a
/// comptime formatter makes Zig generate std.Io's writer vtables (fixed, discarding, file
/// reader: ~20 functions) into the module, which LLVM then has to discard again.
/// `inline`, like std.fmt.comptimePrint: a call from run-time code still gives a comptime value.
pub inline fn integer(comptime v: anytype) [:0]const u8 {
    comptime {
        const n: comptime_int = v;
        const s = if (n >= 0) integerDigits(n) else "-" ++ integerDigits(-n);
        return (s ++ "\x00")[0..s.len :0];
    }
}

fn integerDigits(comptime n: comptime_int) []const u8 {
    comptime {
        if (n < 10) return &[1]u8{'0' + @as(u8, n)};
        return integerDigits(n / 10) ++ &[1]u8{'0' + @as(u8, n % 10)};
    }
}
