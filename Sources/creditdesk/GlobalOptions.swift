import ArgumentParser
import CreditKit
import LedgerCore

/// Options every ledger command takes (CONTRACT.md, "Where things are").
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger: a directory, or a postgresql:// URL (default: $CREDITDESK_LEDGER, else $XDG_DATA_HOME/creditdesk, else ~/.local/share/creditdesk).", valueName: "dir-or-url"))
    var ledger: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Who is acting (default: $CREDITDESK_OPERATOR, else the login name).", valueName: "name"))
    var actor: String?

    @Option(name: .long, help: ArgumentHelp("Act as if it were this time (ISO 8601, UTC; default: $CREDITDESK_NOW, else the clock). A test clock: `init --now` makes a test-clock ledger; on a real-clock ledger a write takes it only from a support agent, within 5 minutes of the clock (R27). A write is refused when it is earlier than the ledger's last entry; a read shows things as of it and never refuses.", valueName: "time"))
    var now: String?
}

extension LedgerOptions {
    static let emptyLedger = "--ledger needs a directory or a postgresql:// URL"
    static let emptyActor = "--as needs a name"
    static let emptyNow = "--now needs a time (ISO 8601, UTC), such as 2026-11-22T09:30:00Z"

    /// Refuses `--ledger=`, `--as=` or `--now=` with nothing after the `=` in `arguments` with the
    /// same one line as `checkGiven` (the parser would answer with a usage block).
    static func checkAttached(_ arguments: [String]) throws(CLIFailure) {
        for argument in arguments {
            switch argument {
            case "--ledger=": throw .usage(emptyLedger)
            case "--as=": throw .usage(emptyActor)
            case "--now=": throw .usage(emptyNow)
            default: continue
            }
        }
    }
}

/// `--ledger`, `--as` and `--now` as a command line gave them, whichever reader read it: the
/// parser (`LedgerOptions`) or `FastCommandLine` (`LedgerChoice`). Everything a command asks of
/// them (where the ledger is, who acts and when, opening it) is defined once, here.
protocol LedgerChoosing {
    var ledger: String? { get }
    var actor: String? { get }
    var now: String? { get }
}

extension LedgerOptions: LedgerChoosing {}

/// The ledger options as plain values, for the command lines `FastCommandLine` reads: building
/// the parser's option types (their property wrappers) costs a new process most of a millisecond.
struct LedgerChoice: LedgerChoosing, Equatable {
    var ledger: String?
    var actor: String?
    var now: String?
}

extension LedgerChoosing {
    /// An option given but empty (`--as "$OP"` with OP unset) is a bad command line (64), never
    /// the default it would fall back to: the login name, the system clock or the default ledger.
    func checkGiven() throws(CLIFailure) {
        if ledger?.isEmpty == true { throw .usage(LedgerOptions.emptyLedger) }
        if actor?.isEmpty == true { throw .usage(LedgerOptions.emptyActor) }
        if now?.isEmpty == true { throw .usage(LedgerOptions.emptyNow) }
    }

    /// The ledger directory or URL as given, or its default (CONTRACT, "Where things are").
    var ledgerText: String { RunEnvironment.ledgerDirectory(ledger) }
    /// Where the ledger is; a URL of a backend this build lacks is a bad command line (64).
    func location() throws(CLIFailure) -> LedgerLocation { try LedgerBackend.location(ledgerText) }
    var actorName: String {
        if actor?.isEmpty == false || RunEnvironment.variables["CREDITDESK_OPERATOR"]?.isEmpty == false { return RunEnvironment.actor(actor) }
        return LedgerBackend.defaultOperator(ledgerText) ?? RunEnvironment.actor(actor)
    }

    /// Who acts and when, before any ledger exists (`init`, `generate` of a new ledger).
    func context() throws(CLIFailure) -> CommandContext {
        CommandContext(actor: actorName, time: try RunEnvironment.now(now))
    }

    /// Who acts and when on `ledger` (R27): a given time is checked against the ledger's clock and
    /// the actor's role; the real clock may be dated at the last record when it trails it a little.
    /// On PostgreSQL `--as` someone else is the authenticated role acting for them (`by`, R18).
    func context(for ledger: any Ledger) throws(CLIFailure) -> CommandContext {
        var context = try clockedContext(for: ledger)
        context.by = LedgerBackend.actingRole(for: context.actor, on: ledger)
        return context
    }

    /// `context(for:)` before `by`: the actor and the time.
    private func clockedContext(for ledger: any Ledger) throws(CLIFailure) -> CommandContext {
        let actor = actorName
        guard RunEnvironment.nowGiven(now) else {
            return CommandContext(actor: actor, time: RunEnvironment.realNow, trailingSecondsMax: ClockPolicy.toleranceSeconds)
        }
        let given = try RunEnvironment.now(now)
        if let refusal = ClockPolicy.checkOverride(given, real: RunEnvironment.realNow, clock: ledger.clock, actor: actor,
                                                   isSupport: ledger.state.operators[actor] == .support) {
            throw .refused(refusal)
        }
        return CommandContext(actor: actor, time: given)
    }

    /// The time a read shows things at: `--now` as given (a read acts on nothing, so neither the
    /// ledger's clock nor clock order refuses it, R27), else the real clock.
    func readTime(for ledger: any Ledger) throws(CLIFailure) -> Timestamp { try RunEnvironment.now(now) }

    /// Opens the ledger, mapping its errors to the contract's exit statuses. With `workspaces`,
    /// only those are loaded: a command on one workspace costs that workspace and the journal's tail.
    func open(workspaces: Set<String>? = nil) throws(CLIFailure) -> any Ledger {
        let timeout = try RunEnvironment.lockTimeout()
        _ = try RunEnvironment.mailerTimeout()
        let location = try location()
        let ledger: any Ledger
        do {
            ledger = try LedgerBackend.open(location, workspaces: workspaces)
            for note in LedgerBackend.openingNotes(ledger) { Console.note(note) }
            ledger.lockTimeout = timeout
        } catch {
            throw .ledger(error)
        }
        try LedgerBackend.checkOperator(actorName, on: ledger)
        return ledger
    }
}

/// `--json` for commands that can answer in JSON.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object (or array) on standard output, nothing else.")
    var json = false
}
