//! Python ⇄ Zig value conversion (registration of functions lives elsewhere).
//!
//! Parameters: `fromPython(T, obj, holder, ctx, what)` borrows `obj` for the
//! duration of a call.  Zero-copy views (buffers) are kept alive by the
//! per-parameter `Holder(T)`, released after the call; copies (lists turned
//! into slices) go into the call's arena.  On failure a Python exception
//! naming `what` (e.g. "mean() argument 1 (xs)") is set and
//! `error.PythonException` returned.
//!
//! Results: `toPython(value)` returns a new reference, or null with an
//! exception set.
const std = @import("std");
const builtin = @import("builtin");
const c = @import("capi.zig");
const reflect = @import("reflect.zig");
const object = @import("object.zig");
const buffer = @import("buffer.zig");
const CallContext = @import("allocator.zig").CallContext;
// More kinds of values (complex, datetime family, sets, paths, N-d arrays, enum classes).
const complex = @import("complex.zig");
const datetime = @import("datetime.zig");
const set = @import("set.zig");
const path = @import("path.zig");
const ndarray = @import("ndarray.zig");
const enum_class = @import("enum_class.zig");
const handle = @import("handle.zig");
const string_map = @import("string_map.zig");

pub const PythonException = error{PythonException};

/// Return `py.Bytes{ .data = ... }` to give Python `bytes` instead of `str`;
/// as a parameter it accepts bytes-like objects (not `str`).
pub const Bytes = struct { data: []const u8 };

// ---- classification ----

pub const Category = enum {
    int,
    float,
    bool,
    @"enum",
    optional,
    object,
    owned,
    bytes,
    string, // []const u8, [:0]const u8: str (UTF-8) or bytes-like in; str out
    mutable_bytes, // []u8: writable buffer in; str out
    numeric_slice, // []const T / []T of a number type: buffer (or list, if const)
    sequence_slice, // []const T of anything else: list/tuple, copied
    array, // [N]T
    tuple, // struct { A, B }
    record, // a named struct: sequence or dict in, named tuple out
    class_value, // a py.class struct by value: an instance in (copied), a new instance out
    class_ref, // *Class / *const Class: an instance in (zero-copy), that instance out
    type_object, // py.Type
    complex, // std.math.Complex(f64 / f32) ⇄ complex
    datetime, // py.DateTime ⇄ datetime.datetime
    date, // py.Date ⇄ datetime.date
    time, // py.Time ⇄ datetime.time
    timedelta, // py.TimeDelta ⇄ datetime.timedelta
    set, // py.SetOf(T) / py.FrozenSetOf(T) ⇄ set / frozenset
    path, // py.Path: str, bytes, os.PathLike in; pathlib.Path out
    ndarray, // py.NDArray(T) and friends: an N-d buffer in (no copy)
    handle, // py.Dict, py.List, py.Tuple, py.Str (and their .Owned): type-checked in, the object out
    string_map, // std.StringHashMap(V) and friends: dict out (results only)
    void,
    unsupported,
};

pub fn isNumber(comptime T: type) bool {
    return switch (comptime reflect.kind(T)) {
        .int, .float, .bool => true,
        else => false,
    };
}

pub fn category(comptime T: type) Category {
    // Classifying one type is bounded work (a few dozen checks), but callers run it in
    // runtime functions, whose comptime quota is the default 1000.
    @setEvalBranchQuota(20_000);
    const class = @import("class.zig");
    if (T == object.Object) return .object;
    if (T == object.Type) return .type_object;
    if (T == object.Owned) return .owned;
    if (T == Bytes) return .bytes;
    if (T == path.Path) return .path;
    if (comptime complex.isComplex(T)) return .complex;
    if (comptime datetime.which(T)) |w| return switch (w) {
        .datetime => .datetime,
        .date => .date,
        .time => .time,
        .timedelta => .timedelta,
    };
    if (comptime set.isSet(T)) return .set;
    if (comptime ndarray.isNDArray(T)) return .ndarray;
    if (comptime handle.isHandle(T)) return .handle;
    if (comptime string_map.isStringMap(T)) return .string_map;
    return switch (comptime reflect.kind(T)) {
        .int => .int,
        .float => .float,
        .bool => .bool,
        .void => .void,
        .@"enum" => .@"enum",
        .optional => .optional,
        .array => .array,
        .@"struct" => if (reflect.isTuple(T)) .tuple else if (class.isClass(T)) .class_value else .record,
        .pointer => pointerCategory(T),
        else => .unsupported,
    };
}

