import Foundation
import Testing

/// R42 in the real binary: a member removed from the command line loses their limit line on an
/// open workspace screen within a second, and Activity shows the removal with its reason.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R42_aRemovalFromTheCommandLineShowsInTheOpenConsole() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["adjust", "acme", "95", "--reason", "more credits", "--as", "maria"])
        try ledger.cli(["member-limit", "set", "acme", "lee", "10", "--as", "sam"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"), width: 120, height: 40)
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "lee 0 of 10")
        try ledger.cli(["workspace", "remove-member", "acme", "lee", "--reason", "left Acme", "--as", "sam"])
        let after = try session.wait(for: "lee 0 of 10", absent: true, timeout: 1.0)
        #expect(after.contains("Tees") && after.contains("Credit history"), "support's desk stays on acme, without lee's limit line: \(after)")
        try session.send("q", "A")
        try session.wait(for: "lee removed: left Acme")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
