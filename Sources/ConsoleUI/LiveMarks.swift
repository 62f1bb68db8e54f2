import CreditKit
import LedgerCore

/// Live, visibly: when the console last read the journal (shown in the header), and which
/// entries arrived from another desk at that read, marked on their rows for a few seconds.
/// Times here are the wall clock of the reads, not the ledger's clock (which a test may fix).
public struct LiveMarks: Hashable, Sendable {
    /// How long an arrived entry stays marked, in seconds.
    public static let markSeconds: Int64 = 4

    /// When the journal was last read; nil until the first read (the header then shows nothing).
    public var refreshedAt: Timestamp?
    /// The last record this console had seen at the read before, or had written itself.
    public var seenThrough: Int64 = 0
    /// Entries after this seq arrived from elsewhere at the last read that brought any.
    public var freshAfter: Int64 = .max
    /// Until when (wall clock) they stay marked.
    public var freshUntil = Timestamp(secondsSinceEpoch: 0)

    public init() {}

    /// Whether `entry` is marked as just arrived.
    public func isFresh(_ entry: Entry) -> Bool {
        guard let refreshedAt else { return false }
        return entry.seq > freshAfter && refreshedAt < freshUntil
    }
}

extension ConsoleState {
    /// The run loop read the journal at wall time `time`: entries this console has not seen at
    /// the read before (and did not write) are marked for `LiveMarks.markSeconds`.
    mutating func refreshed(at time: Timestamp) {
        if live.refreshedAt == nil { live.seenThrough = seenSeq }
        live.refreshedAt = time
        if seenSeq > live.seenThrough {
            live.freshAfter = live.seenThrough
            live.freshUntil = Timestamp(secondsSinceEpoch: time.secondsSinceEpoch + LiveMarks.markSeconds)
            live.seenThrough = seenSeq
        }
    }

    /// Entries this console wrote are not news to it.
    mutating func wroteThrough(_ result: Result<SubmitOutcome, LedgerError>) {
        guard case .success(.recorded(let entries, _)) = result, let last = entries.last else { return }
        live.seenThrough = max(live.seenThrough, last.seq)
    }
}

extension Chrome {
    /// `↻ 10:47:02` (UTC): when the view last read the journal, for the header.
    static func refreshSpan(_ state: ConsoleState) -> Span? {
        guard let at = state.live.refreshedAt else { return nil }
        let c = at.civil
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let glyphs = state.session.glyphs
        return Span("\(glyphs.dot) \(glyphs.ascii ? "upd" : "↻") \(two(c.hour)):\(two(c.minute)):\(two(c.second)) ", .header)
    }

    /// Marks a row whose entry just arrived from another desk: `+` beside it, never moving anything.
    static func markFresh(_ grid: inout Grid, _ state: ConsoleState, _ entry: Entry, y: Int) {
        guard state.live.isFresh(entry) else { return }
        grid.put(state.session.glyphs.ascii ? "+" : "✚", x: 1, y: y, style: .success)
    }
}