fn pointerCategory(comptime T: type) Category {
    const Child = reflect.pointerChild(T);
    return switch (reflect.pointerSize(T)) {
        .slice => if (Child == u8)
            (if (reflect.pointerIsConst(T)) .string else .mutable_bytes)
        else if (buffer.isBufferElement(Child))
            .numeric_slice
        else
            .sequence_slice, // []S too (as a result; parameters need []const S)
        // A pointer to a u8 array is what string literals are: a string result.
        .one => if (reflect.kind(Child) == .array and reflect.arrayChild(Child) == u8)
            .string
        else if (@import("class.zig").isClass(Child))
            .class_ref
        else
            .unsupported,
        else => .unsupported,
    };
}

/// Whether a parameter of type T can be converted at all (checked at comptime
/// so an unsupported signature is a compile error naming the parameter).
pub fn isParameterType(comptime T: type) bool {
    return switch (comptime category(T)) {
        .unsupported, .void, .owned => false,
        .string_map => isParameterType(string_map.valueType(T).?),
        .handle => handle.info(T).ownership == .borrowed, // an owned handle as a parameter would be released twice
        .string => reflect.pointerSize(T) == .slice,
        .optional => isParameterType(reflect.optionalChild(T)),
        .array => isParameterType(reflect.arrayChild(T)),
        .sequence_slice => reflect.pointerIsConst(T) and isParameterType(reflect.pointerChild(T)),
        .tuple, .record => for (reflect.fieldTypes(T)) |F| {
            if (!isParameterType(F)) break false;
        } else true,
        .set => isParameterType(T.Item),
        else => true,
    };
}

pub fn isResultType(comptime T: type) bool {
    return switch (comptime category(T)) {
        .unsupported => false,
        .optional => isResultType(reflect.optionalChild(T)),
        .array => isResultType(reflect.arrayChild(T)),
        .sequence_slice, .numeric_slice => isResultType(reflect.pointerChild(T)),
        .string_map => isResultType(string_map.valueType(T).?),
        .tuple, .record => for (reflect.fieldTypes(T)) |F| {
            if (!isResultType(F)) break false;
        } else true,
        .set => isResultType(T.Item),
        .ndarray => false, // a view of someone else's memory: return a slice or a class instead
        else => true,
    };
}

// ---- holders: what a converted parameter borrows until the call returns ----

pub fn Holder(comptime T: type) type {
    return switch (comptime category(T)) {
        .string, .mutable_bytes, .numeric_slice, .bytes => buffer.View,
        .optional => Holder(reflect.optionalChild(T)),
        .path => path.Holder,
        .ndarray => ndarray.Holder,
        .set => set.Holder,
        else => NoHolder,
    };
}

pub const NoHolder = struct {
    pub fn release(_: *NoHolder) void {}
};

// ---- Python -> Zig ----

/// Convert a parameter.  `holder` keeps zero-copy views alive until `holder.release()`.
/// `inline`: a dispatch by type, which leaves each caller a call of the conversion, or for a
/// scalar its few-instruction fast path (the rest of a scalar's conversion is out of line).
pub inline fn fromPython(comptime T: type, obj: *c.PyObject, holder: *Holder(T), ctx: *CallContext, comptime what: []const u8) PythonException!T {
    return switch (comptime category(T)) {
        .int => intFromPython(T, obj, what),
        .float => floatFromPython(T, obj, what),
        .bool => boolFromPython(obj, what),
        .string, .mutable_bytes, .numeric_slice => buffer.sliceFromPython(T, obj, holder, ctx, what),
        .bytes => if (c.hasFlag(obj, c.Py_TPFLAGS_UNICODE_SUBCLASS))
            convert_bytes_error(obj, what)
        else
            .{ .data = try buffer.sliceFromPython([]const u8, obj, holder, ctx, what) },
        .optional => if (obj == c.none()) null else try fromPython(reflect.optionalChild(T), obj, holder, ctx, what),
        .path => path.fromPython(obj, holder, what),
        .ndarray => ndarray.fromPython(T, obj, holder, what),
        .set => set.fromPythonHeld(T, obj, holder, what),
        else => nested(T, obj, ctx, what),
    };
}

