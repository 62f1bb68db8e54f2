import ArgumentParser
import CreditKit
import LedgerStore

/// Options every ledger command takes (CONTRACT.md, "Where things are").
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger directory (default: $CREDITDESK_LEDGER, else $XDG_DATA_HOME/creditdesk, else ~/.local/share/creditdesk).", valueName: "dir"))
    var ledger: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Who is acting (default: $CREDITDESK_OPERATOR, else the login name).", valueName: "name"))
    var actor: String?

    @Option(name: .long, help: ArgumentHelp("Act as if it were this time (ISO 8601, UTC; default: $CREDITDESK_NOW, else the clock). Refused when earlier than the ledger's last entry.", valueName: "time"))
    var now: String?

    var directory: String { RunEnvironment.ledgerDirectory(ledger) }
    var actorName: String { RunEnvironment.actor(actor) }

    func context() throws(CLIFailure) -> CommandContext {
        CommandContext(actor: actorName, time: try RunEnvironment.now(now))
    }

    /// Opens the ledger, mapping its errors to the contract's exit statuses. With `workspaces`,
    /// only those are loaded: a command on one workspace costs that workspace and the journal's tail.
    func open(workspaces: Set<String>? = nil) throws(CLIFailure) -> FileLedger {
        let timeout = try RunEnvironment.lockTimeout()
        do {
            let ledger = try FileLedger.open(directory: directory, workspaces: workspaces)
            if let problem = ledger.checkpointProblem { Console.note(problem) }
            ledger.lockTimeout = timeout
            return ledger
        } catch {
            throw .ledger(error)
        }
    }
}

/// `--json` for commands that can answer in JSON.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object (or array) on standard output, nothing else.")
    var json = false
}
