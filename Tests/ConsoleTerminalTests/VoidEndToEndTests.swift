import Foundation
import Testing

/// Voiding a grant from a workspace's history in the real binary (R36): v on the grant's row,
/// the form with what is left by burn order, a reason, the confirmation, y; the journal then
/// holds the void the command line would have written.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R36_voidAGrantFromTheWorkspaceHistory() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["grant", "acme", "30", "--kind", "promo", "--reason", "spring fair", "--as", "maria"])
        try ledger.cli(["charge", "acme", "ai_graphic", "--job", "j-1", "--as", "lee"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "spring fair")
        #expect(try !session.capture().contains("v void"), "v is offered on the charge's row")
        try session.send("j")
        try session.wait(for: "v void")
        try session.send("v")
        try session.wait(for: "Left of it by burn order (S3): 24 of 30 credits")
        try session.send("Enter")
        try session.wait(for: "reason")
        try session.send("sent", "Space", "to", "Space", "the", "Space", "wrong", "Space", "shop", "Enter")
        try session.wait(for: "Balance 32 → 8")
        try session.send("y")
        try session.wait(for: "Voided grant #")
        #expect(try ledger.balance() == 8)
        let history = try ledger.cli(["history", "acme", "--json", "--as", "maria"])
        let entries = try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]] ?? []
        let grant = entries.first { $0["kind"] as? String == "grant" }
        #expect(entries.first?["kind"] as? String == "void", "\(entries.prefix(2))")
        #expect(entries.first?["credits"] as? Int == -24)
        #expect(entries.first?["reason"] as? String == "sent to the wrong shop")
        #expect(entries.first?["ref"] as? Int == grant?["seq"] as? Int, "\(entries.prefix(3))")
        // The same grant again: refused on the spot, nothing written.
        try session.send("g", "j", "j")
        try session.wait(for: "v void")
        try session.send("v")
        try session.wait(for: "was already voided")
        #expect(try ledger.balance() == 8)
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
