import Testing
import CreditKit
@testable import ConsoleUI

/// The demo's own keys (reset), the kiosk's quit chord, the tour's caption, and the tour player.
@Suite struct DemoConsoleTests {
    @Test func capitalRResetsTheDemoFromAnyScreenButNotOutsideADemo() {
        var demo = Driver(demo: true)
        demo.keys(.enter, .character("t"))
        demo.keys(.character("R"))
        #expect(demo.demoResets == 1)
        #expect(demo.state.stack == [.accounts])
        #expect(demo.state.flash?.text.contains("shipped state") == true)
        var live = Driver()
        live.keys(.character("R"))
        #expect(live.demoResets == 0)
    }

    @Test("A demo put back reads the demo's own now again: a stand that ran into the next month shows this month's spend again")
    func demoResetReadsTheDemosOwnNowAgain() throws {
        var demo = Driver(as: "sam", demo: true)
        let start = demo.state.now
        demo.keys(.enter)
        #expect(demo.state.openWorkspace?.id == "acme")
        #expect(MemberLimitConsoleTests.monthLine(demo.screen).contains("sam 106"), "\(demo.screen)")
        // The stand ran on for weeks: the console's clock is in the next month, where acme spent nothing.
        demo.keys(.escape)
        demo.send(.clock(Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + 40 * 86_400)))
        demo.keys(.enter)
        #expect(MemberLimitConsoleTests.monthLine(demo.screen).contains("no spending"), "\(demo.screen)")
        demo.keys(.character("R"))
        #expect(demo.state.now == start)
        demo.keys(.enter)
        #expect(MemberLimitConsoleTests.monthLine(demo.screen).contains("sam 106"), "\(demo.screen)")
    }

    @Test func capitalRTypedIntoAFilterIsText() {
        var demo = Driver(demo: true)
        demo.keys(.character("/"), .character("R"))
        #expect(demo.demoResets == 0)
        #expect(demo.state.accounts.filter == "R")
    }

    @Test func kioskKeepsQAndCtrlCAndQuitsOnlyOnTheChord() {
        var kiosk = Driver(demo: true, kiosk: true)
        kiosk.keys(.character("q"))
        #expect(!kiosk.quit)
        #expect(kiosk.state.flash?.text.contains("stays open") == true)
        kiosk.keys(.control("c"))
        #expect(!kiosk.quit)
        kiosk.keys(.control("x"), .character("j"), .character("q"))
        #expect(!kiosk.quit, "the chord is Ctrl-X immediately followed by q")
        kiosk.keys(.enter)
        kiosk.keys(.character("q"))
        #expect(!kiosk.quit && kiosk.state.stack == [.accounts], "q still goes back from a screen above the top")
        kiosk.keys(.control("x"), .character("q"))
        #expect(kiosk.quit)
    }

    @Test func kioskTooSmallDoesNotQuitOnQ() {
        var kiosk = Driver(demo: true, kiosk: true)
        kiosk.send(.resize(Size(width: 40, height: 10)))
        kiosk.keys(.character("q"))
        #expect(!kiosk.quit)
    }

    @Test func aVisitorTakingOverStartsFromACleanScreen() {
        var demo = Driver(as: "sam", demo: true)
        demo.keys(.character("/"))
        demo.type("corner")
        demo.keys(.enter)
        #expect(demo.state.accounts.filter == "corner")
        demo.keys(.enter, .character("t"), .enter)
        #expect(demo.state.dialog != nil)
        demo.send(.tourHandedBack)
        #expect(demo.state.accounts.filter.isEmpty && demo.state.dialog == nil && demo.state.stack == [.accounts])
        #expect(demo.screen.contains("Your workspaces") && demo.screen.contains("acme"))
    }

    @Test func tourCaptionShowsInTheFooterAndGivingBackTheKeysSaysSo() {
        var demo = Driver(demo: true)
        demo.send(.tourCaption("Every balance wears a badge"))
        #expect(demo.screen.contains("TOUR  Every balance wears a badge"))
        demo.send(.tourHandedBack)
        #expect(!demo.screen.contains("TOUR"))
        #expect(demo.state.flash?.text.hasPrefix("Your turn") == true)
    }

    @Test func aKioskNeitherOffersNorHintsAWayOut() {
        var kiosk = Driver(demo: true, kiosk: true)
        #expect(!kiosk.screen.contains("q quit"))
        kiosk.keys(.character("?"))
        #expect(kiosk.screen.contains("puts the demo back"))
        #expect(!kiosk.screen.contains("quit") && !kiosk.screen.contains("Ctrl-X"), "visitors are not shown how to leave")
        kiosk.send(.resize(Size(width: 50, height: 12)))
        #expect(!kiosk.screen.contains("q quits"))
    }

    @Test func tourPlayerRestartsShowsCaptionsPressesKeysAtItsPaceAndLoops() {
        let steps = [TourStep(caption: "one", keys: [.character("j"), .enter], pauseMilliseconds: 1000, expect: nil),
                     TourStep(caption: "two", keys: [], pauseMilliseconds: 500, expect: nil)]
        var player = TourPlayer(steps: steps, keyDelay: 100, startingAt: 0)
        var played: [(Int64, TourEvent)] = []
        var now: Int64 = 0
        while now <= 3000 {
            while let event = player.advance(now: now) { played.append((now, event)) }
            now += 10
        }
        let events = played.map(\.1)
        #expect(Array(events.prefix(7)) == [.restart, .press(.character("j")), .press(.enter), .caption("one"), .caption("two"),
                                            .restart, .press(.character("j"))])
        #expect(played[1].0 == 0, "a step starts with its first key")
        #expect(played[2].0 == 100, "keys follow each other at the key delay")
        #expect(played[3].0 == 200, "the caption follows the step's last key, once its effect shows")
        #expect(played[4].0 == 1200, "the step's pause follows its caption")
        #expect(played[5].0 == 1200 + 500, "a step without keys shows its caption for its pause; then the tour starts over")
    }

    @Test func tourPlayerPaceScalesEveryWait() {
        let steps = [TourStep(caption: "one", keys: [.enter], pauseMilliseconds: 1000, expect: nil)]
        var player = TourPlayer(steps: steps, keyDelay: 100, pace: 0.5, startingAt: 0)
        #expect(player.advance(now: 0) == .restart)
        #expect(player.advance(now: 0) == .press(.enter))
        #expect(player.advance(now: 49) == nil)
        #expect(player.wait(now: 25) == 25)
        #expect(player.advance(now: 50) == .caption("one"))
    }

    @Test func keyNamesOfTourFiles() {
        #expect(Key(name: "Enter") == .enter)
        #expect(Key(name: "Esc") == .escape)
        #expect(Key(name: "j") == .character("j"))
        #expect(Key(name: "C-x") == .control("x"))
        #expect(Key(name: "Return") == nil)
        #expect(Key(name: "") == nil)
    }
}
