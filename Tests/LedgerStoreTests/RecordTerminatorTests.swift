import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// A writer killed mid-write leaves a prefix of what it wrote, so a whole
/// record followed by a byte other than its newline is not a half-written tail but damage: it is
/// reported (never cut back by the next write, which would lose an acknowledged record).
@Suite struct RecordTerminatorTests {
    /// A ledger whose last record is a charge; returns the script and the journal's bytes.
    private func ledger(_ root: String) throws -> (script: LedgerScript, bytes: [UInt8]) {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 100, reason: "seed"), as: Fixture.support)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "acknowledged"), as: Fixture.owner)
        return (script, try JournalBytes.read(script.journalPath))
    }

    private func expectDamagedAtLastLine(_ error: LedgerError?, lines: Int, seq: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case let .damaged(line, damagedSeq, problem)? = error else {
            Issue.record("expected damage, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(line == lines, sourceLocation: sourceLocation)
        #expect(damagedSeq == seq, sourceLocation: sourceLocation)
        #expect(problem.contains("where its newline should be"), "\(problem)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [UInt8(ascii: "X"), UInt8(ascii: " "), UInt8(ascii: "\r"), 0xFF, UInt8(ascii: "}")])
    func aWholeRecordEndedByAnotherByteIsDamageNotATornTail(terminator: UInt8) throws {
        try withTemporaryDirectory { root in
            let (script, bytes) = try ledger(root)
            let lines = JournalBytes.lines(bytes).count
            let lastSeq = script.ledger.state.lastSeq
            var changed = bytes
            changed[changed.count - 1] = terminator
            try JournalBytes.overwrite(changed, to: script.journalPath)

            expectDamagedAtLastLine(openFailure(script.directory), lines: lines, seq: lastSeq)
            var verifyError: LedgerError?
            do throws(LedgerError) { _ = try FileLedger.verify(directory: script.directory) } catch { verifyError = error }
            expectDamagedAtLastLine(verifyError, lines: lines, seq: lastSeq)
            // A writer that had the ledger open before the change refuses too, and cuts nothing.
            do throws(LedgerError) {
                let outcome = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "next"), as: Fixture.owner)
                Issue.record("a write went through and cut an acknowledged record: \(outcome)")
            } catch {
                expectDamagedAtLastLine(error, lines: lines, seq: lastSeq)
            }
            #expect(try JournalBytes.read(script.journalPath) == changed)
        }
    }

    @Test func aWholeRecordWithoutItsNewlineIsStillAHalfWrittenTail() throws {
        try withTemporaryDirectory { root in
            let (script, bytes) = try ledger(root)
            try JournalBytes.cut(script.journalPath, to: bytes.count - 1)
            let opened = try FileLedger.open(directory: script.directory)
            #expect(opened.tornTail != nil)
            #expect(opened.state.lastSeq == script.ledger.state.lastSeq - 1)
            #expect(try FileLedger.verify(directory: script.directory).tornTail != nil)
        }
    }

    @Test func aWholeRecordFollowedByNulBytesIsAHalfWrittenTail() throws {
        // A power cut can leave the file longer than the data that reached the disk (zeros).
        try withTemporaryDirectory { root in
            let (script, bytes) = try ledger(root)
            var zeroed = bytes
            zeroed[zeroed.count - 1] = 0
            try JournalBytes.overwrite(zeroed + [0, 0, 0], to: script.journalPath)
            let opened = try FileLedger.open(directory: script.directory)
            #expect(opened.tornTail != nil)
            #expect(opened.state.lastSeq == script.ledger.state.lastSeq - 1)
        }
    }
}
