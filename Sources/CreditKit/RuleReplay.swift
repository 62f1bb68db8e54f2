/// Why a journal commit is not what the rules would have written: `verify` replays every commit
/// through the engine against the state before it, so a record with a correct
/// hash chain but a forged meaning (a member's adjustment, a second charge of a job, a price
/// that is not the pack's) is found.
public enum RuleBreach: Error, Hashable, Sendable {
    /// The engine would have refused the command the record stands for (R8, R18, ...).
    case refused(Rejection)
    /// The command had been done before (R5, R6, R7, R10, R26): the engine would write nothing.
    case repeated(AlreadyRecorded)
    /// The engine would have had nothing to record (a refund of a job never charged, R4, R5).
    case nothingToRecord(String)
    /// The record stands for no command: a charge with neither job nor item, or several commands in one commit.
    case noCommand(kind: EntryKind)
    /// The engine would have written this record with a different value of `field`.
    case differs(field: String, recorded: String, expected: String)
    /// The engine would have written another record after this one (an alert) that the commit lacks.
    case missing(expected: EntryKind)
    /// The commit holds a record the engine would not have written.
    case extra(kind: EntryKind)

    /// Whether the fault is text that today's input rules refuse (`FreeText`, `MailAddress`),
    /// which an older version accepted.
    public var isOlderText: Bool {
        switch self {
        case .refused(.invalidText), .refused(.invalidToken), .refused(.invalidAddress), .refused(.invalidIdentifier): return true
        default: return false
        }
    }

    /// One line that says what is wrong with the record.
    public var message: String {
        switch self {
        case .refused(let rejection): return "the rules would have refused it (\(rejection.message))"
        case .repeated(let why): return "the rules would have written nothing (\(why.message))"
        case .nothingToRecord(let why): return "the rules would have written nothing (\(why))"
        case .noCommand(let kind): return "this \(kind.rawValue) record stands for no single command"
        case let .differs(field, recorded, expected):
            return "its \"\(field)\" is \(recorded), the rules would have written \(expected)"
        case .missing(let kind): return "the rules would have written another record after it (\(kind.rawValue)), which the commit lacks"
        case .extra(let kind): return "the rules would not have written this \(kind.rawValue) record"
        }
    }
}

/// Replays the rules over journal commits: each commit must be exactly the entries the engine
/// decides for the command its main record stands for, given the state before the commit.
public enum RuleReplay {
    /// The first record of `commit` that the engine would not have written, and why; nil when
    /// the commit is what the rules write. `state` is the state before the commit; it is only
    /// read (in place, so a charge copies nothing). Fold the commit afterwards.
    public static func breach(in commit: [Entry], state: inout LedgerState) -> (seq: Int64, breach: RuleBreach)? {
        var admitted = false
        return breach(in: commit, state: &state, admittedOlderText: &admitted, reversal: { _ in nil })
    }

