import Testing
import CreditKit
@testable import ConsoleUI

/// R37–R39 on the workspace screen: the rule, this month's spend against the cap, the pending
/// request, and a paused rule, as another desk writes them.
@Suite struct AutoTopUpConsoleTests {
    @Test("R37, R38: the workspace screen shows the rule, this month's spend against the cap and the pending request")
    func R37_workspaceShowsRuleSpendAndPendingRequest() throws {
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40))
        driver.keys(.enter)
        let id = try #require(driver.state.openWorkspace?.id)
        #expect(!driver.screen.contains("Auto top-up"), "\(driver.screen)")
        let balance = driver.fixture.state.workspaces[id]?.balance ?? 0
        driver.fixture.run(.adjust(workspace: id, amount: 20 - balance, reason: "spent elsewhere"), as: "maria")
        driver.fixture.run(.setAutoTopUp(workspace: id, rule: AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 10_000)),
                           as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        let pending = try #require(driver.fixture.state.workspaces[id]?.autoTopUp.pending)
        #expect(driver.screen.contains("Auto top-up pending \(pending.id) topup_50 · ≤20 → topup_50 · $0 of $100 this month"), "\(driver.screen)")
        driver.fixture.run(.topUp(workspace: id, pack: "topup_50", payment: "pay-1"), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.screen.contains("$50 of $100 this month") && !driver.screen.contains("pending auto-"), "\(driver.screen)")
    }

    @Test("R39: a paused rule says so on the workspace screen")
    func R39_pausedRuleSaysSo() throws {
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40))
        driver.keys(.enter)
        let id = try #require(driver.state.openWorkspace?.id)
        let balance = driver.fixture.state.workspaces[id]?.balance ?? 0
        driver.fixture.run(.adjust(workspace: id, amount: 10 - balance, reason: "spent elsewhere"), as: "maria")
        driver.fixture.run(.setAutoTopUp(workspace: id, rule: AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 10_000)),
                           as: "maria")
        for _ in 1...3 {
            guard let request = driver.fixture.state.workspaces[id]?.autoTopUp.pending?.id else { break }
            driver.fixture.run(.topUpDeclined(workspace: id, request: request, reason: nil), as: "maria")
            driver.fixture.tick(hours: 5)
            driver.fixture.run(.adjust(workspace: id, amount: 1, reason: "t"), as: "maria")
        }
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.fixture.state.workspaces[id]?.autoTopUp.paused == true)
        #expect(driver.screen.contains("paused after 3 declines"), "\(driver.screen)")
    }

    /// The line of the workspace screen that shows the auto top-up rule.
    static func autoTopUpLine(_ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("Auto top-up") }.map(String.init) ?? ""
    }

    @Test("R37, R38: at 80 columns the pending request leads the auto top-up line, then the cap warning, the rule last")
    func R37_R38_whatNeedsSomeoneLeadsTheAutoTopUpLineAt80Columns() throws {
        var driver = Driver(as: "maria")
        driver.keys(.enter)
        let id = try #require(driver.state.openWorkspace?.id)
        let balance = driver.fixture.state.workspaces[id]?.balance ?? 0
        driver.fixture.run(.adjust(workspace: id, amount: 20 - balance, reason: "spent elsewhere"), as: "maria")
        driver.fixture.run(.setAutoTopUp(workspace: id, rule: AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 10_000)),
                           as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        let pending = try #require(driver.fixture.state.workspaces[id]?.autoTopUp.pending)
        var line = Self.autoTopUpLine(driver.screen)
        let request = try #require(line.range(of: "pending \(pending.id) topup_50"), "the pending request is cut at 80 columns: \(line)")
        if let rule = line.range(of: "≤20") { #expect(request.lowerBound < rule.lowerBound, "\(line)") }
        // Paid, the month's spend is at 50% of the cap: calm, it follows the rule.
        driver.fixture.run(.topUp(workspace: id, pack: "topup_50", payment: "pay-1"), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        line = Self.autoTopUpLine(driver.screen)
        let calmRule = try #require(line.range(of: "≤20 → topup_50"), "\(line)")
        let calmSpend = try #require(line.range(of: "$50 of $100 this month"), "\(line)")
        #expect(calmRule.lowerBound < calmSpend.lowerBound, "\(line)")
        // A second payment reaches the cap: the warning leads the rule.
        driver.fixture.run(.adjust(workspace: id, amount: -500, reason: "spent elsewhere"), as: "maria")
        let second = try #require(driver.fixture.state.workspaces[id]?.autoTopUp.pending)
        driver.fixture.run(.topUp(workspace: id, pack: "topup_50", payment: "pay-2"), as: "maria")
        #expect(driver.fixture.state.workspaces[id]?.autoTopUp.pending?.id != second.id)
        driver.send(.ledgerChanged(driver.fixture.state))
        line = Self.autoTopUpLine(driver.screen)
        let cap = try #require(line.range(of: "$100 of $100 this month"), "the cap warning is cut at 80 columns: \(line)")
        if let rule = line.range(of: "≤20") { #expect(cap.lowerBound < rule.lowerBound, "\(line)") }
    }
}
