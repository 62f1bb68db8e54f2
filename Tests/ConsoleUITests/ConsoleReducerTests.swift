import Testing
import CreditKit
@testable import ConsoleUI

/// Keys in, state and effects out: every flow of the console, refusals included.
@Suite struct ConsoleReducerTests {
    @Test func supportAgentStartsOnAccountsWithEveryWorkspace() {
        let driver = Driver(as: "maria")
        #expect(driver.state.stack == [.accounts])
        #expect(driver.state.accounts.rows == ["acme", "bright", "corner"])
    }

    /// A large ledger opens with summaries only: Accounts lists every workspace, and opening one
    /// asks for it to be loaded, then opens it once it arrives.
    @Test func aWorkspaceKnownOnlyBySummaryLoadsWhenOpened() {
        let fixture = ConsoleFixture()
        var partial = fixture.state
        partial.workspaces = [:]
        let session = Session(actor: "maria", ledgerLabel: "konfiwear", demo: false, glyphs: Glyphs(ascii: false))
        let summaries = fixture.state.workspaces.values.map(WorkspaceSummary.init)
        var (state, _) = ConsoleState.initial(ledger: partial, summaries: summaries, session: session, now: fixture.clock,
                                              size: Size(width: 80, height: 24))
        #expect(state.accounts.rows == ["acme", "bright", "corner"])
        let rendered = render(state, size: Size(width: 80, height: 24)).text
        #expect(rendered.contains("bright"))
        var effects: [Effect]
        (state, effects) = reduce(state, .key(.enter))
        #expect(effects.contains { if case .loadWorkspace("acme") = $0 { return true } else { return false } })
        #expect(state.stack == [.accounts], "nothing opens before the workspace is loaded")
        (state, effects) = reduce(state, .ledgerChanged(fixture.state))
        #expect(state.stack == [.accounts, .workspace])
        #expect(state.workspace?.id == "acme")
        #expect(effects.contains { if case .loadHistory = $0 { return true } else { return false } })
    }

    @Test func ownerSeesOnlyTheirWorkspaces() {
        let driver = Driver(as: "sam")
        #expect(driver.state.accounts.rows == ["acme", "corner"])
        #expect(driver.screen.contains("Your workspaces"))
    }

    @Test func ownerOfOneWorkspaceOpensItDirectly() {
        let driver = Driver(as: "kim")
        #expect(driver.state.stack == [.workspace])
        #expect(driver.state.workspace?.id == "bright")
    }

    @Test func qQuitsOnlyFromTheBottomScreenAndCtrlCAlways() {
        var driver = Driver()
        driver.keys(.enter)
        #expect(driver.state.stack == [.accounts, .workspace])
        driver.keys(.character("q"))
        #expect(driver.state.stack == [.accounts])
        #expect(!driver.quit)
        driver.keys(.enter, .character("t"), .control("c"))
        #expect(driver.quit)
        var top = Driver()
        top.keys(.escape)
        #expect(!top.quit)
        top.keys(.character("q"))
        #expect(top.quit)
    }

    @Test func movementKeysClampAndCount() {
        var driver = Driver(fixture: ConsoleFixture(extraWorkspaces: 40))
        driver.keys(.character("G"))
        #expect(driver.state.accounts.cursor.selected == 42)
        #expect(driver.screen.contains("(43/43)"))
        driver.keys(.character("K"), .character("k"), .up)
        #expect(driver.state.accounts.cursor.selected == 30)
        driver.keys(.character("g"), .pageDown)
        #expect(driver.state.accounts.cursor.selected == 18)
        driver.keys(.character("J"), .character("J"), .character("J"))
        #expect(driver.state.accounts.cursor.selected == 42)
    }

    @Test func slashFiltersLiveAndEscClears() {
        var driver = Driver()
        driver.keys(.character("/"))
        driver.type("bri")
        #expect(driver.state.accounts.rows == ["bright"])
        #expect(driver.screen.contains("(1/1)"))
        driver.keys(.enter)
        #expect(!driver.state.accounts.editingFilter)
        driver.keys(.character("/"), .escape)
        #expect(driver.state.accounts.rows.count == 3)
    }

