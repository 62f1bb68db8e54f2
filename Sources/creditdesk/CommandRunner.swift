import CreditKit
import Foundation
import LedgerCore

/// Runs one ledger command end to end: open, submit under the lock, report, deliver alerts.
enum CommandRunner {
    static func submit(_ command: Command, ledger options: LedgerOptions, output: OutputOptions) throws(CLIFailure) {
        try submit(command, ledger: options, json: output.json)
    }

    /// `submit(_:ledger:output:)` with the ledger's options as any reading gave them and `--json` as a flag.
    static func submit(_ command: Command, ledger options: some LedgerChoosing, json: Bool) throws(CLIFailure) {
        let ledger = try options.open(workspaces: Set(command.workspace.map { [$0] } ?? []))
        let context = try options.context(for: ledger)
        let outcome: SubmitOutcome
        do {
            outcome = try ledger.submit(command, context: context)
        } catch {
            throw .ledger(error)
        }
        Console.committed = true
        CommitGuard.holdInterrupts()
        Console.warn(ledger.takeWarnings())
        for note in LedgerBackend.recoveryNotes(ledger) { Console.note(note) }
        switch outcome {
        case .rejected(let rejection):
            throw .refused(rejection)
        case .nothingToRecord(let why):
            if json {
                Console.print(JSONValue.object([("result", .string("nothing_to_record")), ("message", .string(why))]).text)
            } else {
                Console.print(why)
            }
        case let .alreadyRecorded(why, original):
            if json {
                var object = JSONObjectBuilder()
                object.add("result", "already_recorded")
                object.add("message", why.message)
                if let original { object.add("original", ContractJSON.entry(original)) }
                Console.print(object.value.text)
            } else {
                Console.print(why.message)
            }
        case let .recorded(entries, alerts):
            report(entries, alerts: alerts.compactMap { LedgerBackend.mailPlace(of: $0, in: ledger)?.path }, state: ledger.state, json: json)
            Console.warn(Sendmail.deliver(alerts, from: ledger))
        }
    }

    /// Prints what a commit recorded: the entries, the balance it left, and where its alert emails are.
    private static func report(_ entries: [Entry], alerts: [String], state: LedgerState, json: Bool) {
        let workspace = entries.last?.workspace.flatMap { state.workspaces[$0] }
        if json {
            var object = JSONObjectBuilder()
            object.add("result", "recorded")
            object.add("entries", .array(entries.map(ContractJSON.entry)))
            if let workspace {
                object.add("workspace", workspace.id)
                object.add("balance", workspace.balance)
                object.add("badge", state.badge(for: workspace.available).rawValue)
                if workspace.held > 0 {
                    object.add("held", workspace.held)
                    object.add("available", workspace.available)
                }
            }
            object.add("alerts", .array(alerts.map { .string($0) }))
            Console.print(object.value.text)
            return
        }
        for entry in entries {
            // A hold or its release moves no credits: what it reserves is in its own words.
            if entry.kind.movesCredits, entry.held == nil, entry.rollover == nil {
                let credits = CountText.signedCredits(entry.credits)
                Console.print("#\(entry.seq) \(entry.kind.rawValue) \(credits) · \(entry.workspace ?? "") · \(FreeText.shown(entry.what(catalog: state.catalog)))")
            } else {
                Console.print("#\(entry.seq) \(entry.kind.rawValue) · \(entry.workspace.map { $0 + " · " } ?? "")\(FreeText.shown(entry.what(catalog: state.catalog)))")
            }
        }
        if let workspace, entries.contains(where: { $0.kind.movesCredits }) {
            let badge = state.badge(for: workspace.available)
            let held = workspace.held > 0 ? " · \(AmountFormat.grouped(workspace.held)) held, \(AmountFormat.grouped(workspace.available)) available" : ""
            Console.print("balance \(CountText.credits(workspace.balance))\(held) (\(badge.glyph(ascii: !Console.unicode)) \(badge.word))")
        }
        for alert in alerts { Console.print("alert email written: \(alert)") }
    }
}

/// Standard output and error, with the one-line error format of the contract. Written with
/// write(2), never Foundation's FileHandle (which ends the process on EPIPE or ENOSPC): a failed
/// write to standard output is remembered (`outputError`) and the rest of the output dropped.
enum Console {
    /// The errno of the first failed write to standard output, if any.
    nonisolated(unsafe) private(set) static var outputError: Int32?
    /// Set once this run's command is done in the ledger (recorded durably, or found already
    /// recorded): from then on nothing may turn it into a failure, so a
    /// failed standard output is a warning, not exit 2.
    nonisolated(unsafe) static var committed = false
    /// What this run's command does to the ledger, which decides how a refusal's line ends
    /// (`CLIFailure.line(for:)`): set once the command line is read.
    nonisolated(unsafe) static var access = LedgerAccess.write

