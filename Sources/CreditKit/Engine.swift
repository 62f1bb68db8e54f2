/// The credit rules: decides a command against a state. Pure: the same state, command and
/// context always give the same decision.
public enum Engine {
    /// The largest credit amount one adjustment or grant may move.
    public static let adjustmentMax: Credits = 100_000_000
    /// The most Copilot messages one command may record.
    public static let copilotMessagesMax: Int64 = 1_000_000

    /// Decides `command` for `context.actor` at `context.time`: the entries to append (with the
    /// expiry and alert records they cause), an idempotent repeat, or a rejection.
    public static func decide(_ command: Command, in state: LedgerState, context: CommandContext,
                              reversal: ReversalFacts? = nil) -> Result<Decision, Rejection> {
        recordable(decideGeneral(command, in: state, context: context, reversal: reversal))
    }

    /// `decide`, for a writer that holds the only copy of the state: a plain job charge is read
    /// in place, workspace included, without copying anything (`decideCharge`). The state is
    /// only read; the decision is the one `decide` gives.
    public static func decide(_ command: Command, inPlace state: inout LedgerState, context: CommandContext,
                              reversal: ReversalFacts? = nil) -> Result<Decision, Rejection> {
        let context = context.caughtUp(to: state.lastTime)
        if let decided = decideCharge(command, in: &state, context: context) { return recordable(decided) }
        return recordable(decideGeneral(command, in: state, context: context, reversal: reversal))
    }

    /// `decided`, or a refusal when one of its entries carries a time the journal cannot hold
    /// (`Timestamp.isRecordable`): a record that could not be read back is never made.
    static func recordable(_ decided: Result<Decision, Rejection>) -> Result<Decision, Rejection> {
        guard case .success(.append(let entries)) = decided else { return decided }
        for entry in entries {
            if !entry.time.isRecordable { return .failure(.timeNotRecordable(field: "time", time: entry.time)) }
            if let expires = entry.expires, !expires.isRecordable {
                return .failure(.timeNotRecordable(field: "expires", time: expires))
            }
        }
        return decided
    }

    /// Decides any command on a scratch copy of what it can change (`EntryBuilder`).
    static func decideGeneral(_ command: Command, in state: LedgerState, context given: CommandContext,
                              reversal: ReversalFacts? = nil) -> Result<Decision, Rejection> {
        let context = given.caughtUp(to: state.lastTime)
        // R27: record times never go backwards, except by the recorded step that puts the clock back.
        if let last = state.lastTime, context.time < last, !command.resetsClock {
            return .failure(.clockBehind(requested: context.time, last: last))
        }
        var builder = EntryBuilder(state: state, context: context, workspace: command.workspace, keepingJob: {
            if case .jobFailed(_, let job) = command { return job } else { return nil }
        }())
        do {
            let decision = try decideChecked(command, in: state, builder: &builder, reversal: reversal)
            return .success(decision)
        } catch {
            return .failure(error)
        }
    }

    /// Finds the command's workspace, checks who may act (R18), then hands the command to its decider.
    private static func decideChecked(_ command: Command, in state: LedgerState, builder b: inout EntryBuilder,
                                      reversal: ReversalFacts?) throws(Rejection) -> Decision {
        let workspace = try command.workspace.map { id throws(Rejection) -> WorkspaceState in
            guard let ws = state.workspaces[id] else { throw .unknownWorkspace(id) }
            return ws
        }
        try authorizeActingFor(b.context, state: state)
        try authorize(command, actor: b.context.actor, workspace: workspace, state: state)
        let given = Given(state: state, workspace: workspace)
        let decision = try decideCommand(command, given, &b, reversal: reversal)
        // R37: every write to a workspace ends by asking for a top-up when its rule says so.
        guard case .append = decision else { return decision }
        b.settleAlert()
        if let wsID = command.workspace { b.requestTopUpIfDue(wsID) }
        return .append(b.entries)
    }

