import ConsoleTerminal
import ConsoleUI
import Foundation
import Testing

/// The console for real: curses drawing read back headless, and the built binary under tmux.
/// curses is process-global, so every test here runs one after another.
@Suite(.serialized) struct ConsoleEndToEndTests {
    /// The console command line for a ledger and a person, at the ledger's fixed time.
    static func console(_ ledger: ConsoleLedger, as actor: String, extra: String = "") -> String {
        "\(Programs.creditdesk) --ledger \(ledger.directory) --as \(actor) --now \(ConsoleLedger.now) \(extra)"
    }

    @Test func headlessDrawingPutsTextAndColourAndRedrawsOnlyChanges() throws {
        let terminal = Terminal(options: TerminalOptions(color: .always, mouse: false))
        try terminal.startHeadless(width: 80, height: 24, theme: .standard)
        defer { terminal.stop() }
        var grid = Grid(width: 80, height: 24)
        grid.put("✖ critical", x: 2, y: 3, style: .badgeCritical)
        grid.put("漢字 wide", x: 2, y: 4, style: .normal)
        terminal.draw(grid)
        #expect(terminal.cellText(x: 2, y: 3) == "✖")
        #expect(terminal.cellText(x: 4, y: 3) == "c")
        #expect(terminal.cellText(x: 2, y: 4) == "漢")
        #expect(terminal.cellText(x: 6, y: 4) == " ")
        #expect(terminal.cellText(x: 7, y: 4) == "w")
        #expect(terminal.colored)
        #expect(terminal.cellPair(x: 2, y: 3) == terminal.pair(of: .badgeCritical))
        #expect(terminal.pair(of: .badgeCritical) != terminal.pair(of: .normal))
        grid.put("x", x: 40, y: 10, style: .normal)
        terminal.draw(grid)
        #expect(terminal.lastFrameCellsDrawn == 1)
    }

    @Test func noColourMeansAttributesOnlyNeverAnUninitialisedPair() throws {
        let terminal = Terminal(options: TerminalOptions(color: .never, mouse: false))
        try terminal.startHeadless(width: 80, height: 24, theme: .standard)
        defer { terminal.stop() }
        #expect(!terminal.colored)
        for token in StyleToken.allCases { #expect(terminal.pair(of: token) == 0) }
    }

    @Test(.enabled(if: Programs.hasTmux))
    func ownerBacksOutOfOnePurchaseAndBuysAnother() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        // Colour is asked for explicitly, so a NO_COLOR in the test's environment cannot hide it.
        let session = try TmuxSession(Self.console(ledger, as: "sam", extra: "--color always"))
        defer { session.kill() }
        try session.wait(for: "CRITICAL")
        // The badge's colour escape: the default theme draws critical in colour 196.
        let colored = try session.capture(escapes: true)
        let criticalLine = colored.split(separator: "\n").first { $0.contains("CRITICAL") } ?? ""
        #expect(criticalLine.contains(";196m") || criticalLine.contains("[196m"), "no critical colour on the badge line: \(criticalLine.debugDescription)")
        try session.send("t")
        try session.wait(for: "best value")
        try session.send("j", "Enter")
        try session.wait(for: "Confirm purchase")
        try session.wait(for: "Balance 8 → 1,008")
        try session.send("n")
        try session.wait(for: "Confirm purchase", absent: true)
        #expect(try ledger.balance() == 8)
        try session.send("Enter")
        try session.wait(for: "Confirm purchase")
        try session.send("y")
        try session.wait(for: "Bought topup_100 for $100.00: +1,000 credits")
        try session.wait(for: "COMFORTABLE")
        // ...and the badge turns green (colour 40) when the level changes.
        let recolored = try session.capture(escapes: true)
        let comfortableLine = recolored.split(separator: "\n").first { $0.contains("COMFORTABLE") } ?? ""
        #expect(comfortableLine.contains(";40m") || comfortableLine.contains("[40m"), "no comfortable colour on the badge line: \(comfortableLine.debugDescription)")
        #expect(try ledger.balance() == 1_008)
        try session.send("q")
        try session.wait(for: "EXITED 0")
        #expect(try session.tmux(["display", "-p", "#{alternate_on}"]).hasPrefix("0"))
    }

