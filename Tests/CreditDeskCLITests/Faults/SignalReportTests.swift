import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a command stopped by a signal prints: SIGQUIT from outside ends it by its default action
/// with nothing of Swift's backtracer; a crash prints one line saying so, unless SWIFT_BACKTRACE
/// asks for the backtracer's full report (as developers and tests may). Each command is caught
/// waiting for the writers' lock, which the test holds, so the signal meets a live process.
@Suite struct SignalReportTests {
    /// Starts `adjust` on a ledger whose lock this process holds, sends `signal` once it waits,
    /// and returns what it printed.
    private func signalled(_ signal: Int32, backtrace: String?) throws -> CLIResult {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", as: "sup")
        try cli.ok("workspace", "create", "acme", "--name", "Acme", "--owner", "sam", "--plan", "pro", as: "sup")
        let lock = open(cli.ledger + "/lock", O_RDWR | O_CREAT, 0o600)
        #expect(lock >= 0 && flock(lock, LOCK_EX) == 0)
        defer { close(lock) }
        cli.environment["SWIFT_BACKTRACE"] = backtrace
        // The test runner's threads block signals, and a child inherits the mask: unblock it
        // for the spawn, so the signal meets the command as it would from a shell.
        var signals = sigset_t(), previous = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, signal)
        pthread_sigmask(SIG_UNBLOCK, &signals, &previous)
        let running = try cli.spawn(["adjust", "acme", "+5", "--reason", "waits"], as: "sup",
                                    environment: ["CREDITDESK_LOCK_TIMEOUT": "5"])
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        usleep(1_500_000)
        running.kill(signal)
        let ended = running.wait(timeout: 30)
        // The backtracer, when asked for, may let a process it reported on from outside go on.
        if backtrace == nil || signal == SIGQUIT { #expect(ended.ending == .signaled(signal), "\(ended)") }
        let result = CLIResult(arguments: ["adjust"], status: -1, stdout: ended.stdout, stderr: ended.stderr)
        #expect(try cli.journalRecords().count == 2, "the signalled command wrote")
        return result
    }

    @Test("SIGQUIT ends a command as its default action does: nothing of Swift's crash report")
    func aQuitSignalPrintsNoCrashReport() throws {
        for backtrace in [nil, "enable=yes,interactive=no"] {
            let result = try signalled(SIGQUIT, backtrace: backtrace)
            #expect(result.stderr.isEmpty, "\(backtrace ?? "no SWIFT_BACKTRACE"): \(result)")
        }
    }

    @Test("a crash prints one line and no interactive prompt; SWIFT_BACKTRACE still gives the full report")
    func aCrashPrintsOneLine() throws {
        let plain = try signalled(SIGSEGV, backtrace: nil)
        #expect(plain.stderrLines.count == 1 && plain.stderr.contains("creditdesk: crashed"), "\(plain)")
        #expect(!plain.stderr.contains("Press space"), "\(plain)")
        let asked = try signalled(SIGSEGV, backtrace: "enable=yes,interactive=no")
        #expect(asked.stderr.contains("Backtrace") || asked.stderr.contains("crashed"), "\(asked)")
        #expect(asked.stderrLines.count > 1, "SWIFT_BACKTRACE asked for the full report: \(asked)")
    }
}
