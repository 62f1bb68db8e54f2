import Testing
@testable import CreditKit

/// R35 holds, R36 voids and R33 balances as of a time, decided by the pure engine.
@Suite struct HoldRulesTests {
    static func hold(_ job: String, _ action: String = "ai_graphic", ttl: Int64? = nil) -> Command {
        .hold(workspace: "acme", action: action, job: job, ttlSeconds: ttl)
    }

    @Test("R35: a hold reserves the cost; available = balance − held; the badge follows available")
    func R35_holdReservesAgainstTheAvailableBalance() throws {
        var h = Harness.acme()
        h.fund("acme", 110)
        let entries = h.append(Self.hold("j-1", "print_file"), as: People.member)
        let hold = try #require(entries.first)
        #expect(hold.kind == .hold && hold.credits == 0 && hold.held == 4 && hold.balance == 110)
        #expect(hold.expires == Timestamp(secondsSinceEpoch: h.clock.secondsSinceEpoch + HoldPolicy.ttlSecondsDefault))
        #expect(h.ws().held == 4 && h.ws().available == 106 && h.balance() == 110)
        #expect(h.state.badge(for: h.ws().available) == .comfortable)
    }

    @Test("R35, R8: a hold the available balance cannot cover is refused with the exact shortfall")
    func R35_holdBeyondTheAvailableBalanceIsRefused() {
        var h = Harness.acme()
        h.fund("acme", 10)
        h.append(Self.hold("j-1"), as: People.member)
        let refusal = h.reject(Self.hold("j-2"), as: People.member)
        guard case let .insufficientAvailable(action, cost, available, held, shortfall, _)? = refusal else {
            Issue.record("expected insufficientAvailable, got \(String(describing: refusal))"); return
        }
        #expect(action == "ai_graphic" && cost == 6 && available == 4 && held == 6 && shortfall == 2)
        #expect(refusal?.message.hasPrefix("insufficient credits: ai_graphic costs 6, the available balance is 4 (6 held), short by 2") == true)
    }

    @Test("R35: a plain charge is decided against the available balance, so holds protect long jobs")
    func R35_plainChargeCannotSpendHeldCredits() {
        var h = Harness.acme()
        h.fund("acme", 10)
        h.append(Self.hold("long"), as: People.member)
        _ = h.reject(.charge(workspace: "acme", action: "ai_graphic", job: "other"), as: People.member)
        h.append(.charge(workspace: "acme", action: "print_file", job: "small"), as: People.member)
        #expect(h.ws().available == 0)
    }

    @Test("R35: charge of a held job captures the hold in one charge entry; the hold is gone")
    func R35_chargeCapturesTheHold() throws {
        var h = Harness.acme()
        h.fund("acme", 20)
        let hold = h.append(Self.hold("j-1"), as: People.member)[0]
        let entries = h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        let charge = try #require(entries.first)
        #expect(entries.filter { $0.kind == .charge }.count == 1)
        #expect(charge.ref == hold.seq && charge.credits == -6 && charge.balance == 14)
        #expect(h.ws().held == 0 && h.ws().holds.isEmpty && h.ws().jobs["j-1"]?.chargeSeq == charge.seq)
        guard case .alreadyRecorded(.jobAlreadyCharged)? = try? h.run(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member).get() else {
            Issue.record("a second charge is a repeat (R6)"); return
        }
    }

    @Test("R35: job-failed on a held, uncharged job releases the hold by an entry")
    func R35_jobFailedReleasesTheHold() throws {
        var h = Harness.acme()
        h.fund("acme", 20)
        let hold = h.append(Self.hold("j-1"), as: People.member)[0]
        let release = try #require(h.append(.jobFailed(workspace: "acme", job: "j-1"), as: People.member).first)
        #expect(release.kind == .release && release.ref == hold.seq && release.held == 6 && release.actor == People.member)
        #expect(release.reason == nil && h.ws().held == 0 && h.balance() == 20)
    }

