//! The runner of a Zig test binary (zigimport.integrations: the pytest plugin and `zigimport test`).
//!
//! zigimport compiles a `.zig` file's `test` blocks with `zig test-obj` (so `builtin.test_functions`
//! lists them and `std.testing` works) and links the object as an extension module whose init
//! symbol this file exports.  The module has two functions, called with the GIL held from a real
//! interpreter -- so a test can build Python objects and call Python code through zig_core:
//!
//!     names() -> list[str]                      the tests' qualified names, in source order
//!     run(i)  -> (status, error, trace, exc)    status "passed" | "failed" | "skipped"; exc: a Python
//!                                              exception the test left pending, or None
//!
//! `run` sets up what Zig's own test runner sets up per test (std.testing's allocator, with its
//! leak check, and io; the log level) and reports a leak or an error logged through std.log as a
//! failure, as `zig build test` does.  The error return trace comes back symbolized (by
//! zigimport.diagnostics.zig_trace, like a Zig error reaching Python).  A panic ends the process
//! (src/panic.zig): zigimport runs tests in a worker process, so only that test fails.
const std = @import("std");
const c = @import("capi.zig");
const trace = @import("trace.zig");
const options = @import("zigimport_options");
const testing = std.testing;

/// Called from the generated test root's `comptime` block with the root's `@import("builtin")`:
/// only the main module's builtin lists the tests (zig_core may be built with other options,
/// so its own builtin is another module).
pub fn exportRunner(comptime root_builtin: type) void {
    @export(&Runner(root_builtin).init, .{ .name = options.init_symbol });
}

/// The generated root's `std_options.logFn`: std.log as Zig's test runner prints it; an error counts.
pub fn log(
    comptime level: std.log.Level,
    comptime scope: @EnumLiteral(),
    comptime format: []const u8,
    args: anytype,
) void {
    if (@backingInt(level) <= @backingInt(std.log.Level.err)) logged_errors +|= 1;
    if (@backingInt(level) <= @backingInt(testing.log_level)) {
        std.debug.print("[" ++ @tagName(scope) ++ "] (" ++ @tagName(level) ++ "): " ++ format ++ "\n", args);
    }
}

var logged_errors: usize = 0;

fn Runner(comptime root_builtin: type) type {
    return struct {
        const methods = [_]c.PyMethodDef{
            .{ .ml_name = "names", .ml_meth = @ptrCast(&names), .ml_flags = c.METH_NOARGS, .ml_doc = "names()\n--\n\nThe tests' qualified names." },
            .{ .ml_name = "run", .ml_meth = @ptrCast(&run), .ml_flags = c.METH_O, .ml_doc = "run(index, /)\n--\n\nRun one test: (status, error, trace, exception)." },
            c.PyMethodDef.sentinel,
        };

        var def: c.PyModuleDef = .{
            .m_base = c.PyModuleDef_HEAD_INIT,
            .m_name = options.module_name,
            .m_doc = "The Zig tests of " ++ options.module_name ++ ", built by zigimport (zigimport.integrations.zig_tests).",
            .m_size = 0,
            .m_methods = &methods,
            .m_slots = null,
            .m_traverse = null,
            .m_clear = null,
            .m_free = null,
        };

        pub fn init() callconv(.c) ?*c.PyObject {
            return c.PyModuleDef_Init(&def);
        }

        fn names(_: ?*c.PyObject, _: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const tests = root_builtin.test_functions;
            const list = c.PyList_New(@intCast(tests.len)) orelse return null;
            for (tests, 0..) |t, i| {
                const name = c.PyUnicode_FromStringAndSize(t.name.ptr, @intCast(t.name.len)) orelse {
                    c.decref(list);
                    return null;
                };
                _ = c.PyList_SetItem(list, @intCast(i), name);
            }
            return list;
        }

        fn run(_: ?*c.PyObject, arg: ?*c.PyObject) callconv(.c) ?*c.PyObject {
            const index = c.PyLong_AsLongLong(arg.?);
            if (index == -1 and c.PyErr_Occurred() != null) return null;
            const tests = root_builtin.test_functions;
            if (index < 0 or index >= tests.len) {
                c.PyErr_SetString(c.exc("IndexError"), "test index out of range");
                return null;
            }
            const t = tests[@intCast(index)];

            testing.allocator_instance = .init(std.heap.page_allocator, .{ .canary = 0xc3a701ba, .check_write_after_free = true });
            testing.io_instance = .init(testing.allocator, .{});
            testing.environ = .empty;
            testing.log_level = .warn;
            const errors_before = logged_errors;

            var status: [:0]const u8 = "passed";
            var error_name: ?[:0]const u8 = null;
            var trace_text: ?*c.PyObject = null;
            var exception: ?*c.PyObject = null;
            if (t.func()) |_| {} else |err| switch (err) {
                error.SkipZigTest => status = "skipped",
                else => {
                    status = "failed";
                    error_name = @errorName(err);
                    // A Python exception the test left pending (error.PythonException) goes back as the
                    // 4th item, so the report shows it; taken first: formatting the trace calls Python.
                    exception = takeException();
                    if (@errorReturnTrace()) |st| trace_text = formatted(st);
                },
            }
            if (exception == null) exception = takeException(); // a passing test must not leave one set
            testing.io_instance.deinit();
            const leaked = testing.allocator_instance.deinit() != 0;
            if (std.mem.eql(u8, status, "passed")) {
                if (leaked) {
                    status = "failed";
                    error_name = "memory leaked (std.testing.allocator)";
                } else if (logged_errors != errors_before) {
                    status = "failed";
                    error_name = "an error was logged (std.log.err)";
                }
            }

            const result = c.PyTuple_New(4) orelse return null;
            _ = c.PyTuple_SetItem(result, 3, exception orelse c.newref(c.none()));
            _ = c.PyTuple_SetItem(result, 0, c.PyUnicode_FromString(status) orelse return fail(result));
            _ = c.PyTuple_SetItem(result, 1, if (error_name) |e| (c.PyUnicode_FromString(e) orelse return fail(result)) else c.newref(c.none()));
            _ = c.PyTuple_SetItem(result, 2, trace_text orelse c.newref(c.none()));
            return result;
        }
    };
}

/// The pending exception (normalized, with its traceback), cleared; null if none.
fn takeException() ?*c.PyObject {
    if (c.PyErr_Occurred() == null) return null;
    var t: ?*c.PyObject = null;
    var v: ?*c.PyObject = null;
    var tb: ?*c.PyObject = null;
    c.PyErr_Fetch(&t, &v, &tb);
    c.PyErr_NormalizeException(&t, &v, &tb);
    c.xdecref(t);
    defer c.xdecref(tb);
    const value = v orelse return null;
    if (tb) |traceback| _ = c.PyException_SetTraceback(value, traceback);
    return value;
}

fn fail(result: *c.PyObject) ?*c.PyObject {
    c.decref(result);
    return null;
}

/// The error return trace as zig_trace formats it (a Python str), or null.
fn formatted(st: *std.builtin.StackTrace) ?*c.PyObject {
    const n = @min(st.index, st.instruction_addresses.len);
    if (n == 0) return null;
    var info: trace.Dl_info = undefined;
    if (trace.dladdr(trace.anchor(), &info) == 0) return null;
    const path = info.dli_fname orelse return null;
    return trace.formatTrace(path, st.instruction_addresses[0..n]) orelse {
        c.PyErr_Clear(); // no trace is better than a failure that hides the test's result
        return null;
    };
}
