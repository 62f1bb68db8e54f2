import CreditKit
import Testing
@testable import ConsoleUI

/// Number fields never show a number the person did not type, and Esc
/// undoes the innermost thing first (broken 6).
@Suite struct NumberFieldTests {
    @Test(arguments: [
        ("12.5", "12", NumberField.Refusal.wholeNumbersOnly(unit: "credits")),
        ("1e3", "1", .digitsOnly),
        ("1,000", "1", .wholeNumbersOnly(unit: "credits")),
        ("5-", "5", .signFirst),
        ("1234567890", "123456789", .tooManyDigits(9)),
    ])
    func aRefusedKeyLeavesTheFieldAsItWasAndSaysWhy(typed: String, shown: String, last: NumberField.Refusal) {
        var field = NumberFieldLimits.adjustment()
        var refusals: [NumberField.Refusal] = []
        for character in typed {
            let before = field.text
            field.type(character)
            if let refusal = field.refusal {
                if refusals.isEmpty { refusals.append(refusal) }
                #expect(field.text == before, "a refused \(character) changed the field")
            }
        }
        #expect(field.text == shown)
        #expect(refusals.first == last)
    }

    @Test func theAdjustmentLimitIsTheEnginesAndAVolumeStaysInsideThePlanners() {
        #expect(NumberFieldLimits.adjustmentDigits == String(Engine.adjustmentMax).count)
        var volume = NumberFieldLimits.volume()
        for _ in 0..<20 { volume.type("9") }
        #expect((volume.value ?? 0) < BudgetPlanner.volumeMax)
        #expect(volume.refusal == .tooManyDigits(NumberFieldLimits.volumeDigits))
        volume.erase()
        volume.type("-")
        #expect(volume.refusal == .digitsOnly)
    }

    @Test func aSignAloneIsNoNumberAndBackspaceAfterARefusalErasesAndClearsIt() {
        var field = NumberFieldLimits.adjustment()
        field.type("-")
        #expect(field.value == nil)
        field.type("x")
        #expect(field.refusal == .digitsOnly)
        field.type("7")
        #expect(field.text == "-", "a digit after a refusal must wait for Backspace")
        field.erase()
        #expect(field.refusal == nil && field.text.isEmpty)
        field.type("-")
        field.type("7")
        #expect(field.value == -7)
    }
}

@Suite struct MoneySafeFieldReducerTests {
    @Test func R19_adjustAmountRefusesADecimalPointAndPreviewsOnlyWhatWasTyped() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("a"))
        driver.type("12.5")
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.amount.text == "12", "the 5 after a refused . must not make 125")
        #expect(form.amount.value == 12)
        // The refusal shows beside the field, and the preview is of 12, never of 125.
        #expect(driver.screen.contains("whole credits only"))
        #expect(!driver.screen.contains("125"))
    }

    @Test func R19_anExponentIsRefusedAndNeverMultiplies() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("a"))
        driver.type("1e")
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.amount.text == "1")
        #expect(driver.screen.contains("digits only"))
        #expect(driver.screen.contains(" → "))
        #expect(!driver.screen.contains("13"))
    }

    @Test func R25_aVolumeRefusesADecimalPointAndShowsItsLimit() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("b"))
        #expect(driver.screen.contains("up to 7 digits"))
        driver.type("2.5")
        guard case .budget(let model) = driver.state.top else { Issue.record("no planner"); return }
        #expect(model.volumes[0].text == "2")
        #expect(driver.screen.contains("AI graphic generation: whole numbers only"))
        #expect(model.budget?.creditsNeeded == 12)
        driver.keys(.backspace)
        driver.type("x")
        #expect(driver.screen.contains("AI graphic generation: digits only"))
    }

    @Test func R25_planKeysStillActInsideAVolume() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("b"))
        driver.type("5j")
        guard case .budget(let model) = driver.state.top else { Issue.record("no planner"); return }
        #expect(model.focus == 1 && model.volumes[0].text == "5" && model.volumes[0].refusal == nil)
    }
}

@Suite struct EscapeOrderReducerTests {
    @Test func escOnASearchedHistoryClearsTheSearchBeforeLeaving() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("/"))
        driver.type("print")
        driver.keys(.enter)
        #expect(driver.state.workspace?.search == "print")
        let narrowed = driver.state.workspace?.total ?? 0
        driver.keys(.escape)
        #expect(driver.state.top == .workspace)
        #expect(driver.state.workspace?.search == "")
        #expect((driver.state.workspace?.total ?? 0) > narrowed)
        driver.keys(.escape)
        #expect(driver.state.top == .accounts)
    }

    @Test func escOnAKindFilterClearsItBeforeLeaving() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("f"))
        #expect(driver.state.workspace?.kind == .grant)
        driver.keys(.escape)
        #expect(driver.state.top == .workspace && driver.state.workspace?.kind == nil)
    }

    @Test func escInADialogOverASearchClosesOnlyTheDialog() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("/"))
        driver.type("j-1")
        driver.keys(.enter, .character("t"), .enter)
        #expect(driver.state.dialog != nil)
        driver.keys(.escape)
        #expect(driver.state.dialog == nil)
        driver.keys(.escape)
        #expect(driver.state.top == .workspace && driver.state.workspace?.search == "j-1")
        driver.keys(.escape)
        #expect(driver.state.workspace?.search == "")
    }
}

@Suite struct RoughEdgeTests {
    @Test func oneWorkspaceIsCountedInTheSingular() {
        var fixture = ConsoleFixture()
        fixture.state.workspaces = fixture.state.workspaces.filter { $0.key == "acme" }
        let one = Driver(as: "maria", fixture: fixture)
        #expect(one.screen.contains(" 1 workspace ·"), "\(one.screen)")
        #expect(Driver(as: "maria").screen.contains(" 3 workspaces ·"))
    }
}

@Suite struct AfterTheNoticeTests {
    @Test func R8_aPurchaseFromTheNoticeSaysTheActionHasNotRunYet() {
        var driver = Driver(as: "kim")
        driver.keys(.character("r"), .character("G"), .enter, .character("b"), .enter, .character("y"))
        #expect(driver.state.flash?.text.contains("Bought topup_50") == true)
        #expect(driver.state.flash?.text.contains("Clone a design has not run: r runs it") == true)
        // A purchase made straight from the picker says only what it bought.
        driver.keys(.character("t"), .enter, .character("y"))
        #expect(driver.state.flash?.text.contains("has not run") == false)
    }
}

@Suite struct SuspendReducerTests {
    @Test func ctrlZAsksToSuspendFromAnyScreenEvenInAField() {
        var driver = Driver(as: "maria")
        driver.keys(.control("z"))
        #expect(driver.suspends == 1)
        driver.keys(.enter, .character("a"), .character("1"), .control("z"))
        #expect(driver.suspends == 2)
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.amount.text == "1")
    }

    @Test func aKioskIgnoresCtrlZAndSaysSo() {
        var driver = Driver(as: "maria", demo: true, kiosk: true)
        driver.keys(.control("z"))
        #expect(driver.suspends == 0)
        #expect(driver.state.flash?.text.contains("Ctrl-Z") == true)
    }
}
