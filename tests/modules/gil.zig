//! Structural checks of GIL release: a call that can only finish early if another
//! Python thread runs while it is in progress.
const std = @import("std");
const py = @import("zig_core");

/// Without the GIL: set `flags[1]` ("entered"), then wait until another thread sets
/// `flags[0]`; true if it did within `timeout_ms`, false if the wait timed out.
pub fn wait_for_flag(_: py.NoGil, flags: []u8, timeout_ms: u32) bool {
    return waitForFlag(flags, timeout_ms);
}

/// The same wait holding the GIL: no Python thread can set the flag meanwhile.
pub fn wait_for_flag_locked(flags: []u8, timeout_ms: u32) bool {
    return waitForFlag(flags, timeout_ms);
}

/// The same wait inside a `py.allowThreads()` block of a function that also uses an object.
pub fn wait_for_flag_block(label: py.Object, flags: []u8, timeout_ms: u32) !py.Owned {
    var seen = false;
    {
        const threads = py.allowThreads();
        defer threads.end();
        seen = waitForFlag(flags, timeout_ms);
    }
    return label.call(.{seen});
}

fn waitForFlag(flags: []u8, timeout_ms: u32) bool {
    std.debug.assert(flags.len >= 2);
    @atomicStore(u8, &flags[1], 1, .seq_cst);
    var waited: u32 = 0;
    while (waited < timeout_ms) : (waited += 1) {
        if (@atomicLoad(u8, &flags[0], .seq_cst) != 0) return true;
        _ = std.os.linux.nanosleep(&.{ .sec = 0, .nsec = 1_000_000 }, null);
    }
    return @atomicLoad(u8, &flags[0], .seq_cst) != 0;
}

comptime {
    py.module(@This());
}
