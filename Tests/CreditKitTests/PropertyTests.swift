import Testing
@testable import CreditKit

/// Random command sequences from random actors, under a seeded generator: whatever happens, the
/// ledger's invariants hold and the journal replays to the same state.
@Suite struct PropertyTests {
    static let seeds: [UInt64] = [1, 7, 42, 2026, 0xC0FFEE, 0xDEAD_BEEF]
    static let steps = 400

    /// Generates plausible and implausible commands and actors for a ledger.
    struct Generator {
        var random: SplitMix64
        let catalog: Catalog
        let workspaces = ["w0", "w1", "w2", "w3"]
        let people = ["maria", "sam", "o0", "o1", "o2", "o3", "m0", "m1", "m2", "m3", "zed"]

        init(seed: UInt64, catalog: Catalog) {
            random = SplitMix64(seed: seed)
            self.catalog = catalog
        }

        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
        mutating func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }
        mutating func chance(_ percent: Int64) -> Bool { int(1...100) <= percent }

        /// A command and the actor who issues it: half the time someone entitled, else anyone.
        mutating func next(clock: Timestamp, state: LedgerState) -> (Command, String) {
            let ws = chance(97) ? pick(workspaces) : "nowhere"
            let jobs = catalog.actions.filter { $0.kind == .job }.map(\.id)
            let owner = state.workspaces[ws]?.owner ?? "o0"
            let member = state.workspaces[ws]?.members.first ?? owner
            let command: Command
            var entitled: [String]
            switch int(0...99) {
            case 0..<30:
                command = .charge(workspace: ws, action: chance(95) ? pick(jobs) : pick(["clone_design", "nope"]),
                                  job: "j\(int(0...40))")
                entitled = [owner, member]
            case 30..<38:
                command = .jobFailed(workspace: ws, job: "j\(int(0...40))")
                entitled = [owner, member, "maria"]
            case 38..<43:
                command = .clone(workspace: ws, itemKind: pick(["product", "fabric", "design", "graphic"]), item: "i\(int(0...4))")
                entitled = [owner, member]
            case 43..<51:
                command = .topUp(workspace: ws, pack: chance(95) ? pick(catalog.packs).id : "nope")
                entitled = [owner, "sam"]
            case 51..<60:
                command = .invoicePaid(workspace: ws, invoice: "inv\(int(0...12))")
                entitled = ["maria", "sam"]
            case 60..<64:
                command = .changePlan(workspace: ws, plan: pick(catalog.plans.map(\.id) + ["gold"]))
                entitled = [owner]
            case 64..<66:
                command = .startTrial(workspace: ws)
                entitled = [owner]
            case 66..<69:
                command = .endTrial(workspace: ws)
                entitled = [owner]
            case 69..<71:
                command = .cancel(workspace: ws)
                entitled = [owner]
            case 71..<75:
                command = .copilot(workspace: ws, messages: int(-1...400))
                entitled = [member]
            case 75..<87:
                let amount = chance(50) ? int(-60 ... -1) : int(0...120)
                command = .adjust(workspace: ws, amount: amount, reason: chance(95) ? "property test" : " ")
                entitled = ["maria", "sam"]
            case 87..<95:
                let source: GrantSource = pick([.promo, .promo, .trial, .plan])
                let expires: Timestamp? = chance(60) ? clock.adding(days: int(-1...45)) : nil
                command = .grant(workspace: ws, amount: int(0...150), source: source, reason: "promo", expires: expires)
                entitled = ["maria"]
            case 95..<98:
                command = .addMember(workspace: ws, member: pick(people))
                entitled = [owner]
            default:
                command = .createWorkspace(id: chance(50) ? "w\(int(0...6))" : "Bad Id", name: "Random", owner: pick(people),
                                           plan: pick(catalog.plans.map(\.id)), trial: chance(30))
                entitled = ["maria"]
            }
            let actor = chance(60) ? pick(entitled) : pick(people)
            return (command, actor)
        }
    }

    /// Builds a ledger with four workspaces and a second support agent.
    static func seeded(catalog: Catalog) -> Harness {
        var h = Harness(catalog: catalog)
        h.append(.addOperator(name: "sam", role: .support), as: "maria")
        for index in 0..<4 {
            let plan = catalog.plans[index % catalog.plans.count].id
            h.append(.createWorkspace(id: "w\(index)", name: "Workspace \(index)", owner: "o\(index)", plan: plan,
                                      trial: index == 3), as: "maria")
            h.append(.addMember(workspace: "w\(index)", member: "m\(index)"), as: "o\(index)")
        }
        return h
    }

    /// Runs `steps` random commands and returns the harness.
    static func run(seed: UInt64, catalog: Catalog) -> Harness {
        var h = seeded(catalog: catalog)
        var generator = Generator(seed: seed, catalog: catalog)
        for _ in 0..<steps {
            if generator.chance(40) { h.advance(seconds: generator.int(0...(3 * Timestamp.secondsPerDay))) }
            let (command, actor) = generator.next(clock: h.clock, state: h.state)
            let seqBefore = h.state.lastSeq
            let result = h.run(command, as: actor)
            switch result {
            case .success(.append(let entries)):
                #expect(!entries.isEmpty)
                #expect(entries.map(\.seq) == Array((seqBefore + 1)...(seqBefore + Int64(entries.count))))
                #expect(entries.allSatisfy { $0.time == h.clock })
            default:
                #expect(h.state.lastSeq == seqBefore, "\(command) by \(actor) wrote nothing but moved the sequence")
            }
            for ws in h.state.workspaces.values {
                #expect(ws.balance >= 0)
                #expect(ws.balance == ws.earned - ws.spent)
            }
        }
        return h
    }

    @Test(arguments: seeds, [Catalogs.konfiwear, Catalogs.sofia])
    func balanceIsTheFoldOfItsEntriesAndNeverNegative(seed: UInt64, catalog: Catalog) {
        let h = Self.run(seed: seed, catalog: catalog)
        var creditEntries = 0
        for (id, ws) in h.state.workspaces {
            var running: Credits = 0, earned: Credits = 0, spent: Credits = 0
            for entry in h.creditEntries(id) {
                running += entry.credits
                creditEntries += 1
                #expect(entry.balance == running, "entry #\(entry.seq) states the balance after it")
                #expect(running >= 0)
                switch entry.kind {
                case .grant, .topup: earned += entry.credits
                case .adjustment: if entry.credits > 0 { earned += entry.credits } else { spent -= entry.credits }
                case .charge, .expiry, .refund: spent -= entry.credits
                default: Issue.record("\(entry.kind) is not a credit kind")
                }
            }
            #expect(ws.balance == running, "\(id): balance is the fold of its credit entries")
            #expect(ws.earned == earned)
            #expect(ws.spent == spent)
            #expect(ws.balance == earned - spent)
            #expect(ws.balance >= 0)
            #expect(ws.balance == ws.buckets.reduce(0) { $0 + $1.remaining })
            // R22: the history counts every credit entry but a grant of 0.
            #expect(ws.creditEntryCount == h.creditEntries(id).filter(\.showsInHistory).count)
            // Reading ahead: due expiries only ever take credits away, by entries, never below zero.
            let later = h.clock.adding(days: 400)
            let pending = Engine.pendingExpiries(of: id, in: h.state, at: later)
            let future = Engine.stateAt(later, of: id, in: h.state)
            #expect(future?.balance == ws.balance + pending.reduce(0) { $0 + $1.credits })
            #expect((future?.balance ?? -1) >= 0)
        }
        #expect(creditEntries > 50, "the generator exercises the ledger (seed \(seed))")
    }

    @Test(arguments: seeds, [Catalogs.konfiwear, Catalogs.sofia])
    func replayingTheJournalGivesTheSameState(seed: UInt64, catalog: Catalog) throws {
        let h = Self.run(seed: seed, catalog: catalog)
        let replayed = try h.replayed()
        #expect(replayed.lastSeq == h.state.lastSeq)
        #expect(replayed.lastTime == h.state.lastTime)
        #expect(replayed.operators == h.state.operators)
        #expect(replayed.workspaceIDs == h.state.workspaceIDs)
        for id in h.state.workspaceIDs {
            let live = try #require(h.state.workspaces[id]), again = try #require(replayed.workspaces[id])
            #expect(again.balance == live.balance)
            #expect(again.earned == live.earned)
            #expect(again.spent == live.spent)
            #expect(again.jobs == live.jobs)
            #expect(again.alerts == live.alerts)
            #expect(again == live, "\(id): every field replays")
        }
    }

    @Test(arguments: seeds, [Catalogs.konfiwear, Catalogs.sofia])
    func idempotencyKeysHoldAcrossRandomSequences(seed: UInt64, catalog: Catalog) {
        let h = Self.run(seed: seed, catalog: catalog)
        for id in h.state.workspaceIDs {
            let entries = h.creditEntries(id)
            var charges: [String: Entry] = [:], refunded = Set<String>(), invoices = Set<String>(), owned = Set<String>()
            for entry in entries {
                switch entry.kind {
                case .charge where entry.job != nil:
                    #expect(charges[entry.job!] == nil, "R6: job \(entry.job!) charged twice in \(id)")
                    charges[entry.job!] = entry
                case .charge:
                    let key = "\(entry.action ?? ""):\(entry.item ?? "")"
                    #expect(owned.insert(key).inserted, "R7: \(key) cloned twice in \(id)")
                case .refund:
                    let job = entry.job ?? ""
                    #expect(refunded.insert(job).inserted, "R5: job \(job) refunded twice in \(id)")
                    #expect(entry.ref == charges[job]?.seq, "R5: a refund points at its charge")
                    #expect(entry.credits == -(charges[job]?.credits ?? 0), "R5: refunded in full")
                case .grant where entry.invoice != nil:
                    #expect(invoices.insert(entry.invoice!).inserted, "R10: invoice granted twice in \(id)")
                default:
                    break
                }
            }
        }
    }

    /// R24 checked against an independent model of the alert state machine.
    @Test(arguments: seeds, [Catalogs.konfiwear, Catalogs.sofia])
    func alertsFollowTheStateMachine(seed: UInt64, catalog: Catalog) {
        let h = Self.run(seed: seed, catalog: catalog)
        let threshold = catalog.alerts.lowAtOrBelow
        for id in h.state.workspaceIDs {
            let entries = h.journal.filter { $0.workspace == id && ($0.kind.movesCredits || $0.kind == .alert) }
            var lowArmed = false, emptyArmed = false
            var expected: AlertKind?
            var dueTime = Timestamp(secondsSinceEpoch: 0)
            var warned = Set<Int64>()
            for entry in entries {
                if entry.kind == .alert && entry.alert == .expiring {
                    // S3: a warning names a grant, once, inside the catalog's window before it expires.
                    let ref = entry.ref ?? -1
                    #expect(warned.insert(ref).inserted, "\(id): grant #\(ref) warned twice")
                    let expires = entry.expires ?? Timestamp(secondsSinceEpoch: 0)
                    #expect(expires > entry.time)
                    #expect(expires <= entry.time.adding(days: catalog.expiry?.warnDays ?? 0))
                    continue
                }
                if entry.kind == .alert {
                    #expect(entry.alert == expected, "\(id) #\(entry.seq): unexpected alert")
                    if entry.alert == .empty { emptyArmed = false; lowArmed = false }
                    if entry.alert == .low { lowArmed = false }
                    expected = nil
                    continue
                }
                // R24: the alert is judged where the commit leaves the balance: a later credit entry
                // of the same commit (the same time) decides it again.
                #expect(expected == nil || entry.time == dueTime, "\(id): an alert was due before #\(entry.seq)")
                let balance = entry.balance ?? -1
                if balance > threshold { lowArmed = true }
                if balance > 0 { emptyArmed = true }
                expected = balance == 0 && emptyArmed ? .empty : balance <= threshold && lowArmed ? .low : nil
                dueTime = entry.time
            }
            #expect(expected == nil, "\(id): an alert was due at the end")
        }
    }
}