    /// Hands the command to its decider.
    private static func decideCommand(_ command: Command, _ given: Given, _ b: inout EntryBuilder,
                                      reversal: ReversalFacts?) throws(Rejection) -> Decision {
        switch command {
        case let .addOperator(name, role): return try addOperator(name, role: role, given, &b)
        case let .createWorkspace(id, name, owner, plan, trial):
            return try createWorkspace(id, name: name, owner: owner, plan: plan, trial: trial, given, &b)
        case let .addMember(wsID, member): return try addMember(member, to: wsID, given, &b)
        case let .removeMember(wsID, member, reason): return try removeMember(member, from: wsID, reason: reason, given, &b)
        case let .removeOperator(name, reason): return try removeOperator(name, reason: reason, given, &b)
        case let .charge(wsID, actionID, job): return try charge(job, action: actionID, in: wsID, given, &b)
        case let .jobFailed(wsID, job): return try jobFailed(job, in: wsID, given, &b)
        case let .clone(wsID, itemKind, item): return try clone(item, kind: itemKind, in: wsID, given, &b)
        case let .topUp(wsID, packID, payment): return try topUp(packID, payment: payment, in: wsID, given, &b)
        case let .invoicePaid(wsID, invoice): return try invoicePaid(invoice, in: wsID, given, &b)
        case let .changePlan(wsID, planID): return try changePlan(to: planID, in: wsID, given, &b)
        case let .startTrial(wsID): return setStatus(.trial, of: wsID, given, &b)
        case let .endTrial(wsID): return setStatus(.active, of: wsID, given, &b)
        case let .cancel(wsID): return cancel(wsID, given, &b)
        case let .copilot(wsID, messages): return try copilot(messages, in: wsID, given, &b)
        case let .adjust(wsID, amount, reason, request): return try adjust(amount, reason: reason, request: request, in: wsID, given, &b)
        case let .reverse(wsID, seq, reason):
            if let done = try decideReversal(wsID, seq: seq, reason: reason, facts: reversal, builder: &b) { return done }
            return .append(b.entries)
        case let .grant(wsID, amount, source, reason, expires, request):
            return try grant(amount, source: source, reason: reason, expires: expires, request: request, in: wsID, given, &b)
        case let .resetClock(reason): return try resetClock(reason: reason, given, &b)
        case let .hold(wsID, actionID, job, ttl): return try hold(job, action: actionID, ttlSeconds: ttl, in: wsID, given, &b)
        case let .void(wsID, seq, reason): return try void(seq, reason: reason, in: wsID, facts: reversal, given, &b)
        case let .setAutoTopUp(wsID, rule): return try setAutoTopUp(rule, in: wsID, given, &b)
        case let .autoTopUpOff(wsID): return try autoTopUpOff(in: wsID, given, &b)
        case let .resumeAutoTopUp(wsID): return try resumeAutoTopUp(in: wsID, given, &b)
        case let .topUpDeclined(wsID, request, reason): return try topUpDeclined(request, reason: reason, in: wsID, given, &b)
        case let .memberLimit(wsID, member, credits): return try memberLimit(member, credits: credits, in: wsID, given, &b)
        }
    }

    /// What every decider reads besides its command: the full state (the idempotency keys and
    /// the catalog live there, not in the builder's scratch copy) and the command's workspace as
    /// it stood (nil for a command on the whole ledger).
    struct Given {
        let state: LedgerState
        let workspace: WorkspaceState?
        var catalog: Catalog { state.catalog }
    }

    /// R26: the key and the entry that first recorded it, when an idempotency key was seen
    /// before in the workspace; refuses a key that is not a valid id. Nil without a key.
    static func repeatedKey(_ key: String?, field: String, in seen: [String: Int64]?) throws(Rejection) -> (key: String, seq: Int64)? {
        guard let key else { return nil }
        guard FreeText.isValidToken(key) else { throw .invalidToken(field: field) }
        return seen?[key].map { (key, $0) }
    }

    /// R18: refuses anyone whose role does not allow the command; nothing is written.
    static func authorize(_ command: Command, actor: String, workspace: WorkspaceState?, state: LedgerState) throws(Rejection) {
        try Permissions.check(command.actionKind, by: state.person(actor), in: workspace.map(WorkspacePeople.init))
    }

    /// R18: only a support agent acts on someone else's behalf (`by`, from `--as` on PostgreSQL).
    static func authorizeActingFor(_ context: CommandContext, state: LedgerState) throws(Rejection) {
        guard let by = context.by, state.operators[by] != .support else { return }
        throw .actingForOthersNotPermitted(by: by, actor: context.actor)
    }

    /// The entries a write at `time` would add to a workspace before anything else (S3): due
    /// expiries, the alerts they fire and expiry warnings; the step `bringUp` takes.
    /// `alertsOnEachEntry` replays an older version's commit (R24, `CommandContext`).
    public static func pendingExpiries(of workspaceID: String, in state: LedgerState, at time: Timestamp,
                                       alertsOnEachEntry: Bool = false) -> [Entry] {
        var context = CommandContext(actor: "system", time: max(time, state.lastTime ?? time))
        context.alertsOnEachEntry = alertsOnEachEntry
        var builder = EntryBuilder(state: state, context: context, workspace: workspaceID)
        try? builder.expireDueCredits(workspaceID, asOf: time)
        builder.settleAlert()
        return builder.entries
    }

