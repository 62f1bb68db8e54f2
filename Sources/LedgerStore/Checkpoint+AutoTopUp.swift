import CreditKit

/// The auto top-up state (R37–R39) inside a workspace's checkpoint blob (format 8).
extension WorkspaceBlob {
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
