/// R18 in one place: who may do what. The engine, the console (its keys, hints, help and
/// refusals) and the command line's reads all ask `Permissions`; nothing else decides it.
public enum Permissions {
    /// Every role `person` holds for `workspace`: support (ledger-wide), and owner or member of
    /// it. A support agent who also owns or belongs to the workspace holds both roles.
    public static func roles(of person: Person, in workspace: WorkspacePeople?) -> Set<Role> {
        Set(Role.allCases.filter { holds($0, person, workspace) })
    }

    /// R18: nil when `person` may do `kind` in `workspace` (any one role they hold suffices),
    /// else the named refusal `.notPermitted`, which lists the roles that may.
    public static func refusal(_ kind: ActionKind, by person: Person, in workspace: WorkspacePeople?) -> Rejection? {
        if allows(kind, by: person, in: workspace) { return nil }
        return .notPermitted(actor: person.name, verb: kind.verb(workspace: workspace?.id),
                             allowed: kind.allowedRoles.sorted { $0.rawValue < $1.rawValue })
    }

    /// R18: whether `person` may do `kind` in `workspace`.
    public static func allows(_ kind: ActionKind, by person: Person, in workspace: WorkspacePeople?) -> Bool {
        // Nothing allocated: imports ask this once per charge.
        (kind.permits(.support) && holds(.support, person, workspace))
            || (kind.permits(.owner) && holds(.owner, person, workspace))
            || (kind.permits(.member) && holds(.member, person, workspace))
    }

    /// R18: returns when `person` may do `kind` in `workspace`; throws `.notPermitted` otherwise.
    public static func check(_ kind: ActionKind, by person: Person, in workspace: WorkspacePeople?) throws(Rejection) {
        if let refusal = refusal(kind, by: person, in: workspace) { throw refusal }
    }

    /// Whether `person` holds `role` for `workspace`.
    private static func holds(_ role: Role, _ person: Person, _ workspace: WorkspacePeople?) -> Bool {
        switch role {
        case .support: return person.isSupport
        case .owner: return workspace?.owner == person.name
        case .member: return workspace?.members.contains(person.name) ?? false
        }
    }
}

/// What a person may ask of the ledger, as R18 sorts it: each command, and each read. (Not a
/// catalog action: `charge` covers every job action, `clone` every library clone.)
public enum ActionKind: String, CaseIterable, Hashable, Sendable {
    case addOperator, createWorkspace, addMember
    /// Taking a member out of a workspace, and a support agent off the ledger (R42).
    case removeMember, removeOperator
    case charge, jobFailed, clone, copilot
    case topUp, invoicePaid, changePlan, trial, cancel
    case adjust, grant, importEvents
    /// Undoing a mistaken adjustment or grant by a linked adjustment (R34).
    case reverse
    /// Voiding what is left of a grant (R36).
    case void
    /// Setting or lifting a member's monthly limit (R40).
    case memberLimit
    /// Putting a ledger's clock back behind a future-dated record (R27).
    case resetClock
    /// Setting, switching off or resuming an auto top-up rule (R37).
    case autoTopUp
    /// Reporting that the billing side could not charge for a top-up request (R39).
    case declineTopUp
    /// Reading one workspace: `balance`, `history`, `budget --workspace`, the console's screens,
    /// and whether it is listed by `workspace list` and the console's Accounts.
    case seeWorkspace
    case exportWorkspace, exportAll

    /// The roles that may do it (R18); a person holding any one of them may.
    public var allowedRoles: Set<Role> { Set(Role.allCases.filter(permits)) }

    /// R18's table: whether `role` may do it.
    public func permits(_ role: Role) -> Bool {
        switch self {
        case .addOperator, .removeOperator, .createWorkspace, .invoicePaid, .adjust, .grant, .importEvents, .exportAll, .resetClock, .reverse, .void,
             .declineTopUp: return role == .support
        case .addMember, .removeMember, .topUp, .changePlan, .trial, .cancel, .autoTopUp, .memberLimit: return role == .owner || role == .support
        case .charge, .clone, .copilot: return role == .owner || role == .member
        case .jobFailed, .seeWorkspace, .exportWorkspace: return true
        }
    }

