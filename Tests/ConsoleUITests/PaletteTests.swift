import Testing
import CreditKit
@testable import ConsoleUI

/// The `:` command palette: it offers the screen's own commands, narrows by word starts, runs
/// the chosen one as its key would, and leaves out what the person's role cannot do.
@Suite struct PaletteTests {
    @Test func colonOpensThePaletteAndTypingNarrowsItByWordStarts() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character(":"))
        #expect(driver.state.keyContext == .palette)
        #expect(driver.state.paletteEntries.map(\.command).contains(.topUp))
        driver.type("to")
        #expect(driver.state.paletteEntries.map(\.command) == [.topUp, .autoTopUp],
                "`to` starts \"top up\", first, and the auto top-up rule's \"top-up\"")
        driver.keys(.enter)
        #expect(driver.state.palette == nil)
        guard case .topUp = driver.state.top else {
            Issue.record("Enter should run the top-up command; top is \(driver.state.top)")
            return
        }
    }

    @Test func arrowsChooseAndEscClosesWithoutRunningAnything() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character(":"))
        let entries = driver.state.paletteEntries
        driver.keys(.down)
        #expect(driver.state.palette?.selected == 1)
        driver.keys(.escape)
        #expect(driver.state.palette == nil)
        #expect(driver.state.top == .workspace)
        #expect(entries.count > 3)
    }

    @Test func theOwnersPaletteLeavesOutAdjustAndTheAgentsLeavesOutRun() {
        var owner = Driver(as: "sam")
        owner.keys(.enter, .character(":"))
        #expect(!owner.state.paletteEntries.map(\.command).contains(.adjust))
        var agent = Driver(as: "maria")
        agent.keys(.enter, .character(":"))
        let commands = agent.state.paletteEntries.map(\.command)
        #expect(commands.contains(.adjust) && !commands.contains(.runAction))
    }

    @Test func aKiosksPaletteOffersNeitherQuittingNorExportAsItsHelpDoesNot() {
        var kiosk = Driver(demo: true, kiosk: true)
        kiosk.keys(.enter, .character(":"))
        let commands = kiosk.state.paletteEntries.map(\.command)
        #expect(!commands.isEmpty)
        #expect(!commands.contains(.quit) && !commands.contains(.export), "\(commands)")
        var desk = Driver(demo: true)
        desk.keys(.enter, .character(":"))
        let offered = desk.state.paletteEntries.map(\.command)
        #expect(offered.contains(.quit) && offered.contains(.export), "\(offered)")
    }

    @Test func nothingMatchingSaysSoAndEnterDoesNothing() {
        var driver = Driver(as: "maria")
        driver.keys(.character(":"))
        driver.type("zzz")
        #expect(driver.screen.contains("nothing here matches \"zzz\""))
        driver.keys(.enter)
        #expect(driver.state.palette == nil && driver.state.stack == [.accounts])
    }

    @Test func aClickClosesThePaletteWithoutSelectingBehindIt() {
        var driver = Driver(as: "maria")
        driver.keys(.character(":"))
        driver.send(.mouse(.click(x: 5, y: Layout.accountsTop + 2)))
        #expect(driver.state.palette == nil)
        #expect(driver.state.accounts.cursor.selected == 0)
    }

    @Test func aColonTypedIntoAFilterIsText() {
        var driver = Driver(as: "maria")
        driver.keys(.character("/"), .character(":"))
        #expect(driver.state.palette == nil)
        #expect(driver.state.accounts.filter == ":")
    }
}
