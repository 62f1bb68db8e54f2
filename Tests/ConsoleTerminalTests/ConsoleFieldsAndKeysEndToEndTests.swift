import ConsoleTerminal
import ConsoleUI
import Foundation
import Testing

/// The console's field, key and layout faults, each on the real binary under tmux: money-safe
/// number fields, Esc's order, cut text, the status area, one source for each fact, Ctrl-Z.
@Suite(.serialized) struct ConsoleFieldsAndKeysEndToEndTests {
    static func console(_ ledger: ConsoleLedger, as actor: String, extra: String = "") -> String {
        ConsoleEndToEndTests.console(ledger, as: actor, extra: extra)
    }

    /// `1 2 . 5` in the amount field: the field shows 12 and why the point was refused, and the
    /// preview is of 12 credits (8 → 20), never of 125 (8 → 133).
    @Test(.enabled(if: Programs.hasTmux))
    func R19_adjustAmountRefusesADecimalPointOnTheSpot() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        try session.send("Enter")
        try session.wait(for: "Credit history")
        try session.send("a")
        try session.wait(for: "Amount (credits")
        for key in ["1", "2", ".", "5"] { try session.send(key) }
        let screen = try session.wait(for: "whole credits only")
        #expect(screen.contains("Balance 8 → 20"))
        #expect(!screen.contains("133") && !screen.contains("125"), "the field or preview shows a number not typed:\n\(screen)")
        // Backspace erases a character and the note together: 12 becomes 1, never stays 12.
        try session.send("BSpace")
        try session.wait(for: "Balance 8 → 9")
        #expect(try !session.capture().contains("whole credits only"))
        try session.send("e")
        try session.wait(for: "digits only")
        #expect(try session.capture().contains("Balance 8 → 9"))
        try session.send("C-c")
        try session.wait(for: "EXITED 0")
        #expect(try ledger.balance() == 8)
    }

    /// A search applied with Enter: Esc clears it and stays; the next Esc leaves the workspace.
    @Test(.enabled(if: Programs.hasTmux))
    func escOnASearchedHistoryClearsTheSearchFirst() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        try session.send("Enter")
        try session.wait(for: "Credit history")
        try session.send("/")
        try session.send("-l", "welcome")
        try session.send("Enter")
        try session.wait(for: "/ welcome")
        try session.send("Escape")
        let cleared = try session.wait(for: "/ welcome", absent: true)
        #expect(cleared.contains("Credit history"), "Esc left the workspace instead of clearing the search:\n\(cleared)")
        try session.send("Escape")
        try session.wait(for: "Accounts")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }

    /// A cancelled workspace at 80x24: its status line does not fit, so it ends in an ellipsis;
    /// the date of the last grant shows whole or not at all (never `last grant Jan`).
    @Test(.enabled(if: Programs.hasTmux))
    func cutSummaryTextEndsInAnEllipsisAndNeverCutsADate() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["invoice-paid", "acme", "--invoice", "inv-1", "--as", "maria"])
        try ledger.cli(["cancel", "acme", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        try session.send("Enter")
        let screen = try session.wait(for: "Credit history")
        let status = screen.split(separator: "\n").first { $0.contains("Plan Pro") }.map(String.init) ?? ""
        #expect(status.contains("cancelled"), "no status line:\n\(screen)")
        let trimmed = status.trimmingCharacters(in: .whitespaces)
        #expect(trimmed.hasSuffix("…") || trimmed.hasSuffix("last grant Jan 10"), "cut without an ellipsis: \(trimmed)")
        #expect(!trimmed.hasSuffix("last grant Jan"), "the date is cut inside: \(trimmed)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }

    /// A message longer than the line takes the status area (the rule and the hint rows) and
    /// leaves the last history row as it was.
    @Test(.enabled(if: Programs.hasTmux))
    func aLongMessageNeverCoversTheLastHistoryRow() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        for index in 1...20 { try ledger.cli(["adjust", "acme", "+1", "--reason", "row \(index)", "--as", "maria"]) }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "Accounts")
        try session.send("Enter")
        try session.wait(for: "Credit history")
        let before = try session.capture().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try session.send("a")
        try session.wait(for: "Amount (credits")
        try session.send("-l", "5")
        try session.send("Tab")
        try session.send("-l", "goodwill after the double-billed print run of the spring catalogue")
        try session.send("Enter")
        try session.wait(for: "Confirm adjustment")
        try session.send("y")
        let screen = try session.wait(for: "Adjusted: +5 credits")
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Rows 0-20 are the workspace and its history; 21 is the last history row.
        #expect(rows.count >= 24)
        #expect(rows[21].contains("adjustment") && !rows[21].contains("Adjusted:"), "the message covers the last row:\n\(screen)")
        #expect(rows[22].contains("Adjusted: +5 credits · balance"), "the message is not in the status row:\n\(screen)")
        #expect(rows[23].contains("catalogue"), "the message's second line is not in the status area:\n\(screen)")
        #expect(before.count >= 22 && before[21].contains("adjustment"))
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }

    /// Who acted is one fact: a top-up support made for the owner and a grant read the same in
    /// the history, the entry's detail and the command line. Last use is the last charge: an
    /// adjustment or the workspace's creation is not use.
    @Test(.enabled(if: Programs.hasTmux))
    func R22_whoActedAndLastUseReadTheSameEverywhere() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["invoice-paid", "acme", "--invoice", "inv-1", "--as", "maria"])
        try ledger.cli(["topup", "acme", "topup_50", "--as", "maria"])
        let cliHistory = try ledger.cli(["history", "acme", "--as", "maria"])
        #expect(cliHistory.contains("maria for sam"), "the command line: \(cliHistory)")
        let session = try TmuxSession(Self.console(ledger, as: "maria"), width: 120, height: 40)
        defer { session.kill() }
        // The rows are drawn after the frame's title: wait for the row itself.
        let accounts = try session.wait(for: "Acme Tees")
        let acmeRow = accounts.split(separator: "\n").first { $0.contains("acme") }.map(String.init) ?? ""
        #expect(acmeRow.hasSuffix("never") || acmeRow.trimmingCharacters(in: .whitespaces).hasSuffix("never"),
                "an adjustment or a top-up counted as use: \(acmeRow)")
        try session.send("Enter")
        // The rows arrive with the page read after the screen opens: wait for them, not the title.
        let history = try session.wait(for: "invoice inv-1")
        let topupRow = history.split(separator: "\n").first { $0.contains("topup ") }.map(String.init) ?? ""
        #expect(topupRow.contains("maria for sam"), "the history's Who: \(topupRow)")
        let grantRow = history.split(separator: "\n").first { $0.contains("invoice inv-1") }.map(String.init) ?? ""
        #expect(grantRow.contains("maria") && !grantRow.contains("—"), "a grant with no one under Who: \(grantRow)")
        try session.send("Enter")
        try session.wait(for: "Sequence")
        #expect(try session.capture().contains("maria for sam"))
        try session.send("q", "q")
        try session.wait(for: "Accounts")
        try ledger.cli(["charge", "acme", "ai_graphic", "--job", "use-1", "--as", "lee"])
        try session.wait(for: "just now", timeout: 3)
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }

    /// Ctrl-Z under an interactive bash: the shell says the job stopped and takes typed
    /// commands (not the console's filter); `fg` brings the console back, drawn in full.
    @Test(.enabled(if: Programs.hasTmux && FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func ctrlZSuspendsToTheShellAndFgRedraws() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession("PS1='shell> ' /bin/bash --norc --noprofile -i")
        defer { session.kill() }
        try session.wait(for: "shell>")
        try session.send("-l", Self.console(ledger, as: "maria"))
        try session.send("Enter")
        try session.wait(for: "Accounts")
        try session.send("C-z")
        try session.wait(for: "Stopped")
        #expect(try session.tmux(["display", "-p", "#{alternate_on}"]).hasPrefix("0"), "the terminal was not given back")
        try session.send("-l", "echo typed-in-the-shell")
        try session.send("Enter")
        try session.wait(for: "\ntyped-in-the-shell")
        try session.send("-l", "fg")
        try session.send("Enter")
        let back = try session.wait(for: "Accounts")
        #expect(back.contains("acme") && back.contains("Last use"), "not redrawn in full after fg:\n\(back)")
        try session.send("q")
        try session.wait(for: "Accounts", absent: true)
        try session.send("-l", "echo quit-with-$?")
        try session.send("Enter")
        try session.wait(for: "quit-with-0")
        try session.send("-l", "exit")
        try session.send("Enter")
    }
}

