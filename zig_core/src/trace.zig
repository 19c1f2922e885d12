//! Attach a Zig error return trace to the Python exception being raised.
//!
//! Symbolizing in Zig would pull std.debug's DWARF reader into every build
//! (~12 s per ReleaseSafe compile), so the raw return addresses go to
//! `zigimport.diagnostics.zig_trace.format_trace`, which reads the binary's line tables
//! in Python, only when an error actually reaches Python.
const std = @import("std");
const c = @import("capi.zig");
const options = @import("zigimport_options");
const runtime = @import("runtime_link.zig");

pub const Dl_info = extern struct {
    dli_fname: ?[*:0]const u8,
    dli_fbase: ?*anyopaque,
    dli_sname: ?[*:0]const u8,
    dli_saddr: ?*anyopaque,
};
pub extern fn dladdr(addr: *const anyopaque, info: *Dl_info) c_int;

/// The module's exported init function: a symbol Python can find in the
/// binary, to turn runtime addresses into link-time ones.
pub fn anchor() *const anyopaque {
    return @extern(*const anyopaque, .{ .name = options.init_symbol });
}

pub fn attach(t: *const std.builtin.StackTrace) void {
    const n = @min(t.index, t.instruction_addresses.len);
    if (n == 0) return;
    attachFrom(&runtime.here, t.instruction_addresses[0..n]);
}

/// `attach` for the module `origin` names (the runtime object serves every module).
pub fn attachFrom(origin: *const runtime.Origin, addresses: []const usize) void {
    var info: Dl_info = undefined;
    if (dladdr(origin.anchor, &info) == 0) return;
    const path = info.dli_fname orelse return;

    var exc_type: ?*c.PyObject = null;
    var exc_value: ?*c.PyObject = null;
    var exc_tb: ?*c.PyObject = null;
    c.PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    c.PyErr_NormalizeException(&exc_type, &exc_value, &exc_tb);
    defer c.PyErr_Restore(exc_type, exc_value, exc_tb);
    const value = exc_value orelse return;
    const text = formatTraceFrom(origin, path, addresses) orelse {
        c.PyErr_Clear(); // a trace we cannot format must not replace the real error
        return;
    };
    defer c.decref(text);
    if (!addToException(value, text)) c.PyErr_Clear();
}

pub fn formatTrace(path: [*:0]const u8, addresses: []const usize) ?*c.PyObject {
    return formatTraceFrom(&runtime.here, path, addresses);
}

pub fn formatTraceFrom(origin: *const runtime.Origin, path: [*:0]const u8, addresses: []const usize) ?*c.PyObject {
    const module = c.PyImport_ImportModule("zigimport.diagnostics.zig_trace") orelse return null;
    defer c.decref(module);
    const raw = addressBytes(addresses) orelse return null;
    return c.PyObject_CallMethod(module, "format_raw_trace", "ssKN", path, origin.init_symbol, @as(c_ulonglong, @intFromPtr(origin.anchor)), raw);
}

/// The addresses as one bytes object (native size_t items; Python reads them with
/// memoryview.cast("N")): CPython builds every argument of the call from a format string, so
/// each Debug and ReleaseSafe module compiles one call here, not a list built item by item.
pub fn addressBytes(addresses: []const usize) ?*c.PyObject {
    return c.PyBytes_FromStringAndSize(@ptrCast(addresses.ptr), @intCast(addresses.len * @sizeOf(usize)));
}

/// The anchor's run-time address, for the `K` (unsigned long long) format code.
pub fn anchorAddress() c_ulonglong {
    return @intFromPtr(anchor());
}

/// 3.11+: `exc.add_note(text)` (shown under the message in tracebacks);
/// 3.10 has no notes, so the text is appended to the message.
fn addToException(value: *c.PyObject, text: *c.PyObject) bool {
    if (comptime c.py_minor >= 11) {
        const add_note = c.PyObject_GetAttrString(value, "add_note") orelse return false;
        defer c.decref(add_note);
        var argv = [_]*c.PyObject{text};
        const r = c.call(add_note, &argv) orelse return false;
        c.decref(r);
        return true;
    }
    const args = c.PyObject_GetAttrString(value, "args") orelse return false;
    defer c.decref(args);
    const first = if (c.varSize(args) > 0) c.PyObject_Str(c.tupleItem(args, 0)) else c.PyUnicode_FromString("");
    const message = first orelse return false;
    defer c.decref(message);
    const joined_fmt = c.PyUnicode_FromString("{}\n{}") orelse return false;
    defer c.decref(joined_fmt);
    const fmt_method = c.PyObject_GetAttrString(joined_fmt, "format") orelse return false;
    defer c.decref(fmt_method);
    var argv = [_]*c.PyObject{ message, text };
    const joined = c.call(fmt_method, &argv) orelse return false;
    defer c.decref(joined);
    const new_args = c.PyTuple_New(1) orelse return false;
    defer c.decref(new_args);
    _ = c.PyTuple_SetItem(new_args, 0, c.newref(joined));
    return c.PyObject_SetAttrString(value, "args", new_args) == 0;
}
