/// What the ledger found for a reversal (R34) or a void (R36) before it is decided: the entry
/// named, the entry that already reversed it, and its rollover links (R41). The engine has no
/// journal, so the ledger looks.
public struct ReversalFacts: Hashable, Sendable {
    /// The entry with the `seq` named, if the ledger has one.
    public var original: Entry?
    /// The `seq` of an adjustment that already `reverses` it.
    public var reversedBy: Int64?
    /// R41: the `seq` of the rollover (a grant with `rollover` and `ref` the original) that carried
    /// some of the original's credits into the next period, if one did.
    public var rolledOverBy: Int64?
    /// R41: when the original is a rollover, the `seq` of the adjustment that reversed the grant
    /// it carried credits of (its `ref`), if one did.
    public var sourceReversedBy: Int64?

    public init(original: Entry?, reversedBy: Int64?, rolledOverBy: Int64? = nil, sourceReversedBy: Int64? = nil) {
        self.original = original; self.reversedBy = reversedBy
        self.rolledOverBy = rolledOverBy; self.sourceReversedBy = sourceReversedBy
    }

    /// R36, R41: the grant whose reversal took entry `seq`'s credits already (the entry itself, or
    /// the grant a rollover carried credits of) and that reversal's seq; nil when none did.
    public func reversal(taking seq: Int64) -> (grant: Int64, by: Int64)? {
        guard let original, original.seq == seq else { return nil }
        if let by = reversedBy { return (seq, by) }
        if original.rollover != nil, let grant = original.ref, let by = sourceReversedBy { return (grant, by) }
        return nil
    }
}

extension Engine {
    /// R34 Reversal: a support agent undoes a mistaken adjustment or grant by an adjustment of the
    /// opposite amount that carries a reason and `reverses` (the original's seq). Once only (a
    /// repeat answers with the first reversal); never a charge, top-up, refund, expiry or another
    /// reversal, nor a voided grant (R36) or one whose rollover was voided (R41); never below zero nor into held credits (R35). Returns a decision only for the repeat.
    static func decideReversal(_ wsID: String, seq: Int64, reason: String, facts: ReversalFacts?,
                               builder b: inout EntryBuilder) throws(Rejection) -> Decision? {
        guard let original = facts?.original, original.seq == seq, original.workspace == wsID, original.kind.movesCredits else {
            throw .unknownEntry(workspace: wsID, seq: seq)
        }
        guard original.kind == .grant || (original.kind == .adjustment && original.reverses == nil) else {
            throw .notReversible(seq: seq, kind: original.kind)
        }
        if let done = facts?.reversedBy { return .alreadyRecorded(.alreadyReversed(entry: seq, seq: done)) }
        guard original.credits != 0 else { throw .invalidAmount("entry #\(seq) moved no credits: there is nothing to reverse") }
        // R36: a voided grant's remainder is gone already; reversing it would take it twice.
        if let voidSeq = b.state.workspaces[wsID]?.voided[seq] { throw .alreadyVoided(seq: seq, by: voidSeq) }
        // R41: a rollover carried some of the grant's credits on; voided, they left once already.
        if let rollover = facts?.rolledOverBy, let voidSeq = b.state.workspaces[wsID]?.voided[rollover] {
            throw .rolloverVoided(seq: seq, rollover: rollover, by: voidSeq)
        }
        guard b.context.admitsOlderText || FreeText.isValidLine(reason) else { throw .invalidText(field: "reason", steering: FreeText.firstSteering(reason)) }
        try b.expireDueCredits(wsID)
        let balance = b.state.workspaces[wsID]?.balance ?? 0, available = b.state.workspaces[wsID]?.available ?? 0
        if original.credits > balance {
            throw .reversalExceedsBalance(seq: seq, credits: original.credits, balance: balance)
        }
        // R35: credits that holds reserve are not the reversal's to take, as for a void (R36).
        if original.credits > available {
            throw .reversalUncoversHolds(seq: seq, credits: original.credits, available: available)
        }
        var entry = b.entry(.adjustment, workspace: wsID)
        entry.credits = -original.credits
        entry.reason = reason
        entry.reverses = seq
        b.appendCredit(entry)
        return nil
    }
}

extension ReversalFacts {
    /// The facts for entry `seq` of `workspace` as `entries` (oldest first, the journal or one
    /// workspace's part of it) hold them: the reference every ledger's own lookup agrees with.
    public static func find(_ seq: Int64, workspace: String, in entries: [Entry]) -> ReversalFacts {
        guard let original = entries.first(where: { $0.seq == seq }), original.workspace == workspace, original.kind.movesCredits else {
            return ReversalFacts(original: nil, reversedBy: nil)
        }
        func reversal(of target: Int64) -> Int64? {
            entries.first { $0.workspace == workspace && $0.kind == .adjustment && $0.reverses == target }?.seq
        }
        let rollover = entries.first { $0.workspace == workspace && $0.kind == .grant && $0.rollover != nil && $0.ref == seq }
        let source = original.rollover != nil ? original.ref.flatMap(reversal) : nil
        return ReversalFacts(original: original, reversedBy: reversal(of: seq), rolledOverBy: rollover?.seq, sourceReversedBy: source)
    }
}

extension Command {
    /// The workspace and entry whose `ReversalFacts` a ledger reads before deciding this command:
    /// a reversal's original (R34) or a void's grant (R36, R41); nil for every other command.
    public var reversalFactsEntry: (workspace: String, seq: Int64)? {
        switch self {
        case let .reverse(workspace, seq, _), let .void(workspace, seq, _): return (workspace, seq)
        default: return nil
        }
    }
}
