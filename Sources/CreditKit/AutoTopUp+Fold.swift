/// Folding auto top-up records (R37–R40) into a workspace's `AutoTopUpState`; a record that
/// does not fit what came before it (a forged one) does not fold.
extension AutoTopUpState {
    /// R37, R39: a rule set or resumed, or switched off. Either way declines, back-off and any
    /// pending request are cleared; the month's spend stays.
    mutating func foldRule(_ entry: Entry) throws(ReplayError) {
        if entry.kind == .autoTopUp {
            guard let rule = AutoTopUpRule(entry) else { throw ReplayError(seq: entry.seq, problem: "auto top-up rule is incomplete") }
            self.rule = rule
            ruleSeq = entry.seq
        } else {
            rule = nil
            ruleSeq = nil
        }
        paused = false
        declinesInARow = 0
        backoffUntil = nil
        pending = nil
    }

    /// R39: a decline answers the pending request it names, backs off, and pauses at the third.
    mutating func foldDecline(_ entry: Entry) throws(ReplayError) {
        guard let open = pending, entry.request == open.id, entry.ref == open.seq else {
            throw ReplayError(seq: entry.seq, problem: "decline names no pending top-up request")
        }
        pending = nil
        declinesInARow += 1
        backoffUntil = Timestamp(secondsSinceEpoch: entry.time.secondsSinceEpoch + Self.backoffSeconds(afterDeclines: declinesInARow))
        if declinesInARow >= AutoTopUpPolicy.declinesToPause { paused = true }
    }

    /// R37, R38: a top-up that answers the pending request (`ref`) counts its price this month.
    mutating func foldPayment(_ entry: Entry) throws(ReplayError) {
        guard let ref = entry.ref else { return }
        guard let open = pending, open.seq == ref, entry.pack == open.pack, entry.payment != nil else {
            throw ReplayError(seq: entry.seq, problem: "top-up answers no pending top-up request #\(ref)")
        }
        roll(to: entry.time)
        spentCents += entry.priceCents ?? 0
        pending = nil
        declinesInARow = 0
        backoffUntil = nil
    }

    /// R37–R39: the alerts of auto top-up: a request becomes the pending one; a warning or the
    /// cap-reached alert is counted once this month; the pause alert changes nothing more.
    mutating func foldAlert(_ entry: Entry) throws(ReplayError) {
        roll(to: entry.time)
        switch entry.alert {
        case .topUpRequest?:
            guard rule != nil, pending == nil, let id = entry.request, let pack = entry.pack, let price = entry.priceCents else {
                throw ReplayError(seq: entry.seq, problem: "top-up request without an active rule, or while another is pending")
            }
            pending = PendingTopUpRequest(id: id, seq: entry.seq, pack: pack, priceCents: price, time: entry.time)
        case .autoTopUpCapReached?: capAlerted = true
        case let kind? where kind.capPercent != nil: warned.insert(kind.capPercent ?? 0)
        default: break
        }
    }
}
