import CreditKit

/// R37–R39 on the workspace screen: the rule, this month's auto top-up spend against the cap,
/// and the pending request, on the alerts line (before R24's alerts, which follow as room allows).
extension WorkspaceScreen {
    /// `Auto top-up pending auto-41 topup_50 · ≤20 → topup_50 · $50 of $100 this month · `: what
    /// needs someone leads (a pending request, a paused or backing-off rule, the spend at 80% of
    /// the cap or more), the rule and a calm spend follow, so 80 columns cut what can wait.
    /// Empty when the workspace has no rule.
    static func autoTopUpSpans(_ ws: WorkspaceState, state: ConsoleState) -> [Span] {
        let view = AutoTopUpView(ws.autoTopUp, at: state.now)
        guard let rule = view.rule else { return [] }
        let glyphs = state.session.glyphs
        let arrow = glyphs.ascii ? "->" : "→"
        let what = rule.pack ?? "to \(AmountFormat.grouped(rule.targetBalance ?? 0))"
        let capStyle: StyleToken = view.percentOfCap >= 100 ? .negative : (view.percentOfCap >= 80 ? .warning : .normal)
        let spend = Span("\(AmountFormat.dollarsShort(view.spentCents)) of \(AmountFormat.dollarsShort(rule.capCents)) this month", capStyle, whole: true)
        var lead: [Span] = []
        if let pending = view.pending { lead.append(Span("pending \(pending.id) \(pending.pack)", .warning, whole: true)) }
        switch view.status {
        case .paused: lead.append(Span("paused after \(view.declinesInARow) declines", .negative, whole: true))
        case .backingOff: lead.append(Span("declined, retry \(TimeText.day(view.backoffUntil ?? state.now, now: state.now))", .warning, whole: true))
        default: break
        }
        let capNear = capStyle != .normal
        if capNear { lead.append(spend) }
        let rest = [Span("\(glyphs.ascii ? "<=" : "≤")\(AmountFormat.grouped(rule.threshold)) \(arrow) \(what)", whole: true)] + (capNear ? [] : [spend])
        let dot = Span(" \(glyphs.dot) ", .dim)
        var spans = [Span("Auto top-up ", .dim)]
        for (index, part) in (lead + rest).enumerated() {
            if index > 0 { spans.append(dot) }
            spans.append(part)
        }
        return spans + [dot]
    }
}
