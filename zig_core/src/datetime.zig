//! `datetime.datetime` / `date` / `time` / `timedelta` ⇄ `py.DateTime` / `py.Date` /
//! `py.Time` / `py.TimeDelta`.
//!
//! Naive and aware: a `py.DateTime` (and `py.Time`) carries `utc_offset`, the
//! UTC offset in seconds of an aware value (`dt.utcoffset()`, so zoneinfo zones
//! work) or null for a naive one.  A result with an offset becomes an aware
//! datetime with a fixed-offset `datetime.timezone` (the zone's name is not
//! kept); null gives a naive one.  Sub-second offsets are refused (ValueError).
//! A `datetime` is refused where a `py.Date` is expected (it is a subclass of
//! `date` in Python, but converting would silently drop its time).
//! Out-of-range results (month 13, hour 24, ...) raise datetime's own ValueError.
//!
//! Uses the datetime C-API capsule and the object layouts of datetime.h (what
//! its PyDateTime_GET_* macros read): fast, but not in the limited API -- an
//! abi3 build would need attribute access instead.
const std = @import("std");
const c = @import("capi.zig");
const convert = @import("convert.zig");

const PythonException = convert.PythonException;

/// abi3 (docs/wheels.md): these conversions read datetime's C API and object layouts, which are not in the stable ABI.
const abi3_refusal = "abi3: py.DateTime, py.Date, py.Time and py.TimeDelta are not supported in an abi3 build (they use CPython's datetime C API, which is not in the stable ABI); build this module version-specific (no abi3) or pass the value as a str or float";

pub const Date = struct {
    year: u16,
    month: u8,
    day: u8,
};

pub const Time = struct {
    hour: u8 = 0,
    minute: u8 = 0,
    second: u8 = 0,
    microsecond: u32 = 0,
    /// Seconds east of UTC for an aware time, null for a naive one.
    utc_offset: ?i32 = null,
    /// PEP 495: 1 for the second of two equal wall-clock times (a DST fold).
    fold: u1 = 0,
};

pub const DateTime = struct {
    year: u16,
    month: u8,
    day: u8,
    hour: u8 = 0,
    minute: u8 = 0,
    second: u8 = 0,
    microsecond: u32 = 0,
    /// Seconds east of UTC for an aware datetime, null for a naive one.
    utc_offset: ?i32 = null,
    fold: u1 = 0,

    pub fn date(self: DateTime) Date {
        return .{ .year = self.year, .month = self.month, .day = self.day };
    }
};

/// A duration, normalised as Python keeps it: 0 <= seconds < 86400, 0 <= microseconds < 1e6
/// (a negative duration has negative days).
pub const TimeDelta = struct {
    days: i32 = 0,
    seconds: i32 = 0,
    microseconds: i32 = 0,

    /// The whole duration in microseconds (i128: timedelta.max is ~8.6e19 µs, beyond i64).
    pub fn totalMicroseconds(self: TimeDelta) i128 {
        return (@as(i128, self.days) * 86_400 + self.seconds) * 1_000_000 + self.microseconds;
    }

    /// Any i64 count of microseconds (±292,000 years, inside timedelta's ±999999999 days), normalised.
    pub fn fromMicroseconds(us: i64) TimeDelta {
        const per_day: i64 = 86_400 * 1_000_000;
        const days = @divFloor(us, per_day);
        const rest = @mod(us, per_day); // (not us - days * per_day: that overflows near minInt)
        return .{ .days = @intCast(days), .seconds = @intCast(@divFloor(rest, 1_000_000)), .microseconds = @intCast(@mod(rest, 1_000_000)) };
    }
};

pub const Which = enum { datetime, date, time, timedelta };

pub fn which(comptime T: type) ?Which {
    if (T == DateTime) return .datetime;
    if (T == Date) return .date;
    if (T == Time) return .time;
    if (T == TimeDelta) return .timedelta;
    return null;
}

/// The datetime module's C-API, imported on first use and kept for the process
/// (what the PyDateTime_IMPORT macro does).
var capi: ?*const c.PyDateTime_CAPI = null;

fn api() PythonException!*const c.PyDateTime_CAPI {
    if (capi) |a| return a;
    const p = c.PyCapsule_Import("datetime.datetime_CAPI", 0) orelse return error.PythonException;
    capi = @ptrCast(@alignCast(p));
    return capi.?;
}

fn check(obj: *c.PyObject, t: *c.PyTypeObject) bool {
    return c.isInstance(obj, t);
}

