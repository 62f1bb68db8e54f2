import Foundation
import Testing

/// The workspace chart in the real binary: `c` draws the balance and the spend per member from
/// the journal, a charge from another process moves it, and Esc returns to the history.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func chartShowsTheBalanceAndSpendAndFollowsAnotherDesk() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "Credit history")
        try session.send("c")
        try session.wait(for: "Spend per week by member")
        #expect(try session.capture().contains("┄ low"), "the low threshold is drawn as a line")
        #expect(try session.capture().contains("No charges in these weeks."))
        try ledger.cli(["adjust", "acme", "600", "--reason", "annual prepay", "--as", "maria"])
        try ledger.cli(["charge", "acme", "ai_graphic", "--job", "chart-desk-2", "--as", "sam"])
        try session.wait(for: "█ 6 cr", timeout: 5)
        #expect(try session.capture().contains("608"), "the axis tops at the highest balance of the window")
        try session.send("Escape")
        try session.wait(for: "Credit history")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
