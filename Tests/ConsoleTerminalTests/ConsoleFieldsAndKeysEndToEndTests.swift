import Foundation
import Testing

/// The console's broken items of issue 10, each on the real binary under tmux: money-safe
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
        try session.send("BSpace", "e")
        try session.wait(for: "digits only")
        #expect(try session.capture().contains("Balance 8 → 20"))
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
}
