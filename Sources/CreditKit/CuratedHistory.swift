/// A named workspace with a story, for demo data: who runs it, when it joined, how it spends,
/// its busy season, and how its history ends (cancelled, promotional credits about to expire,
/// a balance it is left at). `HistoryGenerator` weaves it into the generated history.
public struct CuratedWorkspace: Hashable, Sendable {
    /// Promotional credits granted by support on a date, expiring on another (S3).
    public struct Promo: Hashable, Sendable {
        public var credits: Credits
        public var granted: Timestamp
        public var expires: Timestamp
        public var reason: String

        public init(credits: Credits, granted: Timestamp, expires: Timestamp, reason: String) {
            self.credits = credits; self.granted = granted; self.expires = expires; self.reason = reason
        }
    }

    /// R35: a job's hold left in flight at the history's end, so a visitor sees held and available.
    public struct Hold: Hashable, Sendable {
        public var action: String
        public var job: String
        public var ttlSeconds: Int64

        public init(action: String, job: String, ttlSeconds: Int64) { self.action = action; self.job = job; self.ttlSeconds = ttlSeconds }
    }

    /// R37: an auto top-up rule set at the history's end, and how many of its requests the
    /// billing side paid, so a visitor sees a rule near its monthly cap.
    public struct AutoTopUp: Hashable, Sendable {
        public var rule: AutoTopUpRule
        public var payments: Int

        public init(rule: AutoTopUpRule, payments: Int) { self.rule = rule; self.payments = payments }
    }

    /// R40: a member's monthly limit its owner sets at the history's end.
    public struct Limit: Hashable, Sendable {
        public var member: String
        public var credits: Credits

        public init(member: String, credits: Credits) { self.member = member; self.credits = credits }
    }

    public var id: String
    public var name: String
    public var owner: String
    public var members: [String]
    public var plan: String
    public var trial: Bool
    public var habit: HistoryGenerator.Habit
    public var joined: Timestamp
    /// How much more often than a generated workspace it acts (its busy season counts four times).
    public var activity: Int64
    public var busy: ClosedRange<Timestamp>?
    public var cancelled: Timestamp?
    public var promo: Promo?
    /// The balance its history ends at, reached by its own charges (and a correction for an odd remainder).
    public var finalBalance: Credits?
    /// The hold its history ends with, made by its owner after everything else; nil for none.
    public var hold: Hold?
    /// The auto top-up its history ends with; nil for none.
    public var autoTopUp: AutoTopUp?
    /// The monthly limits its owner sets once its history is told, in order; none by default.
    public var limits: [Limit] = []

    public init(id: String, name: String, owner: String, members: [String], plan: String, trial: Bool = false,
                habit: HistoryGenerator.Habit, joined: Timestamp, activity: Int64 = 3, busy: ClosedRange<Timestamp>? = nil,
                cancelled: Timestamp? = nil, promo: Promo? = nil, finalBalance: Credits? = nil, hold: Hold? = nil) {
        self.id = id; self.name = name; self.owner = owner; self.members = members; self.plan = plan; self.trial = trial
        self.habit = habit; self.joined = joined; self.activity = activity; self.busy = busy; self.cancelled = cancelled
        self.promo = promo; self.finalBalance = finalBalance; self.hold = hold
    }
}

extension HistoryGenerator {
    /// A named workspace's dated milestone that is due: joining, its promotion, its cancellation.
    mutating func curatedMilestone(_ state: LedgerState) -> (Command, CommandContext)? {
        for story in curated where story.joined <= clock {
            guard let ws = state.workspaces[story.id] else {
                guard !profiles.contains(where: { $0.id == story.id }) else { continue }
                return join(story)
            }
            if let promo = story.promo, promo.granted <= clock, !milestonesDone.contains("promo:\(story.id)") {
                milestonesDone.insert("promo:\(story.id)")
                return (.grant(workspace: ws.id, amount: promo.credits, source: .promo, reason: promo.reason, expires: promo.expires),
                        as_(random.element(supportAgents)))
            }
            if let cancelled = story.cancelled, cancelled <= clock, ws.status != .cancelled,
               !milestonesDone.contains("cancel:\(story.id)") {
                milestonesDone.insert("cancel:\(story.id)")
                return (.cancel(workspace: ws.id), as_(story.owner))
            }
        }
        return nil
    }

    /// Creates a named workspace's profile and the command that opens it; its members follow.
    private mutating func join(_ story: CuratedWorkspace) -> (Command, CommandContext) {
        let profile = Profile(id: story.id, name: story.name, plan: story.plan, trial: story.trial, owner: story.owner,
                              members: story.members, habit: story.habit, nextInvoice: clock.adding(days: story.trial ? 14 : 0),
                              story: story)
        profiles.append(profile)
        pendingMembers += story.members.map { (profiles.count - 1, $0) }
        return creation(of: profile)
    }

