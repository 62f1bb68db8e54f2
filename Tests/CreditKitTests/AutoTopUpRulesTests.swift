import Testing
@testable import CreditKit

/// R37–R39: auto top-up with guard rails, decided by the pure engine.
@Suite struct AutoTopUpRulesTests {
    /// Below 20 available, ask for topup_50 ($50), at most `cap` cents a month.
    static func rule(below: Credits = 20, pack: String? = "topup_50", to target: Credits? = nil, cap: Cents = 20_000) -> Command {
        .setAutoTopUp(workspace: "acme", rule: AutoTopUpRule(threshold: below, pack: pack, targetBalance: target, capCents: cap))
    }

    static func charge(_ job: String, _ action: String = "ai_graphic") -> Command {
        .charge(workspace: "acme", action: action, job: job)
    }

    /// A harness with acme funded to `balance` and the rule set by the owner.
    static func harness(balance: Credits = 30, _ rule: Command = rule()) -> Harness {
        var h = Harness.acme()
        h.fund("acme", balance)
        h.append(rule, as: People.owner)
        return h
    }

    /// The top-up requests among `entries`.
    static func requests(_ entries: [Entry]) -> [Entry] { entries.filter { $0.alert == .topUpRequest } }

    /// Runs `command`, checks the commit is what the rules write (replayed as `verify` does), returns it.
    @discardableResult
    static func run(_ command: Command, as actor: String, in h: inout Harness, sourceLocation: SourceLocation = #_sourceLocation) -> [Entry] {
        var before = h.state
        let entries = h.append(command, as: actor, sourceLocation: sourceLocation)
        #expect(RuleReplay.breach(in: entries, state: &before) == nil, sourceLocation: sourceLocation)
        return entries
    }

    @Test("R37: the write that leaves the available balance at the threshold writes one request; the next crossing writes nothing new")
    func R37_oneRequestPerCrossing() throws {
        var h = Self.harness(balance: 32)
        #expect(Self.requests(Self.run(Self.charge("j-1"), as: People.member, in: &h)).isEmpty, "26 is above 20")
        let commit = Self.run(Self.charge("j-2"), as: People.member, in: &h)
        let request = try #require(Self.requests(commit).first)
        #expect(commit.map(\.kind) == [.charge, .alert])
        #expect(request.request == "auto-\(request.seq)" && request.pack == "topup_50" && request.priceCents == 5_000)
        #expect(request.ref == commit[0].seq && request.actor == "system" && request.balance == 20)
        #expect(h.ws().autoTopUp.pending?.id == request.request)
        #expect(Self.requests(Self.run(Self.charge("j-3"), as: People.member, in: &h)).isEmpty, "one pending request per crossing")
        #expect(Self.requests(Self.run(.hold(workspace: "acme", action: "print_file", job: "h-1", ttlSeconds: nil), as: People.member, in: &h)).isEmpty)
        #expect(try h.replayed().workspaces["acme"] == h.ws())
    }

    @Test("R37: a hold counts: the available balance, not the balance, is what crosses")
    func R37_theAvailableBalanceCrosses() throws {
        var h = Self.harness(balance: 24)
        let commit = Self.run(.hold(workspace: "acme", action: "print_file", job: "h-1", ttlSeconds: nil), as: People.member, in: &h)
        let request = try #require(Self.requests(commit).first)
        #expect(request.balance == 24 && h.ws().available == 20)
    }

    @Test("R37: a payment for the requested pack answers the request; a top-up without a payment or of another pack does not")
    func R37_paymentAnswersThePendingRequest() throws {
        var h = Self.harness(balance: 26)
        let request = try #require(Self.requests(Self.run(Self.charge("j-1"), as: People.member, in: &h)).first)
        let manual = Self.run(.topUp(workspace: "acme", pack: "topup_50"), as: People.owner, in: &h)
        #expect(manual[0].ref == nil && h.ws().autoTopUp.pending != nil)
        let other = Self.run(.topUp(workspace: "acme", pack: "topup_100", payment: "pay-x"), as: People.support, in: &h)
        #expect(other[0].ref == nil && h.ws().autoTopUp.pending != nil)
        let paid = Self.run(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: People.support, in: &h)
        #expect(paid[0].ref == request.seq && paid[0].payment == "pay-1")
        #expect(h.ws().autoTopUp.pending == nil && h.ws().autoTopUp.spentCents(at: h.clock) == 5_000)
    }

