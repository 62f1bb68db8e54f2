import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Damage anywhere but a half-written tail is never skipped: opening refuses with an error that
/// names the first bad record. Covers flipped bytes, edits that re-hash their own record,
/// removed and reordered records, a newer record format, and an edited catalog.
@Suite struct TamperTests {
    /// A ledger of nine records, all single-record commits:
    /// 1 init, 2 workspace, 3 topup 500, 4 charge job-1, 5 charge job-2, 6 charge job-3,
    /// 7 refund job-2, 8 adjustment, 9 charge job-4.
    private func makeLedger(_ root: String) throws -> (directory: String, journal: [UInt8]) {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "print_file", job: "job-2"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "ai_vectorize", job: "job-3"), as: Fixture.owner)
        try script.record(.jobFailed(workspace: "acme", job: "job-2"), as: Fixture.owner)
        try script.record(.adjust(workspace: "acme", amount: -7, reason: "manual correction"), as: Fixture.support)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-4"), as: Fixture.owner)
        #expect(script.ledger.state.lastSeq == 9)
        return (script.directory, try JournalBytes.read(script.journalPath))
    }

    private func lineArrays(_ journal: [UInt8]) -> [[UInt8]] {
        JournalBytes.lines(journal).map { Array(journal[$0]) }
    }

    @Test func aFlippedByteAnywhereInAMiddleRecordNamesThatRecord() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            let path = directory + "/journal.jsonl"
            let record = 5
            let range = JournalBytes.lines(journal)[record - 1]
            let text = String(decoding: journal[range], as: UTF8.self)
            // Where the seq digits are: a flip there may change which seq the message guesses.
            let seqKey = try #require(text.range(of: "\"seq\":5,"))
            let seqBytes = (range.lowerBound + text.utf8.distance(from: text.startIndex, to: seqKey.lowerBound))
                ..< (range.lowerBound + text.utf8.distance(from: text.startIndex, to: seqKey.upperBound))
            for offset in range {
                var damaged = journal
                damaged[offset] ^= 0x01
                try JournalBytes.overwrite(damaged, to: path)
                guard case let .damaged(line, seq, problem)? = openFailure(directory) else {
                    Issue.record("byte \(offset) flipped: the ledger opened or failed otherwise: \(String(describing: openFailure(directory)))")
                    continue
                }
                #expect(line == record, "byte \(offset) flipped: \(problem)")
                if !seqBytes.contains(offset) {
                    #expect(seq == Int64(record), "byte \(offset) flipped: \(problem)")
                }
            }
        }
    }

    @Test func aFlippedAmountDigitIsAChecksumMismatch() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var lines = lineArrays(journal)
            var text = String(decoding: lines[3], as: UTF8.self)
            #expect(text.contains("\"credits\":-6,"))
            text = text.replacingOccurrences(of: "\"credits\":-6,", with: "\"credits\":-5,")
            lines[3] = Array(text.utf8)
            try JournalBytes.overwrite(JournalBytes.join(lines), to: directory + "/journal.jsonl")
            let error = openFailure(directory)
            guard case let .damaged(line, seq, problem)? = error else {
                Issue.record("expected damaged, got \(String(describing: error))")
                return
            }
            #expect((line, seq) == (4, 4))
            #expect(problem.contains("checksum"))
            #expect(error?.description.contains("record seq 4 (journal.jsonl line 4)") == true)
        }
    }

    @Test func anEditThatRehashesItsOwnRecordBreaksTheChainAtTheNextRecord() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var lines = lineArrays(journal)
            // Record 4 charged job-1 6 credits (500 -> 494). Make it 5 (-> 495), keep it consistent
            // with itself, and re-hash it with the prev it had.
            let original = try JournalBytes.decode(lines[3])
            var edited = original.entry
            #expect((edited.kind, edited.credits, edited.balance) == (.charge, -6, 494))
            edited.credits = -5
            edited.balance = 495
            let (line, hash) = JournalFormat.encode(edited, prev: original.prev, more: false)
            #expect(hash != original.entry.hash)
            lines[3] = line
            let path = directory + "/journal.jsonl"

            // The edited record alone is a good record: cut after it, and the ledger opens.
            try JournalBytes.overwrite(JournalBytes.join(Array(lines[0..<4])), to: path)
            let alone = try FileLedger.open(directory: directory)
            #expect(alone.state.workspaces["acme"]?.balance == 495)

            // With what follows, the next record's prev no longer matches: that record is named.
            try JournalBytes.overwrite(JournalBytes.join(lines), to: path)
            let error = openFailure(directory)
            guard case let .damaged(badLine, seq, problem)? = error else {
                Issue.record("expected damaged, got \(String(describing: error))")
                return
            }
            #expect((badLine, seq) == (5, 5))
            #expect(problem.contains("hash chain"))
        }
    }

    @Test("R34: a reversal link on anything but an adjustment of an earlier record is damage, even re-hashed")
    func R34_aForgedReversalLinkIsDamage() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            let path = directory + "/journal.jsonl"
            for (line, reverses) in [(3, Int64(3)), (7, 8), (7, 0)] {
                var lines = lineArrays(journal)
                // Record 4 is a charge; record 8 the adjustment: link them where no rule would.
                let original = try JournalBytes.decode(lines[line])
                var edited = original.entry
                edited.reverses = reverses
                lines[line] = JournalFormat.encode(edited, prev: original.prev, more: false).line
                try JournalBytes.overwrite(JournalBytes.join(Array(lines[0...line])), to: path)
                guard case let .damaged(_, seq, problem)? = openFailure(directory) else {
                    Issue.record("a \(edited.kind.rawValue) reversing #\(reverses) was accepted")
                    continue
                }
                #expect(seq == edited.seq)
                #expect(problem.contains("only an adjustment reverses an earlier entry"), "\(problem)")
            }
        }
    }

    @Test func aRemovedMiddleRecordIsDamage() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var lines = lineArrays(journal)
            lines.remove(at: 4) // seq 5
            try JournalBytes.overwrite(JournalBytes.join(lines), to: directory + "/journal.jsonl")
            guard case let .damaged(line, seq, _)? = openFailure(directory) else {
                Issue.record("expected damaged, got \(String(describing: openFailure(directory)))")
                return
            }
            #expect((line, seq) == (5, 6))
        }
    }

    @Test func twoSwappedRecordsAreDamage() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var lines = lineArrays(journal)
            lines.swapAt(4, 5) // seq 5 and 6
            try JournalBytes.overwrite(JournalBytes.join(lines), to: directory + "/journal.jsonl")
            guard case let .damaged(line, seq, problem)? = openFailure(directory) else {
                Issue.record("expected damaged, got \(String(describing: openFailure(directory)))")
                return
            }
            #expect((line, seq) == (5, 6))
            #expect(problem.contains("hash chain"))
        }
    }

    @Test func aDuplicatedRecordIsDamage() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var lines = lineArrays(journal)
            lines.insert(lines[4], at: 5) // seq 5 twice
            try JournalBytes.overwrite(JournalBytes.join(lines), to: directory + "/journal.jsonl")
            guard case let .damaged(line, seq, _)? = openFailure(directory) else {
                Issue.record("expected damaged, got \(String(describing: openFailure(directory)))")
                return
            }
            #expect((line, seq) == (6, 5))
        }
    }

    @Test func aDamagedLastRecordWithItsNewlineIsNotMistakenForATornTail() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var damaged = journal
            let last = try #require(JournalBytes.lines(journal).last)
            damaged[last.lowerBound + 30] ^= 0x01
            try JournalBytes.overwrite(damaged, to: directory + "/journal.jsonl")
            guard case let .damaged(line, _, _)? = openFailure(directory) else {
                Issue.record("expected damaged, got \(String(describing: openFailure(directory)))")
                return
            }
            #expect(line == 9)
        }
    }

    @Test func recordsRemovedUnderAnOpenLedgerAreDamage() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            let reader = try FileLedger.open(directory: directory)
            let lines = JournalBytes.lines(journal)
            try JournalBytes.cut(directory + "/journal.jsonl", to: lines[7].upperBound + 1)
            do throws(LedgerError) {
                try reader.refresh()
                Issue.record("refresh accepted a journal that lost a record")
            } catch {
                guard case .damaged(_, _, let problem) = error else {
                    Issue.record("expected damaged, got \(error)")
                    return
                }
                #expect(problem.contains("removed"))
            }
        }
    }

    @Test func aRecordInANewerFormatIsRefused() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var lines = lineArrays(journal)
            // Record 9 as a newer build would write it: "v":2, hash over its own bytes.
            var text = String(decoding: lines[8], as: UTF8.self)
            #expect(text.hasPrefix("{\"v\":1,"))
            text = "{\"v\":2," + text.dropFirst("{\"v\":1,".count)
            let hashKey = try #require(text.range(of: ",\"hash\":\"", options: .backwards))
            let body = String(text[..<hashKey.lowerBound])
            lines[8] = Array((body + ",\"hash\":\"" + SHA256Hex.digest(Array(body.utf8)) + "\"}").utf8)
            try JournalBytes.overwrite(JournalBytes.join(lines), to: directory + "/journal.jsonl")
            let error = openFailure(directory)
            guard case let .damaged(line, seq, problem)? = error else {
                Issue.record("expected a refusal, got \(String(describing: error))")
                return
            }
            #expect((line, seq) == (9, 9))
            #expect(problem.contains("record format 2, newer than this build reads (1)"))

            // And in the middle of the journal, the same.
            var middle = lineArrays(journal)
            middle[4] = Array(("{\"v\":2," + String(decoding: middle[4], as: UTF8.self).dropFirst(7)).utf8)
            try JournalBytes.overwrite(JournalBytes.join(middle), to: directory + "/journal.jsonl")
            guard case let .damaged(middleLine, _, middleProblem)? = openFailure(directory) else {
                Issue.record("expected a refusal of the middle record")
                return
            }
            #expect(middleLine == 5)
            #expect(middleProblem.contains("newer"))
        }
    }

    /// Ways to edit `catalog.json` after the ledger was made.
    enum CatalogEdit: String, CaseIterable, Sendable {
        case priceChanged, whitespaceAdded, noLongerJSON

        func apply(_ text: String) -> String {
            switch self {
            case .priceChanged: return text.replacingOccurrences(of: "\"credits\": 6,", with: "\"credits\": 7,")
            case .whitespaceAdded: return text + "\n"
            case .noLongerJSON: return String(text.dropLast(5))
            }
        }
    }

    @Test(arguments: CatalogEdit.allCases)
    func anEditedCatalogIsRefused(edit: CatalogEdit) throws {
        let what = edit.rawValue
        try withTemporaryDirectory { root in
            let (directory, _) = try makeLedger(root)
            let path = directory + "/catalog.json"
            let original = String(decoding: try JournalBytes.read(path), as: UTF8.self)
            let edited = edit.apply(original)
            #expect(edited != original, "\(what): the edit must change the file")
            try JournalBytes.overwrite(Array(edited.utf8), to: path)
            let error = openFailure(directory)
            guard case let .badCatalog(file, problems)? = error else {
                Issue.record("\(what): expected badCatalog, got \(String(describing: error))")
                return
            }
            #expect(file == path, "\(what)")
            #expect(!problems.isEmpty, "\(what)")

            // Putting the original back makes the ledger whole again.
            try JournalBytes.overwrite(Array(original.utf8), to: path)
            #expect(openFailure(directory) == nil, "\(what)")
        }
    }
}
