//! zig_core: write plain Zig, import it from Python.
//!
//!     const py = @import("zig_core");
//!     pub fn add(a: i64, b: i64) i64 { return a + b; }
//!     comptime { py.module(@This()); }
//!
//! Every `pub fn` of the module becomes a Python function.  zigimport builds
//! the module and supplies the `zigimport_options` module (name, Python version).
pub const module = @import("src/module.zig").module;

/// The C-API declarations, for code that needs to go below zig_core.
pub const capi = @import("src/capi.zig");

/// Installed by zigimport's build root; see src/panic.zig.
pub const panic_handler = @import("src/panic.zig").handler;
