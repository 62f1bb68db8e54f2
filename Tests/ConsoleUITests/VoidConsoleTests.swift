import Testing
import CreditKit
@testable import ConsoleUI

/// `v` on a grant's row of a workspace's history (R36): the form shows what is left of the grant
/// by burn order, which is what the void removes, and the balance after; a reason is required;
/// the confirmation submits the command line's `void`; refusals say why and write nothing.
@Suite struct VoidConsoleTests {
    /// maria on acme, where a promotion of 30 was granted and a graphic (6) burned it first:
    /// 24 are left of it. The promotion's row is selected.
    static func onPromotion(size: Size = Size(width: 80, height: 24), hold: Bool = false) throws -> (Driver, Entry) {
        var fixture = ConsoleFixture()
        if hold {
            // 10 paid credits under the promotion, so two held graphics (12) reserve some of its 24.
            let balance = fixture.state.workspaces["acme"]?.balance ?? 0
            fixture.run(.adjust(workspace: "acme", amount: 10 - balance, reason: "spent elsewhere"), as: "maria")
        }
        fixture.run(.grant(workspace: "acme", amount: 30, source: .promo, reason: "spring fair", expires: nil), as: "maria")
        fixture.tick(hours: 1)
        fixture.run(.charge(workspace: "acme", action: "ai_graphic", job: "j-void-1"), as: "sam")
        if hold {
            fixture.run(.hold(workspace: "acme", action: "ai_graphic", job: "j-hold-1", ttlSeconds: nil), as: "sam")
            fixture.run(.hold(workspace: "acme", action: "ai_graphic", job: "j-hold-2", ttlSeconds: nil), as: "sam")
        }
        let grant = try #require(fixture.journal.last { $0.kind == .grant && $0.workspace == "acme" })
        var driver = Driver(as: "maria", size: size, fixture: fixture)
        driver.keys(.enter)
        for _ in 0..<8 where driver.state.selectedHistoryEntry?.seq != grant.seq { driver.keys(.character("j")) }
        try #require(driver.state.selectedHistoryEntry?.seq == grant.seq, "the promotion's row is not in the first rows")
        return (driver, grant)
    }

