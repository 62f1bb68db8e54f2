import CreditKit

/// The parts of a workspace's state that auto top-up (R37–R39) and member limits (R40) add to its
/// binary form (checkpoint format 8, `workspace_states` from schema version 7).
extension WorkspaceStateCodec {
    static func encodeAutoTopUp(_ auto: AutoTopUpState, _ out: inout BinaryWriter) {
        out.bool(auto.rule != nil)
        if let rule = auto.rule {
            out.int(rule.threshold); out.optionalString(rule.pack); out.optionalInt(rule.targetBalance); out.int(rule.capCents)
        }
        out.optionalInt(auto.ruleSeq); out.bool(auto.paused); out.count(auto.declinesInARow)
        out.optionalInt(auto.backoffUntil?.secondsSinceEpoch)
        out.bool(auto.pending != nil)
        if let pending = auto.pending {
            out.string(pending.id); out.int(pending.seq); out.string(pending.pack); out.int(pending.priceCents)
            out.int(pending.time.secondsSinceEpoch)
        }
        out.optionalInt(auto.month?.secondsSinceEpoch); out.int(auto.spentCents)
        out.count(auto.warned.count)
        for percent in auto.warned.sorted() { out.int(percent) }
        out.bool(auto.capAlerted)
    }

    static func decodeAutoTopUp(_ input: inout BinaryReader) throws(BinaryReadError) -> AutoTopUpState {
        func time(_ value: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: value) }
        var auto = AutoTopUpState()
        if try input.bool() {
            auto.rule = AutoTopUpRule(threshold: try input.int(), pack: try input.optionalString(), targetBalance: try input.optionalInt(),
                                      capCents: try input.int())
        }
        auto.ruleSeq = try input.optionalInt(); auto.paused = try input.bool(); auto.declinesInARow = try input.count()
        auto.backoffUntil = try input.optionalInt().map(time)
        if try input.bool() {
            auto.pending = PendingTopUpRequest(id: try input.string(), seq: try input.int(), pack: try input.string(),
                                               priceCents: try input.int(), time: time(try input.int()))
        }
        auto.month = try input.optionalInt().map(time); auto.spentCents = try input.int()
        for _ in 0..<(try input.count(max: 16)) { auto.warned.insert(try input.int()) }
        auto.capAlerted = try input.bool()
        return auto
    }

    /// R40: members' monthly limits and this month's spend (the month, each person's spend, and
    /// the month's job charges by who ran them).
    static func encodeLimits(_ ws: WorkspaceState, into out: inout BinaryWriter) {
        out.count(ws.memberLimits.count)
        for (member, limit) in ws.memberLimits.sorted(by: { $0.key < $1.key }) { out.string(member); out.int(limit) }
        out.optionalInt(ws.monthSpend.month?.secondsSinceEpoch)
        out.count(ws.monthSpend.spent.count)
        for (member, credits) in ws.monthSpend.spent.sorted(by: { $0.key < $1.key }) { out.string(member); out.int(credits) }
        out.count(ws.monthSpend.charges.count)
        for (seq, actor) in ws.monthSpend.charges.sorted(by: { $0.key < $1.key }) { out.int(seq); out.string(actor) }
    }

    static func decodeLimits(into ws: inout WorkspaceState, _ input: inout BinaryReader) throws(BinaryReadError) {
        for _ in 0..<(try input.count()) { let member = try input.string(); ws.memberLimits[member] = try input.int() }
        ws.monthSpend.month = try input.optionalInt().map { Timestamp(secondsSinceEpoch: $0) }
        for _ in 0..<(try input.count()) { let member = try input.string(); ws.monthSpend.spent[member] = try input.int() }
        for _ in 0..<(try input.count()) { let seq = try input.int(); ws.monthSpend.charges[seq] = try input.string() }
    }
}

extension BinaryWriter {
    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }
}

extension BinaryReader {
    mutating func optionalString() throws(BinaryReadError) -> String? {
        try bool() ? try string() : nil
    }
}
