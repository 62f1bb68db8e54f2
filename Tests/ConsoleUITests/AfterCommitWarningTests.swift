import CreditKit
import Testing
@testable import ConsoleUI

/// A problem met after a write was durable (the checkpoint, mail delivery) is shown in the
/// status line after the write's result; the write stands.
@Suite struct AfterCommitWarningTests {
    @Test func theWarningFollowsTheResultInTheStatusLine() {
        var driver = Driver(as: "kim", size: Size(width: 120, height: 40))
        driver.keys(.character("t"), .down, .down, .enter, .character("y"))
        #expect(driver.state.openWorkspace?.balance == 2_208)
        driver.send(.afterCommitWarnings(["the records are written, but the checkpoint (a cache) could not be rewritten",
                                          "alert email not accepted"]))
        let flash = driver.state.flash
        #expect(flash?.kind == .info)
        #expect(flash?.text == "Bought topup_200 for $200.00: +2,200 credits · balance 2,208 ● comfortable · "
            + "warning: the records are written, but the checkpoint (a cache) could not be rewritten (and 1 more)")
        #expect(driver.screen.contains("Bought topup_200 for $200.00: +2,200 credits"))
        #expect(driver.screen.contains("warning: the records are written"))
        #expect(driver.state.openWorkspace?.balance == 2_208, "the purchase stands")
    }

    @Test func noWarningsLeaveTheResultAsItWas() {
        var driver = Driver(as: "kim")
        driver.keys(.character("t"), .down, .down, .enter, .character("y"))
        let before = driver.state.flash
        driver.send(.afterCommitWarnings([]))
        #expect(driver.state.flash == before)
        #expect(before?.kind == .success)
    }
}
