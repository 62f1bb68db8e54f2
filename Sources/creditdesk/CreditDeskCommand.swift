import ArgumentParser
import CreditKit
import Foundation
import LedgerCore

/// `creditdesk`: the command line over a credit ledger (CONTRACT.md).
@main
struct CreditDeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditdesk",
        abstract: "A credit ledger for usage-priced SaaS: balances, grants, top-ups, charges, refunds and adjustments.",
        discussion: """
        With no subcommand, `creditdesk` opens the console on the ledger: support agents browse every \
        workspace, owners buy packs, members run actions (`?` in the console lists the keys). With \
        no ledger yet, it opens a scratch demo ledger.

        Every command works on a ledger directory (--ledger, $CREDITDESK_LEDGER). Create one with \
        `creditdesk init`, then add workspaces and record what happens to their credits.

        Exit status: 0 done (or already done: an idempotent repeat), 1 refused by a rule, \
        2 the ledger is damaged, locked past its timeout or unreadable (nothing written), \
        64 the command line is wrong. Once records are durable the command exits 0: a problem after \
        the commit (checkpoint, outbox, standard output, sendmail) is a warning on standard error.

        Environment: CREDITDESK_LEDGER, CREDITDESK_OPERATOR, CREDITDESK_NOW, CREDITDESK_HOME (the \
        folder holding Data/), CREDITDESK_LOCK_TIMEOUT (seconds, 0 to 3600, default 10), CREDITDESK_SENDMAIL \
        (a sendmail-compatible command that alert emails are piped to), CREDITDESK_SENDMAIL_TIMEOUT \
        (seconds it may take over one email, 1 to 3600, default 30).
        """,
        version: CreditDeskVersion.current,
        subcommands: [
            InitCommand.self, OperatorCommand.self, WorkspaceCommand.self, BalanceCommand.self,
            HistoryCommand.self, ChargeCommand.self, JobFailedCommand.self, CloneCommand.self,
            TopupCommand.self, InvoicePaidCommand.self, PlanCommand.self, TrialCommand.self,
            CancelCommand.self, CopilotCommand.self, AdjustCommand.self, GrantCommand.self, ReverseCommand.self, HoldCommand.self, VoidCommand.self,
            AutoTopUpCommand.self, TopUpDeclinedCommand.self,
            MemberLimitCommand.self,
            BudgetCommand.self, VerifyCommand.self, ExportCommand.self, GenerateCommand.self, ImportCommand.self, MigrateCommand.self, DemoCommand.self,
            ClockCommand.self,
            GrantAccessCommand.self, OutboxCommand.self,
        ]
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var console: ConsoleOptions

    /// No subcommand: the console.
    func run() throws {
        try ConsoleLauncher.run(ledger: ledger, console: console)
    }

    /// Parses, runs, and turns every failure into one line on standard error and the contract's status.
    static func main() {
        // A reader that went away (a closed pipe on standard output, a sendmail command that
        // exits without reading) is an EPIPE to handle, never a signal that kills a commit's report.
        signal(SIGPIPE, SIG_IGN)
        // SIGQUIT and crashes end the process with one line at most, never Swift's interactive backtracer.
        CrashReport.install(backtraceAsked: RunEnvironment.variables["SWIFT_BACKTRACE"] != nil)
        // Swift would repair bytes that are not UTF-8 into U+FFFD, so a job id or reason would be
        // recorded as something other than what was sent: refuse them instead.
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil else { continue }
            Console.note("argument \(index) is not valid UTF-8 text; the command was not run")
            Foundation.exit(64)
        }
        if let name = RunEnvironment.variableNotUTF8() {
            Console.note("environment variable \(name) is not valid UTF-8 text; the command was not run")
            Foundation.exit(64)
        }
        do {
            // A plain command line never has an empty value (`FastCommandLine.read`), so only what
            // the parser read needs the reflecting check, which costs a new process about a millisecond.
            if let plain = FastCommandLine.parse(Array(CommandLine.arguments.dropFirst())) {
                Console.access = plain.access
                try plain.run()
            } else {
                try LedgerOptions.checkAttached(Array(CommandLine.arguments.dropFirst()))
                var command = try fastParse() ?? parseAsRoot()
                try checkGivenOptions(command)
                Console.access = (type(of: command) as? any LedgerReading.Type)?.access ?? .write
                try command.run()
            }
        } catch let failure as CLIFailure {
            Console.note(failure.line(for: Console.access))
            _ = outputStatus()
            Foundation.exit(failure.status)
        } catch {
            exitShowingParserError(error)
        }
        if let interrupted = CommitGuard.warning { Console.warn(interrupted) }
        Foundation.exit(outputStatus() ?? 0)
    }

    /// Refuses an empty `--ledger`, `--as` or `--now` on whatever command was parsed (64).
    private static func checkGivenOptions(_ command: any ParsableCommand) throws(CLIFailure) {
        for child in Mirror(reflecting: command).children {
            if let group = child.value as? OptionGroup<LedgerOptions> { try group.wrappedValue.checkGiven() }
        }
    }

    /// The one-workspace commands a script runs most, parsed as themselves when their arguments
    /// parse cleanly, without building the whole command tree first; anything else (help, an
    /// error, options before the subcommand) is left to `parseAsRoot`, so every message is its own.
    static let fastCommands: [String: any ParsableCommand.Type] = [
        "charge": ChargeCommand.self, "balance": BalanceCommand.self, "history": HistoryCommand.self,
    ]

    /// The command, when `fastCommands` names the first argument and the rest parse cleanly.
    private static func fastParse() -> (any ParsableCommand)? {
        let arguments = CommandLine.arguments
        guard arguments.count > 1, let type = fastCommands[arguments[1]] else { return nil }
        return try? type.parse(Array(arguments.dropFirst(2)))
    }

    /// What swift-argument-parser's `exit(withError:)` does (help and version on standard output
    /// with status 0; errors, usage line included, on standard error with their status, 64 for a
    /// bad command line), but through `FreeText.shownKeepingLines`: it quotes arguments raw.
    private static func exitShowingParserError(_ error: Error) -> Never {
        let status = exitCode(for: error)
        let text = fullMessage(for: error)
        if !text.isEmpty {
            let shown = Array((FreeText.shownKeepingLines(text) + "\n").utf8)
            _ = Console.writeAll(status == .success ? STDOUT_FILENO : STDERR_FILENO, shown)
        }
        Foundation.exit(status.rawValue)
    }

    /// When standard output could not be written: after a commit a warning and the command's own
    /// status (the records stand); otherwise one line and exit 2. Nil when it was written.
    private static func outputStatus() -> Int32? {
        guard let code = Console.outputError else { return nil }
        let reason = String(cString: strerror(code))
        guard !Console.committed else {
            Console.warn("standard output could not be written (\(reason)); what the ledger recorded stands")
            return nil
        }
        Console.note("cannot write to standard output: \(reason)")
        return 2
    }
}
