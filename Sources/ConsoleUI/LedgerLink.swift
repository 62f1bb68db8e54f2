import CreditKit

/// Whether the ledger's server answers (PostgreSQL; a file ledger is always `.reachable`). Times
/// are the wall clock, UTC, as the header's `↻` read time is.
public enum LedgerLink: Hashable, Sendable {
    case reachable
    /// The connection was lost at `since`; the console keeps its last screen and retries.
    case unreachable(since: Timestamp)

    /// Whether writes can be sent now.
    public var isReachable: Bool { self == .reachable }

    /// `ledger server unreachable since 14:02:11, retrying; writes are refused`: the status line.
    public var statusText: String? {
        guard case .unreachable(let since) = self else { return nil }
        return "ledger server unreachable since \(TimeText.clock(since)), retrying; writes are refused"
    }

    /// Why a write is refused while the server is away: one line, nothing written.
    public var refusalText: String? {
        guard case .unreachable(let since) = self else { return nil }
        return "the ledger server is unreachable (since \(TimeText.clock(since))): nothing was written"
    }
}

/// When the console tries its ledger server again after losing it: 1 s, 2 s, 4 s, then every
/// 5 s (`delayMaxMilliseconds`) for as long as it stays away. Pure: the host keeps one and asks.
public struct ReconnectBackoff: Hashable, Sendable {
    /// The wait before the first try, in milliseconds.
    public static let firstDelayMilliseconds: Int64 = 1_000
    /// The longest wait between two tries, in milliseconds.
    public static let delayMaxMilliseconds: Int64 = 5_000

    /// Tries that failed since the connection was lost.
    public private(set) var failures = 0

    public init() {}

    /// Milliseconds to wait before the next try: the first delay doubled per failure, capped.
    public var delayMilliseconds: Int64 {
        let doublings = min(failures, 16)
        return min(Self.firstDelayMilliseconds << Int64(doublings), Self.delayMaxMilliseconds)
    }

    /// A try failed: the next waits longer (up to the cap).
    public mutating func failed() { failures += 1 }

    /// Connected again: the next loss starts from the first delay.
    public mutating func reset() { failures = 0 }
}
