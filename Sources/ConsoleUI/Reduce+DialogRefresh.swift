import CreditKit

/// An open dialog follows the ledger: when another desk writes to the same workspace, the
/// balance, balance after and shortfall are decided again against the fresh state (R8, R23),
/// so a confirmation never shows a preview computed from a balance that is gone.
extension ConsoleState {
    /// Decides the open dialog's command again against the current ledger and updates its
    /// numbers; a dialog the fresh state refuses closes with the refusal on the status line.
    mutating func refreshOpenDialog() {
        guard let open = dialog else { return }
        let before: Credits
        switch open {
        case let .purchase(purchase, focus):
            guard let ws = workspaceNow(purchase.workspace) else { return }
            before = purchase.balanceBefore
            let command = Command.topUp(workspace: ws.id, pack: purchase.pack.id, payment: purchase.payment)
            guard let after = freshBalanceAfter(command) else { return }
            dialog = .purchase(purchase.previewing(ws.balance, after: after), focus: focus)
        case let .run(run, focus):
            guard let ws = workspaceNow(run.workspace) else { return }
            before = run.balanceBefore
            guard let after = freshBalanceAfter(run.command, insufficient: run) else { return }
            dialog = .run(run.previewing(ws.balance, after: after), focus: focus)
        case let .insufficient(notice, focus):
            guard let ws = workspaceNow(notice.workspace) else { return }
            before = notice.balance
            refreshNotice(notice, focus: focus, balance: ws.available, held: ws.held)
        case let .adjustment(adjustment, focus):
            guard let ws = workspaceNow(adjustment.workspace) else { return }
            before = adjustment.balanceBefore
            let command = Command.adjust(workspace: ws.id, amount: adjustment.amount, reason: adjustment.reason,
                                         request: adjustment.request)
            guard let after = freshBalanceAfter(command) else { return }
            dialog = .adjustment(adjustment.previewing(ws.balance, after: after), focus: focus)
        case let .reversal(reversal, focus):
            guard let ws = reversal.entry.workspace.flatMap({ ledger.workspaces[$0] }) else { return }
            before = reversal.balanceBefore
            guard let after = freshReversalAfter(reversal) else { return }
            dialog = .reversal(reversal.previewing(ws.balance, after: after), focus: focus)
        case let .void(confirmation, focus):
            before = confirmation.balanceBefore
            refreshVoid(confirmation, focus: focus)
        case let .setting(confirmation, focus):
            before = confirmation.balance
            refreshSetting(confirmation, focus: focus)
        }
        noteFreshBalance(before: before, open: open)
    }

    /// The balance `command` would leave now; nil (and the dialog closed, the refusal shown) when
    /// the fresh state refuses it or it has nothing left to record. A run refused for credits
    /// turns into the insufficient-credits notice.
    private mutating func freshBalanceAfter(_ command: Command, insufficient run: RunConfirmation? = nil) -> Credits? {
        switch Engine.decide(command, in: ledger, context: commandContext) {
        case .success(let decision):
            if let after = Self.balanceAfter(decision) { return after }
            closeDialog(saying: "this changed while the dialog was open: nothing left to record", kind: .info)
        case .failure(let rejection) where run == nil:
            closeDialog(saying: rejection.message, kind: .refusal)
        case .failure(let rejection) where rejection.poolShortfall != nil:
            guard let run, let ws = workspaceNow(run.workspace), let short = rejection.poolShortfall else { return nil }
            let canBuy = refusal(.topUp, in: ws) == nil
            dialog = .insufficient(InsufficientNotice(workspace: ws.id, actionName: run.action.name, cost: short.cost, balance: short.available,
                                                      shortfall: short.shortfall, suggestion: short.suggestion, canBuy: canBuy,
                                                      owner: ws.owner, held: short.held, limit: rejection.limitShortfall),
                                   focus: canBuy ? .confirm : .cancel)
        case .failure(let rejection):
            closeDialog(saying: rejection.message, kind: .refusal)
        }
        return nil
    }