fn convert_bytes_error(obj: *c.PyObject, comptime what: []const u8) PythonException!Bytes {
    return wrongType("TypeError", what, "a bytes-like object", obj);
}

/// Convert a value inside a container (list item, tuple field): anything it
/// borrows is copied into the call arena, since the container may change.
pub fn nested(comptime T: type, obj: *c.PyObject, ctx: *CallContext, comptime what: []const u8) PythonException!T {
    return switch (comptime category(T)) {
        .int => intFromPython(T, obj, what),
        .float => floatFromPython(T, obj, what),
        .bool => boolFromPython(obj, what),
        .@"enum" => enumFromPython(T, obj, what),
        .optional => if (obj == c.none()) null else try nested(reflect.optionalChild(T), obj, ctx, what),
        .object => object.Object.borrowed(obj),
        .string, .mutable_bytes, .numeric_slice, .bytes => blk: {
            var view: Holder(T) = .{};
            defer view.release();
            const borrowed = try fromPython(T, obj, &view, ctx, what);
            break :blk try copyInto(T, borrowed, ctx);
        },
        .sequence_slice => buffer.sliceFromSequence(T, obj, ctx, what),
        .array => arrayFromPython(T, obj, ctx, what),
        .tuple => tupleFromPython(T, obj, ctx, what),
        .record => recordFromPython(T, obj, ctx, what),
        .class_value => (try classFromPython(T, obj, what)).*,
        .class_ref => classFromPython(reflect.pointerChild(T), obj, what),
        .type_object => .{ .ptr = obj },
        .complex => complex.fromPython(T, obj, what),
        .datetime, .date, .time, .timedelta => datetime.fromPython(T, obj, what),
        .set => set.fromPython(T, obj, ctx, what),
        .string_map => string_map.fromPython(T, obj, ctx, what),
        .path => path.nested(obj, ctx, what),
        .ndarray => @compileError(what ++ ": py.NDArray(" ++ @typeName(T.Elem) ++ ") is a view valid during the call; it can be a parameter, not an item of a container"),
        .handle => if (T.check(obj)) T{ .ptr = obj } else wrongType("TypeError", what, handle.info(T).python_name, obj),
        .void, .owned, .unsupported => @compileError(what ++ ": zig_core cannot convert a Python object to " ++ @typeName(T)),
    };
}

/// The compile errors `nested` raises about item types, raised with the argument's real
/// name: wrappers share one conversion per type (arg_messages.zig), whose comptime text is a
/// placeholder that would otherwise be all the error names.
pub fn checkItemTypes(comptime T: type, comptime what: []const u8) void {
    switch (comptime category(T)) {
        .optional => checkItemTypes(reflect.optionalChild(T), what),
        .sequence_slice => checkItem(reflect.pointerChild(T), what ++ " item"),
        .array => checkItem(reflect.arrayChild(T), what ++ " item"),
        else => {},
    }
}

fn checkItem(comptime T: type, comptime what: []const u8) void {
    switch (comptime category(T)) {
        .optional => checkItem(reflect.optionalChild(T), what),
        .sequence_slice => checkItem(reflect.pointerChild(T), what ++ " item"),
        .array => checkItem(reflect.arrayChild(T), what ++ " item"),
        .ndarray => @compileError(what ++ ": py.NDArray(" ++ @typeName(T.Elem) ++ ") is a view valid during the call; it can be a parameter, not an item of a container"),
        else => {},
    }
}

