import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// Moving about: j/k through entries from a detail, the sort turned round and shown in the
/// header, the top screen's help without "Esc back", and keys that do nothing saying so.
@Suite struct NavigationTests {
    static func detailEntry(_ driver: Driver) -> Entry? {
        if case .entryDetail(let entry) = driver.state.top { return entry }
        return nil
    }

    @Test("R22: j and k in an entry's detail show the next and previous entry, and the history follows")
    func R22_detailStepsThroughTheHistory() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .enter)
        let history = driver.fixture.history("acme")
        #expect(Self.detailEntry(driver)?.seq == history[0].seq)
        driver.keys(.character("j"))
        #expect(Self.detailEntry(driver)?.seq == history[1].seq)
        #expect(driver.screen.contains("Entry #\(history[1].seq)"))
        driver.keys(.down, .down)
        #expect(Self.detailEntry(driver)?.seq == history[3].seq)
        driver.keys(.character("k"))
        #expect(Self.detailEntry(driver)?.seq == history[2].seq)
        driver.keys(.escape)
        #expect(driver.state.top == .workspace)
        #expect(driver.state.workspace?.cursor.selected == 2, "the history's selection follows the detail")
        driver.keys(.character("g"), .enter, .character("k"))
        #expect(Self.detailEntry(driver)?.seq == history[0].seq)
        #expect(driver.state.flash?.text == "this is the newest entry")
    }

    @Test("j past the rows held asks for them and shows the entry when they arrive")
    func detailReadsRowsItDoesNotHold() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("G"), .enter)
        let history = driver.fixture.history("acme")
        #expect(Self.detailEntry(driver)?.seq == history.last?.seq)
        driver.keys(.character("j"))
        #expect(driver.state.flash?.text == "this is the oldest entry shown")
        // Drop the rows held so the next step must read them again.
        driver.state.workspace?.window = []
        driver.keys(.character("k"))
        #expect(Self.detailEntry(driver)?.seq == history[history.count - 2].seq)
    }

    @Test("S reverses the Accounts order; the column header shows the order and its direction")
    func sortReversesAndHeaderShowsIt() {
        var driver = Driver(as: "maria")
        #expect(driver.state.accounts.rows == ["acme", "bright", "corner"])
        #expect(driver.screen.contains("Workspace ▲"))
        driver.keys(.character("S"))
        #expect(driver.state.accounts.rows == ["corner", "bright", "acme"])
        #expect(driver.screen.contains("Workspace ▼"))
        #expect(driver.state.flash?.text == "sorted by workspace ▼", "at 80 columns the name order is by the id shown")
        #expect(driver.state.accounts.rows[driver.state.accounts.cursor.selected] == "acme", "the selection stays on its workspace")
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .balance)
        #expect(driver.screen.contains("Balance ▲"))
        let ascending = driver.state.accounts.rows
        driver.keys(.character("S"))
        #expect(driver.state.accounts.rows == ascending.reversed())
        #expect(driver.screen.contains("Balance ▼"))
        driver.keys(.character("s"), .character("s"), .character("s"))
        #expect(driver.state.accounts.sort == .lastUse)
        // At 80 columns beside the owner the column is one cell narrower: the title gives way to the mark.
        #expect(driver.screen.contains("Last us▼"), "last use runs newest first")
        var wide = Driver(as: "maria", size: Size(width: 120, height: 40))
        #expect(wide.screen.contains("Name ▲"))
        wide.keys(.character("S"))
        #expect(wide.screen.contains("Name ▼"))
        var ascii = Driver(as: "maria", ascii: true)
        ascii.keys(.character("S"))
        #expect(ascii.screen.contains("Workspace v"))
    }

    @Test("s pressed again on the same order reverses it, then moves on; the header and status line show the direction")
    func sortKeyPressedAgainReverses() {
        var driver = Driver(as: "maria")
        #expect(driver.state.accounts.rows == ["acme", "bright", "corner"])
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .name)
        #expect(driver.state.accounts.rows == ["corner", "bright", "acme"])
        #expect(driver.screen.contains("Workspace ▼"))
        #expect(driver.state.flash?.text == "sorted by workspace ▼")
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .balance)
        #expect(driver.screen.contains("Balance ▲"))
        let ascending = driver.state.accounts.rows
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .balance)
        #expect(driver.state.accounts.rows == ascending.reversed())
        #expect(driver.screen.contains("Balance ▼"))
        #expect(driver.state.flash?.text == "sorted by balance ▼")
        driver.keys(.character("s"), .character("s"), .character("s"))
        #expect(driver.state.accounts.sort == .lastUse && !driver.state.accounts.ascending, "last use starts newest first")
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .lastUse && driver.state.accounts.ascending)
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .name && driver.state.accounts.ascending, "round to the start")
    }

    /// The fixture with a workspace whose id sorts first and whose name sorts last.
    static func fixtureWithNameOutOfIdOrder() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        fixture.run(.createWorkspace(id: "able", name: "Zulu Prints", owner: "kim", plan: "pro", trial: false), as: "maria")
        return fixture
    }

    @Test("at 80 columns, where the name does not show, the name order is by the workspace id shown")
    func narrowAccountsSortByTheShownId() {
        var narrow = Driver(as: "maria", fixture: Self.fixtureWithNameOutOfIdOrder())
        #expect(narrow.state.accounts.rows == ["able", "acme", "bright", "corner"], "by the id the person sees")
        #expect(narrow.screen.contains("sorted by workspace"))
        let wide = Driver(as: "maria", size: Size(width: 120, height: 40), fixture: Self.fixtureWithNameOutOfIdOrder())
        #expect(wide.state.accounts.rows == ["acme", "bright", "corner", "able"], "by the name shown beside it")
        #expect(wide.screen.contains("sorted by name"))
        narrow.send(.resize(Size(width: 120, height: 40)))
        #expect(narrow.state.accounts.rows == ["acme", "bright", "corner", "able"], "widening shows the name and orders by it")
        narrow.send(.resize(Size(width: 80, height: 24)))
        #expect(narrow.state.accounts.rows.first == "able")
    }

    @Test("a key a confirmation or notice does not take says so on the status line, and the dialog stays")
    func unboundKeyInADialogSaysSo() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("t"), .enter)
        guard case .purchase? = driver.state.dialog else { Issue.record("no purchase confirmation"); return }
        driver.keys(.character("x"))
        #expect(driver.state.flash?.text == "x does nothing in this dialog · y confirms, n or Esc cancels")
        guard case .purchase? = driver.state.dialog else { Issue.record("the dialog closed"); return }
        #expect(driver.screen.contains("x does nothing in this dialog"))
        var notice = Driver(as: "kim")  // kim's one workspace opens at once
        notice.keys(.character("r"), .character("G"), .enter)
        guard case .insufficient? = notice.state.dialog else { Issue.record("no insufficient notice: \(notice.screen)"); return }
        notice.keys(.character("y"))
        #expect(notice.state.flash?.text == "y does nothing in this notice · b buys credits, Esc goes back")
    }

    @Test("the top screen's help offers no Esc back; a screen above it does")
    func topHelpHasNoEscBack() {
        var driver = Driver(as: "maria")
        driver.keys(.character("?"))
        let top = driver.screen
        #expect(top.range(of: #"Esc\s+back"#, options: .regularExpression) == nil, "\(top)")
        #expect(top.range(of: #"q\s+quit"#, options: .regularExpression) != nil, "\(top)")
        driver.keys(.escape, .enter, .character("?"))
        // Help writes keys that do the same on one line: `Esc, q   back`.
        #expect(driver.screen.range(of: #"Esc(, q)?\s+back"#, options: .regularExpression) != nil, "\(driver.screen)")
        var owner = Driver(as: "kim")
        owner.keys(.character("?"))
        #expect(owner.screen.range(of: #"Esc\s+back"#, options: .regularExpression) == nil, "\(owner.screen)")
        let hints = owner.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(!hints.contains("back"), "\(hints)")
    }

    @Test("a key that does nothing on a screen says so on the status line")
    func deadKeysSaySo() {
        var driver = Driver(as: "maria")
        driver.keys(.character("x"))
        #expect(driver.state.flash?.text == "x does nothing here · ? lists this screen's keys")
        #expect(driver.screen.contains("x does nothing here"))
        driver.keys(.escape)
        #expect(driver.state.flash?.text == "nothing to go back to · q quits")
        driver.keys(.enter, .enter, .character("t"))
        #expect(driver.state.flash?.text == "t does nothing here · ? lists this screen's keys")
        driver.keys(.tab)
        #expect(driver.state.flash?.text == "Tab does nothing here · ? lists this screen's keys")
        driver.keys(.character("?"))
        #expect(driver.screen.contains("next (older) entry"))
    }

    @Test func snapshots() throws {
        for size in ConsoleSnapshotTests.sizes {
            var driver = Driver(as: "maria", size: size)
            driver.keys(.character("s"), .character("s"), .character("S"))
            try ConsoleSnapshotTests.compare(render(driver.state, size: size).text, file: "accounts-sort-reversed-\(size.width)x\(size.height)")
            driver.keys(.enter, .enter, .character("j"))
            try ConsoleSnapshotTests.compare(render(driver.state, size: size).text, file: "entry-detail-next-\(size.width)x\(size.height)")
        }
    }
}
