import CreditKit

/// What `verify` keeps of each grant and adjustment it has read, so a later reversal (R34) or void
/// (R36) can be replayed: its kind, workspace, time, credits and own `reverses`, `ref` and
/// `rollover` links, about 80 bytes a record rather than a whole `Entry`, which of them a later
/// adjustment already reverses, and which grant a later rollover carried credits of (R41).
struct ReversibleRecords {
    /// The fields of one grant or adjustment a reversal is decided on.
    private struct Kept {
        var time: Timestamp
        var workspace: String?
        var credits: Credits
        var reverses: Int64?
        var kind: EntryKind
        var ref: Int64?
        var rollover: Credits?
    }

    private var kept: [Int64: Kept] = [:]
    private var reversedBy: [Int64: Int64] = [:]
    private var rolledOverBy: [Int64: Int64] = [:]

    /// Keeps the grants and adjustments of a commit that replayed cleanly, and its reversals.
    mutating func note(_ commit: [Entry]) {
        // By index: iterating the commit would copy every entry, charges included.
        for index in commit.indices where commit[index].kind == .grant || commit[index].kind == .adjustment {
            let entry = commit[index]
            kept[entry.seq] = Kept(time: entry.time, workspace: entry.workspace, credits: entry.credits,
                                   reverses: entry.reverses, kind: entry.kind, ref: entry.ref, rollover: entry.rollover)
            if let undone = entry.reverses, reversedBy[undone] == nil { reversedBy[undone] = entry.seq }
            if entry.rollover != nil, let grant = entry.ref, rolledOverBy[grant] == nil { rolledOverBy[grant] = entry.seq }
        }
    }

    /// The facts a reversal or void of `seq` is decided on: the original as far as it was kept (no
    /// actor or text), the adjustment that already reverses it, and its rollover links (R41).
    func facts(for seq: Int64) -> ReversalFacts {
        let record = kept[seq]
        let grant = record?.rollover != nil ? record?.ref : nil
        return ReversalFacts(original: record.map { record in
            var entry = Entry(seq: seq, time: record.time, kind: record.kind, actor: "", workspace: record.workspace)
            entry.credits = record.credits
            entry.reverses = record.reverses
            entry.ref = record.ref
            entry.rollover = record.rollover
            return entry
        }, reversedBy: reversedBy[seq], rolledOverBy: rolledOverBy[seq], sourceReversedBy: grant.flatMap { reversedBy[$0] })
    }
}
