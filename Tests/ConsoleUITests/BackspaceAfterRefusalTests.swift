import Testing
import CreditKit
@testable import ConsoleUI

/// Every Backspace in a number field takes one character off what is shown and clears the
/// refusal beside it: a first press that only cleared the note left a digit behind, so a cap of
/// `1250.505` erased seven times and retyped `90` became `190` ($9,100.00 confirmed for $100).
@Suite struct BackspaceAfterRefusalTests {
    @Test("a Backspace after a refused key erases a character and clears the note")
    func backspaceAfterARefusalErases() {
        var field = NumberFieldLimits.adjustment()
        for character in "1234567890" { field.type(character) }
        #expect(field.refusal == .tooManyDigits(NumberFieldLimits.adjustmentDigits))
        field.erase()
        #expect(field.text == "12345678" && field.refusal == nil)
    }

    @Test("R37: the auto top-up cap: 1250.505, seven Backspaces and 90 confirm $90.00, not $190.00")
    func R37_capRetypedAfterARefusalIsWhatWasTyped() throws {
        var driver = try AutoTopUpFormTests.onAcme()
        driver.keys(.character("u"))
        driver.type("100")
        driver.keys(.tab, .tab)
        driver.type("1250.505")
        #expect(driver.screen.contains("at most 2 digits after the point"), "\(driver.screen)")
        for _ in 0..<7 { driver.keys(.backspace) }
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.cap.text.isEmpty && form.cap.refusal == nil, "seven Backspaces must erase all of 1250.50, left \(form.cap.text)")
        #expect(!driver.screen.contains("digits after the point"), "\(driver.screen)")
        driver.type("90")
        driver.keys(.enter)
        guard case let .setting(confirmation, _)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        guard case let .setAutoTopUp(_, rule) = confirmation.command else { Issue.record("\(confirmation.command)"); return }
        #expect(rule.capCents == 9_000)
    }

    @Test("R19: the adjust form: 1234567890 and one Backspace shows 12345678")
    func R19_adjustAmountBackspaceAfterTooManyDigits() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("a"))
        driver.type("1234567890")
        driver.keys(.backspace)
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.amount.text == "12345678" && form.amount.refusal == nil)
    }

    @Test("R40: the member limit form: a refused key, then Backspace erases a digit")
    func R40_memberLimitBackspaceAfterARefusal() throws {
        var driver = try AutoTopUpFormTests.onAcme(size: Size(width: 120, height: 40))
        driver.keys(.character("m"))
        driver.type("20x")
        driver.keys(.backspace)
        guard case .memberLimit(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.credits.text == "2" && form.credits.refusal == nil)
    }

    @Test("R25: a budget volume: 2.5 then Backspace leaves an empty field, not 2")
    func R25_volumeBackspaceAfterARefusal() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("b"))
        driver.type("2.5")
        driver.keys(.backspace)
        guard case .budget(let model) = driver.state.top else { Issue.record("no planner"); return }
        #expect(model.volumes[0].text.isEmpty && model.volumes[0].refusal == nil)
    }
}
