import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// A page of Activity that stopped at a record it could not read (damage): the view says it
/// stopped there, never "no entry matches", and its count is not offered as all there is.
@Suite struct ActivityUnreadableTests {
    @Test("an unreadable page leaves the view saying where it stopped, not that nothing matches")
    func anUnreadablePageSaysItStopped() throws {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"))
        var model = try #require(driver.state.activity)
        let request = ActivityRequest(filter: model.filter, before: 0, count: 50)
        model.rows = []
        model.pending = request
        driver.state.activity = model
        let why = "activity could not be read: ledger damaged: record seq 12 (byte 3456 of journal.jsonl): its contents do not match its checksum"
        driver.send(.activityLoaded(ActivityPage(request: request, entries: [], nextOffset: 0, reachedEnd: true,
                                                 oldestTimeRead: nil, headSeq: 30, unreadable: why)))
        #expect(driver.state.activity?.unreadable == why)
        #expect(driver.screen.contains("Stopped at a record that could not be read"), "\(driver.screen)")
        #expect(!driver.screen.contains("No entr"), "\(driver.screen)")
        #expect(driver.screen.contains("older: unreadable record"), "\(driver.screen)")
        driver.keys(.character("/"))
        driver.type("kind:adj")
        driver.keys(.enter)
        #expect(driver.state.activity?.unreadable == nil, "a new filter reads afresh")
    }
}
