import ConsoleTerminal
import ConsoleUI
import CreditKit
import Foundation
import LedgerStore

/// Starts the console for `creditdesk` with no subcommand: checks the terminal, loads the
/// theme, opens the ledger (or makes a scratch demo one), runs, and gives the terminal back.
enum ConsoleLauncher {
    /// The demo ledger's size and history, as `creditdesk generate` would make it.
    static let demoWorkspaces = 60
    static let demoEntries: Int64 = 6000
    static let demoAgent = "maria"

    static func run(ledger options: LedgerOptions, console: ConsoleOptions) throws(CLIFailure) {
        let variables = RunEnvironment.variables
        let term = variables["TERM"] ?? ""
        do {
            try Terminal.check(term: term)
        } catch {
            throw CLIFailure(status: 1, message: error.description)
        }
        let theme = try ConsoleThemes.load(console.theme)
        let fixedNow: Timestamp? = (options.now ?? variables["CREDITDESK_NOW"]).flatMap { $0.isEmpty ? nil : $0 } != nil
            ? try RunEnvironment.now(options.now) : nil
        let now = try RunEnvironment.now(options.now)
        var demoDirectory: String?
        let ledger: FileLedger
        do {
            // Only the workspaces recent records name are loaded; the rest come from the
            // checkpoint's summaries and load when opened, so a large ledger opens at once.
            let opened = try FileLedger.open(directory: options.directory, workspaces: [])
            try opened.loadTouchedWorkspaces()
            opened.lockTimeout = RunEnvironment.lockTimeout
            ledger = opened
        } catch {
            guard case .notFound = error else { throw CLIFailure.ledger(error) }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("creditdesk-demo-\(getpid())").path
            Console.note("no ledger in \(options.directory): opening a scratch demo ledger")
            ledger = try makeDemo(in: directory, now: now)
            demoDirectory = directory
        }
        defer {
            if let demoDirectory {
                try? FileManager.default.removeItem(atPath: demoDirectory)
                Console.note("that was a scratch demo ledger (now deleted). Make a real one with: creditdesk init --catalog konfiwear --ledger DIR --as NAME")
            }
        }
        let actor = demoDirectory == nil ? options.actorName : demoAgent
        var colorMode = console.color
        if colorMode == .auto, let noColor = variables["NO_COLOR"], !noColor.isEmpty { colorMode = .never }
        let escapeDelay = variables["ESCDELAY"].flatMap { Int32($0) } ?? 25
        let terminal = Terminal(options: TerminalOptions(color: colorMode, mouse: !console.noMouse, escapeDelay: escapeDelay))
        let session = Session(actor: actor, ledgerLabel: ledger.state.catalog.id, demo: demoDirectory != nil,
                              glyphs: Glyphs(ascii: console.ascii || !Console.unicode), mouse: !console.noMouse)
        do {
            try terminal.start(term: term, theme: theme)
        } catch {
            throw CLIFailure(status: 1, message: error.description)
        }
        let loop = ConsoleRunLoop(ledger: ledger, terminal: terminal, session: session, fixedNow: fixedNow, warnings: theme.warnings)
        loop.run()
        terminal.stop()
    }

    /// Makes the demo ledger: konfiwear's catalog, 60 workspaces and 6,000 records of seeded
    /// history over 180 days ending now, written through the ledger's own append path.
    static func makeDemo(in directory: String, now: Timestamp) throws(CLIFailure) -> FileLedger {
        let path = try RunEnvironment.catalogPath("konfiwear")
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(status: 2, message: "cannot read catalog \(path)")
        }
        let spanDays: Int64 = 180
        do {
            let ledger = try FileLedger.create(directory: directory, catalogBytes: Array(bytes), catalogSource: path,
                                               actor: demoAgent, time: now.adding(days: -spanDays))
            var generator = HistoryGenerator(workspaces: demoWorkspaces, entries: demoEntries, seed: 7, end: now,
                                             creator: demoAgent, spanDays: spanDays)
            while ledger.state.lastSeq < demoEntries {
                let outcomes = try ledger.submitBatch(limit: 20_000) { state in generator.next(in: state) }
                if outcomes.isEmpty { break }
            }
            return ledger
        } catch {
            throw CLIFailure.ledger(error)
        }
    }
}
