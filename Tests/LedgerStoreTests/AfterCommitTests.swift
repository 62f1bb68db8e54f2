import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Once a commit's records are synced, nothing after it (the checkpoint
/// rewrite, moving alert mail into the outbox) may turn it into a reported failure. Each such
/// problem is a warning, the commit stands, and the next write repairs it.
@Suite struct AfterCommitTests {
    /// acme holding 1,000 credits, with the checkpoint due after every commit and a directory
    /// planted where the checkpoint is written, so that its rename fails (EISDIR).
    private func ledgerWithCheckpointBlocked(_ root: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 1_000, reason: "seed"), as: Fixture.support)
        try FileManager.default.createDirectory(atPath: script.ledger.checkpointPath + "/in-the-way", withIntermediateDirectories: true)
        script.ledger.checkpointRefreshRecords = 1
        return script
    }

    private func expectCheckpointWarning(_ warnings: [AfterCommitWarning], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(warnings.count == 1, "\(warnings)", sourceLocation: sourceLocation)
        guard case .checkpointNotRewritten(.io(_, _, EISDIR))? = warnings.first else {
            Issue.record("expected the checkpoint's rename to fail with EISDIR: \(warnings)", sourceLocation: sourceLocation)
            return
        }
        #expect(!(warnings.first?.description.contains("nothing was written") ?? true), sourceLocation: sourceLocation)
    }

    /// The topup is in the journal exactly once, as a reopening reader sees it.
    private func expectOneTopup(_ directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reopened = try FileLedger.open(directory: directory, useCheckpoint: false)
        #expect(try reopened.history(of: "acme", kinds: [.topup]).count == 1, sourceLocation: sourceLocation)
        let balance: Int64? = reopened.state.workspaces["acme"]?.balance
        #expect(balance == Int64(11_000), "\(String(describing: balance))", sourceLocation: sourceLocation)
    }

    @Test func submitReportsTheCommitWhenTheCheckpointCannotBeRewritten() throws {
        try withTemporaryDirectory { root in
            let script = try ledgerWithCheckpointBlocked(root)
            let outcome: SubmitOutcome
            do throws(LedgerError) {
                outcome = try script.submit(.topUp(workspace: "acme", pack: "topup_800"), as: Fixture.owner)
            } catch {
                Issue.record("a durable top-up was reported as failed: \(error)")
                return
            }
            guard case .recorded(let entries, _) = outcome else { Issue.record("\(outcome)"); return }
            #expect(entries.map(\.kind) == [.topup])
            expectCheckpointWarning(script.ledger.takeWarnings())
            #expect(script.ledger.takeWarnings().isEmpty, "warnings are taken once")
            try expectOneTopup(script.directory)

            // The next write, with the way clear, rebuilds the checkpoint.
            try FileManager.default.removeItem(atPath: script.ledger.checkpointPath)
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "after"), as: Fixture.owner)
            #expect(script.ledger.takeWarnings().isEmpty)
            #expect(POSIXFile.exists(script.ledger.checkpointPath))
            #expect(FileLedger.checkpointStatus(directory: script.directory).hasPrefix("matches"))
        }
    }

    @Test func aLedgerOpenedForOneWorkspaceReportsTheCommitWhenTheCheckpointCannotBeRewritten() throws {
        try withTemporaryDirectory { root in
            let script = try ledgerWithCheckpointBlocked(root)
            let scoped = try FileLedger.open(directory: script.directory, workspaces: ["acme"])
            scoped.checkpointRefreshRecords = 1
            let outcome: SubmitOutcome
            do throws(LedgerError) {
                outcome = try scoped.submit(.topUp(workspace: "acme", pack: "topup_800"),
                                            context: CommandContext(actor: Fixture.owner, time: Fixture.time(minute: 50)))
            } catch {
                Issue.record("a durable top-up was reported as failed: \(error)")
                return
            }
            guard case .recorded = outcome else { Issue.record("\(outcome)"); return }
            expectCheckpointWarning(scoped.takeWarnings())
            try expectOneTopup(script.directory)
        }
    }

    @Test func aBatchIsReportedWhenTheCheckpointCannotBeRewritten() throws {
        try withTemporaryDirectory { root in
            let script = try ledgerWithCheckpointBlocked(root)
            var pending: [(Command, CommandContext)] = [(.topUp(workspace: "acme", pack: "topup_800"),
                                                         CommandContext(actor: Fixture.owner, time: Fixture.time(minute: 50)))]
            let outcomes: [SubmitOutcome]
            do throws(LedgerError) {
                outcomes = try script.ledger.submitBatch(limit: 10) { _ in pending.popLast() }
            } catch {
                Issue.record("a durable batch was reported as failed: \(error)")
                return
            }
            #expect(outcomes.count == 1)
            expectCheckpointWarning(script.ledger.takeWarnings())
            try expectOneTopup(script.directory)
        }
    }

    @Test func refreshingTheCheckpointAfterAStreamedImportWarnsInsteadOfFailing() throws {
        try withTemporaryDirectory { root in
            let script = try ledgerWithCheckpointBlocked(root)
            var pending: [(Command, CommandContext)] = [(.topUp(workspace: "acme", pack: "topup_800"),
                                                         CommandContext(actor: Fixture.owner, time: Fixture.time(minute: 50)))]
            try script.ledger.submitStreaming(limit: 10, { _ in pending.popLast() }, decided: { _ in })
            #expect(script.ledger.takeWarnings().isEmpty, "a streamed batch leaves the checkpoint for the end")
            do throws(LedgerError) {
                try script.ledger.refreshCheckpoint()
            } catch {
                Issue.record("the checkpoint refresh after an import failed it: \(error)")
            }
            expectCheckpointWarning(script.ledger.takeWarnings())
            try expectOneTopup(script.directory)
        }
    }

    @Test func R24_anAlertThatCannotBeMovedIntoTheOutboxLeavesTheCommitStanding() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            try script.record(.adjust(workspace: "acme", amount: 14, reason: "seed"), as: Fixture.support)
            // The charge (seq n+1) takes acme to 8 and writes the low alert (seq n+2) a minute later.
            let alertSeq = script.ledger.state.lastSeq + 2
            let time = Fixture.time(minute: script.minute + 1)
            let name = "\(time.secondsSinceEpoch).S\(alertSeq)_low.creditdesk"
            let blocker = script.ledger.paths.outbox + "/new/" + name
            try FileManager.default.createDirectory(atPath: blocker + "/in-the-way", withIntermediateDirectories: true)

            let outcome = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
            guard case .recorded(let entries, let alerts) = outcome else { Issue.record("\(outcome)"); return }
            #expect(entries.map(\.kind) == [.charge, .alert])
            #expect(entries.last?.seq == alertSeq)
            #expect(alerts.isEmpty, "a message not in outbox/new is not reported as delivered")
            #expect(script.ledger.takeWarnings() == [.alertLeftStaged(fileName: name, errno: EISDIR)])
            #expect(POSIXFile.exists(script.ledger.paths.outbox + "/tmp/" + name))

            // The next writer delivers it once the way is clear.
            try FileManager.default.removeItem(atPath: blocker)
            try script.record(.adjust(workspace: "acme", amount: 100, reason: "refill"), as: Fixture.support)
            #expect(!POSIXFile.isDirectory(blocker) && POSIXFile.exists(blocker))
            #expect(!POSIXFile.exists(script.ledger.paths.outbox + "/tmp/" + name))
        }
    }
}
