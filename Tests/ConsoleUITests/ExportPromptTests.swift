import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// `e` on a history or Activity: the view with its filter goes to the file named on the prompt;
/// the name refuses control characters on the spot; an existing file is replaced only on `y`.
@Suite struct ExportPromptTests {
    @Test("e exports the history as filtered now, in the format the file name says")
    func historyWithItsFilter() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("f"), .character("e"))
        #expect(driver.screen.contains("Export what you see"))
        #expect(driver.screen.contains("history of acme"))
        driver.type("acme-grants.journal")
        driver.keys(.enter)
        #expect(driver.exports == [ExportRequest(view: .history(workspace: "acme", kind: .grant, search: ""), path: "acme-grants.journal",
                                                 format: .hledger, overwrite: false)])
        #expect(driver.state.exportPrompt == nil)
        #expect(driver.state.flash?.text == "exported 3 credit entries to acme-grants.journal (hledger)")
    }

    @Test("Activity exports its filter")
    func activityWithItsFilter() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"), .character("/"))
        driver.type("kind:refund")
        driver.keys(.enter, .character("e"))
        driver.type("refunds.csv")
        driver.keys(.enter)
        #expect(driver.exports.last?.view == .activity(EntryFilter(kinds: [.refund])))
        #expect(driver.exports.last?.format == .csv)
    }

    @Test("a control character typed into the name is refused on the spot and the name stays")
    func controlCharactersAreRefused() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("e"))
        driver.type("a")
        driver.keys(.character("\u{1B}"), .character("\u{07}"), .character("\u{202E}"))
        #expect(driver.state.exportPrompt?.path == "a")
        #expect(driver.state.exportPrompt?.problem == "a file name takes no control characters")
        #expect(driver.screen.contains("a file name takes no control characters"))
        driver.type(".txt")
        driver.keys(.enter)
        #expect(driver.exports.isEmpty)
        #expect(driver.state.exportPrompt?.problem == "end the name in .csv (CSV) or .journal (hledger)")
        driver.keys(.escape)
        #expect(driver.state.exportPrompt == nil)
        #expect(driver.state.top == .workspace, "Esc closes the prompt, not the workspace")
    }

    @Test("an existing file is kept unless y says to replace it")
    func existingFileNeedsY() {
        var driver = Driver(as: "maria")
        driver.existingFiles = ["acme.csv"]
        driver.keys(.enter, .character("e"))
        driver.type("acme.csv")
        driver.keys(.enter)
        #expect(driver.screen.contains("Replace the file?"))
        #expect(driver.exports.map(\.overwrite) == [false])
        driver.keys(.character("n"))
        #expect(driver.exports.map(\.overwrite) == [false])
        #expect(driver.state.flash?.text == "kept acme.csv as it was: nothing exported")
        driver.keys(.character("e"))
        driver.type("acme.csv")
        driver.keys(.enter, .character("y"))
        #expect(driver.exports.map(\.overwrite) == [false, false, true])
        #expect(driver.state.flash?.kind == .success)
    }

    @Test(arguments: ["", "x.csv\u{0}", "report.pdf", String(repeating: "a", count: 1030) + ".csv"])
    func badNamesAreRefused(path: String) {
        #expect(ExportPrompt.problem(with: path) != nil)
    }
}
