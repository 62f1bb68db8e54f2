import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// The checkpoint is a cache: opening through it gives exactly the state the journal gives, a
/// stale or damaged one is never trusted, and one workspace can be loaded without the others.
@Suite struct CheckpointTests {
    /// A ledger of a few workspaces with charges, refunds, alerts and an adjustment.
    private func populated(_ directory: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: directory)
        for ws in ["acme", "beta", "gamma"] {
            _ = try script.submit(.createWorkspace(id: ws, name: ws.capitalized, owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            _ = try script.submit(.topUp(workspace: ws, pack: "topup_50"), as: Fixture.owner)
            for job in 0..<5 { _ = try script.submit(.charge(workspace: ws, action: "ai_graphic", job: "\(ws)-\(job)"), as: Fixture.owner) }
            _ = try script.submit(.jobFailed(workspace: ws, job: "\(ws)-2"), as: Fixture.owner)
        }
        _ = try script.submit(.adjust(workspace: "beta", amount: -470, reason: "test drain"), as: Fixture.support)
        return script
    }

    private func same(_ a: LedgerState, _ b: LedgerState) -> Bool {
        a.lastSeq == b.lastSeq && a.lastHash == b.lastHash && a.operators == b.operators && a.workspaces == b.workspaces
    }

    @Test func openingThroughTheCheckpointGivesTheJournalsState() throws {
        try withTemporaryDirectory { directory in
            let script = try populated(directory)
            try script.ledger.saveCheckpoint()
            _ = try script.submit(.charge(workspace: "acme", action: "print_file", job: "after"), as: Fixture.owner)
            let fromJournal = try FileLedger.open(directory: directory, useCheckpoint: false)
            let throughCheckpoint = try FileLedger.open(directory: directory)
            #expect(throughCheckpoint.checkpoint != nil)
            #expect(throughCheckpoint.checkpointProblem == nil)
            #expect(throughCheckpoint.tailRecords == 1, "only the record after the checkpoint is read from the journal")
            #expect(same(fromJournal.state, throughCheckpoint.state))
            #expect(try fromJournal.history(of: "acme") == throughCheckpoint.history(of: "acme"))
            #expect(try throughCheckpoint.entry(seq: 5) == fromJournal.entry(seq: 5))
        }
    }

    @Test func oneWorkspaceLoadsAloneWithTheSameStateAndHistory() throws {
        try withTemporaryDirectory { directory in
            let script = try populated(directory)
            try script.ledger.saveCheckpoint()
            let full = try FileLedger.open(directory: directory)
            let partial = try FileLedger.open(directory: directory, workspaces: ["beta"])
            #expect(partial.state.workspaces.keys.sorted() == ["beta"])
            #expect(partial.state.workspaces["beta"] == full.state.workspaces["beta"])
            #expect(try partial.history(of: "beta") == full.history(of: "beta"))
            #expect(partial.workspaceIDs == ["acme", "beta", "gamma"])
            // A write through the partial ledger lands where a full reader expects it.
            let outcome = try partial.submit(.charge(workspace: "beta", action: "ai_vectorize", job: "p-1"),
                                             context: CommandContext(actor: Fixture.owner, time: Fixture.time(minute: 999)))
            guard case .recorded = outcome else { Issue.record("expected a charge, got \(outcome)"); return }
            #expect(same(try FileLedger.open(directory: directory).state, try FileLedger.open(directory: directory, useCheckpoint: false).state))
        }
    }

    @Test func summariesMatchTheFullStateWhateverTheTailHolds() throws {
        try withTemporaryDirectory { directory in
            let script = try populated(directory)
            try script.ledger.saveCheckpoint()
            _ = try script.submit(.topUp(workspace: "gamma", pack: "topup_100"), as: Fixture.owner)
            _ = try script.submit(.createWorkspace(id: "delta", name: "Delta", owner: Fixture.owner, plan: "starter", trial: true), as: Fixture.support)
            let summaries = try FileLedger.openForSummaries(directory: directory).workspaceSummaries()
            let full = try FileLedger.open(directory: directory, useCheckpoint: false).state
            #expect(summaries == full.workspaceIDs.compactMap { full.workspaces[$0] }.map(WorkspaceSummary.init))
        }
    }

    @Test(arguments: ["flipped byte", "cut short", "stale hash", "not a checkpoint"])
    func aDamagedOrStaleCheckpointIsIgnoredAndTheJournalDecides(damage: String) throws {
        try withTemporaryDirectory { directory in
            let script = try populated(directory)
            try script.ledger.saveCheckpoint()
            let path = script.ledger.checkpointPath
            var bytes = try JournalBytes.read(path)
            switch damage {
            case "flipped byte": bytes[bytes.count - 40] ^= 0x20
            case "cut short": bytes.removeLast(bytes.count / 3)
            case "not a checkpoint": bytes = Array("{}\n".utf8)
            default:
                // A checkpoint made from another journal: the record at its offset here has another hash.
                let other = try LedgerScript(creating: directory + "-other")
                defer { try? FileManager.default.removeItem(atPath: directory + "-other") }
                _ = try other.submit(.createWorkspace(id: "other", name: "Other", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
                try other.ledger.saveCheckpoint()
                bytes = try JournalBytes.read(other.ledger.checkpointPath)
            }
            try JournalBytes.overwrite(bytes, to: path)
            let opened = try FileLedger.open(directory: directory)
            #expect(opened.checkpointProblem != nil, "\(damage) must be noticed")
            // The note is one sentence about the checkpoint: "the checkpoint <is, has, holds…> …".
            let note = opened.checkpointProblem ?? ""
            let verbs = ["is ", "has ", "holds ", "places ", "names ", "does ", "stands ", "cannot "]
            #expect(verbs.contains { note.hasPrefix("the checkpoint " + $0) }, "garbled note: \(note)")
            #expect(same(opened.state, try FileLedger.open(directory: directory, useCheckpoint: false).state))
            // `verify` reads the checkpoint's header only: it names a foreign or unreadable one.
            if damage == "stale hash" || damage == "not a checkpoint" {
                #expect(FileLedger.checkpointStatus(directory: directory).contains("ignored"))
            }
        }
    }

    /// A journal cut back below the checkpoint's end lost records: every way in refuses it, naming
    /// both sizes, and nothing is written (a checkpoint over less journal is merely stale).
    @Test func aJournalShorterThanTheCheckpointIsRefusedByEveryReader() throws {
        try withTemporaryDirectory { directory in
            let script = try populated(directory)
            try script.ledger.saveCheckpoint()
            let journal = script.ledger.paths.journal
            let full = try JournalBytes.read(journal)
            let kept = JournalBytes.lines(full)[..<20].last!.upperBound + 1
            try JournalBytes.cut(journal, to: kept)
            let expected = LedgerError.journalShorterThanCheckpoint(journalBytes: Int64(kept), checkpointBytes: Int64(full.count),
                                                                    checkpoint: script.ledger.checkpointPath)
            #expect(throws: expected) { try FileLedger.open(directory: directory) }
            #expect(throws: expected) { try FileLedger.open(directory: directory, workspaces: ["beta"]) }
            #expect(throws: expected) { try FileLedger.open(directory: directory, useCheckpoint: false) }
            #expect(throws: expected) { try FileLedger.openForSummaries(directory: directory) }
            #expect(throws: expected) { try FileLedger.verify(directory: directory) }
            #expect(try JournalBytes.read(journal) == Array(full[..<kept]))
            #expect(expected.description.contains("the journal has \(kept) bytes but the checkpoint stands for \(full.count): records were removed"))
            // Once the loss is accepted, deleting the checkpoint (a cache) lets the journal decide.
            try FileManager.default.removeItem(atPath: script.ledger.checkpointPath)
            #expect(try FileLedger.open(directory: directory).state.lastSeq == 20)
        }
    }
}
