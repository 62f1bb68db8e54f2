import Testing
@testable import CreditKit

/// R4–R9: when and how much a job, a clone or a Copilot message is charged.
@Suite struct ChargingRulesTests {
    @Test func R4_jobThatFailsBeforeItIsChargedCostsNothing() {
        var h = Harness.acme()
        h.fund("acme", 100)
        let seqBefore = h.state.lastSeq
        let result = h.run(.jobFailed(workspace: "acme", job: "never-charged"), as: People.member)
        guard case .success(.nothingToRecord(let why)) = result else {
            Issue.record("expected nothingToRecord, got \(result)")
            return
        }
        #expect(why.contains("never-charged"))
        #expect(h.state.lastSeq == seqBefore)
        #expect(h.balance() == 100)
        #expect(h.ws().jobs["never-charged"] == nil)
    }

    @Test func R4_successfulJobIsChargedOnce() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        let entries = h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        #expect(entries.count == 1)
        let charge = try #require(entries.first)
        #expect(charge.kind == .charge)
        #expect(charge.credits == -6)
        #expect(charge.balance == 94)
        #expect(h.balance() == 94)
        #expect(h.ws().jobs["j-1"] == JobRecord(chargeSeq: charge.seq, action: "ai_graphic", credits: 6, refundSeq: nil))
    }

    @Test func R5_lateFailureIsRefundedOnceAndPointsAtTheCharge() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        let charge = try #require(h.append(.charge(workspace: "acme", action: "print_file", job: "p-7"), as: People.member).first)
        let refunds = h.append(.jobFailed(workspace: "acme", job: "p-7"), as: People.member)
        #expect(refunds.count == 1)
        let refund = try #require(refunds.first)
        #expect(refund.kind == .refund)
        #expect(refund.credits == 4)
        #expect(refund.ref == charge.seq)
        #expect(refund.job == "p-7")
        #expect(refund.action == "print_file")
        #expect(refund.balance == 100)
        #expect(h.balance() == 100)
        #expect(h.ws().spent == 0)

        // Reported again, by anyone allowed: nothing more.
        for actor in [People.member, People.owner, People.support] {
            let seqBefore = h.state.lastSeq
            let again = h.run(.jobFailed(workspace: "acme", job: "p-7"), as: actor)
            #expect(again == .success(.alreadyRecorded(.jobAlreadyRefunded(job: "p-7", seq: refund.seq))))
            #expect(h.state.lastSeq == seqBefore)
        }
        #expect(h.balance() == 100)
        #expect(h.entries(kind: .refund).count == 1)
    }

    @Test func R5_refundedJobIsNotChargedAgainOnResubmission() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        let charge = try #require(h.append(.charge(workspace: "acme", action: "ai_graphic", job: "g-1"), as: People.member).first)
        h.append(.jobFailed(workspace: "acme", job: "g-1"), as: People.member)
        let again = h.run(.charge(workspace: "acme", action: "ai_graphic", job: "g-1"), as: People.member)
        #expect(again == .success(.alreadyRecorded(.jobAlreadyCharged(job: "g-1", seq: charge.seq))))
        #expect(h.balance() == 100)
    }

    @Test func R6_sameJobIsChargedOnce() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        let first = try #require(h.append(.charge(workspace: "acme", action: "print_file", job: "print-42"), as: People.member).first)
        for (action, actor) in [("print_file", People.member), ("print_file", People.owner), ("ai_graphic", People.member)] {
            let seqBefore = h.state.lastSeq
            let repeatResult = h.run(.charge(workspace: "acme", action: action, job: "print-42"), as: actor)
            #expect(repeatResult == .success(.alreadyRecorded(.jobAlreadyCharged(job: "print-42", seq: first.seq))))
            #expect(h.state.lastSeq == seqBefore)
        }
        #expect(h.balance() == 96)
        #expect(h.entries(kind: .charge).count == 1)
        #expect(AlreadyRecorded.jobAlreadyCharged(job: "print-42", seq: first.seq).originalSeq == first.seq)
    }

    @Test func R6_jobIdsArePerWorkspace() {
        var h = Harness.acme()
        h.append(.createWorkspace(id: "beta", name: "Beta", owner: "bea", plan: "pro", trial: false), as: People.support)
        h.fund("acme", 10)
        h.fund("beta", 10)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "shared-id"), as: People.member)
        h.append(.charge(workspace: "beta", action: "ai_graphic", job: "shared-id"), as: "bea")
        #expect(h.balance("acme") == 4)
        #expect(h.balance("beta") == 4)
    }

    @Test(arguments: [("product", "clone_product", Credits(500)), ("fabric", "clone_fabric", 250), ("design", "clone_design", 100)])
    func R7_clonesAreOneTime(kind: String, action: String, cost: Credits) throws {
        var h = Harness.acme()
        h.fund("acme", 2_000)
        let charge = try #require(h.append(.clone(workspace: "acme", itemKind: kind, item: "item-1"), as: People.member).first)
        #expect(charge.kind == .charge)
        #expect(charge.credits == -cost)
        #expect(charge.action == action)
        #expect(charge.item == "item-1")
        #expect(h.ws().owned[WorkspaceState.ownedKey(kind: kind, item: "item-1")] == charge.seq)

        let seqBefore = h.state.lastSeq
        let again = h.run(.clone(workspace: "acme", itemKind: kind, item: "item-1"), as: People.owner)
        #expect(again == .success(.alreadyRecorded(.itemAlreadyOwned(kind: kind, item: "item-1", seq: charge.seq))))
        #expect(h.state.lastSeq == seqBefore)
        #expect(h.balance() == 2_000 - cost)
        if case .success(.alreadyRecorded(let why)) = again { #expect(why.message.contains("already owned")) }

        // Another item of the same kind is a new purchase.
        h.append(.clone(workspace: "acme", itemKind: kind, item: "item-2"), as: People.member)
        #expect(h.balance() == 2_000 - 2 * cost)
    }

    @Test func R7_sameItemIdOfAnotherKindIsADifferentItem() {
        var h = Harness.acme()
        h.fund("acme", 1_000)
        h.append(.clone(workspace: "acme", itemKind: "design", item: "x"), as: People.member)
        h.append(.clone(workspace: "acme", itemKind: "fabric", item: "x"), as: People.member)
        #expect(h.balance() == 1_000 - 100 - 250)
    }

    @Test func R7_clonesAreNotJobsAndUnknownKindsAreRefused() {
        var h = Harness.acme()
        h.fund("acme", 1_000)
        #expect(h.reject(.charge(workspace: "acme", action: "clone_product", job: "j"), as: People.member)
            == .notAJobAction("clone_product"))
        #expect(h.reject(.clone(workspace: "acme", itemKind: "graphic", item: "x"), as: People.member)
            == .unknownCloneKind("graphic"))
        #expect(h.reject(.charge(workspace: "acme", action: "teleport", job: "j"), as: People.member)
            == .unknownAction("teleport"))
    }

    @Test func R8_refusalNamesShortfallAndPack() throws {
        var h = Harness.acme()
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        #expect(h.balance() == 50)
        let topup50 = Catalogs.konfiwear.requiredPack("topup_50")
        let rejection = h.reject(.clone(workspace: "acme", itemKind: "product", item: "tee"), as: People.member)
        #expect(rejection == .insufficientCredits(action: "clone_product", cost: 500, balance: 50, shortfall: 450,
                                                  suggestion: PackSuggestion(packs: [(topup50, 1)])))
        let message = try #require(rejection?.message)
        for part in ["clone_product", "500", "50", "450", "topup_50"] { #expect(message.contains(part)) }
        #expect(h.balance() == 50)
    }

    /// Shortfall → the smallest pack that covers it (the refusal's suggestion).
    @Test(arguments: [
        (Credits(1), "topup_50"), (500, "topup_50"), (501, "topup_100"), (1_000, "topup_100"),
        (1_001, "topup_200"), (2_200, "topup_200"), (2_201, "topup_400"), (4_801, "topup_800"), (10_000, "topup_800"),
    ])
    func R8_smallestPackThatCoversTheShortfall(shortfall: Credits, pack: String) throws {
        let suggestion = try #require(BudgetPlanner.smallestCovering(shortfall, catalog: Catalogs.konfiwear))
        #expect(suggestion.label == pack)
        #expect(suggestion.credits >= shortfall)
    }

    @Test func R8_shortfallBeyondTheLargestPackSuggestsTheCheapestMix() throws {
        let suggestion = try #require(BudgetPlanner.smallestCovering(10_001, catalog: Catalogs.konfiwear))
        #expect(suggestion.credits >= 10_001)
        #expect(suggestion.label == "topup_800 + topup_50")
        #expect(suggestion.priceCents == 85_000)
        #expect(BudgetPlanner.smallestCovering(0, catalog: Catalogs.konfiwear) == nil)
    }

    @Test(arguments: [("ai_graphic", Credits(6)), ("ai_vectorize", 4), ("print_file", 4)])
    func R8_chargeUpToTheExactBalanceAndNotOneCreditMore(action: String, cost: Credits) throws {
        var h = Harness.acme()
        h.fund("acme", cost - 1)
        let rejection = h.reject(.charge(workspace: "acme", action: action, job: "a"), as: People.member)
        guard case let .insufficientCredits(name, refusedCost, balance, shortfall, suggestion)? = rejection else {
            Issue.record("expected insufficientCredits, got \(String(describing: rejection))")
            return
        }
        #expect(name == action)
        #expect(refusedCost == cost)
        #expect(balance == cost - 1)
        #expect(shortfall == 1)
        #expect(suggestion?.label == "topup_50")
        #expect(h.ws().jobs["a"] == nil)

        h.fund("acme", 1)
        h.append(.charge(workspace: "acme", action: action, job: "a"), as: People.member)
        #expect(h.balance() == 0)
    }

    /// Two charges decided against the same state: only one can be appended; the other must be
    /// decided again against the fresh state, where it is refused.
    @Test func R8_concurrentChargesCannotSpendTheSameCredits() throws {
        var h = Harness.acme()
        h.fund("acme", 6)
        let context = CommandContext(actor: People.member, time: h.clock)
        let first = Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "a"), in: h.state, context: context)
        let second = Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "b"), in: h.state, context: context)
        guard case .success(.append(let firstEntries)) = first, case .success(.append(let secondEntries)) = second else {
            Issue.record("both decisions should append against the shared state: \(first), \(second)")
            return
        }
        try h.state.apply(firstEntries)
        #expect(throws: ReplayError.self) { try h.state.apply(secondEntries) }
        #expect(h.balance() == 0)
        let redecided = Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "b"), in: h.state, context: context)
        guard case .failure(.insufficientCredits(_, 6, 0, 6, _)) = redecided else {
            Issue.record("expected a refusal on the fresh state, got \(redecided)")
            return
        }
    }

    @Test func R8_aChargeThatWouldGoBelowZeroDoesNotFold() {
        var state = Harness.acme().state
        var charge = Entry(seq: state.lastSeq + 1, time: startTime, kind: .charge, actor: People.member, workspace: "acme")
        charge.credits = -6
        charge.action = "ai_graphic"
        charge.job = "forged"
        #expect(throws: ReplayError.self) { try state.apply(charge) }
    }

    @Test func R9_copilotIsNotMetered() throws {
        var h = Harness.acme()
        h.fund("acme", 40)
        let entries = h.append(.copilot(workspace: "acme", messages: 25), as: People.member)
        #expect(entries.map(\.kind) == [.copilot])
        #expect(entries.first?.credits == 0)
        #expect(entries.first?.messages == 25)
        #expect(h.balance() == 40)
        #expect(h.ws().earned == 40 && h.ws().spent == 0)
        #expect(h.ws().copilotUsed == 25)
        // Copilot works at zero balance too.
        h.append(.adjust(workspace: "acme", amount: -40, reason: "empty it"), as: People.support)
        h.append(.copilot(workspace: "acme", messages: 1), as: People.owner)
        #expect(h.ws().copilotUsed == 26)
    }

    @Test(arguments: [("starter", Int64(100)), ("pro", 1_000), ("enterprise", 5_000)])
    func R9_copilotAllowanceIsPerPlanAndRenewsWithEachPaidInvoice(plan: String, allowance: Int64) throws {
        var h = Harness.acme(plan: plan)
        #expect(try #require(Catalogs.konfiwear.plan(plan)).copilotMessages == allowance)
        h.append(.copilot(workspace: "acme", messages: allowance), as: People.member)
        #expect(h.reject(.copilot(workspace: "acme", messages: 1), as: People.member)
            == .copilotAllowanceExceeded(used: allowance, allowance: allowance, requested: 1))
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        #expect(h.ws().copilotUsed == 0)
        h.append(.copilot(workspace: "acme", messages: 1), as: People.member)
    }

    @Test(arguments: [Int64(0), -1, Engine.copilotMessagesMax + 1])
    func R9_copilotMessageCountMustBePositiveAndBounded(messages: Int64) {
        var h = Harness.acme()
        guard case .invalidAmount? = h.reject(.copilot(workspace: "acme", messages: messages), as: People.member) else {
            Issue.record("expected invalidAmount for \(messages)")
            return
        }
    }
}
