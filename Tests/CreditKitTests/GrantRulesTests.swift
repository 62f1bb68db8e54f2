import Testing
@testable import CreditKit

/// R10–R16: grants on paid invoices, trials, plan changes, cancellation, top-ups and expiry.
@Suite struct GrantRulesTests {
    @Test("R22: a Starter invoice records its grant of 0, which the workspace's history count leaves out")
    func R22_aGrantOfZeroIsRecordedButNotAHistoryRow() throws {
        var h = Harness.acme(plan: "starter")
        let countBefore = h.ws().creditEntryCount
        let grant = try #require(h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support).first)
        #expect(grant.kind == .grant && grant.credits == 0 && !grant.showsInHistory)
        #expect(h.ws().invoices["inv-1"] == grant.seq, "R10: the invoice id is kept")
        #expect(h.ws().creditEntryCount == countBefore)
        h.append(.changePlan(workspace: "acme", plan: "pro"), as: People.support)
        let paid = try #require(h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support).first)
        #expect(paid.credits == 50 && paid.showsInHistory)
        #expect(h.ws().creditEntryCount == countBefore + 1)
    }

    @Test func R10_grantOnPaidInvoiceOncePerInvoice() throws {
        var h = Harness.acme(plan: "pro")
        let entries = h.append(.invoicePaid(workspace: "acme", invoice: "inv-311"), as: People.support)
        let grant = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(grant.kind == .grant)
        #expect(grant.credits == 50)
        #expect(grant.invoice == "inv-311")
        #expect(grant.plan == "pro")
        #expect(grant.source == .plan)
        #expect(grant.balance == 50)
        #expect(h.ws().invoices["inv-311"] == grant.seq)

        for _ in 0..<3 {
            let seqBefore = h.state.lastSeq
            let again = h.run(.invoicePaid(workspace: "acme", invoice: "inv-311"), as: People.support)
            #expect(again == .success(.alreadyRecorded(.invoiceAlreadyGranted(invoice: "inv-311", seq: grant.seq))))
            #expect(h.state.lastSeq == seqBefore)
        }
        #expect(h.balance() == 50)

        h.append(.invoicePaid(workspace: "acme", invoice: "inv-312"), as: People.support)
        #expect(h.balance() == 100)
        #expect(h.entries(kind: .grant).count == 2)
    }

    @Test func R10_invoiceIdsArePerWorkspace() {
        var h = Harness.acme(plan: "pro")
        h.append(.createWorkspace(id: "beta", name: "Beta", owner: "bea", plan: "enterprise", trial: false), as: People.support)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        h.append(.invoicePaid(workspace: "beta", invoice: "inv-1"), as: People.support)
        #expect(h.balance("acme") == 50)
        #expect(h.balance("beta") == 200)
    }

    @Test(arguments: [Credits(0), 1, 37, 5_000])
    func R11_leftoverCreditsStayAndTheGrantIsAddedOnTop(leftover: Credits) {
        var h = Harness.acme(plan: "enterprise")
        if leftover > 0 { h.fund("acme", leftover) }
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        #expect(h.balance() == leftover + 200)
        #expect(h.entries(kind: .expiry).isEmpty)
    }

    @Test func R12_noGrantDuringATrialTopUpsStillWork() {
        var h = Harness.acme(plan: "pro", trial: true)
        #expect(h.ws().status == .trial)
        #expect(h.reject(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
            == .noInvoiceDuringTrial(workspace: "acme"))
        h.append(.topUp(workspace: "acme", pack: "topup_50"), as: People.owner)
        #expect(h.balance() == 500)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j"), as: People.member)
        #expect(h.balance() == 494)

