import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension ConsoleEndToEndTests {
    /// SIGQUIT from outside (`kill -QUIT`, Ctrl-\ from another terminal) is a stop signal like
    /// SIGTERM: the terminal is restored, the console leaves by its normal path, and Swift's
    /// crash reporter never writes over the screen.
    @Test(.enabled(if: Programs.hasTmux), arguments: [SIGQUIT, SIGTERM])
    func aQuitSignalLeavesLikeSIGTERMWithoutACrashReport(signal: Int32) throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        // No SWIFT_BACKTRACE: what a person at a terminal has.
        let session = try TmuxSession("unset SWIFT_BACKTRACE; " + Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        let shell = try session.tmux(["display", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let consolePID = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        #expect(Foundation.kill(consolePID, signal) == 0)
        let screen = try session.wait(for: "EXITED 0", timeout: 20)
        #expect(try session.tmux(["display", "-p", "#{alternate_on}"]).hasPrefix("0"))
        for text in ["crashed", "Backtrace", "Press space", "Thread 0"] {
            #expect(!screen.contains(text), "signal \(signal): \(screen)")
        }
    }
}
