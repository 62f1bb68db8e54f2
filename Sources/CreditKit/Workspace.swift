/// Subscription state of a workspace (R12, R14).
public enum WorkspaceStatus: String, Sendable, Codable, CaseIterable {
    case trial, active, cancelled
}

/// A parcel of credits with a source and an optional expiry date (S3). Every credit in a balance
/// sits in exactly one bucket; charges draw from buckets in `burnOrder`.
public struct GrantBucket: Hashable, Sendable {
    public enum Source: String, Sendable { case plan, promo, trial, paid }
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

/// The R24 alert state machine for one workspace: each alert is armed, fires once on the way
/// down, and re-arms only when the balance climbs back above its threshold.
public struct AlertState: Hashable, Sendable {
    public var lowArmed = false
    public var emptyArmed = false
    public var lastLowSent: Timestamp?
    public var lastEmptySent: Timestamp?

    public init() {}
}

/// The two alerts of R24.
public enum AlertKind: String, Sendable, Codable {
    /// The balance dropped to the catalog's low threshold (10) or below.
    case low
    /// The balance reached zero.
    case empty
    /// Credits of one grant expire within the catalog's warning window (S3).
    case expiring
}

/// Everything the ledger knows about one workspace, folded from its entries.
public struct WorkspaceState: Hashable, Sendable {
    public var id: String
    public var name: String
    public var owner: String
    public var members: [String] = []
    public var plan: String
    public var status: WorkspaceStatus
    public var createdAt: Timestamp
    public var lastActivity: Timestamp
    public var balance: Credits = 0
    public var earned: Credits = 0
    public var spent: Credits = 0
    public var buckets: [GrantBucket] = []
    public var jobs = JobTable()
    /// Paid invoices and the grant entry each gave (R10).
    public var invoices: [String: Int64] = [:]
    /// Cloned items, as `kind:item`, and the charge that bought each (R7).
    public var owned: [String: Int64] = [:]
    public var alerts = AlertState()
    public var copilotUsed: Int64 = 0
    public var lastGrant: Timestamp?
    /// When the workspace was last charged (an action or a clone); nil before its first charge.
    public var lastCharge: Timestamp?
    public var creditEntryCount: Int = 0

    public init(id: String, name: String, owner: String, plan: String, status: WorkspaceStatus, createdAt: Timestamp) {
        self.id = id; self.name = name; self.owner = owner; self.plan = plan; self.status = status
        self.createdAt = createdAt; self.lastActivity = createdAt
    }

    /// The key under which a clone is owned.
    public static func ownedKey(kind: String, item: String) -> String { kind + ":" + item }

    /// Whether a person may act for this workspace as owner or member (R17).
    public func isOwnerOrMember(_ person: String) -> Bool { owner == person || members.contains(person) }

    /// Buckets whose expiry date has come by `time`, in burn order (S3).
    public func bucketsExpired(by time: Timestamp) -> [GrantBucket] {
        buckets.filter { $0.remaining > 0 && ($0.expires.map { $0 <= time } ?? false) }.sorted(by: GrantBucket.burnOrder)
    }

    /// Credits that expire after `time` but within `days`, with the soonest such date (S3 warning).
    public func expiringSoon(after time: Timestamp, withinDays days: Int64) -> (credits: Credits, first: Timestamp)? {
        let horizon = time.adding(days: days)
        let soon = buckets.filter { bucket in
            guard let expires = bucket.expires else { return false }
            return bucket.remaining > 0 && expires > time && expires <= horizon
        }
        guard let first = soon.compactMap(\.expires).min() else { return nil }
        return (soon.reduce(0) { $0 + $1.remaining }, first)
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
    /// When it was last charged; nil before its first charge (or when an older checkpoint did not say).
    public var lastCharge: Timestamp?
    /// Credits with an expiry date still in the balance (S3), and the soonest of those dates.
    public var expiringCredits: Credits = 0
    public var firstExpiry: Timestamp?

    public init(id: String, name: String, owner: String, members: [String], plan: String, status: WorkspaceStatus,
                balance: Credits, earned: Credits, spent: Credits, lastActivity: Timestamp) {
        self.id = id; self.name = name; self.owner = owner; self.members = members; self.plan = plan
        self.status = status; self.balance = balance; self.earned = earned; self.spent = spent; self.lastActivity = lastActivity
    }

    public init(_ ws: WorkspaceState) {
        self.init(id: ws.id, name: ws.name, owner: ws.owner, members: ws.members, plan: ws.plan, status: ws.status,
                  balance: ws.balance, earned: ws.earned, spent: ws.spent, lastActivity: ws.lastActivity)
        lastCharge = ws.lastCharge
        let dated = ws.buckets.filter { $0.remaining > 0 && $0.expires != nil }
        expiringCredits = dated.reduce(0) { $0 + $1.remaining }
        firstExpiry = dated.compactMap(\.expires).min()
    }

    /// Whether a person may act for this workspace as owner or member (R17).
    public func isOwnerOrMember(_ person: String) -> Bool { owner == person || members.contains(person) }
}
