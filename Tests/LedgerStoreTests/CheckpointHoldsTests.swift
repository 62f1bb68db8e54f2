import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Open holds (R35) and voided grants (R36) survive a checkpoint: a ledger reopened through it
/// has the state its journal gives, and a stale or other-format checkpoint is rebuilt.
@Suite struct CheckpointHoldsTests {
    /// acme with two open holds (one with a short time to live), one captured and one released,
    /// and a promotion partly spent then voided; beta with one open hold.
    static func script(_ directory: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: directory)
        try script.createAcme()
        try script.record(.createWorkspace(id: "beta", name: "Beta", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
        try script.record(.topUp(workspace: "beta", pack: "topup_50"), as: Fixture.owner)
        let promo = try #require(try script.record(.grant(workspace: "acme", amount: 30, source: .promo, reason: "spring", expires: nil),
                                                   as: Fixture.support).last)
        try script.record(.hold(workspace: "acme", action: "ai_graphic", job: "open-1", ttlSeconds: nil), as: Fixture.owner)
        try script.record(.hold(workspace: "acme", action: "print_file", job: "open-2", ttlSeconds: 600), as: Fixture.owner)
        try script.record(.hold(workspace: "acme", action: "ai_graphic", job: "captured", ttlSeconds: nil), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "captured"), as: Fixture.owner)
        try script.record(.hold(workspace: "acme", action: "ai_vectorize", job: "failed", ttlSeconds: nil), as: Fixture.owner)
        try script.record(.jobFailed(workspace: "acme", job: "failed"), as: Fixture.owner)
        try script.record(.void(workspace: "acme", seq: promo.seq, reason: "sent by mistake"), as: Fixture.support)
        try script.record(.hold(workspace: "beta", action: "print_file", job: "b-1", ttlSeconds: nil), as: Fixture.owner)
        return script
    }

    @Test("R35, R36: open holds and voided grants round-trip through a refreshed checkpoint")
    func R35_R36_holdsAndVoidsRoundTripThroughTheCheckpoint() throws {
        try withTemporaryDirectory { directory in
            let script = try Self.script(directory)
            try script.ledger.saveCheckpoint()
            let reopened = try FileLedger.open(directory: directory)
            #expect(reopened.checkpoint?.format == Checkpoint.currentFormat)
            #expect(reopened.checkpointProblem == nil)
            #expect(reopened.tailRecords == 0, "the state came from the checkpoint, not the journal")
            let journal = try FileLedger.open(directory: directory, useCheckpoint: false)
            expectSameState(reopened.state, journal.state)
            let acme = try #require(reopened.state.workspaces["acme"])
            #expect(acme.holds.keys.sorted() == ["open-1", "open-2"])
            #expect((acme.held, acme.available) == (10, acme.balance - 10))
            #expect(acme.voided.count == 1)
            #expect(reopened.state.workspaces["beta"]?.held == 4)
            // The lists read the summaries alone, holds included.
            let listed = try FileLedger.openForSummaries(directory: directory).workspaceSummaries()
            #expect(listed == journal.state.workspaceIDs.compactMap { journal.state.workspaces[$0] }.map(WorkspaceSummary.init))
            #expect(listed.first { $0.id == "acme" }?.held == 10)
            // The short hold outlives its deadline through the checkpoint too: the next write releases it.
            let writer = try LedgerScript(reopening: directory, minute: script.minute + 20)
            let written = try writer.record(.charge(workspace: "acme", action: "ai_graphic", job: "open-1"), as: Fixture.owner)
            #expect(written.map(\.kind) == [.release, .charge])
            #expect(written.first?.job == "open-2" && written.last?.ref == acme.holds["open-1"]?.seq)
            let again = try writer.submit(.void(workspace: "acme", seq: try #require(acme.voided.keys.first), reason: "twice"), as: Fixture.support)
            guard case .rejected(.alreadyVoided) = again else { Issue.record("the void was forgotten: \(again)"); return }
        }
    }

    @Test("a checkpoint older than the holds, or of another format, is not trusted: holds come from the journal and it is rebuilt",
          arguments: ["stale", "other format"])
    func aStaleOrOtherFormatCheckpointIsRebuiltWithTheHolds(kind: String) throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory)
            try script.createAcme()
            try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
            try script.ledger.saveCheckpoint()
            let early = try JournalBytes.read(script.ledger.checkpointPath)
            let full = try Self.script(directory + "-full")
            defer { try? FileManager.default.removeItem(atPath: directory + "-full") }
            try full.ledger.saveCheckpoint()
            let path = full.ledger.checkpointPath
            switch kind {
            case "stale":
                // A checkpoint of another ledger with no holds: its head is not this journal's.
                try JournalBytes.overwrite(early, to: path)
            default:
                var bytes = try JournalBytes.read(path)
                let magic = Checkpoint.magic
                bytes.replaceSubrange(0..<magic.count, with: Array("CREDITDESK-CHECKPOINT-6\n".utf8))
                try JournalBytes.overwrite(bytes, to: path)
            }
            let opened = try FileLedger.open(directory: directory + "-full")
            #expect(opened.checkpoint == nil && opened.checkpointProblem != nil, "\(kind) must be noticed")
            let journal = try FileLedger.open(directory: directory + "-full", useCheckpoint: false)
            expectSameState(opened.state, journal.state)
            #expect(opened.state.workspaces["acme"]?.held == 10)
            let writer = try LedgerScript(reopening: directory + "-full", minute: full.minute)
            try writer.record(.charge(workspace: "beta", action: "print_file", job: "b-1"), as: Fixture.owner)
            try writer.ledger.saveCheckpoint()
            let rebuilt = try FileLedger.open(directory: directory + "-full")
            #expect(rebuilt.checkpoint?.format == Checkpoint.currentFormat && rebuilt.checkpointProblem == nil)
            expectSameState(rebuilt.state, try FileLedger.open(directory: directory + "-full", useCheckpoint: false).state)
            #expect(rebuilt.state.workspaces["beta"]?.held == 0)
        }
    }
}