    @Test("R35: a hold past its time to live releases itself by an entry at the next write, and reads show it pending")
    func R35_expiredHoldReleasesByAnEntry() throws {
        var h = Harness.acme()
        h.fund("acme", 20)
        let hold = h.append(Self.hold("j-1", ttl: 60), as: People.member)[0]
        h.advance(seconds: 61)
        let brought = try #require(Engine.bringUp("acme", in: h.state, to: h.clock))
        #expect(brought.workspace.held == 0 && brought.expiries.map(\.kind) == [.release])
        #expect(WorkspaceSummary(h.ws()).broughtUp(to: h.clock).held == 0)
        #expect(h.ws().held == 6, "nothing is released silently: the journal still holds it")
        let entries = h.append(.topUp(workspace: "acme", pack: "topup_50"), as: People.owner)
        #expect(entries.map(\.kind) == [.release, .topup])
        #expect(entries[0].actor == "system" && entries[0].reason == HoldPolicy.expiredReason && entries[0].ref == hold.seq)
        #expect(h.ws().held == 0)
    }

    @Test("R35: a hold is an idempotency key: the same hold again is already recorded; a charged job cannot be held")
    func R35_holdIsIdempotentPerJob() {
        var h = Harness.acme()
        h.fund("acme", 20)
        let hold = h.append(Self.hold("j-1"), as: People.member)[0]
        guard case .success(.alreadyRecorded(.jobAlreadyHeld("j-1", hold.seq))) = h.run(Self.hold("j-1"), as: People.member) else {
            Issue.record("a repeated hold is already recorded"); return
        }
        #expect(h.reject(Self.hold("j-1", "print_file"), as: People.member) == .holdActionMismatch(job: "j-1", held: "ai_graphic", asked: "print_file", seq: hold.seq))
        let charge = h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)[0]
        #expect(h.reject(Self.hold("j-1"), as: People.member) == .jobAlreadyCharged(job: "j-1", seq: charge.seq))
    }

    @Test("R35: the time to live is bounded by named limits; holds are for members and owners (R18)")
    func R35_ttlIsBoundedAndRolesApply() {
        var h = Harness.acme()
        h.fund("acme", 20)
        #expect(h.reject(Self.hold("j", ttl: 0), as: People.member) == .invalidHoldTTL(seconds: 0))
        #expect(h.reject(Self.hold("j", ttl: HoldPolicy.ttlSecondsMax + 1), as: People.member) == .invalidHoldTTL(seconds: HoldPolicy.ttlSecondsMax + 1))
        h.append(Self.hold("j", ttl: HoldPolicy.ttlSecondsMax), as: People.member)
        guard case .notPermitted? = h.reject(Self.hold("k"), as: People.stranger) else { Issue.record("a stranger may not hold"); return }
    }

    @Test("R35: a hold the fold cannot cover, or a release of no open hold, does not fold")
    func R35_forgedHoldsDoNotFold() {
        var h = Harness.acme()
        h.fund("acme", 5)
        var hold = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .hold, actor: People.member, workspace: "acme")
        hold.held = 6; hold.job = "j"; hold.action = "ai_graphic"; hold.expires = h.clock.adding(days: 1); hold.balance = 5
        var state = h.state
        #expect(throws: ReplayError.self) { try state.apply(hold) }
        var release = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .release, actor: People.member, workspace: "acme")
        release.held = 6; release.job = "j"; release.ref = 3; release.balance = 5
        #expect(throws: ReplayError.self) { try state.apply(release) }
    }

    @Test("R35: credits that expire under a hold release the newest holds the balance no longer covers")
    func R35_expiredCreditsReleaseUncoveredHolds() throws {
        var h = Harness.acme(catalog: Catalogs.sofia)
        let soon = Timestamp(secondsSinceEpoch: h.clock.secondsSinceEpoch + 43_200)
        h.append(.grant(workspace: "acme", amount: 3, source: .promo, reason: "promo", expires: soon), as: People.support)
        h.append(.grant(workspace: "acme", amount: 1, source: .promo, reason: "promo", expires: nil), as: People.support)
        h.append(.hold("j-1", "image", ttl: HoldPolicy.ttlSecondsMax), as: People.member)
        h.append(.hold("j-2", "image", ttl: HoldPolicy.ttlSecondsMax), as: People.member)
        h.advance(seconds: 43_201)
        #expect(Engine.bringUp("acme", in: h.state, to: h.clock)?.workspace.held == 1)
        #expect(WorkspaceSummary(h.ws()).broughtUp(to: h.clock).held == 1, "a list brings holds up by the same rule")
        let entries = h.append(.charge(workspace: "acme", action: "image", job: "j-1"), as: People.member)
        try #require(entries.map(\.kind) == [.expiry, .release, .charge, .alert])
        #expect(entries[1].job == "j-2" && entries[1].reason == HoldPolicy.uncoveredReason, "the newest hold goes first")
        #expect(entries[2].ref != nil, "the older hold is still captured")
        #expect(h.ws().balance == 0 && h.ws().held == 0 && h.ws().available == 0)
    }
}

