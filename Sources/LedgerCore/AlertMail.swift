import CreditKit

/// Composes R24 alerts as RFC 5322 messages, the same bytes whichever backend keeps them.
public enum AlertMail {
    /// Where the message is addressed: the owner's name when it is an address, else a local
    /// mailbox; nil when the owner (from an older ledger) is not one valid address.
    public static func address(of owner: String) -> String? {
        MailAddress.isValid(owner) ? MailAddress.address(of: owner) : nil
    }

    /// An encoded word carries at most this many characters (RFC 2047 §2).
    static let encodedWordLengthMax = 75
    /// A header line is folded before this many characters (RFC 5322 §2.1.1).
    static let headerLineLengthMax = 78

    /// Composes the message for the alert record `alert` of `workspace` (as folded with it).
    public static func compose(alert: Entry, workspace: WorkspaceState, catalog: Catalog) -> AlertMessage {
        let balance = alert.balance ?? workspace.balance
        let name = FreeText.shown(workspace.name)
        let owner = FreeText.shown(workspace.owner)
        if let mail = composeAutoTopUp(alert: alert, workspace: workspace) { return mail }
        let subject: String
        let what: String
        switch alert.alert ?? .low {
        case .low:
            subject = "\(name): credits running low (\(balance) left)"
            what = "The credit balance of \(name) (\(workspace.id)) dropped to \(CountText.credits(balance)), "
                + "at or below the alert level of \(catalog.alerts.lowAtOrBelow)."
        case .expiring:
            let date = alert.expires?.isoDate ?? "soon"
            subject = "\(name): credits expire on \(date)"
            let credits = workspace.buckets.first { $0.seq == alert.ref }?.remaining ?? 0
            what = "\(CountText.credits(credits)) of \(name) (\(workspace.id)) expire on \(date). "
                + "Credits burn soonest-expiring first, so using them before then spends these first."
        case .empty:
            subject = "\(name): out of credits"
            what = "The credit balance of \(name) (\(workspace.id)) reached 0. "
                + "Charged actions (AI generations, print files, clones) are refused until credits are added."
        default:
            subject = "\(name): alert"
            what = "An alert was raised for \(name) (\(workspace.id))."
        }
        let best = catalog.bestValuePack
        let packs = catalog.packs.map { pack in
            "  \(pack.id): \(AmountFormat.dollars(pack.priceCents)) for \(CountText.credits(pack.credits))"
                + (pack == best ? " (best value)" : "")
        }.joined(separator: "\n")
        let body = """
        Hello \(owner),

        \(what)

        Balance: \(CountText.credits(balance))
        Caused by: entry #\(alert.ref ?? 0) at \(alert.time.iso8601)
        Plan: \(catalog.plan(workspace.plan)?.name ?? workspace.plan)

        To top up, buy a pack (credits land at once):
        \(packs)

        From the command line: creditdesk topup \(workspace.id) PACK

        You get this message once per crossing; it is sent again only after the
        balance has risen above the alert level and dropped again.

        -- CreditDesk
        """
        let headers = [
            "From: CreditDesk <creditdesk@localhost>",
            "To: " + recipient(workspace.owner),
            "Subject: " + encodedHeader("[CreditDesk] " + subject, after: "Subject: "),
            "Date: \(rfc5322Date(alert.time))",
            "Message-ID: <\(alert.seq).\(alert.alert?.rawValue ?? "alert").\(messageIDPart(workspace.id))@creditdesk.localhost>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "X-CreditDesk-Workspace: \(workspace.id)",
            "X-CreditDesk-Alert: \(alert.alert?.rawValue ?? "alert")",
        ]
        return AlertMessage(seq: alert.seq, to: address(of: workspace.owner) ?? "", subject: subject,
                            text: headers.joined(separator: "\n") + "\n\n" + body + "\n")
    }

    /// The `To:` value: exactly one mailbox, `"owner" <address>`; for an owner that is not one
    /// valid address (an older ledger), the empty group `undisclosed-recipients:;`, which
    /// `sendmail -t` delivers to nobody.
    package static func recipient(_ owner: String) -> String {
        guard let address = address(of: owner) else { return "undisclosed-recipients:;" }
        return "\"\(owner)\" <\(address)>"
    }

    /// A workspace id as the dot-atom of a Message-ID: dots that could make an empty atom become `-`.
    package static func messageIDPart(_ id: String) -> String {
        String(id.map { $0 == "." ? "-" : $0 })
    }

    /// An unstructured header value (RFC 5322 §3.2.5): as is when short printable ASCII with
    /// nothing that reads as an encoded word, else RFC 2047 encoded words (UTF-8, base64) of at
    /// most 75 characters, each holding whole scalars, folded onto continuation lines.
    /// Steering characters are shown as U+FFFD first (`FreeText.shown`).
    package static func encodedHeader(_ text: String, after label: String = "") -> String {
        let shown = FreeText.shown(text)
        let plain = shown.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value < 127 }
        if plain && !shown.contains("=?") && label.count + shown.count <= headerLineLengthMax { return shown }
        let prefix = "=?utf-8?B?", suffix = "?="
        let room = min(encodedWordLengthMax, headerLineLengthMax - max(label.count, 1))
        let bytesMax = (room - prefix.count - suffix.count) / 4 * 3
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in shown.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesMax {
                words.append(prefix + Base64.encode(chunk) + suffix)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(prefix + Base64.encode(chunk) + suffix) }
        return words.joined(separator: "\n ")
    }

    /// `Sun, 22 Nov 2026 05:30:00 +0000`.
    package static func rfc5322Date(_ time: Timestamp) -> String {
        let days = Int((time.secondsSinceEpoch >= 0 ? time.secondsSinceEpoch : time.secondsSinceEpoch - 86_399) / 86_400)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((days % 7) + 7) % 7]
        let c = time.civil
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(c.day)) \(months[Int(c.month - 1)]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
