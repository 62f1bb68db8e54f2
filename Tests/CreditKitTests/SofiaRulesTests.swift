import Testing
@testable import CreditKit

/// S1–S3: the Audaces Sofia catalog: one credit an image, prepaid packs, and expiring credits.
@Suite struct SofiaRulesTests {
    let sofia = Catalogs.sofia

    @Test func S1_oneCreditPerImageAndEveryRegenerationCostsAgain() throws {
        #expect(sofia.actions.map(\.id) == ["image"])
        #expect(try #require(sofia.action("image")).credits == 1)
        var h = Harness.acme(catalog: sofia, plan: "pro")
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        for attempt in 1...5 {
            let entries = h.append(.charge(workspace: "acme", action: "image", job: "img-\(attempt)"), as: People.member)
            #expect(entries.first?.credits == -1)
        }
        #expect(h.balance() == 95)
        // The same job id reported twice is still one charge (R6 holds here too).
        let again = h.run(.charge(workspace: "acme", action: "image", job: "img-5"), as: People.member)
        guard case .success(.alreadyRecorded(.jobAlreadyCharged)) = again else {
            Issue.record("expected alreadyCharged, got \(again)")
            return
        }
        #expect(h.balance() == 95)
    }

    @Test func S2_prepaidPacksWithExamplePrices() {
        #expect(sofia.packs.map(\.credits) == [100, 300, 600])
        #expect(sofia.pricesAreExamples)
        #expect(!Catalogs.konfiwear.pricesAreExamples)
        #expect(sofia.plans.map(\.id) == Catalogs.konfiwear.plans.map(\.id))
        #expect(sofia.plans.map(\.monthlyGrant) == [20, 100, 400])
        #expect(sofia.problems().isEmpty)
    }

    @Test(arguments: ["pack_100", "pack_300", "pack_600"])
    func S2_packsLandAtOnceAndExpireAfterTheirValidity(pack: String) throws {
        var h = Harness.acme(catalog: sofia, plan: "starter", trial: true)
        let topup = try #require(h.append(.topUp(workspace: "acme", pack: pack), as: People.owner).first)
        let validDays = try #require(sofia.expiry?.packValidDays)
        #expect(validDays == 365)
        #expect(topup.expires == h.clock.adding(days: validDays))
        #expect(h.balance() == sofia.requiredPack(pack).credits)
    }

    /// Burn order: soonest expiry first, never-expiring last; then promotional before paid; then oldest.
    @Test func S3_burnOrderSortsBuckets() {
        let day = { (n: Int64) in startTime.adding(days: n) }
        let buckets = [
            GrantBucket(seq: 1, source: .paid, remaining: 1, expires: nil),
            GrantBucket(seq: 2, source: .promo, remaining: 1, expires: nil),
            GrantBucket(seq: 3, source: .paid, remaining: 1, expires: day(30)),
            GrantBucket(seq: 4, source: .trial, remaining: 1, expires: day(30)),
            GrantBucket(seq: 5, source: .plan, remaining: 1, expires: day(10)),
            GrantBucket(seq: 6, source: .promo, remaining: 1, expires: day(30)),
            GrantBucket(seq: 7, source: .paid, remaining: 1, expires: day(30)),
            GrantBucket(seq: 8, source: .plan, remaining: 1, expires: nil),
        ]
        let ordered = buckets.reversed().sorted(by: GrantBucket.burnOrder).map(\.seq)
        #expect(ordered == [5, 4, 6, 3, 7, 2, 1, 8])
    }

