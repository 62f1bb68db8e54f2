import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// R5, S3: the checkpoint keeps what each unrefunded job charge burned, so a refund decided
/// from a checkpoint goes back to the same parcel as one decided from the whole journal.
@Suite struct CheckpointBurnsTests {
    @Test("R5: a charge's burn survives the checkpoint: refunded from it, the credits go back to the promo grant")
    func R5_aChargesBurnSurvivesTheCheckpoint() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory)
            try script.createAcme()
            let grant = try #require(try script.record(.grant(workspace: "acme", amount: 10, source: .promo, reason: "welcome",
                                                              expires: Fixture.time(minute: 60 * 24 * 5)), as: Fixture.support).first)
            _ = try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Fixture.owner)
            try script.ledger.saveCheckpoint()
            let fromCheckpoint = try FileLedger.open(directory: directory)
            #expect(fromCheckpoint.checkpoint?.format == Checkpoint.currentFormat && fromCheckpoint.tailRecords == 0)
            #expect(fromCheckpoint.state.workspaces["acme"]?.burns.values.first?.first?.seq == grant.seq, "the blob carries the burn")
            let writer = try LedgerScript(reopening: directory, minute: script.minute)
            _ = try writer.record(.jobFailed(workspace: "acme", job: "j-1"), as: Fixture.owner)
            let journal = try FileLedger.open(directory: directory, useCheckpoint: false)
            let promo = journal.state.workspaces["acme"]?.buckets.first { $0.seq == grant.seq }
            #expect(promo?.remaining == 10 && promo?.source == .promo)
            expectSameState(writer.ledger.state, journal.state)
        }
    }
}
