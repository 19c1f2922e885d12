//! Binding a call's arguments to a signature's parameters, with CPython's rules and messages.
//!
//! One copy for the whole module: each signature gets a static table (`Table`, built at
//! comptime: names, kinds, counts) and every wrapper calls the same runtime functions with
//! it -- keyword binding, and every argument-count and binding error message.  Generic per
//! signature, this code was instantiated and optimised once per Python function (~100 lines
//! of optimised IR each and most of the frontend's per-function work; docs/build-performance.md).
const std = @import("std");
const c = @import("capi.zig");
const signature = @import("signature.zig");

const ParamKind = signature.ParamKind;
const runtime = @import("runtime_link.zig");

// The binder is module-independent: linked from zig_core's runtime object when zigimport built one.
pub const bind = if (runtime.linked) runtime.bind else bindHere;
pub const tooFew = if (runtime.linked) runtime.tooFew else tooFewHere;
pub const tooMany = if (runtime.linked) runtime.tooMany else tooManyHere;

/// What the binder knows of one named Python parameter.
pub const Param = struct {
    name: [:0]const u8,
    kind: ParamKind,
    /// May be left out (`?T`, or a keyword field with a default).
    optional: bool,
};

/// One signature, as the shared binder reads it.
pub const Table = struct {
    /// "f()", how messages name the function.
    what: [*:0]const u8,
    /// The named Python parameters in Python order (signature.Signature.python).
    params: []const Param,
    positional: usize,
    positional_only: usize,
    required: usize,
    var_positional: bool,
    var_keyword: bool,
    /// The names as interned strings (keyword names at call sites are interned, so a pointer
    /// comparison almost always decides), created on the first keyword call with the GIL
    /// held and kept for the process; null where interning failed (text comparison then).
    interned: []?*c.PyObject,
    ready: *bool,
    /// Bit k: parameter k must be given (not optional), positional / keyword-only; with
    /// more than 64 parameters (`wide`) the binder checks them one by one instead.
    required_positional: u64,
    required_keyword_only: u64,
    wide: bool,
};

fn requiredMask(comptime sig: signature.Signature, comptime keyword_only: bool) u64 {
    var m: u64 = 0;
    for (sig.python, 0..) |p, k| {
        if (k < 64 and (p.kind == .keyword_only) == keyword_only and !p.optional) m |= @as(u64, 1) << k;
    }
    return m;
}

/// The static table of `sig`: one per signature, shared by its wrapper's paths.
pub fn table(comptime sig: signature.Signature) *const Table {
    const S = struct {
        var interned: [sig.python.len]?*c.PyObject = @splat(null);
        var ready = false;
        const params = blk: {
            var ps: [sig.python.len]Param = undefined;
            for (sig.python, 0..) |p, k| ps[k] = .{ .name = p.name, .kind = p.kind, .optional = p.optional };
            break :blk ps;
        };
        const t: Table = .{
            .what = sig.name ++ "()",
            .params = &params,
            .positional = sig.positional,
            .positional_only = sig.positional_only,
            .required = sig.required,
            .var_positional = sig.var_positional != null,
            .var_keyword = sig.var_keyword != null,
            .interned = &interned,
            .ready = &ready,
            .required_positional = requiredMask(sig, false),
            .required_keyword_only = requiredMask(sig, true),
            .wide = sig.python.len > 64,
        };
    };
    return &S.t;
}

