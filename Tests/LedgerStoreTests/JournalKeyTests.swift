import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// `JournalKey` is the one list of the journal's keys: the writer writes them in its order, the
/// reader reads every one back, and every stored field of an entry has one.
@Suite struct JournalKeyTests {
    /// An entry with every field set.
    private static var full: Entry {
        var entry = Entry(seq: 9, time: Timestamp(iso8601: "2026-11-22T05:30:00Z")!, kind: .grant, actor: "alice", workspace: "acme")
        entry.credits = 12
        entry.balance = 40
        entry.held = 6
        (entry.action, entry.job, entry.item, entry.pack) = ("ai_graphic", "job-1", "item-1", "topup_50")
        (entry.priceCents, entry.invoice, entry.plan, entry.reason) = (5_000, "inv-1", "pro", "a reason")
        (entry.source, entry.expires, entry.ref) = (.promo, Timestamp(iso8601: "2027-01-01T00:00:00Z"), 3)
        entry.reverses = 2
        (entry.name, entry.owner, entry.member, entry.role) = ("Acme", "bob@example.com", "carol", "support")
        (entry.status, entry.messages, entry.alert, entry.onBehalfOf) = (.active, 4, .low, "bob")
        (entry.payment, entry.request, entry.catalog, entry.catalogHash, entry.clock) = ("pay-1", "req-1", "konfiwear", "ab", .test)
        entry.by = "ann"
        (entry.threshold, entry.target, entry.capCents) = (20, 300, 10_000)
        (entry.limit, entry.rollover) = (200, 40)
        return entry
    }

    @Test func everyStoredFieldOfAnEntryHasAJournalKey() {
        let fields = Mirror(reflecting: Self.full).children.count
        // The entry's own keys, and its hash (a line key).
        #expect(fields == JournalKey.entryKeys.count + 1)
        #expect(JournalKey.entryKeys.allSatisfy { $0.value(in: Self.full) != nil })
    }

    @Test func theWriterWritesEveryKeyInTheListsOrderAndTheReaderReadsItBack() throws {
        let (line, _) = JournalFormat.encode(Self.full, prev: JournalFormat.genesisHash, more: true)
        var keys: [String] = []
        try line.withUnsafeBufferPointer { buffer in
            var parser = FlatJSONParser(buffer)
            try parser.parse { key, _ in keys.append(key) }
        }
        #expect(keys == JournalKey.allCases.map(\.rawValue))
        var back = try JournalBytes.decode(line).entry
        back.hash = ""
        #expect(back == Self.full)
    }

    @Test func aKeySetsOnlyAValueOfItsKind() {
        var entry = Self.full
        #expect(!JournalKey.seq.set(.text("9"), in: &entry))
        #expect(!JournalKey.ws.set(.integer(1), in: &entry))
        #expect(!JournalKey.kind.set(.text("nonsense"), in: &entry))
        #expect(!JournalKey.expires.set(.text("tomorrow"), in: &entry))
        #expect(!JournalKey.prev.set(.text(JournalFormat.genesisHash), in: &entry))
        #expect(entry == Self.full)
        for key in JournalKey.entryKeys {
            var blank = Entry(seq: 0, time: Timestamp(secondsSinceEpoch: 0), kind: .charge, actor: "")
            if let value = key.value(in: Self.full) { #expect(key.set(value, in: &blank), "\(key)") }
            #expect(key.value(in: blank) == key.value(in: Self.full), "\(key)")
        }
    }
}
