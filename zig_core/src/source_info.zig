//! What zigimport's source scan found (parameter names, `///` and `//!` docs),
//! passed in the generated `zigimport_options` module as `source_info`.
const options = @import("zigimport_options");
const signature = @import("signature.zig");

const Empty = struct {};

/// The scan of the module's root file.
pub const root: type = if (@hasDecl(options, "source_info")) options.source_info else Empty;

pub fn doc(comptime ns: type) ?[:0]const u8 {
    return if (@hasDecl(ns, "__doc__")) ns.__doc__ else null;
}

pub fn function(comptime ns: type, comptime name: []const u8) ?signature.FnInfo {
    if (!@hasDecl(ns, "__functions__") or !@hasDecl(ns.__functions__, name)) return null;
    const f = @field(ns.__functions__, name);
    return .{ .doc = f.doc, .params = f.params, .line = f.line };
}

pub fn container(comptime ns: type, comptime name: []const u8) type {
    if (!@hasDecl(ns, "__containers__") or !@hasDecl(ns.__containers__, name)) return Empty;
    return @field(ns.__containers__, name);
}

pub fn declDoc(comptime ns: type, comptime name: []const u8) ?[:0]const u8 {
    if (!@hasDecl(ns, "__decl_docs__") or !@hasDecl(ns.__decl_docs__, name)) return null;
    return @field(ns.__decl_docs__, name);
}
