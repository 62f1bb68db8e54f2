/// R24, the low-balance alert rule, in one place: which alert a balance fires, when an alert
/// re-arms, and the record that says it fired. The engine's general path and its fast charge
/// path both write alerts through it; folding the journal re-arms through it.
extension AlertState {
    /// The alert a credit entry that leaves `balance` fires, given what was armed before it:
    /// `.empty` at 0, else `.low` at or below `lowAtOrBelow` (the catalog's, default 10); nil for none.
    public func firing(atBalance balance: Credits, lowAtOrBelow: Credits) -> AlertKind? {
        if balance == 0 && emptyArmed { return .empty }
        if balance <= lowAtOrBelow && lowArmed { return .low }
        return nil
    }

    /// Re-arms each alert once `balance` is back above its threshold (`lowAtOrBelow`, or 0).
    public mutating func rearm(atBalance balance: Credits, lowAtOrBelow: Credits) {
        if balance > lowAtOrBelow { lowArmed = true }
        if balance > 0 { emptyArmed = true }
    }
}

extension Entry {
    /// The alert record `kind` that `cause` fires, by `actor`: numbered just after the cause,
    /// dated with it, pointing at it (`ref`) and carrying the balance it left.
    static func alert(_ kind: AlertKind, after cause: Entry, actor: String) -> Entry {
        var alert = Entry(seq: cause.seq + 1, time: cause.time, kind: .alert, actor: actor, workspace: cause.workspace)
        alert.alert = kind
        alert.ref = cause.seq
        alert.balance = cause.balance
        return alert
    }
}
