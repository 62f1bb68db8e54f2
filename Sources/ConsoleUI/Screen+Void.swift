import CreditKit

/// The void form (R36): the grant, what is left of it by burn order (S3), the reason field, and
/// the balance and available balance after.
enum VoidScreen {
    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: VoidModel) {
        guard let ws = state.workspaceNow(model.grant.workspace ?? "") else { return }
        let glyphs = state.session.glyphs
        let grant = model.grant
        let width = grid.width - 1
        Chrome.formHeader(&grid, state, ws, title: "Void grant #\(grant.seq)",
                          intro: " Take back what is left of this grant; what was spent stays spent (R36).")
        let source = grant.source.map { " \($0.rawValue)" } ?? ""
        grid.putFitted([Span("  grant\(source) #\(grant.seq) ", .title), Span(AmountFormat.signed(model.granted), .positive, whole: true),
                        Span(" \(glyphs.dot) \(TimeText.short(grant.time)) \(glyphs.dot) \(grant.who) \(glyphs.dot) \(grant.what(catalog: state.ledger.catalog))", .dim)],
                       x: 0, y: 4, limit: width, ellipsis: glyphs.ellipsis)
        let expires = grant.expires.map { " \(glyphs.dot) expires \(TimeText.day($0, now: state.now))" } ?? ""
        grid.putFitted([Span("  Left of it by burn order (S3): "), Span(AmountFormat.grouped(model.remaining), .title, whole: true),
                        Span(" of \(CountText.credits(model.granted))\(expires)", .dim)],
                       x: 0, y: 5, limit: width, ellipsis: glyphs.ellipsis)
        FormField.draw(&grid, x: 2, y: 7, label: "Reason", value: model.reason, width: max(10, grid.width - 12), focused: true, glyphs: glyphs)
        grid.putFitted(afterSpans(remaining: model.remaining, balance: ws.balance, held: ws.held, state: state), x: 0, y: 9, limit: width,
                       ellipsis: glyphs.ellipsis)
        let lines = FormProblem.draw(&grid, model.problem, y: 11, glyphs: glyphs)
        grid.put(Fit.cut("  Recorded as \(state.session.actor) (support); the void entry points at grant #\(grant.seq).", width,
                         ellipsis: glyphs.ellipsis), x: 0, y: FormProblem.rowAfter(11, lines: lines, usual: 13), style: .dim, limit: width)
    }

    /// `  Void -276 credits · balance 1,000 → 724 (● comfortable) · available 976 → 700`.
    static func afterSpans(remaining: Credits, balance: Credits, held: Credits, state: ConsoleState) -> [Span] {
        let glyphs = state.session.glyphs
        let after = balance - remaining
        let level = state.badge(after - held)
        var spans = [Span("  Void "), Span("\(CountText.signedCredits(-remaining))", .negative, whole: true),
                     Span(" \(glyphs.dot) balance \(AmountFormat.grouped(balance)) \(glyphs.arrow) "),
                     Span(AmountFormat.grouped(after), .title, whole: true),
                     Span(" (\(level.glyph(ascii: glyphs.ascii)) \(level.word))", StyleToken.badge(level), whole: true)]
        if held > 0 {
            spans += [Span(" \(glyphs.dot) available \(AmountFormat.grouped(balance - held)) \(glyphs.arrow) "),
                      Span(AmountFormat.grouped(after - held), .title, whole: true)]
        }
        return spans
    }

    /// The confirmation: the grant, what the void removes, the reason, the balance before and after.
    static func dialog(_ confirmation: VoidConfirmation, focus: DialogFocus, state: ConsoleState) -> DialogWidget {
        let glyphs = state.session.glyphs
        let grant = confirmation.grant
        let level = state.badge(confirmation.balanceAfter - confirmation.held)
        var balance = [Span("Balance \(AmountFormat.grouped(confirmation.balanceBefore)) \(glyphs.arrow) "),
                       Span(AmountFormat.grouped(confirmation.balanceAfter), .title),
                       Span(" (\(level.glyph(ascii: glyphs.ascii)) \(level.word))", StyleToken.badge(level))]
        if confirmation.held > 0 {
            balance.append(Span(" \(glyphs.dot) available \(AmountFormat.grouped(confirmation.balanceAfter - confirmation.held))"))
        }
        return DialogWidget(title: "Confirm void", lines: [
            [Span("Void grant #\(grant.seq) in \(grant.workspace ?? ""): "),
             Span("\(CountText.signedCredits(-confirmation.remaining))", .negative)],
            [Span("Reason: "), Span(Fit.cut(confirmation.reason, 46, ellipsis: glyphs.ellipsis), .title)],
            balance,
            [Span("What was spent of it stays spent.", .dim)],
        ], cancel: "Cancel", confirm: "Record void", focus: focus)
    }
}
