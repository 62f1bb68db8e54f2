import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Removals (R42) survive a checkpoint: a ledger reopened through it knows who was removed, and
/// by which entry, so a repeat still says already removed instead of "not a member".
@Suite struct CheckpointRemovalTests {
    @Test("R42: removed members and support agents round-trip through a refreshed checkpoint")
    func R42_removalsRoundTripThroughTheCheckpoint() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory)
            try script.createAcme()
            try script.record(.addMember(workspace: "acme", member: Fixture.member), as: Fixture.owner)
            try script.record(.addOperator(name: Fixture.owner, role: .support), as: Fixture.support)
            let member = try script.record(.removeMember(workspace: "acme", member: Fixture.member, reason: "left"), as: Fixture.owner)
            let agent = try script.record(.removeOperator(name: Fixture.support, reason: "moved on"), as: Fixture.owner)
            try script.ledger.saveCheckpoint()
            let reopened = try FileLedger.open(directory: directory)
            #expect(reopened.checkpoint?.format == Checkpoint.currentFormat && reopened.tailRecords == 0)
            expectSameState(reopened.state, try FileLedger.open(directory: directory, useCheckpoint: false).state)
            #expect(reopened.state.workspaces["acme"]?.removedMembers == [Fixture.member: member[0].seq])
            #expect(reopened.state.removedOperators == [Fixture.support: agent[0].seq])
            let writer = try LedgerScript(reopening: directory, minute: script.minute + 1)
            let again = try writer.submit(.removeMember(workspace: "acme", member: Fixture.member, reason: "left"), as: Fixture.owner)
            guard case .alreadyRecorded(.alreadyRemoved(_, _, member[0].seq), _) = again else {
                Issue.record("a repeat read from the checkpoint is already removed, got \(again)"); return
            }
            let agentAgain = try writer.submit(.removeOperator(name: Fixture.support, reason: "moved on"), as: Fixture.owner)
            guard case .alreadyRecorded(.alreadyRemoved(_, nil, agent[0].seq), _) = agentAgain else {
                Issue.record("a repeat read from the checkpoint is already removed, got \(agentAgain)"); return
            }
        }
    }
}
