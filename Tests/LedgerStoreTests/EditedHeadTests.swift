import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A writer that read the journal before it was changed never appends after the change: under
/// the lock it checks what a fresh open checks at the journal's end (the head record it read
/// still hashes to the head it holds; a journal replaced by another file is read again), so an
/// edit of a record it already read is damage, named as the command line names it, and nothing
/// is written. A long-running reader (the console's poll) finds it the same way.
@Suite struct EditedHeadTests {
    /// A ledger of four records (init, workspace, top-up of 500, charge), and its journal.
    private func makeLedger(_ root: String) throws -> (script: LedgerScript, journal: [UInt8]) {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
        return (script, try JournalBytes.read(script.journalPath))
    }

    /// `journal` with the first `"from"` in line `index` (0-based) made `"to"` (same length).
    private func edited(_ journal: [UInt8], line index: Int, _ from: String, _ to: String) throws -> [UInt8] {
        let range = JournalBytes.lines(journal)[index]
        let line = String(decoding: journal[range], as: UTF8.self)
        let found = try #require(line.range(of: from), "line \(index) has no \(from)")
        let changed = Array(line.replacingCharacters(in: found, with: to).utf8)
        #expect(changed.count == range.count)
        return Array(journal[..<range.lowerBound]) + changed + Array(journal[range.upperBound...])
    }

    /// Puts `bytes` in a new file renamed over the journal, as `sed -i` does (a new inode).
    private func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".sed"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        #expect(rename(temporary, path) == 0)
    }

    private func expectRefused(_ script: LedgerScript, seq: Int64, journal: [UInt8],
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        do throws(LedgerError) {
            let outcome = try script.submit(.adjust(workspace: "acme", amount: 5, reason: "after damage"), as: Fixture.support)
            Issue.record("a write was taken after the edit: \(outcome)", sourceLocation: sourceLocation)
        } catch {
            guard case .damaged(_, let named, _) = error else {
                Issue.record("expected damaged, got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(named == seq, "\(error)", sourceLocation: sourceLocation)
        }
        #expect(try JournalBytes.read(script.journalPath) == journal, "the journal was written", sourceLocation: sourceLocation)
    }

    @Test func anEditInsideTheHeadRecordInPlaceRefusesTheWrite() throws {
        try withTemporaryDirectory { root in
            let (script, journal) = try makeLedger(root)
            let changed = try edited(journal, line: 3, "\"credits\":-6", "\"credits\":-9")
            try JournalBytes.overwrite(changed, to: script.journalPath)
            try expectRefused(script, seq: 4, journal: changed)
        }
    }

    @Test func anEditInsideTheHeadRecordByANewFileRefusesTheWrite() throws {
        try withTemporaryDirectory { root in
            let (script, journal) = try makeLedger(root)
            let changed = try edited(journal, line: 3, "\"credits\":-6", "\"credits\":-9")
            try replace(script.journalPath, with: changed)
            try expectRefused(script, seq: 4, journal: changed)
        }
    }

    @Test func anEditOfAnEarlierRecordByANewFileRefusesTheWriteAsAFreshOpenWould() throws {
        try withTemporaryDirectory { root in
            let (script, journal) = try makeLedger(root)
            let changed = try edited(journal, line: 2, "\"credits\":500", "\"credits\":900")
            try replace(script.journalPath, with: changed)
            try expectRefused(script, seq: 3, journal: changed)
        }
    }

    @Test func aJournalReplacedByAnIdenticalCopyIsReadAgainAndWritten() throws {
        try withTemporaryDirectory { root in
            let (script, journal) = try makeLedger(root)
            try replace(script.journalPath, with: journal)
            try script.record(.adjust(workspace: "acme", amount: 5, reason: "after the copy"), as: Fixture.support)
            let reopened = try FileLedger.open(directory: script.directory)
            #expect(reopened.state.lastSeq == 5)
            #expect(reopened.state.workspaces["acme"]?.balance == script.ledger.state.workspaces["acme"]?.balance)
        }
    }

    @Test func aLongRunningReaderFindsTheEditedHeadRecord() throws {
        try withTemporaryDirectory { root in
            let (script, journal) = try makeLedger(root)
            let reader = try FileLedger.open(directory: script.directory)
            try replace(script.journalPath, with: try edited(journal, line: 3, "\"credits\":-6", "\"credits\":-9"))
            #expect(throws: LedgerError.self) { try reader.refresh() }
        }
    }
}
