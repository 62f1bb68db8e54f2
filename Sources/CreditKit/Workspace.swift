/// Subscription state of a workspace (R12, R14).
public enum WorkspaceStatus: String, Sendable, Codable, CaseIterable {
    case trial, active, cancelled
}

/// A parcel of credits with a source and an optional expiry date (S3). Every credit in a balance
/// sits in exactly one bucket; charges draw from buckets in `burnOrder`.
public struct GrantBucket: Hashable, Sendable {
    public enum Source: String, Sendable {
        case plan, promo, trial, paid
        /// R41: plan credits carried over at a renewal, expiring on their own date.
        case rollover
    }
    /// The entry that created the bucket.
    public var seq: Int64
    public var source: Source
    public var remaining: Credits
    public var expires: Timestamp?
    /// Whether the owner has been warned that this bucket is about to expire (S3).
    public var warned = false

    public init(seq: Int64, source: Source, remaining: Credits, expires: Timestamp?) {
        self.seq = seq; self.source = source; self.remaining = remaining; self.expires = expires
    }

    /// S3: whether these credits have expired by `time` (the rule every view and write applies).
    public func isExpired(by time: Timestamp) -> Bool { remaining > 0 && (expires.map { $0 <= time } ?? false) }

    /// What a summary keeps of this parcel, when it has an expiry date.
    public var expiring: ExpiringCredits? {
        expires.map { ExpiringCredits(seq: seq, credits: remaining, expires: $0) }
    }

    /// S3: soonest expiry first (never-expiring last), then promotional before paid, then oldest.
    public static func burnOrder(_ a: GrantBucket, _ b: GrantBucket) -> Bool {
        switch (a.expires, b.expires) {
        case let (x?, y?) where x != y: return x < y
        case (.some, .none): return true
        case (.none, .some): return false
        default: break
        }
        let aPromo = a.source == .promo || a.source == .trial
        let bPromo = b.source == .promo || b.source == .trial
        if aPromo != bPromo { return aPromo }
        return a.seq < b.seq
    }
}

/// R5, S3: credits one job's charge took from one parcel, so that its refund gives them back to
/// that parcel, with its source and expiry date, even after the parcel ran empty.
public struct BurnedCredits: Hashable, Sendable {
    /// The parcel (its bucket's seq: the entry that created it), its source and its expiry date.
    public var seq: Int64
    public var source: GrantBucket.Source
    public var credits: Credits
    public var expires: Timestamp?

    public init(seq: Int64, source: GrantBucket.Source, credits: Credits, expires: Timestamp?) {
        self.seq = seq; self.source = source; self.credits = credits; self.expires = expires
    }

    /// Whether the parcel is credits that never expire and are not promotional (paid, or a plan
    /// grant with no expiry): they burn last, in age order, like any other such credits, so a
    /// charge keeps no note of them and a refund of them makes a parcel of its own.
    public var isLasting: Bool { expires == nil && (source == .paid || source == .plan) }
}

/// Credits of one grant that expire on a date (S3), as a workspace summary keeps them.
public struct ExpiringCredits: Hashable, Sendable {
    /// The entry that granted them.
    public var seq: Int64
    public var credits: Credits
    public var expires: Timestamp

    public init(seq: Int64, credits: Credits, expires: Timestamp) { self.seq = seq; self.credits = credits; self.expires = expires }

    /// S3: whether they have expired by `time`: `GrantBucket.isExpired`'s rule.
    public func isExpired(by time: Timestamp) -> Bool {
        GrantBucket(seq: seq, source: .paid, remaining: credits, expires: expires).isExpired(by: time)
    }
}

/// What the ledger knows of one job id in a workspace (R5, R6).
public struct JobRecord: Hashable, Sendable {
    public var chargeSeq: Int64
    public var action: String
    public var credits: Credits
    public var refundSeq: Int64?

    public init(chargeSeq: Int64, action: String, credits: Credits, refundSeq: Int64? = nil) {
        self.chargeSeq = chargeSeq; self.action = action; self.credits = credits; self.refundSeq = refundSeq
    }
}

/// R35: credits reserved for one running job: the hold entry, the action and its cost, and
/// when the hold releases itself if the job neither succeeds nor fails first.
public struct HoldRecord: Hashable, Sendable {
    /// The hold entry's seq.
    public var seq: Int64
    /// The action held for, and its cost in credits.
    public var action: String
    public var credits: Credits
    /// When the hold releases itself (R35).
    public var expires: Timestamp
    /// Who held it: the hold counts against their monthly limit until it is captured or released (R40).
    public var actor: String

    public init(seq: Int64, action: String, credits: Credits, expires: Timestamp, actor: String = "") {
        self.seq = seq; self.action = action; self.credits = credits; self.expires = expires; self.actor = actor
    }

    /// R35: whether the hold's time to live has run out by `time`.
    public func isExpired(by time: Timestamp) -> Bool { expires <= time }

    /// What a summary keeps of it: the hold's seq, credits and deadline.
    public var parcel: ExpiringCredits { ExpiringCredits(seq: seq, credits: credits, expires: expires) }
}

