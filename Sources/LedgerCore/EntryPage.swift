import CreditKit

/// Where a walk back through every workspace's entries stands, to read on from. Opaque to
/// callers: a byte offset of the journal in a file ledger, a record count elsewhere. Only
/// compare positions given by the same ledger; `start` is before every entry.
public struct EntryPosition: Hashable, Sendable {
    /// The backend's own number for the position.
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    /// Before the first entry: nothing older is left to read.
    public static let start = EntryPosition(0)
}

/// Entries of every workspace read newest first, backwards from a position: what the console's
/// Activity screen shows. A page costs what it walks back over, never the whole ledger.
public struct EntryPage: Sendable {
    /// The matching entries read, newest first.
    public var entries: [Entry]
    /// Where the next (older) page starts reading back from; `.start` once the first entry is reached.
    public var next: EntryPosition
    /// Whether nothing older can match: the first entry, the filter's `since`, or `newerThan` was reached.
    public var reachedEnd: Bool
    /// The time of the oldest record walked over, matching or not (how far back a search has got).
    public var oldestTimeRead: Timestamp?
    /// The ledger's last record when the page was read.
    public var headSeq: Int64

    public init(entries: [Entry], next: EntryPosition, reachedEnd: Bool, oldestTimeRead: Timestamp?, headSeq: Int64) {
        self.entries = entries; self.next = next; self.reachedEnd = reachedEnd
        self.oldestTimeRead = oldestTimeRead; self.headSeq = headSeq
    }
}