    @Test(.enabled(if: Programs.hasTmux))
    func memberHitsTheNoticeAndIsRefusedTheBuy() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "lee"))
        defer { session.kill() }
        try session.wait(for: "Credit history")
        try session.send("r")
        try session.wait(for: "Clone a design")
        try session.send("G", "Enter")
        try session.wait(for: "you are 92 credits short")
        try session.wait(for: "Only the owner, sam, can buy credits")
        try session.send("Escape", "Escape", "t")
        try session.wait(for: "lee cannot buy a top-up pack")
        #expect(try ledger.balance() == 8)
        try session.send("C-c")
        try session.wait(for: "EXITED 0")
    }

    /// R8: after buying from the insufficient notice the owner is told the purchase landed and
    /// that the action they wanted has not run yet.
    @Test(.enabled(if: Programs.hasTmux))
    func ownerBuysFromTheInsufficientNotice() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "sam"))
        defer { session.kill() }
        try session.wait(for: "Credit history")
        try session.send("r")
        try session.wait(for: "Clone a design")
        try session.send("G", "Enter")
        try session.wait(for: "Smallest pack that covers it: topup_50")
        try session.send("b")
        try session.wait(for: "Top up Acme Tees")
        try session.send("Enter")
        try session.wait(for: "topup_50 for $50.00")
        try session.send("y")
        try session.wait(for: "Bought topup_50")
        try session.wait(for: "has not run: r runs it")
        #expect(try ledger.balance() == 508)
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func supportAdjustsFiltersAndSeesAnotherProcessLive() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        try session.send("/", "ac")
        try session.wait(for: "(1/1)")
        try session.send("Enter", "Enter")
        try session.wait(for: "Credit history")
        try session.send("a")
        try session.wait(for: "Amount (credits")
        try session.send("25", "Tab", "goodwill gesture", "Enter")
        try session.wait(for: "Confirm adjustment")
        try session.send("y")
        try session.wait(for: "Adjusted: +25 credits")
        try session.wait(for: "goodwill gesture")
        #expect(try ledger.balance() == 33)
        try ledger.cli(["charge", "acme", "ai_graphic", "--job", "live-1", "--as", "lee"])
        let live = try session.wait(for: "(2/3)", timeout: 3)
        #expect(live.contains("charge") && live.contains("lee"))
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func resizeBelowTheMinimumAndBackThenQuit() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        try session.resize(width: 60, height: 15)
        try session.wait(for: "needs at least 80×24")
        try session.resize(width: 1, height: 1)
        try session.resize(width: 60, height: 20)
        try session.wait(for: "This window is 60×20")
        try session.resize(width: 80, height: 24)
        try session.wait(for: "Accounts")
        try session.resize(width: 60, height: 15)
        try session.wait(for: "needs at least")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }

    /// A crash still leaves curses: a SIGSEGV, the SIGILL a Swift trap raises on x86, an abort,
    /// each sent from outside; the handler restores the terminal, then the signal ends the
    /// process as usual. SIGTERM leaves by the normal path.
    @Test(.enabled(if: Programs.hasTmux), arguments: [SIGSEGV, SIGILL, SIGABRT, SIGTERM])
    func aCrashOrAKillRestoresTheTerminal(signal: Int32) throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        #expect(try session.tmux(["display", "-p", "#{alternate_on}"]).hasPrefix("1"), "the console draws on the alternate screen")
        let shell = try session.tmux(["display", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let consolePID = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        #expect(Foundation.kill(consolePID, signal) == 0)
        // The terminal comes back first; Swift's crash reporter may still be writing after it.
        let deadline = Date().addingTimeInterval(20)
        var restored = false
        while !restored && Date() < deadline {
            restored = try session.tmux(["display", "-p", "#{alternate_on}"]).hasPrefix("0")
            if !restored { usleep(20_000) }
        }
        #expect(restored, "signal \(signal) left the terminal in curses")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func dumbTerminalGetsAClearMessage() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession("TERM=dumb " + Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "cannot draw on TERM=dumb")
        try session.wait(for: "EXITED 1")
    }
}