        h.append(.endTrial(workspace: "acme"), as: People.owner)
        #expect(h.ws().status == .active)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        #expect(h.balance() == 544)
    }

    @Test func R12_startingATrialTwiceChangesNothing() {
        var h = Harness.acme(plan: "pro")
        h.append(.startTrial(workspace: "acme"), as: People.support)
        #expect(h.ws().status == .trial)
        let again = h.run(.startTrial(workspace: "acme"), as: People.owner)
        guard case .success(.alreadyRecorded(.alreadyInState)) = again else {
            Issue.record("expected alreadyInState, got \(again)")
            return
        }
    }

    @Test(arguments: [
        ("starter", "enterprise", Credits(200)), ("pro", "enterprise", 200), ("enterprise", "pro", 50),
        ("enterprise", "starter", 0), ("pro", "starter", 0),
    ])
    func R13_planInForceWhenPaidDecidesTheGrant(from: String, to: String, grant: Credits) {
        var h = Harness.acme(plan: from)
        h.fund("acme", 300)
        h.append(.changePlan(workspace: "acme", plan: to), as: People.owner)
        #expect(h.ws().plan == to)
        #expect(h.balance() == 300, "a plan change never moves credits (no proration, no claw-back)")
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-after-change"), as: People.support)
        #expect(h.balance() == 300 + grant)
        #expect(h.entries(kind: .grant).last?.plan == to)
    }

    @Test func R13_unknownPlanAndSamePlanChangeNothing() {
        var h = Harness.acme(plan: "pro")
        #expect(h.reject(.changePlan(workspace: "acme", plan: "platinum"), as: People.owner) == .unknownPlan("platinum"))
        let same = h.run(.changePlan(workspace: "acme", plan: "pro"), as: People.owner)
        guard case .success(.alreadyRecorded(.alreadyInState)) = same else {
            Issue.record("expected alreadyInState, got \(same)")
            return
        }
    }

    @Test func R14_cancelledWorkspaceKeepsUsingItsBalance() {
        var h = Harness.acme(plan: "pro")
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        h.append(.cancel(workspace: "acme"), as: People.owner)
        #expect(h.ws().status == .cancelled)
        #expect(h.balance() == 50)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "after-cancel"), as: People.member)
        h.append(.copilot(workspace: "acme", messages: 3), as: People.member)
        #expect(h.balance() == 44)
        #expect(h.reject(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
            == .noActiveSubscription(workspace: "acme"))
        let again = h.run(.cancel(workspace: "acme"), as: People.owner)
        guard case .success(.alreadyRecorded(.alreadyInState)) = again else {
            Issue.record("expected alreadyInState, got \(again)")
            return
        }
    }

    @Test func R14_choosingAPlanAgainReactivates() {
        var h = Harness.acme(plan: "pro")
        h.append(.cancel(workspace: "acme"), as: People.owner)
        h.append(.changePlan(workspace: "acme", plan: "pro"), as: People.owner)
        #expect(h.ws().status == .active)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        #expect(h.balance() == 50)
    }

    /// Every pack, on every plan, in every subscription state: the credits land at once.
    @Test(arguments: ["topup_50", "topup_100", "topup_200", "topup_400", "topup_800"],
          [WorkspaceStatus.trial, .active, .cancelled])
    func R15_topUpAnyTimeOnAnyPlan(pack: String, status: WorkspaceStatus) throws {
        for plan in ["starter", "pro", "enterprise"] {
            var h = Harness.acme(plan: plan, trial: status == .trial)
            if status == .cancelled { h.append(.cancel(workspace: "acme"), as: People.owner) }
            #expect(h.ws().status == status)
            let expected = Catalogs.konfiwear.requiredPack(pack)
            let entries = h.append(.topUp(workspace: "acme", pack: pack), as: People.owner)
            let topup = try #require(entries.first)
            #expect(topup.kind == .topup)
            #expect(topup.credits == expected.credits)
            #expect(topup.priceCents == expected.priceCents)
            #expect(topup.pack == pack)
            #expect(topup.onBehalfOf == nil)
            #expect(h.balance() == expected.credits)
        }
    }

    @Test func R15_supportTopUpIsRecordedOnBehalfOfTheOwner() throws {
        var h = Harness.acme()
        let topup = try #require(h.append(.topUp(workspace: "acme", pack: "topup_100"), as: People.support).first)
        #expect(topup.actor == People.support)
        #expect(topup.onBehalfOf == People.owner)
        #expect(h.reject(.topUp(workspace: "acme", pack: "topup_7"), as: People.owner) == .unknownPack("topup_7"))
    }

    @Test func R16_konfiwearCreditsNeverExpire() throws {
        #expect(Catalogs.konfiwear.expiry == nil)
        var h = Harness.acme(plan: "pro")
        let topup = try #require(h.append(.topUp(workspace: "acme", pack: "topup_50"), as: People.owner).first)
        #expect(topup.expires == nil)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        h.append(.grant(workspace: "acme", amount: 5, source: .promo, reason: "welcome", expires: nil), as: People.support)
        let decade = h.clock.adding(days: 3_650)
        #expect(Engine.pendingExpiries(of: "acme", in: h.state, at: decade).isEmpty)
        #expect(Engine.stateAt(decade, of: "acme", in: h.state)?.balance == 555)
        h.clock = decade
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-120"), as: People.support)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "late"), as: People.member)
        #expect(h.entries(kind: .expiry).isEmpty)
        #expect(h.balance() == 555 + 50 - 6)
    }
}