private extension Command {
    static func hold(_ job: String, _ action: String, ttl: Int64) -> Command {
        .hold(workspace: "acme", action: action, job: job, ttlSeconds: ttl)
    }
}

/// R36: support voids what is left of one grant; what was spent stays spent.
@Suite struct VoidRulesTests {
    @Test("R36: a void removes the remainder the burn order left, points at the grant, and counts as spent")
    func R36_voidRemovesTheUnspentRemainder() throws {
        var h = Harness.acme()
        h.fund("acme", 50)
        let grant = h.append(.grant(workspace: "acme", amount: 30, source: .promo, reason: "promo", expires: nil), as: People.support)[0]
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        let void = try #require(h.append(.void(workspace: "acme", seq: grant.seq, reason: "sent to the wrong workspace"), as: People.support).first)
        #expect(void.kind == .void && void.credits == -24 && void.ref == grant.seq && void.balance == 50)
        #expect(h.ws().spent == 30 && h.ws().earned - h.ws().spent == h.balance())
    }

    @Test("R36: a second void, a grant with nothing left, and anyone but support are refused")
    func R36_voidRefusals() {
        var h = Harness.acme()
        let grant = h.append(.grant(workspace: "acme", amount: 6, source: .promo, reason: "promo", expires: nil), as: People.support)[0]
        let other = h.append(.grant(workspace: "acme", amount: 10, source: .trial, reason: "trial", expires: nil), as: People.support)[0]
        guard case .notPermitted? = h.reject(.void(workspace: "acme", seq: other.seq, reason: "x"), as: People.owner) else {
            Issue.record("only support voids"); return
        }
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        #expect(h.reject(.void(workspace: "acme", seq: grant.seq, reason: "x"), as: People.support) == .nothingToVoid(workspace: "acme", seq: grant.seq))
        let void = h.append(.void(workspace: "acme", seq: other.seq, reason: "x"), as: People.support)[0]
        #expect(h.reject(.void(workspace: "acme", seq: other.seq, reason: "x"), as: People.support) == .alreadyVoided(seq: other.seq, by: void.seq))
    }

    @Test("R36: a void never takes what holds reserve")
    func R36_voidDoesNotUncoverHolds() {
        var h = Harness.acme()
        let grant = h.append(.grant(workspace: "acme", amount: 10, source: .promo, reason: "promo", expires: nil), as: People.support)[0]
        h.append(.hold(workspace: "acme", action: "ai_graphic", job: "j", ttlSeconds: nil), as: People.member)
        #expect(h.reject(.void(workspace: "acme", seq: grant.seq, reason: "x"), as: People.support) == .voidUncoversHolds(seq: grant.seq, remaining: 10, available: 4))
    }
}

/// R33: balances as of a time, wound back from the journal.
@Suite struct AsOfRulesTests {
    @Test("R33: the balance, earned, spent and held as of each entry's time agree with the fold up to it")
    func R33_asOfAgreesWithTheFoldAtThatTime() {
        var h = Harness.acme()
        var times: [Timestamp] = []
        let commands: [(Command, String)] = [
            (.adjust(workspace: "acme", amount: 40, reason: "seed"), People.support),
            (.hold(workspace: "acme", action: "ai_graphic", job: "a", ttlSeconds: nil), People.member),
            (.charge(workspace: "acme", action: "ai_graphic", job: "a"), People.member),
            (.hold(workspace: "acme", action: "print_file", job: "b", ttlSeconds: nil), People.member),
            (.charge(workspace: "acme", action: "print_file", job: "c"), People.member),
            (.jobFailed(workspace: "acme", job: "c"), People.member),
            (.adjust(workspace: "acme", amount: -5, reason: "fix"), People.support),
        ]
        var snapshots: [WorkspaceState] = []
        for (command, actor) in commands {
            h.advance(seconds: 60)
            h.append(command, as: actor)
            times.append(h.clock)
            snapshots.append(h.ws())
        }
        let newestFirst = Array(h.creditEntries().reversed())
        for (index, time) in times.enumerated() {
            let after = AsOf.entriesAfter(time, count: newestFirst.count) { newestFirst[$0].time }
            let asOf = AsOf.rewind(h.ws(), over: Array(newestFirst[..<after]), to: time)
            let then = snapshots[index]
            #expect(asOf.balance == then.balance && asOf.earned == then.earned && asOf.spent == then.spent && asOf.held == then.held)
        }
    }
}

