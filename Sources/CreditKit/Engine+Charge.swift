extension Engine {
    /// A plain job charge decided straight from the state, with no scratch copy: the repeat
    /// (R6), the refusal (R8), or the charge and the alert it fires (R24). Imports decide
    /// millions of these. Nil whenever anything else could happen (a clock behind, an unknown
    /// workspace or action, a refused actor, a bad job id, credits due to expire or be warned
    /// of): someone not a support agent acting for another (`by`): the general path decides those. Either way the decision is the general path's.
    static func decideCharge(_ command: Command, in state: inout LedgerState, context: CommandContext) -> Result<Decision, Rejection>? {
        guard case let .charge(wsID, actionID, job) = command, let index = state.workspaces.index(forKey: wsID) else { return nil }
        if let by = context.by, state.operators[by] != .support { return nil }
        if let last = state.lastTime, context.time < last { return nil }
        guard let action = state.catalog.action(actionID), action.kind == .job else { return nil }
        // Read through an inout access: the workspace is neither copied nor changed.
        let person = state.person(context.actor)
        return decideCharge(job: job, action: action, by: person, in: &state.workspaces.values[index], seq: state.lastSeq + 1,
                            catalog: state.catalog, context: context)
    }

    /// `decideCharge` once the workspace and action are found.
    private static func decideCharge(job: String, action: Catalog.Action, by person: Person, in ws: inout WorkspaceState, seq: Int64,
                                     catalog: Catalog, context: CommandContext) -> Result<Decision, Rejection>? {
        guard Permissions.allows(.charge, by: person, in: WorkspacePeople(ws)), FreeText.isValidToken(job) else { return nil }
        if let record = ws.jobs[job] {
            return .success(.alreadyRecorded(.jobAlreadyCharged(job: job, seq: record.chargeSeq)))
        }
        guard !expiryMayAct(on: ws.buckets, in: catalog, at: context.time), ws.holds.isEmpty, ws.memberLimits.isEmpty else { return nil }
        // R37: a workspace with an auto top-up rule may need a request after the charge.
        guard ws.autoTopUp.rule == nil else { return nil }
        guard action.credits <= ws.balance else {
            let shortfall = action.credits - ws.balance
            return .failure(.insufficientCredits(action: action.id, cost: action.credits, balance: ws.balance, shortfall: shortfall,
                                                 suggestion: BudgetPlanner.smallestCovering(shortfall, catalog: catalog)))
        }
        var charge = Entry(seq: seq, time: context.time, kind: .charge, actor: context.actor, workspace: ws.id)
        charge.credits = -action.credits
        charge.action = action.id
        charge.job = job
        charge.balance = ws.balance - action.credits
        charge.by = context.by
        guard let kind = ws.alerts.firing(atBalance: ws.balance - action.credits, lowAtOrBelow: catalog.alerts.lowAtOrBelow) else {
            return .success(.append([charge]))
        }
        var alert = Entry.alert(kind, after: charge, actor: context.actor)
        alert.by = context.by
        return .success(.append([charge, alert]))
    }

    /// Whether deciding a command for a workspace with `buckets` at `time` could add an expiry
    /// or an expiry warning (S3).
    static func expiryMayAct(on buckets: [GrantBucket], in catalog: Catalog, at time: Timestamp) -> Bool {
        catalog.expiry?.warnDays != nil
            || buckets.contains { $0.remaining > 0 && ($0.expires.map { $0 <= time } ?? false) }
    }
}
