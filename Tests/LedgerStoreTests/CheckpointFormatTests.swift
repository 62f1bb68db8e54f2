import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// The checkpoint's summaries carry each workspace's last charge and expiring credits (wide
/// Accounts, S3); a checkpoint of an older format is a cache like any other: ignored and rebuilt.
@Suite struct CheckpointFormatTests {
    static func script(_ directory: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: directory)
        try script.createAcme()
        _ = try script.record(.createWorkspace(id: "beta", name: "Beta", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
        _ = try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
        _ = try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Fixture.owner)
        _ = try script.record(.grant(workspace: "beta", amount: 30, source: .promo, reason: "spring",
                                     expires: Fixture.time(minute: 60 * 24 * 30)), as: Fixture.support)
        return script
    }

    @Test("summaries read from the checkpoint carry the last charge and the credits that expire")
    func summariesCarryLastChargeAndExpiry() throws {
        try withTemporaryDirectory { directory in
            let script = try Self.script(directory)
            try script.ledger.saveCheckpoint()
            let listed = try FileLedger.openForSummaries(directory: directory)
            #expect(listed.checkpoint?.format == Checkpoint.currentFormat)
            let summaries = Dictionary(uniqueKeysWithValues: listed.workspaceSummaries().map { ($0.id, $0) })
            #expect(summaries["acme"]?.lastCharge == Fixture.time(minute: 4))
            #expect(summaries["beta"]?.lastCharge == nil)
            #expect(summaries["beta"]?.expiringCredits == 30)
            #expect(summaries["beta"]?.firstExpiry == Fixture.time(minute: 60 * 24 * 30))
            let full = try FileLedger.open(directory: directory)
            #expect(full.state.workspaces["acme"]?.lastCharge == Fixture.time(minute: 4), "the blob carries it too")
        }
    }

    @Test("a checkpoint of an older format is ignored with a note, the ledger reads right, and the next write rebuilds it")
    func anOlderFormatIsIgnoredAndRebuilt() throws {
        try withTemporaryDirectory { directory in
            let script = try Self.script(directory)
            let journalState = try FileLedger.open(directory: directory, useCheckpoint: false)
            let older = Array("CREDITDESK-CHECKPOINT-3\n".utf8) + [UInt8](repeating: 0, count: 64)
            try Data(older).write(to: URL(fileURLWithPath: directory + "/checkpoint"))
            let old = try FileLedger.open(directory: directory)
            #expect(old.checkpoint == nil)
            #expect(old.checkpointProblem?.contains("not a checkpoint of this format") == true, "\(old.checkpointProblem ?? "no note")")
            #expect(old.state.workspaces["acme"]?.balance == journalState.state.workspaces["acme"]?.balance)
            #expect(old.state.workspaces["acme"]?.lastCharge == Fixture.time(minute: 4))
            let writer = try LedgerScript(reopening: directory, minute: script.minute)
            _ = try writer.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-2"), as: Fixture.owner)
            try writer.ledger.saveCheckpoint()
            let rebuilt = try FileLedger.open(directory: directory)
            #expect(rebuilt.checkpoint?.format == Checkpoint.currentFormat)
            #expect(rebuilt.state.workspaces["acme"]?.lastCharge == Fixture.time(minute: 6))
        }
    }
}
