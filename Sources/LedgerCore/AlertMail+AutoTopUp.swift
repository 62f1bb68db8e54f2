import CreditKit

/// R37–R39 as mail: a top-up request for the billing side, and the cap warnings, the
/// cap-reached alert and the pause for the owner, in the same RFC 5322 shape as R24's alerts.
extension AlertMail {
    /// Where top-up requests go: the billing side's mailbox.
    public static let billingAddress = "billing@creditdesk.localhost"

    /// The message for an auto top-up alert record; nil for any other alert.
    static func composeAutoTopUp(alert: Entry, workspace: WorkspaceState) -> AlertMessage? {
        guard let kind = alert.alert, let (subject, what) = autoTopUpWords(kind, alert: alert, workspace: workspace) else { return nil }
        let toBilling = kind == .topUpRequest
        let auto = workspace.autoTopUp
        let cap = auto.rule.map { AmountFormat.dollars($0.capCents) } ?? "?"
        let body = """
        Hello \(toBilling ? "billing" : FreeText.shown(workspace.owner)),

        \(what)

        Auto top-ups this month: \(AmountFormat.dollars(auto.spentCents(at: alert.time))) of \(cap)
        Balance: \(CountText.credits(alert.balance ?? workspace.balance))
        Caused by: entry #\(alert.ref ?? 0) at \(alert.time.iso8601)

        \(toBilling ? answerLines(alert, workspace: workspace.id) : "Change the rule with: creditdesk auto-topup set \(workspace.id) ... (or resume)")

        -- CreditDesk
        """
        var headers = [
            "From: CreditDesk <creditdesk@localhost>",
            "To: " + (toBilling ? "CreditDesk billing <\(billingAddress)>" : recipient(workspace.owner)),
            "Subject: " + encodedHeader("[CreditDesk] " + subject, after: "Subject: "),
            "Date: \(rfc5322Date(alert.time))",
            "Message-ID: <\(alert.seq).\(kind.rawValue).\(messageIDPart(workspace.id))@creditdesk.localhost>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "X-CreditDesk-Workspace: \(workspace.id)",
            "X-CreditDesk-Alert: \(kind.rawValue)",
        ]
        if toBilling {
            headers.append("X-CreditDesk-Request: \(alert.request ?? "")")
            headers.append("X-CreditDesk-Pack: \(alert.pack ?? "")")
        }
        return AlertMessage(seq: alert.seq, to: toBilling ? billingAddress : (address(of: workspace.owner) ?? ""), subject: subject,
                            text: headers.joined(separator: "\n") + "\n\n" + body + "\n")
    }

    /// How the billing side answers a request.
    private static func answerLines(_ alert: Entry, workspace id: String) -> String {
        """
        Charge the card on file, then answer with one of:
          creditdesk topup \(id) \(alert.pack ?? "PACK") --payment PAYMENT-ID
          creditdesk topup-declined \(id) --request \(alert.request ?? "ID") --reason TEXT
        """
    }

    /// The subject and first paragraph of each auto top-up alert.
    private static func autoTopUpWords(_ kind: AlertKind, alert: Entry, workspace ws: WorkspaceState) -> (String, String)? {
        let name = FreeText.shown(ws.name)
        switch kind {
        case .topUpRequest:
            let price = AmountFormat.dollars(alert.priceCents ?? 0)
            return ("top-up request \(alert.request ?? "") for \(ws.id): \(alert.pack ?? "") (\(price))",
                    "The available balance of \(name) (\(ws.id)) is at or below its auto top-up threshold. "
                        + "Request \(alert.request ?? "") asks for \(alert.pack ?? "") (\(price)).")
        case .autoTopUp80, .autoTopUp90, .autoTopUp100:
            let percent = kind.capPercent ?? 0
            return ("\(name): auto top-ups at \(percent)% of the monthly cap",
                    "Auto top-ups of \(name) (\(ws.id)) this month reached \(percent)% of the monthly cap.")
        case .autoTopUpCapReached:
            return ("\(name): monthly auto top-up cap reached",
                    "The available balance of \(name) (\(ws.id)) is low, but another auto top-up would pass the monthly cap, "
                        + "so none was requested. Buy a pack, or raise the cap.")
        case .autoTopUpPaused:
            return ("\(name): auto top-up paused",
                    "The last \(AutoTopUpPolicy.declinesToPause) top-up payments of \(name) (\(ws.id)) were declined, "
                        + "so auto top-up is paused. Check the card on file, then resume it.")
        default:
            return nil
        }
    }
}
