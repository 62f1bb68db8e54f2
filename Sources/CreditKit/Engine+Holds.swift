/// R35's limits: how long a hold lasts when no time to live is given, and at most.
public enum HoldPolicy {
    /// A hold with no `--ttl` releases itself after an hour.
    public static let ttlSecondsDefault: Int64 = 3_600
    /// No hold lasts more than a day: a job that runs longer holds again.
    public static let ttlSecondsMax: Int64 = 86_400
    /// The reason a hold released by its time to live carries.
    public static let expiredReason = "hold expired"
    /// The reason a hold released because expired credits no longer cover it carries.
    public static let uncoveredReason = "credits no longer cover the hold"
}

/// R35: which holds a balance no longer covers, after credits expired under them.
public enum HoldRelease {
    /// The seqs of the newest holds to release until what stays held fits in `balance`.
    public static func uncovered(_ holds: [(seq: Int64, credits: Credits)], balance: Credits) -> Set<Int64> {
        var held = holds.reduce(0) { $0 + $1.credits }
        var released = Set<Int64>()
        for hold in holds.sorted(by: { $0.seq > $1.seq }) where held > balance {
            held -= hold.credits
            released.insert(hold.seq)
        }
        return released
    }
}

/// The deciders of holds (R35) and voids (R36).
extension Engine {
    /// R35: reserves a job action's cost against the available balance until the job is charged
    /// (capture), fails (release) or outlives `ttlSeconds` (released by an entry). Once per job.
    static func hold(_ job: String, action actionID: String, ttlSeconds: Int64?, in wsID: String,
                     _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(job, field: "job id")
        guard let action = given.catalog.action(actionID) else { throw .unknownAction(actionID) }
        guard action.kind == .job else { throw .notAJobAction(actionID) }
        let ttl = ttlSeconds ?? HoldPolicy.ttlSecondsDefault
        guard ttl >= 1 && ttl <= HoldPolicy.ttlSecondsMax else { throw .invalidHoldTTL(seconds: ttl) }
        if let record = given.workspace?.jobs[job] { throw .jobAlreadyCharged(job: job, seq: record.chargeSeq) }
        if let open = given.workspace?.holds[job], !open.isExpired(by: b.context.time) {
            guard open.action == action.id else { throw .holdActionMismatch(job: job, held: open.action, asked: action.id, seq: open.seq) }
            return .alreadyRecorded(.jobAlreadyHeld(job: job, seq: open.seq))
        }
        try b.expireDueCredits(wsID)
        try b.requireCreditsAndLimit(action.credits, for: action.id, in: wsID)
        var entry = b.entry(.hold, workspace: wsID)
        entry.held = action.credits
        entry.action = action.id
        entry.job = job
        entry.expires = Timestamp(secondsSinceEpoch: b.context.time.secondsSinceEpoch + ttl)
        b.appendCredit(entry)
        return .append(b.entries)
    }

    /// R35: the charge that captures a job's open hold, or nil when the job holds nothing.
    static func capture(_ job: String, action: Catalog.Action, in wsID: String, _ b: inout EntryBuilder) throws(Rejection) -> Decision? {
        guard let open = b.state.workspaces[wsID]?.holds[job] else { return nil }
        guard open.action == action.id else { throw .holdActionMismatch(job: job, held: open.action, asked: action.id, seq: open.seq) }
        var entry = b.entry(.charge, workspace: wsID)
        entry.credits = -open.credits
        entry.action = action.id
        entry.job = job
        entry.ref = open.seq
        b.appendCredit(entry)
        return .append(b.entries)
    }

    /// R35: `job-failed` for a held job that was never charged: its hold is released by an entry.
    static func releaseFailed(_ job: String, in wsID: String, _ b: inout EntryBuilder) throws(Rejection) -> Decision? {
        try b.expireDueCredits(wsID)
        guard let open = b.state.workspaces[wsID]?.holds[job] else {
            return b.entries.isEmpty ? nil : .append(b.entries)
        }
        b.appendRelease(job: job, open, in: wsID, reason: nil)
        return .append(b.entries)
    }

    /// R36: support removes what is left of one grant (burn order S3 decided what was spent) by a
    /// void entry pointing at it; once per grant; never into credits that holds reserve, nor of a
    /// grant a reversal took back already (R34), the grant itself or the one a rollover came from (R41).
    static func void(_ seq: Int64, reason: String, in wsID: String, facts: ReversalFacts?, _ given: Given,
                     _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireLine(reason, field: "reason")
        if let by = given.workspace?.voided[seq] { throw .alreadyVoided(seq: seq, by: by) }
        if let facts, facts.original?.workspace == wsID, let taken = facts.reversal(taking: seq) {
            throw .grantReversed(seq: seq, grant: taken.grant, by: taken.by)
        }
        try b.expireDueCredits(wsID)
        guard let ws = b.state.workspaces[wsID],
              let bucket = ws.buckets.first(where: { $0.seq == seq && $0.source != .paid && $0.remaining > 0 }) else {
            throw .nothingToVoid(workspace: wsID, seq: seq)
        }
        guard bucket.remaining <= ws.available else {
            throw .voidUncoversHolds(seq: seq, remaining: bucket.remaining, available: ws.available)
        }
        var entry = b.entry(.void, workspace: wsID)
        entry.credits = -bucket.remaining
        entry.ref = seq
        entry.reason = reason
        b.appendCredit(entry)
        return .append(b.entries)
    }
}

extension EntryBuilder {
    /// R35: holds past their time to live, then the newest holds the balance no longer covers
    /// (credits expired under them), each released by an entry of `system`; never silently.
    mutating func releaseDueHolds(_ workspaceID: String, asOf time: Timestamp) {
        guard let ws = state.workspaces[workspaceID], !ws.holds.isEmpty else { return }
        for (job, open) in ws.holdsExpired(by: time) {
            appendRelease(job: job, open, in: workspaceID, reason: HoldPolicy.expiredReason)
        }
        guard let left = state.workspaces[workspaceID], left.held > left.balance else { return }
        let uncovered = HoldRelease.uncovered(left.holds.values.map { ($0.seq, $0.credits) }, balance: left.balance)
        for (job, open) in left.holds.sorted(by: { $0.value.seq < $1.value.seq }) where uncovered.contains(open.seq) {
            appendRelease(job: job, open, in: workspaceID, reason: HoldPolicy.uncoveredReason)
        }
    }

    /// Appends the release of `open` (job `job`): by `system` with a reason, or by the actor.
    mutating func appendRelease(job: String, _ open: HoldRecord, in workspaceID: String, reason: String?) {
        var entry = self.entry(.release, workspace: workspaceID)
        if reason != nil { entry.actor = "system" }
        entry.held = open.credits
        entry.action = open.action
        entry.job = job
        entry.ref = open.seq
        entry.expires = open.expires
        entry.reason = reason
        appendCredit(entry)
    }
}
