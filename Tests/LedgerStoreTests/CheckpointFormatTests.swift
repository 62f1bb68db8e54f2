import CreditKit
import Foundation
@testable import LedgerStore
import Testing

/// Checkpoint format 3 carries each workspace's last charge and expiring credits for wide
/// Accounts; a format-2 checkpoint written before is still read (without those facts) and the
/// next writer replaces it with format 3.
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
            #expect(listed.checkpoint?.format == 3)
            let summaries = Dictionary(uniqueKeysWithValues: listed.workspaceSummaries().map { ($0.id, $0) })
            #expect(summaries["acme"]?.lastCharge == Fixture.time(minute: 4))
            #expect(summaries["beta"]?.lastCharge == nil)
            #expect(summaries["beta"]?.expiringCredits == 30)
            #expect(summaries["beta"]?.firstExpiry == Fixture.time(minute: 60 * 24 * 30))
            let full = try FileLedger.open(directory: directory)
            #expect(full.state.workspaces["acme"]?.lastCharge == Fixture.time(minute: 4), "the blob carries it too")
        }
    }

    @Test("a format-2 checkpoint is still read, and the next write replaces it with format 3")
    func formatTwoIsReadThenUpgraded() throws {
        try withTemporaryDirectory { directory in
            let script = try Self.script(directory)
            let journalState = try FileLedger.open(directory: directory, useCheckpoint: false)
            try Self.writeFormatTwo(journalState)
            let old = try FileLedger.open(directory: directory)
            #expect(old.checkpoint?.format == 2)
            #expect(old.checkpointProblem == nil)
            #expect(old.state.workspaces["acme"]?.balance == journalState.state.workspaces["acme"]?.balance)
            #expect(old.state.workspaces["acme"]?.lastCharge == nil, "format 2 does not say")
            #expect(old.workspaceSummaries().count == 2)
            // A later process (as every command is) opens through the old checkpoint and writes.
            let writer = try LedgerScript(reopening: directory, minute: script.minute)
            #expect(writer.ledger.checkpoint?.format == 2)
            _ = try writer.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-2"), as: Fixture.owner)
            let upgraded = try FileLedger.open(directory: directory)
            #expect(upgraded.checkpoint?.format == 3)
            #expect(upgraded.state.workspaces["acme"]?.lastCharge == Fixture.time(minute: 6))
        }
    }

    /// Writes `ledger`'s state as the format-2 checkpoint the previous build wrote: no last
    /// charge or expiry in the summaries, no last charge at the end of each blob.
    static func writeFormatTwo(_ ledger: FileLedger) throws {
        let state = ledger.state
        let ids = state.workspaces.keys.sorted()
        var blobs: [[UInt8]] = []
        for id in ids {
            var blob = BinaryWriter()
            WorkspaceBlob.encode(state.workspaces[id]!, index: ledger.creditRefs(of: id), into: &blob)
            blobs.append(Array(blob.bytes.dropLast(state.workspaces[id]!.lastCharge == nil ? 1 : 9)))
        }
        var header = BinaryWriter()
        header.int(ledger.scanner.end); header.count(ledger.scanner.lineCount); header.int(state.lastSeq)
        header.optionalInt(state.lastTime?.secondsSinceEpoch); header.string(state.lastHash)
        header.count(state.operators.count)
        for (name, role) in state.operators.sorted(by: { $0.key < $1.key }) { header.string(name); header.string(role.rawValue) }
        header.count(ids.count)
        var offset: Int64 = 0
        for (id, blob) in zip(ids, blobs) {
            let ws = state.workspaces[id]!
            header.string(id); header.int(offset); header.int(Int64(blob.count)); header.raw(SHA256Hex.raw(blob))
            header.string(ws.name); header.string(ws.owner)
            header.count(ws.members.count); ws.members.forEach { header.string($0) }
            header.string(ws.plan); header.string(ws.status.rawValue)
            header.int(ws.balance); header.int(ws.earned); header.int(ws.spent); header.int(ws.lastActivity.secondsSinceEpoch)
            offset += Int64(blob.count)
        }
        var file = BinaryWriter()
        file.raw(Checkpoint.magicFormat2); file.count(header.bytes.count); file.raw(header.bytes); file.raw(SHA256Hex.raw(header.bytes))
        blobs.forEach { file.raw($0) }
        try Data(file.bytes).write(to: URL(fileURLWithPath: ledger.checkpointPath))
    }
}
