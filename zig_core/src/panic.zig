//! The panic handler zigimport's build root installs (unless the module defines
//! `pub const panic`).
//!
//! A Zig panic ends the process: Zig does not unwind, so no `defer`/`errdefer`
//! of the frames in between runs -- locks stay held, arenas and buffer exports
//! leak, half-updated state stays half-updated.  Turning it into a Python
//! exception (as PyO3 does with Rust's unwinding panics) would let the program
//! go on in that unknown state; see docs/panics.md.  So the handler makes the
//! report as useful as it can, then calls Py_FatalError, which adds the Python
//! traceback of the call that led there:
//!
//!     Fatal Python error: zig panic in module 'm' at /src/m.zig:4:14: integer overflow
//!     Zig stack (most recent call last):
//!       /src/m.zig:9:12 in outer
//!       /src/m.zig:4:14 in add
//!
//! The stack is walked by frame pointers (kept in Debug and ReleaseSafe builds)
//! within this module's binary only, and symbolized by zigimport.diagnostics.zig_trace in
//! Python, like error return traces: std's DWARF printer would add ~12 s to
//! every ReleaseSafe compile.
const std = @import("std");
const builtin = @import("builtin");
const c = @import("capi.zig");
const trace = @import("trace.zig");
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

/// How zig_core's wrappers call the user's function: out of line in ReleaseSafe, so its
/// safety checks stay its own -- inlined into the wrapper, LLVM merges them with the
/// wrapper's checks into one call at line 0, and the report could not name the line.
/// (One direct call per Python call; Debug never inlines, ReleaseFast has no checks.)
pub fn callModifier(comptime F: type) std.builtin.CallModifier {
    if (builtin.mode != .safe or @import("reflect.zig").isInlineFunction(F)) return .auto;
    return .never_inline;
}

/// Set by the first panic: a panic while reporting one (or in another thread meanwhile)
/// goes straight to Py_FatalError with its message.
// A plain bool and @atomicRmw, not std.atomic.Value: its `inline fn swap` inlined from std (built
// with debug info) into zig_core (built without it in the release modes, see cache_key.ZIG_CORE_FLAGS)
// crashes Zig 0.17's code generator.
var panicking: bool = false;

const max_frames = 32;
const report_size = 16 * 1024;
/// Static, so that a panic caused by exhausted memory or stack can still be reported.
var report: [report_size]u8 = undefined;

fn onPanic(msg: []const u8, first_trace_addr: ?usize) noreturn {
    @branchHint(.cold);
    if (@atomicRmw(bool, &panicking, .Xchg, true, .seq_cst)) fatal(&report, "zig panic in module '" ++ options.module_name ++ "' while reporting a panic: ", msg, "");
    var frames: [max_frames]usize = undefined;
    const addresses = walkStack(first_trace_addr orelse @returnAddress(), &frames);
    // Python symbolizes; it needs the GIL, which a py.NoGil call or allowThreads block released.
    _ = c.PyGILState_Ensure();
    var stack_buf: [report_size / 2]u8 = undefined;
    const stack = symbolized(addresses, &stack_buf);
    const where = innermost(stack);
    const head = "zig panic in module '" ++ options.module_name ++ "'";
    var w = Writer{ .buf = &report };
    w.put(head);
    // "file" alone: optimized code merged several checks of this kind into one call (line 0).
    const has_line = std.mem.indexOfScalar(u8, where, ':') != null;
    if (has_line) {
        w.put(" at ");
        w.put(where);
    }
    w.put(": ");
    w.put(msg);
    w.put("\n");
    if (!has_line) w.put("(the optimizer merged this safety check with others, so its line is unknown; ZIG_RELEASEMODE=Debug names it)\n");
    if (stack.len > 0) {
        w.put("Zig stack (most recent call last):\n");
        w.put(stack);
    }
    w.put("A Zig panic stops the process: it cannot unwind through Python (see zigimport's docs/panics.md).\n" ++
        "For failures that depend on input, return an error instead, e.g. std.math.add -> OverflowError.\n");
    c.Py_FatalError(w.finish());
}

