import Foundation
import Testing
@testable import CreditKit

/// R41 rollover with a cap, decided by the pure engine on the sofia catalog (plan credits expire
/// at renewal) with a rollover option on its Pro plan.
@Suite struct RolloverRulesTests {
    /// Sofia with Pro's unused credits carried over up to 40, valid 60 days.
    static let catalog: Catalog = {
        var catalog = Catalogs.sofia
        let index = catalog.plans.firstIndex { $0.id == "pro" }!
        catalog.plans[index].rollover = Catalog.Rollover(capCredits: 40, validDays: 60)
        return catalog
    }()

    static func images(_ h: inout Harness, _ count: Int, from first: Int = 1) {
        for index in first..<(first + count) { h.append(.charge(workspace: "acme", action: "image", job: "img-\(index)"), as: People.member) }
    }

    /// The credit entries of a commit, alerts aside.
    static func moves(_ entries: [Entry]) -> [Entry] { entries.filter { $0.kind != .alert } }

    @Test("R41: at a paid invoice, unused plan credits carry over up to the cap as their own grant; the rest expires by an expiry entry")
    func R41_unusedPlanCreditsRollOverUpToTheCap() throws {
        var h = Harness.acme(catalog: Self.catalog)
        let first = try #require(h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support).last)
        Self.images(&h, 30)
        h.advance(days: 30)
        let renewal = Self.moves(h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support))
        #expect(renewal.map(\.kind) == [.grant, .expiry, .grant])
        let rolled = renewal[0], expiry = renewal[1], grant = renewal[2]
        #expect(rolled.rollover == 40 && rolled.credits == 0 && rolled.ref == first.seq && rolled.source == .plan && rolled.plan == "pro")
        #expect(rolled.expires == h.clock.adding(days: 60) && rolled.actor == "system" && rolled.balance == 70)
        #expect(expiry.credits == -30 && expiry.ref == first.seq && expiry.balance == 40)
        #expect(grant.credits == 100 && grant.invoice == "inv-2" && grant.balance == 140)
        let ws = h.ws()
        #expect((ws.balance, ws.earned, ws.spent) == (140, 200, 60), "carried credits are neither earned again nor spent")
        #expect(ws.buckets.contains { $0.seq == rolled.seq && $0.source == .rollover && $0.remaining == 40 })
        #expect(rolled.what(catalog: Self.catalog) == "40 plan credits of grant #\(first.seq) rolled over, expire \(h.clock.adding(days: 60).isoDate)")
        #expect(rolled.showsInHistory, "a rollover is a history row though it moves no balance")
    }

    @Test("R41: below the cap everything left carries over and nothing expires")
    func R41_belowTheCapEverythingCarriesOver() throws {
        var h = Harness.acme(catalog: Self.catalog)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        Self.images(&h, 85)
        h.advance(days: 30)
        let renewal = Self.moves(h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support))
        #expect(renewal.map(\.kind) == [.grant, .grant])
        #expect(renewal.first?.rollover == 15 && h.balance() == 115)
    }

    @Test("R41, S3: rolled-over credits burn in S3 order, are not rolled again, and expire on their own date by an entry")
    func R41_rolledOverCreditsExpireOnTheirOwnDate() throws {
        var h = Harness.acme(catalog: Self.catalog)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        h.advance(days: 30)
        let renewal = h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        let rolled = try #require(renewal.first { $0.rollover != nil })
        let planGrant = try #require(renewal.last { $0.invoice == "inv-2" })
        // The new plan grant expires in 31 days, the rollover in 60: the plan grant burns first.
        Self.images(&h, 5)
        #expect(h.ws().buckets.first { $0.seq == rolled.seq }?.remaining == 40)
        h.advance(days: 30)
        let second = Self.moves(h.append(.invoicePaid(workspace: "acme", invoice: "inv-3"), as: People.support))
        #expect(second.filter { $0.rollover != nil }.map(\.ref) == [planGrant.seq], "only the plan grant rolls over: \(second)")
        #expect(second.allSatisfy { $0.ref != rolled.seq }, "a rollover is not rolled again nor expired at renewal: \(second)")
        #expect(h.ws().buckets.first { $0.seq == rolled.seq }?.remaining == 40)
        h.advance(days: 1)
        let later = try #require(rolled.expires)
        h.clock = later
        let expired = h.append(.charge(workspace: "acme", action: "image", job: "late"), as: People.member)
        #expect(expired.contains { $0.kind == .expiry && $0.ref == rolled.seq && $0.credits == -40 })
        #expect(h.ws().buckets.allSatisfy { $0.seq != rolled.seq })
    }

    @Test("R41: a catalog without the option expires all of it, exactly as before")
    func R41_withoutTheOptionNothingRollsOver() throws {
        var h = Harness.acme(catalog: Catalogs.sofia)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        Self.images(&h, 30)
        h.advance(days: 30)
        let renewal = Self.moves(h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support))
        #expect(renewal.map(\.kind) == [.expiry, .grant] && renewal.first?.credits == -70 && h.balance() == 100)
    }

    @Test("R41: rollovers replay through the rules, fold to the same state, and a forged one is named")
    func R41_rolloverReplaysAndForgeriesAreNamed() throws {
        var h = Harness.acme(catalog: Self.catalog)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        Self.images(&h, 10)
        h.advance(days: 30)
        var before = h.state
        var commit = h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        var check = before
        #expect(RuleReplay.breach(in: commit, state: &check) == nil)
        #expect(try h.replayed().workspaces["acme"] == h.ws())
        // Carrying more than the cap is not what the rules write.
        let index = try #require(commit.firstIndex { $0.rollover != nil })
        commit[index].rollover = 50
        guard case .differs(field: "rollover", _, _)? = RuleReplay.breach(in: commit, state: &before)?.breach else {
            Issue.record("a rollover past the cap is a breach"); return
        }
        // A rollover of more than the grant holds does not fold.
        var state = h.state
        var forged = Entry(seq: state.lastSeq + 1, time: h.clock, kind: .grant, actor: "system", workspace: "acme")
        forged.source = .plan; forged.rollover = 500; forged.ref = commit.last?.seq; forged.expires = h.clock.adding(days: 60)
        forged.balance = h.balance()
        #expect(throws: ReplayError.self) { try state.apply(forged) }
    }

    @Test("R41: the catalog names a rollover without expiry at renewal, a cap or a validity out of range")
    func R41_catalogValidationNamesTheField() {
        var catalog = Self.catalog
        #expect(catalog.problems().isEmpty, "\(catalog.problems())")
        let index = catalog.plans.firstIndex { $0.id == "pro" }!
        catalog.plans[index].rollover = Catalog.Rollover(capCredits: 0, validDays: 0)
        let fields = Set(catalog.problems().map(\.field))
        #expect(fields == ["plans[\(index)].rollover.cap_credits", "plans[\(index)].rollover.valid_days"], "\(fields)")
        var konfiwear = Catalogs.konfiwear
        konfiwear.plans[0].rollover = Catalog.Rollover(capCredits: 10, validDays: 30)
        #expect(konfiwear.problems().map(\.field) == ["plans[0].rollover"])
    }

    @Test("R41: the rollover option reads from catalog JSON and a catalog without it decodes as before")
    func R41_rolloverOptionDecodes() throws {
        let text = try String(contentsOf: Catalogs.url("sofia"), encoding: .utf8)
        let withOption = text.replacingOccurrences(of: "\"monthly_grant\": 100, \"copilot_messages\": 1000 }",
                                                   with: "\"monthly_grant\": 100, \"copilot_messages\": 1000, \"rollover\": { \"cap_credits\": 40, \"valid_days\": 60 } }")
        #expect(withOption != text)
        let decoded = try JSONDecoder().decode(Catalog.self, from: Data(withOption.utf8))
        #expect(decoded.plan("pro")?.rollover == Catalog.Rollover(capCredits: 40, validDays: 60))
        #expect(Catalogs.sofia.plans.allSatisfy { $0.rollover == nil })
    }
}
