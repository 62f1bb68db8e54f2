import Testing
import CreditKit
@testable import ConsoleUI

/// R35 in the console's reducer: a hold another desk makes reaches the screens as held and
/// available, the badge and the Accounts balance follow the available balance, and the job's
/// charge captures it.
@Suite struct HoldConsoleTests {
    @Test("R35: the badge and the Accounts balance follow the available balance; the charge captures the hold")
    func R35_badgeAndAccountsFollowTheAvailableBalance() throws {
        var driver = Driver(as: "maria")
        driver.fixture.run(.adjust(workspace: "bright", amount: 95, reason: "top up by hand"), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.keys(.down, .enter)
        #expect(driver.state.openWorkspace?.id == "bright")
        #expect(driver.screen.contains("COMFORTABLE") && !driver.screen.contains("held"), "\(driver.screen)")

        driver.fixture.run(.hold(workspace: "bright", action: "ai_graphic", job: "j-9", ttlSeconds: nil), as: "ivy")
        driver.send(.ledgerChanged(driver.fixture.state))
        let ws = try #require(driver.state.openWorkspace)
        #expect((ws.balance, ws.held, ws.available) == (103, 6, 97))
        #expect(driver.screen.contains("held 6 · available 97"), "\(driver.screen)")
        #expect(driver.screen.contains("RUNNING LOW"), "103 less 6 held is running low: \(driver.screen)")
        #expect(driver.screen.contains("ai_graphic until 10:00 · jo…"), "cut to the column at 80, the id last: \(driver.screen)")
        driver.send(.resize(Size(width: 120, height: 40)))
        #expect(driver.screen.contains("ai_graphic until 10:00 · job j-9"), "\(driver.screen)")

        let summary = try #require(driver.state.summaries["bright"])
        let columns = AccountsScreen.columns(width: 80, ownerWidth: 3)
        let cells = AccountsScreen.cells(summary, columns: columns, state: driver.state)
        #expect(cells[columns.firstIndex(of: .balance)!].text == "97◔")
        #expect(cells[columns.firstIndex(of: .badge)!].text.contains("running low"))

        driver.fixture.run(.charge(workspace: "bright", action: "ai_graphic", job: "j-9"), as: "ivy")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.state.openWorkspace?.held == 0)
        #expect(!driver.screen.contains("available 97") && driver.screen.contains("97 cr"), "\(driver.screen)")
        let after = try #require(driver.state.summaries["bright"])
        #expect(AccountsScreen.cells(after, columns: columns, state: driver.state)[columns.firstIndex(of: .balance)!].text == "97")
    }

    @Test("R25: the budget planner of a workspace with a hold counts the available balance, as the header shows it")
    func R25_budgetPlannerCountsTheAvailableBalance() throws {
        var driver = Driver(as: "maria")
        driver.fixture.run(.adjust(workspace: "bright", amount: 95, reason: "top up by hand"), as: "maria")
        driver.fixture.run(.hold(workspace: "bright", action: "ai_graphic", job: "j-9", ttlSeconds: nil), as: "ivy")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.keys(.down, .enter)
        let ws = try #require(driver.state.openWorkspace)
        #expect((ws.balance, ws.held, ws.available) == (103, 6, 97))
        driver.keys(.character("b"))
        guard case .budget(let model) = driver.state.top else { Issue.record("no planner: \(driver.screen)"); return }
        #expect(model.balance == 97)
        #expect(driver.screen.contains("balance counted: 97"), "\(driver.screen)")
    }

