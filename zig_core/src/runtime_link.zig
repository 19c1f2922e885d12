//! The module's side of zig_core's runtime object (zig_core/runtime.zig): the C-ABI entry
//! points of the module-independent code (the per-call arena, the keyword binder and its
//! messages, argument renaming, Zig error -> exception, error return traces, the panic
//! report), declared `extern` here and defined by the object, which zigimport compiles once
//! per zig_core, release mode, Python ABI and target, and links into every module
//! (zigimport/build/core_object.py).  Compiled into every module, that code was ~0.3 s of each
//! release build (docs/build-performance.md).
//!
//! `linked`: this build links the object (zigimport says so in `zigimport_options`); otherwise
//! (test binaries, builds without zigimport) each file calls its own code directly, as before.
//! The symbols are hidden: they never leave the module's binary, so two modules built from
//! different zig_core trees cannot bind to each other's copies.
const std = @import("std");
const c = @import("capi.zig");
const options = @import("zigimport_options");
const Table = @import("binding.zig").Table;
const ArenaAllocator = std.heap.ArenaAllocator;

/// This module links the runtime object: the functions below are the object's.
pub const linked: bool = @hasDecl(options, "zig_core_runtime") and options.zig_core_runtime;
/// This build is the runtime object itself (zig_core/runtime.zig).
pub const in_object: bool = @hasDecl(options, "zig_core_runtime_object") and options.zig_core_runtime_object;

comptime {
    std.debug.assert(!(linked and in_object));
}

/// What the object needs to know of the module it serves: passed at run time, since one
/// object serves every module.
pub const Origin = extern struct {
    /// The module's exported init function (trace.anchor): locates the binary and its load address.
    anchor: *const anyopaque,
    init_symbol: [*:0]const u8,
    module_name: [*:0]const u8,
};

/// This module, as the object sees it (modules only: the object has no module name).
pub const here: Origin = .{
    .anchor = @extern(*const anyopaque, .{ .name = options.init_symbol }),
    .init_symbol = options.init_symbol.ptr,
    .module_name = options.module_name.ptr,
};

// ---- the entry points: one type each, checked against the object's definitions ----

pub const Bind = fn (t: *const Table, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject, slots: [*]?*c.PyObject, taken: [*]u32, ntaken: *usize) callconv(.c) bool;
pub const TooFew = fn (t: *const Table, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) callconv(.c) ?*c.PyObject;
pub const TooMany = fn (t: *const Table, given: c.Py_ssize_t, kwonly_given: usize) callconv(.c) ?*c.PyObject;
pub const NameArgument = fn (what: [*]const u8, len: usize) callconv(.c) void;
pub const SetZigError = fn (name: [*]const u8, name_len: usize, custom: ?*c.PyObject, what: [*]const u8, what_len: usize, addresses: [*]const usize, n: usize, origin: *const Origin) callconv(.c) void;
pub const Panic = fn (msg: [*]const u8, len: usize, site: usize, origin: *const Origin) callconv(.c) noreturn;
/// Defined by the module (below): a safety check failing inside the object reports through
/// the module's own panic handler (the module's name, or the user's `pub const panic`).
pub const ModulePanic = fn (msg: [*]const u8, len: usize, site: usize) callconv(.c) noreturn;
pub const ArenaInit = fn (arena: *ArenaAllocator) callconv(.c) void;
pub const ArenaDeinit = fn (arena: *ArenaAllocator) callconv(.c) void;
pub const ArenaAlloc = fn (arena: *anyopaque, len: usize, alignment: u8, ret_addr: usize) callconv(.c) ?[*]u8;
pub const ArenaResize = fn (arena: *anyopaque, memory: [*]u8, len: usize, alignment: u8, new_len: usize, ret_addr: usize) callconv(.c) bool;
pub const ArenaRemap = fn (arena: *anyopaque, memory: [*]u8, len: usize, alignment: u8, new_len: usize, ret_addr: usize) callconv(.c) ?[*]u8;
pub const ArenaFree = fn (arena: *anyopaque, memory: [*]u8, len: usize, alignment: u8, ret_addr: usize) callconv(.c) void;

/// The symbol name of entry point `name` (prefixed: the object's symbols share the module's namespace).
pub fn symbol(comptime name: []const u8) []const u8 {
    return "zig_core_rt_" ++ name;
}

fn entry(comptime T: type, comptime name: []const u8) *const T {
    return @extern(*const T, .{ .name = symbol(name), .visibility = .hidden });
}

pub const bind = entry(Bind, "bind");
pub const tooFew = entry(TooFew, "too_few");
pub const tooMany = entry(TooMany, "too_many");
pub const nameArgument = entry(NameArgument, "name_argument");
pub const setZigError = entry(SetZigError, "set_zig_error");
pub const panic = entry(Panic, "panic");
pub const modulePanic = entry(ModulePanic, "module_panic");
pub const arenaInit = entry(ArenaInit, "arena_init");
pub const arenaDeinit = entry(ArenaDeinit, "arena_deinit");

/// The call arena's allocator: four thin calls into the object's ArenaAllocator.
pub const arena_vtable: std.mem.Allocator.VTable = .{ .alloc = arenaAlloc, .resize = arenaResize, .remap = arenaRemap, .free = arenaFree };

fn arenaAlloc(ctx: *anyopaque, len: usize, alignment: std.mem.Alignment, ret_addr: usize) ?[*]u8 {
    return entry(ArenaAlloc, "arena_alloc")(ctx, len, @intFromEnum(alignment), ret_addr);
}
fn arenaResize(ctx: *anyopaque, memory: []u8, alignment: std.mem.Alignment, new_len: usize, ret_addr: usize) bool {
    return entry(ArenaResize, "arena_resize")(ctx, memory.ptr, memory.len, @intFromEnum(alignment), new_len, ret_addr);
}
fn arenaRemap(ctx: *anyopaque, memory: []u8, alignment: std.mem.Alignment, new_len: usize, ret_addr: usize) ?[*]u8 {
    return entry(ArenaRemap, "arena_remap")(ctx, memory.ptr, memory.len, @intFromEnum(alignment), new_len, ret_addr);
}
fn arenaFree(ctx: *anyopaque, memory: []u8, alignment: std.mem.Alignment, ret_addr: usize) void {
    entry(ArenaFree, "arena_free")(ctx, memory.ptr, memory.len, @intFromEnum(alignment), ret_addr);
}

fn modulePanicHere(msg: [*]const u8, len: usize, site: usize) callconv(.c) noreturn {
    @branchHint(.cold);
    std.builtin.panic.call(msg[0..len], site);
}

/// The panic report is the object's only where the object has safety checks (Debug, ReleaseSafe):
/// the module's `module_panic` export would always be linked, and with it the report and its
/// `dladdr` (which manylinux's oldest glibc keeps in libdl), where a ReleaseFast module without
/// panics of its own had neither.  There a module keeps its own report, compiled only if it panics.
pub const module_reports_object_panics = std.debug.runtime_safety;

comptime {
    if (linked and module_reports_object_panics) @export(&modulePanicHere, .{ .name = symbol("module_panic"), .visibility = .hidden });
}
