import Foundation
import Testing

/// R25 through the command line: credits needed, what the plan grant covers, the cheapest packs.
@Suite("Budget (R25)")
struct BudgetTests {
    @Test("R25: 50 AI generations and 30 print files on Pro: 420 needed, 50 from the grant, 370 to buy")
    func R25_readmeBudget() throws {
        let cli = try CLI()
        defer { cli.remove() }
        // No ledger yet: prices with the default (konfiwear) catalog.
        let result = try cli.ok("budget", "--action", "ai_graphic=50", "--action", "print_file=30", "--plan", "pro", "--json")
        #expect(result.stdoutLines.count == 1)
        let budget = try result.jsonObject()
        #expect(budget.int("credits_needed") == 420)
        #expect(budget.int("plan_grant") == 50)
        #expect(budget.int("to_buy") == 370)
        let packs = try #require(budget["packs"] as? [[String: Any]])
        #expect(packs.map { $0.string("pack") } == ["topup_50"])
        #expect((budget.int("pack_credits") ?? 0) >= 370)
        #expect(budget.int("price_cents") == 5_000)

        let table = try cli.ok("budget", "--action", "ai_graphic=50", "--action", "print_file=30", "--plan", "pro")
        #expect(table.stdout.contains("420") && table.stdout.contains("370") && table.stdout.contains("topup_50"), "\(table)")
        #expect(!cli.files(in: cli.ledger).contains("journal.jsonl"), "budget created a ledger")
    }

    @Test("R25: 9,600 credits are cheapest as one topup_800 ($800 for 10,000)")
    func R25_bigBudgetPicksTheBiggestPack() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let budget = try cli.ok("budget", "--action", "ai_graphic=1600", "--json").jsonObject()
        #expect(budget.int("credits_needed") == 9_600)
        #expect(budget.int("to_buy") == 9_600)
        let packs = try #require(budget["packs"] as? [[String: Any]])
        #expect(packs.count == 1, "\(packs)")
        #expect(packs.first?.string("pack") == "topup_800")
        #expect(packs.first?.int("count") == 1)
        #expect(budget.int("pack_credits") == 10_000)
        #expect(budget.int("price_cents") == 80_000)
    }

    @Test("R25 on sofia: the grant counts, and two pack_100 beat one pack_300")
    func R25_sofiaBudget() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let budget = try cli.ok("budget", "--catalog", "sofia", "--action", "image=250", "--plan", "pro", "--json").jsonObject()
        #expect(budget.int("credits_needed") == 250)
        #expect(budget.int("plan_grant") == 100)
        #expect(budget.int("to_buy") == 150)
        let packs = try #require(budget["packs"] as? [[String: Any]])
        #expect(packs.map { $0.string("pack") } == ["pack_100"])
        #expect(packs.first?.int("count") == 2)
        #expect(budget.int("price_cents") == 2_000)
        #expect(try cli.run("budget", "--action", "ai_juggling=3").status == 1)
    }
}
