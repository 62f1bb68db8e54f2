import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// Live, visibly: the header says when the journal was last read; an entry from another desk is
/// marked for a few seconds, the selection staying where it was; one's own writes are not marked.
@Suite struct LiveMarksTests {
    static let t0 = Timestamp(iso8601: "2026-11-30T10:00:00Z")!
    static func at(_ seconds: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: t0.secondsSinceEpoch + seconds) }

    static func markedRows(_ driver: Driver) -> [Int] {
        let lines = driver.screen.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.indices.filter { lines[$0].dropFirst().first == "✚" }
    }

    @Test("the header shows when the view last read the journal")
    func headerShowsLastRefresh() {
        var driver = Driver(as: "maria")
        #expect(!driver.screen.contains("↻"), "nothing is claimed before the first read")
        driver.send(.refreshed(Self.at(7)))
        #expect(driver.screen.split(separator: "\n")[0].contains("↻ 10:00:07"))
    }

    @Test("an entry from another desk is marked for a moment and the selection stays on its entry")
    func arrivalIsMarkedWithoutMovingTheSelection() {
        var driver = Driver(as: "maria")
        driver.send(.refreshed(Self.at(0)))
        driver.keys(.enter, .down, .down)
        let selected = driver.state.workspace!.entry(at: driver.state.workspace!.cursor.selected)!.seq
        driver.fixture.run(.charge(workspace: "acme", action: "ai_graphic", job: "j-other-desk"), as: "lee")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.send(.refreshed(Self.at(1)))
        let model = driver.state.workspace!
        #expect(model.entry(at: model.cursor.selected)?.seq == selected)
        #expect(Self.markedRows(driver) == [Layout.historyTop], "the new row, and only it, is marked")
        driver.send(.refreshed(Self.at(1 + LiveMarks.markSeconds)))
        #expect(Self.markedRows(driver).isEmpty, "the mark lasts a moment")
    }

    @Test("what this desk writes itself is not marked as arrived")
    func ownWritesAreNotMarked() {
        var driver = Driver(as: "maria")
        driver.send(.refreshed(Self.at(0)))
        driver.keys(.enter, .character("a"))
        driver.type("5")
        driver.keys(.tab)
        driver.type("goodwill")
        driver.keys(.enter, .character("y"))
        #expect(driver.fixture.journal.last?.reason == "goodwill")
        driver.send(.refreshed(Self.at(1)))
        #expect(Self.markedRows(driver).isEmpty)
    }

    @Test("Activity marks the rows that arrived too")
    func activityMarksArrivals() {
        var driver = Driver(as: "maria")
        driver.send(.refreshed(Self.at(0)))
        driver.keys(.character("A"))
        driver.fixture.run(.topUp(workspace: "bright", pack: "topup_50"), as: "kim")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.send(.refreshed(Self.at(1)))
        #expect(driver.state.activity?.newCount == 1)
        driver.keys(.character("g"))
        #expect(Self.markedRows(driver) == [Layout.accountsTop])
    }
}
