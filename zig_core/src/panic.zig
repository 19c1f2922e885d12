//! The panic handler zigimport's build root installs (unless the module defines
//! `pub const panic`).  A Zig panic cannot unwind through CPython, so it ends the
//! process -- through Py_FatalError, which names the module and prints the
//! Python traceback of the call that led there.  It also keeps ReleaseSafe
//! builds fast to compile: std's default handler pulls in the DWARF stack
//! trace printer (~12 s per build).
const std = @import("std");
const c = @import("capi.zig");
const options = @import("zigimport_options");

pub const handler = std.debug.FullPanic(onPanic);

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
