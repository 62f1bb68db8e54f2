import Foundation
import Testing

/// `creditdesk --read-only`: the real binary under tmux offers no write and writes nothing.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func readOnlyDeskOffersNoWriteAndWritesNothing() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let journal = ledger.directory + "/journal.jsonl"
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        let session = try TmuxSession(Self.console(ledger, as: "sam", extra: "--read-only"))
        defer { session.kill() }
        let screen = try session.wait(for: "CRITICAL")
        #expect(screen.contains("READ-ONLY"), "\(screen)")
        let hints = screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(!hints.contains("top up") && !hints.contains("run"), "\(hints)")
        try session.send("t")
        try session.wait(for: "read-only desk")
        #expect(!(try session.capture().contains("best value")), "the pack picker opened")
        try session.send("r")
        try session.wait(for: "read-only desk")
        try session.send("?")
        let help = try session.wait(for: "Keys:")
        #expect(!help.contains("top up") && !help.contains("run an action"), "\(help)")
        try session.send("Escape", "/")
        try session.tmux(["send-keys", "-l", "nothing-like-this"])
        try session.wait(for: "No entry matches")
        try session.send("Enter", "q")
        try session.wait(for: "EXITED 0")
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before, "a read-only desk wrote to the journal")
    }
}