/// R35, R36, R34 over random streams of holds, captures, releases, expiries, voids and reversals: every commit
/// is what the rules replay to, balance = earned − spent, and available = balance − held is
/// never negative, in the journal and in every view brought up to a later time.
@Suite struct HoldPropertyTests {
    @Test(arguments: PropertyTests.seeds, [Catalogs.konfiwear, Catalogs.sofia])
    func R35_holdsNeverOverReserveAcrossRandomStreams(seed: UInt64, catalog: Catalog) throws {
        var h = Harness.acme(catalog: catalog)
        var random = SplitMix64(seed: seed)
        func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }
        let action = catalog.actions.filter { $0.kind == .job }.map(\.id)
        var grants: [Int64] = []
        var holds = 0, captures = 0, releases = 0
        for step in 0..<400 {
            h.advance(seconds: int(0...7_200))
            let job = "j\(int(0...4))-\(step / 25)", act = action[Int(int(0...Int64(action.count - 1)))]
            let command: (Command, String)
            switch int(0...99) {
            case 0..<35: command = (.hold(workspace: "acme", action: act, job: job, ttlSeconds: int(60...HoldPolicy.ttlSecondsMax)), People.member)
            case 35..<55:
                // Half the time, the job of an open hold, as a long job that succeeded.
                if let open = h.ws().holds.min(by: { $0.value.seq < $1.value.seq }), int(0...1) == 0 {
                    command = (.charge(workspace: "acme", action: open.value.action, job: open.key), People.member)
                } else {
                    command = (.charge(workspace: "acme", action: act, job: job), People.member)
                }
            case 55..<70: command = (.jobFailed(workspace: "acme", job: job), People.member)
            case 70..<82:
                let expires: Timestamp? = int(0...1) == 0 ? Timestamp(secondsSinceEpoch: h.clock.secondsSinceEpoch + int(60...86_400)) : nil
                command = (.grant(workspace: "acme", amount: int(1...40), source: .promo, reason: "promo", expires: expires), People.support)
            case 82..<86: command = (.void(workspace: "acme", seq: grants.isEmpty ? 1 : grants[Int(int(0...Int64(grants.count - 1)))], reason: "void"), People.support)
            case 86..<90:
                // R34: a reversal of a grant or adjustment, whatever holds reserve (never a trap).
                command = (.reverse(workspace: "acme", seq: grants.isEmpty ? 1 : grants[Int(int(0...Int64(grants.count - 1)))], reason: "undo"),
                           People.support)
            default: command = (.adjust(workspace: "acme", amount: int(-20...30) | 1, reason: "adjust"), People.support)
            }
            var before = h.state
            let journal = h.journal
            let facts = { (seq: Int64) in ReversalFacts.find(seq, workspace: "acme", in: journal) }
            let result = h.run(command.0, as: command.1, reversal: command.0.reversalFactsEntry.map { facts($0.seq) })
            if case .success(.append(let entries)) = result {
                var admitted = false
                #expect(RuleReplay.breach(in: entries, state: &before, admittedOlderText: &admitted, reversal: facts) == nil,
                        "each commit is what the rules write (seed \(seed))")
                for entry in entries {
                    if entry.kind == .grant || (entry.kind == .adjustment && entry.reverses == nil) { grants.append(entry.seq) }
                    if entry.kind == .hold { holds += 1 }
                    if entry.kind == .release { releases += 1 }
                    if entry.kind == .charge && entry.ref != nil { captures += 1 }
                }
            }
            let ws = h.ws()
            #expect(ws.balance == ws.earned - ws.spent && ws.balance >= 0)
            #expect(ws.held == ws.holds.values.reduce(0) { $0 + $1.credits })
            #expect(ws.available >= 0, "available never negative in the journal (seed \(seed))")
            let later = Timestamp(secondsSinceEpoch: h.clock.secondsSinceEpoch + int(0...200_000))
            let view = try #require(Engine.bringUp("acme", in: h.state, to: later)?.workspace)
            #expect(view.available >= 0 && view.balance == view.earned - view.spent)
            #expect(WorkspaceSummary(ws).broughtUp(to: later).available == view.available, "lists and views agree")
        }
        #expect(holds > 10 && captures > 2 && releases > 2, "the stream exercises holds (seed \(seed))")
        let replayed = try h.replayed()
        #expect(replayed.workspaces["acme"] == h.ws())
    }
}
