import Testing
@testable import CreditKit

/// R40: members' monthly limits inside the shared pool, decided by the pure engine.
@Suite struct MemberLimitRulesTests {
    static func limit(_ credits: Credits?, _ member: String = People.member) -> Command {
        .memberLimit(workspace: "acme", member: member, credits: credits)
    }

    static func charge(_ job: String, _ action: String = "print_file") -> Command {
        .charge(workspace: "acme", action: action, job: job)
    }

    @Test("R40, R8: when the limit and the pool both bind, one refusal names both shortfalls; a top-up leaves only the limit's")
    func R40_limitAndPoolShortfallsAreBothNamed() {
        var h = Harness.acme()
        h.fund("acme", 50)
        h.append(Self.limit(10), as: People.owner)
        let clone = Command.clone(workspace: "acme", itemKind: "design", item: "d1")
        let both = h.reject(clone, as: People.member)
        guard case let .memberLimitAndCredits(member, _, left, limit, action, cost, available, held, shortfall, suggestion)? = both else {
            Issue.record("expected both shortfalls, got \(String(describing: both))"); return
        }
        #expect(member == People.member && left == 10 && limit == 10 && action == "clone_design" && cost == 100)
        #expect(available == 50 && held == 0 && shortfall == 50 && suggestion?.label == "topup_50")
        #expect(both?.message == "monthly limit and insufficient credits: mo has 10 of 10 credits left this month in acme and the balance is 50; "
            + "clone_design costs 100: short by 90 of the limit, which a top-up does not change (R40), and by 50 in the pool; "
            + "smallest pack that covers it: topup_50 (+500 credits for $50.00)")
        #expect(both?.limitShortfall == LimitShortfall(left: 10, limit: 10, shortfall: 90) && both?.poolShortfall?.shortfall == 50)
        h.append(.topUp(workspace: "acme", pack: "topup_50", payment: nil), as: People.owner)
        #expect(h.reject(clone, as: People.member) == .memberLimitReached(member: People.member, workspace: "acme", left: 10, limit: 10,
                                                                          action: "clone_design", cost: 100))
    }

    @Test("R40, R35: a hold past both the limit and the available balance names both shortfalls")
    func R40_holdPastLimitAndPoolNamesBoth() {
        var h = Harness.acme()
        h.fund("acme", 2)
        h.append(Self.limit(4), as: People.owner)
        let refusal = h.reject(.hold(workspace: "acme", action: "ai_graphic", job: "h", ttlSeconds: nil), as: People.member)
        #expect(refusal?.limitShortfall?.shortfall == 2 && refusal?.poolShortfall?.shortfall == 4, "\(String(describing: refusal))")
    }

    @Test("R40, R8: an unlimited owner short of credits is told the pool's shortfall alone")
    func R40_withoutALimitOnlyThePoolBinds() {
        var h = Harness.acme()
        h.fund("acme", 50)
        h.append(Self.limit(10), as: People.owner)
        guard case .insufficientCredits(_, 100, 50, 50, _)? = h.reject(.clone(workspace: "acme", itemKind: "design", item: "d1"), as: People.owner) else {
            Issue.record("the owner has no limit: the pool's refusal alone"); return
        }
    }

    @Test("R40: a charge beyond what is left of the member's limit this month is refused, naming what is left")
    func R40_chargeBeyondTheMonthlyLimitIsRefusedWithWhatIsLeft() throws {
        var h = Harness.acme()
        h.fund("acme", 500)
        let set = h.append(Self.limit(10), as: People.owner)
        #expect(set.map(\.kind) == [.memberLimit] && set.first?.limit == 10 && set.first?.member == People.member)
        h.append(Self.charge("j-1"), as: People.member)
        h.append(Self.charge("j-2"), as: People.member)
        let refusal = h.reject(Self.charge("j-3"), as: People.member)
        #expect(refusal == .memberLimitReached(member: People.member, workspace: "acme", left: 2, limit: 10, action: "print_file", cost: 4))
        #expect(refusal?.message == "monthly limit: mo has 2 of 10 credits left this month in acme; print_file costs 4, short by 2 (R40)")
        // The owner has no limit and spends from the same pool.
        h.append(Self.charge("o-1", "ai_graphic"), as: People.owner)
        #expect(h.ws().limitStanding(of: People.member, at: h.clock) == MemberLimitStanding(member: People.member, limit: 10, spent: 8, held: 0))
        #expect(h.ws().limitStanding(of: People.owner, at: h.clock) == nil)
    }

    @Test("R40: clones count against the limit as charges do")
    func R40_clonesCountAgainstTheLimit() {
        var h = Harness.acme()
        h.fund("acme", 1_000)
        h.append(Self.limit(300), as: People.owner)
        h.append(.clone(workspace: "acme", itemKind: "design", item: "d-1"), as: People.member)
        let refusal = h.reject(.clone(workspace: "acme", itemKind: "fabric", item: "f-1"), as: People.member)
        #expect(refusal == .memberLimitReached(member: People.member, workspace: "acme", left: 200, limit: 300, action: "clone_fabric", cost: 250))
    }

    @Test("R40, R35: a member's open holds count against their limit until released; a capture is not refused twice")
    func R40_holdsCountAgainstTheLimit() {
        var h = Harness.acme()
        h.fund("acme", 500)
        h.append(Self.limit(10), as: People.owner)
        h.append(.hold(workspace: "acme", action: "ai_graphic", job: "long", ttlSeconds: nil), as: People.member)
        #expect(h.ws().limitStanding(of: People.member, at: h.clock)?.left == 4)
        let refusal = h.reject(.hold(workspace: "acme", action: "ai_graphic", job: "long-2", ttlSeconds: nil), as: People.member)
        #expect(refusal == .memberLimitReached(member: People.member, workspace: "acme", left: 4, limit: 10, action: "ai_graphic", cost: 6))
        _ = h.reject(Self.charge("other", "ai_graphic"), as: People.member)
        // The capture turns the hold into spend; what is left stays 4.
        h.append(Self.charge("long", "ai_graphic"), as: People.member)
        #expect(h.ws().limitStanding(of: People.member, at: h.clock) == MemberLimitStanding(member: People.member, limit: 10, spent: 6, held: 0))
        // A released hold gives back what it reserved.
        h.append(.hold(workspace: "acme", action: "print_file", job: "p", ttlSeconds: nil), as: People.member)
        #expect(h.ws().limitStanding(of: People.member, at: h.clock)?.left == 0)
        h.append(.jobFailed(workspace: "acme", job: "p"), as: People.member)
        #expect(h.ws().limitStanding(of: People.member, at: h.clock)?.left == 4)
    }

    @Test("R40, R5: refunds of a member's charges give back their limit, whoever reports the failure")
    func R40_refundsGiveLimitBack() {
        var h = Harness.acme()
        h.fund("acme", 500)
        h.append(Self.limit(8), as: People.owner)
        h.append(Self.charge("j-1"), as: People.member)
        h.append(Self.charge("j-2"), as: People.member)
        _ = h.reject(Self.charge("j-3"), as: People.member)
        h.append(.jobFailed(workspace: "acme", job: "j-1"), as: People.owner)
        #expect(h.ws().limitStanding(of: People.member, at: h.clock)?.spent == 4)
        h.append(Self.charge("j-3"), as: People.member)
    }

    @Test("R40: a new calendar month (UTC) starts the limit afresh; a refund of last month's charge gives nothing back")
    func R40_aNewMonthStartsAfresh() {
        var h = Harness.acme()
        h.fund("acme", 500)
        h.append(Self.limit(8), as: People.owner)
        h.append(Self.charge("j-1"), as: People.member)
        h.append(Self.charge("j-2"), as: People.member)
        _ = h.reject(Self.charge("j-3"), as: People.member)
        h.advance(days: 31)  // 2026-04-01
        #expect(h.ws().limitStanding(of: People.member, at: h.clock)?.left == 8)
        h.append(.jobFailed(workspace: "acme", job: "j-1"), as: People.member)
        #expect(h.ws().limitStanding(of: People.member, at: h.clock)?.spent == 0)
        h.append(Self.charge("j-3"), as: People.member)
        h.append(Self.charge("j-4"), as: People.member)
        _ = h.reject(Self.charge("j-5"), as: People.member)
    }

    @Test("R40, R18: the owner or support sets and lifts limits, for the owner or a member only, within bounds; a repeat is already so")
    func R40_ownerOrSupportSetsLimitsWithinBounds() {
        var h = Harness.acme()
        guard case .notPermitted? = h.reject(Self.limit(10), as: People.member) else { Issue.record("a member cannot set limits"); return }
        guard case .notPermitted? = h.reject(Self.limit(10), as: People.stranger) else { Issue.record("a stranger cannot set limits"); return }
        #expect(h.reject(Self.limit(10, People.stranger), as: People.owner) == .notAMember(workspace: "acme", person: People.stranger))
        guard case .invalidAmount? = h.reject(Self.limit(-1), as: People.owner) else { Issue.record("a negative limit is refused"); return }
        guard case .invalidAmount? = h.reject(Self.limit(MemberLimitPolicy.creditsMax + 1), as: People.owner) else {
            Issue.record("a limit past the maximum is refused"); return
        }
        h.append(Self.limit(MemberLimitPolicy.creditsMax), as: People.support)
        h.append(Self.limit(0), as: People.owner)
        guard case .success(.alreadyRecorded(.alreadyInState))? = Optional(h.run(Self.limit(0), as: People.owner)) else {
            Issue.record("the same limit again is already so"); return
        }
        let off = h.append(Self.limit(nil), as: People.owner)
        #expect(off.first?.limit == nil && h.ws().memberLimits.isEmpty)
        guard case .success(.alreadyRecorded(.alreadyInState))? = Optional(h.run(Self.limit(nil), as: People.owner)) else {
            Issue.record("lifting no limit is already so"); return
        }
    }

    @Test("R40: a limit of 0 stops the member; lifting it lets them spend from the pool again")
    func R40_offLiftsTheLimit() {
        var h = Harness.acme()
        h.fund("acme", 50)
        h.append(Self.limit(0), as: People.owner)
        #expect(h.reject(Self.charge("j-1"), as: People.member)?.message.contains("has 0 of 0 credits left") == true)
        h.append(Self.limit(nil), as: People.owner)
        h.append(Self.charge("j-1"), as: People.member)
    }

    @Test("R40: limit records and limited charges replay through the rules and fold to the same state")
    func R40_limitsReplayAndFold() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        h.append(Self.limit(10), as: People.owner)
        var before = h.state
        let charge = h.append(Self.charge("j-1"), as: People.member)
        #expect(RuleReplay.breach(in: charge, state: &before) == nil)
        // A forged charge past the limit is named by verify's replay.
        h.append(Self.charge("j-2"), as: People.member)
        var forged = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .charge, actor: People.member, workspace: "acme")
        forged.credits = -4; forged.action = "print_file"; forged.job = "j-3"; forged.balance = h.balance() - 4
        var state = h.state
        guard case .refused(.memberLimitReached)? = RuleReplay.breach(in: [forged], state: &state)?.breach else {
            Issue.record("a charge past the limit is a breach"); return
        }
        #expect(try h.replayed().workspaces["acme"] == h.ws())
    }
}

