import Foundation

/// What a person at a terminal sees when the process is stopped by a signal: never Swift's
/// backtracer, whose crash report and interactive prompt (`Press space to interact, D to
/// debug…`) wait on the terminal. SIGQUIT sent from outside ends the process by its default
/// action, as any command-line tool's does. A real crash (SIGILL from a trap, SIGSEGV…) prints
/// one line and ends by its signal, unless `SWIFT_BACKTRACE` is set (a developer or a test
/// asking for the full report): then the backtracer runs as it is told.
enum CrashReport {
    /// The signals a crash raises (the Swift runtime's backtracer catches these).
    static let crashSignals = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

    /// Installs the handlers for the run, before anything else (`CreditDeskCommand.main`);
    /// `backtraceAsked`: `SWIFT_BACKTRACE` is set, so crashes are left to the backtracer.
    static func install(backtraceAsked: Bool) {
        signal(SIGQUIT, SIG_DFL)
        guard !backtraceAsked else { return }
        for number in crashSignals { signal(number) { signo in CrashReport.report(signo) } }
    }

    /// The handler: one line on standard error (write(2) of a constant, safe in a handler), then
    /// the signal again with its default action, so the process ends as the crash would have.
    private static func report(_ signo: Int32) {
        signal(signo, SIG_DFL)
        let line = line(for: signo)
        _ = write(2, line.utf8Start, line.utf8CodeUnitCount)
        raise(signo)
    }

    /// The line a crash by `signo` prints: what happened and how to see where.
    static func line(for signo: Int32) -> StaticString {
        switch signo {
        case SIGILL: return "creditdesk: crashed (a failed check: SIGILL); this is a bug, please report it. SWIFT_BACKTRACE=enable=yes,interactive=no shows where\n"
        case SIGTRAP: return "creditdesk: crashed (a failed check: SIGTRAP); this is a bug, please report it. SWIFT_BACKTRACE=enable=yes,interactive=no shows where\n"
        case SIGABRT: return "creditdesk: crashed (aborted: SIGABRT); this is a bug, please report it. SWIFT_BACKTRACE=enable=yes,interactive=no shows where\n"
        case SIGSEGV: return "creditdesk: crashed (a bad memory access: SIGSEGV); this is a bug, please report it. SWIFT_BACKTRACE=enable=yes,interactive=no shows where\n"
        case SIGBUS: return "creditdesk: crashed (a bad memory access: SIGBUS); this is a bug, please report it. SWIFT_BACKTRACE=enable=yes,interactive=no shows where\n"
        default: return "creditdesk: crashed (an arithmetic fault: SIGFPE); this is a bug, please report it. SWIFT_BACKTRACE=enable=yes,interactive=no shows where\n"
        }
    }
}
