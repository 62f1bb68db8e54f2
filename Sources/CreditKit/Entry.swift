/// What a journal record says happened. Credit kinds move a balance; the others record who
/// and what the ledger knows about (operators, workspaces, plans, alerts, Copilot use).
public enum EntryKind: String, CaseIterable, Sendable, Codable {
    // Credit entries (R22): each moves a balance and carries the balance after it.
    case grant, topup, charge, refund, adjustment, expiry
    // Records that change no balance.
    case initialize = "init", `operator`, workspace, member, plan, trial, cancel, copilot, alert
    /// R27: support put the ledger's clock back behind a record dated in the future.
    case clockReset = "clock_reset"
    /// R35: credits reserved for a running job, and their release (failure or expiry); R36: a void.
    case hold, release, void
    /// R37: an auto top-up rule set (or resumed), switched off; R39: a top-up request declined.
    case autoTopUp = "auto_topup", autoTopUpOff = "auto_topup_off", topUpDeclined = "topup_declined"
    /// R40: the owner or support set or lifted one member's monthly spending limit.
    case memberLimit = "member_limit"
    /// R42: the owner or support removed a member from a workspace, or support removed a support
    /// agent from the ledger, with a reason; the person may be added again later.
    case memberRemoved = "member_removed", operatorRemoved = "operator_removed"

    /// Whether entries of this kind move credits and appear in a workspace's credit history.
    public var movesCredits: Bool {
        switch self {
        case .grant, .topup, .charge, .refund, .adjustment, .expiry, .hold, .release, .void: return true
        default: return false
        }
    }

    /// The kinds a history can be filtered by.
    public static let creditKinds: [EntryKind] = [.grant, .topup, .charge, .refund, .adjustment, .expiry, .hold, .release, .void]
}

/// Where granted credits came from; decides burn-down order under expiry (S3).
public enum GrantSource: String, Sendable, Codable, CaseIterable {
    case plan, promo, trial

    /// Promotional and trial credits burn before paid ones (S3).
    public var isPromotional: Bool { self != .plan }
}

/// One journal record: a sequence number, a time, a kind, who did it, and the fields of that kind.
/// The ledger adds the hash chain; `hash` is filled in once the record is written.
public struct Entry: Hashable, Sendable {
    public var seq: Int64
    public var time: Timestamp
    public var kind: EntryKind
    public var actor: String
    public var workspace: String?
    /// Signed change to the balance; zero for records that move no credits.
    public var credits: Credits = 0
    /// The workspace balance after this entry (credit kinds only).
    public var balance: Credits?
    /// R35: for a hold or a release, the credits it reserves or frees (the balance is unchanged).
    public var held: Credits?
    public var action: String?
    public var job: String?
    public var item: String?
    public var pack: String?
    public var priceCents: Cents?
    public var invoice: String?
    public var plan: String?
    public var reason: String?
    public var source: GrantSource?
    public var expires: Timestamp?
    /// The record this one answers: a refund's charge, an expiry's grant, an alert's cause.
    public var ref: Int64?
    /// For an adjustment that undoes a mistaken one or a grant (R34): the `seq` it reverses.
    public var reverses: Int64?
    public var name: String?
    public var owner: String?
    public var member: String?
    public var role: String?
    public var status: WorkspaceStatus?
    public var messages: Int64?
    public var alert: AlertKind?
    /// For a top-up a support agent made for the owner: the owner it was made for.
    public var onBehalfOf: String?
    /// R26: a top-up's payment reference, once per workspace.
    public var payment: String?
    /// R26: an adjustment's or grant's request id, once per workspace.
    public var request: String?
    /// R18 on PostgreSQL: the support agent's authenticated role that really acted when `actor`
    /// names the person acted for (`--as`); nil when the actor acted itself (always on a file ledger).
    public var by: String?
    /// R37: an auto top-up rule's threshold and target balance (credits) and monthly cap (cents).
    public var threshold: Credits?
    public var target: Credits?
    public var capCents: Cents?
    /// R40: a member's monthly limit in credits (`member_limit`; absent lifts the limit).
    public var limit: Credits?
    /// R41: on a plan grant carried over at renewal, the credits it carries (its `credits` is 0:
    /// they move from grant `ref` to this one, so the balance is unchanged).
    public var rollover: Credits?
    /// For `init`: the catalog this ledger prices with, and the SHA-256 of its file.
    public var catalog: String?
    public var catalogHash: String?
    /// For `init`: `test` when the ledger runs on a test clock (R27); absent means the real clock.
    public var clock: LedgerClock?
    /// SHA-256 of this record as written (hex); empty until the ledger writes it.
    public var hash: String = ""

    public init(seq: Int64, time: Timestamp, kind: EntryKind, actor: String, workspace: String? = nil) {
        self.seq = seq; self.time = time; self.kind = kind; self.actor = actor; self.workspace = workspace
    }

    /// The reference that explains a credit entry, for history lines: `job j-1`, `pack topup_50`...
    public var reference: String {
        if let job { return "job \(job)" }
        if let item { return "item \(item)" }
        if let pack { return "pack \(pack)" }
        if let invoice { return "invoice \(invoice)" }
        if let reason { return reason }
        if let ref { return "entry #\(ref)" }
        return ""
    }
}
