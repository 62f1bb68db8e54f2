extension Entry {
    /// Who acted, and for whom when a support agent acted on the owner's behalf: `maria for sam`.
    /// The one answer the console's history, the entry's detail and the command line all show.
    public var who: String { actor + (onBehalfOf.map { " for \($0)" } ?? "") }

    /// The exact action behind an entry in a few words, for history lines and confirmations:
    /// `AI graphic generation · job j-881`, `pack topup_200 ($200.00)`, `invoice inv-311 (Pro)`.
    public func what(catalog: Catalog) -> String {
        switch kind {
        case .charge, .refund:
            let name = action.flatMap(catalog.action)?.name ?? action ?? ""
            if let job { return "\(name) · job \(job)" }
            if let item { return "\(name) · item \(item)" }
            return name
        case .topup:
            let price = priceCents.map { " (\(AmountFormat.dollars($0)))" } ?? ""
            let behalf = onBehalfOf.map { " for \($0)" } ?? ""
            return "pack \(pack ?? "?")\(price)\(behalf)"
        case .grant:
            if let carried = rollover {
                return "\(AmountFormat.grouped(carried)) plan credits of grant #\(ref ?? 0) rolled over" + (expires.map { ", expire \($0.isoDate)" } ?? "")
            }
            if let invoice { return "invoice \(invoice) (\(plan.flatMap(catalog.plan)?.name ?? plan ?? "plan"))" }
            let until = expires.map { ", expires \($0.isoDate)" } ?? ""
            return "\(source?.rawValue ?? "grant"): \(reason ?? "")\(until)"
        case .adjustment:
            return (reverses.map { "reverses #\($0): " } ?? "") + (reason ?? "")
        case .hold:
            let name = action.flatMap(catalog.action)?.name ?? action ?? ""
            return "\(name) · job \(job ?? "?") · \(held ?? 0) held until \(expires?.iso8601 ?? "?")"
        case .release:
            let name = action.flatMap(catalog.action)?.name ?? action ?? ""
            return "\(name) · job \(job ?? "?") · \(held ?? 0) released (hold #\(ref ?? 0)\(reason.map { ", \($0)" } ?? ", job failed"))"
        case .void:
            return "grant #\(ref ?? 0) voided: \(reason ?? "")"
        case .expiry:
            return "credits of entry #\(ref ?? 0) expired" + (expires.map { " on \($0.isoDate)" } ?? "")
        case .initialize:
            return "ledger created with catalog \(self.catalog ?? "?")" + (clock == .test ? " on a test clock" : "")
        case .clockReset:
            return "clock put back behind entry #\(ref ?? 0): \(reason ?? "")"
        case .operator:
            return "\(name ?? "?") is a \(role ?? "?") agent"
        case .workspace:
            return "workspace created: \(name ?? "") (owner \(owner ?? "?"), plan \(plan ?? "?"), \(status?.rawValue ?? "active"))"
        case .member:
            return "\(member ?? "?") joined"
        case .memberLimit:
            return limit.map { "\(member ?? "?") may spend \(AmountFormat.grouped($0)) credits a month" } ?? "\(member ?? "?")'s monthly limit lifted"
        case .plan:
            return "plan changed to \(plan ?? "?")"
        case .trial:
            return status == .trial ? "free trial started" : "free trial ended"
        case .cancel:
            return "subscription cancelled"
        case .copilot:
            return "\(messages ?? 0) Copilot message(s), no credits"
        case .alert:
            switch alert {
            case .empty?: return "alert sent: out of credits"
            case .expiring?: return "warning sent: credits of entry #\(ref ?? 0) expire on \(expires?.isoDate ?? "?")"
            default: return "alert sent: balance at \(balance ?? 0)"
            }
        }
    }
}