    @Test func sortCyclesAndKeepsTheSelection() {
        var driver = Driver()
        driver.keys(.down)
        #expect(driver.state.selectedAccount == "bright")
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .name && driver.state.accounts.reversed, "s again on the same order turns it round")
        #expect(driver.state.selectedAccount == "bright")
        driver.keys(.character("s"))
        #expect(driver.state.accounts.sort == .balance)
        #expect(driver.state.accounts.rows.first == "bright")
        #expect(driver.state.selectedAccount == "bright")
    }

    @Test func openingAWorkspaceReadsOnlyTheRowsNearTheView() {
        var driver = Driver()
        driver.keys(.enter)
        let loads = driver.effects.compactMap { effect -> HistoryRequest? in
            if case .loadHistory(let request) = effect { return request } else { return nil }
        }
        #expect(loads.count == 1)
        #expect(loads[0].start == 0 && loads[0].count == Layout.historyRows(driver.state.size) + 2 * Layout.historyPrefetch)
        #expect(driver.state.workspace?.total == 44)
        #expect(driver.screen.contains("(1/44)"))
        #expect(driver.screen.contains("adjustment"))
    }

    @Test func kindFilterAndSearchNarrowTheHistory() {
        var driver = Driver()
        driver.keys(.enter, .character("f"))
        #expect(driver.state.workspace?.kind == .grant)
        #expect(driver.state.workspace?.total == 1)
        driver.keys(.character("f"), .character("f"))
        #expect(driver.state.workspace?.kind == .charge)
        #expect(driver.state.workspace?.total == 40)
        driver.keys(.character("/"))
        driver.type("print")
        #expect(driver.state.workspace?.total == 13)
        driver.keys(.escape)
        #expect(driver.state.workspace?.search == "")
    }

    @Test func enterShowsAnEntryInFullAndEscComesBack() {
        var driver = Driver()
        driver.keys(.enter, .enter)
        guard case .entryDetail(let entry) = driver.state.top else { Issue.record("no detail"); return }
        #expect(entry.kind == .adjustment)
        #expect(driver.screen.contains("print job billed twice"))
        #expect(driver.screen.contains("Hash"))
        driver.keys(.escape)
        #expect(driver.state.top == .workspace)
    }

    @Test func purchaseConfirmationStartsOnCancelAndYBuys() {
        var driver = Driver(as: "kim")
        driver.keys(.character("t"), .down, .down, .enter)
        guard case .purchase(let purchase, let focus)? = driver.state.dialog else { Issue.record("no dialog"); return }
        #expect(focus == .cancel)
        #expect(purchase.pack.id == "topup_200" && purchase.balanceBefore == 8 && purchase.balanceAfter == 2_208)
        #expect(driver.screen.contains("Balance 8 → 2,208 (● comfortable)"))
        driver.keys(.character("y"))
        #expect(driver.effects.contains(.submit(.topUp(workspace: "bright", pack: "topup_200", payment: "console-1"))))
        #expect(driver.state.top == .workspace)
        #expect(driver.state.openWorkspace?.balance == 2_208)
        #expect(driver.screen.contains("Bought topup_200 for $200.00: +2,200 credits"))
        #expect(driver.screen.contains("COMFORTABLE"))
    }

    @Test func enterOnCancelAndEscBackOutWithoutBuying() {
        var driver = Driver(as: "kim")
        driver.keys(.character("t"), .enter, .enter)
        #expect(driver.state.dialog == nil)
        driver.keys(.enter, .escape)
        #expect(driver.state.dialog == nil)
        driver.keys(.enter, .character("n"))
        #expect(driver.state.dialog == nil)
        driver.keys(.enter, .right, .left)
        #expect(driver.state.dialog?.focus == .cancel)
        driver.keys(.right, .enter)
        #expect(driver.effects.contains(.submit(.topUp(workspace: "bright", pack: "topup_50", payment: "console-4"))))
        #expect(!driver.effects.isEmpty)
    }

    @Test func memberCannotBuyAndIsToldWhy() {
        var driver = Driver(as: "ivy")
        driver.keys(.character("t"))
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.kind == .refusal)
        #expect(driver.state.flash?.text.contains("ivy cannot buy a top-up pack") == true)
        #expect(!driver.effects.contains { if case .submit = $0 { return true } else { return false } })
    }

    @Test func supportCannotRunActionsAndOwnersCannotAdjust() {
        var support = Driver(as: "maria")
        support.keys(.enter, .character("r"))
        #expect(support.state.top == .workspace)
        #expect(support.state.flash?.kind == .refusal)
        var owner = Driver(as: "kim")
        owner.keys(.character("a"))
        #expect(owner.state.top == .workspace)
        #expect(owner.state.flash?.text.contains("kim cannot adjust a balance") == true)
    }

    @Test func runActionShowsCostAndBalanceAfter() {
        var driver = Driver(as: "kim")
        driver.keys(.character("r"), .down, .enter)
        guard case .run(let run, .cancel)? = driver.state.dialog else { Issue.record("no dialog"); return }
        #expect(run.action.id == "ai_vectorize" || run.action.credits == 4)
        #expect(run.balanceBefore == 8 && run.balanceAfter == 4)
        driver.keys(.character("y"))
        #expect(driver.state.openWorkspace?.balance == 4)
        #expect(driver.state.workspace?.window.first?.kind == .charge)
    }

    @Test func insufficientNoticeOffersTheSmallestCoveringPack() {
        var driver = Driver(as: "kim")
        driver.keys(.character("r"), .character("G"), .enter)
        guard case .insufficient(let notice, _)? = driver.state.dialog else { Issue.record("no notice"); return }
        #expect(notice.cost == 100 && notice.balance == 8 && notice.shortfall == 92)
        #expect(notice.suggestion?.label == "topup_50")
        #expect(driver.screen.contains("you are 92 credits short"))
        driver.keys(.character("b"))
        guard case .topUp(let picker) = driver.state.top else { Issue.record("no picker"); return }
        #expect(picker.cursor.selected == 0)
        #expect(driver.state.dialog == nil)
        driver.keys(.enter, .character("y"))
        #expect(driver.state.openWorkspace?.balance == 508)
    }

    @Test("A shortfall of one says 1 credit, in the notice and in the run list")
    func aShortfallOfOneIsOneCredit() {
        var fixture = ConsoleFixture()
        fixture.run(.adjust(workspace: "bright", amount: 91, reason: "top"), as: "maria")
        var driver = Driver(as: "kim", fixture: fixture)
        driver.keys(.character("r"))
        #expect(driver.screen.contains("short by 1"), "\(driver.screen)")
        driver.keys(.character("G"), .enter)
        #expect(driver.screen.contains("you are 1 credit short."), "\(driver.screen)")
    }

    @Test func memberAtTheNoticeIsToldWhoCanBuy() {
        var driver = Driver(as: "ivy")
        driver.keys(.character("r"), .character("G"), .enter)
        guard case .insufficient(let notice, _)? = driver.state.dialog else { Issue.record("no notice"); return }
        #expect(!notice.canBuy)
        #expect(driver.screen.contains("Only the owner, kim, can buy credits"))
        driver.keys(.character("b"))
        #expect(driver.state.flash?.kind == .refusal)
    }

    @Test func adjustNeedsAReasonThenConfirmsAndRecordsTheAgent() {
        var driver = Driver(as: "maria")
        driver.keys(.down, .enter, .character("a"))
        guard case .adjust = driver.state.top else { Issue.record("no form"); return }
        driver.type("-3")
        driver.keys(.tab, .enter)
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.problem?.contains("reason: required") == true)
        driver.type("duplicate upload")
        driver.keys(.enter)
        guard case .adjustment(let confirmation, .cancel)? = driver.state.dialog else { Issue.record("no confirmation"); return }
        #expect(confirmation.amount == -3 && confirmation.balanceAfter == 5)
        driver.keys(.character("y"))
        #expect(driver.state.top == .workspace)
        let newest = driver.state.workspace?.window.first
        #expect(newest?.kind == .adjustment && newest?.actor == "maria" && newest?.reason == "duplicate upload")
    }

    @Test("R19: the adjustment's reason field stops at the engine's limit in bytes, even when the last character is two bytes")
    func R19_adjustReasonStaysWithinTheEnginesLimit() {
        var driver = Driver(as: "maria")
        driver.keys(.down, .enter, .character("a"))
        driver.type("-3")
        driver.keys(.tab)
        driver.type(String(repeating: "r", count: FreeText.reasonLengthMax - 1) + "é")
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.reason.utf8.count == FreeText.reasonLengthMax - 1, "\(form.reason.utf8.count) bytes")
        driver.keys(.enter)
        guard case .adjustment? = driver.state.dialog else { Issue.record("the reason was refused: \(driver.screen)"); return }
    }

    @Test func adjustRejectsAZeroAmount() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("a"))
        driver.type("0")
        driver.keys(.tab)
        driver.type("x")
        driver.keys(.enter)
        guard case .adjust(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.problem?.contains("not zero") == true)
        #expect(driver.state.dialog == nil)
    }

    @Test func budgetPlannerIsLive() {
        var driver = Driver(as: "maria")
        driver.keys(.character("b"))
        driver.type("50")
        driver.keys(.tab, .tab)
        driver.type("30")
        guard case .budget(let model) = driver.state.top else { Issue.record("no planner"); return }
        #expect(model.budget?.creditsNeeded == 420)
        driver.keys(.character("p"), .character("p"))
        guard case .budget(let withPlan) = driver.state.top else { return }
        #expect(withPlan.plan == "pro")
        #expect(withPlan.budget?.coveredByGrant == 50)
        #expect(driver.screen.contains("Credits needed"))
        #expect(driver.screen.contains("420"))
    }

    @Test func liveChangesKeepTheSelectedEntryAndScroll() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .down, .down)
        let selected = driver.state.workspace?.entry(at: 2)
        driver.fixture.run(.charge(workspace: "acme", action: "ai_graphic", job: "live-1"), as: "lee")
        driver.fixture.run(.charge(workspace: "acme", action: "ai_graphic", job: "live-2"), as: "lee")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.state.workspace?.total == 46)
        #expect(driver.state.workspace?.cursor.selected == 4)
        #expect(driver.state.workspace?.entry(at: 4) == selected)
        #expect(driver.state.workspace?.window.first?.job == "live-2")
    }

    @Test func tooSmallSaysWhatIsNeededAndQStillQuits() {
        var driver = Driver()
        driver.keys(.enter)
        driver.send(.resize(Size(width: 60, height: 15)))
        #expect(driver.screen.contains("needs at least 80×24"))
        #expect(driver.screen.contains("This window is 60×15"))
        driver.keys(.character("j"))
        driver.send(.resize(Size(width: 80, height: 24)))
        #expect(driver.screen.contains("Credit history"))
        driver.send(.resize(Size(width: 1, height: 1)))
        _ = driver.screen
        driver.send(.resize(Size(width: 0, height: 0)))
        _ = driver.screen
        driver.keys(.character("q"))
        #expect(driver.quit)
    }

    @Test func everyScreenRendersAtEverySmallSize() {
        var driver = Driver(as: "kim")
        driver.keys(.character("r"), .character("G"), .enter)
        for width in [0, 1, 2, 5, 79, 80] {
            for height in [0, 1, 3, 23, 24] {
                _ = render(driver.state, size: Size(width: width, height: height))
            }
        }
    }

    @Test func helpListsTheKeysOfTheCurrentScreenAndAnyKeyCloses() {
        var driver = Driver()
        driver.keys(.enter, .character("?"))
        #expect(driver.state.showingHelp)
        #expect(driver.screen.contains("Keys: Workspace and history"))
        #expect(driver.screen.contains("filter by kind"))
        driver.keys(.character("x"))
        #expect(!driver.state.showingHelp)
    }

    @Test func mouseWheelScrollsAndClickSelectsThenOpens() {
        var driver = Driver(fixture: ConsoleFixture(extraWorkspaces: 40))
        driver.send(.mouse(.wheelDown(x: 5, y: 10)))
        #expect(driver.state.accounts.cursor.scroll == 3)
        driver.send(.mouse(.click(x: 5, y: Layout.accountsTop + 2)))
        #expect(driver.state.accounts.cursor.selected == 5)
        driver.send(.mouse(.click(x: 5, y: Layout.accountsTop + 2)))
        #expect(driver.state.top == .workspace)
    }

    @Test func mouseClickPressesDialogButtons() {
        var driver = Driver(as: "kim")
        driver.keys(.character("t"), .enter)
        guard let dialog = driver.state.dialog else { Issue.record("no dialog"); return }
        let buttons = DialogContent.widget(dialog, state: driver.state).buttons(in: driver.state.size)
        let confirm = buttons.first { $0.0 == .confirm }!.1
        driver.send(.mouse(.click(x: confirm.x + 1, y: confirm.y)))
        #expect(driver.effects.contains(.submit(.topUp(workspace: "bright", pack: "topup_50", payment: "console-1"))))
    }

    @Test func themeWarningsShowOnOpening() {
        let driver = Driver(warnings: ["mine line 3: unknown key \"bogus\""])
        #expect(driver.screen.contains("theme: mine line 3: unknown key"))
    }
}

extension ConsoleReducerTests {
    @Test func escOnAccountsClearsAnAppliedFilterBeforeAnythingElse() {
        var driver = Driver(as: "maria")
        driver.keys(.character("/"))
        driver.type("ac")
        driver.keys(.enter)
        #expect(driver.state.accounts.rows == ["acme"])
        driver.keys(.escape)
        #expect(driver.state.accounts.filter.isEmpty)
        #expect(driver.state.accounts.rows.count == 3)
        #expect(driver.state.accounts.rows[driver.state.accounts.cursor.selected] == "acme", "the selection stays on the row")
    }
}
