import CreditKit
import LedgerCore

/// `x` in an entry's detail (support): undo a mistaken adjustment or grant by a linked entry.
extension ConsoleState {
    /// Opens the reversal form for the entry in the detail, or says at once why it cannot be
    /// reversed (R18 role, R34 kind, already reversed, balance).
    mutating func openReversal(_ entry: Entry) -> [Effect] {
        guard let wsID = entry.workspace, let ws = ledger.workspaces[wsID] else { return nothingHere(.reverse) }
        if let why = refusal(.reverse, in: ws) {
            flash = Flash(why, kind: .refusal)
            return []
        }
        switch decideReversal(entry, reason: "probe") {
        case .failure(let rejection): flash = Flash(rejection.message, kind: .refusal)
        case .success(.alreadyRecorded(let why)): flash = Flash(why.message, kind: .info)
        case .success:
            stack.append(.reverse(ReverseModel(entry: entry)))
            return takeBackLookup(entry)
        }
        return []
    }

    /// The engine's decision for reversing `entry`, with what this console knows of it.
    func decideReversal(_ entry: Entry, reason: String) -> Result<Decision, Rejection> {
        let facts = reversals.facts[entry.seq] ?? ReversalFacts(original: entry, reversedBy: reversals.by[entry.seq])
        return Engine.decide(.reverse(workspace: entry.workspace ?? "", seq: entry.seq, reason: reason), in: ledger,
                             context: commandContext, reversal: facts)
    }

    /// Enter on the form: a reason opens the confirmation with the balance before and after.
    mutating func reverseCommand(_ command: UICommand, _ form: ReverseModel) -> [Effect] {
        guard command == .submitForm else { return nothingHere(command) }
        var model = form
        let reason = model.reason.trimmingSpaces
        guard !reason.isEmpty else {
            model.problem = "reason: required; it is recorded with the reversal"
            top = .reverse(model)
            return []
        }
        let before = ledger.workspaces[model.entry.workspace ?? ""]?.balance ?? 0
        switch decideReversal(model.entry, reason: reason) {
        case .failure(let rejection): model.problem = rejection.message
        case .success(.alreadyRecorded(let why)): model.problem = why.message
        case .success(let decision):
            let after = Self.balanceAfter(decision) ?? before - model.entry.credits
            dialog = .reversal(ReversalConfirmation(entry: model.entry, reason: reason, balanceBefore: before, balanceAfter: after),
                               focus: .cancel)
        }
        top = .reverse(model)
        return []
    }

    /// Keys typed into the reason field.
    mutating func reverseTextKey(_ key: Key) -> [Effect]? {
        guard case .reverse(var model) = top, ReasonField.edit(&model.reason, with: key) else { return nil }
        model.problem = nil
        top = .reverse(model)
        return []
    }

    /// The confirmation's confirm: back to the entry's detail, and the reversal submitted.
    mutating func confirmReversal(_ confirmation: ReversalConfirmation) -> [Effect] {
        dialog = nil
        if case .reverse = top { stack.removeLast() }
        return [.submit(.reverse(workspace: confirmation.entry.workspace ?? "", seq: confirmation.entry.seq,
                                 reason: confirmation.reason))]
    }

    /// Asks who reversed the adjustment or grant in the detail on top, once per ledger change.
    mutating func reversalLookups() -> [Effect] {
        guard case .entryDetail(let entry) = top, entry.kind == .adjustment || entry.kind == .grant, entry.reverses == nil,
              let ws = entry.workspace, reversals.by[entry.seq] == nil, !reversals.asked.contains(entry.seq) else { return [] }
        reversals.asked.insert(entry.seq)
        return [.findReversal(workspace: ws, seq: entry.seq)]
    }

    /// Asks the ledger what it knows of `entry` (R34, R36, R41), once per ledger change, so a
    /// void or reversal that would take credits already taken is refused before its confirmation.
    mutating func takeBackLookup(_ entry: Entry) -> [Effect] {
        guard let ws = entry.workspace, !reversals.asked.contains(entry.seq) else { return [] }
        reversals.asked.insert(entry.seq)
        return [.findReversal(workspace: ws, seq: entry.seq)]
    }

    /// After the ledger changed, the facts of the entry an open void or reversal form takes back.
    mutating func openTakeBackLookup() -> [Effect] {
        switch top {
        case .void(let model): return takeBackLookup(model.grant)
        case .reverse(let model): return takeBackLookup(model.entry)
        default: return []
        }
    }

    /// The ledger's facts about entry `seq`: kept, and an open void or reversal of it decided
    /// again with them (its form shows the refusal, its confirmation closes with it).
    mutating func reversalFound(_ seq: Int64, _ facts: ReversalFacts?) -> [Effect] {
        guard let facts else { return [] }
        reversals.facts[seq] = facts
        if let by = facts.reversedBy { reversals.by[seq] = by }
        if dialog != nil {
            refreshOpenDialog()
        } else if case .void(var model) = top, model.grant.seq == seq, case .failure(let rejection) = decideVoid(model.grant, reason: VoidModel.probeReason) {
            model.problem = rejection.message
            top = .void(model)
        } else if case .reverse(var model) = top, model.entry.seq == seq,
                  case .failure(let rejection) = decideReversal(model.entry, reason: "probe") {
            model.problem = rejection.message
            top = .reverse(model)
        }
        return []
    }

    /// Learns the reversal a submit just wrote.
    mutating func noteReversal(_ result: Result<SubmitOutcome, LedgerError>) {
        guard case .success(.recorded(let entries, _)) = result else { return }
        for entry in entries { if let original = entry.reverses { reversals.by[original] = entry.seq } }
    }
}
