import CreditKit

/// The adjustment form (R19) and the budget planner (R25).
extension ConsoleState {
    /// Opens the adjustment form for a support agent, or says why not (R18).
    mutating func openAdjust(_ ws: WorkspaceState) {
        if let why = refusal(.adjust, in: ws) {
            flash = Flash(why, kind: .refusal)
            return
        }
        stack.append(.adjust(AdjustModel(workspace: ws.id)))
    }

    /// Commands of the adjustment form: move between fields, or check it and confirm.
    mutating func adjustCommand(_ command: UICommand, _ form: AdjustModel) -> [Effect] {
        var model = form
        switch command {
        case .nextField, .previousField:
            model.focus = model.focus == .amount ? .reason : .amount
        case .submitForm:
            if model.focus == .amount && model.reason.isEmpty {
                model.focus = .reason
            } else {
                checkAdjustment(&model)
            }
        default: break
        }
        top = .adjust(model)
        return []
    }

    /// Validates the form; a valid one opens the confirmation, an invalid one says what is wrong.
    mutating func checkAdjustment(_ model: inout AdjustModel) {
        guard let amount = model.amount.value, amount != 0 else {
            model.problem = "amount: a whole number of credits, not zero, e.g. 50 or -20"
            model.focus = .amount
            return
        }
        let reason = model.reason.trimmingSpaces
        guard !reason.isEmpty else {
            model.problem = "reason: required; it is recorded with the entry"
            model.focus = .reason
            return
        }
        guard let ws = workspaceNow(model.workspace) else { return }
        switch Engine.decide(.adjust(workspace: ws.id, amount: amount, reason: reason), in: ledger, context: commandContext) {
        case .failure(let rejection):
            model.problem = rejection.message
        case .success(let decision):
            let after = Self.balanceAfter(decision) ?? ws.balance + amount
            dialog = .adjustment(AdjustConfirmation(workspace: ws.id, amount: amount, reason: reason, balanceBefore: ws.balance,
                                                    balanceAfter: after, request: nextConfirmationID()), focus: .cancel)
        }
    }

    /// Opens the budget planner, for a workspace (its plan and available balance: R25 counts
    /// only what is not held, R35) or for none.
    mutating func openBudget(_ ws: WorkspaceState?) {
        let model = BudgetModel(workspace: ws?.id, actionCount: ledger.catalog.actions.count,
                                plan: ws?.plan, balance: ws?.available ?? 0)
        stack.append(.budget(replan(model)))
    }

    /// Commands of the budget planner.
    mutating func budgetCommand(_ command: UICommand, _ form: BudgetModel) -> [Effect] {
        var model = form
        let count = model.volumes.count
        switch command {
        case .nextField, .down: model.focus = count > 0 ? (model.focus + 1) % count : 0
        case .previousField, .up: model.focus = count > 0 ? (model.focus + count - 1) % count : 0
        case .cyclePlan:
            let plans: [String?] = [nil] + ledger.catalog.plans.map { Optional($0.id) }
            let index = plans.firstIndex(of: model.plan) ?? 0
            model.plan = plans[(index + 1) % plans.count]
        default: break
        }
        top = .budget(replan(model))
        return []
    }

    /// Recomputes the budget from the typed volumes: what makes the planner live.
    func replan(_ form: BudgetModel) -> BudgetModel {
        var model = form
        let volumes = zip(ledger.catalog.actions, model.volumes).map { action, field in (action: action.id, count: field.value ?? 0) }
        switch BudgetPlanner.plan(volumes: volumes, plan: model.plan, balance: model.balance, catalog: ledger.catalog) {
        case .success(let budget): model.budget = budget; model.problem = nil
        case .failure(let rejection): model.budget = nil; model.problem = rejection.message
        }
        return model
    }
}
