import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// An open dialog follows writes from another desk (R8, R23): its balance, balance after and
/// shortfall are decided again against the fresh state, never left at a stale preview.
@Suite struct DialogRefreshTests {
    static func balance(_ driver: Driver, _ ws: String) -> Credits { driver.fixture.state.workspaces[ws]!.balance }

    /// Another desk's write reaching this console, as the run loop's poll delivers it.
    static func otherDesk(_ driver: inout Driver, _ command: Command, as actor: String) {
        let result = driver.fixture.run(command, as: actor)
        guard case .success(.recorded) = result else { Issue.record("the other desk's write was not recorded: \(result)"); return }
        driver.send(.ledgerChanged(driver.fixture.state))
    }

    @Test("R23: a purchase confirmation shows the balance another desk just changed, and the balance after from it")
    func R23_purchaseConfirmationFollowsAnotherDesk() throws {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("t"), .enter)
        guard case .purchase(let opened, _)? = driver.state.dialog else { Issue.record("no purchase dialog"); return }
        #expect(opened.balanceBefore == Self.balance(driver, "acme"))
        Self.otherDesk(&driver, .charge(workspace: "acme", action: "ai_graphic", job: "other-desk-1"), as: "lee")
        guard case .purchase(let fresh, let focus)? = driver.state.dialog else { Issue.record("the dialog closed"); return }
        #expect(fresh.balanceBefore == opened.balanceBefore - 6)
        #expect(fresh.balanceAfter == opened.balanceAfter - 6)
        #expect(fresh.payment == opened.payment, "R26: the same confirmation keeps its id")
        #expect(focus == .cancel)
        #expect(driver.screen.contains(AmountFormat.grouped(fresh.balanceAfter)))
        #expect(driver.state.flash?.text.contains("the balance changed to \(AmountFormat.grouped(fresh.balanceBefore))") == true)
    }

    @Test("R8: a run confirmation whose balance another desk spent turns into the insufficient notice with the fresh shortfall")
    func R8_runConfirmationBecomesTheNoticeWhenTheBalanceIsSpent() {
        var driver = Driver(as: "kim")  // kim's one workspace opens at once
        driver.keys(.character("r"), .enter)
        guard case .run(let run, _)? = driver.state.dialog else { Issue.record("no run dialog: \(driver.screen)"); return }
        #expect(run.balanceBefore == 8 && run.balanceAfter == 2)
        Self.otherDesk(&driver, .charge(workspace: "bright", action: "print_file", job: "other-desk-2"), as: "ivy")
        guard case .insufficient(let notice, _)? = driver.state.dialog else { Issue.record("no notice: \(driver.screen)"); return }
        #expect(notice.balance == 4 && notice.cost == 6 && notice.shortfall == 2)
        #expect(driver.screen.contains("2 credits short"))
        // The notice follows too: a top-up elsewhere covers the cost and closes it.
        Self.otherDesk(&driver, .adjust(workspace: "bright", amount: 10, reason: "goodwill"), as: "maria")
        #expect(driver.state.dialog == nil)
        #expect(driver.state.flash?.text.contains("the balance is now 14") == true)
    }

    @Test("R19: an adjustment that another desk's spending makes go below zero closes with the refusal, back on the form")
    func R19_adjustmentConfirmationRedecidedAgainstTheFreshBalance() {
        var driver = Driver(as: "maria")
        driver.keys(.down, .enter, .character("a"))
        driver.type("-8")
        driver.keys(.tab)
        driver.type("take back")
        driver.keys(.enter)
        guard case .adjustment(let adjustment, _)? = driver.state.dialog else { Issue.record("no adjustment dialog: \(driver.screen)"); return }
        #expect(adjustment.balanceBefore == 8 && adjustment.balanceAfter == 0)
        Self.otherDesk(&driver, .charge(workspace: "bright", action: "print_file", job: "other-desk-3"), as: "ivy")
        #expect(driver.state.dialog == nil)
        guard case .adjust(let form) = driver.state.top else { Issue.record("not back on the form"); return }
        #expect(form.problem?.isEmpty == false)
        #expect(driver.state.flash?.kind == .refusal)
    }

    @Test("a write to another workspace leaves the dialog and the status line as they were")
    func otherWorkspacesWriteLeavesTheDialog() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("t"), .enter)
        let before = driver.state.dialog
        Self.otherDesk(&driver, .adjust(workspace: "bright", amount: 5, reason: "elsewhere"), as: "maria")
        #expect(driver.state.dialog == before)
        #expect(driver.state.flash == nil)
    }
}
