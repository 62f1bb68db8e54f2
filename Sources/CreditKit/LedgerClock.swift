/// R27: how a ledger keeps time. A real-clock ledger dates records by the machine's clock; a
/// test-clock ledger (made with `init --now` or `generate --now`) takes any time it is given.
public enum LedgerClock: String, Sendable, Codable, CaseIterable {
    case real, test
}

/// R27: the checks on times that come from people or files rather than the machine's clock.
/// Pure: the real clock comes in as a value.
public enum ClockPolicy {
    /// How far a given time may stray from the ledger's clock (seconds): a support agent's
    /// `--now` on a real-clock ledger, an imported event's time ahead of the import's clock, and
    /// how far the real clock may trail the last record and still write (dated at that record).
    public static let toleranceSeconds: Int64 = 5 * 60

    /// R27: whether `requested` (a `--now`) may stand in for the real clock `real` on a ledger
    /// with `clock`, given by `actor`: anyone on a test clock; only support, within the tolerance,
    /// on a real clock. Nil when it may.
    public static func checkOverride(_ requested: Timestamp, real: Timestamp, clock: LedgerClock,
                                     actor: String, isSupport: Bool) -> Rejection? {
        guard clock == .real else { return nil }
        guard isSupport else { return .clockOverrideNotPermitted(actor: actor) }
        let gap = requested.secondsSinceEpoch - real.secondsSinceEpoch
        guard gap.magnitude <= toleranceSeconds.magnitude else {
            return .clockOverrideTooFar(requested: requested, real: real, toleranceSeconds: toleranceSeconds)
        }
        return nil
    }

    /// R27: whether a time carried by an imported event runs more than the tolerance ahead of
    /// the ledger's clock `clock`. Nil when it does not.
    public static func checkCarriedTime(_ time: Timestamp, clock: Timestamp) -> Rejection? {
        guard time.secondsSinceEpoch > clock.secondsSinceEpoch + toleranceSeconds else { return nil }
        return .timeAhead(time: time, clock: clock, toleranceSeconds: toleranceSeconds)
    }
}
