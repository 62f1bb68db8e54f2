import Foundation
import Testing

/// An open confirmation in the real binary follows another desk's write (R23), and a key the
/// dialog does not take says so on the status line.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R23_openPurchaseConfirmationTakesTheBalanceAnotherDeskWrote() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "sam"))
        defer { session.kill() }
        try session.wait(for: "welcome credits")
        try session.send("t")
        try session.wait(for: "topup_50")
        try session.send("Enter")
        // The pack list shows 508 as the balance after too: wait for the dialog itself.
        try session.wait(for: "Confirm purchase")
        try session.wait(for: "508")
        try ledger.cli(["adjust", "acme", "+20", "--reason", "from the other desk", "--as", "maria"])
        let fresh = try session.wait(for: "528")
        #expect(fresh.contains("Balance 28"), "\(fresh)")
        #expect(fresh.contains("the balance changed to 28"), "\(fresh)")
        try session.send("x")
        try session.wait(for: "x does nothing in this dialog")
        try session.send("y")
        try session.wait(for: "balance 528")
        #expect(try ledger.cli(["balance", "acme", "--as", "maria"]).contains("528"))
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
