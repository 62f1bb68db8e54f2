import CreditKit

/// `u` on a workspace (owner or support): the auto top-up form (R37), with switching the rule
/// off (R37) and resuming a paused one (R39). Each is decided by the engine the command line
/// uses, before the confirmation shows what will be recorded.
extension ConsoleState {
    /// Opens the form prefilled from the rule in force, or says why not (R18).
    mutating func openAutoTopUp(_ ws: WorkspaceState) {
        if let why = refusal(.autoTopUp, in: ws) {
            flash = Flash(why, kind: .refusal)
            return
        }
        stack.append(.autoTopUp(AutoTopUpForm(workspace: ws.id, rule: ws.autoTopUp.rule, packs: ledger.catalog.packs)))
    }

    /// Commands of the form: move between fields, choose the pack, check and confirm, off, resume.
    mutating func autoTopUpCommand(_ command: UICommand, _ form: AutoTopUpForm) -> [Effect] {
        var model = form
        let fields = model.fields
        let index = fields.firstIndex(of: model.focus) ?? 0
        switch command {
        case .nextField, .down: model.focus = fields[(index + 1) % fields.count]
        case .previousField, .up: model.focus = fields[(index + fields.count - 1) % fields.count]
        case .left, .right:
            guard model.focus == .pack else { return nothingHere(command) }
            let choices = model.packCount + 1
            model.choice = (model.choice + (command == .right ? 1 : choices - 1)) % choices
            model.problem = nil
        case .submitForm: checkAutoTopUp(&model)
        case .switchOff: decideSetting(.autoTopUpOff(workspace: model.workspace), into: &model.problem)
        case .resume: decideSetting(.resumeAutoTopUp(workspace: model.workspace), into: &model.problem)
        default: return nothingHere(command)
        }
        top = .autoTopUp(model)
        return []
    }

    /// Checks the fields, then asks the engine; a rule it takes opens the confirmation.
    mutating func checkAutoTopUp(_ model: inout AutoTopUpForm) {
        guard let threshold = model.threshold.value else {
            (model.problem, model.focus) = ("threshold: a whole number of credits, e.g. 100", .threshold)
            return
        }
        let target = model.target.value
        if model.choosesTarget && target == nil {
            (model.problem, model.focus) = ("target balance: a whole number of credits above the threshold", .target)
            return
        }
        guard let capCents = model.cap.scaled else {
            (model.problem, model.focus) = ("monthly cap: dollars, e.g. 250 or 250.50", .cap)
            return
        }
        let packs = ledger.catalog.packs
        let pack = model.choosesTarget || !packs.indices.contains(model.choice) ? nil : packs[model.choice].id
        let rule = AutoTopUpRule(threshold: threshold, pack: pack, targetBalance: model.choosesTarget ? target : nil,
                                 capCents: capCents)
        decideSetting(.setAutoTopUp(workspace: model.workspace, rule: rule), into: &model.problem)
        // R37: a value out of range is named by the form's own field, not the command line's flag.
        if let (wording, field) = AutoTopUpForm.fieldProblem(.setAutoTopUp(workspace: model.workspace, rule: rule), in: ledger,
                                                            context: commandContext) {
            (model.problem, model.focus) = (wording, field)
        }
    }

    /// Decides `command` now: a refusal or "already so" goes to `problem` (nothing changes);
    /// otherwise the confirmation opens, saying what will be recorded.
    mutating func decideSetting(_ command: Command, into problem: inout String?) {
        guard let id = command.workspace, let ws = workspaceNow(id) else { return }
        switch Engine.decide(command, in: ledger, context: commandContext) {
        case .failure(let rejection): problem = rejection.message
        case .success(.alreadyRecorded(let why)): problem = why.message
        case .success(.nothingToRecord(let text)): problem = text
        case .success(.append):
            problem = nil
            dialog = .setting(SettingText.confirmation(command, ws: ws, state: self), focus: .cancel)
        }
    }

    /// Keys typed into the form's number fields; the keys the form binds act instead.
    mutating func autoTopUpTextKey(_ key: Key) -> [Effect]? {
        guard case .autoTopUp(var model) = top, model.focus != .pack else { return nil }
        switch key {
        case .character(let c) where KeyMap.command(for: key, in: .autoTopUpForm, top: atBottom) == nil:
            model.edit(model.focus) { $0.type(c) }
        case .backspace, .delete: model.edit(model.focus) { $0.erase() }
        default: return nil
        }
        model.problem = nil
        top = .autoTopUp(model)
        return []
    }

    /// The rule or limit dialog decided again against a fresh ledger; it closes with the refusal
    /// when another desk changed what it would record.
    mutating func refreshSetting(_ confirmation: SettingConfirmation, focus: DialogFocus) {
        guard let id = confirmation.command.workspace, let ws = workspaceNow(id) else { return }
        switch Engine.decide(confirmation.command, in: ledger, context: commandContext) {
        case .failure(let rejection): closeDialog(saying: rejection.message, kind: .refusal)
        case .success(.alreadyRecorded(let why)): closeDialog(saying: why.message, kind: .info)
        case .success(.nothingToRecord(let text)): closeDialog(saying: text, kind: .info)
        case .success(.append):
            dialog = .setting(SettingText.confirmation(confirmation.command, ws: ws, state: self), focus: focus)
        }
    }
}

extension AutoTopUpForm {
    /// Applies `change` to the number field `field` names (the pack choice has none).
    mutating func edit(_ field: Field, _ change: (inout NumberField) -> Void) {
        switch field {
        case .threshold: change(&threshold)
        case .target: change(&target)
        case .cap: change(&cap)
        case .pack: break
        }
    }
}
