/// R40's bounds: the largest monthly limit a member may be given.
public enum MemberLimitPolicy {
    /// A limit is 0 to this many credits a month (the most one adjustment moves).
    public static let creditsMax: Credits = Engine.adjustmentMax
}

/// R40: what each person spent of a workspace's pool in one calendar month (UTC): charges and
/// clones less the refunds of those charges. A new month starts from nothing.
public struct MemberMonthSpend: Hashable, Sendable {
    /// The first instant of the month tallied (`Timestamp.monthStart`); nil before any spend.
    public var month: Timestamp?
    /// Credits spent this month, by who ran the charge.
    public var spent: [String: Credits] = [:]
    /// This month's job charges (seq) and who ran each, so a refund gives back to its member.
    public var charges: [Int64: String] = [:]

    public init() {}

    /// What `member` spent in the month of `time` (0 when the tally is of another month).
    public func spent(by member: String, at time: Timestamp) -> Credits {
        month == time.monthStart ? spent[member] ?? 0 : 0
    }

    /// Counts a charge of `credits` by `actor` at `time`; `seq` is kept for a job's refund.
    public mutating func charge(_ credits: Credits, by actor: String, seq: Int64, job: Bool, at time: Timestamp) {
        turn(to: time)
        spent[actor, default: 0] += credits
        if job { charges[seq] = actor }
    }

    /// Gives `credits` back to whoever ran charge `chargeSeq`, when it was charged this month.
    public mutating func refund(_ credits: Credits, of chargeSeq: Int64, at time: Timestamp) {
        turn(to: time)
        guard let actor = charges.removeValue(forKey: chargeSeq) else { return }
        spent[actor, default: 0] -= credits
    }

    /// Starts the tally afresh when `time` falls in a later month. Every month has at least 28
    /// days, so a time within 28 days of the month's start is in it without working out its date.
    private mutating func turn(to time: Timestamp) {
        if let month, time >= month, time.secondsSinceEpoch - month.secondsSinceEpoch < 28 * Timestamp.secondsPerDay { return }
        let start = time.monthStart
        guard month != start else { return }
        month = start
        spent = [:]
        charges = [:]
    }
}

/// One person's monthly limit as a workspace stands at a time (R40): the limit, what was spent
/// this month, what their open holds reserve, and what is left.
public struct MemberLimitStanding: Hashable, Sendable {
    public var member: String
    /// Credits a month.
    public var limit: Credits
    /// Charges less refunds this calendar month.
    public var spent: Credits
    /// What the member's open holds reserve.
    public var held: Credits
    /// What the member may still spend this month (never below 0).
    public var left: Credits { max(0, limit - spent - held) }

    public init(member: String, limit: Credits, spent: Credits, held: Credits) {
        self.member = member; self.limit = limit; self.spent = spent; self.held = held
    }
}

extension WorkspaceState {
    /// R40: `member`'s limit standing at `time`, nil when they have no limit.
    public func limitStanding(of member: String, at time: Timestamp) -> MemberLimitStanding? {
        guard let limit = memberLimits[member] else { return nil }
        let held = holds.values.reduce(0) { $0 + ($1.actor == member ? $1.credits : 0) }
        return MemberLimitStanding(member: member, limit: limit, spent: monthSpend.spent(by: member, at: time), held: held)
    }

    /// R40: every limited person's standing at `time`, by name.
    public func limitStandings(at time: Timestamp) -> [MemberLimitStanding] {
        memberLimits.keys.sorted().compactMap { limitStanding(of: $0, at: time) }
    }

    /// R40: every limited person's standing with the month's spend read from the history
    /// (`MemberSpendTally(monthOf:)`), right for a read as of any time, past months included.
    public func limitStandings(spent: [MemberSpend]) -> [MemberLimitStanding] {
        let byMember = Dictionary(spent.map { ($0.member, $0.credits) }, uniquingKeysWith: +)
        return memberLimits.keys.sorted().map { member in
            let held = holds.values.reduce(0) { $0 + ($1.actor == member ? $1.credits : 0) }
            return MemberLimitStanding(member: member, limit: memberLimits[member] ?? 0, spent: byMember[member] ?? 0, held: held)
        }
    }
}

extension Engine {
    /// R40: sets (or, with nil, lifts) a member's monthly limit by a `member_limit` record; the
    /// same limit again is already so. The person must be the workspace's owner or a member.
    static func memberLimit(_ member: String, credits: Credits?, in wsID: String, _ given: Given,
                            _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(member, field: "member name")
        guard let ws = given.workspace, ws.isOwnerOrMember(member) else { throw .notAMember(workspace: wsID, person: member) }
        if let credits, credits < 0 || credits > MemberLimitPolicy.creditsMax {
            throw .invalidAmount("a monthly limit is 0 to \(CountText.credits(MemberLimitPolicy.creditsMax))")
        }
        guard ws.memberLimits[member] != credits else {
            let text = credits.map { "\(member)'s monthly limit in \(wsID) is \(CountText.credits($0))" }
                ?? "\(member) has no monthly limit in \(wsID)"
            return .alreadyRecorded(.alreadyInState(text))
        }
        var entry = b.entry(.memberLimit, workspace: wsID)
        entry.member = member
        entry.limit = credits
        b.append(entry)
        return .append(b.entries)
    }
}

extension EntryBuilder {
    /// R8, R35, R40: refuses a charge, clone or hold of `cost` by the command's actor that the
    /// pool's available balance or their monthly limit cannot cover; when both bind, one refusal
    /// names both shortfalls (`memberLimitAndCredits`), since a top-up cures only the pool's.
    func requireCreditsAndLimit(_ cost: Credits, for action: String, in workspaceID: String) throws(Rejection) {
        var pool: Rejection?
        do { try requireCredits(cost, for: action, in: workspaceID) } catch { pool = error }
        do { try requireMemberLimit(cost, for: action, in: workspaceID) } catch {
            guard case let .memberLimitReached(member, ws, left, limit, _, _) = error, let pool else { throw error }
            let short = pool.poolShortfall
            throw .memberLimitAndCredits(member: member, workspace: ws, left: left, limit: limit, action: action, cost: cost,
                                         available: short?.available ?? 0, held: short?.held ?? 0,
                                         shortfall: short?.shortfall ?? cost, suggestion: short?.suggestion)
        }
        if let pool { throw pool }
    }

    /// R40: refuses a charge, clone or hold of `cost` by the command's actor beyond what is left
    /// of their monthly limit in the workspace (no limit: nothing to refuse).
    func requireMemberLimit(_ cost: Credits, for action: String, in workspaceID: String) throws(Rejection) {
        guard let ws = state.workspaces[workspaceID], !ws.memberLimits.isEmpty,
              let standing = ws.limitStanding(of: context.actor, at: context.time), cost > standing.left else { return }
        throw .memberLimitReached(member: context.actor, workspace: workspaceID, left: standing.left, limit: standing.limit,
                                  action: action, cost: cost)
    }
}
