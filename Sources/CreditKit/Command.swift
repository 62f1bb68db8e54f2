/// Something a person asks the ledger to do. Deciding a command against a state gives either
/// the entries to append or a named rejection; nothing is written for a rejection.
public enum Command: Hashable, Sendable {
    case addOperator(name: String, role: Role)
    case createWorkspace(id: String, name: String, owner: String, plan: String, trial: Bool)
    case addMember(workspace: String, member: String)
    /// A job that succeeded (R4); charged once per job id (R6).
    case charge(workspace: String, action: String, job: String)
    /// A job that failed after it was charged is refunded once (R5).
    case jobFailed(workspace: String, job: String)
    /// Clone a library item: `product`, `fabric` or `design` (R7).
    case clone(workspace: String, itemKind: String, item: String)
    /// R15; `payment` (the payment or order reference) makes it idempotent per workspace (R26).
    case topUp(workspace: String, pack: String, payment: String? = nil)
    case invoicePaid(workspace: String, invoice: String)
    case changePlan(workspace: String, plan: String)
    case startTrial(workspace: String)
    case endTrial(workspace: String)
    case cancel(workspace: String)
    case copilot(workspace: String, messages: Int64)
    /// R19; `request` makes it idempotent per workspace (R26).
    case adjust(workspace: String, amount: Credits, reason: String, request: String? = nil)
    /// S3; `request` makes it idempotent per workspace (R26).
    case grant(workspace: String, amount: Credits, source: GrantSource, reason: String, expires: Timestamp?, request: String? = nil)
    /// R27: put the ledger's clock back to now after a record dated in the future; support only.
    case resetClock(reason: String)
    /// Undo a mistaken adjustment or grant by a linked adjustment with a reason (R34).
    case reverse(workspace: String, seq: Int64, reason: String)
    /// R35: reserve an action's cost for a running job, for `ttlSeconds` (nil: the default).
    case hold(workspace: String, action: String, job: String, ttlSeconds: Int64?)
    /// R36: remove what is left of grant `seq`, with a reason; support only.
    case void(workspace: String, seq: Int64, reason: String)
    /// R37: set (or replace) the workspace's auto top-up rule; re-enables a paused one (R39).
    case setAutoTopUp(workspace: String, rule: AutoTopUpRule)
    /// R37: switch the rule off (a pending request is dropped); R39: resume a paused rule as it was.
    case autoTopUpOff(workspace: String)
    case resumeAutoTopUp(workspace: String)
    /// R39: the billing side could not charge for top-up request `request`.
    case topUpDeclined(workspace: String, request: String, reason: String?)
    /// R40: set (`credits`) or lift (nil) a member's monthly limit; owner or support.
    case memberLimit(workspace: String, member: String, credits: Credits?)
    /// R42: take `member` out of the workspace, with a reason; owner or support.
    case removeMember(workspace: String, member: String, reason: String)
    /// R42: take support agent `name` off the ledger, with a reason; support only.
    case removeOperator(name: String, reason: String)

    /// The workspace the command acts on, if any.
    public var workspace: String? {
        switch self {
        case .addOperator, .createWorkspace, .resetClock, .removeOperator: return nil
        case .addMember(let ws, _), .charge(let ws, _, _), .jobFailed(let ws, _), .clone(let ws, _, _),
             .topUp(let ws, _, _), .invoicePaid(let ws, _), .changePlan(let ws, _), .startTrial(let ws),
             .endTrial(let ws), .cancel(let ws), .copilot(let ws, _), .adjust(let ws, _, _, _),
             .grant(let ws, _, _, _, _, _), .reverse(let ws, _, _), .hold(let ws, _, _, _), .void(let ws, _, _),
             .setAutoTopUp(let ws, _), .autoTopUpOff(let ws), .resumeAutoTopUp(let ws), .topUpDeclined(let ws, _, _),
             .memberLimit(let ws, _, _), .removeMember(let ws, _, _):
            return ws
        }
    }

    /// Whether this is the recorded step that puts the ledger's clock back (R27).
    public var resetsClock: Bool { if case .resetClock = self { return true } else { return false } }
}

