#if canImport(Glibc)
import Glibc
#endif

/// The one clock the console's loop paces itself by: milliseconds that only go forward (the
/// live refresh, idle time, the tour). Injected, so tests control time.
public protocol MonotonicClock: AnyObject {
    /// Milliseconds since an arbitrary start; never goes back.
    func milliseconds() -> Int64
}

/// The machine's monotonic clock (`CLOCK_MONOTONIC`).
public final class SystemMonotonicClock: MonotonicClock {
    public init() {}

    /// Milliseconds since an arbitrary start that never goes back.
    public func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// A clock that moves only when told: for tests of the loop, with `TestBackend`.
public final class TestClock: MonotonicClock {
    /// The time the clock shows, in milliseconds; moved only by the test.
    public private(set) var now: Int64

    public init(startingAt start: Int64 = 0) { now = start }

    /// `now`, as the loop reads it.
    public func milliseconds() -> Int64 { now }

    /// Moves time on by `milliseconds` (never back).
    public func advance(by milliseconds: Int64) { now += max(0, milliseconds) }

    /// Moves time on to `time`, if it is later.
    public func advance(to time: Int64) { now = max(now, time) }
}
