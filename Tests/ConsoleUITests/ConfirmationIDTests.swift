import Testing
import CreditKit
import LedgerCore
@testable import ConsoleUI

/// R26 in the console: every confirmation carries its own payment or request id, and when the
/// ledger could not record it (a lock timeout), the same confirmation comes back, so confirming
/// again submits the same id and the purchase is recorded at most once.
@Suite struct ConfirmationIDTests {
    /// `kim` owns `bright` (balance 8): opens the pack picker and the confirmation of the first pack.
    private func purchaseOpen() -> Driver {
        var driver = Driver(as: "kim")
        driver.keys(.character("t"), .enter)
        return driver
    }

    private func payment(_ dialog: Dialog?) -> String? {
        guard case .purchase(let purchase, _)? = dialog else { return nil }
        return purchase.payment
    }

    @Test func R26_eachPurchaseConfirmationHasItsOwnPayment() {
        var driver = purchaseOpen()
        let first = payment(driver.state.dialog)
        driver.keys(.escape, .enter)
        let second = payment(driver.state.dialog)
        #expect(first == "console-1" && second == "console-2")
    }

    @Test func R26_aRetryAfterALockTimeoutSubmitsTheSamePaymentAndBuysOnce() {
        var driver = purchaseOpen()
        let opened = payment(driver.state.dialog)
        // Press confirm without the driver performing the write: the ledger was locked.
        var (state, effects) = reduce(driver.state, .key(.character("y")))
        guard case .submit(let command)? = effects.first, case let .topUp(_, _, sent) = command else {
            Issue.record("no top-up submitted: \(effects)"); return
        }
        #expect(sent == opened && sent != nil)
        (state, _) = reduce(state, .submitted(command, .failure(.lockTimeout(seconds: 10))))
        #expect(payment(state.dialog) == opened, "the same confirmation comes back")
        #expect(state.dialog?.focus == .confirm)
        #expect(state.flash?.text.contains("confirm again to retry") == true)

        // The first attempt did land after all (the timeout came after the write): the retry
        // carries the same payment, so the ledger answers "already recorded".
        let landed = driver.fixture.run(command, as: "kim")
        guard case .success(.recorded) = landed else { Issue.record("the first attempt did not land: \(landed)"); return }
        let before = driver.fixture.state.workspaces["bright"]?.balance
        driver.state = state
        driver.effects = []
        driver.keys(.character("y"))
        let submitted = driver.effects.filter { if case .submit = $0 { return true } else { return false } }
        #expect(submitted == [.submit(command)], "the retry submits the same payment")
        #expect(driver.fixture.state.workspaces["bright"]?.balance == before, "bought once")
        #expect(driver.state.flash?.text.contains("already recorded: payment \(opened ?? "")") == true)
        #expect(driver.state.dialog == nil)
    }

    @Test func R26_eachAdjustmentConfirmationHasItsOwnRequest() {
        var driver = Driver(as: "maria")
        driver.keys(.down, .enter, .character("a"))
        driver.type("5")
        driver.keys(.tab)
        driver.type("goodwill")
        driver.keys(.enter)
        guard case .adjustment(let confirmation, _)? = driver.state.dialog else { Issue.record("no confirmation"); return }
        #expect(confirmation.request == "console-1")
        driver.keys(.character("y"))
        #expect(driver.effects.contains(.submit(.adjust(workspace: "bright", amount: 5, reason: "goodwill", request: "console-1"))))
    }

    @Test func R26_theRunsPrefixMakesItsIds() {
        let fixture = ConsoleFixture()
        let session = Session(actor: "kim", ledgerLabel: "konfiwear", demo: false, glyphs: Glyphs(ascii: false), idPrefix: "console-k3x-9")
        var (state, _) = ConsoleState.initial(ledger: fixture.state, session: session, now: fixture.clock, size: Size(width: 80, height: 24))
        (state, _) = reduce(state, .key(.character("t")))
        (state, _) = reduce(state, .key(.enter))
        #expect(payment(state.dialog) == "console-k3x-9-1")
    }

    /// R6: two desks confirming an action at the same moment (the same next seq) charge two jobs;
    /// the job id comes from each console run's own prefix, not from the ledger's next seq.
    @Test func R6_twoConsolesRunningAnActionAtOnceChargeTwoDistinctJobs() {
        let fixture = ConsoleFixture()
        func runJob(prefix: String) -> String? {
            let session = Session(actor: "kim", ledgerLabel: "konfiwear", demo: false, glyphs: Glyphs(ascii: false), idPrefix: prefix)
            var (state, _) = ConsoleState.initial(ledger: fixture.state, session: session, now: fixture.clock, size: Size(width: 80, height: 24))
            (state, _) = reduce(state, .key(.character("r")))
            (state, _) = reduce(state, .key(.enter))
            guard case .run(let run, _)? = state.dialog, case let .charge(_, _, job) = run.command else { return nil }
            return job
        }
        let first = runJob(prefix: "console-a1-7"), second = runJob(prefix: "console-b2-9")
        #expect(first == "console-a1-7-1")
        #expect(second == "console-b2-9-1")
        #expect(first != second)
    }
}
