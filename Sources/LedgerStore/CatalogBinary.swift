import CreditKit
import LedgerCore

/// The binary form of a catalog that the checkpoint keeps next to the SHA-256 of the
/// `catalog.json` it was decoded from (format 9), so opening a ledger from its checkpoint
/// needs no JSON decoding. Every field of `Catalog`, in declaration order.
enum CatalogBinary {
    /// The most actions, plans or packs a cached catalog may list (a damaged count is refused).
    static let listCountMax = 10_000

    /// Writes `catalog` whole.
    static func encode(_ catalog: Catalog, into out: inout BinaryWriter) {
        out.int(Int64(catalog.format))
        out.string(catalog.id)
        out.string(catalog.name)
        out.string(catalog.currency)
        out.int(catalog.baseRateCentsPerCredit)
        out.bool(catalog.pricesAreExamples)
        out.count(catalog.actions.count)
        for action in catalog.actions { encode(action, into: &out) }
        out.count(catalog.plans.count)
        for plan in catalog.plans { encode(plan, into: &out) }
        out.count(catalog.packs.count)
        for pack in catalog.packs { out.string(pack.id); out.int(pack.priceCents); out.int(pack.credits) }
        out.int(catalog.badge.criticalAtOrBelow)
        out.int(catalog.badge.lowAtOrBelow)
        out.int(catalog.alerts.lowAtOrBelow)
        out.bool(catalog.expiry != nil)
        if let expiry = catalog.expiry { encode(expiry, into: &out) }
    }

    /// Reads what `encode` wrote; throws on any count, flag or text that cannot be one.
    static func decode(_ input: inout BinaryReader) throws(BinaryReadError) -> Catalog {
        let format = Int(try input.int())
        let id = try input.string(), name = try input.string(), currency = try input.string()
        let baseRate = try input.int()
        let examples = try input.bool()
        var actions: [Catalog.Action] = []
        for _ in 0..<(try input.count(max: listCountMax)) { actions.append(try action(&input)) }
        var plans: [Catalog.Plan] = []
        for _ in 0..<(try input.count(max: listCountMax)) { plans.append(try plan(&input)) }
        var packs: [Catalog.Pack] = []
        for _ in 0..<(try input.count(max: listCountMax)) {
            packs.append(Catalog.Pack(id: try input.string(), priceCents: try input.int(), credits: try input.int()))
        }
        let badge = Catalog.BadgeThresholds(criticalAtOrBelow: try input.int(), lowAtOrBelow: try input.int())
        let alerts = Catalog.AlertThresholds(lowAtOrBelow: try input.int())
        let expiry = try input.bool() ? try self.expiry(&input) : nil
        return Catalog(format: format, id: id, name: name, currency: currency, baseRateCentsPerCredit: baseRate,
                       pricesAreExamples: examples, actions: actions, plans: plans, packs: packs,
                       badge: badge, alerts: alerts, expiry: expiry)
    }

    private static func encode(_ action: Catalog.Action, into out: inout BinaryWriter) {
        out.string(action.id)
        out.string(action.name)
        out.int(action.credits)
        out.string(action.kind.rawValue)
        out.bool(action.clones != nil)
        if let clones = action.clones { out.string(clones) }
    }

    private static func action(_ input: inout BinaryReader) throws(BinaryReadError) -> Catalog.Action {
        let id = try input.string(), name = try input.string(), credits = try input.int()
        guard let kind = Catalog.Action.Kind(rawValue: try input.string()) else {
            throw BinaryReadError(problem: "has a catalog that names an unknown kind of action")
        }
        let clones = try input.bool() ? try input.string() : nil
        return Catalog.Action(id: id, name: name, credits: credits, kind: kind, clones: clones)
    }

    private static func encode(_ plan: Catalog.Plan, into out: inout BinaryWriter) {
        out.string(plan.id)
        out.string(plan.name)
        out.int(plan.monthlyGrant)
        out.int(plan.copilotMessages)
        out.bool(plan.rollover != nil)
        if let rollover = plan.rollover { out.int(rollover.capCredits); out.int(rollover.validDays) }
    }

    private static func plan(_ input: inout BinaryReader) throws(BinaryReadError) -> Catalog.Plan {
        let id = try input.string(), name = try input.string()
        let grant = try input.int(), messages = try input.int()
        let rollover = try input.bool() ? Catalog.Rollover(capCredits: try input.int(), validDays: try input.int()) : nil
        return Catalog.Plan(id: id, name: name, monthlyGrant: grant, copilotMessages: messages, rollover: rollover)
    }

    private static func encode(_ expiry: Catalog.ExpiryPolicy, into out: inout BinaryWriter) {
        out.optionalInt(expiry.packValidDays)
        out.bool(expiry.planCreditsExpireAtRenewal)
        out.optionalInt(expiry.planCreditsValidDays)
        out.int(expiry.warnDays)
    }

    private static func expiry(_ input: inout BinaryReader) throws(BinaryReadError) -> Catalog.ExpiryPolicy {
        Catalog.ExpiryPolicy(packValidDays: try input.optionalInt(), planCreditsExpireAtRenewal: try input.bool(),
                             planCreditsValidDays: try input.optionalInt(), warnDays: try input.int())
    }
}
