import ConsoleUI
import CreditKit

/// Plain-text views for people at a terminal: the workspace table, a balance card, a history.
enum TextTable {
    static func workspaces(_ rows: [WorkspaceSummary], state: LedgerState, unicode: Bool) -> String {
        guard !rows.isEmpty else { return "no workspaces visible to you" }
        // Columns widen to their longest value, so a long id never runs into the plan.
        func planName(_ ws: WorkspaceSummary) -> String { FreeText.shown(state.catalog.plan(ws.plan)?.name ?? ws.plan) }
        let idWidth = max(22, (rows.map(\.id.count).max() ?? 0) + 2)
        let planWidth = max(12, (rows.map { CellWidth.of(planName($0)) }.max() ?? 0) + 2)
        var lines = ["Workspace".padding(idWidth) + "Plan".padding(planWidth) + "Status".padding(11) + "Balance".leftPadding(10) + "  " + "Badge".padding(14) + "Owner"]
        for ws in rows {
            let badge = state.badge(for: ws.available)
            let held = ws.held > 0 ? " (\(AmountFormat.grouped(ws.held)) held)" : ""
            lines.append(ws.id.padding(idWidth) + planName(ws).padding(planWidth) + ws.status.rawValue.padding(11)
                + AmountFormat.grouped(ws.balance).leftPadding(10) + "  " + "\(badge.glyph(ascii: !unicode)) \(badge.word)".padding(14) + FreeText.shown(ws.owner) + held)
        }
        lines.append("(\(rows.count) workspace\(rows.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n")
    }

    static func balance(_ ws: WorkspaceState, state: LedgerState, now: Timestamp, unicode: Bool) -> String {
        let catalog = state.catalog
        let badge = state.badge(for: ws.available)
        let plan = catalog.plan(ws.plan)
        var lines = [
            "\(FreeText.shown(ws.name)) (\(ws.id)) · \(FreeText.shown(plan?.name ?? ws.plan)) · \(ws.status.rawValue) · owner \(FreeText.shown(ws.owner))",
            "  \(badge.glyph(ascii: !unicode)) \(badge.word.uppercased())   \(CountText.credits(ws.balance))",
            "  lifetime earned \(AmountFormat.grouped(ws.earned)) · spent \(AmountFormat.grouped(ws.spent))",
        ]
        if ws.held > 0 {
            lines.append("  held \(AmountFormat.grouped(ws.held)) for \(ws.holds.count) running job\(ws.holds.count == 1 ? "" : "s") · available \(AmountFormat.grouped(ws.available))")
        }
        switch ws.status {
        case .active: lines.append("  next grant +\(plan?.monthlyGrant ?? 0) when the next invoice is paid")
        case .trial: lines.append("  free trial: no invoice, no grant; runs on top-ups")
        case .cancelled: lines.append("  cancelled: the balance stays usable; no more grants")
        }
        func alert(_ armed: Bool, _ sent: Timestamp?) -> String {
            armed ? "armed" : (sent.map { "sent \($0.isoDate)" } ?? "not armed (balance never above it)")
        }
        lines.append("  alerts: low \(alert(ws.alerts.lowArmed, ws.alerts.lastLowSent)) · out \(alert(ws.alerts.emptyArmed, ws.alerts.lastEmptySent))")
        lines.append("  copilot: \(ws.copilotUsed) of \(plan?.copilotMessages ?? 0) messages this period (no credits)")
        if !ws.members.isEmpty { lines.append("  members: " + FreeText.shown(ws.members.joined(separator: ", "))) }
        if let warnDays = catalog.expiry?.warnDays, let soon = ws.expiringSoon(after: now, withinDays: warnDays) {
            lines.append("  warning: \(CountText.credits(soon.credits)) expire by \(soon.first.isoDate)")
        }
        return lines.joined(separator: "\n")
    }

    /// The history table; the first `pending` rows are due expiries not yet written (S3).
    static func history(_ entries: [Entry], catalog: Catalog, pending: Int = 0) -> String {
        guard !entries.isEmpty else { return "no entries" }
        let whoWidth = max(12, (entries.map { CellWidth.of(FreeText.shown($0.who)) }.max() ?? 0) + 2)
        var lines = ["Seq".leftPadding(7) + "  " + "Time".padding(21) + "Kind".padding(11) + "Credits".leftPadding(9) + "Balance".leftPadding(9) + "  " + "Who".padding(whoWidth) + "What"]
        for (row, entry) in entries.enumerated() {
            lines.append((row < pending ? "pending" : String(entry.seq)).leftPadding(7) + "  " + entry.time.iso8601.padding(21) + entry.kind.rawValue.padding(11)
                + creditsColumn(entry).leftPadding(9) + AmountFormat.grouped(entry.balance ?? 0).leftPadding(9) + "  "
                + FreeText.shown(entry.who).padding(whoWidth) + FreeText.shown(entry.what(catalog: catalog)))
        }
        return lines.joined(separator: "\n")
    }

    /// An entry's signed credits; for a rollover (R41), which moves credits between grants and
    /// not the balance, what it carried, in brackets, as the console shows it.
    static func creditsColumn(_ entry: Entry) -> String {
        if let carried = entry.rollover { return "(\(AmountFormat.grouped(carried)))" }
        return AmountFormat.signed(entry.credits)
    }
}
