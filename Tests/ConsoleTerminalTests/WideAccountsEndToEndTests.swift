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
