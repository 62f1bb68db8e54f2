import Testing
import CreditKit
@testable import ConsoleUI

/// Text fields scroll inside the room they have at 80x24 (the history search ran under its
/// counter and lost its cursor); no overlay draws over its own text; the console's lines speak of
/// its own fields and keys, never of a command-line flag or a key a kiosk refuses.
@Suite struct FieldScrollAndWordingTests {
    static func row(_ screen: String, _ y: Int) -> String {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.indices.contains(y) ? String(lines[y]) : ""
    }

    @Test("the history search scrolls: at 70 characters the cursor and the counter both show at 80x24")
    func historySearchScrolls() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("/"))
        driver.type(String(repeating: "b", count: 64))
        let line = Self.row(driver.screen, 6)
        #expect(line.contains("(0/0)"), "\(line)")
        #expect(line.contains("b▏"), "the cursor went out of sight: \(line)")
        #expect(line.contains("…b"), "the start scrolls out behind an ellipsis: \(line)")
        let counterAt = line.range(of: "(0/0)")!.lowerBound
        #expect(!line[..<counterAt].hasSuffix("b"), "the search runs into the counter: \(line)")
    }

    @Test("the Accounts filter and the activity prompt keep their cursor at 80x24")
    func filtersKeepTheirCursor() {
        var driver = Driver(as: "maria")
        driver.keys(.character("/"))
        driver.type(String(repeating: "z", count: 64))
        let line = Self.row(driver.screen, 1)
        #expect(line.contains("(0/0)") && line.contains("z▏"), "\(line)")
    }

    @Test("FormField.scrolled keeps the end and the cursor in the room, behind an ellipsis")
    func scrolledKeepsTheEnd() {
        #expect(FormField.scrolled("abc", cursor: "_", room: 10, ellipsis: "…") == "abc_")
        #expect(FormField.scrolled("abcdefghij", cursor: "_", room: 6, ellipsis: "…") == "…ghij_")
        #expect(CellWidth.of(FormField.scrolled(String(repeating: "界", count: 20), cursor: "_", room: 9, ellipsis: "…")) <= 9)
    }

    @Test("the help overlay at 80x24 never draws its button over its own lines", arguments: [false, true])
    func helpKeepsItsButtonClear(kiosk: Bool) {
        var driver = Driver(as: "maria", demo: true, kiosk: kiosk)
        driver.keys(.enter, .character("?"))
        let screen = driver.screen
        let button = screen.split(separator: "\n").first { $0.contains("[ any key closes ]") }.map(String.init) ?? ""
        #expect(!button.isEmpty, "\(screen)")
        let rest = button.replacingOccurrences(of: "[ any key closes ]", with: "")
        #expect(!rest.contains { $0.isLetter }, "the button shares its row with text: \(button)")
        #expect(screen.contains("R") && screen.contains("demo"), "the demo's R is still told: \(screen)")
    }

    @Test("in a kiosk, Esc on the top screen promises no q that the kiosk refuses")
    func kioskEscapeNamesNoQuit() {
        var kiosk = Driver(as: "maria", kiosk: true)
        kiosk.keys(.escape)
        let said = kiosk.state.flash?.text ?? ""
        #expect(said.contains("nothing to go back to") && !said.contains("q quits"), "\(said)")
        var desk = Driver(as: "maria")
        desk.keys(.escape)
        #expect(desk.state.flash?.text.contains("q quits") == true)
    }

    @Test("R37: the auto top-up form's range refusals name its own fields, never --below or --monthly-cap")
    func R37_formSpeaksOfItsFields() throws {
        var driver = try AutoTopUpFormTests.onAcme()
        driver.keys(.character("u"))
        driver.type("99999999")
        driver.keys(.tab, .tab)
        driver.type("250")
        driver.keys(.enter)
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        let problem = form.problem ?? ""
        #expect(problem.contains("When available is at or below") && problem.contains("10,000,000"), "\(problem)")
        #expect(!problem.contains("--"), "\(problem)")
        #expect(form.focus == .threshold)
        #expect(!driver.screen.contains("--below"), "\(driver.screen)")
    }

    @Test("R19: a reason with a bidi override is refused naming the character and where it is")
    func R19_reasonNamesTheSteeringCharacter() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("a"))
        driver.type("5")
        driver.keys(.tab)
        driver.type("oops\u{202E}evil")
        driver.keys(.enter)
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.problem?.contains("U+202E RIGHT-TO-LEFT OVERRIDE at position 5") == true, "\(form.problem ?? "no problem")")
        #expect(driver.state.dialog == nil, "nothing to confirm")
    }
}