pub fn fromPython(comptime T: type, obj: *c.PyObject, comptime what: []const u8) PythonException!T {
    if (comptime c.limited_api) @compileError(abi3_refusal);
    const a = try api();
    switch (comptime which(T).?) {
        .date => {
            if (check(obj, a.DateTimeType)) {
                _ = c.PyErr_Format(c.exc("TypeError"), what ++ " must be datetime.date, not datetime.datetime (call .date() to drop the time)");
                return error.PythonException;
            }
            if (!check(obj, a.DateType)) return convert.wrongType("TypeError", what, "datetime.date", obj);
            const d = @as(*const c.DateObject, @ptrCast(@alignCast(obj))).data;
            return .{ .year = @as(u16, d[0]) << 8 | d[1], .month = d[2], .day = d[3] };
        },
        .datetime => {
            if (!check(obj, a.DateTimeType)) return convert.wrongType("TypeError", what, "datetime.datetime", obj);
            const o: *const c.DateTimeObject = @ptrCast(@alignCast(obj));
            const d = o.data;
            return .{
                .year = @as(u16, d[0]) << 8 | d[1],
                .month = d[2],
                .day = d[3],
                .hour = d[4],
                .minute = d[5],
                .second = d[6],
                .microsecond = @as(u32, d[7]) << 16 | @as(u32, d[8]) << 8 | d[9],
                .fold = @intCast(o.fold & 1),
                .utc_offset = if (o.hastzinfo != 0) try utcOffset(obj, what) else null,
            };
        },
        .time => {
            if (!check(obj, a.TimeType)) return convert.wrongType("TypeError", what, "datetime.time", obj);
            const o: *const c.TimeObject = @ptrCast(@alignCast(obj));
            const d = o.data;
            return .{
                .hour = d[0],
                .minute = d[1],
                .second = d[2],
                .microsecond = @as(u32, d[3]) << 16 | @as(u32, d[4]) << 8 | d[5],
                .fold = @intCast(o.fold & 1),
                .utc_offset = if (o.hastzinfo != 0) try utcOffset(obj, what) else null,
            };
        },
        .timedelta => {
            if (!check(obj, a.DeltaType)) return convert.wrongType("TypeError", what, "datetime.timedelta", obj);
            const o: *const c.DeltaObject = @ptrCast(@alignCast(obj));
            return .{ .days = o.days, .seconds = o.seconds, .microseconds = o.microseconds };
        },
    }
}

/// `obj.utcoffset()` in whole seconds, or null (a tzinfo that answers None: naive).
fn utcOffset(obj: *c.PyObject, comptime what: []const u8) PythonException!?i32 {
    const method = c.PyObject_GetAttrString(obj, "utcoffset") orelse return error.PythonException;
    defer c.decref(method);
    const offset = c.call(method, &.{}) orelse return error.PythonException;
    defer c.decref(offset);
    if (offset == c.none()) return null;
    const a = try api();
    if (!check(offset, a.DeltaType)) return convert.wrongType("TypeError", what ++ ".utcoffset()", "datetime.timedelta or None", offset);
    const o: *const c.DeltaObject = @ptrCast(@alignCast(offset));
    if (o.microseconds != 0) {
        c.PyErr_SetString(c.exc("ValueError"), what ++ " has a UTC offset with fractions of a second, which zig_core does not support");
        return error.PythonException;
    }
    // |offset| < 1 day (datetime enforces it), so this fits.
    return o.days * 86_400 + o.seconds;
}

/// A fixed-offset timezone for `seconds` east of UTC (a new reference).
fn timezone(a: *const c.PyDateTime_CAPI, seconds: i32) ?*c.PyObject {
    if (seconds == 0) return c.newref(a.TimeZone_UTC);
    const delta = a.Delta_FromDelta(0, seconds, 0, 1, a.DeltaType) orelse return null;
    defer c.decref(delta);
    return a.TimeZone_FromTimeZone(delta, null);
}

pub fn toPython(value: anytype) ?*c.PyObject {
    if (comptime c.limited_api) @compileError(abi3_refusal);
    const T = @TypeOf(value);
    const a = api() catch return null;
    switch (comptime which(T).?) {
        .date => return a.Date_FromDate(value.year, value.month, value.day, a.DateType),
        .timedelta => return a.Delta_FromDelta(value.days, value.seconds, value.microseconds, 1, a.DeltaType),
        .datetime, .time => {
            const tz = if (value.utc_offset) |off| (timezone(a, off) orelse return null) else c.newref(c.none());
            defer c.decref(tz);
            const us: c_int = std.math.cast(c_int, value.microsecond) orelse 1_000_000; // out of range: datetime's own error
            return if (T == DateTime)
                a.DateTime_FromDateAndTimeAndFold(value.year, value.month, value.day, value.hour, value.minute, value.second, us, tz, value.fold, a.DateTimeType)
            else
                a.Time_FromTimeAndFold(value.hour, value.minute, value.second, us, tz, value.fold, a.TimeType);
        },
    }
}
