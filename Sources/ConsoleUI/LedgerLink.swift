import CreditKit
import LedgerCore

/// Whether the ledger can be followed: its server answers (PostgreSQL), its journal reads
/// cleanly (a file ledger). Times are the wall clock, UTC, as the header's `↻` read time is.
public enum LedgerLink: Hashable, Sendable {
    case reachable
    /// The connection was lost at `since`; the console keeps its last screen and retries.
    case unreachable(since: Timestamp)
    /// The journal stopped reading cleanly at `since` (`error`: damage, or a read that failed,
    /// named as the command line names it); the console keeps its last good read and reads again.
    case unreadable(since: Timestamp, error: LedgerError)

    /// Whether writes can be sent now.
    public var isReachable: Bool { self == .reachable }

    /// The header's mark: `LIVE`, `OFFLINE` (server away), `DAMAGED` (journal damage) or
    /// `UNREADABLE` (a journal that could not be read for another reason).
    public var mark: String {
        switch self {
        case .reachable: return "LIVE"
        case .unreachable: return "OFFLINE"
        case .unreadable(_, let error): return error.isDamage ? "DAMAGED" : "UNREADABLE"
        }
    }

    /// `ledger server unreachable since 14:02:11, retrying; writes are refused`: the status line.
    /// `ledger server unreachable since 14:02:11, retrying; …`, or the journal's problem as the
    /// command line names it: `ledger damaged: record seq 5 (journal.jsonl line 6): … (since 14:02:11)`.
    public var statusText: String? {
        switch self {
        case .reachable: return nil
        case .unreachable(let since):
            return "ledger server unreachable since \(TimeText.clock(since)), retrying; writes are refused"
        case let .unreadable(since, error):
            return "\(error) (since \(TimeText.clock(since)); the screen shows the last good read, writes are refused)"
        }
    }

    /// Why a write is refused while the server is away or the journal is damaged: one line,
    /// nothing written (for damage, the line the command line prints).
    public var refusalText: String? {
        switch self {
        case .reachable: return nil
        case .unreachable(let since): return "the ledger server is unreachable (since \(TimeText.clock(since))): nothing was written"
        case .unreadable(_, let error): return "\(error)"
        }
    }
}

extension LedgerError {
    /// Whether the error says the journal is damaged (the records themselves), not that it
    /// could not be read or locked.
    var isDamage: Bool {
        switch self {
        case .damaged, .journalShorterThanCheckpoint: return true
        default: return false
        }
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
