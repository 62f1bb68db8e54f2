import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// A form's problem line wraps to as many lines as it needs: the point of a long refusal is
/// never cut off at 80 columns.
@Suite struct FormProblemTests {
    static let refusal = "rollover #8 carries credits of grant #3, which entry #12 already reversed: void the rollover's own credits instead, or reverse entry #12's reversal first"

    @Test("R36, R41: the void form's refusal is shown whole at 80 columns, its footer below it")
    func R36_theVoidFormsRefusalWrapsWhole() throws {
        var driver = Driver(as: "maria")
        driver.fixture.run(.grant(workspace: "bright", amount: 40, source: .promo, reason: "welcome", expires: nil), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.keys(.down, .enter)
        try #require(driver.state.openWorkspace?.id == "bright")
        driver.keys(.character("v"))
        guard case .void(var model) = driver.state.top else { Issue.record("no void form: \(driver.screen)"); return }
        model.problem = Self.refusal
        driver.state.top = .void(model)
        let text = driver.screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains(Self.refusal), "\(driver.screen)")
        #expect(driver.screen.contains("Recorded as maria"), "the footer stays: \(driver.screen)")
    }

    @Test("every form's problem line wraps at 80 columns", arguments: ["adjust", "reverse", "autoTopUp", "memberLimit", "budget"])
    func everyFormsProblemWraps(_ form: String) throws {
        var driver = try AutoTopUpFormTests.onAcme()
        switch form {
        case "adjust": driver.keys(.character("a"))
        case "autoTopUp": driver.keys(.character("u"))
        case "memberLimit": driver.keys(.character("m"))
        case "budget": driver.keys(.character("b"))
        default:
            let adjustment = try #require(driver.fixture.journal.last { $0.kind == .adjustment && $0.workspace == "acme" })
            driver.state.stack.append(.reverse(ReverseModel(entry: adjustment)))
        }
        switch driver.state.top {
        case .adjust(var model): model.problem = Self.refusal; driver.state.top = .adjust(model)
        case .reverse(var model): model.problem = Self.refusal; driver.state.top = .reverse(model)
        case .autoTopUp(var model): model.problem = Self.refusal; driver.state.top = .autoTopUp(model)
        case .memberLimit(var model): model.problem = Self.refusal; driver.state.top = .memberLimit(model)
        case .budget(var model): model.problem = Self.refusal; driver.state.top = .budget(model)
        default: Issue.record("\(form) did not open: \(driver.screen)"); return
        }
        let text = driver.screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains(Self.refusal), "\(form): \(driver.screen)")
    }
}