fn fatal(buf: []u8, comptime prefix: []const u8, msg: []const u8, comptime suffix: []const u8) noreturn {
    var w = Writer{ .buf = buf };
    w.put(prefix);
    w.put(msg);
    w.put(suffix);
    c.Py_FatalError(w.finish());
}

/// Appends to a fixed buffer, truncating; `finish` NUL-terminates.
const Writer = struct {
    buf: []u8,
    len: usize = 0,

    fn put(w: *Writer, s: []const u8) void {
        const n = @min(s.len, w.buf.len - 1 - w.len);
        @memcpy(w.buf[w.len..][0..n], s[0..n]);
        w.len += n;
    }

    fn finish(w: *Writer) [*:0]const u8 {
        w.buf[w.len] = 0;
        return @ptrCast(w.buf.ptr);
    }
};

/// Return addresses from the panic site outwards, while they are inside this module's
/// binary (frames outside it, e.g. CPython's, may not keep frame pointers, so the walk
/// stops there).  Without frame pointers: just the panic site.
fn walkStack(site: usize, out: *[max_frames]usize) []const usize {
    out[0] = site;
    if (comptime builtin.omit_frame_pointer) return out[0..1];
    var ours: trace.Dl_info = undefined;
    if (trace.dladdr(trace.anchor(), &ours) == 0) return out[0..1];
    var fp = @frameAddress();
    var n: usize = 0;
    var found = false;
    var depth: usize = 0;
    while (n < out.len and depth < 256) : (depth += 1) {
        if (fp == 0 or fp % @alignOf(usize) != 0) break;
        const frame: *const [2]usize = @ptrFromInt(fp);
        const next_fp = frame[0];
        const ra = frame[1];
        if (ra == 0 or !inBinary(ra, ours.dli_fbase)) break;
        // Frames before the site are the panic machinery (std.debug's safety-check helpers).
        if (!found and ra == site) found = true;
        if (found) {
            out[n] = ra;
            n += 1;
        }
        if (next_fp <= fp) break; // the stack grows down: a caller's frame is above
        fp = next_fp;
    }
    return if (found) out[0..n] else out[0..1];
}

fn inBinary(addr: usize, base: ?*anyopaque) bool {
    var info: trace.Dl_info = undefined;
    if (trace.dladdr(@ptrFromInt(addr), &info) == 0) return false;
    return info.dli_fbase == base;
}

/// The stack as text from zigimport.diagnostics.zig_trace (outermost first), or "" if Python cannot say.
fn symbolized(addresses: []const usize, buf: []u8) []const u8 {
    var info: trace.Dl_info = undefined;
    if (trace.dladdr(trace.anchor(), &info) == 0) return "";
    const path = info.dli_fname orelse return "";
    const text = trace.formatTrace(path, addresses) orelse {
        c.PyErr_Clear();
        return "";
    };
    defer c.decref(text);
    var size: c.Py_ssize_t = 0;
    const utf8 = c.PyUnicode_AsUTF8AndSize(text, &size) orelse {
        c.PyErr_Clear();
        return "";
    };
    var all: []const u8 = utf8[0..@intCast(size)];
    // Drop the trace's own header line ("Zig error return trace ..."): this is not an error trace.
    if (std.mem.indexOfScalar(u8, all, '\n')) |i| all = all[i + 1 ..];
    const n = @min(all.len, buf.len);
    @memcpy(buf[0..n], all[0..n]);
    if (n > 0 and buf[n - 1] != '\n' and n < buf.len) {
        buf[n] = '\n';
        return buf[0 .. n + 1];
    }
    return buf[0..n];
}

/// "file:line:col" of the last (innermost) frame line, "  file:line:col in function".
fn innermost(stack: []const u8) []const u8 {
    const trimmed = std.mem.trimEnd(u8, stack, "\n");
    const start = if (std.mem.lastIndexOfScalar(u8, trimmed, '\n')) |i| i + 1 else 0;
    const line = std.mem.trimStart(u8, trimmed[start..], " ");
    if (std.mem.startsWith(u8, line, "0x") or std.mem.startsWith(u8, line, "(")) return ""; // no source location
    return if (std.mem.indexOf(u8, line, " in ")) |i| line[0..i] else line;
}
