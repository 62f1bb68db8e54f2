/// R37–R40's limits: the bounds of an auto top-up rule, the back-off after a declined payment
/// and the cap warnings.
public enum AutoTopUpPolicy {
    /// The highest threshold (and target balance) a rule may name, in credits.
    public static let thresholdMax: Credits = 10_000_000
    /// The highest monthly cap a rule may name: $100,000, in cents.
    public static let capCentsMax: Cents = 10_000_000
    /// R39: after the first declined payment no request for an hour; each further decline doubles it.
    public static let backoffSecondsFirst: Int64 = 3_600
    /// R39: this many declines in a row pause the rule until it is set again or resumed.
    public static let declinesToPause = 3
    /// R38: the warnings, in percent of the monthly cap, each sent once per calendar month.
    public static let warningPercents: [Int64] = [80, 90, 100]
    /// The prefix of a top-up request's id; the request's own seq follows (`auto-41`).
    public static let requestIDPrefix = "auto-"
}

/// R37: an owner's rule: when the available balance falls to `threshold` or below, ask for
/// `pack` (or for the smallest pack that brings the available balance to `targetBalance`), at
/// most `capCents` of auto top-ups per calendar month (UTC).
public struct AutoTopUpRule: Hashable, Sendable {
    public var threshold: Credits
    /// The pack asked for; nil when the rule tops up to `targetBalance`.
    public var pack: String?
    /// The available balance to top up to; nil when the rule names a pack.
    public var targetBalance: Credits?
    /// The most auto top-ups may cost per calendar month, in cents.
    public var capCents: Cents

    public init(threshold: Credits, pack: String?, targetBalance: Credits?, capCents: Cents) {
        self.threshold = threshold; self.pack = pack; self.targetBalance = targetBalance; self.capCents = capCents
    }

    /// The rule as its `auto_topup` record carries it; nil for a record that lacks a part.
    public init?(_ entry: Entry) {
        guard let threshold = entry.threshold, let cap = entry.capCents, (entry.pack == nil) != (entry.target == nil) else { return nil }
        self.init(threshold: threshold, pack: entry.pack, targetBalance: entry.target, capCents: cap)
    }

    /// R37: the pack to ask for at `available` credits: the rule's pack, or the smallest pack
    /// that reaches the target balance (the largest when none does); nil for an empty catalog.
    public func packToRequest(available: Credits, catalog: Catalog) -> Catalog.Pack? {
        if let pack { return catalog.pack(pack) }
        let missing = (targetBalance ?? threshold) - available
        let sorted = catalog.packs.sorted { ($0.credits, $0.priceCents) < ($1.credits, $1.priceCents) }
        return sorted.first { $0.credits >= missing } ?? sorted.last
    }
}

/// R37: a top-up request written and not yet answered by a payment or a decline.
public struct PendingTopUpRequest: Hashable, Sendable {
    /// The request id (`auto-41`) and the alert record that carries it.
    public var id: String
    public var seq: Int64
    public var pack: String
    public var priceCents: Cents
    public var time: Timestamp

    public init(id: String, seq: Int64, pack: String, priceCents: Cents, time: Timestamp) {
        self.id = id; self.seq = seq; self.pack = pack; self.priceCents = priceCents; self.time = time
    }
}

/// R37–R40: a workspace's auto top-up, folded from its records: the rule (nil when off), the
/// pending request, declines and back-off, and this calendar month's spend against the cap.
/// The month's spend outlives `auto-topup off`, so switching the rule off and on resets no cap.
public struct AutoTopUpState: Hashable, Sendable {
    public var rule: AutoTopUpRule?
    /// The `auto_topup` record that set the rule in force.
    public var ruleSeq: Int64?
    /// R39: paused after `declinesToPause` declines in a row, until set again or resumed.
    public var paused = false
    public var declinesInARow = 0
    /// R39: no request before this time (after a decline).
    public var backoffUntil: Timestamp?
    public var pending: PendingTopUpRequest?
    /// The calendar month (its first instant, UTC) that `spentCents`, `warned` and `capAlerted` count.
    public var month: Timestamp?
    /// R38: what auto top-ups paid this month cost, in cents.
    public var spentCents: Cents = 0
    /// R38: the warnings (percent of the cap) sent this month, and whether the cap-reached alert was.
    public var warned: Set<Int64> = []
    public var capAlerted = false

    public init() {}

    /// Whether a rule is in force and not paused.
    public var isActive: Bool { rule != nil && !paused }

    /// This month's spend as of `time`: 0 once a new calendar month has begun.
    public func spentCents(at time: Timestamp) -> Cents { month == time.monthStart ? spentCents : 0 }

    /// Starts a new month's count when `time` falls in a later month than the one counted.
    public mutating func roll(to time: Timestamp) {
        guard month != time.monthStart else { return }
        month = time.monthStart
        spentCents = 0
        warned = []
        capAlerted = false
    }

    /// R39: how long the rule waits after decline number `declines` (1: an hour, then doubling).
    public static func backoffSeconds(afterDeclines declines: Int) -> Int64 {
        AutoTopUpPolicy.backoffSecondsFirst << Int64(max(0, min(declines - 1, 20)))
    }

    /// R38: the warning levels that `spentCents` reaches against `capCents` and not yet sent.
    public func warningsDue(capCents: Cents) -> [Int64] {
        AutoTopUpPolicy.warningPercents.filter { spentCents * 100 >= capCents * $0 && !warned.contains($0) }
    }
}

/// R37–R39: what the command line and the console show of a workspace's auto top-up at a time.
public struct AutoTopUpView: Hashable, Sendable {
    /// Where the rule stands: off, asking, waiting after a decline, or paused.
    public enum Status: String, Sendable { case off, active, backingOff = "backing_off", paused }

    public var status: Status
    public var rule: AutoTopUpRule?
    /// This calendar month's auto top-up spend, in cents, and the month's first instant.
    public var spentCents: Cents
    public var month: Timestamp
    public var pending: PendingTopUpRequest?
    public var declinesInARow: Int
    public var backoffUntil: Timestamp?

    public init(_ state: AutoTopUpState, at time: Timestamp) {
        rule = state.rule
        spentCents = state.spentCents(at: time)
        month = time.monthStart
        pending = state.pending
        declinesInARow = state.declinesInARow
        backoffUntil = state.backoffUntil.flatMap { $0 > time ? $0 : nil }
        if state.rule == nil { status = .off } else if state.paused { status = .paused } else if backoffUntil != nil { status = .backingOff } else { status = .active }
    }

    /// This month's spend in whole percent of the cap (0 with no rule).
    public var percentOfCap: Int64 {
        guard let cap = rule?.capCents, cap > 0 else { return 0 }
        return spentCents * 100 / cap
    }
}