    /// What it is, for a refusal: `run a charged action`, `see workspace acme`.
    public func verb(workspace id: String?) -> String {
        let target = id.map { " \($0)" } ?? ""
        switch self {
        case .addOperator: return "add an operator"
        case .createWorkspace: return "create a workspace"
        case .addMember: return "add a member"
        case .removeMember: return "remove a member"
        case .removeOperator: return "remove a support agent"
        case .charge: return "run a charged action"
        case .jobFailed: return "report a failed job"
        case .clone: return "clone a library item"
        case .copilot: return "use Copilot"
        case .topUp: return "buy a top-up pack"
        case .invoicePaid: return "record a paid invoice"
        case .changePlan: return "change the plan"
        case .trial: return "change the trial"
        case .cancel: return "cancel the subscription"
        case .adjust: return "adjust a balance"
        case .grant: return "grant promotional credits"
        case .importEvents: return "import usage events"
        case .resetClock: return "put the ledger's clock back"
        case .reverse: return "reverse an entry"
        case .void: return "void a grant"
        case .autoTopUp: return "change the auto top-up rule"
        case .declineTopUp: return "record a declined top-up"
        case .memberLimit: return "set a member's monthly limit"
        case .seeWorkspace: return "see workspace" + target
        case .exportWorkspace: return "export workspace" + target
        case .exportAll: return "export every workspace"
        }
    }
}

/// The person asking (R18): their name, and whether they are a support agent of the ledger.
public struct Person: Hashable, Sendable {
    public var name: String
    public var isSupport: Bool

    public init(name: String, isSupport: Bool) { self.name = name; self.isSupport = isSupport }
}

/// The people of one workspace, as R18 reads them: its id, its owner and its members.
public struct WorkspacePeople: Hashable, Sendable {
    public var id: String
    public var owner: String
    public var members: [String]

    public init(id: String, owner: String, members: [String]) { self.id = id; self.owner = owner; self.members = members }

    /// The people of a workspace as folded from the journal.
    public init(_ ws: WorkspaceState) { self.init(id: ws.id, owner: ws.owner, members: ws.members) }

    /// The people of a workspace as the account lists hold it.
    public init(_ summary: WorkspaceSummary) { self.init(id: summary.id, owner: summary.owner, members: summary.members) }
}

extension LedgerState {
    /// `name` as R18 sees them in this ledger: a support agent or not.
    public func person(_ name: String) -> Person { Person(name: name, isSupport: operators[name] == .support) }
}

extension Command {
    /// What R18 calls this command.
    public var actionKind: ActionKind {
        switch self {
        case .addOperator: return .addOperator
        case .createWorkspace: return .createWorkspace
        case .addMember: return .addMember
        case .removeMember: return .removeMember
        case .removeOperator: return .removeOperator
        case .charge, .hold: return .charge
        case .void: return .void
        case .memberLimit: return .memberLimit
        case .jobFailed: return .jobFailed
        case .clone: return .clone
        case .topUp: return .topUp
        case .invoicePaid: return .invoicePaid
        case .changePlan: return .changePlan
        case .startTrial, .endTrial: return .trial
        case .cancel: return .cancel
        case .copilot: return .copilot
        case .adjust: return .adjust
        case .grant: return .grant
        case .resetClock: return .resetClock
        case .reverse: return .reverse
        case .setAutoTopUp, .autoTopUpOff, .resumeAutoTopUp: return .autoTopUp
        case .topUpDeclined: return .declineTopUp
        }
    }

    /// A short name for messages: `run a charged action`, `buy a top-up pack`...
    public var verb: String { actionKind.verb(workspace: nil) }
}
