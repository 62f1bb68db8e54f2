import Foundation
import Testing

/// `creditdesk demo` under tmux: the tour's steps by hand and by itself, the reset, the kiosk,
/// and the demo opened when there is no ledger. The shipped files are never written.
@Suite(.serialized) struct DemoEndToEndTests {
    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/demo").path

    /// One step of `Data/demo/tour.json`.
    struct Step { var caption: String; var keys: [String]; var expect: String? }

    /// The tour as the console plays it.
    static func tour() throws -> [Step] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dataFolder + "/tour.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let steps = object?["steps"] as? [[String: Any]] ?? []
        return steps.map { Step(caption: $0["caption"] as? String ?? "", keys: $0["keys"] as? [String] ?? [], expect: $0["expect"] as? String) }
    }

    /// The shipped journals' bytes, to show a demo run leaves them as they were.
    static func shippedJournals() -> [Data?] {
        ["konfiwear", "sofia"].map { FileManager.default.contents(atPath: "\(dataFolder)/\($0)/journal.jsonl") }
    }

    /// Presses a tour key the way a person would: tmux key names for the named ones, the rest literally.
    static func press(_ name: String, in session: TmuxSession) throws {
        let named = ["Enter": "Enter", "Esc": "Escape", "Tab": "Tab", "BTab": "BTab", "Backspace": "BSpace", "Up": "Up",
                     "Down": "Down", "Left": "Left", "Right": "Right", "PgUp": "PPage", "PgDn": "NPage", "Home": "Home", "End": "End"]
        if let key = named[name] { try session.send(key) } else { try session.tmux(["send-keys", "-l", name]) }
        usleep(60_000)
    }

    /// At the smallest supported size and at a stand's large screen.
    @Test(.enabled(if: Programs.hasTmux), arguments: [(80, 24), (250, 70)])
    func everyTourStepPressedByHandShowsWhatItPromises(width: Int, height: Int) throws {
        let before = Self.shippedJournals()
        let session = try TmuxSession("\(Programs.creditdesk) demo", width: width, height: height)
        defer { session.kill() }
        try session.wait(for: "DEMO")
        let steps = try Self.tour()
        #expect(steps.count >= 10)
        for (number, step) in steps.enumerated() {
            for key in step.keys { try Self.press(key, in: session) }
            if let expect = step.expect {
                let screen = try session.wait(for: expect)
                #expect(screen.contains(expect), "step \(number + 1) (\(step.caption)) did not show \"\(expect)\"")
            }
        }
        try session.send("q")
        try session.wait(for: "EXITED 0")
        #expect(Self.shippedJournals() == before, "the demo wrote to the shipped files")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func attractModePlaysTheTourLoopsAndAKeyHandsControlBack() throws {
        let steps = try Self.tour()
        let session = try TmuxSession("CREDITDESK_TOUR_PACE=0.15 \(Programs.creditdesk) demo --attract --idle 1")
        defer { session.kill() }
        try session.wait(for: "TOUR  " + steps[0].caption, timeout: 15)
        try session.wait(for: "TOUR  " + steps[11].caption, timeout: 60)
        try session.wait(for: "COMFORTABLE", timeout: 10)
        try session.wait(for: "TOUR  " + steps[steps.count - 1].caption, timeout: 60)
        let looped = try session.wait(for: "TOUR  " + steps[0].caption, timeout: 30)
        #expect(looped.contains("Your workspaces"))
        // The loop starts again on the shipped data: the club is back at 8 credits.
        try session.wait(for: "TOUR  " + steps[3].caption, timeout: 30)
        try session.wait(for: "8 cr", timeout: 10)
        try session.send("j")
        let handedBack = try session.wait(for: "Your turn")
        #expect(!handedBack.contains("TOUR  "))
        // The visitor has at least ten seconds; left alone, the tour starts over.
        usleep(3_000_000)
        #expect(try !session.capture().contains("TOUR  "), "the tour took the keys back at once")
        try session.wait(for: "TOUR  " + steps[0].caption, timeout: 20)
        try session.send("C-c")
        try session.wait(for: "EXITED 0", timeout: 20)
    }

    @Test(.enabled(if: Programs.hasTmux))
    func capitalRPutsTheDemoBackAfterAPurchase() throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        for key in ["/", "t", "i", "g", "Enter", "Enter", "t", "Enter", "y"] { try Self.press(key, in: session) }
        try session.wait(for: "508 cr")
        try Self.press("R", in: session)
        try session.wait(for: "back to its shipped state")
        for key in ["/", "t", "i", "g", "Enter", "Enter"] { try Self.press(key, in: session) }
        try session.wait(for: "8 cr")
        #expect(try !session.capture().contains("508 cr"))
    }

    /// The demo runs on its journal's own clock, whatever the calendar says: on a machine whose
    /// clock (here `CREDITDESK_NOW`) is months later, and after `R`, the club's month line still
    /// shows this month's spend against the limits, and the school's hold is still in flight.
    @Test(.enabled(if: Programs.hasTmux))
    func theDemoDoesNotDependOnTheCalendar() throws {
        let session = try TmuxSession("CREDITDESK_NOW=2027-01-15T10:00:00Z \(Programs.creditdesk) demo")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        for key in ["/", "t", "i", "g", "Enter", "Enter"] { try Self.press(key, in: session) }
        var screen = try session.wait(for: "This month li 474 of 525")
        #expect(screen.contains("coach-ray 4,278 of 5,000"), "\(screen)")
        try Self.press("R", in: session)
        try session.wait(for: "back to its shipped state")
        for key in ["/", "t", "i", "g", "Enter", "Enter"] { try Self.press(key, in: session) }
        try session.wait(for: "This month li 474 of 525")
        for key in ["q", "Esc", "/", "l", "a", "k", "e", "Enter", "Enter"] { try Self.press(key, in: session) }
        screen = try session.wait(for: "6 held")
        #expect(screen.contains("64 cr"), "\(screen)")
    }

    /// R41: the sofia demo's Enterprise workspace carried 150 plan credits over at its last
    /// renewal; its workspace screen warns before they expire.
    @Test(.enabled(if: Programs.hasTmux))
    func R41_theSofiaDemoWarnsBeforeRolledOverCreditsExpire() throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo --data sofia")
        defer { session.kill() }
        try session.wait(for: "rosa-bridal-studio")
        for key in ["/", "b", "r", "i", "Enter", "Enter"] { try Self.press(key, in: session) }
        let screen = try session.wait(for: "150 rolled-over credits expire in")
        #expect(screen.contains("Rosa Bridal Studio"), "\(screen)")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func kioskIgnoresQAndCtrlCAndLeavesOnTheChord() throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo --kiosk")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        try session.send("q")
        try session.send("C-c")
        try session.wait(for: "stays open")
        usleep(300_000)
        #expect(try !session.capture().contains("EXITED"))
        try session.send("C-x")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func noLedgerOpensTheDemoAndSaysHowToMakeARealOne() throws {
        let missing = NSTemporaryDirectory() + "creditdesk-none-\(UUID().uuidString)"
        let session = try TmuxSession("\(Programs.creditdesk) --ledger \(missing)")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        try session.send("q")
        let after = try session.wait(for: "EXITED 0")
        #expect(after.contains("creditdesk init"))
        #expect(!FileManager.default.fileExists(atPath: missing), "opening the demo creates no ledger where none was")
    }
}

