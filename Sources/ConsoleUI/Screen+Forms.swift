import CreditKit

/// The adjustment form (R19): amount and required reason, with the balance after shown live.
enum AdjustScreen {
    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: AdjustModel) {
        guard let ws = state.workspaceNow(model.workspace) else { return }
        let glyphs = state.session.glyphs
        Chrome.header(&grid, state, title: "Adjust \(ws.name)", right: Chrome.balanceSpans(ws, state: state))
        grid.put(" Add or remove credits by hand; the reason is required and kept in the history.", x: 0, y: 2, style: .dim)
        let fieldEnd = FormField.draw(&grid, x: 2, y: 4, label: "Amount (credits, + or -)", value: model.amount.text,
                                      width: NumberFieldView.width(model.amount), focused: model.focus == .amount, glyphs: glyphs)
        NumberFieldView.note(&grid, model.amount, x: fieldEnd + 1, y: 4)
        FormField.draw(&grid, x: 2, y: 6, label: "Reason                  ", value: model.reason, width: max(10, grid.width - 30),
                       focused: model.focus == .reason, glyphs: glyphs)
        if let amount = model.amount.value, amount != 0 {
            let after = ws.balance + amount
            let level = state.badge(after)
            if after < 0 {
                grid.put("  Balance \(AmountFormat.grouped(ws.balance)): removing \(AmountFormat.grouped(-amount)) would take it below zero, which is not allowed.",
                         x: 0, y: 8, style: .error)
            } else {
                grid.put([Span("  Balance \(AmountFormat.grouped(ws.balance)) \(glyphs.arrow) "), Span(AmountFormat.grouped(after), .title),
                          Span(" (\(level.glyph(ascii: glyphs.ascii)) \(level.word))", StyleToken.badge(level))], x: 0, y: 8)
            }
        } else {
            grid.put("  Balance \(AmountFormat.grouped(ws.balance)): type an amount to see the balance after.", x: 0, y: 8, style: .dim)
        }
        let lines = FormProblem.draw(&grid, model.problem, y: 10, glyphs: glyphs)
        grid.put("  Recorded as \(state.session.actor) (support) at the time of confirming.", x: 0,
                 y: FormProblem.rowAfter(10, lines: lines, usual: 12), style: .dim)
    }
}

/// A form's problem line (a refusal, a field that needs fixing), wrapped to as many lines as it
/// needs, so the point of a long refusal is never cut off at 80 columns.
enum FormProblem {
    /// Rows kept free under the problem: the form's footer line, the key hints and the status line.
    static let rowsKeptBelow = 4

    /// Draws `problem` from row `y`, indented two cells; returns the rows it took (0 for none).
    @discardableResult
    static func draw(_ grid: inout Grid, _ problem: String?, y: Int, glyphs: Glyphs) -> Int {
        guard let problem else { return 0 }
        let lines = Fit.wrap(problem, max(1, grid.width - 3), lines: max(1, grid.height - rowsKeptBelow - y), ellipsis: glyphs.ellipsis)
        for (index, line) in lines.enumerated() { grid.put("  " + line, x: 0, y: y + index, style: .error) }
        return lines.count
    }

    /// The row after a problem drawn at `y` and a blank line, or `usual` when it fits above it.
    static func rowAfter(_ y: Int, lines: Int, usual: Int) -> Int { max(usual, y + lines + 1) }
}

/// How a number field shows its limit, and a refused key, beside the box.
enum NumberFieldView {
    /// Cells for the box: a space, a sign, the digits and the cursor.
    static func width(_ field: NumberField) -> Int { field.digitsMax + 3 + (field.fractionDigits > 0 ? field.fractionDigits + 1 : 0) }

    /// `whole credits, up to 9 digits` in dim, or the refusal of the last key in the error style.
    static func note(_ grid: inout Grid, _ field: NumberField, x: Int, y: Int) {
        if let refusal = field.refusal {
            grid.put("\(refusal.message) (Backspace to go on)", x: x, y: y, style: .error)
        } else {
            let what = field.fractionDigits > 0 ? "\(field.unit), cents after a point" : "whole \(field.unit)"
            grid.put("\(what), up to \(field.digitsMax) digits", x: x, y: y, style: .dim)
        }
    }
}

