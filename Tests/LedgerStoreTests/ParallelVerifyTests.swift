import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// `verify` decodes lines on a second thread, a run of lines ahead of the fold. Whatever the run
/// size, it must find exactly what a sequential read finds: the same first damaged record with
/// the same message, the same torn tail, the same head.
@Suite struct ParallelVerifyTests {
    /// Run sizes that put a run boundary inside almost every line, between lines, and nowhere.
    private static let runSizes = [1, 97, 600, 4 << 20]

    /// A ledger of twelve records; the charge of job-1 fires a low alert in the same commit:
    /// 1 init, 2 workspace, 3 adjustment 14, 4 charge job-1, 5 alert, 6 topup, 7 charge job-2,
    /// 8 refund job-2, 9 charge job-3, 10 adjustment, 11 charge job-4, 12 charge job-5.
    private func makeLedger(_ root: String) throws -> (directory: String, journal: [UInt8]) {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 14, reason: "seed"), as: Fixture.support)
        try script.record(.charge(workspace: "acme", action: "print_file", job: "job-1"), as: Fixture.owner)
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "print_file", job: "job-2"), as: Fixture.owner)
        try script.record(.jobFailed(workspace: "acme", job: "job-2"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "ai_vectorize", job: "job-3"), as: Fixture.owner)
        try script.record(.adjust(workspace: "acme", amount: -7, reason: "manual correction"), as: Fixture.support)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-4"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-5"), as: Fixture.owner)
        #expect(script.ledger.state.lastSeq == 12)
        return (script.directory, try JournalBytes.read(script.journalPath))
    }


    /// Expects `verify` to stop with `expected` (the sequential read's error) at every run size.
    private func expectSameFailureAtEveryRunSize(_ directory: String, as expected: LedgerError?, _ label: String,
                                                 sourceLocation: SourceLocation = #_sourceLocation) {
        for runBytes in Self.runSizes {
            #expect(JournalBytes.verifyFailure(directory, runBytes: runBytes) == expected, "\(label), run of \(runBytes) bytes",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func anIntactLedgerGivesTheSameReportAtEveryRunSize() throws {
        try withTemporaryDirectory { root in
            let (directory, _) = try makeLedger(root)
            let opened = try FileLedger.open(directory: directory, useCheckpoint: false)
            for runBytes in Self.runSizes {
                let report = try FileLedger.verify(directory: directory, runBytes: runBytes)
                #expect(report.records == 12, "run of \(runBytes) bytes")
                #expect(report.headHash == opened.state.lastHash, "run of \(runBytes) bytes")
                #expect(report.journalBytes == opened.scanner.end, "run of \(runBytes) bytes")
                #expect(report.tornTail == nil, "run of \(runBytes) bytes")
            }
        }
    }

    @Test func aFlippedByteInTheMiddleRecordIsNamedAsASequentialReadNamesIt() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            let path = directory + "/journal.jsonl"
            let middle = JournalBytes.lines(journal)[6 - 1]
            for offset in middle {
                var damaged = journal
                damaged[offset] ^= 0x01
                try JournalBytes.overwrite(damaged, to: path)
                let sequential = openFailure(directory)
                guard case .damaged(let line, _, _)? = sequential else {
                    Issue.record("byte \(offset) flipped: the sequential read did not refuse it")
                    continue
                }
                #expect(line == 6, "byte \(offset) flipped")
                expectSameFailureAtEveryRunSize(directory, as: sequential, "byte \(offset) flipped")
            }
        }
    }

    @Test func damageInEveryRecordIsReportedAsASequentialReadReportsIt() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            let path = directory + "/journal.jsonl"
            // Skip the init record: it is read and checked before the journal is folded.
            for (index, line) in JournalBytes.lines(journal).enumerated().dropFirst() {
                for offset in [line.lowerBound + 1, line.lowerBound + 12, (line.lowerBound + line.upperBound) / 2, line.upperBound - 3, line.upperBound] {
                    var damaged = journal
                    damaged[offset] ^= 0x01
                    try JournalBytes.overwrite(damaged, to: path)
                    expectSameFailureAtEveryRunSize(directory, as: openFailure(directory), "line \(index + 1), byte \(offset)")
                }
            }
        }
    }

    @Test func aTornTailIsReportedAsASequentialReadReportsIt() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            let path = directory + "/journal.jsonl"
            // The charge of job-1 and its alert form one commit: cut anywhere from it to the end.
            let commitStart = JournalBytes.lines(journal)[4 - 1].lowerBound
            for length in stride(from: commitStart, through: journal.count, by: 7) {
                try JournalBytes.overwrite(journal, to: path)
                try JournalBytes.cut(path, to: length)
                let opened = try FileLedger.open(directory: directory, useCheckpoint: false)
                for runBytes in Self.runSizes {
                    let report = try FileLedger.verify(directory: directory, runBytes: runBytes)
                    #expect(report.tornTail == opened.tornTail, "cut at byte \(length), run of \(runBytes) bytes")
                    #expect(report.records == opened.recordCount, "cut at byte \(length), run of \(runBytes) bytes")
                    #expect(report.journalBytes == opened.scanner.end, "cut at byte \(length), run of \(runBytes) bytes")
                }
            }
        }
    }
}
