import CreditKit

/// `auto-topup show` as text and as JSON (R37–R39).
enum AutoTopUpText {
    /// `{"workspace", "status", "below", "pack" | "to_balance", "monthly_cap_cents", "month",
    /// "spent_cents", "pending": {...}, "declines_in_a_row", "backoff_until"}`; an absent key is
    /// left out, never null (CONTRACT.md).
    static func json(_ view: AutoTopUpView, workspace: String) -> JSONValue {
        var object = JSONObjectBuilder()
        object.add("workspace", workspace)
        object.add("status", view.status.rawValue)
        object.add("below", view.rule?.threshold)
        object.add("pack", view.rule?.pack)
        object.add("to_balance", view.rule?.targetBalance)
        object.add("monthly_cap_cents", view.rule?.capCents)
        object.add("month", String(view.month.isoDate.prefix(7)))
        object.add("spent_cents", view.spentCents)
        if let pending = view.pending {
            var request = JSONObjectBuilder()
            request.add("request", pending.id)
            request.add("seq", pending.seq)
            request.add("pack", pending.pack)
            request.add("price_cents", pending.priceCents)
            request.add("time", pending.time.iso8601)
            object.add("pending", request.value)
        }
        object.add("declines_in_a_row", view.declinesInARow)
        object.add("backoff_until", view.backoffUntil?.iso8601)
        return object.value
    }

    /// A few lines for people.
    static func lines(_ view: AutoTopUpView, workspace: String) -> [String] {
        guard let rule = view.rule else {
            return ["\(workspace): auto top-up is off · \(AmountFormat.dollars(view.spentCents)) of auto top-ups this month"]
        }
        let what = rule.pack.map { "ask for \($0)" } ?? "top up to \(AmountFormat.grouped(rule.targetBalance ?? 0)) available"
        var lines = ["\(workspace): auto top-up \(view.status.rawValue.replacingOccurrences(of: "_", with: " "))",
                     "  at \(AmountFormat.grouped(rule.threshold)) available or below, \(what)",
                     "  this month \(AmountFormat.dollars(view.spentCents)) of \(AmountFormat.dollars(rule.capCents)) (\(view.percentOfCap)%)"]
        if let pending = view.pending {
            lines.append("  pending request \(pending.id): \(pending.pack) (\(AmountFormat.dollars(pending.priceCents))) since \(pending.time.iso8601)")
        }
        if view.declinesInARow > 0 { lines.append("  \(view.declinesInARow) declined in a row" + (view.backoffUntil.map { "; next request not before \($0.iso8601)" } ?? "")) }
        return lines
    }
}
