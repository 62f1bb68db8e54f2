/// Roles a person can hold (R18). Owner and member are per workspace; support is ledger-wide.
public enum Role: String, Sendable, CaseIterable, Codable {
    case support, owner, member
}

/// The whole ledger folded from its journal: operators, workspaces, balances, idempotency keys.
/// A value: applying an entry gives the next state, and replaying a journal gives the same state.
public struct LedgerState: Sendable {
    public var catalog: Catalog
    public var operators: [String: Role] = [:]
    /// R42: support agents removed from the ledger (and not added again), and the removal entry of each.
    public var removedOperators: [String: Int64] = [:]
    public var workspaces: [String: WorkspaceState] = [:]
    public var lastSeq: Int64 = 0
    public var lastTime: Timestamp?
    public var lastHash: String = ""

    public init(catalog: Catalog) { self.catalog = catalog }

    /// Workspace ids in name order.
    public var workspaceIDs: [String] { workspaces.keys.sorted() }

    /// The badge level of a workspace balance under this catalog.
    public func badge(for balance: Credits) -> BadgeLevel {
        BadgeLevel.of(balance: balance, thresholds: catalog.badge)
    }

    /// What `actor` is for `workspace`, strongest first: support, owner, member; nil for nobody.
    public func role(of actor: String, in workspace: WorkspaceState?) -> Role? {
        let roles = Permissions.roles(of: person(actor), in: workspace.map(WorkspacePeople.init))
        return Role.allCases.first { roles.contains($0) }
    }

    /// Workspaces `actor` may see: all of them for support, else those they own or belong to.
    public func visibleWorkspaces(to actor: String) -> [WorkspaceState] {
        let viewer = person(actor)
        return workspaceIDs.compactMap { workspaces[$0] }.filter { Permissions.allows(.seeWorkspace, by: viewer, in: WorkspacePeople($0)) }
    }
}

/// Why an entry cannot be folded into the state: the journal disagrees with itself.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    public var seq: Int64
    public var problem: String

    public init(seq: Int64, problem: String) { self.seq = seq; self.problem = problem }

    public var description: String { "record seq \(seq): \(problem)" }
}