/// The R24 alert state machine for one workspace: each alert is armed, fires once on the way
/// down, and re-arms only when the balance climbs back above its threshold.
public struct AlertState: Hashable, Sendable {
    public var lowArmed = false
    public var emptyArmed = false
    public var lastLowSent: Timestamp?
    public var lastEmptySent: Timestamp?

    public init() {}
}

/// The alerts: R24's two, S3's expiry warning, and auto top-up's requests and warnings (R37–R39).
public enum AlertKind: String, Sendable, Codable {
    /// The balance dropped to the catalog's low threshold (10) or below.
    case low
    /// The balance reached zero.
    case empty
    /// Credits of one grant expire within the catalog's warning window (S3).
    case expiring
    /// R37: a top-up request for the billing side (`request`, `pack`, `price_cents`).
    case topUpRequest = "topup_request"
    /// R38: auto top-ups paid this month reached 80, 90 or 100 percent of the cap.
    case autoTopUp80 = "auto_topup_80", autoTopUp90 = "auto_topup_90", autoTopUp100 = "auto_topup_100"
    /// R38: a request would have passed the monthly cap, so none was written.
    case autoTopUpCapReached = "auto_topup_cap"
    /// R39: three declines in a row paused the rule.
    case autoTopUpPaused = "auto_topup_paused"

    /// R38: the warning for `percent` of the cap.
    public static func capWarning(_ percent: Int64) -> AlertKind {
        switch percent {
        case ..<90: return .autoTopUp80
        case ..<100: return .autoTopUp90
        default: return .autoTopUp100
        }
    }

    /// R38: the percent of the cap a warning stands for; nil for another alert.
    public var capPercent: Int64? {
        switch self {
        case .autoTopUp80: return 80
        case .autoTopUp90: return 90
        case .autoTopUp100: return 100
        default: return nil
        }
    }
}

/// Everything the ledger knows about one workspace, folded from its entries.
public struct WorkspaceState: Hashable, Sendable {
    public var id: String
    public var name: String
    public var owner: String
    public var members: [String] = []
    /// R42: people removed as members (and not added again), and the removal entry of each.
    public var removedMembers: [String: Int64] = [:]
    public var plan: String
    public var status: WorkspaceStatus
    public var createdAt: Timestamp
    public var lastActivity: Timestamp
    /// The last charge: when the workspace last used credits ("last use" everywhere); nil before any.
    public var lastCharge: Timestamp?
    public var balance: Credits = 0
    public var earned: Credits = 0
    public var spent: Credits = 0
    public var buckets: [GrantBucket] = []
    public var jobs = JobTable()
    /// R5, S3: by charge seq, the parcels each job charge not yet refunded burned, other than
    /// lasting credits (`BurnedCredits.isLasting`); derived by the fold from the burn order.
    public var burns: [Int64: [BurnedCredits]] = [:]
    /// Paid invoices and the grant entry each gave (R10).
    public var invoices: [String: Int64] = [:]
    /// Cloned items, as `kind:item`, and the charge that bought each (R7).
    public var owned: [String: Int64] = [:]
    /// R26: top-up payment references and the entry each bought.
    public var payments: [String: Int64] = [:]
    /// R26: adjustment and grant request ids and the entry each made.
    public var requests: [String: Int64] = [:]
    public var alerts = AlertState()
    /// R35: open holds by job id, and the credits they reserve in all.
    public var holds: [String: HoldRecord] = [:]
    public var held: Credits = 0
    /// R36: voided grants (grant seq) and the void entry of each.
    public var voided: [Int64: Int64] = [:]
    /// R37–R40: the auto top-up rule, its pending request and this month's spend against the cap.
    public var autoTopUp = AutoTopUpState()
    /// R40: members' monthly limits in credits, and what each spent this calendar month.
    public var memberLimits: [String: Credits] = [:]
    public var monthSpend = MemberMonthSpend()
    public var copilotUsed: Int64 = 0
    public var lastGrant: Timestamp?
    public var creditEntryCount: Int = 0

    public init(id: String, name: String, owner: String, plan: String, status: WorkspaceStatus, createdAt: Timestamp) {
        self.id = id; self.name = name; self.owner = owner; self.plan = plan; self.status = status
        self.createdAt = createdAt; self.lastActivity = createdAt
    }

    /// R35: the balance less what open holds reserve; what a new charge or hold is decided against.
    public var available: Credits { balance - held }

    /// R35: open holds whose time to live has run out by `time`, oldest first.
    public func holdsExpired(by time: Timestamp) -> [(job: String, hold: HoldRecord)] {
        holds.filter { $0.value.isExpired(by: time) }.map { ($0.key, $0.value) }.sorted { $0.hold.seq < $1.hold.seq }
    }

    /// The key under which a clone is owned.
    public static func ownedKey(kind: String, item: String) -> String { kind + ":" + item }

    /// Whether a person may act for this workspace as owner or member (R17).
    public func isOwnerOrMember(_ person: String) -> Bool { owner == person || members.contains(person) }

    /// Buckets whose expiry date has come by `time`, in burn order (S3).
    public func bucketsExpired(by time: Timestamp) -> [GrantBucket] {
        buckets.filter { $0.isExpired(by: time) }.sorted(by: GrantBucket.burnOrder)
    }

