//! What the typed handles (py.Dict, py.List, py.Tuple, py.Str) have in common: a
//! marker convert.zig recognises, and the borrowed/owned split in their types.
//!
//! - `py.Dict` (and List, Tuple, Str) is *borrowed*, like `py.Object`: valid while
//!   whoever lent it holds it; as a parameter it is checked (subclasses allowed).
//! - `py.Dict.Owned` is a reference you own, like `py.Owned`: `deinit()` it or return it.
//!   `.borrow()` gives the borrowed view, `.toOwned()` the untyped `py.Owned`.
const std = @import("std");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");

pub const Ownership = enum { borrowed, owned };

/// The declaration `zig_core_handle` of a handle type.
pub const Info = struct {
    /// The Python type, as messages name it ("dict").
    python_name: [:0]const u8,
    /// The annotation stubs use ("dict[Any, Any]").
    stub: []const u8,
    ownership: Ownership,
    /// How compile errors name the Zig type ("py.Dict", "py.Dict.Owned").
    display: []const u8,
};

pub fn isHandle(comptime T: type) bool {
    return reflect.kind(T) == .@"struct" and @hasDecl(T, "zig_core_handle") and @TypeOf(T.zig_core_handle) == Info;
}

pub fn info(comptime T: type) Info {
    return T.zig_core_handle;
}


/// The ownership methods of a typed handle `Self` whose borrowed form is `Borrowed`.
pub fn Ownable(comptime Self: type, comptime Borrowed: type, comptime ownership: Ownership, comptime name: []const u8) type {
    const Owned = @import("object.zig").Owned;
    return struct {
        /// Release the reference (owned handles only).
        pub fn deinit(self: Self) void {
            if (ownership == .borrowed) @compileError(name ++ " is a borrowed reference: there is nothing to deinit (references you own are " ++ name ++ ".Owned)");
            c.decref(self.ptr);
        }

        /// The borrowed view (valid while this reference lives).
        pub fn borrow(self: Self) Borrowed {
            return .{ .ptr = self.ptr };
        }

        /// The reference as an untyped `py.Owned` (ownership moves to it; owned handles only).
        pub fn toOwned(self: Self) Owned {
            if (ownership == .borrowed) @compileError(name ++ ".toOwned(): a borrowed " ++ name ++ " owns nothing; use newRef() for a new reference");
            return .{ .ptr = self.ptr };
        }

        /// Take a new reference returned by the C-API (null: an exception is set).
        pub fn fromNew(ptr: ?*c.PyObject) error{PythonException}!Self {
            if (ownership == .borrowed) @compileError(name ++ ".fromNew(): new references are " ++ name ++ ".Owned");
            return .{ .ptr = ptr orelse return error.PythonException };
        }
    };
}
