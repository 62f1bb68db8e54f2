import CreditKit
import LedgerCore

/// The commits of one batch while it is decided: the state they fold into, their lines encoded
/// one after another into the single buffer the batch is written from, and its alert records.
/// Entries are not kept (unless asked), so a batch costs its bytes, not an array of records.
struct BatchWriter {
    private(set) var state: LedgerState
    /// The journal offset the batch is written at.
    let start: Int64
    private(set) var bytes: [UInt8] = []
    /// The hash of the last record encoded: the next one's `prev`.
    private var prev: String
    /// The alert records of the batch (their messages are staged before the write).
    private(set) var alerts: [Entry] = []
    private(set) var recordCount = 0
    /// Every entry of the batch, only when `keepingEntries` (to answer a repeat with its original).
    private(set) var written: [Entry] = []
    private let keepingEntries: Bool
    /// Whether each line is decoded again before it is written (`JournalFormat.readBackProblem`):
    /// for a write of one command; a bulk batch relies on the engine's range check alone, since
    /// the second decode costs about as much as the encode (measured in README).
    private let readingBack: Bool

    init(state: LedgerState, start: Int64, keepingEntries: Bool, readingBack: Bool = true) {
        self.state = state
        self.start = start
        self.prev = state.lastHash.isEmpty ? JournalFormat.genesisHash : state.lastHash
        self.keepingEntries = keepingEntries
        self.readingBack = readingBack
    }

    /// Decides `command` against the batch so far, reading the state in place (the batch holds
    /// the only copy of it).
    mutating func decide(_ command: Command, context: CommandContext, reversal: ReversalFacts? = nil) -> Result<Decision, Rejection> {
        Engine.decide(command, inPlace: &state, context: context, reversal: reversal)
    }

    /// Encodes one decided commit after the records before it and folds it into the state;
    /// returns its entries, hashes filled in, with the offset of each line. When `readingBack`,
    /// a record whose line would not read back is refused and the commit taken out of the batch.
    mutating func add(_ drafts: [Entry]) throws(LedgerError) -> [(entry: Entry, offset: Int64)] {
        var commit: [(entry: Entry, offset: Int64)] = []
        commit.reserveCapacity(drafts.count)
        let (commitStart, commitPrev) = (bytes.count, prev)
        for (index, draft) in drafts.enumerated() {
            let offset = start + Int64(bytes.count)
            var entry = draft
            let lineStart = bytes.count
            entry.hash = JournalFormat.append(draft, prev: prev, more: index < drafts.count - 1, to: &bytes)
            if readingBack, let problem = bytes.withUnsafeBufferPointer({ JournalFormat.readBackProblem(UnsafeBufferPointer(rebasing: $0[lineStart...]), as: entry) }) {
                bytes.removeSubrange(commitStart...)
                prev = commitPrev
                throw .unreadableRecord(seq: entry.seq, problem: problem)
            }
            bytes.append(10)
            prev = entry.hash
            if entry.kind == .alert { alerts.append(entry) }
            commit.append((entry, offset))
        }
        do { try state.apply(commit.map(\.entry)) } catch { preconditionFailure("rules produced an unfoldable commit: \(error)") }
        recordCount += commit.count
        if keepingEntries { written += commit.map(\.entry) }
        return commit
    }

    /// Hands over the folded state (leaving none behind, so the caller holds the only copy).
    mutating func release() -> LedgerState {
        let folded = state
        state = LedgerState(catalog: folded.catalog)
        return folded
    }
}
