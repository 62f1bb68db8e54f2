import ConsoleTerminal
import ConsoleUI
import Foundation
import Testing

/// Pasting into the console under tmux, on the real binary: bracketed paste (`paste-buffer -p`)
/// goes into the focused field as one piece; an unbracketed paste may open the confirmation with
/// its line break but never answers it; the mode is switched off on every way out.
@Suite(.serialized) struct PasteEndToEndTests {
    static let paste = "customer asked for a refund\nyes, see ticket"

    /// maria on acme's adjustment form with +7 typed and the reason field focused.
    static func onAdjustReason(_ ledger: ConsoleLedger) throws -> TmuxSession {
        let session = try TmuxSession(ConsoleEndToEndTests.console(ledger, as: "maria"))
        try session.wait(for: "Accounts")
        try session.send("Enter")
        try session.wait(for: "Credit history")
        try session.send("a")
        try session.wait(for: "Amount (credits")
        try session.send("-l", "+7")
        try session.send("Tab")
        try session.wait(for: "Balance 8 → 15")
        try session.tmux(["set-buffer", Self.paste])
        return session
    }

    @Test(.enabled(if: Programs.hasTmux))
    func R19_aBracketedPasteStaysInTheReasonFieldAndRecordsNothing() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try Self.onAdjustReason(ledger)
        defer { session.kill() }
        try session.tmux(["paste-buffer", "-p"])
        let screen = try session.wait(for: "customer asked for a refund yes, see ticket")
        #expect(!screen.contains("Confirm adjustment") && !screen.contains("Export what you see"), "the paste acted as keys:\n\(screen)")
        try session.send("Escape")
        try session.wait(for: "Credit history")
        #expect(try ledger.balance() == 8, "the paste recorded the adjustment")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func R23_anUnbracketedPasteNeverAnswersTheConfirmationItsLineBreakOpened() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try Self.onAdjustReason(ledger)
        defer { session.kill() }
        try session.tmux(["paste-buffer"])
        let screen = try session.wait(for: "ignored 15 keys that came in with the one that opened this")
        #expect(screen.contains("Confirm adjustment"), "\(screen)")
        #expect(!screen.contains("Adjusted:") && !screen.contains("Export what you see"), "\(screen)")
        #expect(try ledger.balance() == 8, "the pasted y confirmed the adjustment")
        // A person's y, after the dialog showed, still confirms.
        try session.send("y")
        try session.wait(for: "Adjusted: +7 credits")
        #expect(try ledger.balance() == 15)
    }

    /// The console switches bracketed paste on at start and off on quit, on a stop signal and on
    /// a crash, as the pane's output stream shows.
    @Test(.enabled(if: Programs.hasTmux), arguments: [0, SIGTERM, SIGSEGV])
    func bracketedPasteIsSwitchedOffOnEveryWayOut(signal: Int32) throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let stream = NSTemporaryDirectory() + "creditdesk-pane-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: stream) }
        let session = try TmuxSession("sleep 0.3; " + ConsoleEndToEndTests.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.tmux(["pipe-pane", "-O", "cat > \(stream)"])
        try session.wait(for: "Accounts")
        if signal == 0 {
            try session.send("q")
        } else {
            let shell = try session.tmux(["display", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
            let consolePID = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
            #expect(Foundation.kill(consolePID, signal) == 0)
        }
        try session.wait(for: "EXITED", timeout: 20)
        let deadline = Date().addingTimeInterval(5)
        var output = ""
        while Date() < deadline {
            output = (try? String(contentsOfFile: stream, encoding: .utf8)) ?? ""
            if output.contains("\u{1B}[?2004l") { break }
            usleep(20_000)
        }
        let on = try #require(output.range(of: "\u{1B}[?2004h", options: .backwards), "the console never asked for bracketed paste")
        let off = output.range(of: "\u{1B}[?2004l", options: .backwards)
        #expect(off.map { $0.lowerBound > on.lowerBound } == true, "signal \(signal) left bracketed paste on")
    }
}