/// R40's calendar month: UTC, whatever its length.
@Suite struct MemberMonthSpendTests {
    @Test("R40: spend counts within its calendar month, however long, and starts afresh on the first of the next", arguments: [
        ("2026-02-01T00:00:00Z", "2026-02-28T23:59:59Z", true), ("2026-02-10T00:00:00Z", "2026-03-01T00:00:00Z", false),
        ("2026-01-01T00:00:00Z", "2026-01-31T23:59:59Z", true), ("2026-01-31T23:59:59Z", "2026-02-01T00:00:00Z", false),
        ("2026-12-15T12:00:00Z", "2027-01-01T00:00:00Z", false), ("2024-02-01T00:00:00Z", "2024-02-29T12:00:00Z", true),
    ])
    func R40_aMonthIsTheCalendarMonth(first: String, second: String, sameMonth: Bool) throws {
        var tally = MemberMonthSpend()
        let a = try #require(Timestamp(iso8601: first)), b = try #require(Timestamp(iso8601: second))
        tally.charge(4, by: "lee", seq: 1, job: true, at: a)
        tally.charge(6, by: "lee", seq: 2, job: true, at: b)
        #expect(tally.spent(by: "lee", at: b) == (sameMonth ? 10 : 6))
        tally.refund(4, of: 1, at: b)
        #expect(tally.spent(by: "lee", at: b) == 6, "a refund gives back only a charge of this month (10 - 4, or 6 untouched)")
        #expect(tally.month == b.monthStart)
    }
}

