import CreditKit

/// `v` on a grant row of a workspace's history (support): void what is left of the grant, with a
/// reason (R36). Decided by the engine the command line uses, before and after the reason.
extension ConsoleState {
    /// Opens the void form for the selected history row, or says at once why there is nothing
    /// to void (R18 role, R36: not a grant, nothing left, already voided, holds).
    mutating func openVoid() -> [Effect] {
        guard let ws = openWorkspace, let entry = selectedHistoryEntry else { return nothingHere(.void) }
        if let why = refusal(.void, in: ws) {
            flash = Flash(why, kind: .refusal)
            return []
        }
        switch decideVoid(entry, reason: VoidModel.probeReason) {
        case .failure(let rejection): flash = Flash(rejection.message, kind: .refusal)
        case .success(.alreadyRecorded(let why)): flash = Flash(why.message, kind: .info)
        case .success(let decision):
            stack.append(.void(VoidModel(grant: entry, remaining: Self.voided(decision) ?? 0)))
            return takeBackLookup(entry)
        }
        return []
    }

    /// The engine's decision for voiding `entry` now, as `void WS SEQ --reason` decides it.
    func decideVoid(_ entry: Entry, reason: String) -> Result<Decision, Rejection> {
        Engine.decide(.void(workspace: entry.workspace ?? workspace?.id ?? "", seq: entry.seq, reason: reason), in: ledger,
                      context: commandContext, reversal: reversals.facts[entry.seq])
    }

    /// The credits a void decision removes (the void entry's amount, as a positive number).
    static func voided(_ decision: Decision) -> Credits? {
        guard case .append(let entries) = decision, let void = entries.last(where: { $0.kind == .void }) else { return nil }
        return -void.credits
    }

    /// Enter on the form: a reason the command line would take opens the confirmation with the
    /// balance and available balance before and after; otherwise the form says why.
    mutating func voidCommand(_ command: UICommand, _ form: VoidModel) -> [Effect] {
        guard command == .submitForm else { return nothingHere(command) }
        var model = form
        let reason = model.reason.trimmingSpaces
        guard let ws = workspaceNow(model.grant.workspace ?? "") else { return [] }
        switch decideVoid(model.grant, reason: reason) {
        case .failure(let rejection): model.problem = rejection.message
        case .success(.alreadyRecorded(let why)): model.problem = why.message
        case .success(let decision):
            let remaining = Self.voided(decision) ?? model.remaining
            model.remaining = remaining
            let after = Self.balanceAfter(decision) ?? ws.balance - remaining
            dialog = .void(VoidConfirmation(grant: model.grant, remaining: remaining, reason: reason, balanceBefore: ws.balance,
                                            balanceAfter: after, held: ws.held), focus: .cancel)
        }
        top = .void(model)
        return []
    }

    /// Keys typed into the reason field.
    mutating func voidTextKey(_ key: Key) -> [Effect]? {
        guard case .void(var model) = top, ReasonField.edit(&model.reason, with: key) else { return nil }
        model.problem = nil
        top = .void(model)
        return []
    }

    /// The confirmation's confirm: back to the workspace's history, and the void submitted.
    mutating func confirmVoid(_ confirmation: VoidConfirmation) -> [Effect] {
        dialog = nil
        if case .void = top { stack.removeLast() }
        return [.submit(confirmation.command)]
    }

    /// The void dialog's numbers decided again against a fresh ledger; it closes with the
    /// refusal when another desk spent, voided or held what it would remove.
    mutating func refreshVoid(_ confirmation: VoidConfirmation, focus: DialogFocus) {
        guard let ws = workspaceNow(confirmation.grant.workspace ?? "") else { return }
        switch decideVoid(confirmation.grant, reason: confirmation.reason) {
        case .success(let decision):
            guard let remaining = Self.voided(decision), let after = Self.balanceAfter(decision) else { return }
            var fresh = confirmation.previewing(ws.balance, after: after)
            fresh.remaining = remaining
            fresh.held = ws.held
            dialog = .void(fresh, focus: focus)
            if case .void(var model) = top {
                model.remaining = remaining
                top = .void(model)
            }
        case .failure(let rejection):
            dialog = nil
            if case .void(var model) = top {
                model.problem = rejection.message
                top = .void(model)
            }
            flash = Flash(rejection.message, kind: .refusal)
        }
    }
}

extension ConsoleState {
    /// The history row selected on the open workspace, when it is held.
    var selectedHistoryEntry: Entry? {
        guard let model = workspace, top == .workspace, model.chart == nil else { return nil }
        return model.entry(at: model.cursor.selected)
    }
}

extension VoidModel {
    /// The reason the form's first check is decided with, before one is typed: the engine
    /// refuses an empty reason, and the grant, not the reason, decides what is left.
    static let probeReason = "probe"
}
