//! Built by zigimport on `import fastpkg._speedups` (see docs/c-libraries.md, "Projects with their own build.zig").
const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    const py_include = b.option([]const u8, "python-include", "CPython's include directory") orelse "/usr/include/python3";
    const ext_suffix = b.option([]const u8, "python-ext-suffix", "EXT_SUFFIX of the interpreter") orelse ".so";

    const mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    mod.addCSourceFile(.{ .file = b.path("src/speedups.c"), .flags = &.{"-std=c11"} });
    mod.addIncludePath(.{ .cwd_relative = py_include });
    mod.addIncludePath(b.path("src"));
    const lib = b.addLibrary(.{ .name = "_speedups", .linkage = .dynamic, .root_module = mod });
    lib.linker_allow_shlib_undefined = true;

    const step = b.step("python-ext", "Build the Python extension modules");
    const install = b.addInstallArtifact(lib, .{ .dest_sub_path = b.fmt("_speedups{s}", .{ext_suffix}) });
    step.dependOn(&install.step);
}