/// R40 over random streams of limits, charges, holds, captures, refunds and month turns: no
/// member's spend this month plus what they hold ever passes their limit, and every commit
/// replays through the rules.
@Suite struct MemberLimitPropertyTests {
    @Test(arguments: PropertyTests.seeds)
    func R40_membersNeverSpendBeyondTheirLimitAcrossRandomStreams(seed: UInt64) throws {
        var h = Harness.acme()
        h.append(.addMember(workspace: "acme", member: "lee"), as: People.owner)
        h.fund("acme", 5_000)
        var random = SplitMix64(seed: seed)
        func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }
        let people = [People.member, "lee", People.owner]
        let actions = ["ai_graphic", "ai_vectorize", "print_file"]
        var refused = 0
        for step in 0..<300 {
            h.advance(seconds: int(0...40_000))
            let who = people[Int(int(0...2))], job = "j\(int(0...9))-\(step / 30)", act = actions[Int(int(0...2))]
            let command: (Command, String)
            switch int(0...99) {
            case 0..<10: command = (.memberLimit(workspace: "acme", member: who, credits: int(0...3) == 0 ? nil : int(0...40)), People.owner)
            case 10..<55: command = (.charge(workspace: "acme", action: act, job: job), who)
            case 55..<75: command = (.hold(workspace: "acme", action: act, job: job, ttlSeconds: int(60...7_200)), who)
            case 75..<90: command = (.jobFailed(workspace: "acme", job: job), who)
            default: command = (.adjust(workspace: "acme", amount: int(1...50), reason: "top"), People.support)
            }
            var before = h.state
            let result = h.run(command.0, as: command.1)
            if case .failure(.memberLimitReached) = result { refused += 1 }
            if case .success(.append(let entries)) = result {
                #expect(RuleReplay.breach(in: entries, state: &before) == nil, "each commit is what the rules write (seed \(seed))")
            }
            for standing in h.ws().limitStandings(at: h.clock) {
                // What was spent before a limit was lowered may pass it; nothing spent after may.
                if case .success(.append(let entries)) = result, entries.contains(where: { $0.actor == standing.member && ($0.kind == .charge || $0.kind == .hold) && $0.ref == nil }) {
                    #expect(standing.spent + standing.held <= standing.limit, "\(standing.member) passed their limit (seed \(seed))")
                }
            }
        }
        #expect(refused > 0, "the stream meets the limits (seed \(seed))")
        #expect(try h.replayed().workspaces["acme"] == h.ws())
    }
}
