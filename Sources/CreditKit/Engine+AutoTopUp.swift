/// The deciders of auto top-up (R37–R40): the rule, its requests, declines and the cap.
extension Engine {
    /// R37: sets the workspace's rule (owner or support); setting it again re-enables a paused
    /// rule (R39). The same rule, active and with no decline behind it, is already so.
    static func setAutoTopUp(_ rule: AutoTopUpRule, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try validate(rule, catalog: given.catalog)
        let current = given.workspace?.autoTopUp
        if let current, current.rule == rule, !current.paused, current.declinesInARow == 0 {
            return .alreadyRecorded(.alreadyInState("workspace \(wsID) already has this auto top-up rule"))
        }
        try b.expireDueCredits(wsID)
        var entry = b.entry(.autoTopUp, workspace: wsID)
        entry.threshold = rule.threshold
        entry.pack = rule.pack
        entry.target = rule.targetBalance
        entry.capCents = rule.capCents
        b.append(entry)
        return .append(b.entries)
    }

    /// R37: the checks a rule passes before it is recorded.
    static func validate(_ rule: AutoTopUpRule, catalog: Catalog) throws(Rejection) {
        guard (0...AutoTopUpPolicy.thresholdMax).contains(rule.threshold) else { throw .autoTopUpThresholdOutOfRange(rule.threshold) }
        if let target = rule.targetBalance, target <= rule.threshold || target > AutoTopUpPolicy.thresholdMax {
            throw .autoTopUpTargetNotAboveThreshold(target: target, threshold: rule.threshold)
        }
        guard (1...AutoTopUpPolicy.capCentsMax).contains(rule.capCents) else { throw .autoTopUpCapOutOfRange(rule.capCents) }
        if let packID = rule.pack {
            guard let pack = catalog.pack(packID) else { throw .unknownPack(packID) }
            if pack.priceCents > rule.capCents { throw .autoTopUpCapBelowPack(capCents: rule.capCents, pack: pack.id, priceCents: pack.priceCents) }
        } else if let smallest = catalog.packs.min(by: { $0.priceCents < $1.priceCents }), smallest.priceCents > rule.capCents {
            throw .autoTopUpCapBelowPack(capCents: rule.capCents, pack: smallest.id, priceCents: smallest.priceCents)
        }
    }

    /// R37: switches the rule off; a pending request is dropped with it (a payment for it later
    /// is a plain top-up). This month's spend stays counted.
    static func autoTopUpOff(in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard given.workspace?.autoTopUp.rule != nil else {
            return .alreadyRecorded(.alreadyInState("workspace \(wsID) has no auto top-up rule"))
        }
        try b.expireDueCredits(wsID)
        b.append(b.entry(.autoTopUpOff, workspace: wsID))
        return .append(b.entries)
    }

    /// R39: resumes a paused rule as it was: the same record `auto-topup set` with that rule writes.
    static func resumeAutoTopUp(in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard let state = given.workspace?.autoTopUp, let rule = state.rule else { throw .noAutoTopUpRule(workspace: wsID) }
        guard state.paused || state.declinesInARow > 0 else {
            return .alreadyRecorded(.alreadyInState("the auto top-up rule of workspace \(wsID) is not paused"))
        }
        return try setAutoTopUp(rule, in: wsID, given, &b)
    }

    /// R39: the billing side could not charge for the pending request: it is answered, the rule
    /// backs off (an hour, then doubling), and the third decline in a row pauses it and tells the owner.
    static func topUpDeclined(_ request: String, reason: String?, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(request, field: "request id")
        if let reason { try b.requireLine(reason, field: "reason") }
        guard let pending = given.workspace?.autoTopUp.pending, pending.id == request else {
            throw .noPendingTopUpRequest(workspace: wsID, request: request, pending: given.workspace?.autoTopUp.pending?.id)
        }
        try b.expireDueCredits(wsID)
        var entry = b.entry(.topUpDeclined, workspace: wsID)
        entry.request = request
        entry.ref = pending.seq
        entry.pack = pending.pack
        entry.reason = reason
        b.append(entry)
        if let ws = b.state.workspaces[wsID], ws.autoTopUp.paused {
            b.appendAutoTopUpAlert(.autoTopUpPaused, in: wsID, cause: entry.seq)
        }
        return .append(b.entries)
    }
}

extension EntryBuilder {
    /// R37: a top-up with a payment for the pending request's pack answers that request (`ref`).
    func answeredRequest(pack: String, payment: String?, in workspaceID: String) -> Int64? {
        guard payment != nil, let pending = state.workspaces[workspaceID]?.autoTopUp.pending, pending.pack == pack else { return nil }
        return pending.seq
    }

    /// R38: after a payment answered a request, the warnings at 80, 90 and 100 percent of the
    /// monthly cap that this month's spend reaches, each once per month.
    mutating func warnOfCap(_ workspaceID: String, cause: Int64) {
        guard let auto = state.workspaces[workspaceID]?.autoTopUp, let rule = auto.rule else { return }
        for percent in auto.warningsDue(capCents: rule.capCents) {
            appendAutoTopUpAlert(.capWarning(percent), in: workspaceID, cause: cause)
        }
    }

    /// R37, R38: at the end of every write to a workspace whose rule is active, not backing off
    /// and with no request pending: when the available balance is at or below the threshold, a
    /// top-up request (an alert record, mailed to billing), or, when the pack would take this
    /// month's auto top-ups past the cap, the cap-reached alert once a month instead.
    mutating func requestTopUpIfDue(_ workspaceID: String) {
        guard let last = entries.last, let ws = state.workspaces[workspaceID], let rule = ws.autoTopUp.rule,
              !ws.autoTopUp.paused, ws.autoTopUp.pending == nil, ws.available <= rule.threshold,
              ws.autoTopUp.backoffUntil.map({ $0 <= context.time }) ?? true,
              let pack = rule.packToRequest(available: ws.available, catalog: state.catalog) else { return }
        var month = ws.autoTopUp
        month.roll(to: context.time)
        guard month.spentCents + pack.priceCents <= rule.capCents else {
            if !month.capAlerted { appendAutoTopUpAlert(.autoTopUpCapReached, in: workspaceID, cause: last.seq) }
            return
        }
        var request = self.entry(.alert, workspace: workspaceID)
        request.actor = "system"
        request.alert = .topUpRequest
        request.request = AutoTopUpPolicy.requestIDPrefix + String(request.seq)
        request.pack = pack.id
        request.priceCents = pack.priceCents
        request.ref = last.seq
        request.balance = ws.balance
        append(request)
    }

    /// Appends an auto top-up alert of `system` about entry `cause`, with the balance as it stands.
    mutating func appendAutoTopUpAlert(_ kind: AlertKind, in workspaceID: String, cause: Int64) {
        var alert = entry(.alert, workspace: workspaceID)
        alert.actor = "system"
        alert.alert = kind
        alert.ref = cause
        alert.balance = state.workspaces[workspaceID]?.balance
        append(alert)
    }
}