/// The instance behind `obj`, or a TypeError naming the class.
fn classFromPython(comptime S: type, obj: *c.PyObject, comptime what: []const u8) PythonException!*S {
    const C = @import("class.zig").Class(S);
    if (!C.check(obj)) return C.wrongType(obj, what);
    return C.payload(obj);
}

fn copyInto(comptime T: type, value: T, ctx: *CallContext) PythonException!T {
    if (T == Bytes) return .{ .data = try copyInto([]const u8, value.data, ctx) };
    const Elem = comptime reflect.pointerChild(T);
    const alloc = ctx.allocator();
    if (comptime reflect.pointerSentinel(T)) |s| {
        return alloc.dupeSentinel(Elem, value, s) catch return noMemory();
    }
    return alloc.dupe(Elem, value) catch return noMemory();
}

pub fn noMemory() PythonException {
    _ = c.PyErr_NoMemory();
    return error.PythonException;
}

/// `str(type(obj).__qualname__)` as a new reference, for messages.
pub fn typeName(obj: *c.PyObject) ?*c.PyObject {
    return c.PyObject_GetAttrString(@ptrCast(@alignCast(obj.ob_type)), "__qualname__");
}

/// Raise `exc("...must be <expected>, not <type>")`, the type named as CPython's own
/// messages name it (tp_name: "list", "Point", but "numpy.bool", never a bare "bool" for it).
pub fn wrongType(comptime exc_name: []const u8, comptime what: []const u8, comptime expected: []const u8, obj: *c.PyObject) PythonException {
    const name = c.typeNameOf(obj);
    // A class that merely shares the expected name (a Python `class dict` in module m) is named m.dict.
    if (std.mem.eql(u8, std.mem.span(name), expected)) {
        if (qualifiedTypeName(obj)) |qualified| {
            defer c.decref(qualified);
            _ = c.PyErr_Format(c.exc(exc_name), what ++ " must be " ++ expected ++ ", not %U", qualified);
            return error.PythonException;
        }
    }
    _ = c.PyErr_Format(c.exc(exc_name), what ++ " must be " ++ expected ++ ", not %.200s", name);
    return error.PythonException;
}

/// "module.qualname" for a type outside builtins (a new reference), else null.
fn qualifiedTypeName(obj: *c.PyObject) ?*c.PyObject {
    const t: *c.PyObject = @ptrCast(@alignCast(obj.ob_type));
    const module = c.PyObject_GetAttrString(t, "__module__") orelse return clearNull();
    defer c.decref(module);
    const qualname = c.PyObject_GetAttrString(t, "__qualname__") orelse return clearNull();
    defer c.decref(qualname);
    if (c.hasFlag(module, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
        var n: c.Py_ssize_t = 0;
        const p = c.PyUnicode_AsUTF8AndSize(module, &n) orelse return clearNull();
        if (std.mem.eql(u8, p[0..@intCast(n)], "builtins")) return null;
    }
    return c.PyUnicode_FromFormat("%S.%S", module, qualname) orelse clearNull();
}

fn clearNull() ?*c.PyObject {
    c.PyErr_Clear();
    return null;
}

// integers

/// Inline: the fast path (an int that fits) is a call and two compares in the caller; the
/// rest is one out-of-line function per type and text.
inline fn intFromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    if (comptime reflect.intBits(T) > 64) return wideIntFromPython(T, obj, what);
    const v = c.PyLong_AsLongLong(obj);
    if (v == -1 and c.PyErr_Occurred() != null) return intFromPythonSlow(T, obj, what);
    return std.math.cast(T, v) orelse overflow(T, what);
}

