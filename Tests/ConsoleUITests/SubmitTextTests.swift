import Testing
import CreditKit
@testable import ConsoleUI

/// The line a write leaves in the status row leads with its outcome: a narrow screen cuts the
/// long job id or reason at the end, never the balance after.
@Suite struct SubmitTextTests {
    @Test("R23: at 80 columns a run with a long confirmation id still shows the balance after it")
    func R23_runResultShowsTheBalanceBeforeALongJobId() {
        var driver = Driver(as: "kim")  // kim's one workspace opens at once
        driver.state.session.idPrefix = "console-" + String(repeating: "z", count: 30) + "-7clz"
        driver.keys(.character("r"), .enter)
        guard case .run? = driver.state.dialog else { Issue.record("no run dialog: \(driver.screen)"); return }
        driver.keys(.character("y"))
        let status = driver.screen.split(separator: "\n").map(String.init).filter { $0.contains("Ran ") }
        #expect(status.count == 1, "\(driver.screen)")
        #expect(status.first?.contains("-6 credits · balance 2 ✖ critical") == true, "\(driver.screen)")
    }

    @Test("R19: an adjustment's reason comes after the balance, so a long reason is what gets cut")
    func R19_adjustResultShowsTheBalanceBeforeTheReason() {
        var driver = Driver(as: "maria")
        let reason = "goodwill gesture after the outage of the print service that lasted most of the day"
        let command = Command.adjust(workspace: "acme", amount: 25, reason: reason)
        guard case .success(.recorded(let entries, _)) = driver.fixture.run(command, as: "maria") else {
            Issue.record("the adjustment was not recorded"); return
        }
        let text = SubmitText.recorded(command, entries: entries, state: driver.state)
        #expect(text.hasPrefix("Adjusted: +25 credits · balance "), "\(text)")
        #expect(text.hasSuffix(" · " + reason), "\(text)")
    }
}
