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

/// A problem after a write from the console is durable (here an alert email that cannot be
/// moved into `outbox/new`) is shown in the status line after the write's result, never written
/// to standard error under the screen, and the write stands.
@Suite struct AfterCommitWarningEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func aWarningAfterTheWriteShowsInTheStatusLine() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["adjust", "acme", "+6", "--reason", "to fourteen", "--as", "maria"])
        // lee's charge (the next record) takes acme to 8, and the low alert after it is due in outbox/new:
        // a directory planted at that name keeps the message staged.
        let journal = try String(contentsOfFile: ledger.directory + "/journal.jsonl", encoding: .utf8)
        let lastSeq = journal.split(separator: "\n").count
        let seconds = Int(ISO8601DateFormatter().date(from: ConsoleLedger.now)!.timeIntervalSince1970)
        let name = "\(seconds).S\(lastSeq + 2)_low.creditdesk"
        try FileManager.default.createDirectory(atPath: ledger.directory + "/outbox/new/" + name + "/in-the-way",
                                                withIntermediateDirectories: true)
        let session = try TmuxSession(ConsoleEndToEndTests.console(ledger, as: "lee"), width: 120, height: 40)
        defer { session.kill() }
        try session.wait(for: "Credit history")
        try session.send("r")
        try session.wait(for: "Run an action in Acme Tees")
        try session.send("Enter")
        try session.wait(for: "Balance 14 → 8")
        try session.send("y")
        let screen = try session.wait(for: "could not be moved into outbox/new")
        let lines = screen.split(separator: "\n")
        let result = lines.firstIndex { $0.contains("Ran AI graphic generation") }
        #expect(result != nil, "\(screen)")
        if let result {
            // The status line wraps onto two rows: read them as one line of words.
            let status = lines[result...].prefix(2).joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(status.contains("warning: the records are written, but the alert email"), "\(screen)")
        }
        #expect(!screen.contains("creditdesk: warning"), "a warning was written under the screen:\n\(screen)")
        #expect(try ledger.balance() == 8)
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}
