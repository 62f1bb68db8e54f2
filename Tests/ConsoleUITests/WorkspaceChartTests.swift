import Testing
import CreditKit
@testable import ConsoleUI

/// The workspace chart (`c`): shown in place of the history, read once when shown, re-read when
/// another desk writes, and hidden by `c` again or by Esc before the screen is left.
@Suite struct WorkspaceChartTests {
    @Test func cShowsTheChartAndReadsItsEntriesOnce() {
        var driver = Driver(as: "maria")
        driver.keys(.enter)
        driver.effects = []
        driver.keys(.character("c"))
        let reads = driver.effects.filter { if case .loadChartEntries = $0 { return true } else { return false } }
        #expect(reads.count == 1)
        let chart = try! #require(driver.state.workspace?.chart)
        #expect(!chart.loading)
        #expect(chart.balance.dailyClosing.last == driver.fixture.state.workspaces["acme"]?.balance)
        #expect(chart.spend.rows.map(\.person).sorted() == ["lee", "sam"])
        #expect(driver.screen.contains("Spend per week by member"))
        #expect(!driver.screen.contains("Credit history"))
    }

    @Test func cAgainAndEscBothGoBackToTheHistoryWithoutLeavingTheWorkspace() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("c"), .character("c"))
        #expect(driver.state.workspace?.chart == nil)
        #expect(driver.screen.contains("Credit history"))
        driver.keys(.character("c"), .escape)
        #expect(driver.state.workspace?.chart == nil)
        #expect(driver.state.top == .workspace, "Esc hides the chart before it leaves the screen")
    }

    @Test func aWriteFromAnotherDeskRedrawsTheChartFromFreshEntries() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("c"))
        let before = driver.state.workspace?.chart?.balance.dailyClosing.last
        driver.fixture.run(.adjust(workspace: "acme", amount: 100, reason: "goodwill"), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.state.workspace?.chart?.balance.dailyClosing.last == before.map { $0.map { $0 + 100 } })
    }

    @Test func entriesForAnotherWorkspaceOrAHiddenChartAreDropped() {
        var driver = Driver(as: "maria")
        driver.keys(.enter)
        driver.send(.chartEntriesLoaded(workspace: "acme", entries: driver.fixture.history("acme")))
        #expect(driver.state.workspace?.chart == nil, "an answer after the chart was hidden does not bring it back")
        driver.keys(.character("c"))
        driver.send(.chartEntriesLoaded(workspace: "bright", entries: []))
        #expect(driver.state.workspace?.chart?.spend.rows.isEmpty == false)
    }
}
