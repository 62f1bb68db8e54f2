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
        decideGeneral(command, in: state, context: context, reversal: reversal)
    }

    /// `decide`, for a writer that holds the only copy of the state: a plain job charge is read
    /// in place, workspace included, without copying anything (`decideCharge`). The state is
    /// only read; the decision is the one `decide` gives.
    public static func decide(_ command: Command, inPlace state: inout LedgerState, context: CommandContext,
                              reversal: ReversalFacts? = nil) -> Result<Decision, Rejection> {
        let context = context.caughtUp(to: state.lastTime)
        if let decided = decideCharge(command, in: &state, context: context) { return decided }
        return decideGeneral(command, in: state, context: context, reversal: reversal)
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

    private static func decideChecked(_ command: Command, in state: LedgerState, builder b: inout EntryBuilder,
                                      reversal: ReversalFacts?) throws(Rejection) -> Decision {
        let workspace = try command.workspace.map { id throws(Rejection) -> WorkspaceState in
            guard let ws = state.workspaces[id] else { throw .unknownWorkspace(id) }
            return ws
        }
        try authorize(command, actor: b.context.actor, workspace: workspace, state: state)
        switch command {
        case let .addOperator(name, role):
            guard b.context.admitsOlderText || FreeText.isValidToken(name) else { throw .invalidText(field: "operator name") }
            guard state.operators[name] != role else { throw .alreadyOperator(name) }
            var entry = b.entry(.operator, workspace: nil)
            entry.name = name
            entry.role = role.rawValue
            b.append(entry)
        case let .createWorkspace(id, name, owner, plan, trial):
            guard Identifier.isValid(id) else { throw .invalidIdentifier(field: "workspace id", value: id) }
            guard state.workspaces[id] == nil else { throw .workspaceExists(id) }
            guard b.context.admitsOlderText || FreeText.isValidLine(name, lengthMax: 200) else { throw .invalidText(field: "workspace name") }
            guard b.context.admitsOlderText || FreeText.isValidToken(owner) else { throw .invalidText(field: "owner") }
            guard b.context.admitsOlderText || MailAddress.isValid(owner) else { throw .invalidAddress(field: "owner", value: owner) }
            guard state.catalog.plan(plan) != nil else { throw .unknownPlan(plan) }
            var entry = b.entry(.workspace, workspace: id)
            entry.name = name
            entry.owner = owner
            entry.plan = plan
            entry.status = trial ? .trial : .active
            b.append(entry)
        case let .addMember(wsID, member):
            guard b.context.admitsOlderText || FreeText.isValidToken(member) else { throw .invalidText(field: "member name") }
            guard let ws = workspace, !ws.isOwnerOrMember(member) else { throw .alreadyMember(workspace: wsID, person: member) }
            var entry = b.entry(.member, workspace: wsID)
            entry.member = member
            b.append(entry)
        case let .charge(wsID, actionID, job):
            guard b.context.admitsOlderText || FreeText.isValidToken(job) else { throw .invalidText(field: "job id") }
            guard let action = state.catalog.action(actionID) else { throw .unknownAction(actionID) }
            guard action.kind == .job else { throw .notAJobAction(actionID) }
            if let record = workspace?.jobs[job] {
                return .alreadyRecorded(.jobAlreadyCharged(job: job, seq: record.chargeSeq))
            }
            try b.expireDueCredits(wsID)
            try b.requireCredits(action.credits, for: action.id, in: wsID)
            var entry = b.entry(.charge, workspace: wsID)
            entry.credits = -action.credits
            entry.action = action.id
            entry.job = job
            b.appendCredit(entry)
        case let .jobFailed(wsID, job):
            guard b.context.admitsOlderText || FreeText.isValidToken(job) else { throw .invalidText(field: "job id") }
            guard let record = workspace?.jobs[job] else {
                return .nothingToRecord("job \(job) was never charged, so it cost nothing (R4)")
            }
            if let refundSeq = record.refundSeq {
                return .alreadyRecorded(.jobAlreadyRefunded(job: job, seq: refundSeq))
            }
            try b.expireDueCredits(wsID)
            var entry = b.entry(.refund, workspace: wsID)
            entry.credits = record.credits
            entry.action = record.action
            entry.job = job
            entry.ref = record.chargeSeq
            b.appendCredit(entry)
        case let .clone(wsID, itemKind, item):
            guard b.context.admitsOlderText || FreeText.isValidToken(item) else { throw .invalidText(field: "item id") }
            guard let action = state.catalog.cloneAction(for: itemKind) else { throw .unknownCloneKind(itemKind) }
            if let seq = workspace?.owned[WorkspaceState.ownedKey(kind: itemKind, item: item)] {
                return .alreadyRecorded(.itemAlreadyOwned(kind: itemKind, item: item, seq: seq))
            }
            try b.expireDueCredits(wsID)
            try b.requireCredits(action.credits, for: action.id, in: wsID)
            var entry = b.entry(.charge, workspace: wsID)
            entry.credits = -action.credits
            entry.action = action.id
            entry.item = item
            b.appendCredit(entry)
        case let .topUp(wsID, packID, payment):
            guard let pack = state.catalog.pack(packID) else { throw .unknownPack(packID) }
            if let repeated = try repeatedKey(payment, field: "payment id", in: workspace?.payments) {
                return .alreadyRecorded(.paymentAlreadyRecorded(payment: repeated.key, seq: repeated.seq))
            }
            try b.expireDueCredits(wsID)
            var entry = b.entry(.topup, workspace: wsID)
            entry.credits = pack.credits
            entry.pack = pack.id
            entry.priceCents = pack.priceCents
            entry.expires = state.catalog.expiry?.packValidDays.map { b.context.time.adding(days: $0) }
            if let ws = workspace, ws.owner != b.context.actor { entry.onBehalfOf = ws.owner }
            entry.payment = payment
            b.appendCredit(entry)
        case let .invoicePaid(wsID, invoice):
            guard b.context.admitsOlderText || FreeText.isValidToken(invoice) else { throw .invalidText(field: "invoice id") }
            guard let ws = workspace else { throw .unknownWorkspace(wsID) }
            if let seq = ws.invoices[invoice] {
                return .alreadyRecorded(.invoiceAlreadyGranted(invoice: invoice, seq: seq))
            }
            guard ws.status != .trial else { throw .noInvoiceDuringTrial(workspace: wsID) }
            guard ws.status != .cancelled else { throw .noActiveSubscription(workspace: wsID) }
            guard let plan = state.catalog.plan(ws.plan) else { throw .unknownPlan(ws.plan) }
            try b.expireDueCredits(wsID)
            if state.catalog.expiry?.planCreditsExpireAtRenewal == true {
                b.expireBuckets(in: wsID) { $0.source == .plan }
            }
            var entry = b.entry(.grant, workspace: wsID)
            entry.credits = plan.monthlyGrant
            entry.invoice = invoice
            entry.plan = plan.id
            entry.source = .plan
            if let policy = state.catalog.expiry, policy.planCreditsExpireAtRenewal, plan.monthlyGrant > 0 {
                entry.expires = policy.planCreditsValidDays.map { b.context.time.adding(days: $0) }
            }
            b.appendCredit(entry)
        case let .changePlan(wsID, planID):
            guard state.catalog.plan(planID) != nil else { throw .unknownPlan(planID) }
            guard let ws = workspace, ws.plan != planID || ws.status == .cancelled else {
                return .alreadyRecorded(.alreadyInState("workspace \(wsID) is on plan \(planID)"))
            }
            var entry = b.entry(.plan, workspace: wsID)
            entry.plan = planID
            b.append(entry)
        case let .startTrial(wsID), let .endTrial(wsID):
            let target: WorkspaceStatus = { if case .startTrial = command { return .trial } else { return .active } }()
            guard workspace?.status != target else {
                return .alreadyRecorded(.alreadyInState("workspace \(wsID) is \(target.rawValue)"))
            }
            var entry = b.entry(.trial, workspace: wsID)
            entry.status = target
            b.append(entry)
        case let .cancel(wsID):
            guard workspace?.status != .cancelled else {
                return .alreadyRecorded(.alreadyInState("workspace \(wsID) is cancelled"))
            }
            var entry = b.entry(.cancel, workspace: wsID)
            entry.status = .cancelled
            b.append(entry)
        case let .copilot(wsID, messages):
            guard messages > 0 && messages <= copilotMessagesMax else {
                throw .invalidAmount("Copilot messages must be between 1 and \(copilotMessagesMax)")
            }
            guard let ws = workspace, let plan = state.catalog.plan(ws.plan) else { throw .unknownWorkspace(wsID) }
            guard ws.copilotUsed + messages <= plan.copilotMessages else {
                throw .copilotAllowanceExceeded(used: ws.copilotUsed, allowance: plan.copilotMessages, requested: messages)
            }
            var entry = b.entry(.copilot, workspace: wsID)
            entry.messages = messages
            b.append(entry)
        case let .adjust(wsID, amount, reason, request):
            guard amount != 0 else { throw .invalidAmount("an adjustment of 0 changes nothing") }
            guard amount.magnitude <= adjustmentMax.magnitude else { throw .invalidAmount("at most \(AmountFormat.grouped(adjustmentMax)) credits at once") }
            guard b.context.admitsOlderText || FreeText.isValidLine(reason) else { throw .invalidText(field: "reason") }
            if let repeated = try repeatedKey(request, field: "request id", in: workspace?.requests) {
                return .alreadyRecorded(.requestAlreadyRecorded(request: repeated.key, seq: repeated.seq))
            }
            try b.expireDueCredits(wsID)
            if amount < 0 { try b.requireCredits(-amount, for: "adjustment", in: wsID) }
            var entry = b.entry(.adjustment, workspace: wsID)
            entry.credits = amount
            entry.reason = reason
            entry.request = request
            b.appendCredit(entry)
        case let .reverse(wsID, seq, reason):
            if let done = try decideReversal(wsID, seq: seq, reason: reason, facts: reversal, builder: &b) { return done }
        case let .grant(wsID, amount, source, reason, expires, request):
            guard amount > 0 && amount <= adjustmentMax else { throw .invalidAmount("a grant must be between 1 and \(AmountFormat.grouped(adjustmentMax)) credits") }
            guard source != .plan else { throw .invalidAmount("plan credits are granted by a paid invoice") }
            guard b.context.admitsOlderText || FreeText.isValidLine(reason) else { throw .invalidText(field: "reason") }
            if let expires, expires <= b.context.time { throw .invalidAmount("the expiry date \(expires) has already passed") }
            if let repeated = try repeatedKey(request, field: "request id", in: workspace?.requests) {
                return .alreadyRecorded(.requestAlreadyRecorded(request: repeated.key, seq: repeated.seq))
            }
            try b.expireDueCredits(wsID)
            var entry = b.entry(.grant, workspace: wsID)
            entry.credits = amount
            entry.source = source
            entry.reason = reason
            entry.expires = expires
            entry.request = request
            b.appendCredit(entry)
        case let .resetClock(reason):
            guard b.context.admitsOlderText || FreeText.isValidLine(reason) else { throw .invalidText(field: "reason") }
            guard let last = state.lastTime, last > b.context.time else {
                return .nothingToRecord("the ledger's clock is not ahead of \(b.context.time): its last record is dated \(state.lastTime.map { "\($0)" } ?? "never"), so there is nothing to put back")
            }
            var entry = b.entry(.clockReset, workspace: nil)
            entry.reason = reason
            entry.ref = state.lastSeq
            b.append(entry)
        }
        return .append(b.entries)
    }

    /// R26: the key and the entry that first recorded it, when an idempotency key was seen
    /// before in the workspace; refuses a key that is not a valid id. Nil without a key.
    static func repeatedKey(_ key: String?, field: String, in seen: [String: Int64]?) throws(Rejection) -> (key: String, seq: Int64)? {
        guard let key else { return nil }
        guard FreeText.isValidToken(key) else { throw .invalidText(field: field) }
        return seen?[key].map { (key, $0) }
    }

    /// R18: refuses anyone whose role does not allow the command; nothing is written.
    static func authorize(_ command: Command, actor: String, workspace: WorkspaceState?, state: LedgerState) throws(Rejection) {
        try Permissions.check(command.actionKind, by: state.person(actor), in: workspace.map(WorkspacePeople.init))
    }

    /// The entries a write at `time` would add to a workspace before anything else (S3): due
    /// expiries, the alerts they fire and expiry warnings; the step `bringUp` takes.
    public static func pendingExpiries(of workspaceID: String, in state: LedgerState, at time: Timestamp) -> [Entry] {
        var builder = EntryBuilder(state: state, context: CommandContext(actor: "system", time: max(time, state.lastTime ?? time)),
                                   workspace: workspaceID)
        try? builder.expireDueCredits(workspaceID, asOf: time)
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

    /// The scratch copy leaves out the workspace's idempotency keys (the rules read them from the
    /// full state), so a decision costs the same in a workspace with a million jobs; only the job
    /// a refund answers is kept, since folding the refund needs it.
    init(state full: LedgerState, context: CommandContext, workspace: String?, keepingJob job: String? = nil) {
        var scratch = LedgerState(catalog: full.catalog)
        scratch.operators = full.operators
        scratch.lastSeq = full.lastSeq
        scratch.lastTime = full.lastTime
        scratch.lastHash = full.lastHash
        if let workspace, var ws = full.workspaces[workspace] {
            let kept = job.flatMap { ws.jobs[$0] }
            ws.jobs = [:]
            ws.owned = [:]
            ws.invoices = [:]
            ws.payments = [:]
            ws.requests = [:]
            if let job, let kept { ws.jobs[job] = kept }
            scratch.workspaces[workspace] = ws
        }
        self.state = scratch
        self.context = context
    }

    /// A new entry numbered after everything decided so far.
    func entry(_ kind: EntryKind, workspace: String?) -> Entry {
        Entry(seq: state.lastSeq + 1, time: context.time, kind: kind, actor: context.actor, workspace: workspace)
    }

    /// Appends a record that moves no credits.
    mutating func append(_ entry: Entry) {
        // Records that move no credits cannot break the fold; a failure here is a bug in the rules.
        do { try state.apply(entry) } catch { preconditionFailure("rules produced an unfoldable record: \(error)") }
        entries.append(entry)
    }

    /// Appends a credit entry with the balance after it, then any alert it fires (R24).
    mutating func appendCredit(_ draft: Entry) {
        guard let id = draft.workspace, let before = state.workspaces[id] else { preconditionFailure("credit entry without a workspace") }
        var entry = draft
        entry.balance = before.balance + draft.credits
        append(entry)
        guard let after = state.workspaces[id] else { return }
        let threshold = state.catalog.alerts.lowAtOrBelow
        if after.balance == 0 && before.alerts.emptyArmed {
            appendAlert(.empty, workspace: id, cause: entry)
        } else if after.balance <= threshold && before.alerts.lowArmed {
            appendAlert(.low, workspace: id, cause: entry)
        }
    }

    private mutating func appendAlert(_ kind: AlertKind, workspace: String, cause: Entry) {
        var alert = self.entry(.alert, workspace: workspace)
        alert.alert = kind
        alert.ref = cause.seq
        alert.balance = cause.balance
        append(alert)
    }

    /// Refuses an action whose cost exceeds the balance (R8), naming the smallest covering pack.
    func requireCredits(_ cost: Credits, for action: String, in workspaceID: String) throws(Rejection) {
        let balance = state.workspaces[workspaceID]?.balance ?? 0
        guard cost > balance else { return }
        let shortfall = cost - balance
        throw .insufficientCredits(action: action, cost: cost, balance: balance, shortfall: shortfall,
                                   suggestion: BudgetPlanner.smallestCovering(shortfall, catalog: state.catalog))
    }

    /// S3: expired credits leave by an expiry entry before anything else happens. This is the
    /// step that brings a workspace up to a time, for writes and reads alike (`Engine.bringUp`):
    /// what is due by `asOf` (default: the command's time) expires, dated at the command's time.
    mutating func expireDueCredits(_ workspaceID: String, asOf time: Timestamp? = nil) throws(Rejection) {
        guard let ws = state.workspaces[workspaceID] else { return }
        for bucket in ws.bucketsExpired(by: time ?? context.time) { appendExpiry(of: bucket, in: workspaceID) }
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
