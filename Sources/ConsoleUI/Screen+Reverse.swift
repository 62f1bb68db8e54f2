import CreditKit

/// The reversal form: what is undone, the reason field, and the balance after.
enum ReverseScreen {
    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: ReverseModel) {
        guard let ws = state.ledger.workspaces[model.entry.workspace ?? ""] else { return }
        let glyphs = state.session.glyphs
        let entry = model.entry
        Chrome.formHeader(&grid, state, ws, title: "Reverse entry #\(entry.seq)",
                          intro: " Undo this \(entry.kind.rawValue) by a linked entry; the reason is kept in the history.")
        grid.put([Span("  \(entry.kind.rawValue) #\(entry.seq) ", .title), Span(AmountFormat.signed(entry.credits), entry.credits < 0 ? .negative : .positive),
                  Span(" \(glyphs.dot) \(TimeText.short(entry.time)) \(glyphs.dot) \(entry.actor) \(glyphs.dot) \(entry.what(catalog: state.ledger.catalog))", .dim)],
                 x: 0, y: 4, limit: grid.width - 1)
        FormField.draw(&grid, x: 2, y: 6, label: "Reason", value: model.reason, width: max(10, grid.width - 12),
                       focused: true, glyphs: glyphs)
        let after = ws.balance - entry.credits
        let level = state.badge(after)
        if after < 0 {
            grid.put("  Balance \(AmountFormat.grouped(ws.balance)): taking back \(AmountFormat.grouped(entry.credits)) would go below zero.",
                     x: 0, y: 8, style: .error, limit: grid.width - 1)
        } else {
            grid.put([Span("  Reversal \(CountText.signedCredits(-entry.credits)) \(glyphs.dot) balance \(AmountFormat.grouped(ws.balance)) \(glyphs.arrow) "),
                      Span(AmountFormat.grouped(after), .title),
                      Span(" (\(level.glyph(ascii: glyphs.ascii)) \(level.word))", StyleToken.badge(level))], x: 0, y: 8, limit: grid.width - 1)
        }
        let lines = FormProblem.draw(&grid, model.problem, y: 10, glyphs: glyphs)
        grid.put("  Recorded as \(state.session.actor) (support); entry #\(entry.seq) then shows \"reversed by\".", x: 0,
                 y: FormProblem.rowAfter(10, lines: lines, usual: 12), style: .dim, limit: grid.width - 1)
    }

    /// The confirmation: what is undone, the reason, the balance before and after.
    static func dialog(_ confirmation: ReversalConfirmation, focus: DialogFocus, state: ConsoleState) -> DialogWidget {
        let glyphs = state.session.glyphs
        let entry = confirmation.entry
        let level = state.badge(confirmation.balanceAfter)
        return DialogWidget(title: "Confirm reversal", lines: [
            [Span("Reverse \(entry.kind.rawValue) #\(entry.seq) in \(entry.workspace ?? "") by "),
             Span("\(CountText.signedCredits(-entry.credits))", entry.credits > 0 ? .negative : .positive)],
            [Span("Reason: "), Span(Fit.cut(confirmation.reason, 46, ellipsis: glyphs.ellipsis), .title)],
            [Span("Balance \(AmountFormat.grouped(confirmation.balanceBefore)) \(glyphs.arrow) "),
             Span(AmountFormat.grouped(confirmation.balanceAfter), .title),
             Span(" (\(level.glyph(ascii: glyphs.ascii)) \(level.word))", StyleToken.badge(level))],
            [Span("Both entries will point at each other.", .dim)],
        ], cancel: "Cancel", confirm: "Record reversal", focus: focus)
    }
}