    @Test("R36: v, a reason and y void what is left of the grant by burn order, through the engine's void")
    func R36_voidFromTheWorkspaceHistory() throws {
        var (driver, grant) = try Self.onPromotion()
        let before = try #require(driver.state.openWorkspace)
        #expect(driver.screen.contains("v void"), "\(driver.screen)")
        driver.keys(.character("v"))
        guard case .void(let model) = driver.state.top else { Issue.record("no void form: \(driver.screen)"); return }
        #expect(model.remaining == 24 && model.granted == 30)
        #expect(driver.screen.contains("Left of it by burn order (S3): 24 of 30 credits"), "\(driver.screen)")
        #expect(driver.screen.contains("Void -24 credits · balance \(AmountFormat.grouped(before.balance)) → \(AmountFormat.grouped(before.balance - 24))"),
                "\(driver.screen)")
        driver.keys(.enter)
        #expect(driver.state.dialog == nil, "no reason, no confirmation")
        #expect(driver.screen.contains("reason"), "\(driver.screen)")
        driver.type("promotion sent to the wrong shop")
        driver.keys(.enter)
        guard case let .void(confirmation, focus)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        #expect(focus == .cancel)
        #expect(confirmation.remaining == 24 && confirmation.balanceAfter == before.balance - 24)
        #expect(driver.screen.contains("Confirm void") && driver.screen.contains("-24 credits"), "\(driver.screen)")
        driver.keys(.character("y"))
        let void = try #require(driver.fixture.journal.last)
        #expect(void.kind == .void && void.ref == grant.seq && void.credits == -24 && void.reason == "promotion sent to the wrong shop")
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.text.hasPrefix("Voided grant #\(grant.seq): -24 credits") == true, "\(String(describing: driver.state.flash))")
        #expect(driver.state.openWorkspace?.balance == before.balance - 24)
    }

    @Test("R36: Esc and n change nothing; a void already written elsewhere closes the dialog with its refusal")
    func R36_voidDialogFollowsTheLedger() throws {
        var (driver, grant) = try Self.onPromotion()
        let seq = driver.fixture.state.lastSeq
        driver.keys(.character("v"))
        driver.type("wrong shop")
        driver.keys(.enter, .character("n"))
        #expect(driver.state.dialog == nil)
        driver.keys(.escape)
        #expect(driver.state.top == .workspace && driver.fixture.state.lastSeq == seq)
        driver.keys(.character("v"))
        driver.type("wrong shop")
        driver.keys(.enter)
        #expect(driver.state.dialog != nil)
        driver.fixture.run(.void(workspace: "acme", seq: grant.seq, reason: "another desk"), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.state.dialog == nil)
        #expect(driver.state.flash?.text.hasPrefix("grant #\(grant.seq) was already voided by entry #") == true, "\(String(describing: driver.state.flash))")
    }

    @Test("R36: refusals say why on the spot and write nothing: already voided, nothing left, holds, not a grant")
    func R36_voidRefusalsInTheConsole() throws {
        var (driver, grant) = try Self.onPromotion()
        driver.fixture.run(.void(workspace: "acme", seq: grant.seq, reason: "done elsewhere"), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        for _ in 0..<8 where driver.state.selectedHistoryEntry?.seq != grant.seq { driver.keys(.character("j")) }
        var seq = driver.fixture.state.lastSeq
        driver.keys(.character("v"))
        #expect(driver.state.top == .workspace && driver.fixture.state.lastSeq == seq)
        #expect(driver.state.flash?.text.hasPrefix("grant #\(grant.seq) was already voided") == true, "\(String(describing: driver.state.flash))")
        // A row that is not a grant: the key is not offered, and pressing it says why.
        driver.keys(.character("g"))
        #expect(driver.state.selectedHistoryEntry?.kind != .grant)
        #expect(!driver.screen.contains("v void"), "\(driver.screen)")
        driver.keys(.character("v"))
        #expect(driver.state.top == .workspace && driver.fixture.state.lastSeq == seq)
        #expect(driver.state.flash?.text.hasPrefix("nothing to void") == true, "\(String(describing: driver.state.flash))")
        // The plan grant of December was spent long ago.
        driver.keys(.character("G"))
        let plan = try #require(driver.state.selectedHistoryEntry)
        #expect(plan.kind == .grant && plan.source == .plan)
        driver.keys(.character("v"))
        #expect(driver.state.flash?.text.hasPrefix("nothing to void: entry #\(plan.seq)") == true, "\(String(describing: driver.state.flash))")
        // Holds reserve all but what the promotion has left.
        var (held, _) = try Self.onPromotion(hold: true)
        seq = held.fixture.state.lastSeq
        held.keys(.character("v"))
        #expect(held.state.top == .workspace && held.fixture.state.lastSeq == seq)
        #expect(held.state.flash?.text.hasPrefix("voiding grant #") == true, "\(String(describing: held.state.flash))")
    }

    @Test("R18, R36: only a support agent is offered v; an owner pressing it is refused")
    func R36_onlySupportIsOfferedVoid() throws {
        var fixture = ConsoleFixture()
        fixture.run(.grant(workspace: "acme", amount: 30, source: .promo, reason: "spring fair", expires: nil), as: "maria")
        var driver = Driver(as: "sam", fixture: fixture)
        if driver.state.top != .workspace { driver.keys(.enter) }
        #expect(driver.state.selectedHistoryEntry?.kind == .grant)
        #expect(!driver.screen.contains("v void"), "\(driver.screen)")
        driver.keys(.character("v"))
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.text.hasPrefix("not permitted") == true, "\(String(describing: driver.state.flash))")
    }
}
