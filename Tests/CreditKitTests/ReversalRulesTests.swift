import Testing
@testable import CreditKit

/// R34: a mistaken adjustment or grant is undone by a linked adjustment of the opposite amount,
/// once, never below zero; charges, top-ups and reversals themselves are not reversed.
@Suite struct ReversalRulesTests {
    /// Decides a reversal with the facts the ledger would find in this harness's journal.
    static func reverse(_ harness: inout Harness, _ seq: Int64, as actor: String = People.support) -> Result<Decision, Rejection> {
        let original = harness.journal.first { $0.seq == seq }
        let by = harness.journal.first { $0.reverses == seq }?.seq
        let result = Engine.decide(.reverse(workspace: "acme", seq: seq, reason: "typed the wrong amount"), in: harness.state,
                                   context: CommandContext(actor: actor, time: harness.clock),
                                   reversal: ReversalFacts(original: original, reversedBy: by))
        if case .success(.append(let entries)) = result {
            try? harness.state.apply(entries)
            harness.journal += entries
        }
        return result
    }

    @Test("R34: an adjustment is undone by an adjustment of the opposite amount that names it")
    func R34_adjustmentIsReversedAndLinked() throws {
        var harness = Harness.acme()
        let mistake = harness.append(.adjust(workspace: "acme", amount: 250, reason: "meant 25"), as: People.support)[0]
        let result = Self.reverse(&harness, mistake.seq)
        guard case .success(.append(let entries)) = result else { Issue.record("not recorded: \(result)"); return }
        let reversal = try #require(entries.first { $0.kind == .adjustment })
        #expect(entries.last?.alert == .empty, "the balance reached 0: the alert follows (R24)")
        #expect(reversal.kind == .adjustment)
        #expect(reversal.credits == -250)
        #expect(reversal.reverses == mistake.seq)
        #expect(reversal.reason == "typed the wrong amount")
        #expect(harness.balance() == 0)
        #expect(reversal.what(catalog: harness.state.catalog) == "reverses #\(mistake.seq): typed the wrong amount")
    }

    @Test("R34: a promotional grant is reversed; earned and spent still add up to the balance (R21)")
    func R34_grantIsReversed() {
        var harness = Harness.acme()
        harness.fund("acme", 40)
        let grant = harness.append(.grant(workspace: "acme", amount: 30, source: .promo, reason: "promo", expires: nil), as: People.support)[0]
        guard case .success(.append) = Self.reverse(&harness, grant.seq) else { Issue.record("grant not reversed"); return }
        let ws = harness.ws()
        #expect(ws.balance == 40)
        #expect(ws.earned - ws.spent == ws.balance)
    }

    @Test("R34: reversing twice changes nothing and names the first reversal")
    func R34_secondReversalIsARepeat() {
        var harness = Harness.acme()
        let mistake = harness.append(.adjust(workspace: "acme", amount: 9, reason: "x"), as: People.support)[0]
        guard case .success(.append(let first)) = Self.reverse(&harness, mistake.seq) else { Issue.record("not reversed"); return }
        let again = Self.reverse(&harness, mistake.seq)
        #expect(again == .success(.alreadyRecorded(.alreadyReversed(entry: mistake.seq, seq: first[0].seq))))
        #expect(harness.balance() == 0)
    }

    @Test("R34: charges, top-ups and reversals are refused by name; a missing entry is unknown")
    func R34_onlyAdjustmentsAndGrants() {
        var harness = Harness.acme()
        harness.fund("acme", 100)
        let charge = harness.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)[0]
        let topup = harness.append(.topUp(workspace: "acme", pack: "topup_50"), as: People.owner)[0]
        let mistake = harness.append(.adjust(workspace: "acme", amount: -3, reason: "x"), as: People.support)[0]
        guard case .success(.append(let reversal)) = Self.reverse(&harness, mistake.seq) else { Issue.record("not reversed"); return }
        #expect(Self.reverse(&harness, charge.seq) == .failure(.notReversible(seq: charge.seq, kind: .charge)))
        #expect(Self.reverse(&harness, topup.seq) == .failure(.notReversible(seq: topup.seq, kind: .topup)))
        #expect(Self.reverse(&harness, reversal[0].seq) == .failure(.notReversible(seq: reversal[0].seq, kind: .adjustment)))
        #expect(Self.reverse(&harness, 999) == .failure(.unknownEntry(workspace: "acme", seq: 999)))
        #expect(Self.reverse(&harness, 1) == .failure(.unknownEntry(workspace: "acme", seq: 1)), "init is no credit entry of acme")
    }

    @Test("R34: a reversal that would take the balance below zero is refused with the numbers")
    func R34_neverBelowZero() {
        var harness = Harness.acme()
        let gift = harness.append(.adjust(workspace: "acme", amount: 10, reason: "gift"), as: People.support)[0]
        harness.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        #expect(Self.reverse(&harness, gift.seq) == .failure(.reversalExceedsBalance(seq: gift.seq, credits: 10, balance: 4)))
    }

    @Test("R34, R35: a reversal never takes credits that holds reserve; it is refused by name, never trapped")
    func R34_neverIntoHeldCredits() {
        var harness = Harness.acme()
        let gift = harness.append(.adjust(workspace: "acme", amount: 10, reason: "paid"), as: People.support)[0]
        harness.append(.hold(workspace: "acme", action: "ai_graphic", job: "h1", ttlSeconds: nil), as: People.member)
        #expect(Self.reverse(&harness, gift.seq) == .failure(.reversalUncoversHolds(seq: gift.seq, credits: 10, available: 4)))
        #expect(Rejection.reversalUncoversHolds(seq: 3, credits: 10, available: 4).message
            == "reversing entry #3 takes 10 credits, only 4 are not held: release or capture the holds first (R34)")
        harness.append(.jobFailed(workspace: "acme", job: "h1"), as: People.member)
        guard case .success(.append) = Self.reverse(&harness, gift.seq) else { Issue.record("released, it reverses"); return }
    }

    @Test("R34, R35: a plan grant whose credits are held is not reversed either")
    func R34_heldGrantIsNotReversed() {
        var harness = Harness.acme(catalog: Catalogs.sofia)
        let grant = harness.append(.invoicePaid(workspace: "acme", invoice: "i1"), as: People.support).first { $0.kind == .grant }
        harness.append(.hold(workspace: "acme", action: "image", job: "h1", ttlSeconds: nil), as: People.member)
        let credits = grant?.credits ?? 0
        #expect(credits > 1)
        #expect(Self.reverse(&harness, grant?.seq ?? 0) == .failure(.reversalUncoversHolds(seq: grant?.seq ?? 0, credits: credits, available: credits - 1)))
    }

    @Test("R18: only a support agent reverses")
    func R18_onlySupportReverses() {
        var harness = Harness.acme()
        let gift = harness.append(.adjust(workspace: "acme", amount: 10, reason: "gift"), as: People.support)[0]
        guard case .failure(.notPermitted) = Self.reverse(&harness, gift.seq, as: People.owner) else {
            Issue.record("the owner reversed an entry"); return
        }
    }
}
