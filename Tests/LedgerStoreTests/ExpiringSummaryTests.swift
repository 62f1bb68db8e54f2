import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// S3 for the list: a summary read from the checkpoint carries its expiring parcels, so the list
/// brings every workspace up to any time without loading it, and agrees with `Engine.bringUp`.
@Suite struct ExpiringSummaryTests {
    @Test func S3_summariesFromTheCheckpointGiveTheBalanceAfterDueExpiries() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory, catalog: "sofia")
            try script.createAcme()
            try script.record(.createWorkspace(id: "beta", name: "Beta", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            let soon = Fixture.time(minute: 60), later = Fixture.time(minute: 120)
            try script.record(.grant(workspace: "acme", amount: 10, source: .promo, reason: "promo", expires: soon), as: Fixture.support)
            try script.record(.grant(workspace: "acme", amount: 5, source: .trial, reason: "trial", expires: later), as: Fixture.support)
            try script.record(.topUp(workspace: "beta", pack: "pack_100"), as: Fixture.owner)
            try script.record(.charge(workspace: "acme", action: "image", job: "i1"), as: Fixture.owner)
            try script.ledger.saveCheckpoint()

            let full = try FileLedger.open(directory: directory)
            let listed = try FileLedger.openForSummaries(directory: directory)
            #expect(listed.state.workspaces.isEmpty, "the list loads no workspace: its summaries come from the checkpoint")
            for time in [Fixture.time(minute: 10), soon, later, Fixture.time(minute: 200 * 24 * 60)] {
                let summaries = listed.workspaceSummaries(broughtUpTo: time)
                for summary in summaries {
                    let brought = try #require(Engine.bringUp(summary.id, in: full.state, to: time))
                    #expect(summary == WorkspaceSummary(brought.workspace), "\(summary.id) at \(time)")
                }
            }
            #expect(listed.workspaceSummaries(broughtUpTo: soon).first { $0.id == "acme" }?.balance == 5)
            #expect(listed.workspaceSummaries(broughtUpTo: later).first { $0.id == "acme" }?.balance == 0)
        }
    }
}