extension DemoEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func demoAsTheSupportAgentShowsEveryWorkspace() throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo --as maria")
        defer { session.kill() }
        // Wait for the list itself: the header can be drawn a frame before it.
        let screen = try session.wait(for: "(1/48)")
        #expect(screen.contains("agent: maria"))
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}

extension DemoEndToEndTests {
    /// A stand that crashed leaves its scratch copy behind; the next demo clears it, and leaves a
    /// running demo's copy alone.
    @Test(.enabled(if: Programs.hasTmux))
    func aDemoClearsTheScratchCopiesOfDemosThatDied() throws {
        let dead = try Programs.run("/bin/sh", ["-c", "echo $$"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let temporary = NSTemporaryDirectory()
        let abandoned = temporary + "/creditdesk-demo-test-dead-\(UUID().uuidString.prefix(6))"
        let alive = temporary + "/creditdesk-demo-test-alive-\(UUID().uuidString.prefix(6))"
        for (folder, pid) in [(abandoned, dead), (alive, "\(getpid())")] {
            try FileManager.default.createDirectory(atPath: folder + "/ledger", withIntermediateDirectories: true)
            try Data("\(pid)\n".utf8).write(to: URL(fileURLWithPath: folder + "/owner.pid"))
        }
        defer { try? FileManager.default.removeItem(atPath: alive); try? FileManager.default.removeItem(atPath: abandoned) }
        let session = try TmuxSession("\(Programs.creditdesk) demo")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(FileManager.default.fileExists(atPath: alive))
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}

extension DemoEndToEndTests {
    /// The tour's steps are the persona's; played as someone else they would go astray.
    @Test(.enabled(if: Programs.hasTmux))
    func theTourRefusesAPersonItWasNotWrittenFor() throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo --attract --as maria")
        defer { session.kill() }
        let screen = try session.wait(for: "EXITED 64")
        #expect(screen.contains("the tour is written for jess"))
    }
}

extension DemoEndToEndTests {
    /// A caption follows its action ("Bought." once the confirmation has closed, never over it),
    /// and a visitor who takes over starts from the first screen, not the tour's filter.
    @Test(.enabled(if: Programs.hasTmux))
    func captionsFollowTheirActionAndTakingOverStartsClean() throws {
        let steps = try Self.tour()
        let bought = try #require(steps.first { $0.caption.hasPrefix("Bought.") })
        let session = try TmuxSession("CREDITDESK_TOUR_PACE=0.3 \(Programs.creditdesk) demo --attract --idle 1")
        defer { session.kill() }
        let shown = try session.wait(for: "TOUR  " + bought.caption, timeout: 60)
        #expect(!shown.contains("Confirm purchase"), "the caption came before its action:\n\(shown)")
        #expect(shown.contains("COMFORTABLE"))
        try session.send("j")
        let handedBack = try session.wait(for: "Your turn")
        #expect(handedBack.contains("Your workspaces") && handedBack.contains("(1/4)"),
                "the visitor inherited the tour's screen:\n\(handedBack)")
        try session.send("C-c")
        try session.wait(for: "EXITED 0", timeout: 20)
    }
}
