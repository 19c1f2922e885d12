//! The root of zig_core's runtime object: zig_core's module-independent code, compiled by
//! zigimport once per zig_core tree, release mode, Python ABI and target and linked into every
//! module (zigimport/build/core_object.py; the module's side: src/runtime_link.zig).
const std = @import("std");

/// The object's own failed safety checks report through the module that called it.
pub const panic = @import("src/panic.zig").handler;

comptime {
    _ = @import("src/runtime_exports.zig");
}
