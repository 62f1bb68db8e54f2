import CreditKit

/// R37–R39 on the workspace screen: the rule, this month's auto top-up spend against the cap,
/// and the pending request, on the alerts line (before R24's alerts, which follow as room allows).
extension WorkspaceScreen {
    /// `Auto top-up ≤20 → topup_50 · $50.00 of $100.00 this month · pending auto-41 · `; none
    /// when the workspace has no rule and nothing pending.
    static func autoTopUpSpans(_ ws: WorkspaceState, state: ConsoleState) -> [Span] {
        let view = AutoTopUpView(ws.autoTopUp, at: state.now)
        guard let rule = view.rule else { return [] }
        let glyphs = state.session.glyphs
        let dot = Span(" \(glyphs.dot) ", .dim)
        let arrow = glyphs.ascii ? "->" : "→"
        let what = rule.pack ?? "to \(AmountFormat.grouped(rule.targetBalance ?? 0))"
        var spans = [Span("Auto top-up ", .dim), Span("\(glyphs.ascii ? "<=" : "≤")\(AmountFormat.grouped(rule.threshold)) \(arrow) \(what)", whole: true), dot]
        let capStyle: StyleToken = view.percentOfCap >= 100 ? .negative : (view.percentOfCap >= 80 ? .warning : .normal)
        spans.append(Span("\(AmountFormat.dollarsShort(view.spentCents)) of \(AmountFormat.dollarsShort(rule.capCents)) this month", capStyle, whole: true))
        switch view.status {
        case .paused: spans += [dot, Span("paused after \(view.declinesInARow) declines", .negative, whole: true)]
        case .backingOff: spans += [dot, Span("declined, retry \(TimeText.day(view.backoffUntil ?? state.now))", .warning, whole: true)]
        default: break
        }
        if let pending = view.pending {
            spans += [dot, Span("pending \(pending.id) \(pending.pack)", .warning, whole: true)]
        }
        return spans + [dot]
    }
}
