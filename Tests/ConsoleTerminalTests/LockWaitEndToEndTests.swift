import Foundation
import Testing

/// A write that meets another process's lock never freezes the real console: it says it is
/// waiting, keys still work, and Esc gives up with nothing written.
extension ConsoleEndToEndTests {
    static let flockTool = ["/usr/bin/flock", "/bin/flock"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: Programs.hasTmux && flockTool != nil))
    func aHeldLockShowsAWaitingLineAndEscGivesUpWritingNothing() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let flock = try #require(Self.flockTool)
        let lock = ledger.directory + "/lock"
        let session = try TmuxSession("CREDITDESK_LOCK_TIMEOUT=60 " + Self.console(ledger, as: "sam"))
        defer { session.kill() }
        try session.wait(for: "welcome credits")
        // Another process holds the ledger's lock, as a stuck writer would.
        try session.tmux(["new-window", "-d", "\(flock) --exclusive --no-fork \(lock) sleep 60"])
        let deadline = Date().addingTimeInterval(10)
        while try Programs.run(flock, ["--nonblock", lock, "true"]).status == 0 {
            try #require(Date() < deadline, "the lock holder never took the lock")
            usleep(20_000)
        }
        let journal = try Data(contentsOf: URL(fileURLWithPath: ledger.directory + "/journal.jsonl"))
        try session.send("t")
        try session.wait(for: "topup_50")
        try session.send("Enter")
        // The dialog itself, not "508" (the pack list shows it too): a "y" typed before the
        // dialog is drawn can reach the console in one read with the Enter.
        try session.wait(for: "Confirm purchase")
        try session.send("y")
        try session.wait(for: "waiting for the ledger's lock")
        try session.send("j")
        try session.wait(for: "still waiting for the ledger's lock")
        try session.send("Escape")
        try session.wait(for: "gave up waiting for the ledger's lock: nothing was written")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger.directory + "/journal.jsonl")) == journal, "nothing was written")
        try session.tmux(["kill-window", "-t", ":1"])
        #expect(try !ledger.cli(["history", "acme", "--as", "maria"]).contains("topup_50"))
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}
