/// What a ledger prices with: actions, plans, top-up packs, badge and alert thresholds, expiry.
/// Always data (`Data/catalogs/*.json`), never written in code.
public struct Catalog: Codable, Hashable, Sendable {
    /// Highest catalog format this build understands.
    public static let formatSupported = 1

    public var format: Int
    public var id: String
    public var name: String
    public var currency: String
    public var baseRateCentsPerCredit: Cents
    public var pricesAreExamples: Bool
    public var actions: [Action]
    public var plans: [Plan]
    public var packs: [Pack]
    public var badge: BadgeThresholds
    public var alerts: AlertThresholds
    public var expiry: ExpiryPolicy?

    public init(format: Int, id: String, name: String, currency: String, baseRateCentsPerCredit: Cents,
                pricesAreExamples: Bool, actions: [Action], plans: [Plan], packs: [Pack],
                badge: BadgeThresholds, alerts: AlertThresholds, expiry: ExpiryPolicy?) {
        self.format = format; self.id = id; self.name = name; self.currency = currency
        self.baseRateCentsPerCredit = baseRateCentsPerCredit; self.pricesAreExamples = pricesAreExamples
        self.actions = actions; self.plans = plans; self.packs = packs
        self.badge = badge; self.alerts = alerts; self.expiry = expiry
    }

    enum CodingKeys: String, CodingKey {
        case format, id, name, currency, actions, plans, packs, badge, alerts, expiry
        case baseRateCentsPerCredit = "base_rate_cents_per_credit"
        case pricesAreExamples = "prices_are_examples"
    }

    /// A metered action (R1, S1): a job that is charged on success, or a one-time clone (R7).
    public struct Action: Codable, Hashable, Sendable {
        public enum Kind: String, Codable, Sendable { case job, clone }
        public var id: String
        public var name: String
        public var credits: Credits
        public var kind: Kind
        /// For clones: what is cloned (`product`, `fabric`, `design`).
        public var clones: String?

        public init(id: String, name: String, credits: Credits, kind: Kind, clones: String? = nil) {
            self.id = id; self.name = name; self.credits = credits; self.kind = kind; self.clones = clones
        }
    }

    /// A subscription plan (R2) with its Copilot allowance (R9).
    public struct Plan: Codable, Hashable, Sendable {
        public var id: String
        public var name: String
        public var monthlyGrant: Credits
        public var copilotMessages: Int64
        /// R41: what of this plan's unused grant carries over at renewal; absent: nothing (S3).
        public var rollover: Rollover?

        public init(id: String, name: String, monthlyGrant: Credits, copilotMessages: Int64, rollover: Rollover? = nil) {
            self.id = id; self.name = name; self.monthlyGrant = monthlyGrant; self.copilotMessages = copilotMessages
            self.rollover = rollover
        }

        enum CodingKeys: String, CodingKey {
            case id, name, rollover
            case monthlyGrant = "monthly_grant"
            case copilotMessages = "copilot_messages"
        }
    }

    /// R41: rollover with a cap: at a paid invoice, at most `capCredits` of the previous plan
    /// grant's unused credits carry over as their own grant, expiring `validDays` later.
    public struct Rollover: Codable, Hashable, Sendable {
        /// The most credits that carry over at one renewal.
        public var capCredits: Credits
        /// Days the carried credits stay valid after the renewal that carried them.
        public var validDays: Int64

        public init(capCredits: Credits, validDays: Int64) { self.capCredits = capCredits; self.validDays = validDays }

        enum CodingKeys: String, CodingKey {
            case capCredits = "cap_credits"
            case validDays = "valid_days"
        }
    }

    /// A top-up pack (R3, S2).
    public struct Pack: Codable, Hashable, Sendable {
        public var id: String
        public var priceCents: Cents
        public var credits: Credits

        public init(id: String, priceCents: Cents, credits: Credits) {
            self.id = id; self.priceCents = priceCents; self.credits = credits
        }

        enum CodingKeys: String, CodingKey {
            case id, credits
            case priceCents = "price_cents"
        }
    }

    /// Balance levels for the badge (R20).
    public struct BadgeThresholds: Codable, Hashable, Sendable {
        public var criticalAtOrBelow: Credits
        public var lowAtOrBelow: Credits

        public init(criticalAtOrBelow: Credits, lowAtOrBelow: Credits) {
            self.criticalAtOrBelow = criticalAtOrBelow; self.lowAtOrBelow = lowAtOrBelow
        }

        enum CodingKeys: String, CodingKey {
            case criticalAtOrBelow = "critical_at_or_below"
            case lowAtOrBelow = "low_at_or_below"
        }
    }

    /// When the low-balance email goes out (R24); the second alert is always at zero.
    public struct AlertThresholds: Codable, Hashable, Sendable {
        public var lowAtOrBelow: Credits

        public init(lowAtOrBelow: Credits) { self.lowAtOrBelow = lowAtOrBelow }

        enum CodingKeys: String, CodingKey { case lowAtOrBelow = "low_at_or_below" }
    }

    /// Expiry of grants (S3). Absent: credits never expire (R16).
    public struct ExpiryPolicy: Codable, Hashable, Sendable {
        /// Days a bought pack stays valid.
        public var packValidDays: Int64?
        /// Plan credits left at the next paid invoice expire then (no rollover).
        public var planCreditsExpireAtRenewal: Bool
        /// The expected renewal period: plan credits carry this expiry date, so they burn before
        /// longer-lived credits and still expire if no renewal comes.
        public var planCreditsValidDays: Int64?
        /// How many days ahead a coming expiry is announced.
        public var warnDays: Int64

        public init(packValidDays: Int64?, planCreditsExpireAtRenewal: Bool, planCreditsValidDays: Int64? = nil, warnDays: Int64) {
            self.packValidDays = packValidDays
            self.planCreditsExpireAtRenewal = planCreditsExpireAtRenewal
            self.planCreditsValidDays = planCreditsValidDays
            self.warnDays = warnDays
        }

        enum CodingKeys: String, CodingKey {
            case packValidDays = "pack_valid_days"
            case planCreditsExpireAtRenewal = "plan_credits_expire_at_renewal"
            case planCreditsValidDays = "plan_credits_valid_days"
            case warnDays = "warn_days"
        }
    }

    public func action(_ id: String) -> Action? { actions.first { $0.id == id } }
    public func plan(_ id: String) -> Plan? { plans.first { $0.id == id } }
    public func pack(_ id: String) -> Pack? { packs.first { $0.id == id } }

    /// The clone action for a kind of item (`product` → `clone_product`).
    public func cloneAction(for itemKind: String) -> Action? {
        actions.first { $0.kind == .clone && $0.clones == itemKind }
    }

    /// Bonus of a pack over the base rate, in whole percent (2,200 credits for $200 at $0.10 → 10).
    public func bonusPercent(of pack: Pack) -> Int64 {
        guard baseRateCentsPerCredit > 0, pack.priceCents > 0 else { return 0 }
        let baseCredits = pack.priceCents / baseRateCentsPerCredit
        guard baseCredits > 0 else { return 0 }
        // Rounded half up, also below zero (a pack dearer than the base rate).
        return floorDiv((pack.credits - baseCredits) * 100 + baseCredits / 2, baseCredits)
    }

    /// The pack with the lowest price per credit; the larger pack wins a tie.
    public var bestValuePack: Pack? {
        packs.min { a, b in
            let left = a.priceCents * b.credits, right = b.priceCents * a.credits
            return left != right ? left < right : a.credits > b.credits
        }
    }
}
