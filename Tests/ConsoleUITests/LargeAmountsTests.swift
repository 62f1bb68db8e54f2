import Testing
import CreditKit
@testable import ConsoleUI

/// Numbers are never cut while the screen has room: the Accounts balance, the history's credits
/// and balance, the balance box and the pickers' balance after widen to the largest value shown,
/// taking the width from text columns first (they showed `…` at every width, 200 included).
@Suite struct LargeAmountsTests {
    /// acme raised to 1,000,000,001 in ten adjustments of at most 100,000,000 (the largest one).
    static func bigFixture() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        let start = fixture.state.workspaces["acme"]!.balance
        var left: Int64 = 1_000_000_001 - start
        while left > 0 {
            let step = min(left, Engine.adjustmentMax)
            fixture.run(.adjust(workspace: "acme", amount: step, reason: "annual contract"), as: "maria")
            left -= step
        }
        return fixture
    }

    static func line(_ screen: String, containing text: String) -> String {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }

    @Test("the Accounts balance shows whole at 80, 120 and 200 columns", arguments: [80, 120, 200])
    func accountsBalanceIsWhole(width: Int) {
        let driver = Driver(as: "maria", size: Size(width: width, height: 40), fixture: Self.bigFixture())
        let row = Self.line(driver.screen, containing: "acme")
        #expect(row.contains("1,000,000,001"), "\(width): \(row)")
        #expect(!row.contains("…"), "\(width): \(row)")
        #expect(row.contains("comfortable"), "the badge keeps its word: \(row)")
    }

    @Test("the history's credits and balance and the balance box show whole at 80 and 200 columns", arguments: [80, 200])
    func historyAndBoxAreWhole(width: Int) {
        var driver = Driver(as: "maria", size: Size(width: width, height: 40), fixture: Self.bigFixture())
        driver.keys(.enter)
        #expect(driver.state.openWorkspace?.id == "acme")
        let screen = driver.screen
        #expect(screen.contains("1,000,000,001 cr"), "\(screen)")
        let history = screen.split(separator: "\n").dropFirst(8).map(String.init)
        let newest = history.first { $0.contains("annual contract") } ?? ""
        #expect(newest.contains(" 1,000,000,001 "), "\(width): \(newest)")
        let big = history.first { $0.contains("+100,000,000") } ?? ""
        #expect(big.contains(" 900,000,"), "\(width): \(big)")
        // Every adjustment row shows its credits and its balance after whole (the what may be cut).
        for row in history where row.contains("adjustment") {
            #expect(row.contains(#/[+-][0-9][0-9,]* +[0-9][0-9,]* /#), "a number was cut at \(width): \(row)")
        }
    }

    @Test("a table gives the widest Int64 its room at 80 columns, shrinking then leaving out text columns")
    func int64FitsAtEighty() {
        let most = AmountFormat.signed(Int64.max)
        let cells = [Span("Nov 21 14:02"), Span("adjust"), Span(most), Span(AmountFormat.grouped(Int64.max)), Span("maria"), Span("why")]
        let table = WorkspaceScreen.historyTable(width: 80, glyphs: Glyphs(ascii: false), rows: [cells])
        var grid = Grid(width: 80, height: 2)
        table.drawRow(&grid, y: 0, cells: cells, selected: false)
        let text = grid.text
        #expect(text.contains(most) && text.contains(AmountFormat.grouped(Int64.max)), "\(text)")
        #expect(text.contains("Nov 21 14:02"), "\(text)")
    }

    @Test("R35: the Run list's balance after is what will be available, as the header and the confirmation say")
    func R35_runListShowsAvailableAfter() {
        var driver = Driver(as: "kim")
        driver.fixture.run(.adjust(workspace: "bright", amount: 70, reason: "top up by hand"), as: "maria")
        driver.fixture.run(.hold(workspace: "bright", action: "ai_graphic", job: "j-9", ttlSeconds: nil), as: "ivy")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.keys(.character("r"))
        let ws = driver.state.workspaceNow("bright")!
        #expect((ws.balance, ws.available) == (78, 72))
        let row = Self.line(driver.screen, containing: "AI graphic")
        #expect(row.hasSuffix(" 66") || row.contains(" 66 "), "72 available less 6: \(row)")
        #expect(!row.contains(" 72 "), "\(row)")
        #expect(driver.screen.contains("Available after"), "\(driver.screen)")
        driver.keys(.enter)
        #expect(driver.screen.contains("Available 72 → 66"), "\(driver.screen)")
    }

    @Test("R35: the top-up picker's balance after is what will be available")
    func R35_topUpPickerShowsAvailableAfter() {
        var driver = Driver(as: "maria")
        driver.fixture.run(.adjust(workspace: "bright", amount: 70, reason: "top up by hand"), as: "maria")
        driver.fixture.run(.hold(workspace: "bright", action: "ai_graphic", job: "j-9", ttlSeconds: nil), as: "ivy")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.keys(.down, .enter, .character("t"))
        let row = Self.line(driver.screen, containing: "topup_50 ")
        #expect(row.contains("572"), "72 available plus 500: \(row)")
        #expect(driver.screen.contains("available 72 → 572"), "\(driver.screen)")
    }
}
