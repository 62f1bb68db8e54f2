import CreditKit

/// The top-up picker, the action picker, and their confirmations and notices (R8, R23).
extension ConsoleState {
    /// Opens the pack picker, or says why this person may not buy (R18).
    mutating func openTopUp(_ ws: WorkspaceState, preselect pack: String?, forAction: String? = nil) {
        let packs = ledger.catalog.packs
        guard !packs.isEmpty else { flash = Flash("this catalog has no top-up packs", kind: .refusal); return }
        if let why = refusal(.topUp, in: ws) {
            flash = Flash(why, kind: .refusal)
            return
        }
        let index = pack.flatMap { id in packs.firstIndex { $0.id == id } } ?? 0
        var model = TopUpModel(workspace: ws.id, selected: index)
        model.forAction = forAction
        stack.append(.topUp(model))
    }

    /// Opens the action picker, or says why this person may not run actions (R18).
    mutating func openRunAction(_ ws: WorkspaceState) {
        guard let first = ledger.catalog.actions.first else { return }
        if let why = refusal(first.kind == .clone ? .clone : .charge, in: ws) {
            flash = Flash(why, kind: .refusal)
            return
        }
        stack.append(.runAction(RunActionModel(workspace: ws.id)))
    }

    /// Enter on a pack: the confirmation with price, credits and the balance after, on Cancel.
    mutating func openPurchase(_ model: TopUpModel) -> [Effect] {
        guard let ws = workspaceNow(model.workspace),
              ledger.catalog.packs.indices.contains(model.cursor.selected) else { return [] }
        let pack = ledger.catalog.packs[model.cursor.selected]
        switch Engine.decide(.topUp(workspace: ws.id, pack: pack.id), in: ledger, context: commandContext) {
        case .failure(let rejection):
            flash = Flash(rejection.message, kind: .refusal)
        case .success(let decision):
            let after = Self.balanceAfter(decision) ?? ws.balance + pack.credits
            dialog = .purchase(PurchaseConfirmation(workspace: ws.id, pack: pack, balanceBefore: ws.balance,
                                                    balanceAfter: after, payment: nextConfirmationID()), focus: .cancel)
        }
        return []
    }

    /// Enter on an action: its cost confirmation, or the insufficient-credits notice (R8, R23).
    mutating func openRun(_ model: RunActionModel) -> [Effect] {
        guard let ws = workspaceNow(model.workspace),
              ledger.catalog.actions.indices.contains(model.cursor.selected) else { return [] }
        let action = ledger.catalog.actions[model.cursor.selected]
        // The run's own id (R6, R7): unique to this console run, so two desks confirming at the
        // same moment never share a job or item id; a retry of this confirmation keeps it.
        let serial = nextConfirmationID()
        let command: Command
        let reference: String
        if action.kind == .clone {
            let kind = action.clones ?? "item"
            let item = "\(kind)-\(serial)"
            command = .clone(workspace: ws.id, itemKind: kind, item: item)
            reference = "\(kind) \(item)"
        } else {
            let job = serial
            command = .charge(workspace: ws.id, action: action.id, job: job)
            reference = "job \(job)"
        }
        switch Engine.decide(command, in: ledger, context: commandContext) {
        case .failure(let rejection) where rejection.poolShortfall != nil:
            let short = rejection.poolShortfall!
            let canBuy = refusal(.topUp, in: ws) == nil
            let notice = InsufficientNotice(workspace: ws.id, actionName: action.name, cost: short.cost, balance: short.available,
                                            shortfall: short.shortfall, suggestion: short.suggestion, canBuy: canBuy, owner: ws.owner,
                                            held: short.held, limit: rejection.limitShortfall)
            dialog = .insufficient(notice, focus: canBuy ? .confirm : .cancel)
        case .failure(let rejection):
            flash = Flash(rejection.message, kind: .refusal)
        case .success(.alreadyRecorded(let why)):
            flash = Flash(why.message, kind: .info)
        case .success(.nothingToRecord(let why)):
            flash = Flash(why, kind: .info)
        case .success(let decision):
            let after = Self.balanceAfter(decision) ?? ws.balance - action.credits
            dialog = .run(RunConfirmation(workspace: ws.id, action: action, command: command, reference: reference,
                                          balanceBefore: ws.balance, balanceAfter: after), focus: .cancel)
        }
        return []
    }

    /// R26: a new id for a confirmation, unique to this run (`Session.idPrefix`).
    mutating func nextConfirmationID() -> String {
        confirmationCount += 1
        return "\(session.idPrefix)-\(confirmationCount)"
    }

