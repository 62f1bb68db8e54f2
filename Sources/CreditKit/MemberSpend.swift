/// Credits one member spent this month (charges less refunds), for the workspace summary (R17).
public struct MemberSpend: Hashable, Sendable {
    /// Who ran the charges.
    public var member: String
    /// Charges less refunds, in credits.
    public var credits: Credits

    public init(member: String, credits: Credits) { self.member = member; self.credits = credits }
}

/// R17, R40: who spent the workspace's one pool from `since` up to `until`, folded from its
/// history read newest first: each charge to whoever ran it, less its refund (whoever reported
/// the failure); a refund of a charge made before `since` is left out, as that charge is, and
/// entries after `until` are passed over, so a read as of a past time shows that time's month.
public struct MemberSpendTally: Sendable {
    /// Charges before this time are not counted.
    public let since: Timestamp
    /// Entries after this time (the read's "now") are not counted.
    public let until: Timestamp
    private var totals: [String: Credits] = [:]
    private var refunded: [Int64: Credits] = [:]

    public init(since: Timestamp, until: Timestamp = Timestamp(secondsSinceEpoch: .max)) { self.since = since; self.until = until }

    /// R40: the calendar month (UTC) of `time` up to `time` itself: that month's spend as of then.
    public init(monthOf time: Timestamp) { self.init(since: time.monthStart, until: time) }

    /// Takes the next older entry; false once entries are older than `since` (stop reading).
    public mutating func take(_ entry: Entry) -> Bool {
        guard entry.time >= since else { return false }
        guard entry.time <= until else { return true }
        if entry.kind == .refund, let charge = entry.ref { refunded[charge, default: 0] += entry.credits }
        if entry.kind == .charge { totals[entry.actor, default: 0] -= entry.credits + (refunded[entry.seq] ?? 0) }
        return true
    }

    /// Each member's spend, largest first (ties by name); members who spent nothing net are left out.
    public var spend: [MemberSpend] {
        totals.filter { $0.value != 0 }.map { MemberSpend(member: $0.key, credits: $0.value) }
            .sorted { ($0.credits, $1.member) > ($1.credits, $0.member) }
    }
}
