import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// `x` in an entry's detail (R34): the reason form, the confirmation with the balance before
/// and after, the detail then showing "Reversed by", and the refusals said on the spot.
@Suite struct ReverseConsoleTests {
    /// maria on acme's newest entry: the support adjustment of +25.
    static func onAdjustment() -> Driver {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .enter)
        return driver
    }

    @Test("R34: x, a reason and y reverse the adjustment; both entries then point at each other")
    func R34_reverseFromTheDetail() throws {
        var driver = Self.onAdjustment()
        let original = try #require(NavigationTests.detailEntry(driver))
        #expect(original.kind == .adjustment && original.credits == 25)
        #expect(driver.screen.contains("x reverse"))
        driver.keys(.character("x"))
        guard case .reverse = driver.state.top else { Issue.record("no reversal form"); return }
        driver.keys(.enter)
        #expect(driver.state.dialog == nil, "no reason, no confirmation")
        driver.type("billed the wrong workspace")
        driver.keys(.enter)
        guard case let .reversal(confirmation, focus)? = driver.state.dialog else { Issue.record("no confirmation"); return }
        #expect(focus == .cancel)
        #expect(confirmation.balanceAfter == confirmation.balanceBefore - 25)
        #expect(driver.screen.contains("Confirm reversal"))
        driver.keys(.character("y"))
        let reversal = try #require(driver.fixture.journal.last { $0.kind == .adjustment })
        #expect(reversal.reverses == original.seq)
        #expect(reversal.credits == -25)
        #expect(reversal.reason == "billed the wrong workspace")
        #expect(NavigationTests.detailEntry(driver)?.seq == original.seq, "back on the entry that was reversed")
        #expect(driver.screen.contains("Reversed by"))
        #expect(driver.screen.contains("entry #\(reversal.seq)"))
        #expect(driver.state.flash?.text.hasPrefix("Reversed entry #\(original.seq): -25 credits") == true)
        driver.keys(.character("x"))
        #expect(driver.state.flash?.text == "already reversed: entry #\(original.seq) was reversed by entry #\(reversal.seq); not reversed again")
        #expect(driver.state.top == .entryDetail(original))
    }

    @Test("R34, R35: x on an adjustment whose credits holds reserve says why at once, never a crash")
    func R34_xOnHeldCreditsIsRefusedOnTheSpot() throws {
        var fixture = ConsoleFixture()
        let balance = try #require(fixture.state.workspaces["acme"]?.balance)
        fixture.run(.adjust(workspace: "acme", amount: 20 - balance, reason: "down"), as: "maria")
        fixture.run(.adjust(workspace: "acme", amount: 25, reason: "gift"), as: "maria")
        for job in 1...4 { fixture.run(.hold(workspace: "acme", action: "ai_graphic", job: "h\(job)", ttlSeconds: nil), as: "lee") }
        let gift = try #require(fixture.journal.last { $0.reason == "gift" })
        var driver = Driver(as: "maria", fixture: fixture)
        driver.keys(.enter)
        let index = try #require(driver.state.workspace?.window.firstIndex { $0.seq == gift.seq })
        for _ in 0..<index { driver.keys(.down) }
        driver.keys(.enter)
        #expect(NavigationTests.detailEntry(driver)?.seq == gift.seq, "\(driver.screen)")
        driver.keys(.character("x"))
        #expect(driver.state.flash?.text == "reversing entry #\(gift.seq) takes 25 credits, only 21 are not held: release or capture the holds first (R34)",
                "\(String(describing: driver.state.flash))")
        guard case .entryDetail = driver.state.top else { Issue.record("no form opened: \(driver.state.top)"); return }
    }

    @Test("R34: a detail opened later finds its reversal in the ledger")
    func R34_reversedByIsFoundWhenTheDetailOpens() {
        var fixture = ConsoleFixture()
        let gift = fixture.journal.last { $0.kind == .adjustment && $0.workspace == "acme" }!
        fixture.run(.reverse(workspace: "acme", seq: gift.seq, reason: "mistake"), as: "maria")
        var driver = Driver(as: "maria", fixture: fixture)
        driver.keys(.enter, .enter, .character("j"))
        #expect(NavigationTests.detailEntry(driver)?.seq == gift.seq)
        #expect(driver.screen.contains("Reversed by"))
        #expect(driver.effects.contains(.findReversal(workspace: "acme", seq: gift.seq)))
    }

    @Test("R34: x on a charge says why at once and opens nothing")
    func R34_chargeIsNotReversed() {
        var driver = Self.onAdjustment()
        driver.keys(.character("j"), .character("j"))
        let charge = NavigationTests.detailEntry(driver)!
        #expect(charge.kind == .charge)
        driver.keys(.character("x"))
        #expect(driver.state.top == .entryDetail(charge))
        #expect(driver.state.flash?.text.hasPrefix("entry #\(charge.seq) is a charge") == true)
    }

    @Test("R18: an owner is not offered x, and pressing it is refused")
    func R18_ownerCannotReverse() {
        var driver = Driver(as: "lee")
        driver.keys(.character("G"), .enter)
        #expect(!driver.screen.contains("x reverse"))
        driver.keys(.character("x"))
        #expect(driver.state.flash?.text.hasPrefix("not permitted") == true)
    }
}
