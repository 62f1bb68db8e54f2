import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// The Activity screen (support): every workspace's entries newest first, a filter line, pages
/// read as the selection goes down, and entries from other desks arriving without moving it.
@Suite struct ActivityTests {
    static let now = Timestamp(iso8601: "2026-01-10T09:00:00Z")!

    static func seqs(_ driver: Driver) -> [Int64] { driver.state.activity?.rows.map(\.seq) ?? [] }

    @Test("R18: A on Accounts opens every workspace's entries, newest first, for a support agent")
    func R18_supportOpensActivityNewestFirst() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"))
        #expect(driver.state.top == .activity)
        let journal = driver.fixture.journal
        #expect(Self.seqs(driver) == journal.reversed().map(\.seq))
        #expect(driver.screen.contains("Activity"))
        #expect(driver.screen.contains("corner"), "the newest entry, corner's top-up, is on screen")
    }

    @Test("R18: A is neither offered nor answered for someone who is not support")
    func R18_ownerIsRefusedActivity() {
        var driver = Driver(as: "sam")
        #expect(driver.state.top == .accounts)
        #expect(!driver.screen.contains("activity"))
        driver.keys(.character("A"))
        #expect(driver.state.top == .accounts)
        #expect(driver.state.activity == nil)
        #expect(driver.state.flash?.text == "Activity across workspaces is for support agents")
    }

    @Test("/ by:maria kind:adj shows what maria adjusted, in every workspace")
    func filterByPersonAndKind() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"), .character("/"))
        driver.type("by:maria kind:adj")
        #expect(driver.screen.contains("/ by:maria kind:adj"))
        driver.keys(.enter)
        let rows = driver.state.activity?.rows ?? []
        #expect(rows.map(\.workspace) == ["bright", "acme"])
        #expect(rows.allSatisfy { $0.kind == .adjustment && $0.actor == "maria" })
        #expect(driver.screen.contains("filter by:maria kind:adj"))
    }

    @Test("a filter line that cannot be read says why and keeps the prompt and the rows")
    func badFilterIsRefusedOnTheSpot() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"))
        let before = Self.seqs(driver)
        driver.keys(.character("/"))
        driver.type("kind:nope")
        driver.keys(.enter)
        #expect(driver.state.activity?.editingQuery == true)
        #expect(driver.state.flash?.kind == .refusal)
        #expect(driver.state.flash?.text.hasPrefix("no kind nope:") == true)
        #expect(Self.seqs(driver) == before)
    }

    @Test("Esc clears the filter first, then leaves Activity")
    func escapeClearsFilterThenLeaves() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"), .character("/"))
        driver.type("kind:refund")
        driver.keys(.enter)
        #expect(driver.state.activity?.rows.count == 1)
        driver.keys(.escape)
        #expect(driver.state.top == .activity)
        #expect(driver.state.activity?.query == "")
        #expect(Self.seqs(driver).count == driver.fixture.journal.count)
        driver.keys(.escape)
        #expect(driver.state.top == .accounts)
        #expect(driver.state.activity == nil)
    }

    @Test("an entry from another desk arrives on top without moving the selection; g goes to it")
    func liveEntryKeepsSelection() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"), .down, .down, .down)
        let selected = driver.state.activity!.rows[3].seq
        driver.fixture.tick(hours: 1)
        driver.fixture.run(.charge(workspace: "acme", action: "ai_graphic", job: "j-live"), as: "lee")
        driver.send(.ledgerChanged(driver.fixture.state))
        let model = driver.state.activity!
        #expect(model.rows[model.cursor.selected].seq == selected)
        #expect(model.newCount == 1)
        #expect(model.rows[0].job == "j-live")
        #expect(driver.screen.contains("+1 new (g)"))
        driver.keys(.character("g"))
        #expect(driver.state.activity?.cursor.selected == 0)
        #expect(driver.state.activity?.newCount == 0)
        #expect(!driver.screen.contains("new (g)"))
    }

    @Test("a live entry the filter does not take is not shown")
    func liveEntryOutsideFilter() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"), .character("/"))
        driver.type("kind:refund")
        driver.keys(.enter)
        driver.fixture.run(.charge(workspace: "acme", action: "ai_graphic", job: "j-live"), as: "lee")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.state.activity?.rows.count == 1)
        #expect(driver.state.activity?.newCount == 0)
    }

    @Test("rows are read a page at a time as the selection goes down, never the whole journal at once")
    func pagesAreReadAsNeeded() {
        var driver = Driver(as: "maria", fixture: ConsoleFixture(extraWorkspaces: 400))
        driver.keys(.character("A"))
        let total = driver.fixture.journal.count
        let first = driver.state.activity!.rows.count
        #expect(first < total)
        #expect(first >= Layout.accountsRows(driver.state.size))
        for _ in 0..<40 { driver.keys(.pageDown) }
        #expect(driver.state.activity!.rows.count > first)
        driver.keys(.character("G"), .character("G"), .character("G"), .character("G"), .character("G"))
        #expect(driver.state.activity!.rows.count == total)
        #expect(driver.state.activity!.reachedEnd)
        #expect(Self.seqs(driver) == driver.fixture.journal.reversed().map(\.seq))
    }

    @Test("j and k in a detail opened from Activity step through its rows")
    func detailStepsThroughActivity() {
        var driver = Driver(as: "maria")
        driver.keys(.character("A"), .enter)
        let rows = driver.state.activity!.rows
        #expect(NavigationTests.detailEntry(driver)?.seq == rows[0].seq)
        driver.keys(.character("j"), .character("j"))
        #expect(NavigationTests.detailEntry(driver)?.seq == rows[2].seq)
        driver.keys(.escape)
        #expect(driver.state.top == .activity)
        #expect(driver.state.activity?.cursor.selected == 2)
    }

    @Test(arguments: [
        ("by:maria kind:adjustment today", EntryFilter(actor: "maria", kinds: [.adjustment], since: Timestamp(iso8601: "2026-01-10T00:00:00Z")!)),
        ("kind:refund last 1h", EntryFilter(kinds: [.refund], since: Timestamp(iso8601: "2026-01-10T08:00:00Z")!)),
        ("ws:acme kind:top,grant last:2d", EntryFilter(kinds: [.topup, .grant], workspace: "acme", since: Timestamp(iso8601: "2026-01-08T09:00:00Z")!)),
        ("since:2026-01-01 Billed TWICE", EntryFilter(since: Timestamp(iso8601: "2026-01-01T00:00:00Z")!, words: ["billed", "twice"])),
        ("", EntryFilter()),
    ])
    func queryIsRead(text: String, filter: EntryFilter) {
        #expect(ActivityQuery.parse(text, now: Self.now) == .success(filter))
    }

    @Test(arguments: [
        ("kind:nope", ActivityQuery.Problem.unknownKind("nope")),
        ("kind:t", .unknownKind("t")),
        ("who: maria", .emptyValue("who:")),
        ("color:red", .unknownKey("color:")),
        ("last 1y", .badSpan("1y")),
        ("last", .badSpan("last")),
        ("last 99999999999d", .badSpan("99999999999d")),
        ("since:yesterday", .badTime("yesterday")),
    ])
    func queryIsRefused(text: String, problem: ActivityQuery.Problem) {
        #expect(ActivityQuery.parse(text, now: Self.now) == .failure(problem))
    }
}

/// The mouse over Activity: the wheel reads further rows, a click selects, a second opens.
extension ActivityTests {
    @Test func mouseScrollsSelectsAndOpens() {
        var driver = Driver(as: "maria", fixture: ConsoleFixture(extraWorkspaces: 200))
        driver.keys(.character("A"))
        let held = driver.state.activity!.rows.count
        for _ in 0..<30 { driver.send(.mouse(.wheelDown(x: 10, y: 10))) }
        #expect(driver.state.activity!.cursor.scroll > 0)
        #expect(driver.state.activity!.rows.count > held, "scrolling down reads further rows")
        let scroll = driver.state.activity!.cursor.scroll
        driver.send(.mouse(.click(x: 10, y: Layout.accountsTop + 2)))
        #expect(driver.state.activity?.cursor.selected == scroll + 2)
        driver.send(.mouse(.click(x: 10, y: Layout.accountsTop + 2)))
        #expect(NavigationTests.detailEntry(driver)?.seq == driver.state.activity!.rows[scroll + 2].seq)
    }
}