    /// The workspace as it stands at `time`, with due expiries folded in (for reads): `bringUp`.
    public static func stateAt(_ time: Timestamp, of workspaceID: String, in state: LedgerState) -> WorkspaceState? {
        bringUp(workspaceID, in: state, to: time)?.workspace
    }
}

/// Builds the entries of one decision on a scratch copy of the state, so later entries see the
/// balance earlier ones left, and alerts fire where the balance crosses a threshold (R24).
struct EntryBuilder {
    /// A scratch state holding only what one command can change: its workspace, the operators,
    /// and the sequence, so deciding never copies the whole ledger.
    var state: LedgerState
    let context: CommandContext
    var entries: [Entry] = []
    /// R24: the workspace whose credit entries this commit is writing and the last of them; its
    /// alert is judged once the commit moves on to anything else, on the balance it then has.
    var alertPending: (workspace: String, cause: Entry)?

    /// The scratch copy leaves out the workspace's idempotency keys and this month's charges (the
    /// rules read them from the full state), so a decision costs the same in a workspace with a
    /// million jobs; only the job a refund answers, and who ran its charge, are kept, since
    /// folding the refund needs them.
    init(state full: LedgerState, context: CommandContext, workspace: String?, keepingJob job: String? = nil) {
        var scratch = LedgerState(catalog: full.catalog)
        scratch.operators = full.operators
        scratch.lastSeq = full.lastSeq
        scratch.lastTime = full.lastTime
        scratch.lastHash = full.lastHash
        if let workspace, var ws = full.workspaces[workspace] {
            let kept = job.flatMap { ws.jobs[$0] }
            // R5, S3: only the parcels the refunded charge burned, so a refund gives them back.
            let keptBurn = kept.flatMap { record in ws.burns[record.chargeSeq].map { (record.chargeSeq, $0) } }
            ws.burns = [:]
            if let (seq, burned) = keptBurn { ws.burns[seq] = burned }
            let keptCharge = kept.flatMap { record in ws.monthSpend.charges[record.chargeSeq].map { (record.chargeSeq, $0) } }
            ws.jobs = [:]
            ws.owned = [:]
            ws.invoices = [:]
            ws.payments = [:]
            ws.requests = [:]
            ws.monthSpend.charges = [:]
            if let job, let kept { ws.jobs[job] = kept }
            // R40: who ran the charge a refund answers, so the refund gives back to them.
            if let (seq, actor) = keptCharge { ws.monthSpend.charges[seq] = actor }
            scratch.workspaces[workspace] = ws
        }
        self.state = scratch
        self.context = context
    }

    /// A new entry numbered after everything decided so far. Anything but another credit entry
    /// of the same workspace first settles the alert its credit entries fire (R24).
    mutating func entry(_ kind: EntryKind, workspace: String?) -> Entry {
        if kind == .alert || !kind.movesCredits || workspace != alertPending?.workspace { settleAlert() }
        return Entry(seq: state.lastSeq + 1, time: context.time, kind: kind, actor: context.actor, workspace: workspace)
    }

    /// Appends a record that moves no credits; one made in the command's actor's name carries
    /// the role that acted for it (`by`), if any.
    mutating func append(_ draft: Entry) {
        var entry = draft
        if entry.actor == context.actor { entry.by = context.by }
        // Records that move no credits cannot break the fold; a failure here is a bug in the rules.
        do { try state.apply(entry) } catch { preconditionFailure("rules produced an unfoldable record: \(error)") }
        entries.append(entry)
    }

    /// Appends a credit entry with the balance after it; the alert the commit's credit entries
    /// fire (R24) follows them, judged on the balance they leave (`settleAlert`).
    mutating func appendCredit(_ draft: Entry) {
        guard let id = draft.workspace, let before = state.workspaces[id] else { preconditionFailure("credit entry without a workspace") }
        var entry = draft
        entry.balance = before.balance + draft.credits
        append(entry)
        // The entry that leaves the balance is the alert's cause; a hold or release leaves it as it was.
        if alertPending?.workspace != id || entry.credits != 0 { alertPending = (id, entry) }
        if context.alertsOnEachEntry { settleAlert() }
    }

