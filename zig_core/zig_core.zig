//! zig_core: write plain Zig, import it from Python.
//!
//!     const py = @import("zig_core");
//!     pub fn add(a: i64, b: i64) i64 { return a + b; }
//!     comptime { py.module(@This()); }
//!
//! Every `pub fn` of the module becomes a Python function; see README.md for
//! the conversions, keyword arguments, buffers, errors and stubs.  zigimport
//! builds the module and supplies the `zigimport_options` module (the module
//! name, the Python version, and the names and docs scanned from the source).
const std = @import("std");

/// Register a file's `@This()` as the Python module being built.
pub const module = @import("src/module.zig").module;

// ---- classes ----

/// `pub const Counter = py.class(struct { ... });` makes a Python class; see src/class.zig.
pub const class = @import("src/class.zig").class;
/// `pub const area = py.property(getArea, setArea);` (setter `null`: read-only).
pub const property = @import("src/class.zig").property;
/// Return from `__buffer__` to expose an N-dimensional C-contiguous view of a class's memory.
pub const Buffer = @import("src/class_buffer.zig").Buffer;
/// The class a classmethod is called on (first parameter).
pub const Type = @import("src/object.zig").Type;

// ---- the GIL ----

/// A parameter of this type runs the function without the GIL (after converting arguments).
pub const NoGil = @import("src/object.zig").NoGil;
/// Release the GIL for a block: `const t = py.allowThreads(); defer t.end();`
pub const allowThreads = @import("src/object.zig").allowThreads;

// ---- values ----

/// A borrowed Python object (any type); see src/object.zig for the rules.
pub const Object = @import("src/object.zig").Object;
/// An owned reference: `deinit()` it or return it.
pub const Owned = @import("src/object.zig").Owned;
/// `import name` from Zig.
pub const import = @import("src/object.zig").import;
/// Return `py.Bytes{ .data = ... }` for `bytes` instead of `str`; as a parameter, any bytes-like object.
pub const Bytes = @import("src/convert.zig").Bytes;

// ---- signatures (docs/signatures.md) ----

/// `rest: py.Args` takes the extra positional arguments, like `*rest` in Python.
pub const Args = @import("src/varargs.zig").Args;
/// `opts: py.Kwargs` takes the keywords no named parameter took, like `**opts`.
pub const Kwargs = @import("src/varargs.zig").Kwargs;
/// `_: py.PositionalOnly` makes the parameters before it positional-only, like `/`.
pub const PositionalOnly = @import("src/varargs.zig").PositionalOnly;

// ---- errors ----

/// `error.PythonException`: a Python exception is already set.
pub const PythonException = @import("src/errors.zig").PythonException;
/// `return py.raise(.ValueError, "bad value {d}", .{x});`
pub const raise = @import("src/errors.zig").raise;
/// `return py.raiseType(exception_class, "message {s}", .{name});`
pub const raiseType = @import("src/errors.zig").raiseType;

// ---- memory ----

/// General-purpose allocator backed by Python's raw allocator (thread-safe, seen
/// by tracemalloc), for memory that outlives a call.  Functions that take a
/// `std.mem.Allocator` parameter get a per-call arena instead, freed after the call.
pub const allocator: std.mem.Allocator = @import("src/allocator.zig").python_allocator;

// ---- below the API ----

/// The C-API declarations, for code that needs to go below zig_core.
pub const capi = @import("src/capi.zig");

/// Installed by zigimport's build root; see src/panic.zig.
pub const panic_handler = @import("src/panic.zig").handler;