/// The budget planner (R25): monthly volumes per action, the credits needed, what the plan
/// grant and the balance cover, and the cheapest pack mix for the rest, recomputed as you type.
enum BudgetScreen {
    static func table(width: Int, glyphs: Glyphs) -> TableWidget {
        TableWidget(columns: [
            .init("Action", 24, flexible: true, limit: 40), .init("Each", 6, right: true), .init("Per month", 11),
            .init("Credits", 14, right: true),
        ], width: width, glyphs: glyphs)
    }

    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: BudgetModel) {
        let glyphs = state.session.glyphs
        let catalog = state.ledger.catalog
        let name = model.workspace.flatMap { state.ledger.workspaces[$0]?.name }
        Chrome.header(&grid, state, title: "Budget planner" + (name.map { " for \($0)" } ?? ""))
        let plan = model.plan.flatMap(catalog.plan)
        let planText = plan.map { "\($0.name) (grant \(AmountFormat.grouped($0.monthlyGrant))/month)" } ?? "no plan"
        grid.put([Span(" Plan ", .dim), Span(planText, .title), Span(" \(glyphs.dot) balance counted: ", .dim),
                  Span(AmountFormat.grouped(model.balance))], x: 0, y: 1)
        let table = table(width: grid.width, glyphs: glyphs)
        table.drawHeader(&grid, y: 2)
        let volumesShown = max(0, min(catalog.actions.count, grid.height - 14))
        for (index, action) in catalog.actions.prefix(volumesShown).enumerated() {
            let field = model.volumes.indices.contains(index) ? model.volumes[index] : NumberFieldLimits.volume()
            let credits = (field.value ?? 0) * action.credits
            let focused = index == model.focus
            let y = 3 + index
            table.drawRow(&grid, y: y, cells: [Span(action.name), Span(AmountFormat.grouped(action.credits), .dim), Span(""),
                                               Span(credits > 0 ? AmountFormat.grouped(credits) : glyphs.dash, credits > 0 ? .normal : .dim)],
                          selected: false)
            let fieldX = 2 + table.columns[0].width + 1 + table.columns[1].width + 1
            grid.fill(x: fieldX, y: y, width: table.columns[2].width, height: 1, style: focused ? .inputFocused : .input)
            grid.put(" " + FormField.scrolled(field.text, cursor: focused ? glyphs.cursor : "", room: max(0, table.columns[2].width - 1),
                                              ellipsis: glyphs.ellipsis), x: fieldX, y: y, style: focused ? .inputFocused : .input,
                     limit: table.columns[2].width)
            if focused { grid.put(glyphs.marker, x: 0, y: y, style: .title) }
        }
        // The focused field's limit, or why its last key was refused, under the table.
        if model.volumes.indices.contains(model.focus), model.focus < volumesShown {
            let field = model.volumes[model.focus]
            let text = field.refusal.map { "  \(catalog.actions[model.focus].name): \($0.message) (Backspace to go on)" }
                ?? "  Whole numbers, up to \(field.digitsMax) digits a month."
            grid.put(text, x: 0, y: 3 + volumesShown, style: field.refusal == nil ? .dim : .error)
        }
        var y = 4 + volumesShown
        if model.problem != nil {
            FormProblem.draw(&grid, model.problem, y: y, glyphs: glyphs)
            return
        }
        guard let budget = model.budget else { return }
        func line(_ label: String, _ value: String, _ style: StyleToken = .normal) {
            grid.put([Span("  " + Fit.pad(label, 22, ellipsis: glyphs.ellipsis), .dim), Span(value, style)], x: 0, y: y)
            y += 1
        }
        line("Credits needed", AmountFormat.grouped(budget.creditsNeeded), .title)
        line("Plan grant covers", AmountFormat.grouped(budget.coveredByGrant), .positive)
        line("Balance covers", AmountFormat.grouped(budget.coveredByBalance), .positive)
        line("Left to buy", AmountFormat.grouped(budget.toBuy), budget.toBuy > 0 ? .warning : .positive)
        if let packs = budget.packs {
            line("Cheapest packs", "\(packs.label) = \(AmountFormat.dollars(packs.priceCents)) for \(CountText.credits(packs.credits))", .money)
            let saving = budget.baseRateCents - packs.priceCents
            if saving > 0 {
                line("vs the base rate", "\(AmountFormat.dollars(budget.baseRateCents)): saves \(AmountFormat.dollars(saving))", .best)
            }
        } else if budget.creditsNeeded > 0 {
            line("Cheapest packs", "none needed this month", .positive)
        } else {
            line("", "Type how often each action runs in a month.", .dim)
        }
    }
}
