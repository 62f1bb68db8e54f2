import CreditKit

/// The auto top-up form (R37): threshold, pack (or target balance) and monthly cap, the rule in
/// force and this month's spend, and the keys that switch the rule off or resume it (R39).
enum AutoTopUpFormScreen {
    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: AutoTopUpForm) {
        guard let ws = state.workspaceNow(model.workspace) else { return }
        let glyphs = state.session.glyphs
        let width = grid.width - 1
        Chrome.formHeader(&grid, state, ws, title: "Auto top-up \(ws.name)",
                          intro: " Ask the billing side for a pack when the available balance falls to the threshold (R37).")
        let thresholdEnd = FormField.draw(&grid, x: 2, y: 4, label: "When available is at or below", value: model.threshold.text,
                                          width: NumberFieldView.width(model.threshold), focused: model.focus == .threshold, glyphs: glyphs)
        grid.put("credits", x: thresholdEnd + 1, y: 4, style: .dim)
        drawChoice(&grid, state, model: model, y: 6)
        if model.choosesTarget {
            let end = FormField.draw(&grid, x: 2, y: 8, label: "Top up to (available)       ", value: model.target.text,
                                     width: NumberFieldView.width(model.target), focused: model.focus == .target, glyphs: glyphs)
            grid.put("credits", x: end + 1, y: 8, style: .dim)
        }
        let capEnd = FormField.draw(&grid, x: 2, y: 10, label: "Monthly cap (dollars) $", value: model.cap.text,
                                    width: NumberFieldView.width(model.cap), focused: model.focus == .cap, glyphs: glyphs)
        grid.put("at most this much a calendar month", x: capEnd + 1, y: 10, style: .dim)
        if let field = focusedField(model), field.refusal != nil {
            NumberFieldView.note(&grid, field, x: 2, y: 12)
        }
        grid.putFitted([Span("  In force: ", .dim)] + inForce(ws, state: state), x: 0, y: 14, limit: width, ellipsis: glyphs.ellipsis)
        let lines = FormProblem.draw(&grid, model.problem, y: 16, glyphs: glyphs)
        grid.put(Fit.cut("  o switches the rule off \(glyphs.dot) p resumes a paused rule \(glyphs.dot) recorded as \(state.session.actor)",
                         width, ellipsis: glyphs.ellipsis), x: 0, y: FormProblem.rowAfter(16, lines: lines, usual: 18), style: .dim, limit: width)
    }

    /// The pack line: `Pack  ◀ topup_100  $100.00 → 1,000 credits ▶`, or the target balance choice.
    private static func drawChoice(_ grid: inout Grid, _ state: ConsoleState, model: AutoTopUpForm, y: Int) {
        let glyphs = state.session.glyphs
        let packs = state.ledger.catalog.packs
        let focused = model.focus == .pack
        let text: String
        if model.choosesTarget || !packs.indices.contains(model.choice) {
            text = "a target balance (the smallest pack that reaches it)"
        } else {
            let pack = packs[model.choice]
            text = "\(pack.id)  \(AmountFormat.dollars(pack.priceCents)) \(glyphs.arrow) \(CountText.credits(pack.credits))"
        }
        grid.put("Ask for", x: 2, y: y, style: focused ? .title : .normal)
        let left = glyphs.ascii ? "<" : "◀", right = glyphs.ascii ? ">" : "▶"
        grid.put(" \(left) \(text) \(right) ", x: 32, y: y, style: focused ? .inputFocused : .input, limit: grid.width - 33)
        if focused { grid.put(glyphs.leftRight + " chooses", x: 2, y: y + 1, style: .dim) }
    }

    /// The number field with focus, if the focus is on one.
    private static func focusedField(_ model: AutoTopUpForm) -> NumberField? {
        switch model.focus {
        case .threshold: return model.threshold
        case .target: return model.target
        case .cap: return model.cap
        case .pack: return nil
        }
    }

    /// The rule in force and its state, as the workspace screen says it; `none` when off.
    static func inForce(_ ws: WorkspaceState, state: ConsoleState) -> [Span] {
        let spans = WorkspaceScreen.autoTopUpSpans(ws, state: state)
        guard spans.count > 2 else { return [Span("none (switched off or never set)", .dim)] }
        return Array(spans.dropFirst().dropLast())
    }
}

