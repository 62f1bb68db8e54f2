import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Activity reads every workspace's entries newest first, walking back from the journal's end
/// by offset: pages join up without a gap or a repeat, filters and `since` stop early, and a
/// read bounded in bytes answers with what it found and where to go on.
@Suite struct ActivityPageTests {
    /// acme and beta, each with charges by bob and carol, and an adjustment by alice.
    static func script(_ directory: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: directory)
        try script.createAcme()
        _ = try script.record(.createWorkspace(id: "beta", name: "Beta", owner: "bob", plan: "pro", trial: false), as: Fixture.support)
        for ws in ["acme", "beta"] {
            _ = try script.record(.addMember(workspace: ws, member: Fixture.member), as: Fixture.owner)
            _ = try script.record(.topUp(workspace: ws, pack: "topup_100"), as: Fixture.owner)
        }
        for index in 0..<30 {
            _ = try script.record(.charge(workspace: index % 2 == 0 ? "acme" : "beta", action: "ai_graphic", job: "j-\(index)"),
                                  as: index % 3 == 0 ? Fixture.member : Fixture.owner)
        }
        _ = try script.record(.adjust(workspace: "beta", amount: -5, reason: "duplicate"), as: Fixture.support)
        return script
    }

    static func everything(_ ledger: FileLedger) throws -> [Entry] {
        var all: [Entry] = []
        try ledger.forEachEntry { all.append($0) }
        return all.reversed()
    }

    @Test("pages of every entry join up newest first, with no gap and no repeat")
    func pagesJoinUp() throws {
        try withTemporaryDirectory { directory in
            let ledger = try Self.script(directory).ledger
            var seqs: [Int64] = []
            var before: EntryPosition?
            var reads = 0
            while true {
                let page = try ledger.activityPage(before: before, count: 7, filter: EntryFilter(), newerThan: nil)
                seqs += page.entries.map(\.seq)
                before = page.next
                reads += 1
                if page.reachedEnd { break }
            }
            #expect(seqs == (try Self.everything(ledger)).map(\.seq))
            #expect(reads == (seqs.count + 6) / 7)
        }
    }

    @Test("a filter by person and kind takes only those entries, across workspaces")
    func filterAcrossWorkspaces() throws {
        try withTemporaryDirectory { directory in
            let ledger = try Self.script(directory).ledger
            let page = try ledger.activityPage(before: nil, count: 100, filter: EntryFilter(actor: Fixture.member, kinds: [.charge]), newerThan: nil)
            let expected = try Self.everything(ledger).filter { $0.actor == Fixture.member && $0.kind == .charge }
            #expect(page.entries.map(\.seq) == expected.map(\.seq))
            #expect(Set(page.entries.compactMap(\.workspace)) == ["acme", "beta"])
            #expect(page.reachedEnd)
        }
    }

    @Test("since stops the walk at the first older entry; newerThan at the record named")
    func sinceAndNewerThanStopEarly() throws {
        try withTemporaryDirectory { directory in
            let ledger = try Self.script(directory).ledger
            let all = try Self.everything(ledger)
            let since = all[5].time
            let page = try ledger.activityPage(before: nil, count: 100, filter: EntryFilter(since: since), newerThan: nil)
            #expect(page.entries.map(\.seq) == all.prefix(6).map(\.seq))
            #expect(page.reachedEnd)
            #expect(page.next.value > 0, "it stopped without walking to the journal's start")
            let newer = try ledger.activityPage(before: nil, count: 100, filter: EntryFilter(), newerThan: all[3].seq)
            #expect(newer.entries.map(\.seq) == all.prefix(3).map(\.seq))
            #expect(newer.reachedEnd)
        }
    }

    @Test("a read bounded in bytes answers with what it found and where the next read starts")
    func boundedReadGoesOn() throws {
        try withTemporaryDirectory { directory in
            let ledger = try Self.script(directory).ledger
            let filter = EntryFilter(actor: Fixture.support, kinds: [.adjustment, .workspace])
            var found: [Int64] = []
            var before: EntryPosition?
            var reads = 0
            repeat {
                let page = try ledger.activityPage(before: before, count: 100, filter: filter, newerThan: nil, scanBytesMax: 1024)
                found += page.entries.map(\.seq)
                before = page.next
                reads += 1
                if page.reachedEnd { break }
            } while reads < 1000
            #expect(reads > 3, "each read walked back about a kilobyte")
            #expect(found == (try Self.everything(ledger)).filter { filter.matches($0, catalog: ledger.state.catalog) }.map(\.seq))
        }
    }
}
