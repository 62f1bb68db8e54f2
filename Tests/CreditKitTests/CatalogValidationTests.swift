import Foundation
import Testing
@testable import CreditKit

/// `Catalog.problems()`: a bad catalog is refused with the field that is wrong.
@Suite struct CatalogValidationTests {
    @Test(arguments: ["konfiwear", "sofia"])
    func shippedCatalogsHaveNoProblems(name: String) throws {
        let catalog = try Catalogs.load(name)
        #expect(catalog.problems() == [])
        #expect(catalog.id == name)
        #expect(catalog.format == Catalog.formatSupported)
    }

    struct Breakage: Sendable, CustomTestStringConvertible {
        var field: String
        var change: @Sendable (inout Catalog) -> Void
        var testDescription: String { field }
    }

    static let breakages: [Breakage] = [
        Breakage(field: "format") { $0.format = 2 },
        Breakage(field: "format") { $0.format = 0 },
        Breakage(field: "id") { $0.id = "Konfi Wear" },
        Breakage(field: "name") { $0.name = "" },
        Breakage(field: "base_rate_cents_per_credit") { $0.baseRateCentsPerCredit = 0 },
        Breakage(field: "actions") { $0.actions = [] },
        Breakage(field: "plans") { $0.plans = [] },
        Breakage(field: "packs") { $0.packs = [] },
        Breakage(field: "actions") { $0.actions.append($0.actions[0]) },
        Breakage(field: "plans") { $0.plans.append($0.plans[1]) },
        Breakage(field: "packs") { $0.packs.append($0.packs[2]) },
        Breakage(field: "actions[1].id") { $0.actions[1].id = "AI-Vector" },
        Breakage(field: "actions[1].credits") { $0.actions[1].credits = 0 },
        Breakage(field: "actions[0].credits") { $0.actions[0].credits = Catalog.amountMax + 1 },
        Breakage(field: "actions[3].clones") { $0.actions[3].clones = nil },
        Breakage(field: "plans[0].id") { $0.plans[0].id = "" },
        Breakage(field: "plans[0].monthly_grant") { $0.plans[0].monthlyGrant = -1 },
        Breakage(field: "plans[2].copilot_messages") { $0.plans[2].copilotMessages = -5 },
        Breakage(field: "packs[4].id") { $0.packs[4].id = "top up" },
        Breakage(field: "packs[2].price_cents") { $0.packs[2].priceCents = 0 },
        Breakage(field: "packs[0].credits") { $0.packs[0].credits = -500 },
        Breakage(field: "badge.critical_at_or_below") { $0.badge.criticalAtOrBelow = -1 },
        Breakage(field: "badge.low_at_or_below") { $0.badge.lowAtOrBelow = 10 },
        Breakage(field: "alerts.low_at_or_below") { $0.alerts.lowAtOrBelow = 0 },
        Breakage(field: "expiry.pack_valid_days") {
            $0.expiry = Catalog.ExpiryPolicy(packValidDays: 0, planCreditsExpireAtRenewal: false, warnDays: 7)
        },
        Breakage(field: "expiry.plan_credits_valid_days") {
            $0.expiry = Catalog.ExpiryPolicy(packValidDays: 30, planCreditsExpireAtRenewal: true, planCreditsValidDays: 0, warnDays: 7)
        },
        Breakage(field: "expiry.warn_days") {
            $0.expiry = Catalog.ExpiryPolicy(packValidDays: 30, planCreditsExpireAtRenewal: false, warnDays: -1)
        },
    ]

    @Test(arguments: breakages)
    func badCatalogNamesTheField(breakage: Breakage) {
        var catalog = Catalogs.konfiwear
        breakage.change(&catalog)
        let problems = catalog.problems()
        #expect(problems.map(\.field) == [breakage.field])
        #expect(problems.first?.description.hasPrefix("\(breakage.field): ") == true)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        var catalog = Catalogs.konfiwear
        catalog.name = ""
        catalog.packs[0].priceCents = -1
        catalog.alerts.lowAtOrBelow = 0
        #expect(catalog.problems().map(\.field) == ["name", "packs[0].price_cents", "alerts.low_at_or_below"])
    }

    @Test func expiryWithinBoundsIsAccepted() {
        var catalog = Catalogs.konfiwear
        catalog.expiry = Catalog.ExpiryPolicy(packValidDays: nil, planCreditsExpireAtRenewal: true, warnDays: 0)
        #expect(catalog.problems().isEmpty)
        catalog.expiry = Catalog.ExpiryPolicy(packValidDays: 36_500, planCreditsExpireAtRenewal: false, warnDays: 3_650)
        #expect(catalog.problems().isEmpty)
    }

    @Test func catalogJSONRoundTripsAndMissingFieldsDoNotDecode() throws {
        let data = try Data(contentsOf: Catalogs.url("sofia"))
        let catalog = try JSONDecoder().decode(Catalog.self, from: data)
        let again = try JSONDecoder().decode(Catalog.self, from: JSONEncoder().encode(catalog))
        #expect(again == catalog)

        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "base_rate_cents_per_credit")
        let broken = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Catalog.self, from: broken) }
    }

    @Test(arguments: [
        ("konfiwear", true), ("topup_50", true), ("a.b-c_9", true), ("9lives", true),
        ("", false), ("Konfiwear", false), ("_x", false), ("-x", false), ("a b", false), ("é", false),
        (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false),
    ])
    func identifiersAreLowercaseAndBounded(text: String, valid: Bool) {
        #expect(Identifier.isValid(text) == valid)
    }

    @Test(arguments: [
        ("j-881", true), ("print/42", true), ("ünïcode", true), ("", false), ("a b", false), ("tab\t", false),
        ("del\u{7F}", false), ("c1\u{85}", false), (String(repeating: "x", count: 128), true), (String(repeating: "x", count: 129), false),
    ])
    func tokensArePrintableWithoutSpaces(text: String, valid: Bool) {
        #expect(FreeText.isValidToken(text) == valid)
    }
}

/// A catalog's names are held to the rules of any other input when a ledger is made.
@Suite struct CatalogTextTests {
    @Test(arguments: ["konfiwear", "sofia"])
    func shippedCatalogsHaveCleanText(name: String) throws {
        #expect(try Catalogs.load(name).textProblems() == [])
    }

    @Test("a line break, a C1 control, a bidi override or a blank name in catalog text is a problem, named by field")
    func hostileTextIsAProblem() throws {
        var catalog = try Catalogs.load("konfiwear")
        catalog.actions[0].name = "AI graphic\n    workspaces:acme  1000000 CR"
        catalog.plans[1].name = "Pro\u{9B}2J"
        catalog.name = "\u{202E}sraewifnok"
        catalog.currency = "\u{3000}"
        #expect(Set(catalog.textProblems().map(\.field)) == ["actions[0].name", "plans[1].name", "name", "currency"])
    }
}
