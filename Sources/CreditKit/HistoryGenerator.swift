/// Makes a realistic, reproducible credit history for benchmarks and demos: workspaces on every
/// plan (some in trial, some cancelled), members, monthly grants on paid invoices, top-ups of
/// every pack, charged jobs, failed jobs and their refunds, clones, support adjustments with
/// reasons, and a spread of balances from comfortable to zero. Pure: a seed and the state in,
/// the next command out; the ledger decides and writes it like any other.
public struct HistoryGenerator: Sendable {
    /// How a workspace keeps its balance up, which gives the spread of badges.
    public enum Habit: String, Sendable { case topsUpEarly = "tops-up-early", topsUpLate = "tops-up-late", neverTopsUp = "never-tops-up" }

    struct Profile: Sendable {
        var id: String
        var name: String
        var plan: String
        var trial: Bool
        var owner: String
        var members: [String]
        var habit: Habit
        var nextInvoice: Timestamp
        var invoices = 0
        var jobs = 0
        var chargedPrintJobs: [String] = []
        /// The story of a named workspace; nil for a generated one.
        var story: CuratedWorkspace?
    }

    public let workspaceCount: Int
    public let entryTarget: Int64
    public let start: Timestamp
    public let end: Timestamp
    var random: SeededRandom
    var profiles: [Profile] = []
    var pendingMembers: [(workspace: Int, member: String)] = []
    var clock: Timestamp
    let supportAgents = HistoryGenerator.supportAgentNames
    /// The support agents every generated history brings in.
    static let supportAgentNames = ["maria", "alex", "jordan"]

    /// The fewest records a history of `workspaces` workspaces takes: the ledger's first record,
    /// its support agents, and one creation per workspace, before any activity.
    public static func entriesMin(workspaces: Int) -> Int64 { 1 + Int64(supportAgentNames.count) + Int64(workspaces) }
    private var supportAdded = 0
    private let creator: String
    /// Named workspaces with a story, created when they join and shaped to their final balance.
    var curated: [CuratedWorkspace]
    private var generatedCreated = 0
    /// Milestones of the named workspaces already issued (`promo:ID`).
    var milestonesDone: Set<String> = []

    /// A history of about `entries` records over `workspaces` workspaces, ending at `end`.
    /// `creator` is a support agent of the ledger; it brings in the history's other agents.
    /// `curated` workspaces come on top of the generated ones (see `CuratedWorkspace`).
    public init(workspaces: Int, entries: Int64, seed: UInt64, end: Timestamp, creator: String, spanDays: Int64 = 365,
                curated: [CuratedWorkspace] = []) {
        self.creator = creator
        self.curated = curated
        precondition(workspaces > 0 && entries > 0, "a history needs workspaces and entries")
        self.workspaceCount = workspaces
        self.entryTarget = entries
        self.end = end
        self.start = end.adding(days: -spanDays)
        self.random = SeededRandom(seed: seed)
        self.clock = start
    }

    /// The next command, decided against `state`; nil once the ledger holds `entries` records.
    public mutating func next(in state: LedgerState) -> (Command, CommandContext)? {
        guard state.lastSeq < entryTarget else { return finishingTouch(state) }
        advanceClock(recordsLeft: entryTarget - state.lastSeq)
        while supportAdded < supportAgents.count {
            let agent = supportAgents[supportAdded]
            supportAdded += 1
            if state.operators[agent] == nil { return (.addOperator(name: agent, role: .support), as_(creator)) }
        }
        if let due = curatedMilestone(state) { return due }
        if generatedCreated < workspaceCount { return createWorkspace(state) }
        if let (index, member) = pendingMembers.popLast() {
            return (.addMember(workspace: profiles[index].id, member: member), as_(profiles[index].owner))
        }
        let index = pickWorkspace()
        guard let ws = state.workspaces[profiles[index].id] else { return creation(of: profiles[index]) }
        return activity(for: index, ws: ws, catalog: state.catalog)
    }

