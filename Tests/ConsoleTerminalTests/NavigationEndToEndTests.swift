import Foundation
import Testing

/// Moving about in the real binary under tmux: the sort turned round with its header mark,
/// j/k through entries from a detail, and a key that does nothing saying so.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func sortReversesAndDetailStepsThroughEntries() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["workspace", "create", "zeta", "--name", "Zeta Prints", "--owner", "kim", "--plan", "pro", "--as", "maria"])
        try ledger.cli(["adjust", "acme", "5", "--reason", "second gift", "--as", "maria"])
        try ledger.cli(["adjust", "acme", "-2", "--reason", "third fix", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Workspace ▲")
        try session.send("S")
        let reversed = try session.wait(for: "Workspace ▼")
        let rows = reversed.split(separator: "\n").filter { $0.contains("acme") || $0.contains("zeta") }
        #expect(rows.first?.contains("zeta") == true, "\(reversed)")
        try session.send("x")
        try session.wait(for: "x does nothing here")
        try session.send("G", "Enter", "Enter")
        try session.wait(for: "third fix")
        try session.send("j")
        try session.wait(for: "second gift")
        try session.send("j")
        try session.wait(for: "welcome credits")
        try session.send("k")
        try session.wait(for: "second gift")
        try session.send("q", "q", "q")
        try session.wait(for: "EXITED 0")
    }
}
