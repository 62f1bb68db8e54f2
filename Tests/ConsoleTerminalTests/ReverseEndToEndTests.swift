import Foundation
import Testing

/// Reversing from an entry's detail in the real binary (R34): x, a reason, the confirmation
/// with the balance after, y; the detail then says "Reversed by" and the journal links both.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R34_reverseAnAdjustmentFromItsDetail() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["adjust", "acme", "250", "--reason", "meant 25", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "meant 25")
        try session.send("Enter")
        try session.wait(for: "x reverse")
        try session.send("x")
        try session.wait(for: "Reverse entry #")
        try session.send("typed", "Space", "ten", "Space", "times", "Enter")
        try session.wait(for: "Balance 258 → 8")
        try session.send("y")
        try session.wait(for: "Reversed by")
        #expect(try ledger.balance() == 8)
        let history = try ledger.cli(["history", "acme", "--json", "--as", "maria"])
        let entries = try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]] ?? []
        #expect(entries.first?["reason"] as? String == "typed ten times")
        #expect(entries.first?["reverses"] as? Int == entries.dropFirst().first?["seq"] as? Int, "\(entries.prefix(2))")
        try session.send("x")
        try session.wait(for: "already reversed")
        try session.send("q", "q", "q")
        try session.wait(for: "EXITED 0")
    }
}
