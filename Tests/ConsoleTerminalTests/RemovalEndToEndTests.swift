import Foundation
import Testing

/// R42 through the real binary under tmux: a member removed from the command line while their
/// console shows the workspace is taken off it at once, told by which entry, and shown only
/// what they may still see.
@Suite struct RemovalEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R42_aMemberRemovedWhileTheConsoleIsOpenLeavesTheWorkspace() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(ConsoleEndToEndTests.console(ledger, as: "lee"))
        defer { session.kill() }
        try session.wait(for: "Credit history")
        try ledger.cli(["workspace", "remove-member", "acme", "lee", "--reason", "left the team", "--as", "sam"])
        let screen = try session.wait(for: "you are no longer a member of acme (removed by entry #")
        #expect(!screen.contains("Credit history"), "the workspace is no longer shown:\n\(screen)")
        #expect(screen.contains("0 workspaces"), "\(screen)")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}
