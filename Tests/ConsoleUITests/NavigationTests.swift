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
        #expect(driver.state.flash?.text == "sorted by name ▼")
        #expect(driver.state.accounts.rows[driver.state.accounts.cursor.selected] == "acme", "the selection stays on its workspace")
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .balance)
        #expect(driver.screen.contains("Balance ▲"))
        let ascending = driver.state.accounts.rows
        driver.keys(.character("S"))
        #expect(driver.state.accounts.rows == ascending.reversed())
        #expect(driver.screen.contains("Balance ▼"))
        driver.keys(.character("s"), .character("s"))
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

    @Test("the top screen's help offers no Esc back; a screen above it does")
    func topHelpHasNoEscBack() {
        var driver = Driver(as: "maria")
        driver.keys(.character("?"))
        let top = driver.screen
        #expect(top.range(of: #"Esc\s+back"#, options: .regularExpression) == nil, "\(top)")
        #expect(top.range(of: #"q\s+quit"#, options: .regularExpression) != nil, "\(top)")
        driver.keys(.escape, .enter, .character("?"))
        #expect(driver.screen.range(of: #"Esc\s+back"#, options: .regularExpression) != nil, "\(driver.screen)")
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
            driver.keys(.character("s"), .character("S"))
            try ConsoleSnapshotTests.compare(render(driver.state, size: size).text, file: "accounts-sort-reversed-\(size.width)x\(size.height)")
            driver.keys(.enter, .enter, .character("j"))
            try ConsoleSnapshotTests.compare(render(driver.state, size: size).text, file: "entry-detail-next-\(size.width)x\(size.height)")
        }
    }
}
