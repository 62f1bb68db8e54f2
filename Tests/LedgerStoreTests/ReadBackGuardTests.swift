import CreditKit
import Foundation
import LedgerCore
import Testing

/// The writer's last guard: a line that would not read back as the record it encodes is named,
/// so it is never written. A year past 9999 is such a line (it is written with five digits).
@Suite struct ReadBackGuardTests {
    static func entry(at time: Timestamp, expires: Timestamp? = nil) -> Entry {
        var entry = Entry(seq: 2, time: time, kind: .adjustment, actor: "maria", workspace: "acme")
        entry.credits = 5
        entry.balance = 5
        entry.reason = "seed"
        entry.expires = expires
        return entry
    }

    static func problem(_ entry: Entry) -> String? {
        var hashed = entry
        let (line, hash) = JournalFormat.encode(entry, prev: JournalFormat.genesisHash, more: false)
        hashed.hash = hash
        return JournalFormat.readBackProblem(line, as: hashed)
    }

    @Test("a record inside 0000…9999 reads back; one a second past 9999-12-31T23:59:59Z does not")
    func aLinePastTheLastRecordableTimeDoesNotReadBack() {
        let last = Timestamp.latestRecordable
        #expect(last.iso8601 == "9999-12-31T23:59:59Z" && Timestamp.earliestRecordable.iso8601 == "0000-01-01T00:00:00Z")
        #expect(Self.problem(Self.entry(at: last)) == nil)
        #expect(Self.problem(Self.entry(at: last, expires: last)) == nil)
        let past = Timestamp(secondsSinceEpoch: last.secondsSinceEpoch + 1)
        #expect(Self.problem(Self.entry(at: past)) != nil)
        #expect(Self.problem(Self.entry(at: last, expires: past))?.contains("expires") == true)
        #expect(!past.isRecordable && last.isRecordable && Timestamp.earliestRecordable.isRecordable)
        #expect(!Timestamp(secondsSinceEpoch: Timestamp.earliestRecordable.secondsSinceEpoch - 1).isRecordable)
    }
}
