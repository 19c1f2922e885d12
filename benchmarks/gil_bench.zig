//! Pure-Zig work for benchmarks/bench_gil.py: the same loop with and without the GIL.
const py = @import("zig_core");

/// A xorshift chain (each step depends on the last, so it cannot be shortcut), GIL released.
pub fn spin(_: py.NoGil, rounds: u64) u64 {
    return work(rounds);
}

/// The same work holding the GIL.
pub fn spin_locked(rounds: u64) u64 {
    return work(rounds);
}

fn work(rounds: u64) u64 {
    var x: u64 = rounds | 1;
    var i: u64 = 0;
    while (i < rounds) : (i += 1) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

comptime {
    py.module(@This());
}
