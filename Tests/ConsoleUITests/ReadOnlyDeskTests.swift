import Testing
import CreditKit
@testable import ConsoleUI

/// A read-only desk (`--read-only`): browse, search and export; no key that writes is offered
/// (hints, help, palette), and pressing one says so on the status line and writes nothing.
@Suite struct ReadOnlyDeskTests {
    static func driver(as actor: String = "maria", size: Size = Size(width: 80, height: 24)) -> Driver {
        var driver = Driver(as: actor, size: size)
        driver.state.session.readOnly = true
        return driver
    }

    @Test("R18 on a read-only desk: t, r and a offer nothing, say why, and write nothing")
    func writeKeysAreRefusedWithOneLine() {
        for (actor, keys) in [("maria", [Key.character("a"), .character("t")]), ("sam", [.character("t"), .character("r")]),
                              ("lee", [.character("r")])] {
            var driver = Self.driver(as: actor)
            if driver.state.top == .accounts { driver.keys(.enter) }
            #expect(driver.state.top == .workspace)
            for key in keys {
                driver.keys(key)
                #expect(driver.state.stack.last == .workspace, "\(actor) \(key) left the workspace")
                #expect(driver.state.flash?.text.contains("read-only desk") == true, "\(actor) \(key): \(String(describing: driver.state.flash))")
                #expect(driver.screen.contains("read-only desk"))
            }
            #expect(!driver.effects.contains { if case .submit = $0 { return true } else { return false } })
        }
    }

    @Test("no write key in the hint line, the help or the palette; browsing keys stay")
    func writeKeysAreNotOffered() {
        var driver = Self.driver(as: "sam")
        driver.keys(.enter)
        let hints = driver.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(!hints.contains("top up") && !hints.contains("run") && !hints.contains("adjust"), "\(hints)")
        #expect(hints.contains("search") && hints.contains("budget"), "\(hints)")
        driver.keys(.character("?"))
        let help = driver.screen
        #expect(!help.contains("top up") && !help.contains("run an action") && !help.contains("adjust the balance"), "\(help)")
        #expect(help.contains("search the history"), "\(help)")
        driver.keys(.escape, .character(":"))
        let offered = Set(driver.state.paletteEntries.map(\.command))
        #expect(offered.isDisjoint(with: [.topUp, .runAction, .adjust]), "\(offered)")
        #expect(offered.contains(.search))
    }

    @Test("the header marks the desk read-only; search, kind filter and detail still work")
    func browsingWorks() {
        var driver = Self.driver()
        #expect(driver.screen.split(separator: "\n").first?.contains("READ-ONLY") == true)
        driver.keys(.enter, .character("f"))
        #expect(driver.state.workspace?.kind != nil)
        driver = Self.driver()
        driver.keys(.enter, .character("/"))
        driver.type("print")
        driver.keys(.enter, .enter)
        if case .entryDetail = driver.state.top {} else { Issue.record("Enter did not open the entry: \(driver.state.top)") }
    }

    @Test("a submit that reaches a read-only desk is dropped by reduce")
    func submitsAreDropped() {
        let driver = Self.driver()
        var state = driver.state
        state.stack.append(.workspace)
        state.dialog = .adjustment(AdjustConfirmation(workspace: "acme", amount: 5, reason: "x", balanceBefore: 0, balanceAfter: 5), focus: .confirm)
        let (_, effects) = reduce(state, .key(.character("y")))
        #expect(!effects.contains { if case .submit = $0 { return true } else { return false } })
        var writable = state
        writable.session.readOnly = false
        let (_, allowed) = reduce(writable, .key(.character("y")))
        #expect(allowed.contains { if case .submit = $0 { return true } else { return false } }, "the test's dialog does not submit")
    }

    @Test func snapshots() throws {
        for size in ConsoleSnapshotTests.sizes {
            var driver = Self.driver(as: "sam", size: size)
            driver.keys(.enter, .character("t"))
            try ConsoleSnapshotTests.compare(render(driver.state, size: size).text, file: "read-only-workspace-\(size.width)x\(size.height)")
            driver.keys(.character("?"))
            try ConsoleSnapshotTests.compare(render(driver.state, size: size).text, file: "read-only-help-\(size.width)x\(size.height)")
        }
    }
}
