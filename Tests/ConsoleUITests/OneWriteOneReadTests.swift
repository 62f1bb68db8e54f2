import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// A write's answer is one action: the state is reduced once for it, and the history page in
/// view is read once, not once for the fresh ledger and again for the result.
@Suite struct OneWriteOneReadTests {
    static func reads(_ effects: [Effect]) -> (history: Int, spend: Int) {
        effects.reduce(into: (0, 0)) { count, effect in
            if case .loadHistory = effect { count.0 += 1 }
            if case .loadMemberSpend = effect { count.1 += 1 }
        }
    }

    @Test("R23: y on a purchase asks for the history page once and this month's spend once")
    func R23_purchaseYReadsTheHistoryOnce() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("t"), .enter)
        guard case .purchase? = driver.state.dialog else { Issue.record("no purchase dialog"); return }
        driver.effects = []
        driver.keys(.character("y"))
        #expect(driver.state.flash?.text.hasPrefix("Bought topup_50") == true)
        let reads = Self.reads(driver.effects)
        #expect(reads.history == 1, "\(driver.effects)")
        #expect(reads.spend == 1, "\(driver.effects)")
        #expect(driver.state.workspace?.cursor.selected == 0, "the new entry is in view")
        #expect(driver.state.workspace?.window.first?.kind == .topup)
    }

    @Test("the same write answered the old way, ledger then result, asks for the page twice")
    func separateAnswersReadTwice() {
        var driver = Driver(as: "sam")
        driver.keys(.enter, .character("t"), .enter)
        let command = Command.topUp(workspace: "acme", pack: "topup_50", payment: "p-1")
        let result = driver.fixture.run(command, as: "sam")
        let (afterLedger, first) = reduce(driver.state, .ledgerChanged(driver.fixture.state))
        let (_, second) = reduce(afterLedger, .submitted(command, result))
        #expect(Self.reads(first + second).history == 2)
        let (_, once) = reduce(driver.state, .wrote(command, result, ledger: driver.fixture.state, warnings: []))
        #expect(Self.reads(once).history == 1)
    }

    @Test func keepingLastReadsKeepsTheNewestHistoryRequestAndOtherEffectsInOrder() {
        let older = HistoryRequest(workspace: "acme", start: 10, count: 30, kind: nil, search: "")
        let newer = HistoryRequest(workspace: "acme", start: 0, count: 30, kind: nil, search: "")
        let spend = Effect.loadMemberSpend(workspace: "acme", asOf: Timestamp(secondsSinceEpoch: 0))
        let kept = Effect.keepingLastReads([.loadHistory(older), spend, .copy("x"), .loadHistory(newer), spend])
        #expect(kept == [spend, .copy("x"), .loadHistory(newer)])
    }
}
