//! `__zig_probe_stack`, so that a module links without compiler_rt.
//!
//! On x86_64, safe builds call `__zig_probe_stack` before allocating a stack
//! frame larger than a page, so that the frame cannot jump over the guard page.
//! compiler_rt provides it, but building compiler_rt costs ~4-8 CPU-seconds per
//! cache, release mode and CPU, and a typical extension needs nothing else
//! from it (zigimport links `-fno-compiler-rt` and falls back to compiler_rt
//! when the binary still needs one of its symbols).  Weak and hidden: when
//! compiler_rt is linked as well, either copy serves, and none leaks into the
//! Python process.
const builtin = @import("builtin");

comptime {
    if (builtin.cpu.arch == .x86_64 and builtin.object_format == .elf) {
        @export(&probeStack, .{ .name = "__zig_probe_stack", .linkage = .weak, .visibility = .hidden });
    }
}

/// Called with the size of the frame about to be allocated in %rax; touches each
/// page of it from the top down (moving %rsp along, so that kernels before 5.1
/// grow the main thread's stack), then restores every register but the flags.
fn probeStack() callconv(.naked) void {
    asm volatile (
        \\        pushq  %%rcx
        \\        pushq  %%rdx
        \\        movq   %%rsp, %%rcx
        \\        movq   %%rax, %%rdx
        \\1:
        \\        cmpq   $0x1000, %%rdx
        \\        jb     2f
        \\        subq   $0x1000, %%rsp
        \\        testb  $0, (%%rsp)
        \\        subq   $0x1000, %%rdx
        \\        jmp    1b
        \\2:
        \\        subq   %%rdx, %%rsp
        \\        testb  $0, (%%rsp)
        \\        movq   %%rcx, %%rsp
        \\        popq   %%rdx
        \\        popq   %%rcx
        \\        retq
    );
}
