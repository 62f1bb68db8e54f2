import Foundation
import Testing

/// R35 in the real binary: a hold made from the command line shows in an open console within a
/// second as held and available, the badge following the available balance, and the charge of
/// that job captures it on screen.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R35_aHoldFromTheCommandLineShowsHeldAndAvailableAndItsChargeCapturesIt() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["adjust", "acme", "95", "--reason", "more credits", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"), width: 120, height: 40)
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        let before = try session.wait(for: "more credits")
        #expect(!before.contains("held"), "\(before)")
        #expect(before.contains("COMFORTABLE"), "103 is comfortable: \(before)")
        try ledger.cli(["hold", "acme", "ai_graphic", "--job", "j-77", "--as", "lee"])
        // The hold's row is read after the balances (a history page of its own): wait for it, so
        // the screen checked is the whole of what the hold changed, not a frame in between.
        let held = try session.wait(for: "ai_graphic until 10:00 · job j-77", timeout: 1.0)
        #expect(held.contains("held 6 · available 97"), "\(held)")
        #expect(held.contains("RUNNING LOW"), "the badge follows the available balance, 97: \(held)")
        #expect(held.contains("6 held"), "the balance box says what is held: \(held)")
        #expect(held.contains("ai_graphic until 10:00 · job j-77"), "\(held)")
        try ledger.cli(["charge", "acme", "ai_graphic", "--job", "j-77", "--as", "lee"])
        let captured = try session.wait(for: "available", absent: true, timeout: 1.0)
        let row = captured.split(separator: "\n").first { $0.contains("charge") } ?? ""
        #expect(row.contains("-6") && row.contains("97") && row.contains("job j-77"), "the capture's row: \(captured)")
        #expect(!captured.contains("6 held"), "\(captured)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
