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
}
