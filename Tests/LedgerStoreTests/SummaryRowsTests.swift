import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// `workspace list --json` reads its rows in place (`FileLedger.summaryRows`): each row must say
/// what `workspaceSummaries(broughtUpTo:)` says of the same workspace, in the same order, with
/// the checkpoint alone, with a tail after it, and with holds and parcels a time changes.
@Suite struct SummaryRowsTests {
    /// Whether `row`, read from `rows`, says what `summary` says (every field a list prints).
    static func same(_ row: SummaryRow, of rows: SummaryRows, as summary: WorkspaceSummary) -> Bool {
        let buffer = rows.buffer(of: row)
        func text(_ range: Range<Int>) -> String { String(decoding: buffer[range], as: UTF8.self) }
        return text(row.id) == summary.id && text(row.name) == summary.name && text(row.owner) == summary.owner
            && text(row.plan) == summary.plan && row.status == summary.status && row.memberCount == summary.members.count
            && row.balance == summary.balance && row.earned == summary.earned && row.spent == summary.spent
            && row.held == summary.held && row.available == summary.available
            && row.lastActivity == summary.lastActivity && row.lastCharge == summary.lastCharge
    }

    static func expectSameList(_ directory: String, at times: [Timestamp], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let listed = try FileLedger.openForSummaries(directory: directory)
        for time in times {
            let summaries = listed.workspaceSummaries(broughtUpTo: time)
            let rows = try #require(listed.summaryRows(broughtUpTo: time), sourceLocation: sourceLocation)
            #expect(rows.rows.count == summaries.count, "at \(time)", sourceLocation: sourceLocation)
            for (row, summary) in zip(rows.rows, summaries) {
                #expect(same(row, of: rows, as: summary), "\(summary.id) at \(time)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("R21, R35, S3: rows read in place are the summaries, from the checkpoint and its tail, before and after expiries")
    func rowsReadInPlaceAreTheSummaries() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory, catalog: "sofia")
            try script.createAcme()
            try script.record(.createWorkspace(id: "beta", name: "Café \"Zürich\" \\ ☕", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            try script.record(.createWorkspace(id: "delta", name: "Delta", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            let soon = Fixture.time(minute: 60), later = Fixture.time(minute: 120)
            try script.record(.grant(workspace: "acme", amount: 10, source: .promo, reason: "promo", expires: soon), as: Fixture.support)
            try script.record(.topUp(workspace: "beta", pack: "pack_100"), as: Fixture.owner)
            try script.record(.hold(workspace: "beta", action: "image", job: "h1", ttlSeconds: 600), as: Fixture.owner)
            try script.record(.charge(workspace: "acme", action: "image", job: "i1"), as: Fixture.owner)
            try script.ledger.saveCheckpoint()
            let times = [Fixture.time(minute: 5), soon, later]
            try Self.expectSameList(directory, at: times)
            // A tail: a workspace before every other, one changed since the checkpoint, one after.
            try script.record(.createWorkspace(id: "aaa", name: "First", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            try script.record(.topUp(workspace: "delta", pack: "pack_100"), as: Fixture.owner)
            try script.record(.createWorkspace(id: "zed", name: "Last ✓", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            try Self.expectSameList(directory, at: times)
        }
    }

    @Test("a summary read in place: its texts are byte ranges, held and available summed from its holds (R35)")
    func summaryRowReadsWhatEncodeSummaryWrote() throws {
        var summary = WorkspaceSummary(id: "ws", name: "Ünïcode \"name\"", owner: "bob", members: ["carol", "dan"], plan: "pro",
                                       status: .trial, balance: 50, earned: 70, spent: 20, lastActivity: Fixture.time(minute: 3),
                                       expiring: [], lastCharge: nil)
        summary.holds = [ExpiringCredits(seq: 4, credits: 6, expires: Fixture.time(minute: 9)),
                         ExpiringCredits(seq: 5, credits: 4, expires: Fixture.time(minute: 9))]
        var writer = BinaryWriter()
        writer.string(summary.id)
        WorkspaceStateCodec.encodeSummary(summary, into: &writer)
        var reader = BinaryReader(writer.bytes)
        let id = try reader.stringBytes()
        let row = try WorkspaceStateCodec.summaryRow(id: id.startIndex..<id.endIndex, &reader)
        #expect(reader.atEnd)
        #expect(Array(writer.bytes[row.name]) == Array(summary.name.utf8) && row.memberCount == 2 && row.status == .trial)
        #expect(row.held == 10 && row.available == 40 && row.changesWithTime && row.lastCharge == nil)
    }

    @Test("a summary whose text is not UTF-8, or whose status is unknown, is refused, never printed")
    func summaryRowRefusesBadTextAndStatus() throws {
        let summary = WorkspaceSummary(id: "ws", name: "Name", owner: "bob", members: [], plan: "pro", status: .active,
                                       balance: 1, earned: 1, spent: 0, lastActivity: Fixture.time(minute: 1))
        var writer = BinaryWriter()
        WorkspaceStateCodec.encodeSummary(summary, into: &writer)
        let nameStart = 8, statusStart = writer.bytes.count - 8 - 8 - 8 - 4 * 8 - "active".utf8.count
        for (at, byte) in [(nameStart, UInt8(0xFF)), (statusStart, UInt8(ascii: "x"))] {
            var bytes = writer.bytes
            bytes[at] = byte
            var reader = BinaryReader(bytes)
            #expect(throws: BinaryReadError.self, "byte \(at) set to \(byte)") {
                try WorkspaceStateCodec.summaryRow(id: 0..<0, &reader)
            }
        }
    }
}
