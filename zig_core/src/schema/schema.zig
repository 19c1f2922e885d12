//! `zig_core.schema`: what a generated `.zig.json` module uses (SCHEMA_SPEC.md §1).
//!
//!     const schema = @import("zig_core").schema;
//!     comptime { schema.module(.{ .name = "person", .roots = ..., .nodes = ..., .classes = ... }); }
const spec = @import("spec.zig");

pub const Spec = spec.Spec;
pub const Root = spec.Root;
pub const Types = spec.Types;
pub const Format = spec.Format;
pub const Node = spec.Node;
pub const Class = spec.Class;
pub const Additional = spec.Additional;
pub const Field = spec.Field;

/// Export the module for `s` (call from a `comptime` block).
pub const module = @import("module.zig").module;

test {
    _ = @import("formats.zig");
}