/// PyLong_AsLongLong failed: not an int, or too big for i64 (maybe fine for u64).
noinline fn intFromPythonSlow(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    if (c.PyErr_ExceptionMatches(c.exc("OverflowError")) == 0) return notAnInt(obj, what);
    c.PyErr_Clear();
    if (comptime reflect.intSigned(T)) return overflow(T, what);
    const u = c.PyLong_AsUnsignedLongLong(obj);
    if (u == std.math.maxInt(c_ulonglong) and c.PyErr_Occurred() != null) {
        c.PyErr_Clear();
        return overflow(T, what);
    }
    return std.math.cast(T, u) orelse overflow(T, what);
}

fn notAnInt(obj: *c.PyObject, comptime what: []const u8) PythonException {
    if (c.PyErr_ExceptionMatches(c.exc("TypeError")) == 0) return error.PythonException; // e.g. from __index__
    c.PyErr_Clear();
    return wrongType("TypeError", what, "int", obj);
}

noinline fn overflow(comptime T: type, comptime what: []const u8) PythonException {
    @branchHint(.cold);
    const text = @import("comptime_text.zig"); // not std.fmt.comptimePrint: see comptime_text.integer
    const msg = comptime what ++ " is out of range for " ++ @typeName(T) ++ " (" ++ text.integer(std.math.minInt(T)) ++ ".." ++ text.integer(std.math.maxInt(T)) ++ ")";
    c.PyErr_SetString(c.exc("OverflowError"), msg);
    return error.PythonException;
}

/// Integers wider than 64 bits, 64 bits at a time: v = high << 64 | low.
fn wideIntFromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    const limbs = comptime (reflect.intBits(T) + 63) / 64;
    const Wide = @Int(if (reflect.intSigned(T)) .signed else .unsigned, limbs * 64 + 64);
    const index = c.PyNumber_Index(obj) orelse return notAnInt(obj, what);
    var rest = index;
    defer c.decref(rest);
    const sixty_four = c.PyLong_FromLongLong(64) orelse return error.PythonException;
    defer c.decref(sixty_four);
    var acc: Wide = 0;
    inline for (0..limbs) |i| {
        const low = c.PyLong_AsUnsignedLongLongMask(rest);
        if (low == std.math.maxInt(c_ulonglong) and c.PyErr_Occurred() != null) return error.PythonException;
        acc |= @as(Wide, @intCast(low)) << (64 * i);
        const shifted = c.PyNumber_Rshift(rest, sixty_four) orelse return error.PythonException;
        c.decref(rest);
        rest = shifted;
    }
    // What is left must be the sign extension: 0, or -1 for negative numbers.
    const top = c.PyLong_AsLongLong(rest);
    if (top == -1 and c.PyErr_Occurred() != null) {
        c.PyErr_Clear();
        return overflow(T, what);
    }
    if (top != 0 and top != -1) return overflow(T, what);
    if (top == -1) {
        if (comptime !reflect.intSigned(T)) return overflow(T, what);
        acc |= ~@as(Wide, 0) << (64 * limbs); // sign-extend
    }
    return std.math.cast(T, acc) orelse overflow(T, what);
}

// floats, bools, enums

/// Inline like intFromPython: a float (or an int, via __float__/__index__) converts in the
/// caller; a failure goes out of line.
inline fn floatFromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    const v = c.PyFloat_AsDouble(obj);
    if (v == -1.0 and c.PyErr_Occurred() != null) return floatError(obj, what);
    if (comptime reflect.floatBits(T) < 64) return narrowFloat(T, v, what);
    return @floatCast(v);
}

noinline fn floatError(obj: *c.PyObject, comptime what: []const u8) PythonException {
    @branchHint(.cold);
    if (c.PyErr_ExceptionMatches(c.exc("TypeError")) == 0) return error.PythonException; // OverflowError: int too large
    c.PyErr_Clear();
    return wrongType("TypeError", what, "float", obj);
}

fn narrowFloat(comptime T: type, v: f64, comptime what: []const u8) PythonException!T {
    const narrowed: T = @floatCast(v);
    if (std.math.isInf(narrowed) and !std.math.isInf(v)) {
        c.PyErr_SetString(c.exc("OverflowError"), what ++ " is out of range for " ++ @typeName(T));
        return error.PythonException;
    }
    return narrowed;
}

