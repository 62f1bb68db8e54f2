import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// R5, S3, R36: `verify` reads an expiry or void an older version wrote, when a refund came back
/// as credits that never expire (so the record names fewer credits than the parcel holds now
/// that refunds go back to their parcels), as the fold reads it; a shortfall that no refund to
/// that parcel explains, or a record that takes more than the parcel holds, is still named.
@Suite struct OlderRefundVerifyTests {
    /// A ledger where acme has 50 paid credits and 10 promo credits (expiring at minute 10, or
    /// at minute 100 when `void`); job j-1 (6 credits) burns the promo and, when `refund`, is
    /// refunded. At minute 20 support adds 5 (after the promo's expiry, in the same commit) or,
    /// when `void`, voids the promo grant. That expiry or void is then rewritten to take `taken`
    /// credits, every balance after it following, and the journal chained again commit for
    /// commit. Returns the rewritten record's seq and the credits the rules wrote for it.
    static func journal(_ directory: String, refund: Bool, void: Bool = false, taken: Credits) throws -> (seq: Int64, written: Credits) {
        let script = try LedgerScript(creating: directory)
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 50, reason: "opening", request: nil), as: Fixture.support)
        let grant = try script.record(.grant(workspace: "acme", amount: 10, source: .promo, reason: "welcome",
                                             expires: Fixture.time(minute: void ? 100 : 10)), as: Fixture.support)[0].seq
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Fixture.owner)
        if refund { try script.record(.jobFailed(workspace: "acme", job: "j-1"), as: Fixture.owner) }
        script.minute = 20
        if void {
            try script.record(.void(workspace: "acme", seq: grant, reason: "promo withdrawn"), as: Fixture.support)
        } else {
            try script.record(.adjust(workspace: "acme", amount: 5, reason: "goodwill", request: nil), as: Fixture.support)
        }
        let bytes = try JournalBytes.read(script.journalPath)
        var records = try JournalBytes.lines(bytes).map { try JournalBytes.decode(Array(bytes[$0])) }
        let index = try #require(records.firstIndex { ($0.entry.kind == .expiry || $0.entry.kind == .void) && $0.entry.ref == grant })
        let written = records[index].entry.credits
        let shift = -(written + taken)
        records[index].entry.credits = -taken
        for later in records.indices where later >= index && records[later].entry.workspace == "acme" {
            records[later].entry.balance = records[later].entry.balance.map { $0 + shift }
        }
        try JournalBytes.overwrite(rechained(records), to: script.journalPath)
        try? FileManager.default.removeItem(atPath: directory + "/checkpoint")
        return (records[index].entry.seq, -written)
    }

    /// `records` chained again from the genesis hash, each keeping its place in its commit.
    static func rechained(_ records: [JournalFormat.DecodedRecord]) -> [UInt8] {
        var rebuilt: [UInt8] = []
        var prev = JournalFormat.genesisHash
        for record in records {
            let (line, hash) = JournalFormat.encode(record.entry, prev: prev, more: record.more)
            rebuilt += line + [10]
            prev = hash
        }
        return rebuilt
    }

    /// The seq `verify` names, and its problem; nil when the journal verifies.
    static func named(_ directory: String) -> (seq: Int64?, problem: String)? {
        guard let failure = JournalBytes.verifyFailure(directory) else { return nil }
        guard case let .damaged(_, seq, problem) = failure else { return (nil, "\(failure)") }
        return (seq, problem)
    }

    @Test("R5: an older version's expiry that left a refund's 6 credits behind (-4 of a parcel now holding 10) verifies, the adjustment after it too")
    func R5_anOlderRefundsExpiryVerifies() throws {
        try withTemporaryDirectory { directory in
            let (_, written) = try Self.journal(directory, refund: true, taken: 4)
            #expect(written == 10)
            #expect(Self.named(directory) == nil)
            let acme = try #require(try FileLedger.open(directory: directory, useCheckpoint: false).state.workspaces["acme"])
            #expect((acme.balance, acme.spent) == (61, 4))
        }
    }

    @Test("R36: an older version's void of a grant that had a refund (-4 of a parcel now holding 10) verifies")
    func R36_anOlderRefundsVoidVerifies() throws {
        try withTemporaryDirectory { directory in
            let (_, written) = try Self.journal(directory, refund: true, void: true, taken: 4)
            #expect(written == 10)
            #expect(Self.named(directory) == nil)
        }
    }

    @Test("S3: a forged expiry naming fewer credits than its parcel holds, with no refund to explain it, is named by verify")
    func S3_aShortExpiryNoRefundExplainsIsNamed() throws {
        try withTemporaryDirectory { directory in
            let (seq, written) = try Self.journal(directory, refund: false, taken: 2)
            #expect(written == 4)
            let named = try #require(Self.named(directory))
            #expect(named.seq == seq && named.problem.contains("\"credits\" is -2, the rules would have written -4"), "\(named)")
        }
    }

    @Test("R5: a forged expiry short by more than the refund gave back to its parcel (-3 of 10, the refund gave back 6) is named by verify")
    func R5_anExpiryShortByMoreThanTheRefundIsNamed() throws {
        try withTemporaryDirectory { directory in
            let (seq, _) = try Self.journal(directory, refund: true, taken: 3)
            let named = try #require(Self.named(directory))
            #expect(named.seq == seq && named.problem.contains("\"credits\" is -3, the rules would have written -10"), "\(named)")
        }
    }

    @Test("R5: a forged expiry taking more than its parcel holds (-11 of 10) is named by verify")
    func R5_anExpiryTakingMoreThanTheParcelIsNamed() throws {
        try withTemporaryDirectory { directory in
            let (seq, _) = try Self.journal(directory, refund: true, taken: 11)
            let named = try #require(Self.named(directory))
            #expect(named.seq == seq, "\(named)")
        }
    }

    @Test("R36: a forged void naming fewer credits than its grant holds, with no refund to explain it, is named by verify")
    func R36_aShortVoidNoRefundExplainsIsNamed() throws {
        try withTemporaryDirectory { directory in
            let (seq, written) = try Self.journal(directory, refund: false, void: true, taken: 2)
            #expect(written == 4)
            let named = try #require(Self.named(directory))
            #expect(named.seq == seq && named.problem.contains("\"credits\" is -2, the rules would have written -4"), "\(named)")
        }
    }
}