/// Who issues a command and when. Time and identity come in as values.
public struct CommandContext: Hashable, Sendable {
    public var actor: String
    public var time: Timestamp
    /// R27: how many seconds `time` may trail the ledger's last record and be dated at that
    /// record instead of refused (a real clock read just before another writer committed, or
    /// behind a support agent's `--now` within the tolerance). 0 for a time someone gave.
    public var trailingSecondsMax: Int64 = 0
    /// Replaying an older version's record (`verify`): text that today's input rules refuse
    /// (`FreeText`, `MailAddress`) is admitted, since that version accepted it; every other rule holds.
    public var admitsOlderText = false
    /// Replaying an older version's commit (`verify`): R24 alerts judged after each credit entry,
    /// as that version wrote them, instead of where the commit leaves the balance.
    public var alertsOnEachEntry = false
    /// R18: the support agent's authenticated role acting on `actor`'s behalf (`--as` on
    /// PostgreSQL), recorded as each entry's `by`; nil when `actor` acts itself.
    public var by: String?

    public init(actor: String, time: Timestamp, trailingSecondsMax: Int64 = 0) {
        self.actor = actor; self.time = time; self.trailingSecondsMax = trailingSecondsMax
    }

    /// This context dated at `last` when its time trails it by no more than it may (R27).
    public func caughtUp(to last: Timestamp?) -> CommandContext {
        guard let last, time < last, last.secondsSinceEpoch - time.secondsSinceEpoch <= trailingSecondsMax else { return self }
        var dated = self
        dated.time = last
        return dated
    }
}

/// What deciding a command gives when it is not refused.
public enum Decision: Hashable, Sendable {
    /// New entries to append, in order (with any expiry and alert records they cause).
    case append([Entry])
    /// The command was done before (R5, R6, R7, R10): nothing changes.
    case alreadyRecorded(AlreadyRecorded)
    /// Nothing to record, and nothing wrong (a job that failed before it was charged, R4).
    case nothingToRecord(String)
}

/// Why an idempotent repeat changed nothing.
public enum AlreadyRecorded: Hashable, Sendable {
    case jobAlreadyCharged(job: String, seq: Int64)
    case jobAlreadyRefunded(job: String, seq: Int64)
    /// R35: the job's hold was recorded by entry `seq` already.
    case jobAlreadyHeld(job: String, seq: Int64)
    case itemAlreadyOwned(kind: String, item: String, seq: Int64)
    case invoiceAlreadyGranted(invoice: String, seq: Int64)
    /// R26: a top-up's payment reference, or an adjustment's or grant's request id, seen before.
    case paymentAlreadyRecorded(payment: String, seq: Int64)
    case requestAlreadyRecorded(request: String, seq: Int64)
    /// R34: entry `entry` was reversed by entry `seq` already.
    case alreadyReversed(entry: Int64, seq: Int64)
    /// R42: `person` was removed (from workspace `workspace`, or as an operator when nil) by entry `seq`.
    case alreadyRemoved(person: String, workspace: String?, seq: Int64)
    case alreadyInState(String)

    /// The entry that did it first, when there is one.
    public var originalSeq: Int64? {
        switch self {
        case .jobAlreadyCharged(_, let seq), .jobAlreadyRefunded(_, let seq), .jobAlreadyHeld(_, let seq), .itemAlreadyOwned(_, _, let seq),
             .invoiceAlreadyGranted(_, let seq), .paymentAlreadyRecorded(_, let seq), .requestAlreadyRecorded(_, let seq),
             .alreadyReversed(_, let seq), .alreadyRemoved(_, _, let seq):
            return seq
        case .alreadyInState: return nil
        }
    }
}

/// The smallest pack that covers a shortfall, or the cheapest mix when no single pack does.
public struct PackSuggestion: Hashable, Sendable {
    public var packs: [(pack: Catalog.Pack, count: Int64)]
    public var credits: Credits { packs.reduce(0) { $0 + $1.pack.credits * $1.count } }
    public var priceCents: Cents { packs.reduce(0) { $0 + $1.pack.priceCents * $1.count } }

    public init(packs: [(pack: Catalog.Pack, count: Int64)]) { self.packs = packs }

    public static func == (lhs: PackSuggestion, rhs: PackSuggestion) -> Bool {
        lhs.packs.map(\.pack) == rhs.packs.map(\.pack) && lhs.packs.map(\.count) == rhs.packs.map(\.count)
    }

    public func hash(into hasher: inout Hasher) {
        for (pack, count) in packs { hasher.combine(pack); hasher.combine(count) }
    }

    /// `topup_50` or `topup_800 ×2 + topup_50`.
    public var label: String {
        packs.map { $0.count == 1 ? $0.pack.id : "\($0.pack.id) ×\($0.count)" }.joined(separator: " + ")
    }
}
