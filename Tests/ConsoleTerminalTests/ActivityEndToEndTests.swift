import Foundation
import Testing

/// Activity in the real binary under tmux: every workspace's entries, a filter typed at `/`,
/// and an entry another desk writes arriving as `+1 new` without moving the selection.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func activityFiltersAndTakesLiveEntries() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["workspace", "create", "zeta", "--name", "Zeta Prints", "--owner", "kim", "--plan", "pro", "--as", "maria"])
        try ledger.cli(["adjust", "zeta", "40", "--reason", "launch gift", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "A activity")
        try session.send("A")
        try session.wait(for: "launch gift")
        try session.wait(for: "welcome credits")
        try session.send("/")
        try session.send("by:maria", "Space", "kind:adj")
        try session.send("Enter")
        // The filter line shows at once, its rows once read ("Reading…" until then): wait for those.
        let filtered = try session.wait(for: "(1/2)")
        #expect(filtered.contains("filter by:maria kind:adj"), "\(filtered)")
        #expect(!filtered.contains("zeta created"), "\(filtered)")
        try session.send("j")
        try session.wait(for: "(2/2)")
        try ledger.cli(["adjust", "acme", "3", "--reason", "from the other desk", "--as", "maria"])
        let live = try session.wait(for: "+1 new (g)")
        #expect(live.contains("(3/3)"), "the selection stays on the same entry: \(live)")
        try session.send("g")
        try session.wait(for: "(1/3)")
        try session.wait(for: "+1 new", absent: true)
        try session.send("Escape")
        try session.wait(for: "newest first")
        try session.send("Escape")
        try session.wait(for: "A activity")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}
