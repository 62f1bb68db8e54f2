/// The deciders of what members run: job charges and their refunds, clones, Copilot messages.
extension Engine {
    /// R4, R6, R8: charges a job that succeeded, once per job id; a repeat answers with the charge.
    static func charge(_ job: String, action actionID: String, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(job, field: "job id")
        guard let action = given.catalog.action(actionID) else { throw .unknownAction(actionID) }
        guard action.kind == .job else { throw .notAJobAction(actionID) }
        if let record = given.workspace?.jobs[job] {
            return .alreadyRecorded(.jobAlreadyCharged(job: job, seq: record.chargeSeq))
        }
        if given.workspace?.holds[job] != nil {
            try b.expireDueCredits(wsID)
            if let captured = try capture(job, action: action, in: wsID, &b) { return captured }
        }
        return try appendCharge(action, in: wsID, &b) { $0.job = job }
    }

    /// R5: refunds a charged job that failed, once and in full; a job never charged cost nothing (R4).
    static func jobFailed(_ job: String, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(job, field: "job id")
        guard let record = given.workspace?.jobs[job] else {
            if given.workspace?.holds[job] != nil, let released = try releaseFailed(job, in: wsID, &b) { return released }
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
        // S3: credits given back to a parcel that has already expired leave again at once.
        b.expireRenewedPlanCredits(wsID)
        try b.expireDueCredits(wsID)
        return .append(b.entries)
    }

    /// R7, R8: clones a library item once; cloning an owned item again costs nothing.
    static func clone(_ item: String, kind itemKind: String, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(item, field: "item id")
        guard let action = given.catalog.cloneAction(for: itemKind) else { throw .unknownCloneKind(itemKind) }
        if let seq = given.workspace?.owned[WorkspaceState.ownedKey(kind: itemKind, item: item)] {
            return .alreadyRecorded(.itemAlreadyOwned(kind: itemKind, item: item, seq: seq))
        }
        return try appendCharge(action, in: wsID, &b) { $0.item = item }
    }

    /// Expires what is due (S3), refuses a cost above the balance (R8), then appends the charge
    /// for `action`, with what it was for set by `naming`.
    private static func appendCharge(_ action: Catalog.Action, in wsID: String, _ b: inout EntryBuilder,
                                     naming: (inout Entry) -> Void) throws(Rejection) -> Decision {
        try b.expireDueCredits(wsID)
        try b.requireCreditsAndLimit(action.credits, for: action.id, in: wsID)
        var entry = b.entry(.charge, workspace: wsID)
        entry.credits = -action.credits
        entry.action = action.id
        naming(&entry)
        b.appendCredit(entry)
        return .append(b.entries)
    }

    /// R9: counts Copilot messages against the plan's monthly allowance; credits are untouched.
    static func copilot(_ messages: Int64, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard messages > 0 && messages <= copilotMessagesMax else {
            throw .invalidAmount("Copilot messages must be between 1 and \(copilotMessagesMax)")
        }
        guard let ws = given.workspace, let plan = given.catalog.plan(ws.plan) else { throw .unknownWorkspace(wsID) }
        guard ws.copilotUsed + messages <= plan.copilotMessages else {
            throw .copilotAllowanceExceeded(used: ws.copilotUsed, allowance: plan.copilotMessages, requested: messages)
        }
        var entry = b.entry(.copilot, workspace: wsID)
        entry.messages = messages
        b.append(entry)
        return .append(b.entries)
    }
}
