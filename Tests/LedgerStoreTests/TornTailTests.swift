import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// A writer that stops mid-write leaves a half-written commit at the end of the journal. Opening
/// reads the ledger as it was before that commit and reports the tail; the next writer cuts it.
@Suite struct TornTailTests {
    /// A ledger with a few commits; returns the state before the last one and the journal bytes.
    private func ledgerWithLastCommit(_ root: String, last: (LedgerScript) throws -> [Entry])
        throws -> (script: LedgerScript, before: LedgerState, full: [UInt8], commitStart: Int, written: [Entry]) {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 14, reason: "seed"), as: Fixture.support)
        try script.record(.charge(workspace: "acme", action: "print_file", job: "job-1"), as: Fixture.owner) // 14 -> 10: charge + low alert
        let before = script.ledger.state
        let commitStart = try JournalBytes.read(script.journalPath).count
        let written = try last(script)
        let full = try JournalBytes.read(script.journalPath)
        return (script, before, full, commitStart, written)
    }

    @Test func cuttingTheLastRecordAtEveryByteReadsTheLedgerBeforeIt() throws {
        try withTemporaryDirectory { root in
            // Fund acme so the last charge fires no alert: one record in the last commit.
            let setup = try ledgerWithLastCommit(root) { script in
                try script.record(.adjust(workspace: "acme", amount: 100, reason: "refill"), as: Fixture.support)
                return try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
            }
            #expect(setup.written.count == 1)
            let path = setup.script.journalPath
            let lines = JournalBytes.lines(setup.full)
            let lastLine = try #require(lines.last)
            #expect(lastLine.upperBound == setup.full.count - 1, "the journal ends in a newline")
            // The state just before the last record, read back from disk.
            try JournalBytes.cut(path, to: lastLine.lowerBound)
            let previous = try FileLedger.open(directory: setup.script.directory)
            #expect(previous.tornTail == nil)
            #expect(previous.state.lastSeq == setup.written[0].seq - 1)

            for length in lastLine.lowerBound..<(setup.full.count) {
                try JournalBytes.overwrite(setup.full, to: path)
                try JournalBytes.cut(path, to: length)
                let opened = try FileLedger.open(directory: setup.script.directory)
                #expect(sameState(opened.state, previous.state), "cut at byte \(length)")
                #expect(opened.recordCount == Int(previous.state.lastSeq), "cut at byte \(length)")
                if length == lastLine.lowerBound {
                    #expect(opened.tornTail == nil)
                } else {
                    #expect(opened.tornTail == TornTail(offset: Int64(lastLine.lowerBound),
                                                        length: Int64(length - lastLine.lowerBound),
                                                        afterSeq: previous.state.lastSeq), "cut at byte \(length)")
                }
                #expect(try opened.entry(seq: setup.written[0].seq) == nil, "cut at byte \(length)")
            }
        }
    }

    @Test func theNextWriterCutsTheTornTailAndTheJournalIsCleanAgain() throws {
        try withTemporaryDirectory { root in
            let setup = try ledgerWithLastCommit(root) { script in
                try script.record(.adjust(workspace: "acme", amount: 100, reason: "refill"), as: Fixture.support)
                return try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
            }
            let path = setup.script.journalPath
            let lastLine = try #require(JournalBytes.lines(setup.full).last)
            let minute = setup.script.minute
            for length in (lastLine.lowerBound + 1)..<setup.full.count {
                try JournalBytes.overwrite(setup.full, to: path)
                try JournalBytes.cut(path, to: length)
                // Redo the same command at the same time: the journal must come out byte for byte
                // as it was before the cut.
                let writer = try LedgerScript(reopening: setup.script.directory, minute: minute - 1)
                #expect(writer.ledger.tornTail != nil)
                #expect(writer.ledger.cutTail == nil)
                let redone = try writer.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
                #expect(writer.ledger.cutTail != nil, "cut at byte \(length)")
                #expect(redone == setup.written, "cut at byte \(length)")
                let journal = try JournalBytes.read(path)
                #expect(journal == setup.full, "cut at byte \(length)")
                #expect(JournalBytes.verify(journal) == nil, "cut at byte \(length)")
                let reopened = try FileLedger.open(directory: setup.script.directory)
                #expect(reopened.tornTail == nil)
                #expect(sameState(reopened.state, setup.script.ledger.state), "cut at byte \(length)")
            }
        }
    }

    @Test func aDifferentCommandAfterATornTailStartsWhereTheTailBegan() throws {
        try withTemporaryDirectory { root in
            let setup = try ledgerWithLastCommit(root) { script in
                try script.record(.adjust(workspace: "acme", amount: 100, reason: "refill"), as: Fixture.support)
                return try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
            }
            let path = setup.script.journalPath
            let lastLine = try #require(JournalBytes.lines(setup.full).last)
            try JournalBytes.cut(path, to: lastLine.lowerBound + 40)
            let writer = try LedgerScript(reopening: setup.script.directory, minute: setup.script.minute)
            let recorded = try writer.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
            #expect(recorded.map(\.seq) == setup.written.map(\.seq))
            #expect(writer.ledger.cutTail != nil)
            let journal = try JournalBytes.read(path)
            #expect(Array(journal[..<lastLine.lowerBound]) == Array(setup.full[..<lastLine.lowerBound]))
            #expect(JournalBytes.verify(journal) == nil)
            let reopened = try FileLedger.open(directory: setup.script.directory)
            #expect(reopened.tornTail == nil)
            #expect(reopened.state.workspaces["acme"]?.balance == 610, "110 after the cut, plus the 500 of topup_50")
            #expect(reopened.state.workspaces["acme"]?.jobs["job-2"] == nil)
        }
    }

    @Test func aMultiRecordCommitCutAnywhereIsDroppedWhole() throws {
        try withTemporaryDirectory { root in
            // acme holds 10 after setup; an adjustment to 16 re-arms the low alert, and the
            // charge of 6 takes it back to 10: charge + alert, one commit of two records.
            let setup = try ledgerWithLastCommit(root) { script in
                try script.record(.adjust(workspace: "acme", amount: 6, reason: "top"), as: Fixture.support)
                return try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
            }
            #expect(setup.written.map(\.kind) == [.charge, .alert])
            let path = setup.script.journalPath
            let lines = JournalBytes.lines(setup.full)
            let chargeLine = lines[lines.count - 2], alertLine = lines[lines.count - 1]
            let chargeText = String(decoding: setup.full[chargeLine], as: UTF8.self)
            let alertText = String(decoding: setup.full[alertLine], as: UTF8.self)
            #expect(chargeText.contains("\"more\":true"))
            #expect(!alertText.contains("\"more\""))

            let commitStart = chargeLine.lowerBound
            try JournalBytes.cut(path, to: commitStart)
            let previous = try FileLedger.open(directory: setup.script.directory)
            #expect(previous.state.workspaces["acme"]?.balance == 16)

            for length in (commitStart + 1)..<setup.full.count {
                try JournalBytes.overwrite(setup.full, to: path)
                try JournalBytes.cut(path, to: length)
                let opened = try FileLedger.open(directory: setup.script.directory)
                #expect(sameState(opened.state, previous.state), "cut at byte \(length)")
                #expect(opened.tornTail == TornTail(offset: Int64(commitStart), length: Int64(length - commitStart),
                                                    afterSeq: previous.state.lastSeq), "cut at byte \(length)")
            }

            // Exactly between the records: the charge line is whole, yet it is not applied.
            try JournalBytes.overwrite(setup.full, to: path)
            try JournalBytes.cut(path, to: alertLine.lowerBound)
            let between = try FileLedger.open(directory: setup.script.directory)
            #expect(between.state.workspaces["acme"]?.balance == 16)
            #expect(between.state.workspaces["acme"]?.jobs["job-2"] == nil)
            #expect(between.state.lastSeq == setup.written[0].seq - 1)
            #expect(between.tornTail?.offset == Int64(commitStart))

            // The next writer cuts the half commit and redoes it whole.
            let writer = try LedgerScript(reopening: setup.script.directory, minute: setup.script.minute - 1)
            let redone = try writer.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
            #expect(writer.ledger.cutTail != nil)
            #expect(redone == setup.written)
            #expect(try JournalBytes.read(path) == setup.full)
            #expect(try FileLedger.open(directory: setup.script.directory).tornTail == nil)
        }
    }

    @Test func aTornTailLongerThanTheNextCommitLeavesNothingBehind() throws {
        try withTemporaryDirectory { root in
            let setup = try ledgerWithLastCommit(root) { script in
                try script.record(.adjust(workspace: "acme", amount: 6, reason: "top"), as: Fixture.support)
                return try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
            }
            let path = setup.script.journalPath
            let lines = JournalBytes.lines(setup.full)
            let commitStart = lines[lines.count - 2].lowerBound
            // The whole two-record commit but its final newline: hundreds of bytes of tail.
            try JournalBytes.cut(path, to: setup.full.count - 1)
            let writer = try LedgerScript(reopening: setup.script.directory, minute: setup.script.minute)
            // A short record: far shorter than the tail it follows.
            let short = try writer.record(.copilot(workspace: "acme", messages: 1), as: Fixture.owner)
            #expect(writer.ledger.cutTail != nil)
            let journal = try JournalBytes.read(path)
            let newLine = try #require(JournalBytes.lines(journal).last)
            #expect(newLine.count < setup.full.count - 1 - commitStart, "the test needs a tail longer than the new record")
            #expect(Array(journal[..<commitStart]) == Array(setup.full[..<commitStart]))
            #expect(journal.count == commitStart + newLine.count + 1, "bytes of the torn tail were left behind")
            #expect(JournalBytes.verify(journal) == nil)
            let reopened = try FileLedger.open(directory: setup.script.directory)
            #expect(reopened.tornTail == nil)
            #expect(reopened.state.lastSeq == short[0].seq)
            #expect(reopened.state.workspaces["acme"]?.balance == 16)
        }
    }

    @Test func aReaderThatRefreshesMidCommitSeesTheWholeCommitLater() throws {
        try withTemporaryDirectory { root in
            let setup = try ledgerWithLastCommit(root) { script in
                try script.record(.adjust(workspace: "acme", amount: 6, reason: "top"), as: Fixture.support)
                return try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner)
            }
            let path = setup.script.journalPath
            let lines = JournalBytes.lines(setup.full)
            // A reader opens while only the first record of the commit is on disk...
            try JournalBytes.cut(path, to: lines[lines.count - 1].lowerBound + 10)
            let reader = try FileLedger.open(directory: setup.script.directory)
            #expect(reader.tornTail != nil)
            // ...then the rest lands and the reader refreshes.
            try JournalBytes.overwrite(setup.full, to: path)
            try reader.refresh()
            #expect(reader.tornTail == nil)
            #expect(sameState(reader.state, setup.script.ledger.state))
        }
    }
}
