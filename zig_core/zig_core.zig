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

// ---- classes: read-only buffers (see docs/classes.md) ----

/// Return from `__buffer__` for an N-dimensional view Python may only read (`data: []const T`).
pub const ReadonlyBuffer = @import("src/class_buffer.zig").ReadonlyBuffer;
/// `fn __buffer__(self: *Self, flags: py.BufferFlags)`: what the consumer asked for (`flags.writable`).
pub const BufferFlags = @import("src/class_buffer.zig").BufferFlags;

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

// ---- Python objects from Zig (src/object_ops.zig, src/handle.zig; guide: docs/objects.md) ----

/// `py.create(value)`: any Zig value a function could return, as a new `py.Owned`.
pub const create = @import("src/object.zig").create;
/// A borrowed dict; as a parameter, checked (subclasses allowed).  `py.Dict.Owned`: one you own.
pub const Dict = @import("src/dict.zig").Dict;
/// A borrowed list; `py.List.Owned`: one you own.
pub const List = @import("src/list.zig").List;
/// A borrowed tuple; `py.Tuple.Owned`: one you own.
pub const Tuple = @import("src/tuple.zig").Tuple;
/// A borrowed str; `py.Str.Owned`: one you own.
pub const Str = @import("src/str.zig").Str;
/// `obj.iter()`: iterate any iterable (`while (try it.next()) |item|`; `deinit()` it).
pub const Iterator = @import("src/iter.zig").Iterator;
/// Whether the pending exception is an instance of `.KeyError` (or a class object).
pub const exceptionMatches = @import("src/pending_exception.zig").exceptionMatches;
/// Whether a Python exception is pending.
pub const exceptionPending = @import("src/pending_exception.zig").exceptionPending;
/// Discard the pending exception.
pub const clearException = @import("src/pending_exception.zig").clearException;
/// The pending exception taken out: inspect it, then `deinit()` (handled) or `return e.restore()` (re-raise).
pub const PendingException = @import("src/pending_exception.zig").PendingException;

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

// ---- module contents (src/module.zig, src/exception.zig) ----

/// `pub const linalg = py.submodule(struct { ... });` makes the submodule `mod.linalg`.
pub const submodule = @import("src/module.zig").submodule;
/// `pub const ParseError = py.exception(.ValueError, "doc");` makes the exception class
/// `mod.ParseError`; `error.ParseError` and `py.raise(.ParseError, ...)` raise it.
pub const exception = @import("src/exception.zig").exception;

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

// ---- more values (docs/values.md) ----

/// `datetime.datetime` (naive: `utc_offset == null`; aware: its UTC offset in seconds).
pub const DateTime = @import("src/datetime.zig").DateTime;
/// `datetime.date`.
pub const Date = @import("src/datetime.zig").Date;
/// `datetime.time` (naive or aware, like DateTime).
pub const Time = @import("src/datetime.zig").Time;
/// `datetime.timedelta` as Python normalises it: days, seconds, microseconds.
pub const TimeDelta = @import("src/datetime.zig").TimeDelta;
/// `py.SetOf(T){ .items = slice }` ⇄ `set`; as a parameter, a set or frozenset of T.
pub const SetOf = @import("src/set.zig").SetOf;
/// Like SetOf, but a `frozenset` as a result.
pub const FrozenSetOf = @import("src/set.zig").FrozenSetOf;
/// A file-system path: str, bytes or os.PathLike in (its fs-encoded bytes), pathlib.Path out.
pub const Path = @import("src/path.zig").Path;
/// A read-only N-dimensional array parameter (any buffer of T, any memory order, no copy).
pub const NDArray = @import("src/ndarray.zig").NDArray;
/// A writable N-dimensional array parameter.
pub const NDArrayMut = @import("src/ndarray.zig").NDArrayMut;
/// `py.NDArrayView(T, .{ .ndim = 2, .writable = true })`: a fixed number of dimensions and/or writable.
pub const NDArrayView = @import("src/ndarray.zig").NDArrayView;

// ---- runtime support: what compiler_rt would supply, so that modules link without it (docs/cache.md) ----

comptime {
    _ = @import("src/stack_probe.zig");
}

// ---- @zetaclass (src/zetaclass.zig; guide: docs/zetaclass.md) ----

/// The native side of `zigimport.zetaclass`: generated files call `zetaclass.module(spec)`.
pub const zetaclass = @import("src/zetaclass.zig");

// ---- raw exports for zigimport.load_function (docs/specialize.md) ----

/// `comptime { py.exportFunction("scale", scale); }`: export `scale`'s PyMethodDef as the C symbol `scale`.
pub const exportFunction = @import("src/raw_export.zig").exportFunction;

// ---- Zig tests in pytest and `zigimport test` (src/test_runner.zig; guide: docs/pytest.md) ----

/// The runner a test binary's generated root exports (zigimport.integrations).
pub const test_runner = @import("src/test_runner.zig");

// ---- schema modules (src/schema/; issue 9, SCHEMA_SPEC.md) ----

/// The native side of `.zig.json` schema modules: generated files call `schema.module(spec)`.
pub const schema = @import("src/schema/schema.zig");

// ---- zig_core's runtime object (src/runtime_link.zig; docs/build-performance.md) ----

comptime {
    _ = @import("src/runtime_link.zig"); // the module-side half (exports module_panic when linked)
}
