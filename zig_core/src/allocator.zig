//! Memory: a general-purpose allocator backed by Python's raw allocator, and
//! the per-call arena that functions with an `std.mem.Allocator` parameter get.
//!
//! PyMem_Raw* is thread-safe without the GIL (so GIL-free code can allocate)
//! and is what tracemalloc sees.  It guarantees malloc's alignment; larger
//! alignments over-allocate and keep the original pointer in a header.
const std = @import("std");
const c = @import("capi.zig");
const Alignment = std.mem.Alignment;
const runtime = @import("runtime_link.zig");

/// Long-lived memory (lives until freed), backed by PyMem_RawMalloc.
pub const python_allocator: std.mem.Allocator = .{ .ptr = undefined, .vtable = &vtable };

const vtable: std.mem.Allocator.VTable = .{ .alloc = alloc, .resize = resize, .remap = remap, .free = free };

/// What PyMem_RawMalloc (malloc) guarantees on every platform we build for.
const natural: Alignment = .@"16";

fn alloc(_: *anyopaque, len: usize, alignment: Alignment, _: usize) ?[*]u8 {
    if (alignment.compare(.lte, natural)) return @ptrCast(c.PyMem_RawMalloc(len));
    // Over-allocate; store the raw pointer just below the aligned block.
    const extra = alignment.toByteUnits() + @sizeOf(usize);
    const raw: [*]u8 = @ptrCast(c.PyMem_RawMalloc(len + extra) orelse return null);
    const aligned = alignment.forward(@intFromPtr(raw) + @sizeOf(usize));
    @as(*align(1) usize, @ptrFromInt(aligned - @sizeOf(usize))).* = @intFromPtr(raw);
    return @ptrFromInt(aligned);
}

fn resize(_: *anyopaque, memory: []u8, _: Alignment, new_len: usize, _: usize) bool {
    return new_len <= memory.len; // shrinking in place is always fine; growing needs remap
}

fn remap(_: *anyopaque, memory: []u8, alignment: Alignment, new_len: usize, _: usize) ?[*]u8 {
    if (alignment.compare(.gt, natural)) return null; // let the caller copy
    return @ptrCast(c.PyMem_RawRealloc(memory.ptr, new_len));
}

fn free(_: *anyopaque, memory: []u8, alignment: Alignment, _: usize) void {
    if (alignment.compare(.lte, natural)) return c.PyMem_RawFree(memory.ptr);
    const raw = @as(*align(1) const usize, @ptrFromInt(@intFromPtr(memory.ptr) - @sizeOf(usize))).*;
    c.PyMem_RawFree(@ptrFromInt(raw));
}

/// Per-call state of a wrapper: an arena for the injected allocator and for
/// conversions that must copy (e.g. a list converted to a slice).  Everything
/// in it is freed when the call's result has been converted to Python.
pub const CallContext = struct {
    arena: std.heap.ArenaAllocator,

    pub fn init() CallContext {
        if (comptime runtime.linked) { // the arena's code is the runtime object's (runtime_link.zig)
            var ctx: CallContext = undefined;
            runtime.arenaInit(&ctx.arena);
            return ctx;
        }
        return .{ .arena = .init(python_allocator) };
    }

    /// Out of line: one copy for all wrappers instead of the arena's free loop inlined at
    /// every exit of each of them (a call costs ~1 ns; the compile time saved is ~5 ms per function).
    pub noinline fn deinit(self: *CallContext) void {
        if (self.arena.state.used_list == null and self.arena.state.free_list == null) return; // nothing allocated
        if (comptime runtime.linked) return runtime.arenaDeinit(&self.arena);
        self.arena.deinit();
    }

    pub fn allocator(self: *CallContext) std.mem.Allocator {
        if (comptime runtime.linked) return .{ .ptr = &self.arena, .vtable = &runtime.arena_vtable };
        return self.arena.allocator();
    }
};

