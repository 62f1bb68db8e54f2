import CreditKit

/// R42, R18 in an open console: when the ledger changes so that the person at the console may no
/// longer see a workspace (removed from it), or is support no more (removed as an agent), every
/// screen holding what they cannot see closes, down to the list, and the status line says why.
extension ConsoleState {
    /// Closes the screens (and any dialog over them) that show what the person may no longer
    /// see; true when it closed any. The list under them already shows only what they may see.
    mutating func dropWhatIsNoLongerVisible() -> Bool {
        guard let first = stack.firstIndex(where: { !maySee($0) }) else { return false }
        let why = lostSightText(of: stack[first])
        stack = first == 0 ? [.accounts] : Array(stack[..<first])
        if !stack.contains(.workspace) { workspace = nil }
        if !stack.contains(.activity) { activity = nil }
        dialog = nil
        lastConfirmed = nil
        afterPurchase = nil
        exportPrompt = nil
        palette = nil
        showingHelp = false
        if let pending = pendingOpen, !maySee(workspace: pending) { pendingOpen = nil }
        flash = Flash(why, kind: .refusal)
        return true
    }

    /// Whether the person may see everything `screen` holds (R18: support sees every workspace,
    /// an owner or member their own; Activity and operator records are for support).
    func maySee(_ screen: Screen) -> Bool {
        switch screen {
        case .accounts: return true
        case .activity: return isSupport
        case .workspace: return workspace.map { maySee(workspace: $0.id) } ?? true
        case .entryDetail(let entry): return entry.workspace.map(maySee(workspace:)) ?? isSupport
        case .topUp(let model): return maySee(workspace: model.workspace)
        case .runAction(let model): return maySee(workspace: model.workspace)
        case .adjust(let model): return maySee(workspace: model.workspace)
        case .budget(let model): return model.workspace.map(maySee(workspace:)) ?? true
        case .reverse(let model): return model.entry.workspace.map(maySee(workspace:)) ?? isSupport
        case .void(let model): return model.grant.workspace.map(maySee(workspace:)) ?? isSupport
        case .autoTopUp(let model): return maySee(workspace: model.workspace)
        case .memberLimit(let model): return maySee(workspace: model.workspace)
        }
    }

    /// R18: whether the person may see workspace `id` as the ledger now stands.
    func maySee(workspace id: String) -> Bool {
        let people = ledger.workspaces[id].map(WorkspacePeople.init) ?? summaries[id].map(WorkspacePeople.init)
        guard let people else { return false }
        return Permissions.allows(.seeWorkspace, by: person, in: people)
    }

    /// Why `screen` closed: the removal record that ended the person's place, by number.
    private func lostSightText(of screen: Screen) -> String {
        let name = session.actor
        if let seq = ledger.removedOperators[name], !isSupport {
            return "you are no longer a support agent (removed by entry #\(seq)): you see only your own workspaces"
        }
        guard let id = workspaceShown(by: screen) else { return "you may no longer see this screen" }
        if let seq = ledger.workspaces[id]?.removedMembers[name] {
            return "you are no longer a member of \(id) (removed by entry #\(seq))"
        }
        return "you may no longer see \(id)"
    }

    /// The workspace a screen shows, if it shows one.
    private func workspaceShown(by screen: Screen) -> String? {
        switch screen {
        case .accounts, .activity: return nil
        case .workspace: return workspace?.id
        case .entryDetail(let entry): return entry.workspace
        case .topUp(let model): return model.workspace
        case .runAction(let model): return model.workspace
        case .adjust(let model): return model.workspace
        case .budget(let model): return model.workspace
        case .reverse(let model): return model.entry.workspace
        case .void(let model): return model.grant.workspace
        case .autoTopUp(let model): return model.workspace
        case .memberLimit(let model): return model.workspace
        }
    }
}
