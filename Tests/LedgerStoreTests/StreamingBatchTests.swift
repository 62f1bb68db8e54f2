import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// `import` records its events with `submitStreaming`, in batches that keep no entries. Whatever
/// the batch size, the journal must come out byte for byte as if each event had been submitted on
/// its own, and the outcomes must be the same.
@Suite struct StreamingBatchTests {
    /// Two funded workspaces; acme runs dry along the way, so refusals and alerts happen.
    private func makeLedger(_ directory: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: directory)
        try script.createAcme()
        try script.record(.addMember(workspace: "acme", member: Fixture.member), as: Fixture.owner)
        try script.record(.adjust(workspace: "acme", amount: 30, reason: "seed"), as: Fixture.support)
        try script.record(.createWorkspace(id: "beta", name: "Beta", owner: "dora", plan: "starter", trial: false), as: Fixture.support)
        try script.record(.topUp(workspace: "beta", pack: "topup_50"), as: "dora")
        return script
    }

    /// Charges with repeats, refusals, refunds of charged and never-charged jobs, a repeated
    /// refund, an unknown workspace and action, and an actor who may not charge.
    private static let events: [(Command, String)] = {
        var events: [(Command, String)] = []
        for index in 0..<9 { events.append((.charge(workspace: "acme", action: "ai_graphic", job: "a\(index)"), Fixture.member)) }
        events.append((.charge(workspace: "acme", action: "ai_graphic", job: "a1"), Fixture.owner))
        events.append((.jobFailed(workspace: "acme", job: "a2"), Fixture.owner))
        events.append((.jobFailed(workspace: "acme", job: "a2"), Fixture.owner))
        events.append((.jobFailed(workspace: "acme", job: "never"), Fixture.owner))
        events.append((.charge(workspace: "acme", action: "print_file", job: "p1"), Fixture.owner))
        events.append((.charge(workspace: "nowhere", action: "ai_graphic", job: "x"), Fixture.owner))
        events.append((.charge(workspace: "beta", action: "nope", job: "x"), "dora"))
        events.append((.charge(workspace: "beta", action: "ai_graphic", job: "x"), Fixture.member))
        for index in 0..<12 { events.append((.charge(workspace: "beta", action: "print_file", job: "b\(index % 8)"), "dora")) }
        events.append((.jobFailed(workspace: "beta", job: "b3"), "dora"))
        events.append((.charge(workspace: "beta", action: "print_file", job: "b3"), "dora"))
        return events
    }()

    /// An outcome without what only a single submit carries (the original entry, alert messages).
    private func summary(_ outcome: SubmitOutcome) -> String {
        switch outcome {
        case .recorded(let entries, _): return "recorded \(entries)"
        case .alreadyRecorded(let why, _): return "already \(why)"
        case .nothingToRecord(let why): return "nothing \(why)"
        case .rejected(let rejection): return "rejected \(rejection)"
        }
    }

    @Test(arguments: [1, 4, 100])
    func streamedBatchesWriteWhatOneByOneSubmitsWrite(batch: Int) throws {
        try withTemporaryDirectory { root in
            let single = try makeLedger(root + "/single")
            let streamed = try makeLedger(root + "/streamed")
            let context = { (actor: String) in CommandContext(actor: actor, time: Fixture.time(minute: 100)) }
            let expected = try Self.events.map { command, actor in summary(try single.ledger.submit(command, context: context(actor))) }
            var outcomes: [String] = []
            var pending = Self.events.makeIterator()
            while outcomes.count < Self.events.count {
                try streamed.ledger.submitStreaming(limit: batch, { _ in pending.next().map { ($0.0, context($0.1)) } },
                                                    decided: { outcomes.append(summary($0)) })
            }
            try streamed.ledger.refreshCheckpoint()
            #expect(outcomes == expected)
            #expect(try JournalBytes.read(streamed.journalPath) == JournalBytes.read(single.journalPath))
            #expect(expected.contains { $0.hasPrefix("rejected") } && expected.contains { $0.hasPrefix("already") })
            #expect(expected.contains { $0.hasPrefix("nothing") } && expected.contains { $0.contains("kind: CreditKit.EntryKind.refund") })
            let outbox = { (script: LedgerScript) in Set(POSIXFile.list(script.ledger.paths.outbox + "/new")) }
            #expect(!outbox(single).isEmpty)
            #expect(outbox(streamed) == outbox(single))
            let reopened = try FileLedger.open(directory: streamed.directory)
            #expect(sameState(reopened.state, single.ledger.state))
            #expect(try reopened.history(of: "acme") == single.ledger.history(of: "acme"))
        }
    }
}
