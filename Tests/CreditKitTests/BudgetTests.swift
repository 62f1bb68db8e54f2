import Testing
@testable import CreditKit

/// R25: the monthly budget and the cheapest set of packs.
@Suite struct BudgetTests {
    let catalog = Catalogs.konfiwear

    @Test func R25_fiftyGenerationsAndThirtyPrintFilesNeed420Credits() throws {
        let budget = try BudgetPlanner.plan(volumes: [("ai_graphic", 50), ("print_file", 30)], plan: nil, catalog: catalog).get()
        #expect(budget.creditsNeeded == 420)
        #expect(budget.volumes.map(\.credits) == [300, 120])
        #expect(budget.coveredByGrant == 0)
        #expect(budget.coveredByBalance == 0)
        #expect(budget.toBuy == 420)
        #expect(budget.baseRateCents == 4_200)
        #expect(budget.packs?.label == "topup_50")
        #expect(budget.packs?.priceCents == 5_000)
    }

    @Test(arguments: [
        ("starter", Credits(0), Credits(420), "topup_50"),
        ("pro", 50, 370, "topup_50"),
        ("enterprise", 200, 220, "topup_50"),
    ])
    func R25_planGrantCoversPartOfTheBudget(plan: String, covered: Credits, toBuy: Credits, packs: String) throws {
        let budget = try BudgetPlanner.plan(volumes: [("ai_graphic", 50), ("print_file", 30)], plan: plan, catalog: catalog).get()
        #expect(budget.plan?.id == plan)
        #expect(budget.coveredByGrant == covered)
        #expect(budget.toBuy == toBuy)
        #expect(budget.packs?.label == packs)
        #expect(budget.coveredByGrant + budget.coveredByBalance + budget.toBuy == budget.creditsNeeded)
    }

    @Test func R25_balanceAndGrantCanCoverEverything() throws {
        let fromBalance = try BudgetPlanner.plan(volumes: [("ai_graphic", 50), ("print_file", 30)], plan: "pro",
                                                 balance: 1_000, catalog: catalog).get()
        #expect(fromBalance.coveredByGrant == 50)
        #expect(fromBalance.coveredByBalance == 370)
        #expect(fromBalance.toBuy == 0)
        #expect(fromBalance.packs == nil)

        let smallNeed = try BudgetPlanner.plan(volumes: [("ai_graphic", 5)], plan: "enterprise", catalog: catalog).get()
        #expect(smallNeed.coveredByGrant == 30, "the grant covers at most what is needed")
        #expect(smallNeed.toBuy == 0)
    }

    @Test func R25_oneBigPackInsteadOfTwoSavesAboutFourPercent() throws {
        let p800 = catalog.requiredPack("topup_800"), p400 = catalog.requiredPack("topup_400")
        #expect(BudgetPlanner.savingsBasisPoints(of: p800, versus: p400) == 400)
        #expect(BudgetPlanner.savingsBasisPoints(of: p400, versus: p800) == -417)
        #expect(BudgetPlanner.savingsBasisPoints(of: p400, versus: p400) == 0)
        let mix = try #require(BudgetPlanner.cheapestMix(covering: 9_600, catalog: catalog))
        #expect(mix.label == "topup_800")
        #expect(mix.priceCents == 80_000)
        #expect(mix.credits == 10_000)
    }

    @Test(arguments: [
        (Credits(1), "topup_50", Cents(5_000)),
        (420, "topup_50", 5_000),
        (600, "topup_100", 10_000),
        (2_000, "topup_200", 20_000),
        (4_000, "topup_400", 40_000),
        (9_600, "topup_800", 80_000),
        (10_001, "topup_800 + topup_50", 85_000),
        (20_000, "topup_800 ×2", 160_000),
    ])
    func R25_cheapestMixTable(credits: Credits, label: String, price: Cents) throws {
        let mix = try #require(BudgetPlanner.cheapestMix(covering: credits, catalog: catalog))
        #expect(mix.label == label)
        #expect(mix.priceCents == price)
        #expect(mix.credits >= credits)
    }

