/// One thing wrong with a catalog: the field (a JSON path) and what is wrong with it.
public struct CatalogProblem: Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var problem: String

    public init(field: String, problem: String) { self.field = field; self.problem = problem }

    public var description: String { "\(field): \(problem)" }
}

extension Catalog {
    /// The upper bound on any single price or amount in a catalog, to keep every sum in 64 bits.
    public static let amountMax: Int64 = 1_000_000_000

    /// Every problem in this catalog, empty when it is usable. Checked when a catalog is loaded.
    public func problems() -> [CatalogProblem] {
        var found: [CatalogProblem] = []
        func check(_ condition: Bool, _ field: String, _ problem: String) {
            if !condition { found.append(CatalogProblem(field: field, problem: problem)) }
        }
        check(format >= 1 && format <= Catalog.formatSupported, "format",
              "is \(format), this build reads format 1 to \(Catalog.formatSupported)")
        check(Identifier.isValid(id), "id", "must be a lowercase identifier, is \"\(id)\"")
        check(!name.isEmpty, "name", "must not be empty")
        check(baseRateCentsPerCredit > 0 && baseRateCentsPerCredit <= Catalog.amountMax,
              "base_rate_cents_per_credit", "must be a positive whole number of cents")
        check(!actions.isEmpty, "actions", "must list at least one action")
        check(!plans.isEmpty, "plans", "must list at least one plan")
        check(!packs.isEmpty, "packs", "must list at least one pack")
        checkUnique(actions.map(\.id), "actions", &found)
        checkUnique(plans.map(\.id), "plans", &found)
        checkUnique(packs.map(\.id), "packs", &found)
        for (index, action) in actions.enumerated() {
            let field = "actions[\(index)]"
            check(Identifier.isValid(action.id), "\(field).id", "must be a lowercase identifier, is \"\(action.id)\"")
            check(action.credits > 0 && action.credits <= Catalog.amountMax, "\(field).credits",
                  "must be a positive whole number, is \(action.credits)")
            if action.kind == .clone {
                check(action.clones.map(Identifier.isValid) ?? false, "\(field).clones",
                      "a clone action must say what it clones (product, fabric, design)")
            }
        }
        for (index, plan) in plans.enumerated() {
            let field = "plans[\(index)]"
            check(Identifier.isValid(plan.id), "\(field).id", "must be a lowercase identifier, is \"\(plan.id)\"")
            check(plan.monthlyGrant >= 0 && plan.monthlyGrant <= Catalog.amountMax, "\(field).monthly_grant",
                  "must be zero or a positive whole number, is \(plan.monthlyGrant)")
            check(plan.copilotMessages >= 0 && plan.copilotMessages <= Catalog.amountMax, "\(field).copilot_messages",
                  "must be zero or a positive whole number, is \(plan.copilotMessages)")
            if let rollover = plan.rollover {
                check(rollover.capCredits > 0 && rollover.capCredits <= Catalog.amountMax, "\(field).rollover.cap_credits",
                      "must be a positive whole number, is \(rollover.capCredits)")
                check(rollover.validDays > 0 && rollover.validDays <= 3650, "\(field).rollover.valid_days", "must be between 1 and 3650")
                check(expiry?.planCreditsExpireAtRenewal == true, "\(field).rollover",
                      "needs expiry.plan_credits_expire_at_renewal: without it plan credits never leave, so nothing rolls over")
            }
        }
        for (index, pack) in packs.enumerated() {
            let field = "packs[\(index)]"
            check(Identifier.isValid(pack.id), "\(field).id", "must be a lowercase identifier, is \"\(pack.id)\"")
            check(pack.priceCents > 0 && pack.priceCents <= Catalog.amountMax, "\(field).price_cents",
                  "must be a positive whole number of cents, is \(pack.priceCents)")
            check(pack.credits > 0 && pack.credits <= Catalog.amountMax, "\(field).credits",
                  "must be a positive whole number, is \(pack.credits)")
        }
        check(badge.criticalAtOrBelow >= 0, "badge.critical_at_or_below", "must not be negative")
        check(badge.lowAtOrBelow > badge.criticalAtOrBelow, "badge.low_at_or_below",
              "must be above critical_at_or_below (\(badge.criticalAtOrBelow))")
        check(alerts.lowAtOrBelow > 0, "alerts.low_at_or_below", "must be above zero")
        if let expiry {
            check(expiry.packValidDays.map { $0 > 0 && $0 <= 36_500 } ?? true, "expiry.pack_valid_days",
                  "must be between 1 and 36500 days")
            check(expiry.planCreditsValidDays.map { $0 > 0 && $0 <= 3650 } ?? true, "expiry.plan_credits_valid_days",
                  "must be between 1 and 3650 days")
            check(expiry.warnDays >= 0 && expiry.warnDays <= 3650, "expiry.warn_days", "must be between 0 and 3650")
        }
        return found
    }

    private func checkUnique(_ ids: [String], _ field: String, _ found: inout [CatalogProblem]) {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            found.append(CatalogProblem(field: field, problem: "lists \"\(id)\" twice"))
        }
    }
}

/// Rules for the ids people type: workspaces, actions, packs, plans.
public enum Identifier {
    public static let lengthMax = 64

    /// Lowercase letters, digits, `-`, `_`, `.`; starts with a letter or digit; at most 64 bytes.
    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= lengthMax, isLowerAlnum(first) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
    }
}

extension Catalog {
    /// The longest name a catalog may give its actions, plans or itself.
    public static let nameLengthMax = 80

    /// Every problem in the catalog's free text (its name, currency, action and plan names):
    /// each must be one line of `FreeText.isValidLine`, so no catalog can add a posting, a
    /// directive or a formula to an export. Checked when a ledger is created;
    /// an older ledger's catalog still opens, its text shown with `FreeText.shown`.
    public func textProblems() -> [CatalogProblem] {
        var found: [CatalogProblem] = []
        func check(_ text: String, _ field: String) {
            guard !FreeText.isValidLine(text, lengthMax: Catalog.nameLengthMax) else { return }
            found.append(CatalogProblem(field: field, problem: "must be one line of printable text, not blank, at most \(Catalog.nameLengthMax) bytes"))
        }
        check(name, "name")
        check(currency, "currency")
        for (index, action) in actions.enumerated() { check(action.name, "actions[\(index)].name") }
        for (index, plan) in plans.enumerated() { check(plan.name, "plans[\(index)].name") }
        return found
    }
}