    /// R24: appends the alert the pending credit entries fire on the balance they leave, after
    /// them and pointing at the last that moved it; by the command's actor, even when an expiry
    /// (by "system") fired it. Called before anything else is drafted and when the commit ends.
    mutating func settleAlert() {
        guard let (id, cause) = alertPending else { return }
        alertPending = nil
        guard let ws = state.workspaces[id],
              let kind = ws.alerts.firing(atBalance: ws.balance, lowAtOrBelow: state.catalog.alerts.lowAtOrBelow) else { return }
        var alert = Entry.alert(kind, after: cause, actor: context.actor)
        alert.seq = state.lastSeq + 1
        alert.balance = ws.balance
        append(alert)
    }

    /// Refuses an action whose cost exceeds the available balance (R8, R35: the balance less
    /// what holds reserve), naming the smallest covering pack.
    func requireCredits(_ cost: Credits, for action: String, in workspaceID: String) throws(Rejection) {
        let ws = state.workspaces[workspaceID]
        let balance = ws?.balance ?? 0, held = ws?.held ?? 0
        guard cost > balance - held else { return }
        let shortfall = cost - (balance - held)
        let suggestion = BudgetPlanner.smallestCovering(shortfall, catalog: state.catalog)
        guard held > 0 else {
            throw .insufficientCredits(action: action, cost: cost, balance: balance, shortfall: shortfall, suggestion: suggestion)
        }
        throw .insufficientAvailable(action: action, cost: cost, available: balance - held, held: held, shortfall: shortfall,
                                     suggestion: suggestion)
    }

    /// S3: expired credits leave by an expiry entry before anything else happens. This is the
    /// step that brings a workspace up to a time, for writes and reads alike (`Engine.bringUp`):
    /// what is due by `asOf` (default: the command's time) expires, dated at the command's time.
    mutating func expireDueCredits(_ workspaceID: String, asOf time: Timestamp? = nil) throws(Rejection) {
        guard let ws = state.workspaces[workspaceID] else { return }
        for bucket in ws.bucketsExpired(by: time ?? context.time) { appendExpiry(of: bucket, in: workspaceID) }
        releaseDueHolds(workspaceID, asOf: time ?? context.time)
        warnOfComingExpiry(workspaceID)
    }

    /// S3: a warning before a grant expires, once per grant, inside the catalog's window.
    private mutating func warnOfComingExpiry(_ workspaceID: String) {
        guard let warnDays = state.catalog.expiry?.warnDays, let ws = state.workspaces[workspaceID] else { return }
        let horizon = context.time.adding(days: warnDays)
        for bucket in ws.buckets.sorted(by: GrantBucket.burnOrder) where !bucket.warned && bucket.remaining > 0 {
            guard let expires = bucket.expires, expires > context.time, expires <= horizon else { continue }
            var alert = entry(.alert, workspace: workspaceID)
            alert.actor = "system"
            alert.alert = .expiring
            alert.ref = bucket.seq
            alert.balance = ws.balance
            alert.expires = expires
            append(alert)
        }
    }

    /// S3: plan credits of a grant before the last renewal leave at once, as they did at that
    /// renewal (a refund gave them back, R5). Such a grant's expiry date is before the last one's.
    mutating func expireRenewedPlanCredits(_ workspaceID: String) {
        guard let policy = state.catalog.expiry, policy.planCreditsExpireAtRenewal, let days = policy.planCreditsValidDays,
              let renewed = state.workspaces[workspaceID]?.lastGrant else { return }
        let current = renewed.adding(days: days)
        expireBuckets(in: workspaceID) { $0.source == .plan && ($0.expires.map { $0 < current } ?? false) }
    }

    /// Expires every bucket of a workspace that matches (plan credits at renewal, S3).
    mutating func expireBuckets(in workspaceID: String, where matches: (GrantBucket) -> Bool) {
        guard let ws = state.workspaces[workspaceID] else { return }
        for bucket in ws.buckets.sorted(by: GrantBucket.burnOrder) where matches(bucket) && bucket.remaining > 0 {
            appendExpiry(of: bucket, in: workspaceID)
        }
    }

    private mutating func appendExpiry(of bucket: GrantBucket, in workspaceID: String) {
        var entry = self.entry(.expiry, workspace: workspaceID)
        entry.actor = "system"
        entry.credits = -bucket.remaining
        entry.ref = bucket.seq
        entry.expires = bucket.expires
        appendCredit(entry)
    }

}
