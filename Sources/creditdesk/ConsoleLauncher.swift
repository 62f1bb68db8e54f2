import ConsoleTerminal
import ConsoleUI
import CreditKit
import Foundation
import LedgerCore

/// Starts the console: checks the terminal, loads the theme, opens the ledger (or a scratch copy
/// of the demo), runs, and gives the terminal back.
enum ConsoleLauncher {
    /// How long after its last record a demo's clock starts, so its history reads as of today.
    static let demoClockLead: Int64 = 20 * 60

    /// `creditdesk` with no subcommand: the console on the ledger, or the demo when there is none.
    static func run(ledger options: LedgerOptions, console: ConsoleOptions) throws(CLIFailure) {
        // A read-only desk writes nothing, so its refusals say nothing of writing.
        if console.readOnly { Console.access = .read }
        let term = try checkedTerminal()
        let timeout = try RunEnvironment.lockTimeout()
        _ = try RunEnvironment.mailerTimeout()
        let ledger: any Ledger
        let location = try options.location()
        do {
            // Only the workspaces recent records name are loaded; the rest come from the
            // checkpoint's summaries and load when opened, so a large ledger opens at once.
            let opened = try LedgerBackend.open(location, workspaces: [])
            try opened.loadTouchedWorkspaces()
            opened.lockTimeout = timeout
            ledger = opened
        } catch {
            guard case .notFound = error else { throw CLIFailure.ledger(error) }
            Console.note("no ledger in \(location.text): opening the demo")
            try runDemo(DemoRequest(), console: console)
            Console.note("that was the demo (a scratch copy, now deleted). Make a real ledger with: creditdesk init --catalog konfiwear --ledger DIR --as NAME")
            return
        }
        // R27: a fixed clock is a test clock's, or a support agent's within the tolerance; a
        // read-only console writes nothing, so it reads as of any `--now`, from anyone.
        let fixedNow = RunEnvironment.nowGiven(options.now)
            ? try (console.readOnly ? options.readTime(for: ledger) : options.context(for: ledger).time) : nil
        let session = Session(actor: options.actorName, ledgerLabel: ledger.state.catalog.id, demo: false,
                              glyphs: glyphs(console), mouse: !console.noMouse, readOnly: console.readOnly,
                              idPrefix: confirmationPrefix())
        try present(ledger: ledger, session: session, clock: ConsoleClock(fixed: fixedNow), console: console, term: term)
    }

    /// R26: what this run's confirmation ids start with: `console-` and the start time in
    /// microseconds with the process id, in base 36, so no other run makes the same ids.
    static func confirmationPrefix() -> String {
        let micros = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        return "console-" + String(micros, radix: 36) + "-" + String(UInt64(getpid()), radix: 36)
    }

    /// What `creditdesk demo` asks for.
    struct DemoRequest {
        var data = "konfiwear"
        var actor: String?
        var attract = false
        var idleSeconds: Double = 30
        var kiosk = false
    }

    /// The console on a fresh scratch copy of a shipped demo ledger, deleted on the way out.
    static func runDemo(_ request: DemoRequest, console: ConsoleOptions) throws(CLIFailure) {
        let term = try checkedTerminal()
        let data = try DemoData.load()
        let spec = try data.ledger(named: request.data)
        if request.attract, let actor = request.actor, actor != spec.persona {
            throw .usage("the tour is written for \(spec.persona), the demo's persona: drop --as \(actor) to play it, or drop --attract")
        }
        let tour = request.attract ? try data.tour() : nil
        let copy = try DemoCopy(shipped: data.shippedDirectory(spec.name))
        defer { copy.remove() }
        let ledger: any Ledger
        do { ledger = try LedgerBackend.open(.directory(copy.scratch)) } catch { throw CLIFailure.ledger(error) }
        let end = ledger.state.lastTime ?? Timestamp(iso8601: spec.end) ?? Timestamp(secondsSinceEpoch: 0)
        let start = Timestamp(secondsSinceEpoch: end.secondsSinceEpoch + demoClockLead)
        let session = Session(actor: request.actor ?? spec.persona, ledgerLabel: spec.catalog, demo: true,
                              glyphs: glyphs(console), mouse: !console.noMouse, kiosk: request.kiosk,
                              readOnly: console.readOnly, idPrefix: confirmationPrefix())
        let pace = RunEnvironment.variables["CREDITDESK_TOUR_PACE"].flatMap(Double.init) ?? 1
        let attract = tour.map {
            AttractMode(steps: $0.steps, keyDelay: $0.keyDelay, pace: pace, idleMilliseconds: Int64(request.idleSeconds * 1000))
        }
        try present(ledger: ledger, session: session, clock: .starting(at: start), console: console, term: term,
                    demo: copy, attract: attract)
    }

    /// Starts the terminal, runs the console until it quits, and restores the terminal.
    static func present(ledger: any Ledger, session: Session, clock: ConsoleClock, console: ConsoleOptions, term: String,
                        demo: DemoCopy? = nil, attract: AttractMode? = nil) throws(CLIFailure) {
        let theme = try ConsoleThemes.load(console.theme)
        let variables = RunEnvironment.variables
        var colorMode = console.color
        if colorMode == .auto, let noColor = variables["NO_COLOR"], !noColor.isEmpty { colorMode = .never }
        let escapeDelay = variables["ESCDELAY"].flatMap { Int32($0) } ?? 25
        let terminal = Terminal(options: TerminalOptions(color: colorMode, mouse: !console.noMouse, escapeDelay: escapeDelay))
        do {
            try terminal.start(term: term, theme: theme)
        } catch {
            throw CLIFailure(status: 1, message: error.description)
        }
        let host = ConsoleRunLoop(ledger: ledger, session: session, clock: clock, demo: demo)
        let (initial, effects) = host.initial(session: session, size: terminal.size, warnings: theme.warnings)
        let loop = ConsoleLoop(state: initial, effects: effects, backend: terminal, clock: SystemMonotonicClock(), host: host,
                               attract: attract, measuringFrames: ConsoleRunLoop.frameStatsPath != nil)
        loop.run()
        ConsoleRunLoop.writeFrameStats(loop.timings, ledger: ledger)
        terminal.stop()
    }

    /// The terminal's name, refused with a clear message when curses cannot draw on it.
    static func checkedTerminal() throws(CLIFailure) -> String {
        let term = RunEnvironment.variables["TERM"] ?? ""
        do {
            try Terminal.check(term: term)
        } catch {
            throw CLIFailure(status: 1, message: error.description)
        }
        return term
    }

    static func glyphs(_ console: ConsoleOptions) -> Glyphs { Glyphs(ascii: console.ascii || !Console.unicode) }
}
