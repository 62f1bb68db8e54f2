/// R33: a workspace's balance, lifetime earned and spent, and held credits as of a past time,
/// as the journal had them then (expiries due by then but written later are not counted).
public struct BalanceAsOf: Hashable, Sendable {
    /// The past time asked for.
    public var time: Timestamp
    /// The balance then (R21).
    public var balance: Credits
    /// Lifetime earned then (R21).
    public var earned: Credits
    /// Lifetime spent then (R21).
    public var spent: Credits
    /// Credits open holds reserved then (R35).
    public var held: Credits
    /// How many of the workspace's credit entries were written by `time`.
    public var entries: Int

    public init(time: Timestamp, balance: Credits, earned: Credits, spent: Credits, held: Credits, entries: Int) {
        self.time = time; self.balance = balance; self.earned = earned; self.spent = spent; self.held = held; self.entries = entries
    }

    /// R35: the balance less what was held then.
    public var available: Credits { balance - held }
}

/// R33: finding a time among a workspace's credit entries and winding its totals back to it.
public enum AsOf {
    /// How many of `count` entries, newest first, are dated after `time`: a binary search that
    /// reads `log2(count)` entries through `timeAt` (position 0 is the newest).
    public static func entriesAfter<Failure: Error>(_ time: Timestamp, count: Int,
                                                    timeAt: (Int) throws(Failure) -> Timestamp) throws(Failure) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if try timeAt(middle) > time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The workspace's totals as `written` now, wound back over `after` (its credit entries dated
    /// after `time`, in any order): each entry's part of R21's sums is taken out again.
    public static func rewind(_ written: WorkspaceState, over after: [Entry], to time: Timestamp) -> BalanceAsOf {
        var asOf = BalanceAsOf(time: time, balance: written.balance, earned: written.earned, spent: written.spent,
                               held: written.held, entries: written.creditEntryCount - after.count)
        for entry in after { undo(entry, from: &asOf) }
        return asOf
    }

    /// Takes one entry's part out of the totals (R21: balance = earned − spent; R35: held).
    static func undo(_ entry: Entry, from asOf: inout BalanceAsOf) {
        let amount = entry.credits
        asOf.balance -= amount
        switch entry.kind {
        case .grant, .topup: asOf.earned -= amount
        case .adjustment where amount >= 0: asOf.earned -= amount
        case .refund: asOf.spent += amount
        case .charge:
            asOf.spent += amount
            if entry.ref != nil { asOf.held -= amount }
        case .adjustment, .expiry, .void: asOf.spent += amount
        case .hold: asOf.held -= entry.held ?? 0
        case .release: asOf.held += entry.held ?? 0
        default: break
        }
    }
}