    /// A workspace to act next: uniformly among generated ones; named ones weigh more, and more
    /// again in their busy season.
    private mutating func pickWorkspace() -> Int {
        guard !curated.isEmpty else { return Int(random.int(0...Int64(profiles.count - 1))) }
        let weights = profiles.map { profile -> Int64 in
            guard let story = profile.story else { return 1 }
            let busy = story.busy.map { $0.contains(clock) } ?? false
            return story.activity * (busy ? 4 : 1)
        }
        return random.weighted(weights.enumerated().map { ($0.offset, $0.element) })
    }

    /// Moves the clock on by a random step sized so the generated history reaches its end as the
    /// last records are written (commands that write several records would otherwise end it
    /// early). With named workspaces to finish, it stops short of `end` to leave them room.
    mutating func advanceClock(recordsLeft: Int64) {
        let limit = curated.contains { $0.finalBalance != nil } ? end.secondsSinceEpoch - Self.finishingWindow : end.secondsSinceEpoch
        let step = max(1, (limit - clock.secondsSinceEpoch) / max(1, recordsLeft))
        advanceClock(byAbout: step, limit: limit)
    }

    /// Moves the clock on by a random step of `step` seconds on average, never past `limit`.
    mutating func advanceClock(byAbout step: Int64, limit: Int64) {
        let jitter = random.int(0...(max(1, step) * 2))
        clock = Timestamp(secondsSinceEpoch: max(clock.secondsSinceEpoch, min(limit, clock.secondsSinceEpoch + jitter)))
    }

    /// The last day of a history with named workspaces, when they are brought to their final balances.
    static let finishingWindow: Int64 = 24 * 3600

    func as_(_ actor: String) -> CommandContext { CommandContext(actor: actor, time: clock) }

    private mutating func createWorkspace(_ state: LedgerState) -> (Command, CommandContext) {
        generatedCreated += 1
        let number = generatedCreated
        let shop = random.element(Self.shopWords), trade = random.element(Self.tradeWords)
        let id = "\(shop)-\(trade)-\(number)"
        let owner = "\(random.element(Self.firstNames).lowercased())\(number)"
        let members = (0..<random.int(0...3)).map { "\(random.element(Self.firstNames).lowercased())\(number)-\($0)" }
        let habit: Habit = random.weighted([(.topsUpEarly, 65), (.topsUpLate, 20), (.neverTopsUp, 15)])
        let plans = state.catalog.plans.map(\.id)
        let plan = random.weighted(plans.enumerated().map { ($1, Int64([40, 45, 15][min($0, 2)])) })
        let trial = random.chance(10)
        let name = shop.split(separator: "-").map { String($0).capitalizedFirst }.joined(separator: " ") + " " + trade.capitalizedFirst
        let profile = Profile(id: id, name: name, plan: plan, trial: trial, owner: owner, members: members, habit: habit,
                              nextInvoice: clock.adding(days: trial ? 14 : 0))
        profiles.append(profile)
        pendingMembers += members.map { (profiles.count - 1, $0) }
        return creation(of: profile)
    }

    mutating func creation(of profile: Profile) -> (Command, CommandContext) {
        (.createWorkspace(id: profile.id, name: profile.name, owner: profile.owner, plan: profile.plan, trial: profile.trial),
         as_(random.element(supportAgents)))
    }