    /// The balance a reversal would leave now; nil (and the dialog closed, the form saying why)
    /// when the fresh state refuses it (R34).
    private mutating func freshReversalAfter(_ reversal: ReversalConfirmation) -> Credits? {
        switch decideReversal(reversal.entry, reason: reversal.reason) {
        case .success(let decision):
            if let after = Self.balanceAfter(decision) { return after }
            closeDialog(saying: "entry #\(reversal.entry.seq) was reversed meanwhile: nothing left to record", kind: .info)
        case .failure(let rejection):
            closeDialog(saying: rejection.message, kind: .refusal)
        }
        return nil
    }

    /// The insufficient notice at a fresh balance: a new shortfall, or closed once the balance covers the cost.
    private mutating func refreshNotice(_ notice: InsufficientNotice, focus: DialogFocus, balance: Credits, held: Credits) {
        guard balance < notice.cost else {
            // R40: a top-up does not change a monthly limit: still short of it, say so.
            let limit = notice.limit.map { "; your monthly limit is still \(CountText.credits($0.shortfall)) short" } ?? ""
            closeDialog(saying: "the \(held > 0 ? "available balance" : "balance") is now \(AmountFormat.grouped(balance)): enough for \(notice.actionName) "
                        + "(\(CountText.credits(notice.cost)))\(limit); \(session.glyphs.enter) asks again", kind: .info)
            return
        }
        var fresh = notice
        fresh.balance = balance
        fresh.held = held
        fresh.shortfall = notice.cost - balance
        fresh.suggestion = BudgetPlanner.smallestCovering(fresh.shortfall, catalog: ledger.catalog) ?? notice.suggestion
        dialog = .insufficient(fresh, focus: focus)
    }

    /// Closes the dialog over whatever it was opened from, and says why.
    mutating func closeDialog(saying text: String, kind: Flash.Kind) {
        dialog = nil
        if case .reverse(var model) = top {
            model.problem = text
            top = .reverse(model)
        } else if case .adjust(var model) = top {
            model.problem = text
            top = .adjust(model)
        } else if case .autoTopUp(var model) = top {
            model.problem = text
            top = .autoTopUp(model)
        } else if case .memberLimit(var model) = top {
            model.problem = text
            top = .memberLimit(model)
        }
        flash = Flash(text, kind: kind)
    }

    /// Says on the status line that the dialog's numbers moved because another desk wrote.
    private mutating func noteFreshBalance(before: Credits, open: Dialog) {
        guard let now = dialog, now != open, now.balanceShown != before else { return }
        let balance = now.balanceShown
        flash = Flash("the balance changed to \(AmountFormat.grouped(balance)) while this was open: the numbers are fresh", kind: .info)
    }
}

extension Dialog {
    /// The balance before the write that the dialog shows.
    var balanceShown: Credits {
        switch self {
        case .purchase(let value, _): return value.balanceBefore
        case .run(let value, _): return value.balanceBefore
        case .insufficient(let value, _): return value.balance
        case .adjustment(let value, _): return value.balanceBefore
        case .reversal(let value, _): return value.balanceBefore
        case .void(let value, _): return value.balanceBefore
        case .setting(let value, _): return value.balance
        }
    }
}

/// A confirmation that previews a balance: what it was when last decided, and what the
/// command would leave.
protocol BalancePreview {
    var balanceBefore: Credits { get set }
    var balanceAfter: Credits { get set }
}

extension BalancePreview {
    /// The same confirmation with numbers decided again against a fresh balance.
    func previewing(_ balance: Credits, after: Credits) -> Self {
        var fresh = self
        fresh.balanceBefore = balance
        fresh.balanceAfter = after
        return fresh
    }
}

extension PurchaseConfirmation: BalancePreview {}
extension RunConfirmation: BalancePreview {}
extension AdjustConfirmation: BalancePreview {}
extension ReversalConfirmation: BalancePreview {}
extension VoidConfirmation: BalancePreview {}