    /// S3 warning: the soonest expiry date after `time` and within `days`, and the credits that
    /// expire on it (later dates are not added in); nil when nothing expires in the window.
    /// `rolledOver` true keeps only R41's rolled-over parcels, false leaves them out, nil counts all.
    public func expiringSoon(after time: Timestamp, withinDays days: Int64, rolledOver: Bool? = nil) -> (credits: Credits, first: Timestamp)? {
        let horizon = time.adding(days: days)
        let soon = buckets.filter { bucket in
            guard let expires = bucket.expires, rolledOver.map({ $0 == (bucket.source == .rollover) }) ?? true else { return false }
            return bucket.remaining > 0 && expires > time && expires <= horizon
        }
        guard let first = soon.compactMap(\.expires).min() else { return nil }
        return (soon.filter { $0.expires == first }.reduce(0) { $0 + $1.remaining }, first)
    }

    /// R41: rolled-over credits that expire after `time` but within `days`: the soonest date and
    /// what expires on it (`expiringSoon`).
    public func rolledOverExpiringSoon(after time: Timestamp, withinDays days: Int64) -> (credits: Credits, first: Timestamp)? {
        expiringSoon(after: time, withinDays: days, rolledOver: true)
    }
}

/// What a list of workspaces shows: who, which plan, where the balance stands. Small enough to
/// keep for every workspace of a large ledger without their histories or idempotency keys.
public struct WorkspaceSummary: Hashable, Sendable {
    public var id: String
    public var name: String
    public var owner: String
    public var members: [String]
    public var plan: String
    public var status: WorkspaceStatus
    public var balance: Credits
    public var earned: Credits
    public var spent: Credits
    public var lastActivity: Timestamp
    /// The parcels of the balance that carry an expiry date (S3), so a summary is brought up to any
    /// time without loading its workspace (`broughtUp(to:)`).
    public var expiring: [ExpiringCredits]
    /// The last charge ("last use"); nil before any.
    public var lastCharge: Timestamp?
    /// R35: the open holds (hold seq, credits, deadline), so a list brings them up to any time.
    public var holds: [ExpiringCredits] = []
    /// R35: credits reserved by open holds, and the balance less them.
    public var held: Credits { holds.reduce(0) { $0 + $1.credits } }
    public var available: Credits { balance - held }
    /// Credits with an expiry date still in the balance (S3), and the soonest of those dates.
    public var expiringCredits: Credits { expiring.reduce(0) { $0 + $1.credits } }
    public var firstExpiry: Timestamp? { expiring.map(\.expires).min() }

    public init(id: String, name: String, owner: String, members: [String], plan: String, status: WorkspaceStatus,
                balance: Credits, earned: Credits, spent: Credits, lastActivity: Timestamp, expiring: [ExpiringCredits] = [],
                lastCharge: Timestamp? = nil) {
        self.id = id; self.name = name; self.owner = owner; self.members = members; self.plan = plan
        self.status = status; self.balance = balance; self.earned = earned; self.spent = spent; self.lastActivity = lastActivity
        self.expiring = expiring
        self.lastCharge = lastCharge
    }

    public init(_ ws: WorkspaceState) {
        self.init(id: ws.id, name: ws.name, owner: ws.owner, members: ws.members, plan: ws.plan, status: ws.status,
                  balance: ws.balance, earned: ws.earned, spent: ws.spent, lastActivity: ws.lastActivity,
                  expiring: ws.buckets.filter { $0.remaining > 0 }.compactMap(\.expiring).sorted { ($0.expires, $0.seq) < ($1.expires, $1.seq) },
                  lastCharge: ws.lastCharge)
        self.holds = ws.holds.values.map(\.parcel).sorted { $0.seq < $1.seq }
    }

    /// Whether credits of this workspace have expired by `time` without an expiry entry yet (S3).
    public func hasDueExpiry(at time: Timestamp) -> Bool {
        expiring.contains { $0.isExpired(by: time) } || holds.contains { $0.expires <= time }
    }

    /// S3: the summary as `Engine.bringUp` leaves its workspace at `time`: the parcels expired by
    /// then leave the balance and count as spent, as their expiry entries will (R21).
    public func broughtUp(to time: Timestamp) -> WorkspaceSummary {
        guard hasDueExpiry(at: time) else { return self }
        var summary = self
        let due = expiring.filter { $0.isExpired(by: time) }.reduce(0) { $0 + $1.credits }
        summary.balance -= due
        summary.spent += due
        summary.expiring.removeAll { $0.isExpired(by: time) }
        // R35: holds past their time to live release themselves, then those the balance no longer covers.
        summary.holds.removeAll { $0.expires <= time }
        let uncovered = HoldRelease.uncovered(summary.holds.map { ($0.seq, $0.credits) }, balance: summary.balance)
        summary.holds.removeAll { uncovered.contains($0.seq) }
        return summary
    }

    /// Whether a person may act for this workspace as owner or member (R17).
    public func isOwnerOrMember(_ person: String) -> Bool { owner == person || members.contains(person) }
}
