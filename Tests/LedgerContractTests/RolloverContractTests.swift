import CreditKit
import Foundation
import LedgerCore
import Testing

/// R41 rollover with a cap through the Ledger protocol, on every backend in
/// `LedgerBackendUnderTest.all`, with sofia's catalog given a rollover option on Pro.
@Suite("Ledger contract: rollover")
struct RolloverContractTests {
    /// Sofia's catalog file with Pro's unused credits carried over up to 40 for 60 days.
    static func catalogBytes() throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Data/catalogs/sofia.json"), encoding: .utf8)
        let withOption = text.replacingOccurrences(of: "\"monthly_grant\": 100, \"copilot_messages\": 1000 }",
                                                   with: "\"monthly_grant\": 100, \"copilot_messages\": 1000, \"rollover\": { \"cap_credits\": 40, \"valid_days\": 60 } }")
        try #require(withOption != text)
        return Array(withOption.utf8)
    }

    @Test("R41: at renewal, up to the cap carries over as its own grant and the rest expires; the balance is read back alike",
          arguments: LedgerBackendUnderTest.all)
    func R41_rolloverOnEveryBackend(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend, catalogBytes: try Self.catalogBytes())
        try script.createAcme()
        let first = try #require(try script.record(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: Contract.support).last)
        for index in 1...30 { try script.record(.charge(workspace: "acme", action: "image", job: "img-\(index)"), as: Contract.member) }
        let renewal = try script.record(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: Contract.support).filter { $0.kind != .alert }
        #expect(renewal.map(\.kind) == [.grant, .expiry, .grant])
        #expect(renewal.first?.rollover == 40 && renewal.first?.ref == first.seq && renewal.first?.credits == 0)
        #expect(renewal[1].credits == -30 && renewal.last?.credits == 100)
        let acme = try #require(script.ledger.state.workspaces["acme"])
        #expect((acme.balance, acme.earned, acme.spent) == (140, 200, 60))
        let rolledSeq = try #require(renewal.first?.seq)
        let read = try #require(try script.ledger.entry(seq: rolledSeq))
        #expect(read.rollover == 40 && read.hash == renewal.first?.hash, "the record reads back with its rollover")
        let report = try script.ledger.verify(expectedHead: nil)
        #expect(report.headSeq == script.ledger.state.lastSeq)
    }

    /// Acme on Pro with grant G (100), 30 images, and the renewal that carries 40 to rollover R:
    /// balance 140, earned 200, spent 60. Returns G's and R's seqs.
    static func rolledOver(_ script: ContractScript) throws -> (grant: Int64, rollover: Int64) {
        try script.createAcme()
        let grant = try #require(try script.record(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: Contract.support).last)
        for index in 1...30 { try script.record(.charge(workspace: "acme", action: "image", job: "img-\(index)"), as: Contract.member) }
        let renewal = try script.record(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: Contract.support)
        let rollover = try #require(renewal.first { $0.rollover != nil })
        return (grant.seq, rollover.seq)
    }

    static func accounts(_ script: ContractScript) -> [Credits] {
        script.ledger.state.workspaces["acme"].map { [$0.balance, $0.earned, $0.spent] } ?? []
    }

    @Test("R41, R34: once a rollover is voided, reversing its grant is refused by name, nothing written, on every backend",
          arguments: LedgerBackendUnderTest.all)
    func R41_R34_reverseAfterTheRolloverWasVoidedOnEveryBackend(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend, catalogBytes: try Self.catalogBytes())
        let (grant, rollover) = try Self.rolledOver(script)
        let void = try #require(try script.record(.void(workspace: "acme", seq: rollover, reason: "granted in error"), as: Contract.support).first)
        #expect(void.credits == -40 && Self.accounts(script) == [100, 200, 100])
        let head = script.ledger.state.lastSeq
        let refused = try script.submit(.reverse(workspace: "acme", seq: grant, reason: "invoice refunded"), as: Contract.support)
        guard case .rejected(.rolloverVoided(grant, rollover, void.seq)) = refused else { Issue.record("\(refused)"); return }
        #expect(script.ledger.state.lastSeq == head && Self.accounts(script) == [100, 200, 100])
        #expect(try script.ledger.verify(expectedHead: nil).headSeq == head)
    }

    @Test("R41, R36: once a grant is reversed, voiding its rollover is refused by name, nothing written, on every backend",
          arguments: LedgerBackendUnderTest.all)
    func R41_R36_voidAfterTheGrantWasReversedOnEveryBackend(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend, catalogBytes: try Self.catalogBytes())
        let (grant, rollover) = try Self.rolledOver(script)
        let reversal = try #require(try script.record(.reverse(workspace: "acme", seq: grant, reason: "invoice refunded"), as: Contract.support)
            .first { $0.kind == .adjustment })
        #expect(reversal.credits == -100 && Self.accounts(script) == [40, 200, 160])
        let grantFacts = try script.ledger.reversalFacts(workspace: "acme", seq: grant)
        #expect(grantFacts.rolledOverBy == rollover && grantFacts.reversedBy == reversal.seq && grantFacts.sourceReversedBy == nil)
        let rolloverFacts = try script.ledger.reversalFacts(workspace: "acme", seq: rollover)
        #expect(rolloverFacts.original?.ref == grant && rolloverFacts.sourceReversedBy == reversal.seq && rolloverFacts.reversedBy == nil)
        let head = script.ledger.state.lastSeq
        let refused = try script.submit(.void(workspace: "acme", seq: rollover, reason: "granted in error"), as: Contract.support)
        guard case .rejected(.grantReversed(rollover, grant, reversal.seq)) = refused else { Issue.record("\(refused)"); return }
        #expect(script.ledger.state.lastSeq == head && Self.accounts(script) == [40, 200, 160])
        #expect(try script.ledger.verify(expectedHead: nil).headSeq == head)
    }
}
