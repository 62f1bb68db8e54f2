import Foundation
import Testing

/// R25 with R35 through the binary: a workspace's budget counts its available balance, not the
/// credits a running job holds.
@Suite("Budget counts the available balance (R25, R35)")
struct BudgetHeldTests {
    @Test("R25: a budget for a workspace with 6 of its 10 credits held counts 4 from the balance and buys the rest")
    func R25_budgetCountsTheAvailableBalanceNotHeldCredits() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", as: People.support)
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro", as: People.support)
        try cli.ok("adjust", "acme", "+10", "--reason", "test seed", as: People.support)
        try cli.ok("hold", "acme", "ai_graphic", "--job", "long1", as: People.owner)
        let budget = try cli.ok("budget", "--action", "ai_graphic=10", "--workspace", "acme", "--json", as: People.owner).jsonObject()
        #expect(budget.int("credits_needed") == 60)
        #expect(budget.int("from_balance") == 4, "\(budget)")
        #expect(budget.int("to_buy") == 6, "60 needed, 50 from the grant, 4 available: \(budget)")
    }
}
