import Testing
@testable import CreditKit

/// R1–R3: what the shipped Konfiwear catalog prices with.
@Suite struct CatalogRulesTests {
    @Test(arguments: [
        ("ai_graphic", Credits(6), Catalog.Action.Kind.job),
        ("ai_vectorize", 4, .job),
        ("print_file", 4, .job),
        ("clone_product", 500, .clone),
        ("clone_fabric", 250, .clone),
        ("clone_design", 100, .clone),
    ])
    func R1_actionCostsAreFlat(id: String, credits: Credits, kind: Catalog.Action.Kind) throws {
        let catalog = Catalogs.konfiwear
        let action = try #require(catalog.action(id))
        #expect(action.credits == credits)
        #expect(action.kind == kind)
        #expect(catalog.baseRateCentsPerCredit == 10)
    }

    @Test func R1_catalogListsExactlyTheSixActions() {
        #expect(Catalogs.konfiwear.actions.map(\.id).sorted()
            == ["ai_graphic", "ai_vectorize", "clone_design", "clone_fabric", "clone_product", "print_file"])
        #expect(Catalogs.konfiwear.cloneAction(for: "product")?.id == "clone_product")
        #expect(Catalogs.konfiwear.cloneAction(for: "fabric")?.id == "clone_fabric")
        #expect(Catalogs.konfiwear.cloneAction(for: "design")?.id == "clone_design")
        #expect(Catalogs.konfiwear.cloneAction(for: "graphic") == nil)
    }

    /// Every run of a job action costs the catalog price, whatever the job: there is no size input.
    @Test(arguments: ["ai_graphic", "ai_vectorize", "print_file"])
    func R1_everyJobIsChargedTheCatalogCost(action: String) throws {
        var h = Harness.acme()
        h.fund("acme", 1_000)
        let cost = try #require(Catalogs.konfiwear.action(action)).credits
        for index in 0..<5 {
            let before = h.balance()
            let entries = h.append(.charge(workspace: "acme", action: action, job: "job-\(index)"), as: People.member)
            let charge = try #require(entries.first { $0.kind == .charge })
            #expect(charge.credits == -cost)
            #expect(h.balance() == before - cost)
        }
    }

    @Test(arguments: [("starter", Credits(0)), ("pro", 50), ("enterprise", 200)])
    func R2_planMonthlyGrants(plan: String, grant: Credits) throws {
        #expect(try #require(Catalogs.konfiwear.plan(plan)).monthlyGrant == grant)
        var h = Harness.acme(plan: plan)
        let entries = h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        let granted = try #require(entries.first { $0.kind == .grant })
        #expect(granted.credits == grant)
        #expect(h.balance() == grant)
    }

    @Test(arguments: [
        ("topup_50", Cents(5_000), Credits(500), Int64(0), "0.100"),
        ("topup_100", 10_000, 1_000, 0, "0.100"),
        ("topup_200", 20_000, 2_200, 10, "0.091"),
        ("topup_400", 40_000, 4_800, 20, "0.083"),
        ("topup_800", 80_000, 10_000, 25, "0.080"),
    ])
    func R3_topUpPacks(id: String, price: Cents, credits: Credits, bonus: Int64, perCredit: String) throws {
        let catalog = Catalogs.konfiwear
        let pack = try #require(catalog.pack(id))
        #expect(pack.priceCents == price)
        #expect(pack.credits == credits)
        #expect(catalog.bonusPercent(of: pack) == bonus)
        #expect(AmountFormat.perCredit(priceCents: pack.priceCents, credits: pack.credits) == perCredit)
    }

    @Test func R3_packsAreListedInOrderAndBestValueIsTheLargest() {
        #expect(Catalogs.konfiwear.packs.map(\.id) == ["topup_50", "topup_100", "topup_200", "topup_400", "topup_800"])
        #expect(Catalogs.konfiwear.bestValuePack?.id == "topup_800")
    }

    @Test(arguments: [
        (Cents(20_000), Credits(2_199), Int64(10)), // 9.95% → 10
        (20_000, 2_190, 10),                          // 9.5% → 10, half up
        (20_000, 2_189, 9),                           // 9.45% → 9
        (1_000, 50, -50),                             // a dearer pack: exactly -50%
        (1_000, 95, -5),                              // -5%
        (1_000, 94, -6),                              // -6%
        (1_000, 96, -4),                              // -4%
        (0, 100, 0),                                  // free: no base to compare with
        (5, 1, 0),                                    // cheaper than one base credit
    ])
    func R3_bonusPercentRoundsHalfUp(price: Cents, credits: Credits, bonus: Int64) {
        let pack = Catalog.Pack(id: "p", priceCents: price, credits: credits)
        #expect(Catalogs.konfiwear.bonusPercent(of: pack) == bonus)
    }

    @Test func R3_bestValuePackPrefersTheLargerOnATie() {
        var catalog = Catalogs.konfiwear
        catalog.packs = [Catalog.Pack(id: "a", priceCents: 1_000, credits: 100),
                         Catalog.Pack(id: "b", priceCents: 2_000, credits: 200)]
        #expect(catalog.bestValuePack?.id == "b")
        catalog.packs.reverse()
        #expect(catalog.bestValuePack?.id == "b")
    }
}