    /// The balance the last credit entry of a decision leaves.
    static func balanceAfter(_ decision: Decision) -> Credits? {
        guard case .append(let entries) = decision else { return nil }
        return entries.last { $0.kind.movesCredits }?.balance
    }

    /// Keys of an open dialog: focus moves between the two buttons, `y` confirms, `n`/Esc cancels,
    /// Enter presses the focused button, `b` buys from the insufficient notice.
    mutating func dialogKey(_ key: Key, _ open: Dialog) -> [Effect] {
        guard let command = KeyMap.command(for: key, in: keyContext, top: atBottom) else { return keyDoesNothing(key, in: open) }
        switch command {
        case .left, .right:
            dialog = open.withFocus(open.focus == .cancel ? .confirm : .cancel)
            return []
        case .cancel:
            dialog = nil
            return []
        case .confirm:
            if case .insufficient = open { return keyDoesNothing(key, in: open) }
            return confirm(open)
        case .buy:
            return buyFromNotice(open)
        case .open:
            guard open.focus == .confirm else { dialog = nil; return [] }
            if case .insufficient = open { return buyFromNotice(open) }
            return confirm(open)
        default:
            return keyDoesNothing(key, in: open)
        }
    }

    /// A key a dialog does not take: the dialog stays as it is and the status line says which
    /// keys it does take.
    mutating func keyDoesNothing(_ key: Key, in open: Dialog) -> [Effect] {
        let dot = session.glyphs.dot
        if case .insufficient(let notice, _) = open {
            let keys = notice.canBuy ? "b buys credits, Esc goes back" : "Esc goes back"
            flash = Flash("\(key.label) does nothing in this notice \(dot) \(keys)", kind: .info)
        } else {
            flash = Flash("\(key.label) does nothing in this dialog \(dot) y confirms, n or Esc cancels", kind: .info)
        }
        return []
    }

    /// Presses a confirmation's confirm button: closes it, leaves the picker or form, and asks
    /// the run loop to record the command.
    mutating func confirm(_ open: Dialog) -> [Effect] {
        dialog = nil
        let command: Command
        switch open {
        case .purchase(let purchase, _): command = .topUp(workspace: purchase.workspace, pack: purchase.pack.id, payment: purchase.payment)
        case .run(let run, _): command = run.command
        case .adjustment(let adjustment, _):
            command = .adjust(workspace: adjustment.workspace, amount: adjustment.amount, reason: adjustment.reason,
                              request: adjustment.request)
        case .insufficient: return []
        case .reversal(let reversal, _): return confirmReversal(reversal)
        case .void(let confirmation, _): return confirmVoid(confirmation)
        case .setting(let confirmation, _): command = confirmation.command
        }
        if case .topUp(let picker) = top { afterPurchase = picker.forAction } else { afterPurchase = nil }
        lastConfirmed = open
        while !atBottom, top != .workspace { stack.removeLast() }
        return [.submit(command)]
    }

    /// `b` on the insufficient notice: the pack picker with the smallest covering pack selected.
    mutating func buyFromNotice(_ open: Dialog) -> [Effect] {
        guard case .insufficient(let notice, _) = open, let ws = workspaceNow(notice.workspace) else { return [] }
        guard notice.canBuy else {
            flash = Flash(refusal(.topUp, in: ws)
                ?? "only the owner can buy", kind: .refusal)
            return []
        }
        dialog = nil
        if case .runAction = top { stack.removeLast() }
        let pack = notice.suggestion?.packs.first?.pack.id
        openTopUp(ws, preselect: pack, forAction: notice.actionName)
        return []
    }
}

extension Dialog {
    /// Which button has focus.
    public var focus: DialogFocus {
        switch self {
        case .purchase(_, let focus), .run(_, let focus), .insufficient(_, let focus), .adjustment(_, let focus),
             .reversal(_, let focus), .void(_, let focus), .setting(_, let focus): return focus
        }
    }

    /// The same dialog with focus on another button.
    public func withFocus(_ focus: DialogFocus) -> Dialog {
        switch self {
        case .purchase(let value, _): return .purchase(value, focus: focus)
        case .run(let value, _): return .run(value, focus: focus)
        case .insufficient(let value, _): return .insufficient(value, focus: focus)
        case .adjustment(let value, _): return .adjustment(value, focus: focus)
        case .reversal(let value, _): return .reversal(value, focus: focus)
        case .void(let value, _): return .void(value, focus: focus)
        case .setting(let value, _): return .setting(value, focus: focus)
        }
    }
}