/// True/False, and numpy's bool scalar (as PyO3 does); other truthy objects (1, "x", None)
/// are refused, which catches swapped arguments.  Inline: two pointer compares in the caller.
inline fn boolFromPython(obj: *c.PyObject, comptime what: []const u8) PythonException!bool {
    if (obj == &c._Py_TrueStruct) return true;
    if (obj == &c._Py_FalseStruct) return false;
    return boolFromOther(obj, what);
}

noinline fn boolFromOther(obj: *c.PyObject, comptime what: []const u8) PythonException!bool {
    if (isNumpyBool(obj)) {
        const truth = c.PyObject_IsTrue(obj);
        if (truth < 0) return error.PythonException;
        return truth != 0;
    }
    return wrongType("TypeError", what, "bool", obj);
}

/// numpy.bool (numpy 2) / numpy.bool_ (numpy 1), recognised by name so numpy is not needed.
fn isNumpyBool(obj: *c.PyObject) bool {
    const name = std.mem.span(c.typeNameOf(obj));
    return std.mem.eql(u8, name, "numpy.bool") or std.mem.eql(u8, name, "numpy.bool_");
}

fn enumFromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    if (try enum_class.fromMember(T, obj, what)) |member| return member;
    const names = comptime reflect.fieldNames(T);
    const expected = comptime blk: {
        var s: []const u8 = "one of";
        for (names, 0..) |n, i| s = s ++ (if (i == 0) " '" else ", '") ++ n ++ "'";
        break :blk s;
    };
    if (c.hasFlag(obj, c.Py_TPFLAGS_UNICODE_SUBCLASS)) {
        var len: c.Py_ssize_t = 0;
        const ptr = c.PyUnicode_AsUTF8AndSize(obj, &len) orelse return error.PythonException;
        const text = ptr[0..@intCast(len)];
        inline for (names) |n| {
            if (std.mem.eql(u8, text, n)) return @field(T, n);
        }
        _ = c.PyErr_Format(c.exc("ValueError"), what ++ " must be " ++ expected ++ ", not %R", obj);
        return error.PythonException;
    }
    if (c.hasFlag(obj, c.Py_TPFLAGS_LONG_SUBCLASS) and obj.ob_type != c.PyBool_Type) {
        const Tag = reflect.enumTag(T);
        const v = c.PyLong_AsLongLong(obj);
        if (v == -1 and c.PyErr_Occurred() != null) c.PyErr_Clear();
        if (std.math.cast(Tag, v)) |tag| {
            if (comptime !reflect.enumIsExhaustive(T)) return @enumFromInt(tag);
            inline for (names, comptime reflect.enumValues(T)) |n, value| {
                if (tag == value) return @field(T, n);
            }
        }
        _ = c.PyErr_Format(c.exc("ValueError"), what ++ " must be " ++ expected ++ " or its integer value, not %R", obj);
        return error.PythonException;
    }
    return wrongType("TypeError", what, "str (" ++ expected ++ ")", obj);
}

// containers (always copied)

fn sequenceItems(obj: *c.PyObject, comptime what: []const u8, comptime expected: []const u8) PythonException!c.Seq {
    if (c.hasFlag(obj, c.Py_TPFLAGS_LIST_SUBCLASS)) return c.listSeq(obj);
    if (c.hasFlag(obj, c.Py_TPFLAGS_TUPLE_SUBCLASS)) return c.tupleSeq(obj);
    return wrongType("TypeError", what, expected, obj);
}

fn lengthError(comptime what: []const u8, comptime expected: usize, got: usize) PythonException {
    _ = c.PyErr_Format(c.exc("ValueError"), what ++ " must have %zd items, not %zd", @as(c.Py_ssize_t, expected), @as(c.Py_ssize_t, @intCast(got)));
    return error.PythonException;
}

