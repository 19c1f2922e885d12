//! The panic handler zigimport's build root installs (unless the module defines
//! `pub const panic`).  A Zig panic cannot unwind through CPython, so it ends the
//! process -- through Py_FatalError, which names the module and prints the
//! Python traceback of the call that led there.  It also keeps ReleaseSafe
//! builds fast to compile: std's default handler pulls in the DWARF stack
//! trace printer (~12 s per build).
const std = @import("std");
const c = @import("capi.zig");
const options = @import("zigimport_options");

/// std.debug.FullPanic's messages, formatted without std.fmt: its formatter (std.Io.Writer)
/// was the largest part of a small ReleaseSafe module's fixed compile time.
pub const handler = struct {
    pub const call = onPanic;
    pub fn sentinelMismatch(expected: anytype, found: @TypeOf(expected)) noreturn {
        @branchHint(.cold);
        _ = .{ expected, found };
        onPanic("sentinel mismatch", @returnAddress());
    }
    pub fn unwrapError(err: anyerror) noreturn {
        @branchHint(.cold);
        panicJoined(&.{ "attempt to unwrap error: ", @errorName(err) }, @returnAddress());
    }
    pub fn outOfBounds(index: usize, len: usize) noreturn {
        @branchHint(.cold);
        var a: [20]u8 = undefined;
        var b: [20]u8 = undefined;
        panicJoined(&.{ "index out of bounds: index ", decimal(&a, index), ", len ", decimal(&b, len) }, @returnAddress());
    }
    pub fn startGreaterThanEnd(start: usize, end: usize) noreturn {
        @branchHint(.cold);
        var a: [20]u8 = undefined;
        var b: [20]u8 = undefined;
        panicJoined(&.{ "start index ", decimal(&a, start), " is larger than end index ", decimal(&b, end) }, @returnAddress());
    }
    pub fn inactiveUnionField(active: anytype, accessed: @TypeOf(active)) noreturn {
        @branchHint(.cold);
        panicJoined(&.{ "access of union field '", @tagName(accessed), "' while field '", @tagName(active), "' is active" }, @returnAddress());
    }
    pub fn sliceCastLenRemainder(src_len: usize) noreturn {
        @branchHint(.cold);
        var a: [20]u8 = undefined;
        panicJoined(&.{ "slice length '", decimal(&a, src_len), "' does not divide exactly into destination elements" }, @returnAddress());
    }
    pub fn unexpectedErrorCode(err: anyerror) noreturn {
        @branchHint(.cold);
        panicJoined(&.{ "unexpected error code, found error.", @errorName(err) }, @returnAddress());
    }
    pub fn reachedUnreachable() noreturn {
        simple("reached unreachable code");
    }
    pub fn unwrapNull() noreturn {
        simple("attempt to use null value");
    }
    pub fn castToNull() noreturn {
        simple("cast causes pointer to be null");
    }
    pub fn incorrectAlignment() noreturn {
        simple("incorrect alignment");
    }
    pub fn invalidErrorCode() noreturn {
        simple("invalid error code");
    }
    pub fn integerOutOfBounds() noreturn {
        simple("integer does not fit in destination type");
    }
    pub fn integerOverflow() noreturn {
        simple("integer overflow");
    }
    pub fn shlOverflow() noreturn {
        simple("left shift overflowed bits");
    }
    pub fn shrOverflow() noreturn {
        simple("right shift overflowed bits");
    }
    pub fn divideByZero() noreturn {
        simple("division by zero");
    }
    pub fn exactDivisionRemainder() noreturn {
        simple("exact division produced remainder");
    }
    pub fn integerPartOutOfBounds() noreturn {
        simple("integer part of floating point value out of bounds");
    }
    pub fn corruptSwitch() noreturn {
        simple("switch on corrupt value");
    }
    pub fn shiftRhsTooBig() noreturn {
        simple("shift amount is greater than the type size");
    }
    pub fn invalidEnumValue() noreturn {
        simple("invalid enum value");
    }
    pub fn forLenMismatch() noreturn {
        simple("for loop over objects with non-equal lengths");
    }
    pub fn copyLenMismatch() noreturn {
        simple("source and destination arguments have non-equal lengths");
    }
    pub fn memcpyAlias() noreturn {
        simple("@memcpy arguments alias");
    }
    pub fn noreturnReturned() noreturn {
        simple("'noreturn' function returned");
    }
    pub fn loadUninstantiableType() noreturn {
        simple("attempt to load uninstantiable type");
    }

    inline fn simple(comptime msg: []const u8) noreturn {
        @branchHint(.cold);
        onPanic(msg, @returnAddress());
    }
};

/// The decimal digits of `v`, written at the end of `buf`.
fn decimal(buf: *[20]u8, v: usize) []const u8 {
    var i: usize = buf.len;
    var rest = v;
    while (true) {
        i -= 1;
        buf[i] = '0' + @as(u8, @intCast(rest % 10));
        rest /= 10;
        if (rest == 0) break;
    }
    return buf[i..];
}

fn panicJoined(parts: []const []const u8, ret_addr: usize) noreturn {
    var buf: [512]u8 = undefined;
    var n: usize = 0;
    for (parts) |part| {
        const k = @min(part.len, buf.len - n);
        @memcpy(buf[n..][0..k], part[0..k]);
        n += k;
    }
    onPanic(buf[0..n], ret_addr);
}

fn onPanic(msg: []const u8, first_trace_addr: ?usize) noreturn {
    _ = first_trace_addr;
    const prefix = "zig panic in module '" ++ options.module_name ++ "': ";
    var buf: [prefix.len + 512 + 1]u8 = undefined;
    const n = @min(msg.len, buf.len - prefix.len - 1);
    @memcpy(buf[0..prefix.len], prefix);
    @memcpy(buf[prefix.len..][0..n], msg[0..n]);
    buf[prefix.len + n] = 0;
    c.Py_FatalError(@ptrCast(&buf));
}