    @Test("R37: --to-balance asks for the smallest pack that reaches the target")
    func R37_toBalancePicksTheSmallestPackThatReaches() throws {
        var h = Self.harness(balance: 26, Self.rule(below: 20, pack: nil, to: 1_500, cap: 50_000))
        let request = try #require(Self.requests(Self.run(Self.charge("j-1"), as: People.member, in: &h)).first)
        #expect(request.pack == "topup_200" && request.priceCents == 20_000, "1,480 missing: topup_200 gives 2,200")
    }

    @Test("R37: a rule set while the balance is already low asks at once; setting it again is already so")
    func R37_setWhileLowAsksAtOnceAndRepeatsAreAlreadySo() throws {
        var h = Harness.acme()
        h.fund("acme", 5)
        let commit = Self.run(Self.rule(), as: People.owner, in: &h)
        #expect(commit.map(\.kind) == [.autoTopUp, .alert] && commit[0].threshold == 20 && commit[0].capCents == 20_000)
        guard case .success(.alreadyRecorded(.alreadyInState)) = h.run(Self.rule(), as: People.owner) else {
            Issue.record("the same rule again changes nothing"); return
        }
    }

    @Test("R37, R18: rules outside their bounds, unknown packs and people without the role are refused, writing nothing")
    func R37_ruleRefusals() {
        var h = Harness.acme()
        #expect(h.reject(Self.rule(below: -1), as: People.owner) == .autoTopUpThresholdOutOfRange(-1))
        #expect(h.reject(Self.rule(below: 100, pack: nil, to: 100), as: People.owner) == .autoTopUpTargetNotAboveThreshold(target: 100, threshold: 100))
        #expect(h.reject(Self.rule(cap: 0), as: People.owner) == .autoTopUpCapOutOfRange(0))
        #expect(h.reject(Self.rule(cap: AutoTopUpPolicy.capCentsMax + 1), as: People.owner) == .autoTopUpCapOutOfRange(AutoTopUpPolicy.capCentsMax + 1))
        #expect(h.reject(Self.rule(pack: "topup_9"), as: People.owner) == .unknownPack("topup_9"))
        #expect(h.reject(Self.rule(pack: "topup_100", cap: 5_000), as: People.owner)
                == .autoTopUpCapBelowPack(capCents: 5_000, pack: "topup_100", priceCents: 10_000))
        guard case .notPermitted? = h.reject(Self.rule(), as: People.member) else { Issue.record("members cannot set the rule"); return }
        #expect(h.reject(.resumeAutoTopUp(workspace: "acme"), as: People.owner) == .noAutoTopUpRule(workspace: "acme"))
        guard case .notPermitted? = h.reject(.topUpDeclined(workspace: "acme", request: "auto-1", reason: nil), as: People.owner) else {
            Issue.record("only the billing side (support) reports a decline"); return
        }
        #expect(h.reject(.topUpDeclined(workspace: "acme", request: "auto-1", reason: nil), as: People.support)
                == .noPendingTopUpRequest(workspace: "acme", request: "auto-1", pending: nil))
    }

    @Test("R38: warnings at 80, 90 and 100 percent of the cap, once each a month; past the cap no request, one alert")
    func R38_capIsNeverPassedAndWarnsOnce() throws {
        var h = Self.harness(balance: 26, Self.rule(cap: 10_000))
        var job = 0
        func payPending(_ h: inout Harness) -> [Entry] {
            job += 1
            let pack = h.ws().autoTopUp.pending?.pack ?? "?"
            return Self.run(.topUp(workspace: "acme", pack: pack, payment: "pay-\(job)"), as: People.support, in: &h)
        }
        Self.run(Self.charge("j-0"), as: People.member, in: &h)
        #expect(payPending(&h).compactMap(\.alert).filter { $0.capPercent != nil }.isEmpty, "$50 of $100 is 50%")
        h.fund("acme", -h.ws().balance + 25)
        Self.run(Self.charge("j-1"), as: People.member, in: &h)
        let second = payPending(&h)
        #expect(second.compactMap(\.alert).filter { $0.capPercent != nil } == [.autoTopUp80, .autoTopUp90, .autoTopUp100])
        h.fund("acme", -h.ws().balance + 25)
        let capped = Self.run(Self.charge("j-2"), as: People.member, in: &h)
        #expect(capped.compactMap(\.alert) == [.autoTopUpCapReached] && h.ws().autoTopUp.pending == nil)
        #expect(Self.run(Self.charge("j-3"), as: People.member, in: &h).compactMap(\.alert).isEmpty, "the cap alert goes once a month")
        #expect(h.ws().autoTopUp.spentCents(at: h.clock) == 10_000)
        h.clock = Timestamp(iso8601: "2026-04-01T00:00:00Z")!
        let april = Self.run(Self.charge("j-4"), as: People.member, in: &h)
        #expect(Self.requests(april).count == 1, "a new month, a new cap")
        #expect(h.ws().autoTopUp.spentCents(at: h.clock) == 0)
    }

    @Test("R38: switching the rule off and on neither drops this month's spend nor the pending request's guard")
    func R38_offAndOnKeepsTheMonthsSpend() throws {
        var h = Self.harness(balance: 26, Self.rule(cap: 10_000))
        Self.run(Self.charge("j-1"), as: People.member, in: &h)
        Self.run(.topUp(workspace: "acme", pack: "topup_50", payment: "p-1"), as: People.support, in: &h)
        let off = Self.run(.autoTopUpOff(workspace: "acme"), as: People.owner, in: &h)
        #expect(off.map(\.kind) == [.autoTopUpOff] && h.ws().autoTopUp.rule == nil)
        Self.run(Self.rule(cap: 10_000), as: People.owner, in: &h)
        #expect(h.ws().autoTopUp.spentCents(at: h.clock) == 5_000)
    }

    @Test("R39: a decline backs off an hour, then two; the third in a row pauses the rule and tells the owner; resume asks again")
    func R39_declinesBackOffThenPause() throws {
        var h = Self.harness(balance: 26)
        var job = 0
        func crossAndDecline(_ h: inout Harness) throws -> [Entry] {
            job += 1
            let id = try #require(h.ws().autoTopUp.pending?.id)
            return Self.run(.topUpDeclined(workspace: "acme", request: id, reason: "card declined"), as: People.support, in: &h)
        }
        Self.run(Self.charge("j-0"), as: People.member, in: &h)
        #expect(try crossAndDecline(&h).map(\.kind) == [.topUpDeclined])
        h.advance(seconds: 3_599)
        #expect(Self.requests(Self.run(Self.charge("a-1", "print_file"), as: People.member, in: &h)).isEmpty, "backing off for an hour")
        h.advance(seconds: 1)
        #expect(Self.requests(Self.run(Self.charge("a-2", "print_file"), as: People.member, in: &h)).count == 1)
        _ = try crossAndDecline(&h)
        h.advance(seconds: 3_600)
        #expect(Self.requests(Self.run(Self.charge("a-3", "print_file"), as: People.member, in: &h)).isEmpty, "two hours after the second")
        h.advance(seconds: 3_600)
        #expect(Self.requests(Self.run(Self.charge("a-4", "print_file"), as: People.member, in: &h)).count == 1)
        let third = try crossAndDecline(&h)
        #expect(third.compactMap(\.alert) == [.autoTopUpPaused] && h.ws().autoTopUp.paused)
        h.advance(days: 1)
        #expect(Self.requests(Self.run(.adjust(workspace: "acme", amount: -1, reason: "t"), as: People.support, in: &h)).isEmpty, "paused")
        let resumed = Self.run(.resumeAutoTopUp(workspace: "acme"), as: People.owner, in: &h)
        #expect(resumed.map(\.kind) == [.autoTopUp, .alert] && !h.ws().autoTopUp.paused && h.ws().autoTopUp.declinesInARow == 0)
        #expect(try h.replayed().workspaces["acme"] == h.ws())
    }

    @Test("R39: a decline must name the pending request; a payment resets the declines")
    func R39_declineNamesThePendingRequest() throws {
        var h = Self.harness(balance: 26)
        Self.run(Self.charge("j-0"), as: People.member, in: &h)
        let id = try #require(h.ws().autoTopUp.pending?.id)
        #expect(h.reject(.topUpDeclined(workspace: "acme", request: "auto-999", reason: nil), as: People.support)
                == .noPendingTopUpRequest(workspace: "acme", request: "auto-999", pending: id))
        Self.run(.topUpDeclined(workspace: "acme", request: id, reason: nil), as: People.support, in: &h)
        #expect(h.ws().autoTopUp.declinesInARow == 1)
        #expect(h.reject(.topUpDeclined(workspace: "acme", request: id, reason: nil), as: People.support)
                == .noPendingTopUpRequest(workspace: "acme", request: id, pending: nil), "a request is answered once")
    }

    @Test("R37: a forged request, decline or answering payment does not fold")
    func R37_forgedRecordsDoNotFold() {
        let h = Self.harness(balance: 100)
        var request = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .topUpDeclined, actor: People.support, workspace: "acme")
        request.request = "auto-3"
        var state = h.state
        #expect(throws: ReplayError.self) { try state.apply(request) }
        var paid = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .topup, actor: People.support, workspace: "acme")
        paid.credits = 500; paid.pack = "topup_50"; paid.priceCents = 5_000; paid.payment = "p"; paid.ref = 3; paid.balance = 600
        state = h.state
        #expect(throws: ReplayError.self) { try state.apply(paid) }
        _ = h
    }

    @Test("R38, R37: across random streams of charges, requests, payments and declines, auto top-ups never pass the monthly cap and never leave two requests pending",
          arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func R38_capHoldsAcrossRandomStreams(seed: UInt64) throws {
        var h = Self.harness(balance: 200, Self.rule(below: 60, pack: nil, to: 300, cap: 30_000))
        var random = SplitMix64(seed: seed)
        func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }
        var paidByMonth: [Timestamp: Cents] = [:]
        var requests = 0, answered = 0, declined = 0
        for step in 0..<500 {
            h.advance(seconds: int(0...20_000))
            let pending = h.ws().autoTopUp.pending
            let command: (Command, String)
            switch int(0...99) {
            case 0..<55: command = (Self.charge("j-\(step)", ["ai_graphic", "print_file", "ai_vectorize"][Int(int(0...2))]), People.member)
            case 55..<72 where pending != nil:
                command = (.topUp(workspace: "acme", pack: pending?.pack ?? "", payment: "p-\(step)"), People.support)
            case 72..<85 where pending != nil:
                command = (.topUpDeclined(workspace: "acme", request: pending?.id ?? "", reason: nil), People.support)
            case 85..<90: command = (.resumeAutoTopUp(workspace: "acme"), People.owner)
            case 90..<92: command = (.hold(workspace: "acme", action: "print_file", job: "h-\(step)", ttlSeconds: int(60...7_200)), People.member)
            default: command = (.adjust(workspace: "acme", amount: int(-150...20) | 1, reason: "adjust"), People.support)
            }
            var before = h.state
            guard case .success(.append(let entries)) = h.run(command.0, as: command.1) else { continue }
            #expect(RuleReplay.breach(in: entries, state: &before) == nil, "each commit is what the rules write (seed \(seed))")
            #expect(Self.requests(entries).count <= 1)
            var folding = before
            for entry in entries {
                // Never two pending: each request is written when none is (a payment in the same commit answered the last).
                if entry.alert == .topUpRequest { requests += 1; #expect(folding.workspaces["acme"]?.autoTopUp.pending == nil) }
                try folding.apply(entry)
                if entry.kind == .topUpDeclined { declined += 1 }
                if entry.kind == .topup, entry.ref != nil {
                    answered += 1
                    paidByMonth[entry.time.monthStart, default: 0] += entry.priceCents ?? 0
                }
            }
            let auto = h.ws().autoTopUp
            #expect(auto.spentCents <= 30_000 && (paidByMonth[h.clock.monthStart] ?? 0) <= 30_000, "never past the cap (seed \(seed))")
            #expect(auto.spentCents(at: h.clock) == paidByMonth[h.clock.monthStart] ?? 0)
        }
        #expect(requests > 5 && answered > 2 && declined > 2, "the stream exercises requests (seed \(seed)): \(requests), \(answered), \(declined)")
        #expect(try h.replayed().workspaces["acme"] == h.ws())
    }
}
