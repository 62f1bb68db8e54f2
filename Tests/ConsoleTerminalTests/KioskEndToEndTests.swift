import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `creditdesk demo --kiosk` under tmux: a visitor cannot quit from a text field or from the
/// too-small screen; the chord Ctrl-X then q still leaves.
extension DemoEndToEndTests {
    /// Ctrl-C with the budget planner, a filter, the history search, the auto top-up form or the
    /// member-limit form focused used to quit the kiosk (exit 0).
    @Test(.enabled(if: Programs.hasTmux), arguments: [["b"], ["/"], ["Enter", "b"], ["Enter", "/"], ["Enter", "u"], ["Enter", "m"]])
    func kioskCtrlCInATextFieldStaysOpen(opening: [String]) throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo --kiosk")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        for key in opening { try Self.press(key, in: session) }
        try session.send("C-c")
        try session.wait(for: "stays open")
        usleep(300_000)
        #expect(try !session.capture().contains("EXITED"), "\(opening) then Ctrl-C quit the kiosk")
        try session.send("C-x")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }

    /// Below 80×24 with the filter line or the help open, q and Ctrl-C used to quit the kiosk.
    @Test(.enabled(if: Programs.hasTmux), arguments: ["/", "?"])
    func kioskTooSmallWithAFieldOrHelpOpenStaysOpen(opening: String) throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo --kiosk")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        try Self.press(opening, in: session)
        try session.resize(width: 60, height: 20)
        try session.wait(for: "needs at least")
        try session.send("q")
        try session.send("C-c")
        try session.send("q")
        usleep(400_000)
        let screen = try session.capture()
        #expect(!screen.contains("EXITED"), "\(opening), too small, then q / Ctrl-C quit the kiosk: \(screen)")
        #expect(!screen.contains("q quits"), "\(screen)")
        try session.resize(width: 80, height: 24)
        try session.wait(for: "DEMO")
        try session.send("C-x")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }

    /// While the attract tour played, Ctrl-X only took the keys back from it, so the q after it
    /// answered "stays open" and a second Ctrl-X q was needed.
    @Test(.enabled(if: Programs.hasTmux))
    func kioskCtrlXThenQLeavesWhileTheTourPlays() throws {
        let steps = try Self.tour()
        let session = try TmuxSession("CREDITDESK_TOUR_PACE=0.3 \(Programs.creditdesk) demo --attract --kiosk --idle 1")
        defer { session.kill() }
        try session.wait(for: "TOUR  " + steps[0].caption, timeout: 30)
        try session.send("C-x")
        usleep(300_000)
        try session.send("q")
        let screen = try session.wait(for: "EXITED 0", timeout: 10)
        #expect(!screen.contains("stays open"), "\(screen)")
    }
}
