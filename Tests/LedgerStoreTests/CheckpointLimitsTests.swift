import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Members' monthly limits (R40) survive a checkpoint: a ledger reopened through it has the
/// limits, this month's spend, who ran each charge a refund may answer and who holds each hold,
/// as its journal gives them, and decides the next charge the same way.
@Suite struct CheckpointLimitsTests {
    @Test("R40: limits, this month's spend and who holds what round-trip through a refreshed checkpoint")
    func R40_limitsRoundTripThroughTheCheckpoint() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory)
            try script.createAcme()
            try script.record(.addMember(workspace: "acme", member: Fixture.member), as: Fixture.owner)
            try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
            try script.record(.memberLimit(workspace: "acme", member: Fixture.member, credits: 16), as: Fixture.owner)
            try script.record(.charge(workspace: "acme", action: "print_file", job: "p-1"), as: Fixture.member)
            try script.record(.charge(workspace: "acme", action: "print_file", job: "p-2"), as: Fixture.member)
            try script.record(.hold(workspace: "acme", action: "print_file", job: "p-3", ttlSeconds: nil), as: Fixture.member)
            try script.ledger.saveCheckpoint()
            let reopened = try FileLedger.open(directory: directory)
            #expect(reopened.checkpoint?.format == Checkpoint.currentFormat && reopened.tailRecords == 0)
            let journal = try FileLedger.open(directory: directory, useCheckpoint: false)
            expectSameState(reopened.state, journal.state)
            let acme = try #require(reopened.state.workspaces["acme"])
            #expect(acme.memberLimits == [Fixture.member: 16])
            #expect(acme.holds["p-3"]?.actor == Fixture.member)
            // The refund of p-1 gives its 4 back to the member who ran it, read from the checkpoint.
            let writer = try LedgerScript(reopening: directory, minute: script.minute + 1)
            try writer.record(.jobFailed(workspace: "acme", job: "p-1"), as: Fixture.owner)
            let after = try #require(writer.ledger.state.workspaces["acme"]?.limitStanding(of: Fixture.member, at: writer.ledger.state.lastTime!))
            #expect((after.spent, after.held, after.left) == (4, 4, 8))
            try writer.record(.charge(workspace: "acme", action: "ai_graphic", job: "g-1"), as: Fixture.member)
            let refused = try writer.submit(.charge(workspace: "acme", action: "ai_graphic", job: "g-2"), as: Fixture.member)
            #expect(refused == .rejected(.memberLimitReached(member: Fixture.member, workspace: "acme", left: 2, limit: 16,
                                                              action: "ai_graphic", cost: 6)), "\(refused)")
        }
    }
}
