/// The deciders of credits bought, granted or adjusted: top-ups, grants, adjustments.
extension Engine {
    /// R15, R26: the pack's credits land at once, once per payment reference; on behalf of the
    /// owner when someone else buys (S3: a pack may expire after the catalog's validity). R37:
    /// a payment for the pending request's pack answers it (`ref`), R38: and may warn of the cap.
    static func topUp(_ packID: String, payment: String?, in wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard let pack = given.catalog.pack(packID) else { throw .unknownPack(packID) }
        if let repeated = try repeatedKey(payment, field: "payment id", in: given.workspace?.payments) {
            return .alreadyRecorded(.paymentAlreadyRecorded(payment: repeated.key, seq: repeated.seq))
        }
        try b.expireDueCredits(wsID)
        var entry = b.entry(.topup, workspace: wsID)
        entry.credits = pack.credits
        entry.pack = pack.id
        entry.priceCents = pack.priceCents
        entry.expires = given.catalog.expiry?.packValidDays.map { b.context.time.adding(days: $0) }
        if let ws = given.workspace, ws.owner != b.context.actor { entry.onBehalfOf = ws.owner }
        entry.payment = payment
        entry.ref = b.answeredRequest(pack: pack.id, payment: payment, in: wsID)
        b.appendCredit(entry)
        if entry.ref != nil { b.warnOfCap(wsID, cause: entry.seq) }
        return .append(b.entries)
    }

    /// R19, R26: a support agent adds or removes credits with a reason, once per request id;
    /// a removal never takes the balance below zero (R8).
    static func adjust(_ amount: Credits, reason: String, request: String?, in wsID: String,
                       _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard amount != 0 else { throw .invalidAmount("an adjustment of 0 changes nothing") }
        guard amount.magnitude <= adjustmentMax.magnitude else { throw .invalidAmount("at most \(CountText.credits(adjustmentMax)) at once") }
        try b.requireLine(reason, field: "reason")
        if let repeated = try repeatedRequest(request, given) { return repeated }
        try b.expireDueCredits(wsID)
        if amount < 0 { try b.requireCredits(-amount, for: "adjustment", in: wsID) }
        var entry = b.entry(.adjustment, workspace: wsID)
        entry.credits = amount
        entry.reason = reason
        entry.request = request
        b.appendCredit(entry)
        return .append(b.entries)
    }

    /// S3, R26: a promotional or trial grant with a reason and an optional expiry in the future,
    /// once per request id; plan credits come only from a paid invoice (R10).
    static func grant(_ amount: Credits, source: GrantSource, reason: String, expires: Timestamp?, request: String?, in wsID: String,
                      _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard amount > 0 && amount <= adjustmentMax else { throw .invalidAmount("a grant must be between 1 and \(CountText.credits(adjustmentMax))") }
        guard source != .plan else { throw .invalidAmount("plan credits are granted by a paid invoice") }
        try b.requireLine(reason, field: "reason")
        if let expires, expires <= b.context.time { throw .expiryNotInFuture(expires: expires, now: b.context.time) }
        if let repeated = try repeatedRequest(request, given) { return repeated }
        try b.expireDueCredits(wsID)
        var entry = b.entry(.grant, workspace: wsID)
        entry.credits = amount
        entry.source = source
        entry.reason = reason
        entry.expires = expires
        entry.request = request
        b.appendCredit(entry)
        return .append(b.entries)
    }

    /// R26: the answer to a request id the workspace has recorded before; nil for a new one.
    private static func repeatedRequest(_ request: String?, _ given: Given) throws(Rejection) -> Decision? {
        guard let repeated = try repeatedKey(request, field: "request id", in: given.workspace?.requests) else { return nil }
        return .alreadyRecorded(.requestAlreadyRecorded(request: repeated.key, seq: repeated.seq))
    }
}