    /// `breach(in:state:)`, also telling whether the commit holds text that today's input rules
    /// refuse but an older version accepted (admitted, and replayed under every other rule).
    /// `reversal` gives, for a reversal's `reverses` seq or a void's `ref`, the entry it names, any
    /// earlier reversal of it (R34) and its rollover links (R41), as the journal holds them.
    /// `refunded` (R5, S3) is what refunds gave back to each parcel so far: an older version's
    /// expiry or void may name fewer credits than its parcel holds by no more than that.
    public static func breach(in commit: [Entry], state: inout LedgerState, admittedOlderText: inout Bool,
                              reversal: (Int64) -> ReversalFacts?, refunded: RefundedParcels = RefundedParcels()) -> (seq: Int64, breach: RuleBreach)? {
        // Records are read in place (`commit[i].field`), never copied out whole: verify replays
        // a million commits, and a copy of an entry retains each of its strings.
        guard !commit.isEmpty else { return nil }
        // The init record is checked by the fold (the first record, seq 1); it is a commit alone.
        if commit[0].kind == .initialize { return commit.count > 1 ? (commit[1].seq, .extra(kind: commit[1].kind)) : nil }
        let main = commit.firstIndex(where: { !isConsequence($0) })
        admitOlderRefunds(in: commit, mainIndex: main, refunded: refunded, state: &state)
        guard let mainIndex = main else {
            let ws = commit[0].workspace ?? "", time = commit[0].time
            guard let breach = compare(commit, Engine.pendingExpiries(of: ws, in: state, at: time)) else { return nil }
            // R24: an older version judged alerts after each credit entry.
            guard hasBalanceAlert(commit) else { return breach }
            return compare(commit, Engine.pendingExpiries(of: ws, in: state, at: time, alertsOnEachEntry: true)).map { _ in breach }
        }
        if let second = commit[(mainIndex + 1)...].firstIndex(where: { !isConsequence($0) }) {
            return (commit[second].seq, .noCommand(kind: commit[second].kind))
        }
        let command: Command
        switch Self.command(for: commit[mainIndex], catalog: state.catalog) {
        case .success(let implied): command = implied
        case .failure(let breach): return (commit[mainIndex].seq, breach)
        }
        var context = CommandContext(actor: commit[mainIndex].actor, time: commit[mainIndex].time)
        context.by = commit[mainIndex].by
        // R34 names the entry a reversal undoes; R36 the grant a void takes (R41: which a reversal may have taken).
        let named = commit[mainIndex].reverses ?? (commit[mainIndex].kind == .void ? commit[mainIndex].ref : nil)
        let facts = named.flatMap(reversal)
        var decided = Engine.decide(command, inPlace: &state, context: context, reversal: facts)
        if case .failure(let rejection) = decided, RuleBreach.refused(rejection).isOlderText {
            context.admitsOlderText = true
            admittedOlderText = true
            decided = Engine.decide(command, inPlace: &state, context: context, reversal: facts)
        }
        switch decided {
        case .failure(let rejection): return (commit[mainIndex].seq, .refused(rejection))
        case .success(.alreadyRecorded(let why)): return (commit[mainIndex].seq, .repeated(why))
        case .success(.nothingToRecord(let why)): return (commit[mainIndex].seq, .nothingToRecord(why))
        case .success(.append(let drafts)):
            guard let breach = compare(commit, drafts) else { return nil }
            // R24: an older version judged alerts after each credit entry, not on the commit's balance.
            guard hasBalanceAlert(commit) || hasBalanceAlert(drafts) else { return breach }
            context.alertsOnEachEntry = true
            guard case .success(.append(let older)) = Engine.decide(command, inPlace: &state, context: context, reversal: facts),
                  compare(commit, older) == nil else { return breach }
            return nil
        }
    }

    /// Whether a commit holds a low or empty alert (R24), the records an older version placed otherwise.
    private static func hasBalanceAlert(_ entries: [Entry]) -> Bool {
        entries.contains { $0.kind == .alert && ($0.alert == .low || $0.alert == .empty) }
    }

    /// Records the engine writes only as the consequence of a command: expiries, alerts, and the
    /// releases of holds past their time to live or no longer covered (R35, by `system`).
    static func isConsequence(_ entry: Entry) -> Bool {
        entry.kind == .expiry || entry.kind == .alert || (entry.kind == .release && entry.reason != nil)
            || (entry.kind == .grant && entry.rollover != nil)
    }

    /// The first place `commit` departs from the engine's `drafts` (hashes aside).
    /// The drafts (the engine's own array) take the record's hash, so no record is copied.
    private static func compare(_ commit: [Entry], _ drafts: consuming [Entry]) -> (seq: Int64, breach: RuleBreach)? {
        for index in commit.indices {
            guard index < drafts.count else { return (commit[index].seq, .extra(kind: commit[index].kind)) }
            drafts[index].hash = commit[index].hash
            if commit[index] != drafts[index] { return (commit[index].seq, difference(commit[index], drafts[index])) }
        }
        guard drafts.count <= commit.count else {
            return (commit.last?.seq ?? 0, .missing(expected: drafts[commit.count].kind))
        }
        return nil
    }

