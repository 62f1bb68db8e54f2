import Testing
import CreditKit
@testable import ConsoleUI

/// `u` on a workspace (R37, R39): the auto top-up form, prefilled from the rule in force; the
/// confirmation submits the command line's `auto-topup set|off|resume`; refusals show the
/// engine's line and write nothing.
@Suite struct AutoTopUpFormTests {
    /// A console on acme as `actor` (maria is support, sam the owner, lee a member).
    static func onAcme(as actor: String = "maria", fixture: ConsoleFixture = ConsoleFixture(),
                       size: Size = Size(width: 80, height: 24)) throws -> Driver {
        var driver = Driver(as: actor, size: size, fixture: fixture)
        if driver.state.top == .accounts {
            for _ in 0..<4 where driver.state.selectedAccount != "acme" { driver.keys(.down) }
            driver.keys(.enter)
        }
        try #require(driver.state.openWorkspace?.id == "acme", "acme did not open: \(driver.screen)")
        return driver
    }

    static let rule = AutoTopUpRule(threshold: 100, pack: "topup_100", targetBalance: nil, capCents: 25_000)

    @Test("R37: u, a threshold, a pack, a cap and y record the rule through the engine's auto-topup set")
    func R37_setTheRuleFromTheWorkspace() throws {
        var driver = try Self.onAcme()
        driver.keys(.character("u"))
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.threshold.text.isEmpty && form.choice == 0, "no rule yet: the first pack, nothing typed")
        driver.type("100")
        driver.keys(.tab, .right, .tab)
        driver.type("250")
        driver.keys(.enter)
        guard case let .setting(confirmation, focus)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        #expect(focus == .cancel)
        #expect(confirmation.command == .setAutoTopUp(workspace: "acme", rule: Self.rule))
        #expect(driver.screen.contains("Confirm auto top-up rule") && driver.screen.contains("at or below 100 credits"), "\(driver.screen)")
        #expect(driver.screen.contains("topup_100 ($100.00 → 1,000 credits)") && driver.screen.contains("At most $250.00"), "\(driver.screen)")
        let written = driver.fixture.journal.count
        driver.keys(.character("y"))
        #expect(driver.fixture.journal.count > written)
        #expect(driver.fixture.state.workspaces["acme"]?.autoTopUp.rule == Self.rule)
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.text == "Auto top-up rule set", "\(String(describing: driver.state.flash))")
        #expect(driver.screen.contains("≤100 → topup_100"), "\(driver.screen)")
    }

    @Test("R37: a target balance instead of a pack")
    func R37_targetBalanceInsteadOfAPack() throws {
        var driver = try Self.onAcme()
        driver.keys(.character("u"))
        driver.type("50")
        driver.keys(.tab, .left)
        #expect(driver.screen.contains("a target balance"), "\(driver.screen)")
        driver.keys(.tab)
        driver.type("800")
        driver.keys(.tab)
        driver.type("100")
        driver.keys(.enter, .character("y"))
        #expect(driver.fixture.state.workspaces["acme"]?.autoTopUp.rule
                == AutoTopUpRule(threshold: 50, pack: nil, targetBalance: 800, capCents: 10_000))
    }

    @Test("R37: a cap with cents opens as it is, so confirming the rule unchanged keeps it; cents are typed after a point")
    func R37_aCapWithCentsIsKeptToTheCent() throws {
        var fixture = ConsoleFixture()
        let rule = AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 25_050)
        fixture.run(.setAutoTopUp(workspace: "acme", rule: rule), as: "sam")
        var driver = try Self.onAcme(fixture: fixture)
        driver.keys(.character("u"))
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.cap.text == "250.50" && form.cap.scaled == 25_050, "\(form.cap)")
        driver.keys(.enter)
        guard case let .setting(confirmation, _)? = driver.state.dialog else {
            #expect(driver.state.flash != nil || driver.screen.contains("already"), "unchanged: \(driver.screen)")
            return
        }
        #expect(confirmation.command == .setAutoTopUp(workspace: "acme", rule: rule), "the cap is not rounded: \(confirmation.command)")
    }

    @Test("R37: the cap field takes one point and two cents, and refuses a third", arguments: [
        ("99.5", Int64?.some(9_950), NumberField.Refusal?.none), ("99.05", 9_905, nil), ("99.055", 9_905, .tooManyDecimals(2)),
        ("9.9.", 990, .onePoint), ("9,5", 900, .onePoint), (".5", nil, .onePoint),
    ])
    func R37_capFieldTakesCents(typed: String, cents: Int64?, refusal: NumberField.Refusal?) {
        let field = NumberFieldLimits.capDollars(typed)
        #expect(field.scaled == cents && field.refusal == refusal, "\(typed): \(field)")
    }

    @Test("R37: the form opens prefilled from the rule in force")
    func R37_formIsPrefilledFromTheRule() throws {
        var fixture = ConsoleFixture()
        fixture.run(.setAutoTopUp(workspace: "acme", rule: AutoTopUpRule(threshold: 20, pack: "topup_400", targetBalance: nil, capCents: 80_000)),
                    as: "sam")
        var driver = try Self.onAcme(fixture: fixture)
        driver.keys(.character("u"))
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.threshold.text == "20" && form.cap.text == "800")
        #expect(fixture.state.catalog.packs[form.choice].id == "topup_400")
        #expect(driver.screen.contains("In force: ≤20 → topup_400"), "\(driver.screen)")
    }

    @Test("R37: a cap below the pack's price and a threshold out of range show the engine's line and write nothing",
          arguments: [("100", 4, "100"), ("99999999", 0, "100")])
    func R37_refusalsShowTheEnginesLine(threshold: String, pack: Int, cap: String) throws {
        var driver = try Self.onAcme()
        driver.keys(.character("u"))
        driver.type(threshold)
        driver.keys(.tab)
        for _ in 0..<pack { driver.keys(.right) }
        driver.keys(.tab)
        driver.type(cap)
        let written = driver.fixture.journal.count
        driver.keys(.enter)
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("the form closed: \(driver.screen)"); return }
        let packID = driver.fixture.state.catalog.packs[pack].id
        let rule = AutoTopUpRule(threshold: Int64(threshold)!, pack: packID, targetBalance: nil, capCents: Int64(cap)! * 100)
        guard case .failure(let rejection) = Engine.decide(.setAutoTopUp(workspace: "acme", rule: rule), in: driver.fixture.state,
                                                           context: CommandContext(actor: "maria", time: driver.state.now)) else {
            Issue.record("the engine takes \(rule)"); return
        }
        // A range refusal is worded for the form's own fields (no command-line flag); the others
        // are the engine's line.
        let expected = AutoTopUpForm.fieldProblem(.setAutoTopUp(workspace: "acme", rule: rule), in: driver.fixture.state,
                                                  context: CommandContext(actor: "maria", time: driver.state.now))?.0 ?? rejection.message
        #expect(form.problem == expected)
        #expect(!(form.problem ?? "").contains("--"), "\(form.problem ?? "")")
        #expect(driver.state.dialog == nil && driver.fixture.journal.count == written)
        #expect(driver.screen.contains(String(expected.prefix(40))), "\(driver.screen)")
    }

    @Test("R37, R18: a member is refused the form, and neither the hint nor help offers it")
    func R37_memberIsNotPermitted() throws {
        var driver = try Self.onAcme(as: "lee", size: Size(width: 120, height: 40))
        #expect(!driver.screen.contains("u auto") && !driver.screen.contains("m limits"), "\(driver.screen)")
        driver.keys(.character("?"))
        #expect(!driver.screen.contains("auto top-up rule"), "\(driver.screen)")
        driver.keys(.escape, .character("u"))
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.kind == .refusal, "\(String(describing: driver.state.flash))")
    }

    @Test("R37, R40: the owner is offered both keys on the hint line (where it has room) and in help")
    func R37_R40_ownerIsOfferedTheKeysInHintsAndHelp() throws {
        var driver = try Self.onAcme(as: "sam", size: Size(width: 120, height: 40))
        let hints = driver.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(hints.contains("u auto top-up") && hints.contains("m limits") && hints.contains("? help"), "\(hints)")
        driver.keys(.character("?"))
        #expect(driver.screen.contains("auto top-up rule: set, switch off, resume"), "\(driver.screen)")
        #expect(driver.screen.contains("members' monthly limits"), "\(driver.screen)")
    }

    @Test("R37: a read-only desk refuses u and writes nothing")
    func R37_readOnlyDeskRefusesTheForm() throws {
        var driver = try Self.onAcme()
        driver.state.session.readOnly = true
        driver.keys(.character("u"))
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.text.hasPrefix("read-only desk") == true)
    }

    @Test("R37: o in the form switches the rule off, after a confirmation")
    func R37_switchOffFromTheForm() throws {
        var fixture = ConsoleFixture()
        fixture.run(.setAutoTopUp(workspace: "acme", rule: Self.rule), as: "sam")
        var driver = try Self.onAcme(as: "sam", fixture: fixture)
        driver.keys(.character("u"), .character("o"))
        guard case .setting(let confirmation, _)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        #expect(confirmation.command == .autoTopUpOff(workspace: "acme"))
        #expect(driver.screen.contains("Switch auto top-up off"), "\(driver.screen)")
        driver.keys(.character("y"))
        #expect(driver.fixture.state.workspaces["acme"]?.autoTopUp.rule == nil)
        #expect(driver.state.flash?.text == "Auto top-up switched off")
        // Off again: the engine's line, nothing written.
        driver.keys(.character("u"), .character("o"))
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("the form closed: \(driver.screen)"); return }
        #expect(driver.state.dialog == nil && form.problem != nil, "\(driver.screen)")
    }

    @Test("R39: p in the form resumes a rule paused after three declines")
    func R39_resumeFromTheForm() throws {
        var fixture = ConsoleFixture()
        let balance = fixture.state.workspaces["acme"]?.balance ?? 0
        fixture.run(.adjust(workspace: "acme", amount: 10 - balance, reason: "spent elsewhere"), as: "maria")
        fixture.run(.setAutoTopUp(workspace: "acme", rule: AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 10_000)),
                    as: "sam")
        for _ in 1...3 {
            guard let request = fixture.state.workspaces["acme"]?.autoTopUp.pending?.id else { break }
            fixture.run(.topUpDeclined(workspace: "acme", request: request, reason: nil), as: "maria")
            fixture.tick(hours: 5)
            fixture.run(.adjust(workspace: "acme", amount: 1, reason: "t"), as: "maria")
        }
        try #require(fixture.state.workspaces["acme"]?.autoTopUp.paused == true)
        var driver = try Self.onAcme(as: "sam", fixture: fixture)
        driver.keys(.character("u"), .character("p"))
        guard case .setting(let confirmation, _)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        #expect(confirmation.command == .resumeAutoTopUp(workspace: "acme"))
        #expect(driver.screen.contains("Resume auto top-up"), "\(driver.screen)")
        driver.keys(.character("y"))
        #expect(driver.fixture.state.workspaces["acme"]?.autoTopUp.paused == false)
        #expect(driver.fixture.state.workspaces["acme"]?.autoTopUp.rule != nil)
    }

    @Test("R37: letters in a number field are refused beside it; Esc leaves the form with nothing written")
    func R37_lettersAreRefusedAndEscWritesNothing() throws {
        var driver = try Self.onAcme()
        let written = driver.fixture.journal.count
        driver.keys(.character("u"))
        driver.type("1z")
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("no form"); return }
        #expect(form.threshold.text == "1" && form.threshold.refusal == .digitsOnly)
        #expect(driver.screen.contains("digits only"), "\(driver.screen)")
        driver.keys(.escape)
        #expect(driver.state.top == .workspace && driver.fixture.journal.count == written)
    }
}

/// An open rule or limit confirmation follows the ledger: decided again when another desk writes.
@Suite struct SettingDialogRefreshTests {
    @Test("R37: the off confirmation closes, saying so, when another desk switched the rule off meanwhile")
    func R37_offConfirmationClosesWhenAnotherDeskSwitchedItOff() throws {
        var fixture = ConsoleFixture()
        fixture.run(.setAutoTopUp(workspace: "acme", rule: AutoTopUpFormTests.rule), as: "sam")
        var driver = try AutoTopUpFormTests.onAcme(as: "sam", fixture: fixture)
        driver.keys(.character("u"), .character("o"))
        guard case .setting? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        driver.fixture.run(.autoTopUpOff(workspace: "acme"), as: "maria")
        let written = driver.fixture.journal.count
        driver.send(.ledgerChanged(driver.fixture.state))
        #expect(driver.state.dialog == nil, "\(driver.screen)")
        guard case .autoTopUp(let form) = driver.state.top else { Issue.record("the form closed: \(driver.screen)"); return }
        #expect(form.problem != nil && driver.state.flash != nil)
        #expect(driver.fixture.journal.count == written)
    }
}
