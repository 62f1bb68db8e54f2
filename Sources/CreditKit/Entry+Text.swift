extension Entry {
    /// Who acted, and for whom when a support agent acted on the owner's behalf: `maria for sam`;
    /// with the role that really acted under `--as` on PostgreSQL: `lee (by ann)`.
    /// The one answer the console's history, the entry's detail and the command line all show.
    public var who: String { actor + (onBehalfOf.map { " for \($0)" } ?? "") + (by.map { " (by \($0))" } ?? "") }

    /// What an expiry entry did (S3): `credits of entry #3 expired on 2026-02-01`, or, for plan
    /// credits a renewal expired before their date, `… expired on 2026-01-31 at the renewal (due
    /// 2026-02-01)`: the day is never later than the entry's own.
    public var expiryText: String {
        let head = "credits of entry #\(ref ?? 0) expired"
        guard let expires else { return head + " on \(time.isoDate)" }
        guard time < expires else { return head + " on \(expires.isoDate)" }
        return head + " on \(time.isoDate) at the renewal (due \(expires.isoDate))"
    }

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
            let answers = ref.map { " · answers top-up request \(AutoTopUpPolicy.requestIDPrefix)\($0)" } ?? ""
            return "pack \(pack ?? "?")\(price)\(behalf)\(answers)"
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
            return expiryText
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
        case .memberRemoved:
            return "\(member ?? "?") removed: \(reason ?? "")"
        case .operatorRemoved:
            return "\(name ?? "?") is no longer a \(role ?? "support") agent: \(reason ?? "")"
        case .memberLimit:
            return limit.map { "\(member ?? "?") may spend \(CountText.credits($0)) a month" } ?? "\(member ?? "?")'s monthly limit lifted"
        case .plan:
            return "plan changed to \(plan ?? "?")"
        case .trial:
            return status == .trial ? "free trial started" : "free trial ended"
        case .cancel:
            return "subscription cancelled"
        case .copilot:
            return "\(messages ?? 0) Copilot message(s), no credits"
        case .autoTopUp, .autoTopUpOff, .topUpDeclined:
            return autoTopUpText
        case .alert:
            if let text = autoTopUpAlertText { return text }
            switch alert {
            case .empty?: return "alert sent: out of credits"
            case .expiring?: return "warning sent: credits of entry #\(ref ?? 0) expire on \(expires?.isoDate ?? "?")"
            default: return "alert sent: balance at \(balance ?? 0)"
            }
        }
    }
}

extension Entry {
    /// R37, R39: an auto top-up record in a few words.
    var autoTopUpText: String {
        switch kind {
        case .autoTopUp:
            let what = pack.map { "ask for \($0)" } ?? "top up to \(target ?? 0)"
            return "auto top-up: at \(threshold ?? 0) available or below, \(what), at most \(AmountFormat.dollars(capCents ?? 0)) a month"
        case .autoTopUpOff: return "auto top-up switched off"
        default: return "top-up request \(request ?? "?") declined" + (reason.map { ": \($0)" } ?? "")
        }
    }

    /// R37–R39: an auto top-up alert in a few words; nil for another alert.
    var autoTopUpAlertText: String? {
        switch alert {
        case .topUpRequest?:
            return "top-up request \(request ?? "?") sent: \(pack ?? "?") (\(AmountFormat.dollars(priceCents ?? 0)))"
        case .autoTopUp80?, .autoTopUp90?, .autoTopUp100?:
            return "warning sent: auto top-ups reached \(alert?.capPercent ?? 0)% of the monthly cap"
        case .autoTopUpCapReached?: return "alert sent: the monthly auto top-up cap is reached; no request written"
        case .autoTopUpPaused?: return "alert sent: auto top-up paused after \(AutoTopUpPolicy.declinesToPause) declines in a row"
        default: return nil
        }
    }
}
