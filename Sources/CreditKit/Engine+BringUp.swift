/// A workspace brought up to a time (S3): the expiry entries due by then and the workspace as
/// they leave it. A write appends the entries; a read shows the workspace and lists them as
/// pending, so every view gives the same balance at the same time.
public struct BroughtUp: Sendable {
    /// The workspace with the due expiries folded in. Its alerts and last use are as written.
    public var workspace: WorkspaceState
    /// The due expiry entries (and hold releases, R35), newest last, numbered and dated as a write now would append them.
    public var expiries: [Entry]

    public init(workspace: WorkspaceState, expiries: [Entry]) { self.workspace = workspace; self.expiries = expiries }
}

extension Engine {
    /// S3: brings workspace `id` up to `time`. The one place every view (balance, list, history,
    /// export, the console) gets a balance, and the same step every write takes first
    /// (`EntryBuilder.expireDueCredits`). Never refuses for clock order (R27): a time before the
    /// last record still expires what is due by it, dated at that record. Nil for an unknown workspace.
    public static func bringUp(_ id: String, in state: LedgerState, to time: Timestamp) -> BroughtUp? {
        guard let written = state.workspaces[id] else { return nil }
        guard !written.bucketsExpired(by: time).isEmpty || !written.holdsExpired(by: time).isEmpty else {
            return BroughtUp(workspace: written, expiries: [])
        }
        // S3 expiries, and R35's releases of holds past their time to live or no longer covered.
        let expiries = pendingExpiries(of: id, in: state, at: time).filter { $0.kind == .expiry || $0.kind == .release }
        var workspace = written
        for entry in expiries {
            // The entries were folded once already to be built; folding them again cannot fail.
            do { try LedgerState.applyCredit(entry, to: &workspace, catalog: state.catalog) } catch {
                preconditionFailure("an expiry the rules built does not fold: \(error)")
            }
        }
        // A read sends no alert and is no one's use of the workspace.
        workspace.alerts = written.alerts
        workspace.lastActivity = written.lastActivity
        return BroughtUp(workspace: workspace, expiries: expiries)
    }

    /// A summary of workspace `id` brought up to `time` (`bringUp`).
    public static func summary(of id: String, in state: LedgerState, at time: Timestamp) -> WorkspaceSummary? {
        bringUp(id, in: state, to: time).map { WorkspaceSummary($0.workspace) }
    }
}
