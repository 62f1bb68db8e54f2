import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// What is written comes back: a ledger reopened from disk has the state the writer had, and
/// its history and entries read back exactly as they were written.
@Suite struct JournalRoundTripTests {
    /// Runs a mixed series of commands; returns every entry written, init included.
    private func runSeries(_ script: LedgerScript) throws -> [Entry] {
        var written: [Entry] = [try #require(try script.ledger.entry(seq: 1))]
        let support = Fixture.support, owner = Fixture.owner, member = Fixture.member
        written += try script.record(.createWorkspace(id: "acme", name: "Acme \"Tees\" & Co — Zürich 🧵", owner: owner,
                                                      plan: "pro", trial: false), as: support)
        written += try script.record(.createWorkspace(id: "zeta", name: "Zeta", owner: "dave", plan: "starter", trial: false),
                                     as: support)
        written += try script.record(.addMember(workspace: "acme", member: member), as: owner)
        written += try script.record(.invoicePaid(workspace: "acme", invoice: "inv-2026-11"), as: support) // +50 = 50
        written += try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: owner) // +500 = 550
        written += try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: owner) // -6 = 544
        written += try script.record(.charge(workspace: "acme", action: "print_file", job: "job-2"), as: member) // -4 = 540
        written += try script.record(.jobFailed(workspace: "acme", job: "job-1"), as: member) // +6 = 546
        written += try script.record(.clone(workspace: "acme", itemKind: "design", item: "d-42"), as: owner) // -100 = 446
        written += try script.record(.adjust(workspace: "acme", amount: -20, reason: "double charge, see ticket \"T-9\" \\ ✓"),
                                     as: support) // = 426
        written += try script.record(.adjust(workspace: "acme", amount: 5, reason: "goodwill"), as: support) // = 431
        written += try script.record(.topUp(workspace: "zeta", pack: "topup_100"), as: support) // +1000, on behalf of dave
        written += try script.record(.copilot(workspace: "acme", messages: 3), as: member)
        return written
    }

    @Test func reopenedLedgerHasTheWritersStateAndHistory() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            let written = try runSeries(script)
            #expect(written.map(\.seq) == Array(1...14))

            // A repeat of a charged job is recognised and names the entry that charged it.
            let repeated = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
            #expect(repeated == .alreadyRecorded(.jobAlreadyCharged(job: "job-1", seq: 7), original: written[6]))

            let writer = script.ledger.state
            let acme = try #require(writer.workspaces["acme"])
            #expect((acme.balance, acme.earned, acme.spent) == (431, 555, 124))
            let zeta = try #require(writer.workspaces["zeta"])
            #expect((zeta.balance, zeta.earned, zeta.spent) == (1000, 1000, 0))
            #expect(written[12].onBehalfOf == "dave")

            let reopened = try FileLedger.open(directory: root + "/ledger")
            #expect(reopened.tornTail == nil)
            expectSameState(reopened.state, writer)
            #expect(reopened.state.lastSeq == 14)
            #expect(reopened.state.lastHash == written.last?.hash)
            #expect(reopened.recordCount == 14)
            #expect(reopened.state.workspaces["acme"]?.name == "Acme \"Tees\" & Co — Zürich 🧵")
            #expect(reopened.state.workspaces["acme"]?.copilotUsed == 3)

            // History: credit entries only, newest first, each with the balance it left.
            let history = try reopened.history(of: "acme")
            #expect(history.map(\.seq) == [12, 11, 10, 9, 8, 7, 6, 5])
            #expect(history.map(\.kind) == [.adjustment, .adjustment, .charge, .refund, .charge, .charge, .topup, .grant])
            #expect(history.map(\.balance) == [431, 426, 446, 546, 540, 544, 550, 50])
            #expect(history.map(\.credits) == [5, -20, -100, 6, -4, -6, 500, 50])
            #expect(history == written.filter { $0.workspace == "acme" && $0.kind.movesCredits }.reversed())
            #expect(history[3].ref == 7)
            #expect(history[1].reason == "double charge, see ticket \"T-9\" \\ ✓")
            #expect(try reopened.history(of: "acme", kinds: [.charge], limit: 2).map(\.seq) == [10, 8])
            #expect(try reopened.history(of: "acme", limit: 0).isEmpty)
            #expect(try reopened.history(of: "zeta").map(\.seq) == [13])
            #expect(try reopened.history(of: "nobody").isEmpty)
            #expect(reopened.historyCount(of: "acme") == 8)

            // entry(seq:) reads each record back exactly as written, hash included.
            for entry in written {
                #expect(try reopened.entry(seq: entry.seq) == entry, "seq \(entry.seq)")
            }
            #expect(try reopened.entry(seq: 0) == nil)
            #expect(try reopened.entry(seq: 15) == nil)

            // forEachEntry sees the same records in order.
            var exported: [Entry] = []
            try reopened.forEachEntry { exported.append($0) }
            #expect(exported == written)
        }
    }

    @Test func aReopenedLedgerWritesOnWhereTheChainLeftOff() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            _ = try runSeries(script)
            let lastHash = script.ledger.state.lastHash

            // Continue writing through a freshly opened ledger.
            let next = try LedgerScript(reopening: root + "/ledger", minute: script.minute)
            let more = try next.record(.charge(workspace: "acme", action: "ai_vectorize", job: "job-3"), as: Fixture.owner)
            #expect(more.map(\.seq) == [15])
            #expect(more.first?.balance == 427)

            let journal = try JournalBytes.read(next.journalPath)
            #expect(JournalBytes.verify(journal) == nil)
            let lastLine = try #require(JournalBytes.lines(journal).last)
            #expect(try JournalBytes.decode(Array(journal[lastLine])).prev == lastHash)

            let third = try FileLedger.open(directory: root + "/ledger")
            expectSameState(third.state, next.ledger.state)
            #expect(third.state.workspaces["acme"]?.jobs["job-3"]?.chargeSeq == 15)
        }
    }

    @Test func everyJournalLineIsPlainJSON() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            let written = try runSeries(script)
            let journal = try JournalBytes.read(script.journalPath)
            let lines = JournalBytes.lines(journal)
            #expect(lines.count == written.count)
            for (range, entry) in zip(lines, written) {
                let object = try JSONSerialization.jsonObject(with: Data(journal[range])) as? [String: Any]
                #expect(object?["seq"] as? Int == Int(entry.seq))
                #expect(object?["kind"] as? String == entry.kind.rawValue)
                #expect(object?["hash"] as? String == entry.hash)
                #expect(object?["v"] as? Int == 1)
            }
        }
    }
}