/// Fill `slots` (one per named parameter, `t.params.len`) from the positional arguments and
/// the keywords `kwnames` names (values after the positional ones, as METH_FASTCALL passes
/// them).  Keywords bound to named parameters are listed by index in `taken` (for
/// **kwargs, which gets the others).  False with a TypeError set if the call does not bind.
pub noinline fn bindHere(t: *const Table, args: [*]const *c.PyObject, nargs: c.Py_ssize_t, kwnames: ?*c.PyObject, slots: [*]?*c.PyObject, taken: [*]u32, ntaken: *usize) bool {
    const n: usize = @intCast(nargs);
    const np = t.params.len;
    const given = @min(n, t.positional);
    for (0..given) |i| slots[i] = args[i];
    for (given..np) |i| slots[i] = null;
    ntaken.* = 0;
    // Bit k: parameter k was given (parameters past 64 are checked one by one: `wide`).
    var present: u64 = if (given >= 64) ~@as(u64, 0) else (@as(u64, 1) << @intCast(given)) - 1;
    if (kwnames) |kw| {
        const names = c.tupleSeq(kw);
        for (0..names.len) |j| {
            const key = names.get(j);
            const k = keywordIndex(t, key) orelse {
                if (t.var_keyword) continue; // **kwargs takes it
                if (t.positional_only > 0 and positionalOnlyAsKeyword(t, names)) return false;
                _ = c.PyErr_Format(c.exc("TypeError"), "%s got an unexpected keyword argument '%U'", t.what, key);
                return false;
            };
            if (slots[k] != null) {
                _ = c.PyErr_Format(c.exc("TypeError"), "%s got multiple values for argument '%U'", t.what, key);
                return false;
            }
            slots[k] = args[n + j];
            if (k < 64) present |= @as(u64, 1) << @intCast(k);
            if (t.var_keyword) {
                taken[ntaken.*] = @intCast(j);
                ntaken.* += 1;
            }
        }
    }
    if (!t.var_positional and n > t.positional) {
        var kwonly_given: usize = 0;
        for (t.params, 0..) |p, k| {
            if (p.kind == .keyword_only and slots[k] != null) kwonly_given += 1;
        }
        _ = tooManyHere(t, nargs, kwonly_given);
        return false;
    }
    // Positional ones first, as CPython reports them.
    if (!t.wide) {
        if (t.required_positional & ~present != 0) {
            missingArguments(t, slots, np, false);
            return false;
        }
        if (t.required_keyword_only & ~present != 0) {
            missingArguments(t, slots, np, true);
            return false;
        }
        return true;
    }
    for ([_]bool{ false, true }) |keyword_only| {
        for (t.params, 0..) |p, k| {
            if ((p.kind == .keyword_only) == keyword_only and !p.optional and slots[k] == null) {
                missingArguments(t, slots, np, keyword_only);
                return false;
            }
        }
    }
    return true;
}

/// The index of the parameter named `key` that takes keywords, or null.
fn keywordIndex(t: *const Table, key: *c.PyObject) ?usize {
    for (t.interned[t.positional_only..], t.positional_only..) |name, k| {
        if (name == key) return k;
    }
    if (!t.ready.*) {
        t.ready.* = true;
        for (t.params[t.positional_only..], t.positional_only..) |p, k| t.interned[k] = c.PyUnicode_InternFromString(p.name);
        if (c.PyErr_Occurred() != null) c.PyErr_Clear(); // interning is an optimisation only
        for (t.interned[t.positional_only..], t.positional_only..) |name, k| {
            if (name == key) return k;
        }
    }
    const text = utf8(key) orelse return null; // e.g. a lone surrogate: no parameter has that name
    for (t.params[t.positional_only..], t.positional_only..) |p, k| {
        if (std.mem.eql(u8, text, p.name)) return k;
    }
    return null;
}

fn utf8(s: *c.PyObject) ?[]const u8 {
    var len: c.Py_ssize_t = 0;
    const ptr = c.PyUnicode_AsUTF8AndSize(s, &len) orelse {
        c.PyErr_Clear();
        return null;
    };
    return ptr[0..@intCast(len)];
}

/// Message text, joined as CPython joins names; an allocation failure becomes MemoryError.
const Text = struct {
    list: std.ArrayList(u8) = .empty,
    failed: bool = false,

    const alloc = @import("allocator.zig").python_allocator;

    fn add(self: *Text, s: []const u8) void {
        if (self.failed) return;
        self.list.appendSlice(alloc, s) catch {
            self.failed = true;
        };
    }

    /// The NUL-terminated text, or null (MemoryError set).
    fn finish(self: *Text) ?[*:0]const u8 {
        self.add("\x00");
        if (self.failed) {
            _ = c.PyErr_NoMemory();
            return null;
        }
        return @ptrCast(self.list.items.ptr);
    }

    fn deinit(self: *Text) void {
        self.list.deinit(alloc);
    }
};

