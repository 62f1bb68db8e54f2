import Foundation
import Testing

/// The Accounts table at 80 and 200 columns in the real binary under tmux.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func accountsShowOwnerAtEightyAndMoreColumnsWhenWide() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["workspace", "create", "zeta", "--name", "Zeta Prints", "--owner", "kim", "--plan", "pro", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        let narrow = try session.wait(for: "Owner")
        #expect(narrow.split(separator: "\n").contains { $0.contains("acme") && $0.contains(" sam ") }, "\(narrow)")
        try session.resize(width: 200, height: 40)
        let wide = try session.wait(for: "1: lee")
        #expect(wide.contains("Members") && wide.contains("Earned") && wide.contains("Spent"), "\(wide)")
        #expect(wide.split(separator: "\n").contains { $0.contains("Acme Tees") && $0.contains("1: lee") }, "\(wide)")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}

/// Last use (the last charge) and expiring credits at 200 columns, from a ledger the command line wrote.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func accountsShowLastChargeAndExpiringCreditsAtTwoHundred() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["charge", "acme", "ai_graphic", "--job", "j-1", "--as", "lee"])
        try ledger.cli(["grant", "acme", "30", "--kind", "promo", "--reason", "spring", "--expires", "2026-02-01T00:00:00Z", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"), width: 200, height: 40)
        defer { session.kill() }
        let wide = try session.wait(for: "Expiring")
        let acme = wide.split(separator: "\n").first { $0.contains("Acme Tees") } ?? ""
        #expect(acme.contains("just now"), "\(acme)")
        #expect(acme.contains("30 from Feb 1"), "\(acme)")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}