    @Test("R35: a hold's detail gives its time to live and what became of it")
    func R35_holdDetailSaysOpenCapturedOrReleased() throws {
        var driver = Driver(as: "maria")
        driver.fixture.run(.hold(workspace: "acme", action: "ai_graphic", job: "j-open", ttlSeconds: 5_400), as: "lee")
        driver.fixture.run(.hold(workspace: "acme", action: "print_file", job: "j-done", ttlSeconds: nil), as: "lee")
        driver.fixture.run(.charge(workspace: "acme", action: "print_file", job: "j-done"), as: "lee")
        let captureSeq = driver.fixture.journal.last!.seq
        driver.fixture.run(.hold(workspace: "acme", action: "ai_vectorize", job: "j-fail", ttlSeconds: nil), as: "lee")
        driver.fixture.run(.jobFailed(workspace: "acme", job: "j-fail"), as: "lee")
        driver.send(.ledgerChanged(driver.fixture.state))
        let entries = driver.fixture.journal.filter { $0.kind == .hold }
        func outcome(_ job: String) -> String {
            let entry = entries.first { $0.job == job }!
            return EntryDetailScreen.holdRows(entry, state: driver.state).map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        }
        #expect(outcome("j-open").contains("Time to live: 1h 30m, until 2026-01-10T10:30:00Z"), "\(outcome("j-open"))")
        #expect(outcome("j-open").contains("Outcome: open: 6 held until 10:30"), "\(outcome("j-open"))")
        #expect(outcome("j-done").contains("Outcome: captured by charge #\(captureSeq)"), "\(outcome("j-done"))")
        #expect(outcome("j-fail").contains("Outcome: released"), "\(outcome("j-fail"))")
        driver.send(.clock(Timestamp(iso8601: "2026-01-10T11:00:00Z")!))
        #expect(outcome("j-open").contains("Outcome: expired: released by the next write"), "\(outcome("j-open"))")
    }

    @Test("R35: a hold that outlives its time to live leaves the Accounts row at once, with nobody writing")
    func R35_aHoldPastItsDeadlineLeavesTheAccountsRowOnTheClock() throws {
        var driver = Driver(as: "maria")
        driver.fixture.run(.hold(workspace: "corner", action: "ai_graphic", job: "j-1", ttlSeconds: 600), as: "sam")
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.state.summaries["corner"]?.held == 6)
        driver.send(.clock(Timestamp(iso8601: "2026-01-10T09:09:00Z")!))
        #expect(driver.state.summaries["corner"]?.held == 6, "still within its ten minutes")
        driver.send(.clock(Timestamp(iso8601: "2026-01-10T09:10:00Z")!))
        #expect(driver.state.summaries["corner"]?.held == 0, "the Accounts row still holds an expired hold")
        #expect(driver.state.summaries["corner"]?.available == 500)
    }

    @Test("R35, R8: a run refused because holds reserve the credits opens the insufficient notice, naming available and held")
    func R35_aRunBeyondTheAvailableBalanceOpensTheNotice() throws {
        var driver = Driver(as: "kim")
        driver.fixture.run(.hold(workspace: "bright", action: "print_file", job: "j-long", ttlSeconds: nil), as: "ivy")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.keys(.character("r"))
        let picker = driver.screen.split(separator: "\n").first { $0.contains("AI graphic generation") } ?? ""
        #expect(picker.contains("short by 2"), "8 less 4 held leaves 4 for a 6-credit graphic: \(driver.screen)")
        #expect(driver.screen.split(separator: "\n")[0].contains("available ✖ 4 cr (critical)"), "the header: \(driver.screen)")
        driver.keys(.enter)
        guard case let .insufficient(notice, _)? = driver.state.dialog else {
            Issue.record("no notice; the screen shows:\n\(driver.screen)"); return
        }
        #expect((notice.cost, notice.balance, notice.held, notice.shortfall) == (6, 4, 4, 2))
        #expect(driver.screen.contains("Available is 4 (4 held): you are 2 credits short"), "\(driver.screen)")
        #expect(driver.fixture.state.workspaces["bright"]?.balance == 8, "a refusal wrote something")
    }

    @Test("R35: a run's confirmation under a hold shows the available balance before and after, and what is held")
    func R35_aRunConfirmationShowsTheAvailableBalance() throws {
        var driver = Driver(as: "kim")
        driver.fixture.run(.adjust(workspace: "bright", amount: 20, reason: "room for two"), as: "maria")
        driver.fixture.run(.hold(workspace: "bright", action: "print_file", job: "j-long", ttlSeconds: nil), as: "ivy")
        driver.send(.ledgerChanged(driver.fixture.state))
        driver.keys(.character("r"), .enter)
        guard case .run? = driver.state.dialog else { Issue.record("no run dialog:\n\(driver.screen)"); return }
        // 28 less 4 held is 24 available; the graphic's 6 leaves 18.
        #expect(driver.screen.contains("Available 24 → 18"), "\(driver.screen)")
        #expect(driver.screen.contains("4 held"), "\(driver.screen)")
        #expect(!driver.screen.contains("Balance 28 → 22"), "\(driver.screen)")
    }
}
