/// What the ledger found for a reversal (R34) before it is decided: the entry named, and the
/// entry that already reversed it, if one did. The engine has no journal, so the ledger looks.
public struct ReversalFacts: Hashable, Sendable {
    /// The entry with the `seq` named, if the ledger has one.
    public var original: Entry?
    /// The `seq` of an adjustment that already `reverses` it.
    public var reversedBy: Int64?

    public init(original: Entry?, reversedBy: Int64?) { self.original = original; self.reversedBy = reversedBy }
}

extension Engine {
    /// R34 Reversal: a support agent undoes a mistaken adjustment or grant by an adjustment of the
    /// opposite amount that carries a reason and `reverses` (the original's seq). Once only (a
    /// repeat answers with the first reversal); never a charge, top-up, refund, expiry or another
    /// reversal, nor a voided grant (R36); never below zero. Returns a decision only for the repeat.
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
        guard b.context.admitsOlderText || FreeText.isValidLine(reason) else { throw .invalidText(field: "reason") }
        try b.expireDueCredits(wsID)
        let balance = b.state.workspaces[wsID]?.balance ?? 0
        if original.credits > balance {
            throw .reversalExceedsBalance(seq: seq, credits: original.credits, balance: balance)
        }
        var entry = b.entry(.adjustment, workspace: wsID)
        entry.credits = -original.credits
        entry.reason = reason
        entry.reverses = seq
        b.appendCredit(entry)
        return nil
    }
}