    @Test func S3_chargesBurnSoonestExpiryThenPromoThenOldest() throws {
        var h = Harness.acme(catalog: sofia, plan: "pro")
        let paidLater = try #require(h.append(.topUp(workspace: "acme", pack: "pack_100"), as: People.owner).first)  // expires +365
        h.advance(seconds: 60)
        let promoSoon = try #require(h.append(.grant(workspace: "acme", amount: 5, source: .promo, reason: "launch",
                                                     expires: h.clock.adding(days: 30)), as: People.support).first)
        let trialSoon = try #require(h.append(.grant(workspace: "acme", amount: 3, source: .trial, reason: "trial",
                                                     expires: h.clock.adding(days: 30)), as: People.support).first)
        let paidSoon = try #require(h.append(.adjust(workspace: "acme", amount: 4, reason: "goodwill"), as: People.support).first) // never expires
        let promoForever = try #require(h.append(.grant(workspace: "acme", amount: 2, source: .promo, reason: "forever",
                                                        expires: nil), as: People.support).first)
        func remaining(_ seq: Int64) -> Credits { h.ws().buckets.first { $0.seq == seq }?.remaining ?? 0 }

        // Promo and trial expire on the same date: the older (promo) goes first, then trial.
        for index in 0..<6 { h.append(.charge(workspace: "acme", action: "image", job: "a-\(index)"), as: People.member) }
        #expect(remaining(promoSoon.seq) == 0)
        #expect(remaining(trialSoon.seq) == 2)
        #expect(remaining(paidLater.seq) == 100)
        // Then the pack that expires in a year, before anything that never expires.
        for index in 0..<102 { h.append(.charge(workspace: "acme", action: "image", job: "b-\(index)"), as: People.member) }
        #expect(remaining(trialSoon.seq) == 0)
        #expect(remaining(paidLater.seq) == 0)
        #expect(remaining(promoForever.seq) == 2)
        #expect(remaining(paidSoon.seq) == 4)
        // Among never-expiring credits, promotional before paid.
        for index in 0..<3 { h.append(.charge(workspace: "acme", action: "image", job: "c-\(index)"), as: People.member) }
        #expect(remaining(promoForever.seq) == 0)
        #expect(remaining(paidSoon.seq) == 3)
        #expect(h.balance() == 3)
    }

    @Test func S3_expiredCreditsLeaveByAnExpiryEntryNeverSilently() throws {
        var h = Harness.acme(catalog: sofia, plan: "pro")
        h.append(.topUp(workspace: "acme", pack: "pack_100"), as: People.owner)
        let promo = try #require(h.append(.grant(workspace: "acme", amount: 20, source: .promo, reason: "fair",
                                                 expires: h.clock.adding(days: 5)), as: People.support).first)
        h.append(.charge(workspace: "acme", action: "image", job: "a"), as: People.member) // from the promo: 19 left
        let stateBefore = h.state
        h.advance(days: 6)

        // Reads see the expiry without writing it.
        let pending = Engine.pendingExpiries(of: "acme", in: h.state, at: h.clock)
        #expect(pending.map(\.kind) == [.expiry])
        let expiry = try #require(pending.first)
        #expect(expiry.credits == -19)
        #expect(expiry.ref == promo.seq)
        #expect(expiry.expires == promo.expires)
        #expect(expiry.actor == "system")
        #expect(expiry.balance == 100)
        #expect(Engine.stateAt(h.clock, of: "acme", in: h.state)?.balance == 100)
        #expect(h.state.workspaces == stateBefore.workspaces, "reading writes nothing")
        #expect(h.balance() == 119)

        // The next write appends the expiry before its own entry.
        let entries = h.append(.charge(workspace: "acme", action: "image", job: "b"), as: People.member)
        #expect(entries.map(\.kind) == [.expiry, .charge])
        #expect(entries.first?.credits == -19)
        #expect(h.balance() == 99)
        #expect(h.ws().spent == 1 + 19 + 1)
        #expect(h.ws().balance == h.creditEntries().reduce(0) { $0 + $1.credits })
        #expect(Engine.pendingExpiries(of: "acme", in: h.state, at: h.clock).isEmpty)
        #expect(h.entries(kind: .expiry).first?.what(catalog: sofia).contains("credits of entry #\(promo.seq) expired") == true)
    }

    @Test func S3_packsExpireAfterTheirValidityPeriod() throws {
        var h = Harness.acme(catalog: sofia, plan: "pro")
        let pack = try #require(h.append(.topUp(workspace: "acme", pack: "pack_300"), as: People.owner).first)
        h.advance(days: 364)
        #expect(Engine.pendingExpiries(of: "acme", in: h.state, at: h.clock).filter { $0.kind == .expiry }.isEmpty)
        #expect(Engine.stateAt(h.clock, of: "acme", in: h.state)?.balance == 300)
        h.advance(days: 1)
        let due = Engine.pendingExpiries(of: "acme", in: h.state, at: h.clock).filter { $0.kind == .expiry }
        #expect(due.map(\.ref) == [pack.seq])
        #expect(due.map(\.credits) == [-300])
        #expect(Engine.stateAt(h.clock, of: "acme", in: h.state)?.balance == 0)
        // The expiry leaves by an entry before the write's own; R24: the top-up in the same commit
        // leaves 100, so no alert says the workspace is out of credits.
        let entries = h.append(.topUp(workspace: "acme", pack: "pack_100"), as: People.owner)
        #expect(entries.map(\.kind) == [.expiry, .topup])
        #expect(h.balance() == 100)
    }

    @Test func S3_planCreditsExpireAtRenewal() throws {
        var h = Harness.acme(catalog: sofia, plan: "pro")
        #expect(sofia.expiry?.planCreditsExpireAtRenewal == true)
        let first = try #require(h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support).first)
        #expect(first.kind == .grant && first.credits == 100)
        h.append(.topUp(workspace: "acme", pack: "pack_100"), as: People.owner)
        h.advance(days: 30)
        let renewal = h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        let expiries = renewal.filter { $0.kind == .expiry }
        #expect(expiries.map(\.ref) == [first.seq], "the old plan credits leave by an expiry entry")
        #expect(expiries.map(\.credits) == [-100])
        #expect(renewal.last?.kind == .grant)
        #expect(renewal.last?.credits == 100)
        #expect(renewal.firstIndex { $0.kind == .expiry }! < renewal.firstIndex { $0.kind == .grant }!)
        #expect(h.balance() == 200, "the pack stays, the old plan credits are replaced")

        // Konfiwear rolls plan credits over (R11).
        var k = Harness.acme(plan: "pro")
        k.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        k.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        #expect(k.balance() == 100)
        #expect(k.entries(kind: .expiry).isEmpty)
    }

    /// Plan credits expire at the next renewal, long before a pack does: they burn first.
    @Test func S3_planCreditsBurnBeforeLongerLivedPacks() throws {
        var h = Harness.acme(catalog: sofia, plan: "pro")
        let pack = try #require(h.append(.topUp(workspace: "acme", pack: "pack_100"), as: People.owner).first)
        let grant = try #require(h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support).first)
        for index in 0..<30 { h.append(.charge(workspace: "acme", action: "image", job: "i-\(index)"), as: People.member) }
        let buckets = h.ws().buckets
        #expect(buckets.first { $0.seq == grant.seq }?.remaining == 70)
        #expect(buckets.first { $0.seq == pack.seq }?.remaining == 100)
    }

    @Test func S3_warningBeforeAGrantExpiresIsSentOnce() throws {
        var h = Harness.acme(catalog: sofia, plan: "pro")
        let expires = h.clock.adding(days: 10)
        let grant = try #require(h.append(.grant(workspace: "acme", amount: 40, source: .promo, reason: "fair",
                                                 expires: expires), as: People.support).first { $0.kind == .grant })
        h.advance(days: 1)
        let early = h.append(.copilot(workspace: "acme", messages: 1), as: People.member)
        #expect(early.allSatisfy { $0.kind != .alert }, "ten days ahead is outside the warning window")
        h.append(.charge(workspace: "acme", action: "image", job: "a"), as: People.member)
        #expect(h.entries(kind: .alert).isEmpty)
        h.advance(days: 3) // 6 days before the expiry
        let warned = h.append(.charge(workspace: "acme", action: "image", job: "b"), as: People.member)
        let warnings = warned.filter { $0.kind == .alert }
        #expect(warnings.count == 1)
        #expect(warnings.first?.alert == .expiring)
        #expect(warnings.first?.ref == grant.seq)
        #expect(warnings.first?.expires == expires)
        h.advance(days: 1)
        h.append(.charge(workspace: "acme", action: "image", job: "c"), as: People.member)
        #expect(h.entries(kind: .alert).count == 1, "one warning per grant")
        h.advance(days: 5)
        let expired = h.append(.topUp(workspace: "acme", pack: "pack_100"), as: People.owner)
        #expect(expired.first?.kind == .expiry)
        #expect(expired.first?.credits == -37)
        #expect(expired.first?.ref == grant.seq)
        #expect(h.balance() == 100)
    }

    @Test func S3_atZeroGenerationsAreRefusedAndHistoryStaysReadable() throws {
        var h = Harness.acme(catalog: sofia, plan: "starter")
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        for index in 0..<20 { h.append(.charge(workspace: "acme", action: "image", job: "i-\(index)"), as: People.member) }
        #expect(h.balance() == 0)
        guard case .insufficientCredits(_, 1, 0, 1, let suggestion)? = h.reject(.charge(workspace: "acme", action: "image", job: "i-20"), as: People.member) else {
            Issue.record("expected a refusal at zero")
            return
        }
        #expect(suggestion?.label == "pack_100")
        #expect(h.creditEntries().count == 21)
        #expect(h.state.visibleWorkspaces(to: People.member).map(\.id) == ["acme"])
        #expect(Engine.stateAt(h.clock.adding(days: 400), of: "acme", in: h.state)?.creditEntryCount == 21)
        #expect(h.entries(kind: .alert).map(\.alert) == [.low, .empty], "a warning came before the credits ran out")
    }

    @Test func S3_warningBeforeAGrantExpires() throws {
        var h = Harness.acme(catalog: sofia, plan: "pro")
        let warnDays = try #require(sofia.expiry?.warnDays)
        #expect(warnDays == 7)
        let expires = h.clock.adding(days: 10)
        h.append(.grant(workspace: "acme", amount: 40, source: .promo, reason: "fair", expires: expires), as: People.support)
        h.append(.grant(workspace: "acme", amount: 9, source: .promo, reason: "later", expires: h.clock.adding(days: 20)), as: People.support)
        #expect(h.ws().expiringSoon(after: h.clock, withinDays: warnDays) == nil)
        let soon = try #require(h.ws().expiringSoon(after: h.clock.adding(days: 3), withinDays: warnDays))
        #expect(soon.credits == 40)
        #expect(soon.first == expires)
        // A wider window still names the soonest date and only what expires on it, not the 9 of a later one.
        let both = try #require(h.ws().expiringSoon(after: h.clock.adding(days: 3), withinDays: 30))
        #expect(both.credits == 40 && both.first == expires)
        #expect(h.ws().expiringSoon(after: expires, withinDays: warnDays) == nil, "already due: it expires, no warning")
    }

    @Test func S3_promotionalGrantsAreSupportOnlyAndDatedInTheFuture() {
        var h = Harness.acme(catalog: sofia)
        guard case .expiryNotInFuture? = h.reject(.grant(workspace: "acme", amount: 5, source: .promo, reason: "past",
                                                         expires: h.clock), as: People.support) else {
            Issue.record("an expiry date that has passed must be refused")
            return
        }
        guard case .invalidAmount? = h.reject(.grant(workspace: "acme", amount: 5, source: .plan, reason: "sneaky",
                                                     expires: nil), as: People.support) else {
            Issue.record("plan credits come only from a paid invoice")
            return
        }
        guard case .invalidAmount? = h.reject(.grant(workspace: "acme", amount: 0, source: .promo, reason: "nothing",
                                                     expires: nil), as: People.support) else {
            Issue.record("a grant of zero must be refused")
            return
        }
        #expect(GrantSource.promo.isPromotional && GrantSource.trial.isPromotional && !GrantSource.plan.isPromotional)
    }
}