extension ConsoleEndToEndTests {
    /// Coloured text on the selection bar and inside a dialog keeps the bar's or the box's
    /// background instead of falling back to the terminal's (a hole in the bar).
    @Test func colouredTextOnABarOrInADialogKeepsItsBackground() throws {
        let terminal = Terminal(options: TerminalOptions(color: .always, mouse: false))
        try terminal.startHeadless(width: 80, height: 24, theme: .standard)
        defer { terminal.stop() }
        var grid = Grid(width: 80, height: 24)
        grid.fill(x: 0, y: 3, width: 80, height: 1, style: .selection)
        grid.put("x critical", x: 40, y: 3, style: .badgeCritical)
        grid.fill(x: 10, y: 10, width: 40, height: 5, style: .dialog)
        grid.put("-6", x: 12, y: 12, style: .negative)
        terminal.draw(grid)
        let bar = terminal.cellColors(x: 2, y: 3).background
        #expect(bar != -1, "the theme's selection bar has a background")
        #expect(terminal.cellColors(x: 40, y: 3).background == bar, "the badge on the bar shows the terminal's background")
        let box = terminal.cellColors(x: 11, y: 12).background
        #expect(terminal.cellColors(x: 12, y: 12).background == box, "coloured text in a dialog leaves a hole in the box")
        #expect(terminal.cellColors(x: 12, y: 12).foreground != terminal.cellColors(x: 11, y: 12).foreground,
                "the text keeps its own colour")
    }
}