    /// The command a main record stands for, read from its fields.
    static func command(for entry: Entry, catalog: Catalog) -> Result<Command, RuleBreach> {
        let ws = entry.workspace ?? ""
        switch entry.kind {
        case .operator:
            guard let name = entry.name, let role = entry.role.flatMap(Role.init(rawValue:)) else { return .failure(.noCommand(kind: entry.kind)) }
            return .success(.addOperator(name: name, role: role))
        case .workspace:
            return .success(.createWorkspace(id: ws, name: entry.name ?? "", owner: entry.owner ?? "", plan: entry.plan ?? "",
                                             trial: entry.status == .trial))
        case .member: return .success(.addMember(workspace: ws, member: entry.member ?? ""))
        case .memberRemoved: return .success(.removeMember(workspace: ws, member: entry.member ?? "", reason: entry.reason ?? ""))
        case .operatorRemoved: return .success(.removeOperator(name: entry.name ?? "", reason: entry.reason ?? ""))
        case .charge:
            if let job = entry.job, entry.item == nil { return .success(.charge(workspace: ws, action: entry.action ?? "", job: job)) }
            guard let item = entry.item, entry.job == nil else { return .failure(.noCommand(kind: entry.kind)) }
            guard let action = entry.action, let kind = catalog.action(action)?.clones else {
                return .failure(.refused(.unknownAction(entry.action ?? "")))
            }
            return .success(.clone(workspace: ws, itemKind: kind, item: item))
        case .refund: return .success(.jobFailed(workspace: ws, job: entry.job ?? ""))
        case .topup: return .success(.topUp(workspace: ws, pack: entry.pack ?? "", payment: entry.payment))
        case .grant:
            if let invoice = entry.invoice { return .success(.invoicePaid(workspace: ws, invoice: invoice)) }
            return .success(.grant(workspace: ws, amount: entry.credits, source: entry.source ?? .promo, reason: entry.reason ?? "",
                                   expires: entry.expires, request: entry.request))
        case .adjustment:
            if let seq = entry.reverses { return .success(.reverse(workspace: ws, seq: seq, reason: entry.reason ?? "")) }
            return .success(.adjust(workspace: ws, amount: entry.credits, reason: entry.reason ?? "", request: entry.request))
        case .plan: return .success(.changePlan(workspace: ws, plan: entry.plan ?? ""))
        case .trial: return .success(entry.status == .trial ? .startTrial(workspace: ws) : .endTrial(workspace: ws))
        case .cancel: return .success(.cancel(workspace: ws))
        case .copilot: return .success(.copilot(workspace: ws, messages: entry.messages ?? 0))
        case .clockReset: return .success(.resetClock(reason: entry.reason ?? ""))
        case .hold:
            let ttl = entry.expires.map { $0.secondsSinceEpoch - entry.time.secondsSinceEpoch }
            return .success(.hold(workspace: ws, action: entry.action ?? "", job: entry.job ?? "", ttlSeconds: ttl ?? 0))
        case .release: return .success(.jobFailed(workspace: ws, job: entry.job ?? ""))
        case .void: return .success(.void(workspace: ws, seq: entry.ref ?? 0, reason: entry.reason ?? ""))
        case .autoTopUp:
            guard let rule = AutoTopUpRule(entry) else { return .failure(.noCommand(kind: entry.kind)) }
            return .success(.setAutoTopUp(workspace: ws, rule: rule))
        case .autoTopUpOff: return .success(.autoTopUpOff(workspace: ws))
        case .topUpDeclined: return .success(.topUpDeclined(workspace: ws, request: entry.request ?? "", reason: entry.reason))
        case .memberLimit: return .success(.memberLimit(workspace: ws, member: entry.member ?? "", credits: entry.limit))
        case .initialize, .expiry, .alert: return .failure(.noCommand(kind: entry.kind))
        }
    }

    /// The first field in which a record differs from the engine's, in journal key order.
    private static func difference(_ recorded: Entry, _ expected: Entry) -> RuleBreach {
        for key in JournalKey.entryKeys {
            let (a, b) = (text(key, recorded), text(key, expected))
            if a != b { return .differs(field: key.rawValue, recorded: a, expected: b) }
        }
        return .differs(field: "a field", recorded: "one value", expected: "another")
    }

    /// A field of an entry as a breach names it: numbers bare, text quoted (the record's `time`
    /// and `kind` bare), `absent` for none.
    private static func text(_ key: JournalKey, _ entry: Entry) -> String {
        switch key.value(in: entry) {
        case .integer(let number)?: return "\(number)"
        case .text(let text)?: return key == .time || key == .kind ? text : "\"\(text)\""
        case nil: return "absent"
        }
    }
}