fn arrayFromPython(comptime T: type, obj: *c.PyObject, ctx: *CallContext, comptime what: []const u8) PythonException!T {
    const n = comptime reflect.arrayLen(T);
    const Elem = comptime reflect.arrayChild(T);
    const items = try sequenceItems(obj, what, comptime "a list or tuple of " ++ @import("comptime_text.zig").integer(n) ++ " items");
    if (items.len != n) return lengthError(what, n, items.len);
    var out: T = undefined;
    for (0..n) |i| out[i] = try nested(Elem, items.get(i), ctx, what ++ " item");
    return out;
}

fn tupleFromPython(comptime T: type, obj: *c.PyObject, ctx: *CallContext, comptime what: []const u8) PythonException!T {
    const types = comptime reflect.fieldTypes(T);
    const items = try sequenceItems(obj, what, comptime "a tuple of " ++ @import("comptime_text.zig").integer(types.len) ++ " items");
    if (items.len != types.len) return lengthError(what, types.len, items.len);
    var out: T = undefined;
    inline for (types, 0..) |F, i| out[i] = try nested(F, items.get(i), ctx, what ++ " item " ++ comptime @import("comptime_text.zig").integer(i));
    return out;
}

/// A named struct from a tuple/list in field order, or a dict keyed by field name.
fn recordFromPython(comptime T: type, obj: *c.PyObject, ctx: *CallContext, comptime what: []const u8) PythonException!T {
    const names = comptime reflect.fieldNames(T);
    const types = comptime reflect.fieldTypes(T);
    var out: T = undefined;
    if (c.hasFlag(obj, c.Py_TPFLAGS_DICT_SUBCLASS)) {
        inline for (names, types, 0..) |n, F, i| {
            if (c.PyDict_GetItemString(obj, n.ptr)) |item| {
                @field(out, n) = try nested(F, item, ctx, what ++ "['" ++ n ++ "']");
            } else if (comptime reflect.fieldDefault(T, i)) |d| {
                @field(out, n) = d;
            } else {
                _ = c.PyErr_Format(c.exc("KeyError"), what ++ " is missing key '" ++ n ++ "'");
                return error.PythonException;
            }
        }
        return out;
    }
    const items = try sequenceItems(obj, what, comptime "a tuple or dict with fields " ++ fieldList(names));
    if (items.len != names.len) return lengthError(what, names.len, items.len);
    inline for (names, types, 0..) |n, F, i| @field(out, n) = try nested(F, items.get(i), ctx, what ++ "." ++ n);
    return out;
}

fn fieldList(comptime names: []const [:0]const u8) []const u8 {
    var s: []const u8 = "";
    for (names, 0..) |n, i| s = s ++ (if (i == 0) "" else ", ") ++ n;
    return s;
}

/// Convert a value that needs no holder (used by `Object.as`).
pub fn fromPythonOwnedless(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    if (comptime Holder(T) != NoHolder) @compileError("Object.as(" ++ @typeName(T) ++ "): borrowed slices need a call context; convert to an owned copy instead");
    var ctx = CallContext.init();
    defer ctx.deinit();
    return nested(T, obj, &ctx, what);
}

// ---- Zig -> Python ----

