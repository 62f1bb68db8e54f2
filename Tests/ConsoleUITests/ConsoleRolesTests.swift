import Testing
import CreditKit
@testable import ConsoleUI

/// R18 in the console: what each person is offered and refused reads the one rule the engine
/// reads (`Permissions`), so the console never refuses what the ledger would record.
@Suite struct ConsoleRolesTests {
    /// The standard fixture with maria, the support agent, also a member of acme.
    static func supportMemberFixture() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        fixture.run(.addMember(workspace: "acme", member: "maria"), as: "sam")
        return fixture
    }

    @Test func R18_aSupportAgentWhoIsAlsoAMemberRunsAnActionFromTheConsole() throws {
        var driver = Driver(as: "maria", fixture: Self.supportMemberFixture())
        driver.keys(.enter)
        #expect(driver.state.workspace?.id == "acme")
        let before = try #require(driver.state.openWorkspace?.balance)
        driver.keys(.character("r"))
        #expect(driver.state.flash?.kind != .refusal, "refused: \(driver.state.flash?.text ?? "")")
        guard case .runAction = driver.state.top else { Issue.record("no action picker"); return }
        driver.keys(.enter)
        guard case .run(let run, .cancel)? = driver.state.dialog else { Issue.record("no confirmation"); return }
        driver.keys(.character("y"))
        let charge = try #require(driver.fixture.journal.last { $0.kind == .charge })
        #expect(charge.actor == "maria" && charge.workspace == "acme" && charge.action == run.action.id)
        #expect(driver.state.openWorkspace?.balance == before - run.action.credits)
        #expect(driver.state.flash?.kind == .success)
    }

    /// The keys the hint line and help leave out, per person, in a workspace they can open (the
    /// newest row is not a grant, so void, R36, is left out for everyone).
    @Test(arguments: [
        ("maria", "bright", Set<UICommand>([.runAction, .void])),
        ("maria", "acme", Set<UICommand>([.void])),
        ("kim", "bright", Set<UICommand>([.adjust, .void])),
        ("ivy", "bright", Set<UICommand>([.adjust, .topUp, .void, .autoTopUp, .memberLimits])),
    ])
    func R18_hintsLeaveOutOnlyWhatThePersonMayNotDo(actor: String, workspace: String, hidden: Set<UICommand>) {
        var driver = Driver(as: actor, fixture: Self.supportMemberFixture())
        if driver.state.top == .accounts {
            let row = driver.state.accounts.rows.firstIndex(of: workspace) ?? 0
            for _ in 0..<row { driver.keys(.down) }
            driver.keys(.enter)
        }
        #expect(driver.state.workspace?.id == workspace)
        #expect(Chrome.hiddenHints(driver.state) == hidden)
    }

    @Test func R18_helpOffersRunAndAdjustToASupportAgentWhoIsAlsoAMember() {
        var driver = Driver(as: "maria", fixture: Self.supportMemberFixture())
        driver.keys(.enter, .character("?"))
        #expect(driver.screen.contains("run an action"))
        #expect(driver.screen.contains("adjust the balance"))
        #expect(driver.screen.contains("top up"))
    }

    /// Opening the adjustment form still works for the same person: holding a second role takes
    /// nothing away.
    @Test func R18_aSupportAgentWhoIsAlsoAMemberStillAdjusts() {
        var driver = Driver(as: "maria", fixture: Self.supportMemberFixture())
        driver.keys(.enter, .character("a"))
        guard case .adjust = driver.state.top else { Issue.record("no form: \(driver.state.flash?.text ?? "")"); return }
    }
}

extension ConsoleRolesTests {
    /// A support agent buys for the owner, and the ledger records `on_behalf_of`, only when she
    /// is not the owner herself: the picker says so only then.
    @Test func R18_theBuyOnBehalfNoteShowsOnlyWhenTheAgentIsNotTheOwner() {
        var fixture = ConsoleFixture()
        fixture.run(.createWorkspace(id: "aaa", name: "Agent's Own", owner: "maria", plan: "pro", trial: false), as: "maria")
        var driver = Driver(as: "maria", fixture: fixture)
        #expect(driver.state.accounts.rows == ["aaa", "acme", "bright", "corner"], "by the id shown at 80 columns")
        driver.keys(.enter, .character("t"))
        #expect(driver.state.workspace?.id == "aaa")
        guard case .topUp = driver.state.top else { Issue.record("no picker: \(driver.state.flash?.text ?? "")"); return }
        #expect(!driver.screen.contains("you buy for the owner"))
        driver.keys(.escape, .escape, .down, .enter, .character("t"))
        #expect(driver.state.workspace?.id == "acme")
        #expect(driver.screen.contains("you buy for the owner, sam"))
    }
}
