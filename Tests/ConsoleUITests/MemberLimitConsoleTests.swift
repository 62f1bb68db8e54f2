import Testing
import CreditKit
@testable import ConsoleUI

/// R40 in the console's reducer: the workspace screen shows each member's spend this month
/// against their limit, following limits another desk sets and lifts.
@Suite struct MemberLimitConsoleTests {
    /// The "This month" line of the workspace screen.
    static func monthLine(_ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("This month") }.map(String.init) ?? ""
    }

    @Test("R40: the workspace screen shows each member's spend this month against their limit")
    func R40_workspaceScreenShowsSpendAgainstEachLimit() throws {
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40))
        driver.keys(.enter)
        #expect(driver.state.openWorkspace?.id == "acme")
        #expect(!Self.monthLine(driver.screen).contains(" of "), "\(driver.screen)")
        // lee ran the even jobs in January: 13 graphics and 6 print files, j-40 refunded.
        driver.fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: 200), as: "sam")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(Self.monthLine(driver.screen).contains("lee 102 of 200"), "\(driver.screen)")
        // A limited person who spent nothing yet shows at 0 of their limit.
        driver.fixture.run(.addMember(workspace: "acme", member: "ola"), as: "sam")
        driver.fixture.run(.memberLimit(workspace: "acme", member: "ola", credits: 50), as: "sam")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(Self.monthLine(driver.screen).contains("ola 0 of 50"), "\(driver.screen)")
        // Nothing left: the limit is drawn as a warning.
        driver.fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: 100), as: "sam")
        driver.send(.ledgerChanged(driver.fixture.state))
        let ws = try #require(driver.state.openWorkspace)
        let spans = WorkspaceScreen.memberSpans(ws, model: try #require(driver.state.workspace), state: driver.state)
        #expect(spans.contains { $0.text == " of 100" && $0.style == .warning }, "\(spans)")
        #expect(spans.contains { $0.text == " of 50" && $0.style == .dim }, "\(spans)")
        driver.fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: nil), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(!Self.monthLine(driver.screen).contains("lee 102 of"), "\(driver.screen)")
    }

    @Test("R40: a console whose now is in an earlier month shows that month's spend, not the later month's added to it")
    func R40_pastNowShowsThatMonthsSpendOnly() throws {
        var fixture = ConsoleFixture()
        fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: 200), as: "sam")
        fixture.clock = Timestamp(iso8601: "2026-02-02T08:00:00Z")!
        fixture.run(.charge(workspace: "acme", action: "ai_graphic", job: "feb-1"), as: "lee")
        fixture.clock = Timestamp(iso8601: "2026-01-20T08:00:00Z")!
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40), fixture: fixture)
        driver.keys(.enter)
        #expect(driver.state.openWorkspace?.id == "acme")
        // lee's January is 102 credits; February's 6 belong to February.
        #expect(Self.monthLine(driver.screen).contains("lee 102 of 200"), "\(driver.screen)")
    }

    @Test("R40: at 80 columns the limited members lead the line, nearest their limit first, before bigger spenders without one")
    func R40_limitedMembersLeadTheMonthLineAt80Columns() throws {
        var driver = Driver(as: "maria")
        driver.keys(.enter)
        #expect(driver.state.openWorkspace?.id == "acme")
        driver.fixture.run(.addMember(workspace: "acme", member: "ola"), as: "sam")
        driver.fixture.run(.memberLimit(workspace: "acme", member: "ola", credits: 500), as: "sam")
        driver.fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: 110), as: "sam")
        driver.send(.ledgerChanged(driver.fixture.state))
        let line = Self.monthLine(driver.screen)
        // lee has 8 of 110 left, ola 500 of 500: lee first, then ola, then sam, who spent more
        // than either but has no limit.
        let lee = try #require(line.range(of: "lee 102 of 110"), "lee is cut or missing at 80 columns: \(line)")
        let ola = try #require(line.range(of: "ola 0 of 500"), "\(line)")
        let sam = try #require(line.range(of: "sam 106"), "\(line)")
        #expect(lee.lowerBound < ola.lowerBound && ola.lowerBound < sam.lowerBound, "\(line)")
    }

    @Test("R40: a member's run past their limit from the console is refused on Enter with what is left, and nothing is written")
    func R40_aRunPastTheLimitSaysWhatIsLeft() throws {
        var driver = Driver(as: "lee", size: Size(width: 120, height: 40))
        driver.fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: 105), as: "sam")
        driver.send(.ledgerChanged(driver.fixture.state))
        let before = driver.fixture.state.lastSeq
        driver.keys(.character("r"), .enter)
        #expect(driver.fixture.state.lastSeq == before, "a refusal wrote something")
        #expect(driver.state.dialog == nil, "no confirmation is offered for a run the limit refuses")
        #expect(driver.screen.contains("monthly limit: lee has 3 of 105 credits left this month in acme; ai_graphic costs 6, short by 3"),
                "\(driver.screen)")
    }

    @Test("R40, R8: a limited member short of both limit and pool is told both shortfalls, and is never offered buying")
    func R40_noticeNamesTheLimitAndThePoolAndOffersNoBuying() throws {
        var fixture = ConsoleFixture()
        fixture.run(.memberLimit(workspace: "bright", member: "ivy", credits: 50), as: "kim")
        var driver = Driver(as: "ivy", fixture: fixture)
        driver.keys(.character("r"), .character("G"), .enter)
        guard case .insufficient(let notice, _)? = driver.state.dialog else { Issue.record("no notice: \(driver.screen)"); return }
        #expect(notice.limit == LimitShortfall(left: 50, limit: 50, shortfall: 50) && notice.shortfall == 92 && !notice.canBuy)
        #expect(driver.screen.contains("Your monthly limit has 50 of 50 left: 50 credits short"), "\(driver.screen)")
        #expect(driver.screen.contains("the pool is 92 credits short"), "\(driver.screen)")
        let hints = driver.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(!hints.contains("buy"), "no buying offered to ivy: \(hints)")
        #expect(!driver.screen.contains("b Buy credits"), "\(driver.screen)")
    }

    @Test("R40: the run list names the limit's shortfall where it binds, and Enter says the limit, not the pool")
    func R40_runListAndRefusalFollowTheLimit() throws {
        var fixture = ConsoleFixture()
        // lee spent 102 in January: 8 left of 110.
        fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: 110), as: "sam")
        var driver = Driver(as: "lee", size: Size(width: 120, height: 40), fixture: fixture)
        #expect(driver.state.openWorkspace?.id == "acme", "lee's one workspace opens directly")
        driver.keys(.character("r"))
        #expect(driver.screen.contains("short by 92 (limit)"), "\(driver.screen)")
        #expect(driver.screen.split(separator: "\n").first { $0.contains("AI graphic") }?.contains("short by") == false, "\(driver.screen)")
        driver.keys(.character("G"), .enter)
        #expect(driver.state.dialog == nil)
        #expect(driver.state.flash?.text.contains("lee has 8 of 110 credits left this month in acme; clone_design costs 100, short by 92 (R40)") == true,
                "\(String(describing: driver.state.flash))")
    }
}