pub fn toPython(value: anytype) ?*c.PyObject {
    const T = @TypeOf(value);
    return switch (comptime category(T)) {
        // A literal (`py.create(.{ 1, "one" })`): the smallest integer type that holds it.
        .int => if (T == comptime_int) intToPython(std.math.IntFittingRange(@min(value, -1), @max(value, 0)), value) else intToPython(T, value),
        .float => c.PyFloat_FromDouble(@floatCast(value)),
        .bool => c.newref(if (value) &c._Py_TrueStruct else &c._Py_FalseStruct),
        .void => c.newref(c.none()),
        .@"enum" => enumToPython(T, value),
        .optional => if (value) |v| toPython(v) else c.newref(c.none()),
        .object => c.newref(value.ptr),
        .owned => value.ptr,
        .bytes => c.PyBytes_FromStringAndSize(value.data.ptr, @intCast(value.data.len)),
        .string, .mutable_bytes => stringToPython(value[0..]),
        .numeric_slice, .sequence_slice => listToPython(value),
        .array => listToPython(value[0..]),
        .tuple => tupleToPython(value),
        .record => @import("record.zig").toPython(T, value),
        .class_value => @import("class.zig").Class(T).new(value),
        // Only a pointer into an instance (usually `self`, e.g. from __iadd__ or __enter__).
        .class_ref => c.newref(@import("class.zig").Layout(reflect.pointerChild(T)).objectOf(value)),
        .type_object => c.newref(value.ptr),
        .complex => complex.toPython(value),
        .datetime, .date, .time, .timedelta => datetime.toPython(value),
        .set => set.toPython(value),
        .path => path.toPython(value),
        .ndarray => @compileError("zig_core cannot return py.NDArray(" ++ @typeName(T.Elem) ++ ") (a view of the caller's memory)"),
        .handle => if (handle.info(T).ownership == .owned) value.ptr else c.newref(value.ptr),
        .string_map => string_map.toPython(value),
        .unsupported => @compileError("zig_core cannot convert " ++ @typeName(T) ++ " to a Python object"),
    };
}

/// Strict UTF-8: invalid data raises UnicodeDecodeError rather than silently
/// changing the text.  Return `py.Bytes` for binary data.
fn stringToPython(s: []const u8) ?*c.PyObject {
    return c.PyUnicode_DecodeUTF8(s.ptr, @intCast(s.len), null);
}

fn intToPython(comptime T: type, value: T) ?*c.PyObject {
    if (comptime reflect.intBits(T) <= 64) {
        if (comptime reflect.intSigned(T)) return c.PyLong_FromLongLong(value);
        return c.PyLong_FromUnsignedLongLong(value);
    }
    // Wider: assemble 64-bit limbs from the top (the top one carries the sign).
    const limbs = comptime (reflect.intBits(T) + 63) / 64;
    const signed = comptime reflect.intSigned(T);
    const Wide = @Int(if (signed) .signed else .unsigned, limbs * 64);
    const Bits = @Int(.unsigned, limbs * 64);
    const w: Wide = value;
    const top_shifted = w >> (64 * (limbs - 1));
    var acc = (if (signed) c.PyLong_FromLongLong(@as(i64, @truncate(top_shifted))) else c.PyLong_FromUnsignedLongLong(@as(u64, @truncate(top_shifted)))) orelse return null;
    const sixty_four = c.PyLong_FromLongLong(64) orelse {
        c.decref(acc);
        return null;
    };
    defer c.decref(sixty_four);
    inline for (1..limbs) |j| {
        const limb: u64 = @truncate(@as(Bits, @bitCast(w)) >> (64 * (limbs - 1 - j)));
        const shifted = c.PyNumber_Lshift(acc, sixty_four);
        c.decref(acc);
        const sh = shifted orelse return null;
        const low = c.PyLong_FromUnsignedLongLong(limb) orelse {
            c.decref(sh);
            return null;
        };
        defer c.decref(low);
        const combined = c.PyNumber_Or(sh, low);
        c.decref(sh);
        acc = combined orelse return null;
    }
    return acc;
}

/// The member of the enum's Python class (see enum_class.zig).
fn enumToPython(comptime T: type, value: T) ?*c.PyObject {
    return enum_class.toPython(T, value);
}

fn listToPython(items: anytype) ?*c.PyObject {
    const list = c.PyList_New(@intCast(items.len)) orelse return null;
    for (items, 0..) |item, i| {
        const o = toPython(item) orelse {
            c.decref(list);
            return null;
        };
        _ = c.PyList_SetItem(list, @intCast(i), o);
    }
    return list;
}

fn tupleToPython(value: anytype) ?*c.PyObject {
    const n = comptime reflect.fieldTypes(@TypeOf(value)).len;
    const tuple = c.PyTuple_New(n) orelse return null;
    inline for (0..n) |i| {
        const o = toPython(value[i]) orelse {
            c.decref(tuple);
            return null;
        };
        _ = c.PyTuple_SetItem(tuple, i, o);
    }
    return tuple;
}