    /// The exact search agrees with a brute force over every multiset of packs.
    @Test func R25_cheapestMixIsTheCheapestByBruteForce() throws {
        var random = SplitMix64(seed: 25)
        let packs = catalog.packs.sorted { $0.credits > $1.credits }
        for _ in 0..<40 {
            let credits = Credits.random(in: 1...20_000, using: &random)
            let mix = try #require(BudgetPlanner.cheapestMix(covering: credits, catalog: catalog))
            #expect(mix.credits >= credits)
            var best = Cents.max
            func search(_ index: Int, _ have: Credits, _ price: Cents) {
                if have >= credits { best = min(best, price); return }
                guard index < packs.count, price < best else { return }
                let pack = packs[index]
                let most = (credits - have + pack.credits - 1) / pack.credits
                for count in 0...most { search(index + 1, have + count * pack.credits, price + count * pack.priceCents) }
            }
            search(0, 0, 0)
            #expect(mix.priceCents == best, "for \(credits) credits")
        }
    }

    @Test func R25_hugeShortfallsStillCoverAndStayCheap() throws {
        let credits: Credits = 5_000_000_000
        let mix = try #require(BudgetPlanner.cheapestMix(covering: credits, catalog: catalog))
        #expect(mix.credits >= credits)
        #expect(mix.credits - credits < 10_000)
        #expect(mix.priceCents <= (credits / 10_000 + 1) * 80_000)
    }

    /// Among mixes of equal price, the one with the most credits, then the fewest packs.
    @Test func R25_cheapestMixTieBreaks() throws {
        var custom = catalog
        custom.packs = [Catalog.Pack(id: "plain", priceCents: 1_000, credits: 100),
                        Catalog.Pack(id: "bonus", priceCents: 1_000, credits: 120),
                        Catalog.Pack(id: "double", priceCents: 2_000, credits: 240)]
        #expect(try #require(BudgetPlanner.cheapestMix(covering: 100, catalog: custom)).label == "bonus")
        #expect(try #require(BudgetPlanner.cheapestMix(covering: 200, catalog: custom)).label == "double")
        custom.packs.reverse()
        #expect(try #require(BudgetPlanner.cheapestMix(covering: 100, catalog: custom)).label == "bonus")
        #expect(try #require(BudgetPlanner.cheapestMix(covering: 200, catalog: custom)).label == "double")
    }

    @Test func R25_badInputsAreRefused() {
        #expect(BudgetPlanner.plan(volumes: [("teleport", 1)], plan: nil, catalog: catalog) == .failure(.unknownAction("teleport")))
        #expect(BudgetPlanner.plan(volumes: [("ai_graphic", 1)], plan: "platinum", catalog: catalog) == .failure(.unknownPlan("platinum")))
        for count in [Int64(-1), BudgetPlanner.volumeMax + 1] {
            guard case .failure(.invalidAmount) = BudgetPlanner.plan(volumes: [("ai_graphic", count)], plan: nil, catalog: catalog) else {
                Issue.record("volume \(count) must be refused")
                continue
            }
        }
        #expect(BudgetPlanner.cheapestMix(covering: 0, catalog: catalog) == nil)
    }

    @Test func R25_sofiaBudget() throws {
        let budget = try BudgetPlanner.plan(volumes: [("image", 450)], plan: "pro", catalog: Catalogs.sofia).get()
        #expect(budget.creditsNeeded == 450)
        #expect(budget.coveredByGrant == 100)
        #expect(budget.toBuy == 350)
        #expect(budget.packs?.credits ?? 0 >= 350)
        #expect(budget.packs?.priceCents == 3_700) // pack_300 + pack_100 ($37) beats pack_600 ($48)
    }
}
