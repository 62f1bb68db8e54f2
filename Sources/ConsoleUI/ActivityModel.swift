import CreditKit

/// Which entries of the Activity screen to read: those matching `filter`, newest first,
/// walking back from the byte offset `before` (nil: the journal's end), stopping at the record
/// `newerThan` when set (a read of what arrived since).
public struct ActivityRequest: Hashable, Sendable {
    public var filter: EntryFilter
    public var before: Int64?
    public var count: Int
    public var newerThan: Int64?

    public init(filter: EntryFilter, before: Int64?, count: Int, newerThan: Int64? = nil) {
        self.filter = filter; self.before = before; self.count = count; self.newerThan = newerThan
    }
}

/// Entries read for an activity request, and where the next older read starts.
public struct ActivityPage: Hashable, Sendable {
    public var request: ActivityRequest
    public var entries: [Entry]
    /// Byte offset the next older read walks back from.
    public var nextOffset: Int64
    /// Nothing older matches (start of the journal, or the filter's `since`).
    public var reachedEnd: Bool
    /// How far back the read walked, for a narrow filter's progress line.
    public var oldestTimeRead: Timestamp?
    /// The ledger's last record when it was read.
    public var headSeq: Int64
    /// Why the read stopped short: a record that could not be read (damage), in a read's words.
    public var unreadable: String?

    public init(request: ActivityRequest, entries: [Entry], nextOffset: Int64, reachedEnd: Bool,
                oldestTimeRead: Timestamp?, headSeq: Int64, unreadable: String? = nil) {
        self.request = request; self.entries = entries; self.nextOffset = nextOffset; self.reachedEnd = reachedEnd
        self.oldestTimeRead = oldestTimeRead; self.headSeq = headSeq; self.unreadable = unreadable
    }
}

/// The Activity screen (support): every entry of every workspace, newest first, through a
/// filter; rows are read a page at a time as the selection goes down, and new entries from
/// other desks arrive on top without moving the selection.
public struct ActivityModel: Hashable, Sendable {
    /// The most rows held: past it, the screen asks for a narrower filter.
    public static let rowsMax = 10_000
    /// Rows read beyond the visible ones.
    public static let prefetch = 64

    /// The filter line as typed, and the filter it was read as.
    public var query = ""
    public var filter = EntryFilter()
    public var editingQuery = false
    /// The line being typed while the prompt is open (the applied `query` stays until Enter).
    public var draft = ""
    public var rows: [Entry] = []
    public var cursor = ListCursor()
    /// Where the next older read starts; nil until the first page arrives.
    public var nextOffset: Int64?
    public var reachedEnd = false
    public var oldestTimeRead: Timestamp?
    /// The last record read into this view: newer ones are asked for when the ledger grows.
    public var headSeq: Int64 = 0
    /// Rows that arrived from other desks above the view, not seen yet (`g` goes to them).
    public var newCount = 0
    /// The read asked for and not yet answered.
    public var pending: ActivityRequest?
    /// Why reading older rows stopped before the journal's start, when a record could not be
    /// read: the rows held are then not all there are.
    public var unreadable: String?

    public init() {}

    /// Whether more rows can be read below the last one held.
    public var canReadOlder: Bool { !reachedEnd && rows.count < ActivityModel.rowsMax }
}
