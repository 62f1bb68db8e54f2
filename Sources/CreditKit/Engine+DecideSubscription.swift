/// The deciders of a workspace's subscription: paid invoices, plan changes, trials, cancelling.
extension Engine {
    /// R10-R14: a paid invoice grants the plan in force, once per invoice id; none in a trial or
    /// when cancelled. S3: plan credits may expire at the next renewal.
    static func invoicePaid(_ invoice: String, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(invoice, field: "invoice id")
        guard let ws = given.workspace else { throw .unknownWorkspace(wsID) }
        if let seq = ws.invoices[invoice] {
            return .alreadyRecorded(.invoiceAlreadyGranted(invoice: invoice, seq: seq))
        }
        guard ws.status != .trial else { throw .noInvoiceDuringTrial(workspace: wsID) }
        guard ws.status != .cancelled else { throw .noActiveSubscription(workspace: wsID) }
        guard let plan = given.catalog.plan(ws.plan) else { throw .unknownPlan(ws.plan) }
        try b.expireDueCredits(wsID)
        let policy = given.catalog.expiry
        if policy?.planCreditsExpireAtRenewal == true {
            if let rollover = plan.rollover { b.rollOver(in: wsID, rollover, plan: plan.id) }
            b.expireBuckets(in: wsID) { $0.source == .plan }
        }
        var entry = b.entry(.grant, workspace: wsID)
        entry.credits = plan.monthlyGrant
        entry.invoice = invoice
        entry.plan = plan.id
        entry.source = .plan
        if let policy, policy.planCreditsExpireAtRenewal, plan.monthlyGrant > 0 {
            entry.expires = policy.planCreditsValidDays.map { b.context.time.adding(days: $0) }
        }
        b.appendCredit(entry)
        return .append(b.entries)
    }

    /// R13: moves the workspace to `planID` (a cancelled one comes back on it); no proration.
    static func changePlan(to planID: String, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard given.catalog.plan(planID) != nil else { throw .unknownPlan(planID) }
        guard let ws = given.workspace, ws.plan != planID || ws.status == .cancelled else {
            return .alreadyRecorded(.alreadyInState("workspace \(wsID) is on plan \(planID)"))
        }
        var entry = b.entry(.plan, workspace: wsID)
        entry.plan = planID
        b.append(entry)
        return .append(b.entries)
    }

    /// R12: starts (`.trial`) or ends (`.active`) a free trial; already so is a repeat.
    static func setStatus(_ target: WorkspaceStatus, of wsID: String, _ given: Given, _ b: inout EntryBuilder) -> Decision {
        guard given.workspace?.status != target else {
            return .alreadyRecorded(.alreadyInState("workspace \(wsID) is \(target.rawValue)"))
        }
        var entry = b.entry(.trial, workspace: wsID)
        entry.status = target
        b.append(entry)
        return .append(b.entries)
    }

    /// R14: ends the subscription; the balance stays usable.
    static func cancel(_ wsID: String, _ given: Given, _ b: inout EntryBuilder) -> Decision {
        guard given.workspace?.status != .cancelled else {
            return .alreadyRecorded(.alreadyInState("workspace \(wsID) is cancelled"))
        }
        var entry = b.entry(.cancel, workspace: wsID)
        entry.status = .cancelled
        b.append(entry)
        return .append(b.entries)
    }
}
