extension RuleReplay {
    /// Whether `record`, a commit of its own, is exactly the plain job charge the engine writes
    /// for it (`Engine.decideCharge` deciding a charge that fires no alert: R4, R6, R8, R18):
    /// shown in place, with no command, draft entry or array built. `false` only means "not
    /// shown here": `breach(in:state:…)` then decides, and names any fault.
    public static func isPlainCharge(_ record: borrowing Entry, state: inout LedgerState) -> Bool {
        guard record.kind == .charge, let job = record.job, let wsID = record.workspace, let actionID = record.action,
              record.seq == state.lastSeq &+ 1, state.lastTime.map({ record.time >= $0 }) ?? true, record.time.isRecordable,
              leavesEmptyWhatAChargeLeavesEmpty(record),
              let action = state.catalog.action(actionID), action.kind == .job,
              let index = state.workspaces.index(forKey: wsID) else { return false }
        let person = state.person(record.actor)
        // Read through an inout access: the workspace is neither copied nor changed.
        return isPlainCharge(record, job: job, action: action, by: person, in: &state.workspaces.values[index], catalog: state.catalog)
    }

    /// `isPlainCharge` once the workspace and action are found: the record's credits and balance
    /// are the action's, and nothing but the charge could happen (`Engine.decideCharge`'s guards).
    private static func isPlainCharge(_ record: borrowing Entry, job: String, action: Catalog.Action, by person: Person,
                                      in ws: inout WorkspaceState, catalog: Catalog) -> Bool {
        let after = ws.balance - action.credits
        guard action.credits <= ws.balance, record.credits == -action.credits, record.balance == after,
              record.workspace == ws.id else { return false }
        guard Permissions.allows(.charge, by: person, in: WorkspacePeople(ws)), FreeText.isValidToken(job),
              !ws.jobs.contains(job), ws.holds.isEmpty, ws.memberLimits.isEmpty, ws.autoTopUp.rule == nil,
              !Engine.expiryMayAct(on: ws.buckets, in: catalog, at: record.time) else { return false }
        return ws.alerts.firing(atBalance: after, lowAtOrBelow: catalog.alerts.lowAtOrBelow) == nil
    }

    /// Whether every field of `entry` that a plain job charge leaves empty is empty: all but
    /// `seq`, `time`, `kind`, `actor`, `ws`, `credits`, `balance`, `action`, `job` and `hash`.
    static func leavesEmptyWhatAChargeLeavesEmpty(_ e: borrowing Entry) -> Bool {
        let amounts = e.held == nil && e.priceCents == nil && e.messages == nil && e.threshold == nil && e.target == nil
            && e.capCents == nil && e.limit == nil && e.rollover == nil
        let links = e.ref == nil && e.reverses == nil && e.expires == nil && e.source == nil && e.status == nil
            && e.alert == nil && e.clock == nil
        let refs = e.item == nil && e.pack == nil && e.invoice == nil && e.plan == nil && e.reason == nil
            && e.payment == nil && e.request == nil
        let people = e.name == nil && e.owner == nil && e.member == nil && e.role == nil && e.onBehalfOf == nil
            && e.by == nil && e.catalog == nil && e.catalogHash == nil
        return amounts && links && refs && people
    }
}
