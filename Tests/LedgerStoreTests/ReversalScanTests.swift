import CreditKit
@testable import LedgerStore
import LedgerCore
import Testing

/// The file ledger's reversal facts (R34, R36, R41) pass over journal lines undecoded when their
/// bytes cannot hold a `reverses` or `rollover` key; every line that may hold one is decoded.
@Suite struct ReversalScanTests {
    static func line(_ entry: Entry) -> [UInt8] {
        JournalFormat.encode(entry, prev: JournalFormat.genesisHash, more: false).line
    }

    static func mayLinkBack(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { FileLedger.mayLinkBack($0) }
    }

    @Test("R34, R41: reversals and rollovers are looked at, a charge is passed over, and a line with an escape is always decoded")
    func R34_R41_onlyLinesThatMayLinkBackAreDecoded() {
        let time = Timestamp(iso8601: "2026-01-10T09:00:00Z")!
        var reversal = Entry(seq: 9, time: time, kind: .adjustment, actor: "maria", workspace: "acme")
        reversal.credits = -100; reversal.reverses = 3; reversal.reason = "invoice refunded"
        var rollover = Entry(seq: 8, time: time, kind: .grant, actor: "system", workspace: "acme")
        rollover.source = .plan; rollover.plan = "pro"; rollover.rollover = 40; rollover.ref = 3; rollover.expires = time
        var charge = Entry(seq: 7, time: time, kind: .charge, actor: "lee", workspace: "acme")
        charge.credits = -1; charge.action = "image"; charge.job = "img-1"
        #expect(Self.mayLinkBack(Self.line(reversal)))
        #expect(Self.mayLinkBack(Self.line(rollover)))
        #expect(!Self.mayLinkBack(Self.line(charge)))
        // A key may be spelled with an escape ("rev\u0065rses"): such a line is decoded, never skipped.
        #expect(Self.mayLinkBack(Array(#"{"v":1,"seq":9,"kind":"adjustment","rev\u0065rses":3}"#.utf8)))
    }
}
