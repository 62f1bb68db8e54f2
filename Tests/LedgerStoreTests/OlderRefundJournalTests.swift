import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// R5, S3: a journal an older version wrote, when a refund came back as credits that never
/// expire, still opens: its expiry of the parcel names fewer credits than the parcel holds once
/// refunds go back to their parcels, and the rest stay as that version had them.
@Suite struct OlderRefundJournalTests {
    @Test("R5: an older version's expiry of a parcel that had a refund (-9 of a parcel now holding 10) opens with the balance it wrote")
    func R5_anOlderRefundsExpiryStillOpens() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory)
            try script.createAcme()
            _ = try script.record(.grant(workspace: "acme", amount: 10, source: .promo, reason: "welcome",
                                         expires: Fixture.time(minute: 10)), as: Fixture.support)
            _ = try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Fixture.owner)
            _ = try script.record(.jobFailed(workspace: "acme", job: "j-1"), as: Fixture.owner)
            script.minute = 20
            _ = try script.record(.adjust(workspace: "acme", amount: 5, reason: "goodwill", request: nil), as: Fixture.support)
            // As the older version wrote it: the refund's 6 never expired, so the expiry took 4.
            var records = try JournalBytes.lines(try JournalBytes.read(script.journalPath)).map { try JournalBytes.decode(Array(try JournalBytes.read(script.journalPath)[$0])).entry }
            let expiry = try #require(records.firstIndex { $0.kind == .expiry })
            #expect(records[expiry].credits == -10)
            records[expiry].credits = -4
            records[expiry].balance = 6
            records = Array(records[...expiry])
            try JournalBytes.overwrite(JournalBytes.rechained(records), to: script.journalPath)
            try? FileManager.default.removeItem(atPath: directory + "/checkpoint")
            let opened = try FileLedger.open(directory: directory, useCheckpoint: false)
            let acme = try #require(opened.state.workspaces["acme"])
            #expect((acme.balance, acme.spent) == (6, 4))
            #expect(acme.buckets.map { [$0.seq, $0.remaining] } == [[records[expiry].seq, 6]] && acme.buckets.first?.expires == nil)
        }
    }
}
