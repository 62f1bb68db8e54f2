import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Auto top-up state (R37–R39) survives a checkpoint: the rule, the pending request, declines
/// and back-off, and this month's spend and warnings come back as the journal gives them.
@Suite struct CheckpointAutoTopUpTests {
    @Test("R37, R38, R39: the rule, the pending request, the declines and the month's spend round-trip through the checkpoint")
    func R37_autoTopUpRoundTripsThroughTheCheckpoint() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory)
            try script.createAcme()
            try script.record(.adjust(workspace: "acme", amount: 26, reason: "seed"), as: Fixture.support)
            let rule = AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 6_000)
            try script.record(.setAutoTopUp(workspace: "acme", rule: rule), as: Fixture.owner)
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Fixture.owner)
            try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Fixture.support)
            try script.record(.adjust(workspace: "acme", amount: -510, reason: "drain"), as: Fixture.support)
            try script.record(.setAutoTopUp(workspace: "acme", rule: AutoTopUpRule(threshold: 20, pack: nil, targetBalance: 600, capCents: 20_000)),
                              as: Fixture.owner)
            let pending = try #require(script.ledger.state.workspaces["acme"]?.autoTopUp.pending)
            try script.record(.topUpDeclined(workspace: "acme", request: pending.id, reason: "card declined"), as: Fixture.support)
            try script.ledger.saveCheckpoint()
            let reopened = try FileLedger.open(directory: directory)
            #expect(reopened.checkpointProblem == nil && reopened.tailRecords == 0, "the state came from the checkpoint")
            let journal = try FileLedger.open(directory: directory, useCheckpoint: false)
            let auto = try #require(reopened.state.workspaces["acme"]?.autoTopUp)
            #expect(auto == journal.state.workspaces["acme"]?.autoTopUp)
            #expect(auto.rule?.targetBalance == 600 && auto.declinesInARow == 1 && auto.backoffUntil != nil)
            #expect(auto.spentCents == 5_000 && auto.warned == [80] && auto.month != nil)
            expectSameState(reopened.state, journal.state)
        }
    }
}