    /// One plausible thing a workspace does next.
    private mutating func activity(for index: Int, ws: WorkspaceState, catalog: Catalog) -> (Command, CommandContext) {
        var profile = profiles[index]
        defer { profiles[index] = profile }
        let owner = profile.owner
        if ws.status == .trial && clock >= profile.nextInvoice.adding(days: 14) {
            return (.endTrial(workspace: ws.id), as_(owner))
        }
        if ws.status == .active && clock >= profile.nextInvoice {
            profile.invoices += 1
            profile.nextInvoice = clock.adding(days: 30)
            return (.invoicePaid(workspace: ws.id, invoice: "inv-\(ws.id)-\(profile.invoices)"), as_(random.element(supportAgents)))
        }
        let wantsTopUp: Bool = switch profile.habit {
        case .topsUpEarly: ws.balance < 150 && random.chance(50)
        case .topsUpLate: ws.balance < 12 && random.chance(30)
        case .neverTopsUp: false
        }
        if wantsTopUp || (profile.habit == .topsUpEarly && random.chance(1)) {
            let pack = random.weighted(catalog.packs.enumerated().map { ($1.id, Int64([40, 30, 15, 10, 5][min($0, 4)])) })
            return (.topUp(workspace: ws.id, pack: pack), as_(owner))
        }
        let roll = random.int(0...999)
        let actor = profile.members.isEmpty || random.chance(40) ? owner : random.element(profile.members)
        if roll < 30, let job = profile.chargedPrintJobs.popLast() {
            return (.jobFailed(workspace: ws.id, job: job), as_(actor))
        }
        // Workspaces that do not top up spend their balance down on the library.
        let spendsDown = profile.habit != .topsUpEarly && ws.balance >= 100 && random.chance(20)
        if roll < 45 || spendsDown, let clone = catalog.actions.filter({ $0.kind == .clone && $0.credits <= ws.balance }).randomElement(using: &random) {
            return (.clone(workspace: ws.id, itemKind: clone.clones ?? "design", item: "lib-\(random.int(1...400))"), as_(actor))
        }
        if roll < 55 {
            let reason = random.element(Self.adjustmentReasons)
            let amount = ws.balance > 20 && random.chance(30) ? -random.int(1...min(50, ws.balance)) : random.int(5...100)
            return (.adjust(workspace: ws.id, amount: amount, reason: reason), as_(random.element(supportAgents)))
        }
        if roll < 90 {
            return (.copilot(workspace: ws.id, messages: random.int(1...5)), as_(actor))
        }
        if roll < 93, ws.status != .trial, profile.story == nil {
            return ws.status == .cancelled
                ? (.changePlan(workspace: ws.id, plan: random.element(catalog.plans).id), as_(owner))
                : (random.chance(50) ? (.cancel(workspace: ws.id), as_(owner))
                                     : (.changePlan(workspace: ws.id, plan: random.element(catalog.plans).id), as_(owner)))
        }
        let jobs = catalog.actions.filter { $0.kind == .job && $0.credits <= ws.balance }
        guard let action = jobs.isEmpty ? nil : random.weighted(jobs.enumerated().map { ($1, Int64([50, 15, 35][min($0, 2)])) }) else {
            // Too few credits for any job: a careless workspace stays there, the others top up.
            if profile.habit == .neverTopsUp { return (.copilot(workspace: ws.id, messages: 1), as_(actor)) }
            return (.topUp(workspace: ws.id, pack: random.element(catalog.packs).id), as_(owner))
        }
        profile.jobs += 1
        let job = "\(action.id.prefix(2))-\(ws.id)-\(profile.jobs)"
        if action.id.contains("print") || random.chance(5) { profile.chargedPrintJobs.append(job) }
        if profile.chargedPrintJobs.count > 8 { profile.chargedPrintJobs.removeFirst() }
        return (.charge(workspace: ws.id, action: action.id, job: job), as_(actor))
    }

    static let shopWords = ["acme", "blue-line", "bright", "northside", "riverside", "summit", "harbor", "oak", "metro",
                            "maple", "crown", "pixel", "urban", "coastal", "granite", "copper", "velvet", "lucky", "prairie", "union"]
    static let tradeWords = ["tees", "print", "uniforms", "threads", "apparel", "stitch", "embroidery", "jerseys", "garments",
                             "studio", "club", "academy", "workwear", "merch", "screenworks", "knits"]
    static let firstNames = ["Sam", "Lee", "Kim", "Ana", "Ravi", "Noor", "Jonas", "Mia", "Omar", "Lucia", "Chen", "Ines",
                             "Tomas", "Aisha", "Pedro", "Yuki", "Grace", "Malik", "Sofia", "Ben"]
    static let adjustmentReasons = ["goodwill for a failed upload", "duplicate charge reported by the customer",
                                    "migration correction", "promised credit after a support call",
                                    "print job billed twice during an outage", "manual correction after an audit",
                                    "compensation for late delivery of print files"]
}

extension String {
    /// The string with its first letter in upper case.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