    /// After the last generated record: the commands that bring each named workspace to its final
    /// balance, spent by its own people; nil when every one is there.
    mutating func finishingTouch(_ state: LedgerState) -> (Command, CommandContext)? {
        for index in profiles.indices {
            // R37: once its auto top-up is set, the billing side's payments move the balance, not spending.
            guard let target = profiles[index].story?.finalBalance, let ws = state.workspaces[profiles[index].id],
                  ws.balance != target, !milestonesDone.contains("auto:\(ws.id)") else { continue }
            advanceClock(byAbout: 12 * 60, limit: end.secondsSinceEpoch)
            return spend(toward: target, index: index, ws: ws, catalog: state.catalog)
        }
        return closingHold(state) ?? closingAutoTopUp(state) ?? closingLimit(state)
    }

    /// R37: after the holds, each named workspace's auto top-up rule, then the billing side's
    /// payments of its requests, one a command.
    private mutating func closingAutoTopUp(_ state: LedgerState) -> (Command, CommandContext)? {
        for profile in profiles {
            guard let auto = profile.story?.autoTopUp, let ws = state.workspaces[profile.id] else { continue }
            if milestonesDone.insert("auto:\(profile.id)").inserted {
                advanceClock(byAbout: 5 * 60, limit: end.secondsSinceEpoch)
                return (.setAutoTopUp(workspace: ws.id, rule: auto.rule), as_(profile.owner))
            }
            let paid = milestonesDone.filter { $0.hasPrefix("autopaid:\(profile.id):") }.count
            guard let pending = ws.autoTopUp.pending, paid < auto.payments else { continue }
            milestonesDone.insert("autopaid:\(profile.id):\(paid)")
            advanceClock(byAbout: 5 * 60, limit: end.secondsSinceEpoch)
            return (.topUp(workspace: ws.id, pack: pending.pack, payment: "card-\(ws.id)-\(paid + 1)"), as_(supportAgents[0]))
        }
        return nil
    }

    /// R40: after the closing holds, the member limits the named workspaces' owners set, one a command.
    private mutating func closingLimit(_ state: LedgerState) -> (Command, CommandContext)? {
        for profile in profiles {
            guard let story = profile.story, let ws = state.workspaces[profile.id] else { continue }
            for limit in story.limits where ws.memberLimits[limit.member] == nil && milestonesDone.insert("limit:\(ws.id):\(limit.member)").inserted {
                advanceClock(byAbout: 5 * 60, limit: end.secondsSinceEpoch)
                return (.memberLimit(workspace: ws.id, member: limit.member, credits: limit.credits), as_(profile.owner))
            }
        }
        return nil
    }

    /// R35: once every named workspace is at its final balance, the holds their histories end
    /// with, at the history's last minutes, one a command.
    private mutating func closingHold(_ state: LedgerState) -> (Command, CommandContext)? {
        for profile in profiles {
            guard let hold = profile.story?.hold, let ws = state.workspaces[profile.id], ws.holds[hold.job] == nil,
                  milestonesDone.insert("hold:\(profile.id)").inserted else { continue }
            advanceClock(byAbout: 10 * 60, limit: end.secondsSinceEpoch)
            return (.hold(workspace: ws.id, action: hold.action, job: hold.job, ttlSeconds: hold.ttlSeconds), as_(profile.owner))
        }
        return nil
    }

    /// Which amounts from 0 to `limit` some mix of these costs adds up to exactly.
    static func sums(of costs: [Credits], upTo limit: Credits) -> [Bool] {
        var reachable = [Bool](repeating: false, count: Int(max(0, limit)) + 1)
        reachable[0] = true
        for amount in 0...Int(max(0, limit)) where reachable[amount] {
            for cost in costs where cost > 0 && amount + Int(cost) <= Int(limit) { reachable[amount + Int(cost)] = true }
        }
        return reachable
    }

    /// One step toward a target balance: a top-up when below it, else a library clone or a charge
    /// that fits the difference, else a support correction of the small remainder.
    private mutating func spend(toward target: Credits, index: Int, ws: WorkspaceState, catalog: Catalog) -> (Command, CommandContext) {
        var profile = profiles[index]
        defer { profiles[index] = profile }
        let excess = ws.balance - target
        let actor = profile.members.isEmpty || random.chance(40) ? profile.owner : random.element(profile.members)
        if excess < 0, let pack = catalog.packs.first {
            return (.topUp(workspace: ws.id, pack: pack.id), as_(profile.owner))
        }
        if let clone = catalog.actions.filter({ $0.kind == .clone && $0.credits * 2 <= excess }).max(by: { $0.credits < $1.credits }) {
            return (.clone(workspace: ws.id, itemKind: clone.clones ?? "design", item: "lib-\(random.int(1...400))"), as_(actor))
        }
        let jobs = catalog.actions.filter { $0.kind == .job }.sorted { $0.credits > $1.credits }
        let reachable = Self.sums(of: jobs.map(\.credits), upTo: excess)
        guard reachable[Int(excess)], let action = jobs.first(where: { $0.credits <= excess && reachable[Int(excess - $0.credits)] }) else {
            // No mix of jobs spends exactly this much: support corrects the smallest remainder that leaves one.
            let remainder = (1...excess).first { reachable[Int(excess - $0)] } ?? excess
            return (.adjust(workspace: ws.id, amount: -remainder, reason: "balance correction after a billing review"),
                    as_(random.element(supportAgents)))
        }
        profile.jobs += 1
        return (.charge(workspace: ws.id, action: action.id, job: "\(action.id.prefix(2))-\(ws.id)-\(profile.jobs)"), as_(actor))
    }
}
