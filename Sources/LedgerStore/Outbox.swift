import CreditKit
import Foundation

/// An alert email (R24) waiting in, or delivered to, the ledger's Maildir outbox.
public struct OutboxMessage: Equatable, Sendable {
    /// The file name inside `outbox/new/`.
    public var fileName: String
    /// The full path of the delivered file.
    public var path: String
    /// The RFC 5322 message.
    public var text: String
    public var to: String
    public var subject: String
}

/// Writes R24 alerts as RFC 5322 messages into `DIR/outbox/` in Maildir layout.
public enum AlertMail {
    /// Where the message is addressed: the owner's name when it is an address, else a local mailbox.
    public static func address(of owner: String) -> String {
        owner.contains("@") ? owner : "\(owner)@localhost"
    }

    /// The Maildir file name of the alert record `alert`: unique, stable, and sortable by time.
    static func fileName(for alert: Entry) -> String {
        "\(alert.time.secondsSinceEpoch).S\(alert.seq)_\(alert.alert?.rawValue ?? "alert").creditdesk"
    }

    /// Composes the message for an alert record.
    static func compose(alert: Entry, workspace: WorkspaceState, catalog: Catalog) -> (to: String, subject: String, text: String) {
        let balance = alert.balance ?? workspace.balance
        let to = address(of: workspace.owner)
        let subject: String
        let what: String
        switch alert.alert ?? .low {
        case .low:
            subject = "\(workspace.name): credits running low (\(balance) left)"
            what = "The credit balance of \(workspace.name) (\(workspace.id)) dropped to \(balance) credits, "
                + "at or below the alert level of \(catalog.alerts.lowAtOrBelow)."
        case .expiring:
            let date = alert.expires?.isoDate ?? "soon"
            subject = "\(workspace.name): credits expire on \(date)"
            let credits = workspace.buckets.first { $0.seq == alert.ref }?.remaining ?? 0
            what = "\(credits) credits of \(workspace.name) (\(workspace.id)) expire on \(date). "
                + "Credits burn soonest-expiring first, so using them before then spends these first."
        case .empty:
            subject = "\(workspace.name): out of credits"
            what = "The credit balance of \(workspace.name) (\(workspace.id)) reached 0. "
                + "Charged actions (AI generations, print files, clones) are refused until credits are added."
        }
        let best = catalog.bestValuePack
        let packs = catalog.packs.map { pack in
            "  \(pack.id): \(AmountFormat.dollars(pack.priceCents)) for \(AmountFormat.grouped(pack.credits)) credits"
                + (pack == best ? " (best value)" : "")
        }.joined(separator: "\n")
        let body = """
        Hello \(workspace.owner),

        \(what)

        Balance: \(balance) credits
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
            "To: \(displayName(workspace.owner)) <\(to)>",
            "Subject: \(encodedHeader("[CreditDesk] " + subject))",
            "Date: \(rfc5322Date(alert.time))",
            "Message-ID: <\(alert.seq).\(alert.alert?.rawValue ?? "alert").\(workspace.id)@creditdesk.localhost>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "X-CreditDesk-Workspace: \(workspace.id)",
            "X-CreditDesk-Alert: \(alert.alert?.rawValue ?? "alert")",
        ]
        return (to, subject, headers.joined(separator: "\n") + "\n\n" + body + "\n")
    }

    /// A display name as an RFC 5322 quoted string (RFC 2047-encoded when not ASCII).
    static func displayName(_ name: String) -> String {
        guard name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) else { return encodedHeader(name) }
        let escaped = name.unicodeScalars.map { $0 == "\"" || $0 == "\\" ? "\\\($0)" : String($0) }.joined()
        return "\"\(escaped)\""
    }

    /// A header text as is when plain ASCII, else as an RFC 2047 encoded word (UTF-8, base64).
    static func encodedHeader(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) else { return text }
        return "=?utf-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    /// `Sun, 22 Nov 2026 05:30:00 +0000`.
    static func rfc5322Date(_ time: Timestamp) -> String {
        let days = Int((time.secondsSinceEpoch >= 0 ? time.secondsSinceEpoch : time.secondsSinceEpoch - 86_399) / 86_400)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((days % 7) + 7) % 7]
        let c = time.civil
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(c.day)) \(months[Int(c.month - 1)]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