/// "f() got some positional-only arguments passed as keyword arguments: 'a, b'"; false if none was.
fn positionalOnlyAsKeyword(t: *const Table, names: c.Seq) bool {
    var list: Text = .{};
    defer list.deinit();
    var count: usize = 0;
    for (0..names.len) |j| {
        const text = utf8(names.get(j)) orelse continue;
        for (t.params[0..t.positional_only]) |p| {
            if (std.mem.eql(u8, text, p.name)) {
                if (count > 0) list.add(", ");
                list.add(p.name);
                count += 1;
            }
        }
    }
    if (count == 0) return false;
    const joined = list.finish() orelse return true;
    _ = c.PyErr_Format(c.exc("TypeError"), "%s got some positional-only arguments passed as keyword arguments: '%s'", t.what, joined);
    return true;
}

/// "f() missing 2 required positional arguments: 'a' and 'b'" (or keyword-only ones);
/// slot k is given if k < nslots and slots[k] is not null.
fn missingArguments(t: *const Table, slots: [*]const ?*c.PyObject, nslots: usize, keyword_only: bool) void {
    var count: usize = 0;
    for (t.params, 0..) |p, k| {
        if ((p.kind == .keyword_only) == keyword_only and !p.optional and (k >= nslots or slots[k] == null)) count += 1;
    }
    var list: Text = .{};
    defer list.deinit();
    var i: usize = 0;
    for (t.params, 0..) |p, k| {
        if (!((p.kind == .keyword_only) == keyword_only and !p.optional and (k >= nslots or slots[k] == null))) continue;
        if (i > 0) list.add(if (count == 2) " and " else if (i == count - 1) ", and " else ", ");
        list.add("'");
        list.add(p.name);
        list.add("'");
        i += 1;
    }
    const names = list.finish() orelse return;
    const kind: [*:0]const u8 = if (keyword_only) "keyword-only" else "positional";
    _ = c.PyErr_Format(c.exc("TypeError"), "%s missing %d required %s argument%s: %s", t.what, @as(c_int, @intCast(count)), kind, @as([*:0]const u8, if (count == 1) "" else "s"), names);
}

/// Fewer positional arguments than required and no keywords: name the missing ones.
pub noinline fn tooFewHere(t: *const Table, args: [*]const *c.PyObject, nargs: c.Py_ssize_t) ?*c.PyObject {
    @branchHint(.cold);
    missingArguments(t, @ptrCast(args), @intCast(nargs), false);
    return null;
}

/// "f() takes 2 positional arguments but 3 were given", worded as CPython words it
/// (with "(and 1 keyword-only argument)" when keyword-only ones were given too).
pub noinline fn tooManyHere(t: *const Table, given: c.Py_ssize_t, kwonly_given: usize) ?*c.PyObject {
    @branchHint(.cold);
    const max = t.positional;
    const TypeError = c.exc("TypeError");
    const s = struct {
        fn plural(n: usize) [*:0]const u8 {
            return if (n == 1) "" else "s";
        }
    }.plural;
    const g: usize = @intCast(given);
    if (t.required != max) {
        if (kwonly_given > 0) {
            _ = c.PyErr_Format(TypeError, "%s takes from %zu to %zu positional arguments but %zd positional argument%s (and %zu keyword-only argument%s) were given", t.what, t.required, max, given, s(g), kwonly_given, s(kwonly_given));
        } else {
            _ = c.PyErr_Format(TypeError, "%s takes from %zu to %zu positional arguments but %zd %s given", t.what, t.required, max, given, @as([*:0]const u8, if (g == 1) "was" else "were"));
        }
    } else if (kwonly_given > 0) {
        _ = c.PyErr_Format(TypeError, "%s takes %zu positional argument%s but %zd positional argument%s (and %zu keyword-only argument%s) were given", t.what, max, s(max), given, s(g), kwonly_given, s(kwonly_given));
    } else {
        _ = c.PyErr_Format(TypeError, "%s takes %zu positional argument%s but %zd %s given", t.what, max, s(max), given, @as([*:0]const u8, if (g == 1) "was" else "were"));
    }
    return null;
}

/// A wrapper found a parameter unbound after `bind` succeeded: a bug in zig_core.
pub noinline fn notBound(t: *const Table) ?*c.PyObject {
    @branchHint(.cold);
    _ = c.PyErr_Format(c.exc("SystemError"), "%s: an argument was not bound", t.what);
    return null;
}
