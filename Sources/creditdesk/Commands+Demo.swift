import ArgumentParser
import Foundation
import LedgerCore

/// `creditdesk demo`: the console on a scratch copy of the shipped demo ledger.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The console on a fresh scratch copy of the demo ledger (the shipped files are never written).",
        discussion: """
        The demo is a seeded customer base of apparel shops, print studios, a sports club in \
        tournament season and a school in its back-to-school rush, built from Data/demo/demo.json. \
        You are its persona (jess, who runs four of them) unless --as names another: maria is a \
        support agent. In the console, R puts the demo back to its shipped state.

        --attract plays a scripted tour (Data/demo/tour.json) after --idle seconds without a key; \
        any key hands control back, and idle again (for --idle seconds, at least 10) starts the tour \
        over. --kiosk keeps visitors \
        in: q and Ctrl-C do not quit; Ctrl-X then q does (and SIGTERM). \
        CREDITDESK_TOUR_PACE scales the tour's waits (0.5 plays twice as fast).

        --build DIR rebuilds every demo ledger from demo.json into DIR/NAME (maintainers, in the \
        source tree: `CREDITDESK_HOME=. swift run creditdesk demo --build Data/demo`); the same spec \
        always gives the same bytes.
        """)

    @Option(help: ArgumentHelp("Which demo ledger: konfiwear or sofia (expiring promotional credits).", valueName: "name"))
    var data = "konfiwear"
    /// `--as` names who you are in the demo (default: its persona); the ledger and clock are the demo's own.
    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Play the tour by itself after --idle seconds without a key.") var attract = false
    @Option(help: ArgumentHelp("Seconds without a key before the tour plays.", valueName: "seconds")) var idle: Double = 30
    @Flag(help: "Keep visitors in: only Ctrl-X then q quits.") var kiosk = false
    @Option(help: ArgumentHelp("Rebuild the demo ledgers from Data/demo/demo.json into this folder, and exit.", valueName: "dir"))
    var build: String?
    @OptionGroup var console: ConsoleOptions

    func validate() throws {
        guard ledger.ledger == nil, ledger.now == nil else {
            throw ValidationError("the demo runs on its own scratch ledger and clock: drop --ledger and --now (run `creditdesk --ledger DIR` for a real ledger)")
        }
        guard idle >= 0 && idle <= 86_400 else { throw ValidationError("--idle must be between 0 and 86400 seconds") }
    }

    func run() throws {
        if let build { return try rebuild(into: build) }
        let request = ConsoleLauncher.DemoRequest(data: data, actor: ledger.actor, attract: attract, idleSeconds: idle, kiosk: kiosk)
        try ConsoleLauncher.runDemo(request, console: console)
    }

    /// Builds each demo ledger in a fresh folder beside its destination, then copies the built
    /// ledger in place of the old one (the ledger copies its own files).
    private func rebuild(into folder: String) throws {
        let data = try DemoData.load()
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for spec in data.spec.ledgers {
            let destination = folder + "/" + spec.name
            let staging = destination + ".building"
            try? manager.removeItem(atPath: staging)
            try DemoData.build(spec, into: staging)
            try? manager.removeItem(atPath: destination)
            do { try LedgerBackend.copyDirectory(staging, to: destination) } catch { throw CLIFailure.ledger(error) }
            try manager.removeItem(atPath: staging)
            // This ledger is built and in place: a failed standard output is a warning from here.
            Console.committed = true
            Console.print("built \(destination)")
        }
    }
}
