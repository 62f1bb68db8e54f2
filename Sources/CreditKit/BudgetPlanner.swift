/// R25: from monthly volumes, the credits needed, what the plan grant covers, and the cheapest
/// set of packs for the rest, found by exact search over the catalog's packs.
public enum BudgetPlanner {
    /// The largest shortfall the exact search plans for; beyond it whole best-value packs fill the bulk.
    public static let exactSearchUnitsMax: Int64 = 2_000_000
    /// The largest count of one action a plan accepts.
    public static let volumeMax: Int64 = 10_000_000

    /// One line of a budget: an action and how often it runs in a month.
    public struct Volume: Hashable, Sendable {
        public var action: Catalog.Action
        public var count: Int64
        public var credits: Credits { action.credits * count }

        public init(action: Catalog.Action, count: Int64) { self.action = action; self.count = count }
    }

    /// The plan R25 shows.
    public struct Budget: Hashable, Sendable {
        public var volumes: [Volume]
        public var plan: Catalog.Plan?
        public var creditsNeeded: Credits
        public var coveredByGrant: Credits
        public var coveredByBalance: Credits
        public var toBuy: Credits
        public var packs: PackSuggestion?
        /// What the credits to buy would cost at the base rate, for comparison.
        public var baseRateCents: Cents
    }

    /// Plans a month: volumes by action id, an optional plan, and credits already in the balance.
    public static func plan(volumes: [(action: String, count: Int64)], plan planID: String?, balance: Credits = 0,
                            catalog: Catalog) -> Result<Budget, Rejection> {
        var lines: [Volume] = []
        for (id, count) in volumes {
            guard let action = catalog.action(id) else { return .failure(.unknownAction(id)) }
            guard count >= 0 && count <= volumeMax else {
                return .failure(.invalidAmount("a monthly volume must be between 0 and \(AmountFormat.grouped(volumeMax))"))
            }
            lines.append(Volume(action: action, count: count))
        }
        var plan: Catalog.Plan?
        if let planID {
            guard let found = catalog.plan(planID) else { return .failure(.unknownPlan(planID)) }
            plan = found
        }
        let needed = lines.reduce(0) { $0 + $1.credits }
        let grant = min(needed, plan?.monthlyGrant ?? 0)
        let fromBalance = min(needed - grant, max(0, balance))
        let toBuy = needed - grant - fromBalance
        return .success(Budget(volumes: lines, plan: plan, creditsNeeded: needed, coveredByGrant: grant,
                               coveredByBalance: fromBalance, toBuy: toBuy,
                               packs: toBuy > 0 ? cheapestMix(covering: toBuy, catalog: catalog) : nil,
                               baseRateCents: toBuy * catalog.baseRateCentsPerCredit))
    }

    /// R8: the smallest single pack that covers a shortfall, or the cheapest mix when none does.
    public static func smallestCovering(_ shortfall: Credits, catalog: Catalog) -> PackSuggestion? {
        guard shortfall > 0 else { return nil }
        if let pack = catalog.packs.filter({ $0.credits >= shortfall }).min(by: { ($0.credits, $0.priceCents) < ($1.credits, $1.priceCents) }) {
            return PackSuggestion(packs: [(pack, 1)])
        }
        return cheapestMix(covering: shortfall, catalog: catalog)
    }

    /// The cheapest multiset of packs giving at least `credits`; among equal prices, the most
    /// credits, then the fewest packs. Exact (unbounded knapsack over credit units).
    public static func cheapestMix(covering credits: Credits, catalog: Catalog) -> PackSuggestion? {
        let packs = catalog.packs.filter { $0.credits > 0 && $0.priceCents > 0 }
        guard credits > 0, let best = catalog.bestValuePack, !packs.isEmpty else { return nil }
        let unit = packs.reduce(0) { gcd($0, $1.credits) }
        var target = (credits + unit - 1) / unit
        // Above the search bound, whole best-value packs take the bulk; the rest is searched exactly.
        var bulk: Int64 = 0
        let bestUnits = best.credits / unit
        if target > exactSearchUnitsMax {
            bulk = (target - exactSearchUnitsMax) / bestUnits + 1
            target -= bulk * bestUnits
        }
        var counts: [String: Int64] = [:]
        if target > 0 {
            for (pack, count) in exactMix(targetUnits: Int(target), unit: unit, packs: packs) { counts[pack.id, default: 0] += count }
        }
        if bulk > 0 { counts[best.id, default: 0] += bulk }
        let ordered = packs.sorted { $0.credits > $1.credits }.compactMap { pack in counts[pack.id].map { (pack, $0) } }
        return PackSuggestion(packs: ordered)
    }

    /// Unbounded knapsack: cheapest[u] is the least price that reaches at least u units.
    private static func exactMix(targetUnits: Int, unit: Int64, packs: [Catalog.Pack]) -> [(Catalog.Pack, Int64)] {
        struct Cell { var price: Cents; var credits: Credits; var count: Int64; var choice: Int }
        let unreachable = Cell(price: .max, credits: 0, count: 0, choice: -1)
        var cells = [Cell](repeating: unreachable, count: targetUnits + 1)
        cells[0] = Cell(price: 0, credits: 0, count: 0, choice: -1)
        for u in 1...targetUnits {
            var best = unreachable
            for (index, pack) in packs.enumerated() {
                let previous = cells[max(0, u - Int(pack.credits / unit))]
                let candidate = Cell(price: previous.price + pack.priceCents, credits: previous.credits + pack.credits,
                                     count: previous.count + 1, choice: index)
                if (candidate.price, -candidate.credits, candidate.count) < (best.price, -best.credits, best.count) {
                    best = candidate
                }
            }
            cells[u] = best
        }
        var mix: [String: (Catalog.Pack, Int64)] = [:]
        var u = targetUnits
        while u > 0, cells[u].choice >= 0 {
            let pack = packs[cells[u].choice]
            mix[pack.id, default: (pack, 0)].1 += 1
            u = max(0, u - Int(pack.credits / unit))
        }
        return Array(mix.values)
    }

    /// How much cheaper per credit `pack` is than `other`, in basis points (400 = 4.00%).
    public static func savingsBasisPoints(of pack: Catalog.Pack, versus other: Catalog.Pack) -> Int64 {
        // (other/credit - pack/credit) / (other/credit), in integers.
        let otherRate = other.priceCents * pack.credits
        let packRate = pack.priceCents * other.credits
        guard otherRate > 0 else { return 0 }
        // Rounded half up, also below zero (when `pack` is the dearer one).
        return floorDiv((otherRate - packRate) * 10_000 * 2 + otherRate, otherRate * 2)
    }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
}
