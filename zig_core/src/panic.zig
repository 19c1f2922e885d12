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
//! within this module's binary only; the report is symbolized and composed in Python
//! (zigimport.diagnostics.panic_report), like error return traces: std's DWARF printer would
//! add ~12 s to every ReleaseSafe compile, and even the text handling cost ~0.1 s per build.
const std = @import("std");
const builtin = @import("builtin");
const c = @import("capi.zig");
const trace = @import("trace.zig");
const runtime = @import("runtime_link.zig");

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
/// Static, so that a panic caused by exhausted memory or stack can still be reported.
var fallback: [4096]u8 = undefined;

/// Walks the stack here and leaves the report's text to Python
/// (zigimport.diagnostics.panic_report): every Debug and ReleaseSafe module compiles this
/// handler, with safety checks, so it keeps to the few steps that must happen in Zig.
fn onPanic(msg: []const u8, first_trace_addr: ?usize) noreturn {
    @branchHint(.cold);
    const site = first_trace_addr orelse @returnAddress();
    if (comptime runtime.in_object) {
        // The runtime object's own failed check: reported as the module's (runtime_link.zig).  Without
        // safety checks only an explicit @panic in std gets here: no report (no dladdr, see below).
        if (comptime runtime.module_reports_object_panics) runtime.modulePanic(msg.ptr, msg.len, site);
        fatal(&.{ "zig panic in zig_core's runtime: ", msg });
    } else if (comptime runtime.linked and runtime.module_reports_object_panics) {
        runtime.panic(msg.ptr, msg.len, site, &runtime.here); // the runtime object's copy of `report`
    } else report(msg, site, &runtime.here);
}

/// The report of a panic at `site` in the module `origin` names (the runtime object's, when linked).
pub fn report(msg: []const u8, site: usize, origin: *const runtime.Origin) noreturn {
    @branchHint(.cold);
    const name = std.mem.span(origin.module_name);
    if (@atomicRmw(bool, &panicking, .Xchg, true, .seq_cst)) fatal(&.{ "zig panic in module '", name, "' while reporting a panic: ", msg });
    var frames: [max_frames]usize = undefined;
    const addresses = walkStack(site, origin.anchor, &frames);
    // Python composes the report; it needs the GIL, which a py.NoGil call or allowThreads block released.
    _ = c.PyGILState_Ensure();
    if (pythonReport(msg, addresses, origin)) |text| c.Py_FatalError(text);
    c.PyErr_Clear();
    fatal(&.{ "zig panic in module '", name, "': ", msg, "\nA Zig panic stops the process: it cannot unwind through Python (see zigimport's docs/panics.md)." });
}

/// The report from Python, NUL-terminated; null (with an exception set) if Python cannot make it.
/// The text object is never released: Py_FatalError ends the process.
fn pythonReport(msg: []const u8, addresses: []const usize, origin: *const runtime.Origin) ?[*:0]const u8 {
    var info: trace.Dl_info = undefined;
    if (trace.dladdr(origin.anchor, &info) == 0) return null;
    const path = info.dli_fname orelse return null;
    const module = c.PyImport_ImportModule("zigimport.diagnostics.panic_report") orelse return null;
    const raw = trace.addressBytes(addresses) orelse return null;
    const py_msg = c.PyBytes_FromStringAndSize(msg.ptr, @intCast(msg.len)) orelse return null;
    const text = c.PyObject_CallMethod(module, "panic_report", "ssKNsN", path, origin.init_symbol, @as(c_ulonglong, @intFromPtr(origin.anchor)), raw, origin.module_name, py_msg) orelse return null;
    return c.PyUnicode_AsUTF8AndSize(text, null);
}

/// The parts joined (the last one truncated to fit) to Py_FatalError.  Run-time texts, so
/// that both callers share one copy.
fn fatal(parts: []const []const u8) noreturn {
    // Truncating, never asserting: a failed check here would panic again, into this function.
    var n: usize = 0;
    for (parts) |part| {
        const k = @min(part.len, fallback.len - 1 - n);
        @memcpy(fallback[n..][0..k], part[0..k]);
        n += k;
    }
    fallback[n] = 0;
    c.Py_FatalError(@ptrCast(&fallback));
}

/// Return addresses from the panic site outwards, while they are inside this module's
/// binary (frames outside it, e.g. CPython's, may not keep frame pointers, so the walk
/// stops there).  Without frame pointers: just the panic site.
fn walkStack(site: usize, anchor: *const anyopaque, out: *[max_frames]usize) []const usize {
    out[0] = site;
    if (comptime builtin.omit_frame_pointer) return out[0..1];
    var ours: trace.Dl_info = undefined;
    if (trace.dladdr(anchor, &ours) == 0) return out[0..1];
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