    /// Prints `line` and a newline; nothing that steers a terminal leaves raw (`FreeText.shownKeepingLines`).
    static func print(_ line: String) {
        write(line + "\n")
    }

    /// Writes `text` as it is, but for characters that steer a terminal (shown as U+FFFD).
    static func write(_ text: String) {
        guard outputError == nil else { return }
        outputError = writeAll(STDOUT_FILENO, Array(FreeText.shownKeepingLines(text).utf8))
    }

    /// Writes JSON text and a newline. Its strings were escaped with `escapingSteering`, so
    /// nothing in it can steer a terminal and it is written as it is, without another pass.
    static func writeLine(json: [UInt8]) {
        guard outputError == nil else { return }
        outputError = writeAll(STDOUT_FILENO, json) ?? writeAll(STDOUT_FILENO, [UInt8(ascii: "\n")])
    }

    /// One line on standard error: any line break or steering character in it shows as U+FFFD.
    static func note(_ line: String) {
        _ = writeAll(STDERR_FILENO, Array(("creditdesk: " + FreeText.shown(line) + "\n").utf8))
    }

    /// A problem that leaves what was done standing: `creditdesk: warning: ...` on standard error.
    static func warn(_ line: String) {
        note("warning: " + line)
    }

    /// Tells each problem a ledger met after its commits were durable.
    static func warn(_ warnings: [AfterCommitWarning]) {
        for warning in warnings { warn(warning.description) }
    }

    /// Tells each of `lines` as a warning (mail delivery's problems, say).
    static func warn(_ lines: [String]) {
        for line in lines { warn(line) }
    }

    /// Writes every byte to `descriptor`, retrying short writes; returns the errno of a failure.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { raw in Foundation.write(descriptor, raw.baseAddress! + done, bytes.count - done) }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { return wrote < 0 ? errno : EIO }
            done += wrote
        }
        return nil
    }

    /// Whether the locale can show Unicode glyphs.
    static var unicode: Bool {
        let variables = RunEnvironment.variables
        let locale = variables["LC_ALL"] ?? variables["LC_CTYPE"] ?? variables["LANG"] ?? ""
        return locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
    }
}

/// Once a command's records are durable, an interrupt (Ctrl-C, `kill`, a closed terminal) may not
/// turn it into a failure (CONTRACT.md: a command whose records are durable exits 0). From then
/// on SIGINT, SIGTERM, SIGHUP and SIGQUIT are noted, not obeyed: what is left (printing the result,
/// handing alert emails to `CREDITDESK_SENDMAIL`) finishes or fails as a warning, and the
/// command exits as it would have. The mailer runs in a process group of its own, which the
/// terminal's Ctrl-C does not reach: an interrupt noted while it runs stops it (`MailerProcess`).
enum CommitGuard {
    /// The signal last noted after the commit, or 0.
    nonisolated(unsafe) static var noted: Int32 = 0

    /// Catches the interrupting signals with a handler that only notes them.
    static func holdInterrupts() {
        var caught = sigset_t()
        sigemptyset(&caught)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(number) { CommitGuard.noted = $0 }
            sigaddset(&caught, number)
        }
        // A parent that started this process with them blocked would keep the note from coming.
        sigprocmask(SIG_UNBLOCK, &caught, nil)
    }

    /// For a command that commits in batches (`import`, `generate`): the first interrupt is
    /// noted, said at once on standard error, and stops the run once the batch being written is
    /// durable (`interruptedBetweenBatches`); a second one ends the process at once, as the
    /// default would (a batch cut short is not committed, and the next open cuts its torn tail).
    static func holdInterruptsBetweenBatches() {
        _ = stoppingNotice.count   // initialised here, never first inside the handler
        var caught = sigset_t()
        sigemptyset(&caught)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(number) { number in
                guard CommitGuard.noted == 0 else {
                    signal(number, SIG_DFL)
                    raise(number)
                    return
                }
                CommitGuard.noted = number
                CommitGuard.stoppingNotice.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
            }
            sigaddset(&caught, number)
        }
        sigprocmask(SIG_UNBLOCK, &caught, nil)
    }

    /// What a batched command says the moment it is interrupted (written from the signal handler).
    static let stoppingNotice = Array("creditdesk: interrupted: stopping once the batch being written is durable (interrupt again to stop at once)\n".utf8)

    /// The failure that ends a batched command interrupted between batches (exit 128 + the
    /// signal's number, as a shell reports it), saying what stands; nil when no interrupt came.
    static func interruptedBetweenBatches(written: String) -> CLIFailure? {
        guard noted != 0 else { return nil }
        return CLIFailure(status: 128 + noted, message: "interrupted (signal \(noted)) between batches: \(written)")
    }

    /// A warning line for an interrupt noted after the commit, if one came.
    static var warning: String? {
        guard noted != 0 else { return nil }
        return "interrupted (signal \(noted)) after the records were written: they stand, and the command finished"
    }
}