import Testing
import CreditKit
@testable import ConsoleUI

/// Bracketed paste: pasted text stays inside the field it was pasted into, and nowhere a paste
/// acts as keys (a line break never submits, a `y` never confirms a money move).
@Suite struct PasteTests {
    /// The tester's paste: a reason, a line break, and a `yes` that used to confirm.
    static let refundPaste = "customer asked for a refund\nyes, see ticket"

    /// maria on acme's adjustment form with +7 typed and the reason field focused.
    static func adjustForm() -> Driver {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("a"))
        driver.type("+7")
        driver.keys(.tab)
        return driver
    }

    @Test func R19_aPastedReasonStaysInTheFieldAndConfirmsNothing() {
        var driver = Self.adjustForm()
        driver.send(.paste(Self.refundPaste))
        #expect(driver.state.dialog == nil, "the pasted line break opened the confirmation")
        #expect(driver.state.exportPrompt == nil, "the pasted e opened the export prompt")
        #expect(!driver.effects.contains { if case .submit = $0 { return true } else { return false } }, "a paste recorded \(driver.effects)")
        guard case .adjust(let form) = driver.state.top else { Issue.record("the paste left the form: \(driver.state.top)"); return }
        #expect(form.reason == "customer asked for a refund yes, see ticket")
        #expect(form.amount.value == 7)
    }

    @Test func R23_aPasteIntoAnOpenConfirmationConfirmsNothing() {
        var driver = Self.adjustForm()
        driver.type("goodwill")
        driver.keys(.enter)
        #expect(driver.state.dialog != nil)
        driver.send(.paste("y"))
        driver.send(.paste("\r"))
        #expect(driver.state.dialog != nil, "a pasted y or Enter answered the confirmation")
        #expect(!driver.effects.contains { if case .submit = $0 { return true } else { return false } })
    }

    @Test func aPasteWhereNoFieldHasFocusDoesNothing() {
        var driver = Driver(as: "maria")
        driver.keys(.enter)
        let stack = driver.state.stack
        driver.send(.paste("eat\n"))
        #expect(driver.state.stack == stack)
        #expect(driver.state.exportPrompt == nil, "a pasted e acted as the export key")
        #expect(driver.state.flash?.text.contains("a paste goes into a text field") == true)
    }

    @Test func R19_aPasteStopsAtTheReasonsByteLimit() {
        var driver = Self.adjustForm()
        driver.send(.paste(String(repeating: "é", count: FreeText.reasonLengthMax)))
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.reason.utf8.count <= FreeText.reasonLengthMax)
        #expect(form.reason.utf8.count >= FreeText.reasonLengthMax - 1)
    }

    @Test func R19_aPastedAmountTakesDigitsAndStopsAtTheFirstItRefuses() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("a"))
        driver.send(.paste("12\ny"))
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.amount.text == "12")
        #expect(driver.state.dialog == nil)
    }

    @Test func aPasteIntoTheAccountsFilterStaysOneLineAndKeepsTheFilterOpen() {
        var driver = Driver(as: "maria")
        driver.keys(.character("/"))
        driver.send(.paste("ac\tme\r\n"))
        #expect(driver.state.accounts.filter == "ac me")
        #expect(driver.state.accounts.editingFilter, "the pasted line break closed the filter")
    }

    @Test func aPasteIntoTheExportPromptNeverExports() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("e"))
        let before = driver.state.exportPrompt?.path ?? ""
        driver.send(.paste("x.csv\ny"))
        #expect(driver.exports.isEmpty, "the pasted line break exported")
        #expect(driver.state.exportPrompt?.path == before + "x.csv y")
    }

    @Test func oneLineTurnsBreaksTabsAndControlsIntoSpaces() {
        #expect(PasteText.oneLine("a\tb\r\nc\u{1B}[31md\n\n") == "a b c [31md")
        #expect(PasteText.oneLine(String(repeating: "x", count: PasteText.lengthMax + 10)).count == PasteText.lengthMax)
    }
}
