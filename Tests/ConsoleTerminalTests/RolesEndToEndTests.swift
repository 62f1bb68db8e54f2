import Foundation
import Testing

/// R18 through the real binary under tmux: the console offers and records what the ledger allows.
@Suite struct RolesEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R18_aSupportAgentWhoIsAlsoAMemberRunsAnActionFromTheConsole() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["workspace", "add-member", "acme", "maria", "--as", "sam"])
        let session = try TmuxSession(ConsoleEndToEndTests.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        try session.send("Enter")
        try session.wait(for: "Credit history")
        try session.wait(for: "r run")
        try session.send("r")
        try session.wait(for: "Run an action in Acme Tees")
        try session.send("Enter")
        try session.wait(for: "Confirm: AI graphic generation")
        try session.wait(for: "Balance 8 → 2")
        try session.send("y")
        try session.wait(for: "Ran AI graphic generation")
        #expect(try ledger.balance() == 2)
        let history = try ledger.cli(["history", "acme", "--json", "--as", "maria"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]])
        let charges = entries.filter { $0["kind"] as? String == "charge" }
        #expect(charges.count == 1)
        #expect(charges.first?["actor"] as? String == "maria")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