/// What the rule and limit confirmations say will be recorded (R37, R39, R40), made in one place.
enum SettingText {
    static func confirmation(_ command: Command, ws: WorkspaceState, state: ConsoleState) -> SettingConfirmation {
        let (title, lines, confirm) = text(command, ws: ws, state: state)
        return SettingConfirmation(title: title, lines: lines, confirm: confirm, command: command, balance: ws.balance)
    }

    private static func text(_ command: Command, ws: WorkspaceState, state: ConsoleState) -> (String, [String], String) {
        let view = AutoTopUpView(ws.autoTopUp, at: state.now)
        let spent = "this month so far \(AmountFormat.dollars(view.spentCents))"
        switch command {
        case let .setAutoTopUp(_, rule):
            return ("Confirm auto top-up rule", ruleLines(rule, ws: ws, state: state) + [
                "At most \(AmountFormat.dollars(rule.capCents)) of auto top-ups a month (\(spent)).",
            ] + (view.status == .paused ? ["Setting it again re-enables the paused rule (R39)."] : []), "Record rule")
        case .autoTopUpOff:
            let pending = view.pending.map { ["Pending request \($0.id) (\($0.pack)) is dropped."] } ?? []
            return ("Switch auto top-up off", ["No more top-up requests for \(ws.id)."] + pending
                + ["This month's spend stays counted (\(spent))."], "Switch off")
        case .resumeAutoTopUp:
            let rule = view.rule.map { ruleLines($0, ws: ws, state: state) } ?? []
            return ("Resume auto top-up", ["Resume \(ws.id)'s paused rule as it was (R39):"] + rule, "Resume")
        case let .memberLimit(_, member, credits):
            let now = ws.memberLimits[member].map { "\(CountText.credits($0)) a month" } ?? "no limit"
            let next = credits.map { "Limit \(member) in \(ws.id) to \(CountText.credits($0)) a month." }
                ?? "Lift \(member)'s monthly limit in \(ws.id)."
            return (credits == nil ? "Lift monthly limit" : "Confirm monthly limit", [next, "Now: \(now) (R40)."],
                    credits == nil ? "Lift limit" : "Record limit")
        default:
            return ("Confirm", ["\(command)"], "Record")
        }
    }

    /// `When the available balance is at or below 100 credits,` / `ask for topup_100 ($100.00 → 1,000 credits).`
    private static func ruleLines(_ rule: AutoTopUpRule, ws: WorkspaceState, state: ConsoleState) -> [String] {
        let glyphs = state.session.glyphs
        let ask: String
        if let id = rule.pack, let pack = state.ledger.catalog.pack(id) {
            ask = "ask for \(id) (\(AmountFormat.dollars(pack.priceCents)) \(glyphs.arrow) \(CountText.credits(pack.credits)))."
        } else {
            ask = "ask for the smallest pack that brings it to \(CountText.credits(rule.targetBalance ?? 0))."
        }
        return ["In \(ws.id), when the available balance is at or below \(CountText.credits(rule.threshold)),", ask]
    }

    /// The dialog: the lines, then who records it.
    static func dialog(_ confirmation: SettingConfirmation, focus: DialogFocus, state: ConsoleState) -> DialogWidget {
        DialogWidget(title: confirmation.title,
                     lines: confirmation.lines.map { [Span($0)] } + [[Span("Recorded as \(state.session.actor); no credits move.", .dim)]],
                     cancel: "Cancel", confirm: confirmation.confirm, focus: focus, width: 76)
    }
}
