import CreditKit
import Foundation
import LedgerCore
import Testing

/// R5 with S3 and R36 through the Ledger protocol, on every backend in `LedgerBackendUnderTest.all`:
/// a refund gives each credit back to the parcel its charge burned it from.
@Suite("Ledger contract: refunds go back to their parcels")
struct RefundParcelContractTests {
    @Test("R5: refunds of charges that burned a promo grant and a pack go back to each, and the promo's void takes its 10",
          arguments: LedgerBackendUnderTest.all)
    func R5_refundsGoBackToTheParcelsTheyCameFrom(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        let expires = Timestamp(secondsSinceEpoch: Contract.epoch.secondsSinceEpoch + 2 * 86_400)
        let promo = try #require(try script.record(.grant(workspace: "acme", amount: 10, source: .promo, reason: "welcome", expires: expires),
                                                   as: Contract.support).first { $0.kind == .grant })
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        // S3: the first charge takes 6 of the promo's 10, the second its last 4 and 2 of the pack.
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-2"), as: Contract.member)
        try script.record(.jobFailed(workspace: "acme", job: "j-1"), as: Contract.member)
        try script.record(.jobFailed(workspace: "acme", job: "j-2"), as: Contract.member)
        let acme = try #require(script.ledger.state.workspaces["acme"])
        #expect(acme.balance == 510)
        let parcels = acme.buckets.sorted(by: GrantBucket.burnOrder).map { [$0.seq, $0.remaining] }
        #expect(parcels.first == [promo.seq, 10], "the promo has its 10 back, with its expiry: \(acme.buckets)")
        #expect(acme.buckets.first { $0.seq == promo.seq }?.expires == expires)
        #expect(acme.buckets.filter { $0.expires == nil }.reduce(0) { $0 + $1.remaining } == 500)
        #expect(acme.burns.isEmpty, "a refunded charge keeps no note of its burn")
        // S3: after the promo's date the refunded credits are gone with it.
        #expect(Engine.stateAt(expires, of: "acme", in: script.ledger.state)?.balance == 500)
        // R36: the void takes what the refunds gave back.
        let void = try script.record(.void(workspace: "acme", seq: promo.seq, reason: "end promo"), as: Contract.support)
        #expect(void.first { $0.kind == .void }?.credits == -10)
        #expect(script.balance == 500)
        let report = try script.ledger.verify(expectedHead: nil)
        #expect(report.headSeq == script.ledger.state.lastSeq)
    }
}
