import CreditKit
@testable import LedgerStore
import LedgerCore
import Testing

/// R26 across the checkpoint: payment references and request ids are idempotency keys like job
/// ids, so a ledger opened from its checkpoint still knows them.
@Suite struct IdempotencyKeyCheckpointTests {
    @Test func R26_paymentsAndRequestsSurviveTheCheckpoint() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Fixture.owner)
            try script.record(.adjust(workspace: "acme", amount: 5, reason: "goodwill", request: "req-1"), as: Fixture.support)
            try script.ledger.saveCheckpoint()

            let reopened = try LedgerScript(reopening: script.directory, minute: script.minute)
            #expect(reopened.ledger.checkpoint != nil, "opened from the checkpoint")
            #expect(reopened.ledger.state.workspaces["acme"]?.payments == ["pay-1": 3])
            #expect(reopened.ledger.state.workspaces["acme"]?.requests == ["req-1": 4])
            let payment = try reopened.submit(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Fixture.owner)
            #expect(payment == .alreadyRecorded(.paymentAlreadyRecorded(payment: "pay-1", seq: 3), original: payment.original))
            let request = try reopened.submit(.adjust(workspace: "acme", amount: 5, reason: "goodwill", request: "req-1"), as: Fixture.support)
            guard case .alreadyRecorded(.requestAlreadyRecorded("req-1", 4), _) = request else { Issue.record("\(request)"); return }
            #expect(reopened.ledger.state.workspaces["acme"]?.balance == 505)
        }
    }
}

private extension SubmitOutcome {
    var original: Entry? { if case .alreadyRecorded(_, let original) = self { return original } else { return nil } }
}
