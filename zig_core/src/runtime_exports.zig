//! The definitions of zig_core's runtime entry points (declared in runtime_link.zig), exported
//! with hidden visibility from the runtime object (zig_core/runtime.zig).  Each calls the code
//! of its own file; only the C-ABI shape (pointer and length for slices) is added here.
const std = @import("std");
const c = @import("capi.zig");
const link = @import("runtime_link.zig");
const binding = @import("binding.zig");
const arg_messages = @import("arg_messages.zig");
const errors = @import("errors.zig");
const panic = @import("panic.zig");
const allocator = @import("allocator.zig");
const ArenaAllocator = std.heap.ArenaAllocator;

comptime {
    std.debug.assert(link.in_object);
    put(link.Bind, &bind, "bind");
    put(link.TooFew, &tooFew, "too_few");
    put(link.TooMany, &tooMany, "too_many");
    put(link.NameArgument, &nameArgument, "name_argument");
    put(link.SetZigError, &setZigError, "set_zig_error");
    // Only with safety checks (runtime_link.module_reports_object_panics): elsewhere a module's
    // rare explicit @panic keeps its own report, and the object needs no dladdr at all.
    if (link.module_reports_object_panics) put(link.Panic, &onPanic, "panic");
    put(link.ArenaInit, &arenaInit, "arena_init");
    put(link.ArenaDeinit, &arenaDeinit, "arena_deinit");
    put(link.ArenaAlloc, &arenaAlloc, "arena_alloc");
    put(link.ArenaResize, &arenaResize, "arena_resize");
    put(link.ArenaRemap, &arenaRemap, "arena_remap");
    put(link.ArenaFree, &arenaFree, "arena_free");
}

fn put(comptime T: type, comptime f: *const T, comptime name: []const u8) void {
    @export(f, .{ .name = link.symbol(name), .visibility = .hidden });
}

fn bind(t: *const binding.Table, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject, slots: [*]?*c.PyObject, taken: [*]u32, ntaken: *usize) callconv(.c) bool {
    return binding.bindHere(t, args, nargs, kwnames, slots, taken, ntaken);
}
fn tooFew(t: *const binding.Table, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject {
    return binding.tooFewHere(t, args, nargs);
}
fn tooMany(t: *const binding.Table, given: c.Py_ssize_t, kwonly_given: usize) callconv(.c) ?*c.PyObject {
    return binding.tooManyHere(t, given, kwonly_given);
}
fn nameArgument(what: [*]const u8, len: usize) callconv(.c) void {
    arg_messages.nameArgumentHere(what[0..len]);
}
fn setZigError(name: [*]const u8, name_len: usize, custom: ?*c.PyObject, what: [*]const u8, what_len: usize, addresses: [*]const usize, n: usize, origin: *const link.Origin) callconv(.c) void {
    errors.setNamedError(name[0..name_len], custom, what[0..what_len], addresses[0..n], origin);
}
fn onPanic(msg: [*]const u8, len: usize, site: usize, origin: *const link.Origin) callconv(.c) noreturn {
    panic.report(msg[0..len], site, origin);
}

fn arenaInit(arena: *ArenaAllocator) callconv(.c) void {
    arena.* = .init(allocator.python_allocator); // the object's own copy: no Zig-ABI call crosses into the module
}
fn arenaDeinit(arena: *ArenaAllocator) callconv(.c) void {
    arena.deinit();
}
fn arenaAlloc(arena: *anyopaque, len: usize, alignment: u8, ret_addr: usize) callconv(.c) ?[*]u8 {
    return arenaOf(arena).rawAlloc(len, @enumFromInt(alignment), ret_addr);
}
fn arenaResize(arena: *anyopaque, memory: [*]u8, len: usize, alignment: u8, new_len: usize, ret_addr: usize) callconv(.c) bool {
    return arenaOf(arena).rawResize(memory[0..len], @enumFromInt(alignment), new_len, ret_addr);
}
fn arenaRemap(arena: *anyopaque, memory: [*]u8, len: usize, alignment: u8, new_len: usize, ret_addr: usize) callconv(.c) ?[*]u8 {
    return arenaOf(arena).rawRemap(memory[0..len], @enumFromInt(alignment), new_len, ret_addr);
}
fn arenaFree(arena: *anyopaque, memory: [*]u8, len: usize, alignment: u8, ret_addr: usize) callconv(.c) void {
    arenaOf(arena).rawFree(memory[0..len], @enumFromInt(alignment), ret_addr);
}
fn arenaOf(arena: *anyopaque) std.mem.Allocator {
    const a: *ArenaAllocator = @ptrCast(@alignCast(arena));
    return a.allocator();
}
