import CreditKit

/// What `verify` keeps of each grant and adjustment it has read, so a later reversal (R34) can be
/// replayed: its kind, workspace, time, credits and own `reverses` link, about 48 bytes a record
/// rather than a whole `Entry`, and which of them a later adjustment already reverses.
struct ReversibleRecords {
    /// The fields of one grant or adjustment a reversal is decided on.
    private struct Kept {
        var time: Timestamp
        var workspace: String?
        var credits: Credits
        var reverses: Int64?
        var kind: EntryKind
    }

    private var kept: [Int64: Kept] = [:]
    private var reversedBy: [Int64: Int64] = [:]

    /// Keeps the grants and adjustments of a commit that replayed cleanly, and its reversals.
    mutating func note(_ commit: [Entry]) {
        // By index: iterating the commit would copy every entry, charges included.
        for index in commit.indices where commit[index].kind == .grant || commit[index].kind == .adjustment {
            let entry = commit[index]
            kept[entry.seq] = Kept(time: entry.time, workspace: entry.workspace, credits: entry.credits,
                                   reverses: entry.reverses, kind: entry.kind)
            if let undone = entry.reverses { reversedBy[undone] = entry.seq }
        }
    }

    /// The facts a reversal of `seq` is decided on: the original as far as it was kept (no actor
    /// or text), and the adjustment that already reverses it.
    func facts(for seq: Int64) -> ReversalFacts {
        ReversalFacts(original: kept[seq].map { record in
            var entry = Entry(seq: seq, time: record.time, kind: record.kind, actor: "", workspace: record.workspace)
            entry.credits = record.credits
            entry.reverses = record.reverses
            return entry
        }, reversedBy: reversedBy[seq])
    }
}
